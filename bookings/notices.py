"""Every text bookings show people: notifications, refusals, timeline notes, flash messages and form
help. Numbers and durations come from bookings.rules, the same constants the services enforce."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from cleanit.dates import format_date, format_datetime, format_time
from cleanit.money import format_inr

from . import rules


def booking_link(booking_id) -> str:
    return reverse("bookings:detail", args=[booking_id])


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{round(hours * 60)} minutes"
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def when(booking) -> str:
    """'5 Feb 2026, 09:00-11:00'"""
    return f"{format_date(booking.local_start)}, {booking.start_time}-{booking.end_time}"


# --- refusals ----------------------------------------------------------------------------------------

ONLY_CUSTOMERS_BOOK = "Only customers can book cleaners. Sign in with a customer account."
SERVICE_NOT_THIS_CLEANERS = "This service is not offered by this cleaner."
SERVICE_NO_LONGER_OFFERED = "This service is no longer offered."
CLEANER_NOT_AVAILABLE = "This cleaner is not taking bookings right now."
NOT_A_FREE_SLOT = "This time is not one of the cleaner's free slots for this service. Pick one of the slots shown."
SLOT_TAKEN = "Someone booked this time a moment ago. Pick another slot."
TIME_INVALID = "Enter a time as HH:MM on the half hour, for example 09:30."
ADDRESS_REQUIRED = "Enter the address where the cleaning is."
PINCODE_INVALID = "Enter a 6-digit PIN code."
REASON_REQUIRED = "Give a reason: the customer will see it."
ONLY_CLEANER_ANSWERS = "Only the cleaner answers a booking request."
ONLY_CLEANER_WORKS = "Only the cleaner starts and completes a booking."
CUSTOMER_CANNOT_SET = "As the customer you can cancel this booking; the cleaner accepts, starts and completes it."
STATUS_CHOICES = "Choose confirmed, in_progress, completed or cancelled."
PAY_FIRST = "The customer has not paid yet: the booking can start once it is paid."


def special_instructions_too_long() -> str:
    return f"Keep special instructions to {rules.SPECIAL_INSTRUCTIONS_MAX} characters."


def reason_too_long() -> str:
    return f"Keep the reason to {rules.CANCELLATION_REASON_MAX} characters."


def too_early_to_start(booking) -> str:
    start = booking.starts_at - rules.START_EARLY
    return (f"This booking can be started from {format_time(start)} on {format_date(start)} "
            f"({_hours(rules.START_EARLY)} before its start).")


# --- timeline notes ----------------------------------------------------------------------------------

EVENT_LABELS = {
    "requested": "Requested",
    "accepted": "Accepted by the cleaner",
    "rejected": "Declined by the cleaner",
    "started": "Started",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "expired": "Expired",
    "paid": "Paid",
    "refunded": "Refunded",
    "reviewed": "Reviewed",
    "disputed": "Problem reported",
    "dispute_answered": "Cleaner answered the problem report",
    "dispute_decided": "Problem report decided",
}


# --- notifications -----------------------------------------------------------------------------------

def booking_requested(booking) -> dict:
    return {"title": f"New booking request: {booking.service_name}",
            "body": (f"{booking.customer.get_short_name()} asks for {when(booking)} in {booking.city} "
                     f"({format_inr(booking.service_price)}). Answer within {_hours(rules.PENDING_ANSWER_WITHIN)}, "
                     "or the request expires.")}


def booking_accepted(booking) -> dict:
    return {"title": f"Booking accepted: {booking.service_name}",
            "body": f"{booking.cleaner.user.name} accepted {when(booking)}. Pay {format_inr(booking.total_price)} "
                    "to confirm it; an unpaid booking is cancelled at its start time."}


def booking_rejected(booking) -> dict:
    return {"title": f"Booking declined: {booking.service_name}",
            "body": f"{booking.cleaner.user.name} cannot come on {when(booking)}: {booking.cancellation_reason} "
                    "Other cleaners may be free at that time."}


def booking_started(booking) -> dict:
    return {"title": f"Cleaning started: {booking.service_name}",
            "body": f"{booking.cleaner.user.name} has started."}


def booking_completed(booking) -> dict:
    return {"title": f"Cleaning completed: {booking.service_name}",
            "body": f"{booking.cleaner.user.name} marked {when(booking)} as done. How was it? Leave a review."}


def booking_cancelled(booking, *, by: str) -> dict:
    return {"title": f"Booking cancelled: {booking.service_name}",
            "body": f"{when(booking)} was cancelled by the {by}."
                    + (f" Reason: {booking.cancellation_reason}" if booking.cancellation_reason else "")}


def booking_expired(booking) -> dict:
    unpaid = booking.confirmed_at is not None
    return {"title": f"Booking expired: {booking.service_name}",
            "body": (f"{when(booking)} was cancelled: it was not paid before its start time."
                     if unpaid else
                     f"{booking.cleaner.user.name} did not answer your request for {when(booking)} in time. "
                     "Other cleaners may be free then: open the booking to see them.")}


def booking_expired_cleaner(booking) -> dict:
    unpaid = booking.confirmed_at is not None
    return {"title": f"Booking expired: {booking.service_name}",
            "body": (f"{when(booking)} was cancelled: the customer did not pay before the start time."
                     if unpaid else
                     f"The request for {when(booking)} expired unanswered "
                     f"({_hours(rules.PENDING_ANSWER_WITHIN)} or its start time, whichever first).")}


def search_suspended(profile) -> dict:
    return {"title": "You are out of searches for a while",
            "body": (f"You cancelled {rules.CLEANER_CANCELLATIONS_TO_SUSPEND} accepted bookings within "
                     f"{rules.CLEANER_CANCELLATION_WINDOW.days} days, so customers will not find you in searches until "
                     f"{format_datetime(profile.search_suspended_until)}. Bookings you have keep going.")}


def dashboard_link() -> str:
    return reverse("marketplace:cleaner_dashboard")


# --- payment and money -------------------------------------------------------------------------------

ONLY_CUSTOMER_PAYS = "Only the customer of this booking pays for it."
DUPLICATE_PAYMENT_REFUND = "This booking was already paid or can no longer be paid: this payment is refunded in full."


def payment_not_expected(booking) -> str:
    if booking.payment_status != booking.PaymentStatus.PENDING:
        return "This booking is already paid."
    if booking.status == booking.Status.PENDING:
        return "You can pay once the cleaner has accepted the booking."
    return f"This booking is {booking.get_status_display().lower()}: there is nothing to pay."


def payment_description(booking) -> str:
    return f"{booking.service_name} with {booking.cleaner.user.name}, {when(booking)}"


def payout_description(booking) -> str:
    return f"Booking: {booking.service_name}, {when(booking)}"


def paid_note(booking) -> str:
    return f"{format_inr(booking.total_price)} paid, held until the work is done."


def refunded_note(amount: int) -> str:
    return f"{format_inr(amount)} refunded to the customer."


def payment_received_cleaner(booking) -> dict:
    return {"title": f"Booking paid: {booking.service_name}",
            "body": f"{booking.customer.get_short_name()} paid for {when(booking)}. See you there."}


def cancellation_note(booking, terms) -> str:
    parts = [booking.cancellation_reason] if booking.cancellation_reason else []
    if terms.refund:
        parts.append(f"{format_inr(terms.refund)} refunded ({terms.refund_percent}%).")
    elif terms.kept:
        parts.append("No refund (cancelled less than "
                     f"{_hours(rules.HALF_REFUND_BEFORE)} before the start).")
    return " ".join(parts)


def refund_reason(booking, terms) -> str:
    by = {"customer": "the customer", "cleaner": "the cleaner"}.get(terms.party, "Cleanit")
    return f"Booking cancelled by {by}: {terms.refund_percent}% of {format_inr(booking.total_price)}"


def refund_policy() -> str:
    return (f"Cancel {_hours(rules.FULL_REFUND_BEFORE)} or more before the start for a full refund, from "
            f"{_hours(rules.HALF_REFUND_BEFORE)} to {_hours(rules.FULL_REFUND_BEFORE)} before for "
            f"{rules.HALF_REFUND_PERCENT}%, and less than {_hours(rules.HALF_REFUND_BEFORE)} before for none. "
            "If the cleaner cancels, you get everything back at once.")


# --- expiry, reminders, calendar (bookings.services.expiry, reminders, calendar) --------------------

EXPIRY_REASON_UNANSWERED_AT_START = "The cleaner did not answer before the start time."
EXPIRY_REASON_UNPAID = "It was not paid before the start time."


def expiry_reason_unanswered() -> str:
    return f"The cleaner did not answer within {_hours(rules.PENDING_ANSWER_WITHIN)}."


def _starts_in(delta: timedelta) -> str:
    """'in 24 hours', 'in 1 hour', 'in 30 minutes' (to the nearest hour from 90 minutes on)."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 90:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"in {hours} hour{'s' if hours != 1 else ''}"


