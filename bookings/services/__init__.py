"""Booking use-cases, one module per subject. Every function is keyword-only and raises domain errors
(bookings.errors, cleanit.errors); pages, API, admin and periodic jobs call these and nothing else writes
bookings. The public names are re-exported here: ``from bookings import services``."""

from .cancellation import CancellationTerms, booking_cancel, booking_expire, cancellation_terms
from .creation import booking_create, customer_check
from .disputes import dispute_decide, dispute_open, dispute_respond, dispute_window_open
from .lifecycle import booking_accept, booking_complete, booking_start, booking_status_change
from .messages import message_send, messages_open
from .payment import booking_pay_start
from .payout import booking_payout_release, payouts_release_due
from .calendar import calendar_feed_get_or_create, calendar_feed_reset
from .expiry import bookings_expire_due, search_suspensions_end
from .reminders import reminders_send_due
from .reviews import review_create, review_hide, review_unhide

__all__ = [
    "CancellationTerms", "booking_accept", "booking_cancel", "booking_complete", "booking_create",
    "booking_expire", "booking_pay_start", "booking_payout_release", "booking_start", "booking_status_change",
    "cancellation_terms", "customer_check", "payouts_release_due",
    "bookings_expire_due", "calendar_feed_get_or_create", "calendar_feed_reset", "reminders_send_due",
    "search_suspensions_end",
    "dispute_decide", "dispute_open", "dispute_respond", "dispute_window_open", "message_send", "messages_open",
    "review_create", "review_hide", "review_unhide",
]
