"""A booking's moves other than cancelling (bookings.services.cancellation): the cleaner accepts or
declines a request, starts and completes the work. Each is one conditional update through
cleanit.statemachine, so of two racing moves one wins and the other gets InvalidTransition (409)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition
from marketplace.models import CleanerProfile
from notifications.services import notify

from .. import notices, rules
from ..errors import NotPaid, RequestExpired, TooEarlyToStart, WrongParty
from ..models import Booking, Party
from .holds import holds_release
from .timeline import event_record, party_of


def figures_count(booking: Booking, **increments: int) -> None:
    """Move the cleaner's figures (CleanerProfile: completed, accepted, answered, answer seconds...) with
    F(), in the move's transaction, so that concurrent moves all count."""
    CleanerProfile.objects.filter(pk=booking.cleaner_id).update(
        **{name: F(name) + amount for name, amount in increments.items()})


def answer_figures(booking: Booking, now: datetime) -> dict:
    """What answering a request adds: one answer, and the seconds it took (the average response time)."""
    return {"response_count": 1, "response_seconds_total": max(0, round((now - booking.created_at).total_seconds()))}


def answer_deadline(booking: Booking):
    return booking.answer_by


def _as_cleaner(booking: Booking, user, message: str) -> None:
    if party_of(booking, user) != Party.CLEANER:
        raise WrongParty(message)


def booking_accept(*, booking: Booking, user, now: datetime | None = None) -> Booking:
    """The cleaner accepts a pending request: confirmed, waiting for the customer's payment."""
    now = now or timezone.now()
    _as_cleaner(booking, user, notices.ONLY_CLEANER_ANSWERS)
    if booking.status == Booking.Status.PENDING and now >= answer_deadline(booking):
        raise RequestExpired(notices.request_expired(booking))
    with atomic():
        transition(booking, Booking.Status.CONFIRMED, sources=[Booking.Status.PENDING], confirmed_at=now,
                   where={"created_at__gt": now - rules.PENDING_ANSWER_WITHIN, "starts_at__gt": now},
                   calendar_sequence=F("calendar_sequence") + 1)
        event_record(booking=booking, action="accepted", actor=user, from_status=Booking.Status.PENDING,
                     to_status=Booking.Status.CONFIRMED)
        figures_count(booking, accepted_bookings=1, **answer_figures(booking, now))
    on_commit(lambda: notify(user=booking.customer, event="booking.accepted", link=notices.booking_link(booking.pk),
                             **notices.booking_accepted(booking)))
    return booking


def booking_start(*, booking: Booking, user, now: datetime | None = None) -> Booking:
    """The cleaner starts a confirmed, paid booking, from START_EARLY before its start."""
    now = now or timezone.now()
    _as_cleaner(booking, user, notices.ONLY_CLEANER_WORKS)
    if booking.status == Booking.Status.CONFIRMED:
        if booking.payment_status != Booking.PaymentStatus.PAID:
            raise NotPaid(notices.PAY_FIRST)
        if now < booking.starts_at - rules.START_EARLY:
            raise TooEarlyToStart(notices.too_early_to_start(booking))
    with atomic():
        transition(booking, Booking.Status.IN_PROGRESS, where={"payment_status": Booking.PaymentStatus.PAID},
                   started_at=now, calendar_sequence=F("calendar_sequence") + 1)
        event_record(booking=booking, action="started", actor=user, from_status=Booking.Status.CONFIRMED,
                     to_status=Booking.Status.IN_PROGRESS)
    on_commit(lambda: notify(user=booking.customer, event="booking.started", link=notices.booking_link(booking.pk),
                             **notices.booking_started(booking)))
    return booking


def booking_complete(*, booking: Booking, user, now: datetime | None = None) -> Booking:
    """The cleaner completes the work: the payout falls due at the review or PAYOUT_AFTER_COMPLETION."""
    now = now or timezone.now()
    _as_cleaner(booking, user, notices.ONLY_CLEANER_WORKS)
    with atomic():
        transition(booking, Booking.Status.COMPLETED, completed_at=now,
                   payout_due_at=now + rules.PAYOUT_AFTER_COMPLETION, calendar_sequence=F("calendar_sequence") + 1)
        holds_release(booking)
        event_record(booking=booking, action="completed", actor=user, from_status=Booking.Status.IN_PROGRESS,
                     to_status=Booking.Status.COMPLETED)
        figures_count(booking, completed_bookings=1)
    on_commit(lambda: notify(user=booking.customer, event="booking.completed", link=notices.booking_link(booking.pk),
                             **notices.booking_completed(booking)))
    on_commit(lambda: notify(user=booking.customer, event="booking.review_request",
                             link=notices.booking_link(booking.pk) + "#review",
                             dedupe_key=f"booking.review_request:{booking.pk}", **notices.review_request(booking)))
    return booking


# The PATCH /status moves: the target status and the participant -> the service.
def booking_status_change(*, booking: Booking, user, status: str, reason: str = "",
                          now: datetime | None = None) -> Booking:
    """One entry for the API's and the pages' status moves: confirmed (accept), in_progress (start),
    completed (complete), cancelled (the cleaner declines or either party cancels, with the refund
    policy). WrongParty (403) when the other participant makes this move; InvalidTransition (409) when
    the booking's status does not allow it."""
    from .cancellation import booking_cancel

    moves = {
        Booking.Status.CONFIRMED: booking_accept,
        Booking.Status.IN_PROGRESS: booking_start,
        Booking.Status.COMPLETED: booking_complete,
    }
    if status == Booking.Status.CANCELLED:
        return booking_cancel(booking=booking, user=user, reason=reason, now=now)
    if status not in moves:
        raise errors.ValidationFailed(fields={"status": [notices.STATUS_CHOICES]})
    if party_of(booking, user) == Party.CUSTOMER:
        raise WrongParty(notices.CUSTOMER_CANNOT_SET)
    return moves[status](booking=booking, user=user, now=now)
