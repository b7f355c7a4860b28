"""The marketplace's health, measured from the data, against the source document's success metrics
(reads only; the admin's "Marketplace health" dashboard):

- median time from a booking request to the cleaner's acceptance (target under 2 hours);
- coverage: the share of bookings with at least 3 KYC-verified, listed cleaners within 5 km of the
  customer (the point the customer gave, else the booked cleaner's, a proxy), per city;
- the platform's average rating (visible reviews; target 4.5 or more);
- the repeat-customer rate (customers with 2+ completed bookings among those with 1+);
- cancellation rates: by customers, by cleaners, expired, among the bookings requested.

Figures cover the bookings requested in the last WINDOW_DAYS (coverage: the latest COVERAGE_SAMPLE)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count
from django.utils import timezone

from cleanit import geo
from marketplace.models import CleanerKYC, CleanerProfile

from .models import Booking, Party, Review

WINDOW_DAYS = 90
CONFIRMATION_TARGET = timedelta(hours=2)
COVERAGE_RADIUS_KM = 5
COVERAGE_MIN_CLEANERS = 3
RATING_TARGET = 4.5
COVERAGE_SAMPLE = 500  # the latest bookings measured for coverage (one count query each)


@dataclass
class CityCoverage:
    city: str
    bookings: int = 0
    covered: int = 0

    @property
    def share(self) -> float | None:
        return self.covered / self.bookings if self.bookings else None


@dataclass
class Health:
    since: datetime
    requested: int
    median_confirmation: timedelta | None
    confirmed: int
    average_rating: float | None
    reviews: int
    repeat_customers: int
    customers: int
    cancelled_by: dict[str, int]
    coverage: list[CityCoverage] = field(default_factory=list)

    @property
    def confirmation_met(self) -> bool | None:
        return None if self.median_confirmation is None else self.median_confirmation < CONFIRMATION_TARGET

    @property
    def rating_met(self) -> bool | None:
        return None if self.average_rating is None else self.average_rating >= RATING_TARGET

    @property
    def repeat_rate(self) -> float | None:
        return self.repeat_customers / self.customers if self.customers else None

    def cancellation_rate(self, party: str) -> float | None:
        return self.cancelled_by.get(party, 0) / self.requested if self.requested else None

    @property
    def coverage_bookings(self) -> int:
        return sum(city.bookings for city in self.coverage)

    @property
    def coverage_share(self) -> float | None:
        total = self.coverage_bookings
        return sum(city.covered for city in self.coverage) / total if total else None


def _verified_listed_near(latitude: float, longitude: float) -> int:
    near = geo.Near(latitude=latitude, longitude=longitude, radius_km=COVERAGE_RADIUS_KM)
    verified = CleanerKYC.objects.filter(status=CleanerKYC.Status.VERIFIED).values("user_id")
    return (CleanerProfile.objects.filter(listed=True, user_id__in=verified, **geo.box_lookups(near))
            .alias(distance_metres=geo.distance_expression(near))
            .filter(distance_metres__lte=near.radius_metres).count())


def marketplace_health(*, now: datetime | None = None, days: int = WINDOW_DAYS) -> Health:
    now = now or timezone.now()
    since = now - timedelta(days=days)
    recent = Booking.objects.filter(created_at__gte=since)
    waits = [confirmed - created for created, confirmed in
             recent.filter(confirmed_at__isnull=False).values_list("created_at", "confirmed_at").iterator()]
    cancelled = dict(recent.filter(status=Booking.Status.CANCELLED).order_by().values_list("cancelled_by")
                     .annotate(n=Count("id")).values_list("cancelled_by", "n"))
    reviews = Review.objects.filter(hidden_at__isnull=True, created_at__gte=since).aggregate(
        average=Avg("rating"), count=Count("id"))
    completed_per_customer = list(Booking.objects.filter(status=Booking.Status.COMPLETED, created_at__gte=since)
                                  .order_by().values("customer_id").annotate(n=Count("id")).values_list("n", flat=True))
    by_city: dict[str, CityCoverage] = {}
    counted: dict[tuple[float, float], int] = {}  # points about 100 m apart count once
    sample = recent.select_related("cleaner").order_by("-created_at")[:COVERAGE_SAMPLE]
    for booking in sample:
        latitude = booking.latitude if booking.latitude is not None else booking.cleaner.latitude
        longitude = booking.longitude if booking.longitude is not None else booking.cleaner.longitude
        key = (round(latitude, 3), round(longitude, 3))
        if key not in counted:
            counted[key] = _verified_listed_near(latitude, longitude)
        city = by_city.setdefault(booking.city.casefold(), CityCoverage(city=booking.city))
        city.bookings += 1
        city.covered += counted[key] >= COVERAGE_MIN_CLEANERS
    return Health(
        since=since, requested=recent.count(), median_confirmation=statistics.median(waits) if waits else None,
        confirmed=len(waits), average_rating=reviews["average"], reviews=reviews["count"],
        repeat_customers=sum(1 for n in completed_per_customer if n >= 2), customers=len(completed_per_customer),
        cancelled_by={party: cancelled.get(party, 0) for party in (Party.CUSTOMER, Party.CLEANER, Party.SYSTEM)},
        coverage=sorted(by_city.values(), key=lambda city: (-city.bookings, city.city)))
