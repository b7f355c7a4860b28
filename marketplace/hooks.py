"""What the bookings app tells marketplace without marketplace importing it (dependencies point one way:
bookings -> marketplace). Bookings registers, at start-up:

- a busy-time provider: ``provider(profile, start, end)`` -> the (start, end) intervals (aware datetimes)
  in which the cleaner is taken between ``start`` and ``end`` (pending, confirmed, in-progress bookings).
  Free slots are the schedule minus every provider's intervals.
- a bookings check: ``check(package)`` -> True when the package has bookings, so deleting it only
  deactivates it (the bookings keep pointing at it).
- a dashboard sections provider: ``provider(request, profile)`` -> the DashboardSections it adds to the
  cleaner dashboard (booking requests, the upcoming schedule): a template and its context each, included
  by marketplace's dashboard template in the order given.
- a reviews provider: ``provider(profile)`` -> the cleaner's visible reviews (hidden ones left out), newest
  first, as ReviewItem: a sequence that counts (``count()`` or ``len``) and slices lazily, so lists page it
  without reading every review."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

T = TypeVar("T")
Interval = tuple[datetime, datetime]
BusyTimeProvider = Callable[[object, datetime, datetime], Iterable[Interval]]
PackageBookingsCheck = Callable[[object], bool]


@dataclass(frozen=True)
class DashboardSection:
    """One section of the cleaner dashboard an app adds: ``template`` is included with ``data`` =
    ``context`` (plus the page's own context: request, user, csrf_token)."""

    key: str
    template: str
    context: Mapping = field(default_factory=dict)


DashboardSectionsProvider = Callable[[object, object], Iterable[DashboardSection]]


@dataclass(frozen=True)
class ReviewItem:
    """A review as profiles and lists show it: no surname, no address, nothing of the booking but its
    service and date."""

    id: object
    booking_id: object
    rating: int
    comment: str
    customer_name: str  # the customer's first name
    service_name: str
    service_date: date  # the booking's date (Asia/Kolkata)
    created_at: datetime


ReviewsProvider = Callable[[object], Sequence[ReviewItem]]


class Registry(Generic[T]):
    """An ordered set of callbacks; registering one twice keeps one."""

    def __init__(self) -> None:
        self._items: list[T] = []

    def register(self, item: T) -> T:
        if item not in self._items:
            self._items.append(item)
        return item

    def unregister(self, item: T) -> None:
        if item in self._items:
            self._items.remove(item)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))


busy_time: Registry[BusyTimeProvider] = Registry()
package_bookings: Registry[PackageBookingsCheck] = Registry()
dashboard_sections_providers: Registry[DashboardSectionsProvider] = Registry()
register_busy_time = busy_time.register
register_package_bookings_check = package_bookings.register
register_dashboard_sections = dashboard_sections_providers.register
reviews: Registry[ReviewsProvider] = Registry()
register_reviews = reviews.register


def busy_intervals(profile, start: datetime, end: datetime) -> list[Interval]:
    """Every registered provider's busy intervals for the cleaner between ``start`` and ``end``."""
    return [interval for provider in busy_time for interval in provider(profile, start, end)]


def package_has_bookings(package) -> bool:
    return any(check(package) for check in package_bookings)


def dashboard_sections(request, profile) -> list[DashboardSection]:
    """Every registered provider's sections for the cleaner's dashboard, in registration order."""
    return [section for provider in dashboard_sections_providers for section in provider(request, profile)]


def reviews_of(profile) -> Sequence[ReviewItem]:
    """The cleaner's visible reviews, newest first: the provider's lazy sequence (one provider, as
    registered by bookings), every provider's merged when there are several, none without a provider."""
    providers = list(reviews)
    if not providers:
        return []
    if len(providers) == 1:
        return providers[0](profile)
    merged = [item for provider in providers for item in provider(profile)]
    return sorted(merged, key=lambda item: item.created_at, reverse=True)
