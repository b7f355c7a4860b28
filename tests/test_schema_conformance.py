"""Every GET endpoint of the API, called as each demo account and as a visitor on the demo data, answers
with a status the OpenAPI schema documents and a body that matches the schema of that status."""

import re

import pytest
from rest_framework.test import APIClient

from marketplace.services import auth_issue_tokens
from tests.openapi import api_schema, response_errors

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "admin@demo.cleanit.in", "customer@demo.cleanit.in", "cleaner@demo.cleanit.in"]


@pytest.fixture
def demo(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)


def _ids() -> dict[str, list[str]]:
    from bookings.models import Booking, Review
    from campaigns.models import Campaign
    from jobs.models import Job
    from marketplace.models import CleanerProfile, ServicePackage, User
    from payments.models import Payment

    return {
        "campaign_id": [str(pk) for pk in Campaign.objects.values_list("pk", flat=True)[:20]],
        "cleaner_id": [str(pk) for pk in CleanerProfile.objects.values_list("pk", flat=True)[:20]],
        "service_id": [str(pk) for pk in ServicePackage.objects.values_list("pk", flat=True)[:20]],
        "job_id": [str(pk) for pk in Job.objects.values_list("pk", flat=True)[:20]],
        "payment_id": [str(pk) for pk in Payment.objects.values_list("pk", flat=True)[:20]],
        "user_id": [str(pk) for pk in User.objects.values_list("pk", flat=True)[:10]],
        # The demo accounts' own bookings first (others' answer 404, which is documented too).
        "booking_id": [str(pk) for pk in Booking.objects.order_by("-starts_at").filter(
            cleaner__user__email="cleaner@demo.cleanit.in").values_list("pk", flat=True)[:10]]
        + [str(pk) for pk in Booking.objects.filter(customer__email="customer@demo.cleanit.in")
           .values_list("pk", flat=True)[:10]] + [str(pk) for pk in Booking.objects.values_list("pk", flat=True)[:3]],
        "review_id": [str(pk) for pk in Review.objects.values_list("pk", flat=True)[:10]],
    }


def _client(role: str) -> APIClient:
    from marketplace.models import User

    client = APIClient()
    if role != "visitor":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_issue_tokens(user=User.objects.get(email=role)).access}")
    return client


def _urls(path: str, ids: dict[str, list[str]]) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    if not names:
        return [path]
    assert len(names) == 1 and names[0] in ids, f"no ids for {path}"
    return [path.replace(f"{{{names[0]}}}", value) for value in ids[names[0]]] + [path.replace(
        f"{{{names[0]}}}", "not-an-id")]


@pytest.mark.parametrize("role", ROLES)
def test_every_get_response_matches_the_schema(demo, role):
    ids, client, problems, checked = _ids(), _client(role), [], 0
    for path, operations in api_schema()["paths"].items():
        if "get" not in operations:
            continue
        for url in _urls(path, ids):
            response = client.get(url)
            assert response.status_code < 500, url
            problems += response_errors(path, "get", response.status_code, response.json())
            checked += 1
    assert checked > 40
    assert not problems, "\n".join(problems[:20])


def test_a_departure_from_the_schema_is_caught(demo):
    body = _client("customer@demo.cleanit.in").get("/api/v1/users/me").json()
    assert not response_errors("/api/v1/users/me", "get", 200, body)
    assert response_errors("/api/v1/users/me", "get", 200, {**body, "email_verified": "yes"})
    assert response_errors("/api/v1/users/me", "get", 418, body)
