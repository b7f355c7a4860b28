import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from marketplace.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def envelope(response):
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


class TestErrorEnvelope:
    def test_401(self, api_client):
        assert envelope(api_client.get("/api/v1/users/me"))["code"] == "not_authenticated"

    def test_invalid_bearer_token(self, api_client):
        api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
        response = api_client.get("/api/v1/users/me")
        assert response.status_code == 401 and envelope(response)["code"] == "token_not_valid"

    def test_404_unknown_api_path(self, api_client):
        response = api_client.get("/api/v1/does-not-exist")
        assert response.status_code == 404 and envelope(response)["code"] == "not_found"
        assert api_client.post("/api/v2/whatever").status_code == 404

    def test_405(self, api_client):
        response = api_client.put("/api/v1/auth/login", {}, format="json")
        assert response.status_code == 405 and envelope(response)["code"] == "method_not_allowed"

    def test_parse_error(self, api_client):
        response = api_client.post("/api/v1/auth/login", "{not json", content_type="application/json")
        assert response.status_code == 400 and envelope(response)["code"] == "parse_error"

    def test_415(self, api_client):
        response = api_client.post("/api/v1/auth/login", "<x/>", content_type="application/xml")
        assert response.status_code == 415 and envelope(response)["code"] == "unsupported_media_type"

    def test_validation_fields(self, api_client):
        error = envelope(api_client.post("/api/v1/auth/login", {}, format="json"))
        assert error["code"] == "validation_error"
        assert set(error["fields"]) == {"email", "password"}

    def test_403_csrf_for_session_api_calls(self, user):
        from rest_framework.test import APIClient

        client = APIClient(enforce_csrf_checks=True)
        client.force_login(user)
        response = client.patch("/api/v1/users/me", {"name": "X"}, format="json")
        assert response.status_code == 403 and envelope(response)["code"] == "permission_denied"

    @pytest.mark.parametrize("payload", ["\x00\x01\x02", "[" * 5000, '{"email": {"$gt": ""}, "password": 1}'])
    def test_garbage_never_500(self, api_client, payload):
        response = api_client.post("/api/v1/auth/login", payload, content_type="application/json")
        assert 400 <= response.status_code < 500


class TestPaths:
    def test_every_api_path_accepts_both_slash_forms(self):
        from django.urls import URLResolver

        api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver)
                   and str(p.pattern) == "api/v1/")
        for pattern in api.url_patterns:
            assert str(pattern.pattern.regex.pattern).endswith("/?$"), pattern

    def test_post_without_slash_is_not_redirected(self, api_client, user):
        response = api_client.post("/api/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json")
        assert response.status_code == 200


