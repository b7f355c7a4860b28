"""Bad input on every write of the cleaner and service API is a 400 (or 415) in the error envelope, never a
500; and every GET of these endpoints answers what the OpenAPI schema documents, on real data."""

import json

import pytest

from marketplace.tests.cleaners import PACKAGE, PROFILE, api, envelope
from marketplace.tests.factories import (
    CleanerFactory,
    CleanerProfileFactory,
    ScheduleRangeFactory,
    ServicePackageFactory,
)
from tests.openapi import response_errors

pytestmark = pytest.mark.django_db

WRITES = [("post", "/api/v1/cleaners/profile"), ("patch", "/api/v1/cleaners/availability"),
          ("put", "/api/v1/cleaners/schedule"), ("post", "/api/v1/services"), ("put", "/api/v1/services/{id}"),
          ("patch", "/api/v1/services/{id}")]
BAD_BODIES = {
    "malformed JSON": '{"name": ',
    "a list, not an object": '[1, 2]',
    "a string": '"hello"',
    "null": "null",
    "nested too deeply": "[" * 5000 + "]" * 5000,
}
# Raw JSON, each value of a type the field does not take (1e400 parses as an infinite float).
WRONG_TYPES = {
    "/api/v1/cleaners/profile": '{"experience_years": "many", "hourly_rate": [1], "latitude": {"x": 1}, '
                                '"longitude": "east", "bio": {"a": 1}}',
    "/api/v1/cleaners/availability": '{"is_available": [true]}',
    "/api/v1/cleaners/schedule": '{"ranges": [{"weekday": "Monday", "start": 9, "end": null}, "09:00", 5]}',
    "/api/v1/services": '{"name": ["a"], "price": "cheap", "duration_hours": "long", "service_type": {"x": 1}}',
    "/api/v1/services/{id}": '{"name": {"a": 1}, "price": 1e400, "duration_hours": [], "is_active": "perhaps"}',
}
# Every write but a service's PATCH (which changes only what it is sent) has required fields.
NEED_FIELDS = [write for write in WRITES if write != ("patch", "/api/v1/services/{id}")]


@pytest.fixture
def owner_package():
    package = ServicePackageFactory()
    return package.cleaner.user, package


def _send(user, method, path, package, body, content_type="application/json"):
    url = path.replace("{id}", str(package.pk))
    return getattr(api(user), method)(url, body, content_type=content_type)


@pytest.mark.parametrize("method,path", WRITES)
@pytest.mark.parametrize("kind", list(BAD_BODIES))
def test_bad_bodies(owner_package, method, path, kind):
    user, package = owner_package
    response = _send(user, method, path, package, BAD_BODIES[kind])
    assert response.status_code == 400, response.content
    assert envelope(response)["code"] in ("parse_error", "validation_error")


@pytest.mark.parametrize("method,path", WRITES)
def test_wrong_types_name_each_field(owner_package, method, path):
    user, package = owner_package
    body = WRONG_TYPES[path]
    response = _send(user, method, path, package, body)
    assert response.status_code == 400, response.content
    fields = envelope(response)["fields"]
    assert set(json.loads(body)) <= {key.split(".")[0] for key in fields}, fields


@pytest.mark.parametrize("method,path", NEED_FIELDS)
def test_missing_fields(owner_package, method, path):
    user, package = owner_package
    if path == "/api/v1/cleaners/profile":
        user = CleanerFactory()  # no profile yet: creating one needs the fields
    response = _send(user, method, path, package, "{}")
    assert response.status_code == 400 and envelope(response)["fields"], response.content


@pytest.mark.parametrize("method,path", WRITES)
def test_a_form_body_is_refused_not_misread(owner_package, method, path):
    user, package = owner_package
    response = _send(user, method, path, package, "is_available=true",
                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and envelope(response)["code"] == "unsupported_media_type"


def test_numbers_out_of_any_range_are_400():
    response = api(CleanerFactory()).post("/api/v1/cleaners/profile", {**PROFILE, "hourly_rate": 10 ** 30,
                                                           "experience_years": 10 ** 20}, format="json")
    assert response.status_code == 400 and {"hourly_rate", "experience_years"} <= set(envelope(response)["fields"])
    profile = CleanerProfileFactory()
    response = api(profile.user).post("/api/v1/services", {**PACKAGE, "price": 10 ** 30}, format="json")
    assert response.status_code == 400 and set(envelope(response)["fields"]) == {"price"}


def test_every_get_matches_the_schema():
    package = ServicePackageFactory()
    ScheduleRangeFactory(profile=package.cleaner)
    owner = api(package.cleaner.user)
    cleaner = f"/api/v1/cleaners/{package.cleaner_id}"
    calls = [
        (api(), "/api/v1/cleaners", "/api/v1/cleaners/", {}),
        (api(), "/api/v1/cleaners", "/api/v1/cleaners/", {"lat": 12.97, "lng": 77.59}),
        (api(), "/api/v1/cleaners", "/api/v1/cleaners/", {"lat": 12.97}),
        (api(), "/api/v1/cleaners/{cleaner_id}", cleaner, {}),
        (api(), "/api/v1/cleaners/{cleaner_id}", "/api/v1/cleaners/nope", {}),
        (api(), "/api/v1/cleaners/{cleaner_id}/services", f"{cleaner}/services", {}),
        (api(), "/api/v1/cleaners/{cleaner_id}/reviews", f"{cleaner}/reviews", {}),
        (api(), "/api/v1/cleaners/{cleaner_id}/availability", f"{cleaner}/availability", {}),
        (api(), "/api/v1/cleaners/{cleaner_id}/availability", f"{cleaner}/availability",
         {"date": "2099-01-01", "service_id": package.pk}),
        (owner, "/api/v1/cleaners/profile", "/api/v1/cleaners/profile", {}),
        (owner, "/api/v1/cleaners/schedule", "/api/v1/cleaners/schedule", {}),
        (owner, "/api/v1/services", "/api/v1/services", {}),
        (api(), "/api/v1/services/{service_id}", f"/api/v1/services/{package.pk}", {}),
    ]
    problems = []
    for client, path, url, params in calls:
        response = client.get(url, params)
        assert response.status_code < 500
        problems += response_errors(path, "get", response.status_code, response.json())
    assert not problems, problems
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    response = api().get(f"{cleaner}/availability", {"date": today, "service_id": package.pk})
    assert not response_errors("/api/v1/cleaners/{cleaner_id}/availability", "get", 200, response.json())
