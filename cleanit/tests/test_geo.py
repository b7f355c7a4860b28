"""Searches from a point: the bounding box holds the whole circle, the haversine decides, and query
input that cannot be used is refused field by field."""

import pytest

from cleanit import errors, geo
from tests.geo import CENTRE, point_at


def _in_box(point, lookups) -> bool:
    (lat_low, lat_high), (lng_low, lng_high) = lookups["latitude__range"], lookups["longitude__range"]
    return lat_low <= point[0] <= lat_high and lng_low <= point[1] <= lng_high


@pytest.mark.parametrize("origin", [CENTRE, (8.08, 77.55), (34.16, 77.58)])  # Bengaluru, Kanyakumari, Leh
@pytest.mark.parametrize("radius_km", [0.1, 10, 100])
def test_the_box_holds_every_point_of_the_circle(origin, radius_km):
    near = geo.Near(latitude=origin[0], longitude=origin[1], radius_km=radius_km)
    lookups = geo.box_lookups(near)
    edge = [point_at(origin, radius_km * 0.9999, bearing) for bearing in range(0, 360, 5)]
    assert all(_in_box(point, lookups) for point in edge)
    # ... and is not much bigger than the circle: just outside it, due north and due east, is out.
    assert not _in_box(point_at(origin, radius_km * 1.01, 0), lookups)
    assert not _in_box(point_at(origin, radius_km * 1.01, 90), lookups)


def test_within_keeps_only_points_inside_the_radius_in_their_order():
    near = geo.Near(latitude=CENTRE[0], longitude=CENTRE[1], radius_km=10)
    points = {"north 9.9": point_at(CENTRE, 9.9, 0), "corner 10.1": point_at(CENTRE, 10.1, 45),
              "east 9.99": point_at(CENTRE, 9.99, 90), "south 10.1": point_at(CENTRE, 10.1, 180)}
    found = geo.within(points.items(), near, position=lambda item: item[1])
    assert [name for (name, _), _ in found] == ["north 9.9", "east 9.99"]
    assert [round(metres) for _, metres in found] == [9900, 9990]
    # the corner point is inside the box: only the haversine keeps it out
    assert _in_box(points["corner 10.1"], geo.box_lookups(near))


class TestNearFromQuery:
    def test_no_point_is_no_search(self):
        assert geo.near_from_query() is None
        assert geo.near_from_query(lat="", lng="", radius_km="") is None
        assert geo.near_from_query(radius_km="25") is None  # a page's radius select is always sent

    def test_text_and_numbers_are_read_with_a_default_radius(self):
        assert geo.near_from_query(lat="12.97", lng="77.59") == geo.Near(12.97, 77.59, geo.DEFAULT_RADIUS_KM)
        assert geo.near_from_query(lat=12.97, lng=77.59, radius_km="2.5", sort="distance").radius_km == 2.5
        assert geo.near_from_query(lat="12.97", lng="77.59", radius_km=str(geo.MAX_RADIUS_KM)).radius_km == 100

    @pytest.mark.parametrize("query,fields", [
        ({"lat": "12.97"}, {"lng"}),
        ({"lng": "77.59"}, {"lat"}),
        ({"lat": "north", "lng": "77.59"}, {"lat"}),
        ({"lat": "nan", "lng": "inf"}, {"lat", "lng"}),
        ({"lat": "51.5", "lng": "-0.12"}, {"lat", "lng"}),  # London
        ({"lat": "12.97", "lng": "77.59", "radius_km": "0"}, {"radius_km"}),
        ({"lat": "12.97", "lng": "77.59", "radius_km": "-3"}, {"radius_km"}),
        ({"lat": "12.97", "lng": "77.59", "radius_km": "100.5"}, {"radius_km"}),
        ({"lat": "12.97", "lng": "77.59", "radius_km": "ten"}, {"radius_km"}),
        ({"radius_km": "500"}, {"radius_km"}),
        ({"sort": "distance"}, {"sort"}),
        ({"sort": "distance", "radius_km": "x"}, {"sort", "radius_km"}),
    ])
    def test_unusable_input_is_refused_on_its_fields(self, query, fields):
        with pytest.raises(errors.ValidationFailed) as refused:
            geo.near_from_query(**query)
        assert set(refused.value.fields) == fields