def booking_reminder(booking, *, party: str, now) -> dict:
    """A reminder before a confirmed booking's start; an unpaid one says it is cancelled at the start
    unless paid (the customer is asked to pay)."""
    unpaid = booking.payment_status == booking.PaymentStatus.PENDING
    title = f"Reminder: {booking.service_name} {_starts_in(booking.starts_at - now)}"
    where = f"{booking.street}, {booking.city}"
    if party == "customer":
        body = f"{booking.cleaner.user.name} comes on {when(booking)} to {where}."
        if unpaid:
            body += (f" It is not paid yet: pay {format_inr(booking.total_price)} on the booking page before "
                     f"{booking.start_time}, or the booking is cancelled at its start time.")
    else:
        body = f"{booking.customer.get_short_name()}'s booking: {when(booking)} at {where}."
        body += (" The customer has not paid yet: unless they pay before the start time, the booking is "
                 "cancelled and you need not go." if unpaid else
                 f" You can start it from {_hours(rules.START_EARLY)} before its start.")
    return {"title": title, "body": body}


CALENDAR_NAME = "Cleanit bookings"
CALENDAR_RESET_DONE = "Your calendar has a new address. Subscribe to it again: the old address no longer works."
CALENDAR_NOT_FOUND = "This calendar address is not valid any more. Copy the current one from your dashboard."
CALENDAR_HELP = ("Subscribe to this private address in Google Calendar, Apple Calendar or Outlook to see your "
                 "confirmed bookings there. Anyone with the address can see them: do not share it.")
