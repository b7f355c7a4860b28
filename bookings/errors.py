"""Booking errors: one class per stable code (see cleanit.errors). Messages that quote a rule's
numbers are formatted by bookings.notices and passed at the raise site."""

from cleanit import errors


class BookingNotFound(errors.NotFound):
    code = "booking_not_found"
    default_message = "Booking not found."


class NotACustomer(errors.NotAllowed):
    code = "not_a_customer"
    default_message = "Only customers can book cleaners."


class WrongParty(errors.NotAllowed):
    """A participant of the booking, but not the one who may make this move."""

    code = "wrong_party"
    default_message = "The other party of this booking does this."


class SlotUnavailable(errors.Conflict):
    code = "slot_unavailable"
    default_message = "This time is no longer free. Pick another slot."


class CleanerUnavailable(errors.Conflict):
    code = "cleaner_unavailable"
    default_message = "This cleaner is not taking bookings right now."


class TooEarlyToStart(errors.Conflict):
    code = "too_early_to_start"
    default_message = "This booking cannot be started yet."


class NotPaid(errors.Conflict):
    code = "booking_not_paid"
    default_message = "This booking is not paid yet."


class PaymentNotExpected(errors.Conflict):
    code = "payment_not_expected"
    default_message = "This booking cannot be paid now."


class NotCompleted(errors.Conflict):
    code = "booking_not_completed"
    default_message = "Only a completed booking can be reviewed."


class AlreadyReviewed(errors.Conflict):
    code = "already_reviewed"
    default_message = "This booking has already been reviewed."


class ReviewNotFound(errors.NotFound):
    code = "review_not_found"
    default_message = "Review not found."


class MessagesClosed(errors.Conflict):
    code = "messages_closed"
    default_message = "Messages for this booking are closed."


class DisputeNotAllowed(errors.Conflict):
    code = "dispute_not_allowed"
    default_message = "A problem can no longer be reported for this booking."


class DisputeNotOpen(errors.Conflict):
    code = "dispute_not_open"
    default_message = "This dispute has already been decided."


class CalendarNotFound(errors.NotFound):
    code = "calendar_not_found"
    default_message = "Calendar not found."


class RequestExpired(errors.Conflict):
    code = "request_expired"
    default_message = "This request was not answered in time and has expired."
