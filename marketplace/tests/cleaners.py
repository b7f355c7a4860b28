"""Helpers shared by the cleaner-profile, package, discovery and slot tests."""

from rest_framework.test import APIClient

from marketplace.services import auth_issue_tokens

PROFILE = dict(bio="Eight years of careful home cleaning.", experience_years=8, hourly_rate=350_00,
               street="12 5th Cross, Indiranagar", city="Bengaluru", state="Karnataka", pincode="560038",
               latitude=12.9784, longitude=77.6408)
PACKAGE = dict(name="Two-bedroom deep clean", description="Kitchen, bathrooms, floors.", price=2_499_00,
               duration_hours=4, service_type="deep_clean")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_issue_tokens(user=user).access}")
    return client


def envelope(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
