"""A cleaner's own profile: creating and editing it, the availability toggle and the weekly schedule.
Only an active cleaner (not suspended, not deleted) writes these; the rules' numbers are in
marketplace.rules and the messages quoting them in marketplace.notices."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import time

from django.db import IntegrityError
from django.db.models import F, Q, Value
from django.utils import timezone

from cleanit import errors, geo
from cleanit.db import atomic, only_match

from .. import notices, rules
from ..errors import AccountSuspended, NotACleaner, ProfileRequired
from ..models import CleanerProfile, ScheduleRange, User

PROFILE_FIELDS = ("bio", "experience_years", "hourly_rate", "street", "city", "state", "pincode", "latitude",
                  "longitude")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def cleaner_check(user: User) -> None:
    """NotACleaner (403) for anyone but a cleaner; AccountSuspended (403) for a suspended or deleted one."""
    if not getattr(user, "is_authenticated", False) or not user.is_cleaner:
        raise NotACleaner(notices.ONLY_CLEANERS_OFFER)
    if user.is_suspended or user.is_deleted or not user.is_active:
        raise AccountSuspended()


def own_profile(user: User) -> CleanerProfile:
    """The signed-in cleaner's profile; ProfileRequired (404) before they create one."""
    cleaner_check(user)
    profile = only_match(CleanerProfile.objects.select_related("user").filter(user=user))
    if profile is None:
        raise ProfileRequired()
    return profile


def cleaner_listing_refresh(*, user_id, now=None) -> bool:
    """Set the ``listed`` flag of the user's profile (if any) from what it stands for: the account is
    active, not suspended, not deleted, no search suspension runs, and the profile has an active package.
    Called after every change to any of these (the package services, suspension, reactivation, deletion,
    a search suspension and its end). Returns the flag."""
    now = now or timezone.now()
    visible = User.objects.filter(pk=user_id, is_active=True, suspended_at__isnull=True,
                                  deleted_at__isnull=True).exists()
    profiles = CleanerProfile.objects.filter(user_id=user_id)
    searchable = Q(min_active_price__isnull=False) & (Q(search_suspended_until__isnull=True)
                                                       | Q(search_suspended_until__lte=now))
    profiles.filter(searchable).exclude(listed=visible).update(listed=visible)
    profiles.exclude(searchable).filter(listed=True).update(listed=False)
    return profiles.filter(listed=True).exists()


def is_whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value, limit: int, field_errors: dict, name: str) -> str:
    """A one-line field (street, city, state): spaces collapsed, required, at most ``limit`` characters."""
    text = " ".join(str(value).split())
    if not text or len(text) > limit:
        field_errors[name] = [notices.text_required(limit)]
    return text


def _profile_values(given: dict) -> dict:
    """The given fields checked and normalised, or ValidationFailed naming every broken rule."""
    field_errors: dict[str, list[str]] = {}
    values: dict = {}
    limits = {"street": rules.STREET_MAX, "city": rules.CITY_MAX, "state": rules.STATE_MAX}
    for name, value in given.items():
        if name in limits:
            values[name] = _text(value, limits[name], field_errors, name)
        elif name == "bio":
            values[name] = str(value).strip()
            if len(values[name]) > rules.BIO_MAX:
                field_errors[name] = [notices.bio_too_long()]
        elif name == "experience_years":
            if not is_whole_number(value) or not 0 <= value <= rules.EXPERIENCE_MAX_YEARS:
                field_errors[name] = [notices.experience_range()]
            values[name] = value
        elif name == "hourly_rate":
            if not is_whole_number(value) or not rules.HOURLY_RATE_RANGE[0] <= value <= rules.HOURLY_RATE_RANGE[1]:
                field_errors[name] = [notices.hourly_rate_range()]
            values[name] = value
        elif name == "pincode":
            pincode = re.sub(r"\s", "", str(value))
            if not rules.PINCODE.match(pincode):
                field_errors[name] = [notices.PINCODE_INVALID]
            values[name] = pincode
        elif name in ("latitude", "longitude"):
            low, high = geo.INDIA_LATITUDE if name == "latitude" else geo.INDIA_LONGITUDE
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) \
                    or not low <= value <= high:
                field_errors[name] = [notices.LOCATION_OUTSIDE_INDIA]
            else:
                values[name] = float(value)
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    if "city" in values:
        values["city_key"] = rules.city_key(values["city"])
    return values


