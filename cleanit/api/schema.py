"""OpenAPI helpers: the error envelope as a component, and the standard error responses."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorEnvelope = inline_serializer(
    name="ErrorEnvelope",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(help_text="Stable machine-readable code, e.g. account_locked."),
                "message": serializers.CharField(help_text="Human-readable explanation."),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    help_text="Per-field messages for validation errors; empty otherwise.",
                ),
            },
        )
    },
)

_DESCRIPTIONS = {
    400: "Validation failed or the body could not be parsed (`validation_error`, `parse_error`, `invalid_token`).",
    401: "Missing, invalid, expired or revoked credentials (`not_authenticated`, `token_not_valid`, "
    "`invalid_credentials`).",
    403: "Authenticated but not allowed (`permission_denied`, `account_suspended`).",
    404: "Not found, or not visible to the caller (`not_found`).",
    405: "Method not allowed (`method_not_allowed`).",
    409: "The object is not in a state that allows this.",
    413: "Upload too large.",
    415: "Unsupported media type (`unsupported_media_type`).",
    423: "Account locked after repeated failed sign-ins (`account_locked`); see Retry-After.",
    429: "Rate limit exceeded (`throttled`; see Retry-After) or a business limit (`claim_limit`).",
    502: "The payment gateway failed or did not answer (`gateway_error`, `gateway_timeout`, `gateway_rejected`).",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Error responses for extend_schema; 429 (rate limit) is added to every operation."""
    return {
        code: OpenApiResponse(response=ErrorEnvelope, description=_DESCRIPTIONS[code])
        for code in sorted({*statuses, 429})
    }


def strip_trailing_slashes(result, generator, request, public):
    """Paths answer with and without the slash; publish them as api.md writes them (without)."""
    result["paths"] = {
        (path.rstrip("/") if path != "/" else path): operations for path, operations in result["paths"].items()
    }
    return result
