"""Points at an exact great-circle distance from another, for searches from a point."""

import math

from cleanit.geo import EARTH_RADIUS_METRES

# A centre in Bengaluru, and the bearings that test the box's two axes and its corners.
CENTRE = (12.9716, 77.5946)
NORTH, EAST, NORTH_EAST, SOUTH_WEST = 0, 90, 45, 225


def point_at(origin: tuple[float, float], km: float, bearing_degrees: float) -> tuple[float, float]:
    """The point ``km`` away from ``origin`` along ``bearing_degrees`` (0 = north, 90 = east)."""
    lat1, lng1 = map(math.radians, origin)
    angle, bearing = km * 1000 / EARTH_RADIUS_METRES, math.radians(bearing_degrees)
    lat2 = math.asin(math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing))
    lng2 = lng1 + math.atan2(math.sin(bearing) * math.sin(angle) * math.cos(lat1),
                             math.cos(angle) - math.sin(lat1) * math.sin(lat2))
    return math.degrees(lat2), math.degrees(lng2)
