"""Finding cleaners and their free slots (reads only; pages and API alike).

Search is portable ORM only, and the database does all of it: the filters, the sort, the count and the
page. From a point, it narrows to the bounding box of the circle on the indexed latitude and longitude
(cleanit.geo.box_lookups) and computes the exact great-circle distance of those candidates
(cleanit.geo.distance_expression) to keep the circle and to sort by. A page is four queries whatever
its size (the count, the page's keys in order, their rows, their services), and only the page's rows
leave the database.

Free slots are the weekday's schedule (IST) minus the busy time marketplace.hooks' providers report,
on the SLOT_STEP_MINUTES grid, long enough for the service, never in the past."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cleanit import errors, geo
from cleanit import notices as geo_notices
from cleanit.db import only_match, parse_uuid

from . import hooks, notices, rules
from .errors import CleanerNotFound, DateOutOfRange, ServiceInactive, ServiceNotFound, ServiceNotOffered
from .models import CleanerProfile, ScheduleRange, ServicePackage

_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}
_SORT_ORDER = {"rating": ("-rating_avg", "-rating_count", "id"), "price": ("hourly_rate", "-rating_avg", "id")}


def _visible() -> QuerySet[CleanerProfile]:
    """Profiles whose cleaner may be seen: the account is active, not suspended, not deleted."""
    return CleanerProfile.objects.filter(user__is_active=True, user__suspended_at__isnull=True,
                                         user__deleted_at__isnull=True)


def listed() -> QuerySet[CleanerProfile]:
    """Profiles that appear in searches: visible, with at least one active package (the ``listed``
    flag marketplace.services.cleaner_listing_refresh keeps; no join)."""
    return CleanerProfile.objects.filter(listed=True)


def active_services() -> QuerySet[ServicePackage]:
    return ServicePackage.objects.filter(is_active=True).order_by("price", "name")


def with_details(queryset: QuerySet[CleanerProfile]) -> QuerySet[CleanerProfile]:
    """What a result card or a profile shows: the user, the KYC (verified badge), active services
    (``active_services``, cheapest first)."""
    return queryset.select_related("user", "user__kyc").prefetch_related(
        Prefetch("services", queryset=active_services(), to_attr="active_services"))


# --- search ----------------------------------------------------------------------------------------

def _flag(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def search_filters(*, city=None, lat=None, lng=None, radius_km=None, available=None, min_rating=None,
                   max_rate=None, service_type=None, q=None, sort=None) -> dict:
    """Query input (text from a page or the API) -> cleaner_search's arguments, or ValidationFailed naming
    every unusable field: a point, radius or distance sort cleanit.geo refuses, ``available`` not a yes/no,
    ``min_rating`` outside 0-5, ``max_rate`` not whole paise above 0, an unknown service type or sort.
    Empty values are no filter. The sort is by rating unless asked; by distance when only a point is given."""
    field_errors: dict[str, list[str]] = {}
    sort = (sort or "").strip() or None
    near = None
    try:
        near = geo.near_from_query(lat=lat, lng=lng, radius_km=radius_km, sort=sort)
    except errors.ValidationFailed as exc:
        field_errors.update(exc.fields)
    if sort is not None and sort not in rules.SEARCH_SORTS:
        field_errors["sort"] = [notices.sort_invalid()]
    only_available = _flag(available)
    if only_available is None:
        field_errors["available"] = [notices.NOT_A_YES_NO]
    rating = None
    if min_rating not in (None, ""):
        rating = _number(min_rating)
        if rating is None or not rules.RATING_RANGE[0] <= rating <= rules.RATING_RANGE[1]:
            field_errors["min_rating"] = [notices.min_rating_range()]
    rate = None
    if max_rate not in (None, ""):
        text = str(max_rate).strip()
        rate = int(text) if text.isdigit() else None
        if not rate:
            field_errors["max_rate"] = [notices.MAX_RATE_INVALID]
        else:  # no rate is higher, and a huge number must not reach the database
            rate = min(rate, rules.HOURLY_RATE_RANGE[1])
    service_type = (service_type or "").strip() or None
    if service_type is not None and service_type not in ServicePackage.ServiceType.values:
        field_errors["service_type"] = [notices.CHOOSE_SERVICE_TYPE]
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    return {"city": rules.city_key(city or "") or None, "near": near, "available": only_available,
            "min_rating": rating, "max_rate": rate, "service_type": service_type,
            "words": tuple(str(q or "").split()[:rules.SEARCH_MAX_WORDS]),
            "sort": sort or (geo.DISTANCE_SORT if near is not None else "rating")}


class SearchResults(Sequence):
    """A search's results in order, paged by the database: the count is one query; a slice (a page) is
    one query for the keys of its rows (narrow rows, so the database sorts every candidate cheaply) and
    one for those rows with their details (:func:`with_details`: the user, the KYC, the services).
    Django's and DRF's paginators take it as a list; iterating loads every result at once."""

    def __init__(self, ordered: QuerySet[CleanerProfile], *, with_distance: bool):
        self._ordered = ordered
        self._with_distance = with_distance
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._ordered.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __contains__(self, profile) -> bool:
        return any(found.pk == getattr(profile, "pk", None) for found in self)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index:index + 1] if index >= 0 else list(self)[index:index + 1 or None]
            if not found:
                raise IndexError(index)
            return found[0]
        fields = ("pk", "distance_metres") if self._with_distance else ("pk",)
        keys = list(self._ordered.values_list(*fields)[index])
        if not keys:
            return []
        loaded = {profile.pk: profile for profile in with_details(CleanerProfile.objects.filter(
            pk__in=[key[0] for key in keys]))}
        page = []
        for key in keys:
            profile = loaded.get(key[0])
            if profile is not None:  # gone between the two queries: left out of this page
                if self._with_distance:
                    profile.distance_metres = key[1]
                page.append(profile)
        return page


def cleaner_search(*, city: str | None = None, near: geo.Near | None = None, available: bool = False,
                   min_rating: float | None = None, max_rate: int | None = None, service_type: str | None = None,
                   words: tuple[str, ...] = (), sort: str = "rating") -> SearchResults:
    """Listed cleaners (see :func:`listed`) matching every filter given: the city (its key, any letter
    case), within ``near``'s radius (each with ``distance_km``), available now, rated at least
    ``min_rating``, an hourly rate of at most ``max_rate`` paise, an active package of ``service_type``,
    each of ``words`` in the name or the bio. Sorted by rating (average, then count, then id), price
    (hourly rate) or distance (needs ``near``). Arguments as search_filters returns them."""
    queryset = listed()
    if city:
        queryset = queryset.filter(city_key=city)
    if available:
        queryset = queryset.filter(is_available=True)
    if min_rating is not None:
        queryset = queryset.filter(rating_avg__gte=min_rating)
    if max_rate is not None:
        queryset = queryset.filter(hourly_rate__lte=max_rate)
    if service_type:
        queryset = queryset.filter(pk__in=active_services().filter(service_type=service_type).values("cleaner_id"))
    for word in words:
        queryset = queryset.filter(Q(user__name__icontains=word) | Q(bio__icontains=word))
    order = _SORT_ORDER.get(sort, _SORT_ORDER["rating"])
    if near is None:
        if sort == geo.DISTANCE_SORT:
            raise errors.ValidationFailed(fields={"sort": [geo_notices.POINT_NEEDED_FOR_DISTANCE_SORT]})
    else:
        queryset = queryset.filter(**geo.box_lookups(near)).annotate(
            distance_metres=geo.distance_expression(near)).filter(distance_metres__lte=near.radius_metres)
        if sort == geo.DISTANCE_SORT:
            order = ("distance_metres", "id")
    return SearchResults(queryset.order_by(*order), with_distance=near is not None)


CITIES_CACHE_KEY = "marketplace:cleaner-cities"
CITIES_CACHE_SECONDS = 300  # a city's first cleaner shows in the suggestions within this long


def cleaner_cities(*, fresh: bool = False) -> list[str]:
    """The cities of listed cleaners, once each whatever their letter case (as most spell it), A to Z: the
    suggestions of
    the city boxes (home, find cleaners). Cached for CITIES_CACHE_SECONDS: reading them scans every
    listed cleaner, and a suggestion a few minutes late misleads nobody (the search itself is never
    cached)."""
    cities = None if fresh else cache.get(CITIES_CACHE_KEY)
    if cities is None:
        spellings: dict[str, dict[str, int]] = {}
        for key, name, count in listed().order_by().values_list("city_key", "city").annotate(n=Count("id")) \
                .values_list("city_key", "city", "n"):
            spellings.setdefault(key, {})[name] = count
        # Each city once, as most of its cleaners spell it (capitals first on a tie: "Pune" before "pune").
        cities = sorted((min(names, key=lambda name: (-names[name], name)) for names in spellings.values()),
                        key=str.casefold)
        cache.set(CITIES_CACHE_KEY, cities, CITIES_CACHE_SECONDS)
    return cities


# --- one cleaner -----------------------------------------------------------------------------------

def cleaner_get(*, cleaner_id) -> CleanerProfile:
    """A visible cleaner's profile with its details and weekly schedule; CleanerNotFound (404) for an
    unknown id and for a suspended or deleted cleaner. A cleaner without an active package is shown
    (to its own cleaner, to a link) though not listed in searches."""
    pk = parse_uuid(cleaner_id)
    profile = only_match(with_details(_visible()).prefetch_related("schedule").filter(pk=pk)) if pk else None
    if profile is None:
        raise CleanerNotFound()
    return profile


def cleaner_services(*, profile: CleanerProfile) -> QuerySet[ServicePackage]:
    """The packages a cleaner offers (active), cheapest first."""
    return active_services().filter(cleaner=profile)


def packages_of(*, profile: CleanerProfile) -> QuerySet[ServicePackage]:
    """Every package of a cleaner, the inactive ones too (the cleaner's own dashboard)."""
    return ServicePackage.objects.filter(cleaner=profile).order_by("-is_active", "price", "name")


def schedule_of(*, profile: CleanerProfile) -> QuerySet[ScheduleRange]:
    return ScheduleRange.objects.filter(profile=profile).order_by("weekday", "start_minute")


def service_get(*, service_id) -> ServicePackage:
    """A package of a visible cleaner (inactive ones too: is_active says so); ServiceNotFound (404) otherwise."""
    pk = parse_uuid(service_id)
    package = only_match(ServicePackage.objects.filter(pk=pk, cleaner__in=_visible()).select_related("cleaner")) \
        if pk else None
    if package is None:
        raise ServiceNotFound()
    return package


# --- free slots ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, Asia/Kolkata
    end: datetime

    @property
    def start_label(self) -> str:
        return self.start.strftime("%H:%M")

    @property
    def end_label(self) -> str:
        """HH:MM; a slot ending at midnight ends at 24:00 of its day."""
        return "24:00" if self.end.time() == time.min and self.end.date() > self.start.date() \
            else self.end.strftime("%H:%M")


@dataclass(frozen=True)
class DaySlots:
    date: date
    service: ServicePackage
    slots: list[Slot]


def _ist_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges sorted and joined where they touch or overlap: 09:00-12:00 + 12:00-15:00 = 09:00-15:00."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _minus(free: list[tuple[int, int]], busy: list[tuple[int, int]]) -> list[tuple[int, int]]:
    for busy_start, busy_end in busy:
        remaining = []
        for start, end in free:
            if busy_end <= start or busy_start >= end:
                remaining.append((start, end))
                continue
            if start < busy_start:
                remaining.append((start, busy_start))
            if busy_end < end:
                remaining.append((busy_end, end))
        free = remaining
    return free


def free_slots(*, profile: CleanerProfile, service: ServicePackage, day: date,
               now: datetime | None = None) -> list[Slot]:
    """The slots in which ``service`` fits on ``day`` (an IST date): every SLOT_STEP_MINUTES start of the
    weekday's schedule minus busy time whose whole duration is free, none starting before ``now``.
    None for an unavailable cleaner. The caller checks the date's range (see slots_for)."""
    if not profile.is_available:
        return []
    midnight = _ist_midnight(day)
    ranges = list(ScheduleRange.objects.filter(profile=profile, weekday=day.weekday())
                  .values_list("start_minute", "end_minute"))
    if not ranges:
        return []
    day_end = midnight + timedelta(minutes=rules.MINUTES_PER_DAY)
    busy = []
    for busy_start, busy_end in hooks.busy_intervals(profile, midnight, day_end):
        start = math.floor((busy_start - midnight).total_seconds() / 60)
        end = math.ceil((busy_end - midnight).total_seconds() / 60)
        if end > 0 and start < rules.MINUTES_PER_DAY:
            busy.append((max(0, start), min(rules.MINUTES_PER_DAY, end)))
    step, duration = rules.SLOT_STEP_MINUTES, service.duration_minutes
    earliest = math.ceil((((now or timezone.now()) - midnight).total_seconds() / 60) / step) * step
    slots = []
    for start, end in _minus(_merged(ranges), busy):
        minute = math.ceil(max(start, earliest) / step) * step
        while minute + duration <= end:
            slots.append(Slot(start=midnight + timedelta(minutes=minute),
                              end=midnight + timedelta(minutes=minute + duration)))
            minute += step
    return slots


def _slot_date(value, today: date) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise errors.ValidationFailed(fields={"date": [notices.DATE_INVALID]}) from None
    if value < today:
        raise DateOutOfRange(notices.DATE_IN_PAST, fields={"date": [notices.DATE_IN_PAST]})
    if value > today + timedelta(days=rules.SLOT_HORIZON_DAYS):
        raise DateOutOfRange(notices.date_too_far(), fields={"date": [notices.date_too_far()]})
    return value


def slots_for(*, cleaner_id, date, service_id, now: datetime | None = None) -> DaySlots:
    """A visible cleaner's free slots on ``date`` (YYYY-MM-DD, IST) for one of their active services.
    CleanerNotFound / ServiceNotFound (404) for unknown ids; ValidationFailed (400) for a date that is not
    one or a service id missing or malformed; DateOutOfRange for a date in the past or more than
    SLOT_HORIZON_DAYS ahead; ServiceNotOffered for another cleaner's service, ServiceInactive for one no
    longer offered."""
    now = now or timezone.now()
    pk = parse_uuid(cleaner_id)  # the profile alone (one query): the slots need nothing of its details
    profile = only_match(_visible().select_related("user").filter(pk=pk)) if pk else None
    if profile is None:
        raise CleanerNotFound()
    service_pk = parse_uuid(service_id)
    if service_pk is None:
        raise errors.ValidationFailed(fields={"service_id": [notices.SERVICE_ID_INVALID]})
    day = _slot_date(date, timezone.localdate(now))
    service = only_match(ServicePackage.objects.filter(pk=service_pk))
    if service is None:
        raise ServiceNotFound()
    if service.cleaner_id != profile.pk:
        raise ServiceNotOffered(fields={"service_id": [ServiceNotOffered.default_message]})
    if not service.is_active:
        raise ServiceInactive(fields={"service_id": [ServiceInactive.default_message]})
    service.cleaner = profile  # already read (and its user): callers use it without another query
    return DaySlots(date=day, service=service, slots=free_slots(profile=profile, service=service, day=day, now=now))
