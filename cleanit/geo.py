"""Distances on the Earth's surface (haversine), for spam clusters, photo evidence and searches from a point.

A search from a point stays portable (no database geo functions): :func:`box_lookups` narrows the
candidates to a latitude/longitude bounding box in the ORM, and either :func:`within` keeps those whose
exact haversine distance is inside the radius (in Python, for small candidate sets), or
:func:`distance_expression` has the database compute the same haversine with the math functions both
stores have (SQLite's sin/cos/asin/sqrt, MongoDB's $sin/$cos/$asin/$sqrt), to filter, sort and count
there."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from cleanit import errors, notices

EARTH_RADIUS_METRES = 6_371_000
# India's extent, generously rounded (mainland, islands and borders).
INDIA_LATITUDE = (6.0, 37.6)
INDIA_LONGITUDE = (68.0, 97.5)
MAX_RADIUS_KM = 100
DEFAULT_RADIUS_KM = 10
RADIUS_CHOICES_KM = (2, 5, 10, 25, 50, 100)
DISTANCE_SORT = "distance"
# Float rounding must never drop a point lying on the radius from the box (about a millimetre).
_BOX_MARGIN_DEGREES = 1e-8

T = TypeVar("T")


def distance_metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Near:
    """A point and a radius to search around."""

    latitude: float
    longitude: float
    radius_km: float

    @property
    def radius_metres(self) -> float:
        return self.radius_km * 1000


def box_lookups(near: Near, *, latitude: str = "latitude", longitude: str = "longitude") -> dict:
    """ORM lookups for the smallest latitude/longitude box holding the whole circle (every point within
    the radius is inside; corners are not within it, :func:`within` drops them)."""
    angle = near.radius_metres / EARTH_RADIUS_METRES
    d_lat = math.degrees(angle)
    # The circle is widest in longitude north or south of its centre's latitude, by asin(sin r / cos lat).
    ratio = math.sin(angle) / max(1e-12, math.cos(math.radians(near.latitude)))
    d_lng = 180.0 if ratio >= 1 else math.degrees(math.asin(ratio))
    d_lat, d_lng = d_lat + _BOX_MARGIN_DEGREES, d_lng + _BOX_MARGIN_DEGREES
    return {f"{latitude}__range": (near.latitude - d_lat, near.latitude + d_lat),
            f"{longitude}__range": (near.longitude - d_lng, near.longitude + d_lng)}


def distance_expression(near: Near, *, latitude: str = "latitude", longitude: str = "longitude"):
    """An ORM expression: each row's haversine distance in metres from ``near``'s point, the formula of
    :func:`distance_metres`, in plain arithmetic and Sin, Cos, ASin, Sqrt (no Radians or Power, which
    the stores translate differently). Filter it with ``__lte=near.radius_metres`` after
    :func:`box_lookups`, which lets an index narrow the rows it is computed for."""
    from django.db.models import ExpressionWrapper, F, FloatField, Value
    from django.db.models.functions import ASin, Cos, Sin, Sqrt

    half = Value(math.pi / 360)  # degrees -> radians, halved
    sin_lat = Sin((F(latitude) - Value(near.latitude)) * half)
    sin_lng = Sin((F(longitude) - Value(near.longitude)) * half)
    cosines = Value(math.cos(math.radians(near.latitude))) * Cos(F(latitude) * Value(math.pi / 180))
    a = sin_lat * sin_lat + cosines * sin_lng * sin_lng
    return ExpressionWrapper(Value(2.0 * EARTH_RADIUS_METRES) * ASin(Sqrt(a)), output_field=FloatField())


def within(candidates: Iterable[T], near: Near, *, position: Callable[[T], tuple[float, float]]) \
        -> list[tuple[T, float]]:
    """The candidates within the radius, each with its distance in metres, in the candidates' order."""
    found = []
    for candidate in candidates:
        metres = distance_metres(near.latitude, near.longitude, *position(candidate))
        if metres <= near.radius_metres:
            found.append((candidate, metres))
    return found


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def near_from_query(*, lat=None, lng=None, radius_km=None, sort: str | None = None) -> Near | None:
    """Query input (text or numbers) -> the point to search around, or None when none is asked for.
    ValidationFailed, with messages on ``lat``, ``lng``, ``radius_km`` or ``sort``, for input that cannot
    be used: half a point, not a number, outside India, a radius outside (0, MAX_RADIUS_KM], a distance
    sort without a point. A valid radius without a point is no search (a page's radius select is always
    sent)."""
    field_errors: dict[str, list[str]] = {}
    radius = DEFAULT_RADIUS_KM if radius_km in (None, "") else _number(radius_km)
    if radius is None:
        field_errors["radius_km"] = [notices.NOT_A_NUMBER["radius_km"]]
    elif not 0 < radius <= MAX_RADIUS_KM:
        field_errors["radius_km"] = [notices.radius_out_of_range(MAX_RADIUS_KM)]
    given = {name: value for name, value in (("lat", lat), ("lng", lng)) if value not in (None, "")}
    if not given:
        if sort == DISTANCE_SORT:
            field_errors["sort"] = [notices.POINT_NEEDED_FOR_DISTANCE_SORT]
        if field_errors:
            raise errors.ValidationFailed(fields=field_errors)
        return None
    point = {}
    for name, (low, high) in (("lat", INDIA_LATITUDE), ("lng", INDIA_LONGITUDE)):
        number = _number(given[name]) if name in given else None
        if name not in given:
            field_errors[name] = [notices.POINT_INCOMPLETE]
        elif number is None:
            field_errors[name] = [notices.NOT_A_NUMBER[name]]
        elif not low <= number <= high:
            field_errors[name] = [notices.POINT_OUTSIDE_INDIA]
        else:
            point[name] = number
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    return Near(latitude=point["lat"], longitude=point["lng"], radius_km=radius)
