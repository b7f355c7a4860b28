"""Texts of the project-wide helpers (cleanit.geo's searches from a point), for pages and the API alike."""

from __future__ import annotations

POINT_INCOMPLETE = "Give both the latitude and the longitude."
POINT_OUTSIDE_INDIA = "The point must be in India."
NOT_A_NUMBER = {"lat": "The latitude must be a number.", "lng": "The longitude must be a number.",
                "radius_km": "The radius must be a number of kilometres."}
POINT_NEEDED_FOR_DISTANCE_SORT = "Sorting by distance needs a point: give the latitude and the longitude."


def radius_out_of_range(max_km: int) -> str:
    return f"The radius must be more than 0 and at most {max_km} km."


def distance_away(km: float) -> str:
    """'850 m away', '2.4 km away'."""
    if km < 1:
        return f"{round(km * 100) * 10} m away"
    return f"{km:.1f} km away"
