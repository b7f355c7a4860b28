"""Payments' domain errors: one class per stable code (see cleanit.errors)."""

from cleanit import errors


class GatewayError(errors.ExternalServiceError):
    """The gateway failed or could not be reached; the call may be retried with the same key."""

    code = "gateway_error"
    default_message = "The payment service is not responding. Please try again."


class GatewayTimeout(GatewayError):
    code = "gateway_timeout"
    default_message = "The payment service timed out. Please try again."


class GatewayRejected(GatewayError):
    """The gateway refused the request as invalid: retrying the same request will not help."""

    code = "gateway_rejected"
    default_message = "The payment service refused the request."


class InvalidSignature(errors.ValidationFailed):
    code = "invalid_signature"
    default_message = "The payment signature is not valid."


class MalformedEvent(errors.ValidationFailed):
    """A correctly signed webhook whose body is not a Razorpay event of the shape we act on."""

    code = "malformed_event"
    default_message = "The webhook body is not a Razorpay event."
