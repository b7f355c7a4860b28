"""Bookings for tests: a listed cleaner with a schedule, and a booking made through the service (its
price snapshot and its holds), at a moment a test chooses."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from bookings import services
from marketplace.tests.factories import (
    CleanerProfileFactory,
    ScheduleRangeFactory,
    ServicePackageFactory,
    UserFactory,
)

ADDRESS = {"street": "12, 4th Main, HSR Layout", "city": "Bengaluru", "state": "Karnataka", "pincode": "560102"}


def ist(day: date, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def listed_cleaner(*, price=1000_00, duration_minutes=120, service_type="basic_clean", days=range(7),
                   start="08:00", end="20:00", **profile):
    """A listed cleaner working every day from ``start`` to ``end`` (IST), with one package."""
    package = ServicePackageFactory(cleaner=CleanerProfileFactory(**profile), price=price,
                                    duration_minutes=duration_minutes, service_type=service_type)
    start_minute = int(start[:2]) * 60 + int(start[3:])
    end_minute = int(end[:2]) * 60 + int(end[3:])
    for weekday in days:
        ScheduleRangeFactory(profile=package.cleaner, weekday=weekday, start_minute=start_minute,
                             end_minute=end_minute)
    package.cleaner.refresh_from_db()
    return package


def book(package, *, customer=None, day: date | None = None, at: str = "10:00", now: datetime | None = None,
         **fields):
    """A pending booking of ``package`` on ``day`` (default: in 3 days) at ``at`` (IST)."""
    now = now or timezone.now()
    day = day or (timezone.localdate(now) + timedelta(days=3))
    return services.booking_create(customer=customer or UserFactory(), cleaner_id=package.cleaner_id,
                                   service_id=package.pk, booking_date=day.isoformat(), start_time=at, now=now,
                                   **{**ADDRESS, **fields})


def payout_released(pay):
    """A booking done and paid, its payout released to its KYC-verified cleaner: that payout (not sent yet)."""
    from jobs.tests.factories import verified_cleaner
    from payments.models import Payout

    from bookings.models import Booking

    package = listed_cleaner(price=1000_00, user=verified_cleaner())
    cleaner = package.cleaner.user
    booking = book(package, customer=UserFactory())
    services.booking_accept(booking=booking, user=cleaner)
    booking = pay(Booking.objects.get(pk=booking.pk))
    services.booking_start(booking=booking, user=cleaner, now=booking.starts_at)
    services.booking_complete(booking=booking, user=cleaner, now=booking.ends_at)
    booking.refresh_from_db()
    assert services.booking_payout_release(booking=booking, now=booking.payout_due_at)
    return Payout.objects.get(source_kind="booking", source_id=str(booking.pk))