CALENDAR_RESET_HELP = "Think someone else has it? Get a new address: the old one stops working at once."


def calendar_summary(booking) -> str:
    return f"{booking.service_name} for {booking.customer.get_short_name()}"


def calendar_description(booking, url: str) -> str:
    return f"{booking.get_status_display()} booking, {when(booking)} (IST). Details and messages: {url}"


def duration(delta: timedelta) -> str:
    """'24 hours', '30 minutes' (for texts outside this module: job descriptions)."""
    return _hours(delta)


def request_expired(booking) -> str:
    return (f"This request expired: requests are answered within {_hours(rules.PENDING_ANSWER_WITHIN)} "
            "or before their start time, whichever comes first.")

# --- pages -------------------------------------------------------------------------------------------

BOOK_AS_CUSTOMER_HINT = ("Cleaners and admins cannot book: sign out and sign in (or sign up) with a customer "
                         "account to book a cleaner.")
CLEANER_NOT_FOUND = "This cleaner is not on Cleanit, or is not taking customers right now."
PICK_A_DATE = "Pick a date to see the free times for this service."
NO_FREE_TIMES = "No free times on this day. Try another date."
PAY_AFTER_ACCEPT = "Nothing is charged now: you pay once the cleaner accepts."
ACCEPTED_PAGE = "Booking accepted. The customer is asked to pay; you can start it once it is paid."
REJECTED_PAGE = "Request declined. The customer sees your reason and other cleaners free at that time."
STARTED_PAGE = "Booking started. Mark it completed when the work is done."
COMPLETED_PAGE = "Booking completed. Your payout is released at the customer's review or 48 hours from now."
NOT_A_REQUEST = "This booking is no longer a request waiting for an answer."
REFUND_CHANGED = ("What you get back has changed since you opened this page (the start is nearer). Check the new "
                  "amount below and confirm again.")