def profile_save(*, user: User, bio: str | None = None, experience_years: int | None = None,
                 hourly_rate: int | None = None, street: str | None = None, city: str | None = None,
                 state: str | None = None, pincode: str | None = None, latitude: float | None = None,
                 longitude: float | None = None) -> tuple[CleanerProfile, bool]:
    """Create the cleaner's profile, or change the fields given (None: left as it is). Creating needs every
    field but the bio. Returns the profile and whether it was created."""
    cleaner_check(user)
    given = {name: value for name, value in (
        ("bio", bio), ("experience_years", experience_years), ("hourly_rate", hourly_rate), ("street", street),
        ("city", city), ("state", state), ("pincode", pincode), ("latitude", latitude), ("longitude", longitude),
    ) if value is not None}
    existing = CleanerProfile.objects.filter(user=user).first()
    if existing is None:
        missing = {name: [notices.REQUIRED] for name in PROFILE_FIELDS if name != "bio" and name not in given}
        try:
            values = _profile_values(given)
        except errors.ValidationFailed as exc:
            raise errors.ValidationFailed(fields={**missing, **exc.fields}) from None
        if missing:
            raise errors.ValidationFailed(fields=missing)
        try:
            with atomic():
                return CleanerProfile.objects.create(user=user, **values), True
        except IntegrityError:  # a second first save at the same moment: it becomes an update
            existing = CleanerProfile.objects.get(user=user)
    values = _profile_values(given)
    if values:
        CleanerProfile.objects.filter(pk=existing.pk).update(**values)
    return CleanerProfile.objects.select_related("user").get(pk=existing.pk), False


def availability_set(*, user: User, is_available: bool) -> CleanerProfile:
    """The availability toggle: an unavailable cleaner is not 'available' in searches and offers no slots."""
    profile = own_profile(user)
    if not isinstance(is_available, bool):
        raise errors.ValidationFailed(fields={"is_available": [notices.NOT_A_YES_NO]})
    CleanerProfile.objects.filter(pk=profile.pk).update(is_available=is_available)
    profile.is_available = is_available
    return profile


def profile_rating_add(*, profile: CleanerProfile, rating: int) -> None:
    """Count one more rating (1-5) in a single update: total, count and average move together, with F()
    so that two reviews at the same moment both count."""
    if not is_whole_number(rating) or not 1 <= rating <= rules.RATING_RANGE[1]:
        raise ValueError(f"a rating is a whole number from 1 to {rules.RATING_RANGE[1]}, not {rating!r}")
    CleanerProfile.objects.filter(pk=profile.pk).update(
        rating_total=F("rating_total") + rating, rating_count=F("rating_count") + 1,
        rating_avg=(F("rating_total") + rating) * Value(1.0) / (F("rating_count") + 1))


def profile_rating_remove(*, profile: CleanerProfile, rating: int) -> bool:
    """Take one rating (1-5) back out (a review hidden by an admin), the inverse of profile_rating_add:
    total, count and average move together in one conditional update with F(), so concurrent reviews
    and removals all count. Removing the last rating leaves the average at 0 (no ratings: 'New').
    False when the profile has no such rating to remove."""
    if not is_whole_number(rating) or not 1 <= rating <= rules.RATING_RANGE[1]:
        raise ValueError(f"a rating is a whole number from 1 to {rules.RATING_RANGE[1]}, not {rating!r}")
    for _ in range(10):  # each try is one conditional update; only a concurrent change of the count retries
        if CleanerProfile.objects.filter(pk=profile.pk, rating_count__gt=1, rating_total__gte=rating + 1).update(
                rating_total=F("rating_total") - rating, rating_count=F("rating_count") - 1,
                rating_avg=(F("rating_total") - rating) * Value(1.0) / (F("rating_count") - 1)):
            return True
        if CleanerProfile.objects.filter(pk=profile.pk, rating_count=1, rating_total=rating).update(
                rating_total=0, rating_count=0, rating_avg=0):
            return True
        current = CleanerProfile.objects.filter(pk=profile.pk).values_list("rating_count", "rating_total").first()
        if current is None or current[0] == 0 or (current[0] == 1 and current[1] != rating):
            return False
    return False


