"""Reads: a participant's bookings and one booking (404 for anyone else), the alternatives shown after a
cleaner cancels, a booking's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from cleanit import geo
from cleanit.db import parse_uuid
from marketplace import selectors as marketplace_selectors
from marketplace.models import CleanerProfile, ServicePackage

from . import rules
from .errors import BookingNotFound
from .models import Booking

LIST_FILTERS = ("upcoming", "past", "cancelled")
ALTERNATIVES_RADIUS_KM = 25  # how far from the booked cleaner other cleaners are looked for
ALTERNATIVES_CANDIDATES = 20  # the nearest this many are checked for a free slot


def _participant(user) -> Q:
    return Q(customer=user) | Q(cleaner__user=user)


def _with_details(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related("customer", "cleaner__user", "cleaner__user__kyc", "service", "payment")


def bookings_for(*, user, show: str | None = None, as_cleaner: bool | None = None,
                 now: datetime | None = None) -> QuerySet[Booking]:
    """The user's bookings (as customer and as cleaner, or only one side): ``upcoming`` (live, soonest
    first), ``past`` (completed, latest first), ``cancelled`` (latest first), or all (latest first)."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    side = _participant(user) if as_cleaner is None else Q(cleaner__user=user) if as_cleaner else Q(customer=user)
    queryset = _with_details(Booking.objects.filter(side))
    if show == "upcoming":
        return queryset.filter(status__in=Booking.LIVE).order_by("starts_at", "id")
    if show == "past":
        return queryset.filter(status=Booking.Status.COMPLETED).order_by("-starts_at", "id")
    if show == "cancelled":
        return queryset.filter(status=Booking.Status.CANCELLED).order_by("-starts_at", "id")
    return queryset.order_by("-starts_at", "id")


def booking_for_participant(*, user, booking_id) -> Booking:
    """One of the user's bookings; BookingNotFound (404) for an unknown id and for anyone else's."""
    pk = parse_uuid(booking_id)
    booking = _with_details(Booking.objects.filter(_participant(user), pk=pk)).first() \
        if pk and getattr(user, "is_authenticated", False) else None
    if booking is None:
        raise BookingNotFound()
    return booking


def timeline(*, booking: Booking):
    return booking.events.select_related("actor").order_by("created_at", "id")


@dataclass(frozen=True)
class Alternative:
    cleaner: CleanerProfile
    service: ServicePackage
    distance_km: float


def alternatives_for(*, booking: Booking, now: datetime | None = None) -> list[Alternative]:
    """Up to ALTERNATIVES_MAX other listed cleaners free at the booking's start for a service of the same
    type (their cheapest), nearest to the booked cleaner first. Empty once the start has passed."""
    now = now or timezone.now()
    if booking.starts_at <= now:
        return []
    origin = booking.cleaner
    near = geo.Near(latitude=origin.latitude, longitude=origin.longitude, radius_km=ALTERNATIVES_RADIUS_KM)
    candidates = marketplace_selectors.cleaner_search(near=near, service_type=booking.service_type,
                                                      available=True, sort=geo.DISTANCE_SORT)
    found: list[Alternative] = []
    day = booking.local_start.date()
    for profile in candidates[:ALTERNATIVES_CANDIDATES + 1]:
        if profile.pk == origin.pk:
            continue
        services = [service for service in profile.active_services if service.service_type == booking.service_type]
        for service in services:  # cheapest first
            slots = marketplace_selectors.free_slots(profile=profile, service=service, day=day, now=now)
            if any(slot.start == booking.local_start for slot in slots):
                found.append(Alternative(cleaner=profile, service=service, distance_km=profile.distance_km))
                break
        if len(found) >= rules.ALTERNATIVES_MAX:
            break
    return found