class TestSchema:
    def test_schema_lists_every_endpoint_with_errors(self, api_client):
        response = api_client.get("/api/v1/schema/?format=json")
        assert response.status_code == 200
        schema = response.json()
        paths = schema["paths"]
        expected = {
            ("/api/v1/auth/register", "post"), ("/api/v1/auth/login", "post"), ("/api/v1/auth/refresh", "post"),
            ("/api/v1/auth/logout", "post"), ("/api/v1/auth/forgot-password", "post"),
            ("/api/v1/auth/reset-password", "post"), ("/api/v1/auth/verify-email", "post"),
            ("/api/v1/users/me", "get"), ("/api/v1/users/me", "patch"), ("/api/v1/users/me", "delete"),
            ("/api/v1/users/me/data-export", "get"), ("/api/v1/users/me/notification-preferences", "get"),
            ("/api/v1/users/me/notification-preferences", "put"), ("/api/v1/users/{user_id}", "get"),
            ("/api/v1/notifications", "get"), ("/api/v1/notifications/unread-count", "get"),
            ("/api/v1/notifications/{notification_id}/read", "post"), ("/api/v1/notifications/read-all", "post"),
            ("/api/v1/users/me/transactions", "get"), ("/api/v1/campaigns", "get"), ("/api/v1/campaigns", "post"),
            ("/api/v1/campaigns/{campaign_id}", "get"), ("/api/v1/campaigns/{campaign_id}/contribute", "post"),
            ("/api/v1/campaigns/{campaign_id}/cancel", "post"), ("/api/v1/payments/verify", "post"),
            ("/api/v1/payments/webhook", "post"), ("/api/v1/payments/{payment_id}", "get"),
            ("/api/v1/payments/refund/{payment_id}", "post"), ("/api/v1/admin/financial-overview", "get"),
            ("/api/v1/admin/campaigns/{campaign_id}/approve", "post"),
            ("/api/v1/admin/campaigns/{campaign_id}/cancel", "post"),
            ("/api/v1/cleaners", "get"), ("/api/v1/cleaners/{cleaner_id}", "get"),
            ("/api/v1/cleaners/{cleaner_id}/services", "get"), ("/api/v1/cleaners/{cleaner_id}/reviews", "get"),
            ("/api/v1/cleaners/{cleaner_id}/availability", "get"), ("/api/v1/cleaners/profile", "get"),
            ("/api/v1/cleaners/profile", "post"), ("/api/v1/cleaners/availability", "patch"),
            ("/api/v1/cleaners/schedule", "get"), ("/api/v1/cleaners/schedule", "put"),
            ("/api/v1/services", "get"), ("/api/v1/services", "post"), ("/api/v1/services/{service_id}", "get"),
            ("/api/v1/services/{service_id}", "put"), ("/api/v1/services/{service_id}", "patch"),
            ("/api/v1/services/{service_id}", "delete"),
        }
        found = {(path, method) for path, ops in paths.items() for method in ops}
        assert expected <= found
        for path, method in expected:
            operation = paths[path][method]
            errors = [code for code in operation["responses"] if code.startswith(("4", "5"))]
            assert errors, f"{method} {path} documents no error response"
        assert "ErrorEnvelope" in schema["components"]["schemas"]
        assert "requestBody" in paths["/api/v1/auth/register"]["post"]
        assert "423" in paths["/api/v1/auth/login"]["post"]["responses"]

    def test_swagger_ui_is_self_hosted(self, client):
        response = client.get("/api/v1/docs/")
        assert response.status_code == 200
        content = response.content.decode()
        assert "swagger-ui-bundle.js" in content
        assert "cdn" not in content.lower() and "https://" not in content