WAITING_FOR_ACCEPT = "Waiting for the cleaner to accept: you pay once they do."
PAYMENT_FAILED = "Your last payment did not go through. Nothing was charged; you can try again."
PAYMENT_OPEN = "A payment was started but not finished. You can pay again; you are only ever charged once."
ALTERNATIVES_INTRO = "These cleaners are free at the same time for the same kind of service:"
CONTACT_HIDDEN = "Phone numbers and the street address are shared while the booking is confirmed or in progress."


def answer_within() -> str:
    return (f"The cleaner answers within {_hours(rules.PENDING_ANSWER_WITHIN)} or by the start time, whichever "
            "is first; otherwise the request expires.")


def answer_requests_within() -> str:
    return (f"Answer each request within {_hours(rules.PENDING_ANSWER_WITHIN)}, or before its start if that is "
            "sooner: an unanswered request expires and the customer is shown other cleaners.")


def booking_requested_page(booking) -> str:
    return (f"Request sent to {booking.cleaner.user.name} for {when(booking)}. They have "
            f"{_hours(rules.PENDING_ANSWER_WITHIN)} to answer (or until the start time, if sooner); you pay once "
            "they accept.")


def instructions_hint() -> str:
    return ("Anything the cleaner should know: pets, parking, gate code. "
            f"Up to {rules.SPECIAL_INSTRUCTIONS_MAX} characters.")


def platform_fee_label() -> str:
    return f"Platform fee ({rules.PLATFORM_FEE_PERCENT}%)"


def start_from(booking) -> str:
    return too_early_to_start(booking)


def customer_cancel_terms(booking, terms) -> str:
    """What cancelling now means for the customer, stated before they confirm."""
    if booking.payment_status != booking.PaymentStatus.PAID:
        return "You have not paid for this booking, so nothing is charged and nothing needs refunding."
    if terms.refund == booking.total_price:
        return f"You get all of {format_inr(terms.refund)} back."
    if terms.refund:
        return (f"You get {format_inr(terms.refund)} back ({terms.refund_percent}% of "
                f"{format_inr(booking.total_price)}); {format_inr(terms.kept)} is kept.")
    return (f"You get nothing back: the start is less than {_hours(rules.HALF_REFUND_BEFORE)} away, so all of "
            f"{format_inr(booking.total_price)} is kept.")


def cleaner_cancel_terms(booking, terms) -> str:
    """What cancelling (or declining) now means for the cleaner."""
    refund = (f"The customer gets all of {format_inr(terms.refund)} back at once." if terms.refund
              else "The customer has not paid, so nothing is refunded.")
    if not terms.penalty:
        return refund
    return (f"{refund} Cancelling an accepted booking counts on your record: "
            f"{rules.CLEANER_CANCELLATIONS_TO_SUSPEND} within {rules.CLEANER_CANCELLATION_WINDOW.days} days take "
            f"you out of searches for {rules.SEARCH_SUSPENSION.days} days.")


def cancelled_page(booking, terms) -> str:
    if terms.party == "customer":
        if terms.refund:
            return f"Booking cancelled. {format_inr(terms.refund)} is being refunded to how you paid."
        return "Booking cancelled."
    if booking.cancelled_by == "cleaner" and terms.penalty:
        return "Booking cancelled. The customer is refunded in full and sees other cleaners free at that time."
    return REJECTED_PAGE

# --- reviews, messages and disputes (the booking's conversation) --------------------------------------

ONLY_CUSTOMER_REVIEWS = "Only the customer of this booking reviews it."
REVIEW_ONLY_COMPLETED = "You can review a booking once the cleaner has completed it."
ALREADY_REVIEWED = "You have already reviewed this booking."
COMMENT_NOT_TEXT = "Write the comment as text."
REVIEW_HIDDEN_NOTE = "Review hidden by Cleanit"
REVIEW_SHOWN_NOTE = "Review shown again by Cleanit"
REVIEW_SAVED = "Thank you: your review is published on the cleaner's profile."


