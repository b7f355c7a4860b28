"""The jobs board from where the cleaner is: lat, lng, radius_km and sort=distance, on the API and the
page, from the same selector. Radius 10 km: 9.9 km north and 9.99 km east are in, 10.1 km north-east
(inside the bounding box's corner) and 10.1 km south are out."""

import pytest
from django.urls import reverse

from jobs import selectors
from marketplace.tests.factories import CleanerFactory
from tests.geo import CENTRE, EAST, NORTH, NORTH_EAST, point_at
from tests.openapi import response_errors

from .factories import funded_job
from .test_jobs_api_and_pages import api

pytestmark = pytest.mark.django_db

HERE = {"lat": CENTRE[0], "lng": CENTRE[1]}


def job_at(km, bearing):
    lat, lng = point_at(CENTRE, km, bearing)
    return funded_job(title=f"Job {km} km at {bearing} degrees", latitude=lat, longitude=lng)


@pytest.fixture
def around():
    return {"in north": job_at(9.9, NORTH), "in east": job_at(9.99, EAST), "near": job_at(0.4, NORTH),
            "corner out": job_at(10.1, NORTH_EAST), "south out": job_at(10.1, 180)}


def test_the_selector(around):
    filters = selectors.board_filters(**HERE, radius_km="10", sort="distance")
    found = selectors.jobs_board(**filters)
    assert [job.pk for job in found] == [around[name].pk for name in ("near", "in north", "in east")]
    assert [job.distance_km for job in found] == [0.4, 9.9, 9.99]


def test_the_api(around):
    cleaner = CleanerFactory()
    response = api(cleaner).get("/api/v1/jobs", {**HERE, "radius_km": 10, "sort": "distance"})
    assert response.status_code == 200
    body = response.json()
    assert [(item["id"], item["distance_km"]) for item in body["results"]] == [
        (str(around["near"].pk), 0.4), (str(around["in north"].pk), 9.9), (str(around["in east"].pk), 9.99)]
    assert not response_errors("/api/v1/jobs", "get", 200, body)
    assert api(cleaner).get("/api/v1/jobs", {**HERE, "radius_km": 10.2}).json()["count"] == 5
    everywhere = api(cleaner).get("/api/v1/jobs").json()
    assert everywhere["count"] == 5 and {item["distance_km"] for item in everywhere["results"]} == {None}


def test_the_page(client, around):
    client.force_login(CleanerFactory())
    page = client.get(reverse("jobs:board"), {**HERE, "radius_km": "10", "sort": "distance"})
    html = page.content.decode()
    assert page.status_code == 200 and "Within 10 km of your location" in html
    shown = [job for job in around.values() if f'data-job-id="{job.pk}"' in html]
    assert shown == [around["in north"], around["in east"], around["near"]]
    assert html.index(str(around["near"].pk)) < html.index(str(around["in north"].pk)) < html.index(
        str(around["in east"].pk))
    assert "400 m away" in html and "9.9 km away" in html and "10.0 km away" in html  # 9.99 km, to one decimal
    assert 'data-near-me' in html and "js/near-me" in html
    nothing = client.get(reverse("jobs:board"), {"lat": "28.61", "lng": "77.21", "radius_km": "2"}).content.decode()
    assert "No jobs within 2 km of your location" in nothing


@pytest.mark.parametrize("query,field", [
    ({"lat": "x", "lng": "77.59"}, "lat"), ({"lng": "77.59"}, "lat"), ({"lat": "12.97", "lng": "0"}, "lng"),
    ({**HERE, "radius_km": "-1"}, "radius_km"), ({**HERE, "radius_km": "1000"}, "radius_km"),
    ({"sort": "distance"}, "sort"),
])
def test_unusable_input_is_a_400_envelope_and_a_form_error(client, around, query, field):
    cleaner = CleanerFactory()
    response = api(cleaner).get("/api/v1/jobs", query)
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert not response_errors("/api/v1/jobs", "get", 400, response.json())
    client.force_login(cleaner)
    page = client.get(reverse("jobs:board"), query)
    html = page.content.decode()
    assert page.status_code == 400 and f'id="id_{field}-errors"' in html
    assert f'data-job-id="{around["south out"].pk}"' in html  # the board is still shown, unfiltered


def test_the_old_sorts_still_work(around):
    response = api(CleanerFactory()).get("/api/v1/jobs", {"sort": "amount"})
    assert response.status_code == 200 and response.json()["count"] == 5
    assert api(CleanerFactory()).get("/api/v1/jobs", {"sort": "bogus"}).status_code == 200
