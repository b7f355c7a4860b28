"""Messages between the customer and the cleaner of a booking: plain text of 1 to MESSAGE_MAX characters
(stored as written, escaped wherever shown). Nobody else reads or writes them (the selector answers 404
for anyone else's booking).

When messaging is open (bookings.notices.messages_rule says it to people): from the request on, while the
booking is not cancelled, and after completion for DISPUTE_WINDOW (the time in which a problem can be
reported), or longer while a reported problem is still open. Otherwise MessagesClosed (409).

The other party is told (booking.message), at most once per booking, recipient and clock hour: the
notification's dedupe key carries the hour, so a busy conversation does not flood the bell."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from cleanit import errors
from cleanit.db import on_commit
from notifications.services import notify

from .. import notices, rules
from ..errors import MessagesClosed, WrongParty
from ..models import Booking, Dispute, Message, Party
from .timeline import party_of


def messages_open(*, booking: Booking, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if booking.status == Booking.Status.CANCELLED:
        return False
    if booking.status != Booking.Status.COMPLETED:
        return True
    if booking.completed_at is not None and now <= booking.completed_at + rules.DISPUTE_WINDOW:
        return True
    return Dispute.objects.filter(booking=booking, status=Dispute.Status.OPEN).exists()


def _body(value) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise errors.ValidationFailed(fields={"body": [notices.MESSAGE_REQUIRED]})
    if len(text) > rules.MESSAGE_MAX:
        raise errors.ValidationFailed(fields={"body": [notices.message_too_long()]})
    return text


def message_send(*, booking: Booking, user, body, now: datetime | None = None) -> Message:
    """A participant writes to the other one. WrongParty (403) for anyone else (who, through the selector,
    never gets this far), ValidationFailed for an empty or too long body, MessagesClosed (409) outside the
    time messaging is open."""
    now = now or timezone.now()
    party = party_of(booking, user)
    if party not in (Party.CUSTOMER, Party.CLEANER):
        raise WrongParty(notices.ONLY_PARTIES_WRITE)
    text = _body(body)
    if not messages_open(booking=booking, now=now):
        raise MessagesClosed(notices.messages_closed(booking))
    message = Message.objects.create(booking=booking, sender=user, body=text)
    recipient = booking.cleaner.user if party == Party.CUSTOMER else booking.customer
    hour = now.astimezone(UTC).strftime("%Y%m%d%H")
    link = notices.booking_link(booking.pk) + "#messages"
    on_commit(lambda: notify(user=recipient, event="booking.message", link=link,
                             dedupe_key=f"booking.message:{booking.pk}:{hour}",
                             **notices.message_received(booking, user)))
    return message
