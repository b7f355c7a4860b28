"""A live booking holds its cleaner's time in SlotHold cells (bookings.rules.CELL_MINUTES each), unique
per cleaner and start: the insert decides which of two overlapping bookings exists, never a check
before it. The slots a page offers come from the bookings (busy_time), the refusal from the holds."""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import rules
from ..models import Booking, SlotHold


def cells(starts_at: datetime, ends_at: datetime) -> list[datetime]:
    """The CELL_MINUTES cells from ``starts_at`` (on the grid) up to ``ends_at``."""
    step, found, cell = timedelta(minutes=rules.CELL_MINUTES), [], starts_at
    while cell < ends_at:
        found.append(cell)
        cell += step
    return found


def holds_take(booking: Booking) -> None:
    """Insert the booking's cells in one statement; IntegrityError when any is held already."""
    SlotHold.objects.bulk_create([SlotHold(cleaner_id=booking.cleaner_id, starts_at=cell, booking=booking)
                                  for cell in cells(booking.starts_at, booking.ends_at)])


def holds_release(booking: Booking) -> int:
    """Free the booking's time (it was cancelled)."""
    deleted, _ = SlotHold.objects.filter(booking=booking).delete()
    return deleted


def busy_time(profile, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """marketplace.hooks busy-time provider: the cleaner's pending, confirmed and in-progress bookings
    between ``start`` and ``end``."""
    return list(Booking.objects.filter(cleaner=profile, status__in=Booking.LIVE, starts_at__lt=end, ends_at__gt=start)
                .values_list("starts_at", "ends_at"))


def package_has_bookings(package) -> bool:
    """marketplace.hooks bookings check: a package with bookings is deactivated, never deleted."""
    return Booking.objects.filter(service=package).exists()
