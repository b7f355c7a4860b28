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