def rating_out_of_range() -> str:
    low, high = rules.REVIEW_RATING_RANGE
    return f"Choose a rating from {low} to {high} stars."


def comment_too_long() -> str:
    return f"Keep the comment to {rules.REVIEW_COMMENT_MAX} characters."


def review_help() -> str:
    return (f"1 to {rules.REVIEW_RATING_RANGE[1]} stars, and a comment of up to {rules.REVIEW_COMMENT_MAX} "
            "characters if you like. Your first name, the service and the date are shown with it. Submitting "
            "it releases the cleaner's payment: if something went wrong, report a problem first.")


def review_note(review) -> str:
    return f"{review.rating} out of {rules.REVIEW_RATING_RANGE[1]} stars."


def review_request(booking) -> dict:
    return {"title": f"How was {booking.service_name}?",
            "body": (f"Rate {booking.cleaner.user.name} from 1 to {rules.REVIEW_RATING_RANGE[1]} stars. "
                     f"Something wrong? Report a problem within {_hours(rules.DISPUTE_WINDOW)} of completion, "
                     "before reviewing: a review releases the cleaner's payment.")}


def review_received(review) -> dict:
    booking = review.booking
    return {"title": f"New review: {review.rating} out of {rules.REVIEW_RATING_RANGE[1]} stars",
            "body": f"{booking.customer.get_short_name()} reviewed {booking.service_name} on {when(booking)}."
                    + (f" “{review.comment[:200]}”" if review.comment else "")}


MESSAGE_REQUIRED = "Write a message."
MESSAGE_SENT = "Message sent."
ONLY_PARTIES_WRITE = "Only the customer and the cleaner of this booking write here."


def message_too_long() -> str:
    return f"Keep a message to {rules.MESSAGE_MAX} characters."


def messages_rule() -> str:
    """When messaging is open, as the booking page says it (bookings.services.messages decides)."""
    return (f"Messages are open from the request until {_hours(rules.DISPUTE_WINDOW)} after completion (and while "
            "a reported problem is open); not on a cancelled booking. Only the two of you can read them.")


def messages_closed(booking) -> str:
    if booking.status == booking.Status.CANCELLED:
        return "This booking was cancelled: messages are closed."
    return (f"Messages closed {_hours(rules.DISPUTE_WINDOW)} after completion. "
            "Need help? Contact Cleanit support.")


def message_received(booking, sender) -> dict:
    return {"title": f"New message about {booking.service_name}",
            "body": f"{sender.get_short_name()} wrote about {when(booking)}. Open the booking to read and reply."}


ONLY_CUSTOMER_DISPUTES = "Only the customer of this booking reports a problem."
ONLY_CLEANER_RESPONDS = "Only the cleaner of this booking answers a reported problem."
ONLY_ADMIN_DECIDES = "Only Cleanit staff decide a reported problem."
DISPUTE_CATEGORY_CHOICE = "Choose what went wrong."
DISPUTE_TEXT_REQUIRED = "Describe what went wrong."
RESPONSE_TEXT_REQUIRED = "Write your answer."
DISPUTE_ALREADY_REPORTED = "A problem has already been reported for this booking."
DISPUTE_OUTCOME_CHOICE = "Choose full refund, partial refund or release to the cleaner."
DECISION_NOTE_REQUIRED = "Write a note: both parties see it."
DISPUTE_PAYOUT_RELEASED = "The cleaner's payment for this booking was already released."
DISPUTE_SAVED = "Problem reported: the cleaner's payment is held until Cleanit decides."
RESPONSE_SAVED = "Your answer was sent to Cleanit and the customer."
DISPUTE_DECIDED = "Decision recorded; both parties were told."


def dispute_text_too_long() -> str:
    return f"Keep it to {rules.DISPUTE_TEXT_MAX} characters."


def decision_note_too_long(limit: int) -> str:
    return f"Keep the note to {limit} characters."


