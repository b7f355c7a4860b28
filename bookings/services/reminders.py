"""Reminders before a confirmed booking's start (bookings.rules.REMINDERS: 24 h before to both parties,
1 h before to the cleaner, 30 min before to the customer), in-app through notifications.notify, so the
recipient's preferences apply (event ``booking.reminder``, category bookings).

A reminder falls due at ``start - offset`` and stays due until the start: a run in
``[start - offset, start)`` sends it, so a late run still sends it before the start and a run after the
start sends nothing stale. Each is sent once per recipient: notify's ``dedupe_key``
``booking-reminder:<booking id>:<key>`` is unique per user (a database constraint, so two racing runs
cannot both send it). ``Booking.reminders_sent`` records the keys handled, so that later runs skip those
bookings without asking notify again (the dedupe key, not that list, is what guarantees once).

Only confirmed bookings get reminders (paid or not: an unpaid one reminds the customer to pay, since it
is cancelled at its start otherwise); pending, cancelled and started ones get none. Reminders are not
moves: no timeline event."""

from __future__ import annotations

from datetime import datetime

from cleanit.periodic import JobResult
from notifications.services import notify

from .. import notices, rules
from ..models import Booking, Party
from .expiry import sweep

EVENT = "booking.reminder"


def reminder_dedupe_key(booking: Booking, key: str) -> str:
    return f"booking-reminder:{booking.pk}:{key}"


def _recipient(booking: Booking, party: str):
    return booking.customer if party == Party.CUSTOMER else booking.cleaner.user


def booking_remind(*, booking: Booking, key: str, parties, now: datetime) -> int:
    """Send reminder ``key`` of ``booking`` to ``parties`` (once each); how many were sent now."""
    sent = 0
    for party in parties:
        content = notices.booking_reminder(booking, party=party, now=now)
        sent += notify(user=_recipient(booking, party), event=EVENT, link=notices.booking_link(booking.pk),
                       dedupe_key=reminder_dedupe_key(booking, key), **content) is not None
    Booking.objects.filter(pk=booking.pk).update(reminders_sent=[*booking.reminders_sent, key])
    booking.reminders_sent = [*booking.reminders_sent, key]
    return sent


def reminders_send_due(*, now: datetime) -> JobResult:
    """Every reminder due at ``now``: confirmed bookings starting in ``(now, now + offset]``."""
    sent = 0
    for key, offset, parties in rules.REMINDERS:
        due = Booking.objects.select_related("customer", "cleaner__user").filter(
            status=Booking.Status.CONFIRMED, starts_at__gt=now, starts_at__lte=now + offset)
        for booking in sweep(due, "starts_at"):
            if key not in (booking.reminders_sent or []):
                sent += booking_remind(booking=booking, key=key, parties=parties, now=now)
    return JobResult(summary=f"{sent} booking reminder(s) sent")
