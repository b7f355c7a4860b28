from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from freezegun import freeze_time

from marketplace import services
from marketplace.models import IssuedRefreshToken

from .factories import PASSWORD

pytestmark = pytest.mark.django_db
REFRESH, LOGOUT, ME = "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/users/me"


def login(api_client, user):
    response = api_client.post("/api/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()


def bearer(api_client, access):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")


def test_lifetimes_are_15_minutes_and_7_days():
    assert django_settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] == timedelta(minutes=15)
    assert django_settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"] == timedelta(days=7)


def test_access_token_works_and_expires(api_client, user):
    tokens = login(api_client, user)
    bearer(api_client, tokens["access"])
    assert api_client.get(ME).status_code == 200
    with freeze_time(timezone.now() + timedelta(minutes=16)):
        response = api_client.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_refresh_rotates_and_old_token_is_dead_forever(api_client, user):
    tokens = login(api_client, user)
    response = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 200
    rotated = response.json()
    assert rotated["refresh"] != tokens["refresh"]
    reused = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "token_not_valid"
    # Reuse is treated as theft: the whole family, including the fresh token, is revoked.
    assert api_client.post(REFRESH, {"refresh": rotated["refresh"]}, format="json").status_code == 401


def test_revocation_is_stored_so_it_survives_restarts(api_client, user):
    tokens = login(api_client, user)
    api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    record = IssuedRefreshToken.objects.get(revoked_reason="rotated")
    assert record.user == user and record.revoked_at is not None


def test_refresh_expires_after_seven_days(api_client, user):
    tokens = login(api_client, user)
    with freeze_time(timezone.now() + timedelta(days=7, minutes=1)):
        assert api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_access_token_is_not_a_refresh_token(api_client, user):
    tokens = login(api_client, user)
    assert api_client.post(REFRESH, {"refresh": tokens["access"]}, format="json").status_code == 401


@pytest.mark.parametrize("body", [{}, {"refresh": ""}, {"refresh": "not.a.jwt"}, {"refresh": 12}])
def test_bad_refresh_input(api_client, db, body):
    response = api_client.post(REFRESH, body, format="json")
    assert response.status_code in (400, 401)
    assert "error" in response.json()


def test_forged_refresh_token_refused(api_client, user):
    from rest_framework_simplejwt.tokens import RefreshToken

    forged = RefreshToken.for_user(user)  # validly signed but never issued through our store
    assert api_client.post(REFRESH, {"refresh": str(forged)}, format="json").status_code == 401


def test_logout_revokes_refresh_token(api_client, user):
    tokens = login(api_client, user)
    bearer(api_client, tokens["access"])
    assert api_client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json").status_code == 204
    api_client.credentials()
    assert api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_logout_requires_authentication(api_client, user):
    tokens = login(api_client, user)
    assert api_client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_cannot_log_out_someone_elses_token(api_client, user):
    from .factories import UserFactory

    other = UserFactory()
    victim_tokens = login(api_client, other)
    bearer(api_client, login(api_client, user)["access"])
    response = api_client.post(LOGOUT, {"refresh": victim_tokens["refresh"]}, format="json")
    assert response.status_code == 401
    api_client.credentials()
    assert api_client.post(REFRESH, {"refresh": victim_tokens["refresh"]}, format="json").status_code == 200


def test_logout_other_device_keeps_working(api_client, user):
    phone, laptop = login(api_client, user), login(api_client, user)
    bearer(api_client, phone["access"])
    api_client.post(LOGOUT, {"refresh": phone["refresh"]}, format="json")
    api_client.credentials()
    assert api_client.post(REFRESH, {"refresh": laptop["refresh"]}, format="json").status_code == 200


def test_suspension_stops_live_tokens_at_once(api_client, user):
    with freeze_time(timezone.now() - timedelta(seconds=5)):
        tokens = login(api_client, user)
    services.user_suspend(user=user, reason="fraud")
    bearer(api_client, tokens["access"])
    assert api_client.get(ME).status_code == 401
    api_client.credentials()
    assert api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_password_change_voids_older_access_tokens(api_client, user):
    with freeze_time(timezone.now() - timedelta(seconds=5)):
        old = login(api_client, user)
    services.user_change_password(user=user, current_password=PASSWORD, new_password="N3w!Password")
    bearer(api_client, old["access"])
    assert api_client.get(ME).status_code == 401
    fresh = api_client.post("/api/v1/auth/login", {"email": user.email, "password": "N3w!Password"},
                            format="json").json()
    bearer(api_client, fresh["access"])
    assert api_client.get(ME).status_code == 200


def test_purge_job_removes_only_expired_records(user):
    services.auth_issue_tokens(user=user)
    with freeze_time(timezone.now() - timedelta(days=8)):
        services.auth_issue_tokens(user=user)
    assert services.refresh_tokens_purge(now=timezone.now()) == 1
    assert IssuedRefreshToken.objects.count() == 1


def test_access_token_issued_in_the_same_second_as_a_password_change_dies(api_client, user):
    """Regression: the check compared whole seconds, so a token from the same second stayed valid."""
    with freeze_time("2026-03-01 10:00:00.250000"):
        stolen = login(api_client, user)
        services.user_change_password(user=user, current_password=PASSWORD, new_password="N3w!Password")
        bearer(api_client, stolen["access"])
        assert api_client.get(ME).status_code == 401
        fresh = api_client.post("/api/v1/auth/login", {"email": user.email, "password": "N3w!Password"},
                                format="json").json()
        bearer(api_client, fresh["access"])
        assert api_client.get(ME).status_code == 200


def test_tokens_carry_user_id_and_role(api_client, db):
    from rest_framework_simplejwt.tokens import AccessToken

    from .factories import CleanerFactory

    cleaner = CleanerFactory()
    tokens = login(api_client, cleaner)
    access = AccessToken(tokens["access"])
    assert access["user_id"] == str(cleaner.pk) and access["role"] == "cleaner"
    rotated = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").json()
    assert AccessToken(rotated["access"])["role"] == "cleaner"


def test_a_role_change_voids_tokens_carrying_the_old_role(api_client, user):
    from .factories import AdminFactory

    tokens = login(api_client, user)
    services.user_set_role(user=user, role="cleaner", by=AdminFactory())
    bearer(api_client, tokens["access"])
    assert api_client.get(ME).status_code == 401
    api_client.credentials()
    assert api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_a_token_without_the_version_claim_is_refused(api_client, user):
    from rest_framework_simplejwt.tokens import AccessToken

    bearer(api_client, str(AccessToken.for_user(user)))  # validly signed, but not issued by the service
    assert api_client.get(ME).status_code == 401
