"""The numbers cleaner profiles, service packages, discovery and free slots live by. Models, services
and selectors enforce them and notices quote them, from here. Locations must be in India
(cleanit.geo.INDIA_LATITUDE / INDIA_LONGITUDE); a search radius is cleanit.geo's (MAX_RADIUS_KM...)."""

from __future__ import annotations

import re

from cleanit.money import format_inr

BIO_MAX = 500
EXPERIENCE_MAX_YEARS = 60
HOURLY_RATE_RANGE = (100_00, 5_000_00)  # ₹100 to ₹5,000 an hour, in paise
STREET_MAX = 200
CITY_MAX = 60
STATE_MAX = 60
PINCODE = re.compile(r"^[1-9]\d{5}$")  # six digits; no Indian PIN code starts with 0

PACKAGE_NAME_LENGTH = (3, 100)
PACKAGE_DESCRIPTION_MAX = 1000
PACKAGE_PRICE_RANGE = (100_00, 1_00_000_00)  # ₹100 to ₹1,00,000, in paise
DURATION_STEP_MINUTES = 30  # durations are given in half hours
DURATION_RANGE_MINUTES = (30, 12 * 60)

MINUTES_PER_DAY = 24 * 60
SCHEDULE_STEP_MINUTES = 30  # schedule ranges start and end on the half hour (IST)
# Ranges may not overlap, so a day holds at most this many.
SCHEDULE_MAX_RANGES = 7 * MINUTES_PER_DAY // SCHEDULE_STEP_MINUTES
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

SLOT_STEP_MINUTES = 30  # a slot may start every half hour of a free range
SLOT_HORIZON_DAYS = 60  # slots are offered up to this many days ahead (IST dates)

RATING_RANGE = (0, 5)
SEARCH_SORTS = ("rating", "distance", "price")
SEARCH_MAX_WORDS = 8  # words of ``q`` used; more only slow the search down


def hours(minutes: int) -> float:
    """A duration in minutes as the API's hours (0.5 steps): 150 -> 2.5."""
    return minutes / 60


def duration_label(minutes: int) -> str:
    """'30 min', '1 h', '2 h 30 min'."""
    whole, rest = divmod(minutes, 60)
    parts = ([f"{whole} h"] if whole else []) + ([f"{rest} min"] if rest else [])
    return " ".join(parts) or "0 min"


def clock(minute_of_day: int) -> str:
    """Minutes after midnight as HH:MM (1440, the end of the day, is 24:00)."""
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def city_key(city: str) -> str:
    """The city as searched and stored beside the name: " Navi  MUMBAI " -> "navi mumbai"."""
    return " ".join((city or "").split()).casefold()


def inr_range(bounds: tuple[int, int]) -> str:
    return f"{format_inr(bounds[0])} to {format_inr(bounds[1])}"
