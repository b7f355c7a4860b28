import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from cleanit import errors
from marketplace import services
from marketplace.models import AccountToken

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Fresh!Pass9"


def strip_csrf(content: bytes) -> str:
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', "", content.decode())


def requested_token(user, capture) -> str:
    with capture(execute=True):
        services.password_reset_request(email=user.email)
    return re.search(r"/account/password/reset/([^/]+)/", mail.outbox[-1].body).group(1)


class TestResetService:
    def test_reset_changes_password_once(self, user, django_capture_on_commit_callbacks):
        token = requested_token(user, django_capture_on_commit_callbacks)
        services.password_reset_confirm(token=token, password=NEW_PASSWORD)
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        with pytest.raises(services.InvalidToken):
            services.password_reset_confirm(token=token, password="Another!Pass9")

    def test_token_expires_after_one_hour(self, user, django_capture_on_commit_callbacks):
        token = requested_token(user, django_capture_on_commit_callbacks)
        with freeze_time(timezone.now() + timedelta(hours=1, seconds=1)), pytest.raises(services.InvalidToken):
            services.password_reset_confirm(token=token, password=NEW_PASSWORD)

    def test_new_request_replaces_the_old_link(self, user, django_capture_on_commit_callbacks):
        first = requested_token(user, django_capture_on_commit_callbacks)
        second = requested_token(user, django_capture_on_commit_callbacks)
        with pytest.raises(services.InvalidToken):
            services.password_reset_confirm(token=first, password=NEW_PASSWORD)
        services.password_reset_confirm(token=second, password=NEW_PASSWORD)

    def test_weak_new_password_keeps_token_usable(self, user, django_capture_on_commit_callbacks):
        token = requested_token(user, django_capture_on_commit_callbacks)
        with pytest.raises(errors.ValidationFailed):
            services.password_reset_confirm(token=token, password="weak")
        services.password_reset_confirm(token=token, password=NEW_PASSWORD)

    def test_only_the_hash_is_stored(self, user, django_capture_on_commit_callbacks):
        token = requested_token(user, django_capture_on_commit_callbacks)
        assert not AccountToken.objects.filter(token_hash=token).exists()
        assert AccountToken.objects.filter(token_hash=AccountToken.hash(token)).exists()

    def test_unknown_email_sends_nothing(self, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            services.password_reset_request(email="nobody@example.in")
        assert mail.outbox == []

    def test_reset_unlocks_and_signs_out_everywhere(self, user, django_capture_on_commit_callbacks):
        for _ in range(5):
            with pytest.raises((services.InvalidCredentials, services.AccountLocked)):
                services.auth_login(email=user.email, password="nope")
        pair = services.auth_issue_tokens(user=user)
        token = requested_token(user, django_capture_on_commit_callbacks)
        services.password_reset_confirm(token=token, password=NEW_PASSWORD)
        assert services.auth_login(email=user.email, password=NEW_PASSWORD) == user
        with pytest.raises(services.TokenRevoked):
            services.auth_refresh(refresh=pair.refresh)


class TestResetApi:
    def test_forgot_is_202_whether_or_not_the_account_exists(self, api_client, user):
        known = api_client.post("/api/v1/auth/forgot-password", {"email": user.email}, format="json")
        unknown = api_client.post("/api/v1/auth/forgot-password", {"email": "ghost@example.in"}, format="json")
        assert known.status_code == unknown.status_code == 202
        assert known.json() == unknown.json()

    def test_reset_and_reuse(self, api_client, user, django_capture_on_commit_callbacks):
        token = requested_token(user, django_capture_on_commit_callbacks)
        url = "/api/v1/auth/reset-password"
        assert api_client.post(url, {"token": token, "password": NEW_PASSWORD}, format="json").status_code == 200
        response = api_client.post(url, {"token": token, "password": NEW_PASSWORD}, format="json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_token"

    def test_expired_token_is_invalid_token(self, api_client, user, django_capture_on_commit_callbacks):
        token = requested_token(user, django_capture_on_commit_callbacks)
        with freeze_time(timezone.now() + timedelta(hours=2)):
            response = api_client.post("/api/v1/auth/reset-password", {"token": token, "password": NEW_PASSWORD},
                                       format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_token"

    @pytest.mark.parametrize("body", [{}, {"token": "x"}, {"password": NEW_PASSWORD}, {"token": "", "password": ""}])
    def test_bad_input(self, api_client, db, body):
        assert api_client.post("/api/v1/auth/reset-password", body, format="json").status_code == 400


class TestResetPages:
    def test_forgot_page_same_answer(self, client, user):
        known = client.post(reverse("marketplace:password_forgot"), {"email": user.email})
        unknown = client.post(reverse("marketplace:password_forgot"), {"email": "ghost@example.in"})
        assert known.status_code == unknown.status_code == 200
        assert strip_csrf(known.content) == strip_csrf(unknown.content)

    def test_reset_page_flow(self, client, user, django_capture_on_commit_callbacks):
        token = requested_token(user, django_capture_on_commit_callbacks)
        url = reverse("marketplace:password_reset", args=[token])
        assert client.get(url).status_code == 200
        mismatch = client.post(url, {"password": NEW_PASSWORD, "password_confirm": "Other!Pass9"})
        assert "do not match" in mismatch.content.decode()
        response = client.post(url, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
        assert response.status_code == 302
        again = client.post(url, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
        assert again.status_code == 400 and "no longer works" in again.content.decode()


class TestEmailVerification:
    def _token(self, capture):
        with capture(execute=True):
            user = services.user_register(email="new@example.in", password=PASSWORD, name="New Person",
                                          phone="9876543210", role="customer", accept_terms=True)
        return user, re.search(r"/account/verify-email/([^/]+)/", mail.outbox[-1].body).group(1)

    def test_api_verify_once(self, api_client, db, django_capture_on_commit_callbacks):
        user, token = self._token(django_capture_on_commit_callbacks)
        assert api_client.post("/api/v1/auth/verify-email", {"token": token}, format="json").status_code == 200
        user.refresh_from_db()
        assert user.email_verified
        again = api_client.post("/api/v1/auth/verify-email", {"token": token}, format="json")
        assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_token"

    def test_page_get_does_not_consume_post_does(self, client, db, django_capture_on_commit_callbacks):
        user, token = self._token(django_capture_on_commit_callbacks)
        url = reverse("marketplace:verify_email", args=[token])
        client.get(url)
        user.refresh_from_db()
        assert not user.email_verified
        assert client.post(url).status_code == 302
        user.refresh_from_db()
        assert user.email_verified

    def test_reset_token_cannot_verify_email(self, api_client, user, django_capture_on_commit_callbacks):
        token = requested_token(user, django_capture_on_commit_callbacks)
        assert api_client.post("/api/v1/auth/verify-email", {"token": token}, format="json").status_code == 400

    def test_resend_from_settings(self, client, django_capture_on_commit_callbacks):
        unverified = UserFactory(email_verified_at=None)
        client.force_login(unverified)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("marketplace:verification_resend")).status_code == 302
        assert len(mail.outbox) == 1
