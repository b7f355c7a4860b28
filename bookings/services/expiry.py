"""The system's sweeps over bookings and cleaners (run by the periodic jobs in bookings.tasks):

- expiry: a pending booking unanswered PENDING_ANSWER_WITHIN after its request, or still pending at its
  start time, and a confirmed booking still unpaid at its start time, are cancelled by the system
  (bookings.services.booking_expire: the slot is freed, both parties are told, the customer is pointed
  to the booking page for other cleaners);
- the end of a search suspension: a cleaner whose ``search_suspended_until`` passed is listed again.

Each sweep is one indexed query (status + created_at, status + starts_at) read in keyset batches of
SWEEP_BATCH rows (bounded memory, however many are due), and idempotent: what it moved no longer matches
its query, and each move is a conditional update, so a second run (or a concurrent one) changes nothing
and sends nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Q, QuerySet

from cleanit.periodic import JobResult
from marketplace.models import CleanerProfile
from marketplace.services.cleaner_profile import cleaner_listing_refresh

from .. import notices, rules
from ..models import Booking
from .cancellation import booking_expire

logger = logging.getLogger(__name__)

SWEEP_BATCH = 200  # rows read at a time by a sweep


def sweep(queryset: QuerySet, key: str, *, batch: int | None = None) -> Iterator:
    """The rows of ``queryset`` in ``(key, id)`` order, SWEEP_BATCH at a time (keyset pagination: each
    batch starts after the last row of the one before, so rows that leave the query meanwhile, as the
    ones a sweep moves do, neither stop it nor make it skip others)."""
    batch = batch or SWEEP_BATCH
    last = None
    while True:
        page = queryset
        if last is not None:
            value, pk = last
            page = page.filter(Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk}))
        rows = list(page.order_by(key, "pk")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        last = (getattr(rows[-1], key), rows[-1].pk)


def _due_for_expiry(now: datetime) -> list[tuple[QuerySet, str, str]]:
    """(query, its indexed order key, the reason recorded) of each kind of booking that expires now."""
    bookings = Booking.objects.select_related("customer", "cleaner__user")
    return [
        (bookings.filter(status=Booking.Status.PENDING, created_at__lte=now - rules.PENDING_ANSWER_WITHIN),
         "created_at", notices.expiry_reason_unanswered()),
        (bookings.filter(status=Booking.Status.PENDING, starts_at__lte=now),
         "starts_at", notices.EXPIRY_REASON_UNANSWERED_AT_START),
        (bookings.filter(status=Booking.Status.CONFIRMED, payment_status=Booking.PaymentStatus.PENDING,
                         starts_at__lte=now),
         "starts_at", notices.EXPIRY_REASON_UNPAID),
    ]


def bookings_expire_due(*, now: datetime) -> JobResult:
    """Cancel every booking that expired by ``now`` (unanswered or unpaid); each once."""
    expired, problems = 0, []
    for queryset, key, reason in _due_for_expiry(now):
        for booking in sweep(queryset, key):
            try:
                expired += booking_expire(booking=booking, reason=reason, now=now)
            except Exception as exc:  # one booking's failure must not stop the sweep; the next run retries it
                logger.exception("booking %s could not be expired", booking.pk)
                problems.append(f"booking {booking.pk}: {exc}")
    return JobResult(summary=f"{expired} booking(s) expired", problems=problems)


def search_suspensions_end(*, now: datetime) -> JobResult:
    """List again every cleaner whose search suspension ended by ``now``. The passed date is cleared once
    the listing is refreshed (a conditional update on the date read), so each suspension ends once."""
    ended = 0
    due = CleanerProfile.objects.filter(search_suspended_until__lte=now).only("pk", "user_id",
                                                                              "search_suspended_until")
    for profile in sweep(due, "search_suspended_until"):
        cleaner_listing_refresh(user_id=profile.user_id, now=now)
        ended += CleanerProfile.objects.filter(pk=profile.pk, search_suspended_until=profile.search_suspended_until
                                               ).update(search_suspended_until=None)
    return JobResult(summary=f"{ended} search suspension(s) ended")