def _minute_of_day(value) -> int | None:
    """'09:30' or time(9, 30) -> 570; '24:00' -> 1440 (the end of the day); None when it is neither."""
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    match = _CLOCK.match(str(value).strip()) if isinstance(value, str) else None
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if minute >= 60 or hour > 24 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def _weekday(value) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if is_whole_number(value) and 0 <= value <= 6 else None


def schedule_ranges_check(ranges: Iterable[Mapping]) -> list[tuple[int, int, int]]:
    """``[{"weekday": 0, "start": "09:00", "end": "13:00"}, ...]`` -> [(weekday, start_minute, end_minute)],
    or ValidationFailed with the problems of each range under ``ranges.<index>.<weekday|start|end>``:
    a weekday outside 0-6, a time not HH:MM or off the grid, an end not after the start, or an overlap
    with another range of that day."""
    ranges = list(ranges)
    field_errors: dict[str, list[str]] = {}
    if len(ranges) > rules.SCHEDULE_MAX_RANGES:
        raise errors.ValidationFailed(fields={"ranges": [notices.too_many_ranges()]})
    checked: list[tuple[int, int, int, int]] = []
    for index, item in enumerate(ranges):
        prefix = f"ranges.{index}"
        if not isinstance(item, Mapping):
            field_errors[prefix] = [notices.TIME_INVALID]
            continue
        weekday = _weekday(item.get("weekday"))
        start, end = _minute_of_day(item.get("start")), _minute_of_day(item.get("end"))
        if weekday is None:
            field_errors[f"{prefix}.weekday"] = [notices.WEEKDAY_INVALID]
        for name, minute in (("start", start), ("end", end)):
            if minute is None:
                field_errors[f"{prefix}.{name}"] = [notices.TIME_INVALID]
            elif minute % rules.SCHEDULE_STEP_MINUTES:
                field_errors[f"{prefix}.{name}"] = [notices.time_off_grid()]
        if start is not None and end is not None and f"{prefix}.end" not in field_errors:
            if start == rules.MINUTES_PER_DAY:
                field_errors[f"{prefix}.start"] = [notices.TIME_INVALID]
            elif end <= start:
                field_errors[f"{prefix}.end"] = [notices.END_BEFORE_START]
        if not any(key == prefix or key.startswith(prefix + ".") for key in field_errors):
            checked.append((weekday, start, end, index))
    checked.sort()
    for (day, start, end, _), (next_day, next_start, next_end, next_index) in zip(checked, checked[1:]):
        if day == next_day and next_start < end:
            field_errors.setdefault(f"ranges.{next_index}.start", []).append(notices.overlaps(day, start, end))
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    return [(day, start, end) for day, start, end, _ in checked]


def schedule_set(*, user: User, ranges: Iterable[Mapping]) -> list[ScheduleRange]:
    """Replace the cleaner's whole weekly schedule (IST) with ``ranges``, all or nothing."""
    profile = own_profile(user)
    checked = schedule_ranges_check(ranges)
    with atomic():
        ScheduleRange.objects.filter(profile=profile).delete()
        ScheduleRange.objects.bulk_create([
            ScheduleRange(profile=profile, weekday=day, start_minute=start, end_minute=end)
            for day, start, end in checked])
    return list(ScheduleRange.objects.filter(profile=profile).order_by("weekday", "start_minute"))
