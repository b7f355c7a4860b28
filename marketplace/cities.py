"""Centres of the cities Cleanit serves, so a person without "Use my location" can still search by
distance ("within 5 km of central Pune"): the point maps usually give for the city."""

from __future__ import annotations

from .rules import city_key

CITY_CENTRES: dict[str, tuple[float, float]] = {
    "mumbai": (19.0760, 72.8777),
    "delhi": (28.6139, 77.2090),
    "new delhi": (28.6139, 77.2090),
    "bengaluru": (12.9716, 77.5946),
    "bangalore": (12.9716, 77.5946),
    "chennai": (13.0827, 80.2707),
    "hyderabad": (17.3850, 78.4867),
    "kolkata": (22.5726, 88.3639),
    "pune": (18.5204, 73.8567),
    "ahmedabad": (23.0225, 72.5714),
}


def centre_of(city: str | None) -> tuple[float, float] | None:
    """The centre of a city Cleanit knows, by name in any letter case and spacing; None for others."""
    return CITY_CENTRES.get(city_key(city or ""))