def dispute_too_many_photos() -> str:
    return f"Add at most {rules.DISPUTE_PHOTOS_MAX} photos."


def dispute_help() -> str:
    return (f"Within {_hours(rules.DISPUTE_WINDOW)} of completion, and before you review: a review releases the "
            f"cleaner's payment. Up to {rules.DISPUTE_PHOTOS_MAX} photos (JPG or PNG). The payment is held, the "
            "cleaner can answer, and Cleanit decides: a full or partial refund, or payment to the cleaner.")


def dispute_not_allowed(booking, *, now) -> str:
    if booking.status != booking.Status.COMPLETED:
        return "A problem can be reported once the booking is completed. Before that, message the cleaner or cancel."
    if booking.payout_scheduled:
        return ("The cleaner has been paid for this booking (after your review, or "
                f"{_hours(rules.PAYOUT_AFTER_COMPLETION)} after completion): a problem can no longer be reported "
                "here. Contact Cleanit support.")
    return (f"Problems can be reported within {_hours(rules.DISPUTE_WINDOW)} of completion "
            f"(until {format_datetime(booking.completed_at + rules.DISPUTE_WINDOW)}).")


def dispute_refund_out_of_range(refundable: int) -> str:
    return f"Enter an amount from ₹0.01 to {format_inr(refundable)}."


def dispute_opened(dispute) -> dict:
    booking = dispute.booking
    return {"title": f"Problem reported: {booking.service_name}",
            "body": (f"{booking.customer.get_short_name()} reported “{dispute.get_category_display()}” about "
                     f"{when(booking)}. Your payment is held until Cleanit decides; answer on the booking page.")}


def dispute_answered(dispute) -> dict:
    booking = dispute.booking
    return {"title": f"The cleaner answered your report: {booking.service_name}",
            "body": f"{booking.cleaner.user.name} answered about {when(booking)}. Cleanit decides next."}


def dispute_opened_note(dispute) -> str:
    photos = len(dispute.photos)
    return f"{dispute.get_category_display()}" + (f" ({photos} photo{'s' if photos != 1 else ''})" if photos else "")


def dispute_decision_note(dispute) -> str:
    outcome = {"full_refund": f"Full refund of {format_inr(dispute.refund_amount)} to the customer",
               "partial_refund": f"{format_inr(dispute.refund_amount)} refunded to the customer, the rest paid",
               "release": "Paid to the cleaner"}[dispute.outcome]
    return f"{outcome}. {dispute.decision_note}".strip()


def dispute_refund_reason(dispute) -> str:
    return f"Reported problem decided: {dispute.get_outcome_display().lower()}"


def dispute_decided(dispute, *, for_party: str) -> dict:
    booking = dispute.booking
    if dispute.outcome == "release":
        text = ("Cleanit decided the booking stands: the cleaner is paid."
                if for_party == "customer" else "Cleanit decided in your favour: your payment is released.")
    elif dispute.outcome == "full_refund":
        text = (f"Cleanit refunds you {format_inr(dispute.refund_amount)} in full."
                if for_party == "customer" else "Cleanit refunded the customer in full: no payment for this booking.")
    else:
        text = (f"Cleanit refunds you {format_inr(dispute.refund_amount)}."
                if for_party == "customer" else
                f"Cleanit refunded the customer {format_inr(dispute.refund_amount)}; the rest is paid to you.")
    return {"title": f"Reported problem decided: {booking.service_name}",
            "body": f"{text} {dispute.decision_note}".strip()}
HIDE_REASON_REQUIRED = "Give the reason for hiding this review (kept in the booking's timeline)."


PICK_A_TIME = "Pick one of the free times."
WAITING_FOR_YOUR_ANSWER = "Waiting for your answer"


def status_label(booking, party: str) -> str:
    """The booking's status as its viewer reads it: the cleaner's own request waits for *their* answer."""
    if party == "cleaner" and booking.status == booking.Status.PENDING:
        return WAITING_FOR_YOUR_ANSWER
    return booking.get_status_display()

