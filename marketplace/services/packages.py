"""A cleaner's service packages: creating, editing and deleting their own. Another cleaner's package is
"not found" (404), never refused with a hint that it exists. A package with bookings (marketplace.hooks)
is deactivated instead of deleted. Every change keeps the profile's ``min_active_price`` (the "from" price;
None keeps the cleaner out of searches)."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import Min

from cleanit import errors
from cleanit.db import parse_uuid

from .. import hooks, notices, rules
from ..errors import ServiceNotFound
from ..models import CleanerProfile, ServicePackage, User
from .cleaner_profile import cleaner_listing_refresh, is_whole_number, own_profile

PACKAGE_FIELDS = ("name", "description", "price", "duration_hours", "service_type", "is_active")
DELETED, DEACTIVATED = "deleted", "deactivated"


def _duration_minutes(hours) -> int | None:
    """Hours in half-hour steps (0.5, 2, 2.5...) -> minutes; None for anything else."""
    if isinstance(hours, bool) or not isinstance(hours, (int, float, Decimal)):
        return None
    if isinstance(hours, float) and not math.isfinite(hours):
        return None
    halves = Decimal(str(hours)) * 60 / rules.DURATION_STEP_MINUTES
    if halves != halves.to_integral_value():
        return None
    minutes = int(halves) * rules.DURATION_STEP_MINUTES
    return minutes if rules.DURATION_RANGE_MINUTES[0] <= minutes <= rules.DURATION_RANGE_MINUTES[1] else None


def _package_values(given: dict) -> dict:
    field_errors: dict[str, list[str]] = {}
    values: dict = {}
    for name, value in given.items():
        if name == "name":
            values[name] = " ".join(str(value).split())
            if not rules.PACKAGE_NAME_LENGTH[0] <= len(values[name]) <= rules.PACKAGE_NAME_LENGTH[1]:
                field_errors[name] = [notices.package_name_length()]
        elif name == "description":
            values[name] = str(value).strip()
            if len(values[name]) > rules.PACKAGE_DESCRIPTION_MAX:
                field_errors[name] = [notices.package_description_too_long()]
        elif name == "price":
            if not is_whole_number(value) or not rules.PACKAGE_PRICE_RANGE[0] <= value <= rules.PACKAGE_PRICE_RANGE[1]:
                field_errors[name] = [notices.package_price_range()]
            values[name] = value
        elif name == "duration_hours":
            minutes = _duration_minutes(value)
            if minutes is None:
                field_errors[name] = [notices.duration_range()]
            values["duration_minutes"] = minutes
        elif name == "service_type":
            if value not in ServicePackage.ServiceType.values:
                field_errors[name] = [notices.CHOOSE_SERVICE_TYPE]
            values[name] = value
        elif name == "is_active":
            if not isinstance(value, bool):
                field_errors[name] = [notices.NOT_A_YES_NO]
            values[name] = value
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    return values


def min_active_price_refresh(profile: CleanerProfile) -> None:
    """The profile's "from" price is its cheapest active package's (None without one); the listing
    follows (cleaner_listing_refresh)."""
    cheapest = ServicePackage.objects.filter(cleaner=profile, is_active=True).aggregate(low=Min("price"))["low"]
    CleanerProfile.objects.filter(pk=profile.pk).update(min_active_price=cheapest)
    profile.min_active_price = cheapest
    profile.listed = cleaner_listing_refresh(user_id=profile.user_id)


def _given(**fields) -> dict:
    return {name: value for name, value in fields.items() if value is not None}


def package_create(*, user: User, name: str | None = None, price: int | None = None,
                   duration_hours: float | None = None, service_type: str | None = None,
                   description: str | None = None, is_active: bool | None = None) -> ServicePackage:
    """A new package of the signed-in cleaner (active unless said otherwise); the description may be left out."""
    profile = own_profile(user)
    given = _given(name=name, description=description, price=price, duration_hours=duration_hours,
                   service_type=service_type, is_active=is_active)
    missing = {field: [notices.REQUIRED] for field in ("name", "price", "duration_hours", "service_type")
               if field not in given}
    try:
        values = _package_values(given)
    except errors.ValidationFailed as exc:
        raise errors.ValidationFailed(fields={**missing, **exc.fields}) from None
    if missing:
        raise errors.ValidationFailed(fields=missing)
    package = ServicePackage.objects.create(cleaner=profile, **values)
    min_active_price_refresh(profile)
    return package


def own_package(*, user: User, package_id) -> ServicePackage:
    """The signed-in cleaner's package; ServiceNotFound (404) for an unknown id and for another cleaner's."""
    profile = own_profile(user)
    pk = parse_uuid(package_id)
    package = ServicePackage.objects.select_related("cleaner__user").filter(pk=pk, cleaner=profile).first() \
        if pk else None
    if package is None:
        raise ServiceNotFound()
    return package


def package_update(*, user: User, package_id, name: str | None = None, price: int | None = None,
                   duration_hours: float | None = None, service_type: str | None = None,
                   description: str | None = None, is_active: bool | None = None) -> ServicePackage:
    """Change the given fields (None: left as it is) of one of the cleaner's own packages."""
    package = own_package(user=user, package_id=package_id)
    values = _package_values(_given(name=name, description=description, price=price, duration_hours=duration_hours,
                                    service_type=service_type, is_active=is_active))
    if values:
        ServicePackage.objects.filter(pk=package.pk).update(**values)
        for field, value in values.items():
            setattr(package, field, value)
        min_active_price_refresh(package.cleaner)
    return package


def package_delete(*, user: User, package_id) -> tuple[str, ServicePackage]:
    """Delete one of the cleaner's own packages, or only deactivate it when it has bookings.
    Returns (DELETED or DEACTIVATED, the package as it was left)."""
    package = own_package(user=user, package_id=package_id)
    if hooks.package_has_bookings(package):
        ServicePackage.objects.filter(pk=package.pk).update(is_active=False)
        package.is_active = False
        outcome = DEACTIVATED
    else:
        ServicePackage.objects.filter(pk=package.pk).delete()
        outcome = DELETED
    min_active_price_refresh(package.cleaner)
    return outcome, package