class TestPermissions:
    """Who may not: every endpoint that needs a user refuses anonymous callers with 401."""

    PRIVATE = [
        ("post", "/api/v1/auth/logout"), ("get", "/api/v1/users/me"), ("patch", "/api/v1/users/me"),
        ("delete", "/api/v1/users/me"), ("post", "/api/v1/users/me/password"),
        ("get", "/api/v1/users/me/data-export"), ("get", "/api/v1/users/me/notification-preferences"),
        ("put", "/api/v1/users/me/notification-preferences"), ("get", "/api/v1/notifications"),
        ("get", "/api/v1/notifications/unread-count"), ("post", "/api/v1/notifications/read-all"),
        ("post", "/api/v1/notifications/00000000-0000-0000-0000-000000000000/read"),
        ("get", "/api/v1/users/me/transactions"), ("post", "/api/v1/campaigns"),
        ("post", "/api/v1/campaigns/00000000-0000-0000-0000-000000000000/contribute"),
        ("post", "/api/v1/campaigns/00000000-0000-0000-0000-000000000000/cancel"), ("post", "/api/v1/payments/verify"),
        ("get", "/api/v1/payments/00000000-0000-0000-0000-000000000000"),
        ("post", "/api/v1/payments/refund/00000000-0000-0000-0000-000000000000"),
        ("get", "/api/v1/admin/financial-overview"),
        ("post", "/api/v1/admin/campaigns/00000000-0000-0000-0000-000000000000/approve"),
        ("get", "/api/v1/cleaners/profile"), ("post", "/api/v1/cleaners/profile"),
        ("patch", "/api/v1/cleaners/availability"), ("get", "/api/v1/cleaners/schedule"),
        ("put", "/api/v1/cleaners/schedule"), ("get", "/api/v1/services"), ("post", "/api/v1/services"),
        ("put", "/api/v1/services/00000000-0000-0000-0000-000000000000"),
        ("patch", "/api/v1/services/00000000-0000-0000-0000-000000000000"),
        ("delete", "/api/v1/services/00000000-0000-0000-0000-000000000000"),
    ]
    PUBLIC = [("get", "/api/v1/schema"), ("get", "/api/v1/docs"), ("post", "/api/v1/auth/forgot-password"),
              ("get", "/api/v1/campaigns"), ("get", "/api/v1/cleaners")]

    @pytest.mark.parametrize("method,path", PRIVATE)
    def test_anonymous_gets_401(self, api_client, method, path):
        response = getattr(api_client, method)(path, {}, format="json")
        assert response.status_code == 401
        assert envelope(response)["code"] == "not_authenticated"

    @pytest.mark.parametrize("method,path", PRIVATE)
    def test_suspended_users_token_gets_401(self, auth_client, user, method, path):
        from django.utils import timezone
        from freezegun import freeze_time

        from marketplace.services import user_suspend

        with freeze_time(timezone.now() + timezone.timedelta(seconds=2)):
            user_suspend(user=user, reason="test")
        assert getattr(auth_client, method)(path, {}, format="json").status_code == 401

    @pytest.mark.parametrize("method,path", PUBLIC)
    def test_public_endpoints_need_no_token(self, api_client, method, path):
        assert getattr(api_client, method)(path, {"email": "a@b.in"}).status_code < 400


@pytest.mark.parametrize("debug", [False, True])
def test_json_bodies_over_the_cap_are_413_in_every_mode(api_client, settings, db, debug):
    settings.DEBUG = debug
    body = {"email": "a@b.in", "password": "x" * (settings.REQUEST_BODY_MAX_BYTES + 1)}
    for path in ("/api/v1/auth/login", "/api/v1/payments/webhook", "/api/v1/campaigns/"):
        response = api_client.post(path, body, format="json")
        assert response.status_code == 413, path
        assert envelope(response)["code"] == "payload_too_large"
    assert settings.REQUEST_BODY_MAX_BYTES <= 1024 * 1024  # the cap is far below the old 12 MB


def test_a_body_under_the_cap_is_read(api_client, db):
    response = api_client.post("/api/v1/auth/login", {"email": "a@b.in", "password": "Wr0ng!" + "x" * 100,
                                                      "padding": "x" * 100_000}, format="json")
    assert response.status_code == 401 and envelope(response)["code"] == "invalid_credentials"


def test_uploads_have_their_own_larger_cap(api_client, settings, db):
    settings.UPLOAD_BODY_MAX_BYTES = 2048
    big = SimpleUploadedFile("p.jpg", b"x" * 4096, content_type="image/jpeg")
    response = api_client.post("/api/v1/campaigns/", {"photo": big}, format="multipart")
    assert response.status_code == 413 and envelope(response)["code"] == "payload_too_large"
    small = SimpleUploadedFile("p.jpg", b"x" * 1024, content_type="image/jpeg")
    assert api_client.post("/api/v1/campaigns/", {"photo": small}, format="multipart").status_code != 413


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unknown_api_paths_are_404_for_every_method(client, db, method):
    response = getattr(client, method)("/api/v1/no-such-thing/", data="{}", content_type="application/json")
    assert response.status_code == 404 and envelope(response)["code"] == "not_found"


def test_pages_still_refuse_posts_without_csrf(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/account/login/", {"email": "a@b.in", "password": "x"})
    assert response.status_code == 403
