import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_auth_limit_per_ip_with_retry_after(api_client, settings):
    settings.AUTH_RATE_LIMIT_PER_15_MINUTES = 5
    body = {"email": "x@example.in", "password": "whatever"}
    codes = [api_client.post("/api/v1/auth/login", body, format="json").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    response = api_client.post("/api/v1/auth/login", body, format="json")
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    # Another IP is not affected.
    other = api_client.post("/api/v1/auth/login", body, format="json", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 401


def test_auth_limits_are_per_action(api_client, settings):
    settings.AUTH_RATE_LIMIT_PER_15_MINUTES = 2
    for _ in range(2):
        api_client.post("/api/v1/auth/forgot-password", {"email": "a@b.in"}, format="json")
    assert api_client.post("/api/v1/auth/forgot-password", {"email": "a@b.in"}, format="json").status_code == 429
    assert api_client.post("/api/v1/auth/register", {}, format="json").status_code == 400


def test_pages_share_the_login_budget(client, api_client, settings):
    settings.AUTH_RATE_LIMIT_PER_15_MINUTES = 3
    body = {"email": "x@example.in", "password": "whatever"}
    client.post(reverse("marketplace:login"), body)
    client.post(reverse("marketplace:login"), body)
    api_client.post("/api/v1/auth/login", body, format="json")
    response = client.post(reverse("marketplace:login"), body)
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert client.get(reverse("marketplace:login")).status_code == 200  # GETs are not counted


def test_api_limit_per_minute(api_client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    codes = [api_client.get("/api/v1/users/me").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert 0 < int(api_client.get("/api/v1/users/me")["Retry-After"]) <= 60


def test_zero_disables_limits(api_client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    settings.AUTH_RATE_LIMIT_PER_15_MINUTES = 0
    body = {"email": "x@example.in", "password": "whatever"}
    assert all(api_client.post("/api/v1/auth/login", body, format="json").status_code == 401 for _ in range(8))


def test_forwarded_for_is_ignored_without_trusted_proxies(api_client, settings):
    settings.AUTH_RATE_LIMIT_PER_15_MINUTES = 1
    body = {"email": "x@example.in", "password": "whatever"}
    api_client.post("/api/v1/auth/login", body, format="json", HTTP_X_FORWARDED_FOR="1.1.1.1")
    spoofed = api_client.post("/api/v1/auth/login", body, format="json", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert spoofed.status_code == 429
