"""The booking's timeline: one BookingEvent per move, written in the transaction of the move."""

from __future__ import annotations

from ..models import Booking, BookingEvent, Party


def party_of(booking: Booking, user) -> str:
    """Which side of the booking ``user`` is on (customer, cleaner), or SYSTEM for no one."""
    if user is None:
        return Party.SYSTEM
    if user.pk == booking.customer_id:
        return Party.CUSTOMER
    if user.pk == booking.cleaner.user_id:
        return Party.CLEANER
    return Party.ADMIN if getattr(user, "is_staff", False) else Party.SYSTEM


def event_record(*, booking: Booking, action: str, actor=None, party: str | None = None, from_status: str = "",
                 to_status: str = "", note: str = "") -> BookingEvent:
    return BookingEvent.objects.create(
        booking=booking, actor=actor, party=party or party_of(booking, actor), action=action,
        from_status=from_status, to_status=to_status, note=note[:BookingEvent._meta.get_field("note").max_length])
