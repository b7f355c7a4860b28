from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from marketplace import services
from marketplace.models import User

from .factories import PASSWORD, AdminFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/api/v1/auth/login"


def fail(user, times):
    for _ in range(times):
        with pytest.raises((services.InvalidCredentials, services.AccountLocked)):
            services.auth_login(email=user.email, password="Wrong!Pass1")


class TestLoginService:
    def test_success_resets_failure_count(self, user):
        fail(user, 3)
        assert services.auth_login(email=user.email.upper(), password=PASSWORD) == user
        user.refresh_from_db()
        assert user.failed_login_count == 0

    def test_unknown_email_is_invalid_credentials(self, db):
        with pytest.raises(services.InvalidCredentials):
            services.auth_login(email="nobody@example.in", password=PASSWORD)

    def test_fifth_failure_locks_for_fifteen_minutes(self, user):
        fail(user, 4)
        with pytest.raises(services.AccountLocked):
            services.auth_login(email=user.email, password="Wrong!Pass1")
        user.refresh_from_db()
        assert user.locked_until is not None
        assert timedelta(minutes=14) < user.locked_until - timezone.now() <= timedelta(minutes=15)

    def test_locked_account_refuses_even_the_right_password(self, user):
        fail(user, 5)
        with pytest.raises(services.AccountLocked):
            services.auth_login(email=user.email, password=PASSWORD)

    def test_lock_expires_after_fifteen_minutes(self, user):
        fail(user, 5)
        with freeze_time(timezone.now() + timedelta(minutes=15, seconds=1)):
            assert services.auth_login(email=user.email, password=PASSWORD) == user

    def test_failures_must_be_in_a_row(self, user):
        fail(user, 4)
        services.auth_login(email=user.email, password=PASSWORD)
        fail(user, 4)
        assert services.auth_login(email=user.email, password=PASSWORD) == user

    def test_suspended_user_cannot_log_in(self, user):
        services.user_suspend(user=user, reason="fraud")
        with pytest.raises(services.AccountSuspended):
            services.auth_login(email=user.email, password=PASSWORD)

    def test_suspended_user_with_wrong_password_learns_nothing(self, user):
        services.user_suspend(user=user, reason="fraud")
        with pytest.raises(services.InvalidCredentials):
            services.auth_login(email=user.email, password="Wrong!Pass1")

    def test_anonymised_account_cannot_log_in(self, user):
        email = user.email
        services.user_delete_account(user=user, password=PASSWORD)
        with pytest.raises(services.InvalidCredentials):
            services.auth_login(email=email, password=PASSWORD)


class TestLoginApi:
    def test_returns_tokens_and_user(self, api_client, user):
        response = api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
        assert response.status_code == 200
        body = response.json()
        assert {"access", "refresh", "user"} <= set(body)
        assert body["user"]["id"] == str(user.pk) and "password" not in body["user"]

    def test_bad_credentials_401(self, api_client, user):
        response = api_client.post(LOGIN, {"email": user.email, "password": "nope"}, format="json")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_credentials"

    def test_locked_is_423_account_locked(self, api_client, user):
        codes = [api_client.post(LOGIN, {"email": user.email, "password": "nope"}, format="json").status_code
                 for _ in range(5)]
        assert codes == [401, 401, 401, 401, 423]
        response = api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
        assert response.status_code == 423
        assert response.json()["error"]["code"] == "account_locked"
        assert int(response["Retry-After"]) > 0

    def test_suspended_is_403(self, api_client, user):
        services.user_suspend(user=user, reason="fraud")
        response = api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "account_suspended"

    def test_missing_fields_400(self, api_client, db):
        response = api_client.post(LOGIN, {"email": "a@b.in"}, format="json")
        assert response.status_code == 400
        assert "password" in response.json()["error"]["fields"]

    def test_stale_bearer_header_does_not_block_login(self, api_client, user):
        api_client.credentials(HTTP_AUTHORIZATION="Bearer garbage")
        response = api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
        assert response.status_code == 200


class TestLoginPage:
    url = reverse("marketplace:login")

    def test_login_and_logout(self, client, user):
        response = client.post(self.url, {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("marketplace:settings")).status_code == 200
        response = client.post(reverse("marketplace:logout"))
        assert response.status_code == 302
        assert client.get(reverse("marketplace:settings")).status_code == 302

    def test_logout_requires_post(self, client, user):
        client.force_login(user)
        assert client.get(reverse("marketplace:logout")).status_code == 405

    def test_wrong_password_message(self, client, user):
        response = client.post(self.url, {"email": user.email, "password": "nope"})
        assert response.status_code == 200
        assert "E-mail or password is incorrect." in response.content.decode()

    def test_lockout_message(self, client, user):
        for _ in range(5):
            response = client.post(self.url, {"email": user.email, "password": "nope"})
        assert 'data-testid="locked-message"' in response.content.decode()
        response = client.post(self.url, {"email": user.email, "password": PASSWORD})
        content = response.content.decode()
        assert content.count("locked for 15 minutes") == 1
        assert "_auth_user_id" not in client.session

    def test_suspended_message(self, client, user):
        services.user_suspend(user=user, reason="fraud")
        response = client.post(self.url, {"email": user.email, "password": PASSWORD})
        assert "suspended" in response.content.decode()

    def test_next_is_followed_only_when_local(self, client, user):
        response = client.post(self.url, {"email": user.email, "password": PASSWORD, "next": "/notifications/"})
        assert response.url == "/notifications/"
        client.logout()
        response = client.post(self.url, {"email": user.email, "password": PASSWORD,
                                          "next": "https://evil.example.com/"})
        assert response.url == reverse("home")

    def test_suspension_ends_an_existing_session(self, client, user):
        client.force_login(user)
        services.user_suspend(user=user, reason="fraud")
        assert client.get(reverse("marketplace:settings")).status_code == 302


class TestAdminLogin:
    def test_admin_login_obeys_lockout(self, client):
        admin = AdminFactory()
        for _ in range(5):
            client.post("/admin/login/", {"username": admin.email, "password": "nope"})
        response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
        assert response.status_code == 200  # form shown again, not signed in
        assert "_auth_user_id" not in client.session
        assert User.objects.get(pk=admin.pk).locked_until is not None

    def test_admin_login_works(self, client):
        admin = AdminFactory()
        response = client.post("/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200

    def test_customer_cannot_enter_admin(self, client):
        client.force_login(UserFactory())
        assert client.get("/admin/").status_code == 302


class TestMessagesFollowTheSettings:
    """The texts quote the lockout settings the rule uses, not numbers typed beside them."""

    @pytest.fixture(autouse=True)
    def stricter(self, settings):
        settings.LOGIN_LOCKOUT_THRESHOLD = 3
        settings.LOGIN_LOCKOUT_DURATION = timedelta(minutes=30)

    def test_api_page_and_notice(self, client, api_client, user, django_capture_on_commit_callbacks):
        from notifications.models import Notification

        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(3):
                response = api_client.post(LOGIN, {"email": user.email, "password": "nope"}, format="json")
        assert response.status_code == 423 and "locked for 30 minutes" in response.json()["error"]["message"]
        assert "30 minutes after 3 failed" in Notification.objects.get(user=user).body
        page = client.post(reverse("marketplace:login"), {"email": user.email, "password": PASSWORD})
        assert "locked for 30 minutes after 3 failed attempts" in page.content.decode()

    def test_reset_link_lifetime_in_mail_and_page(self, client, user, settings, django_capture_on_commit_callbacks):
        from django.core import mail

        settings.PASSWORD_RESET_TOKEN_TTL = timedelta(hours=2)
        with django_capture_on_commit_callbacks(execute=True):
            page = client.post(reverse("marketplace:password_forgot"), {"email": user.email})
        assert "for 2 hours" in page.content.decode() and "expires in 2 hours" in mail.outbox[0].body


def test_the_wait_after_too_many_attempts_is_said_in_words():
    from marketplace import notices

    assert notices.rate_limited(900).endswith("about 15 minutes.")
    assert notices.rate_limited(20).endswith("about 1 minute.")
    assert "(s)" not in notices.rate_limited(3600)


def _demo_sign_in_sequence(client, settings):
    """Sign in and out as every demo account of the README, then sign up and sign in as someone new:
    the status of each sign-in (and of the sign-up) in order."""
    import io
    import re
    from pathlib import Path

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())
    settings.DEBUG = False
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    emails = re.findall(r"^\| `([a-z]+@demo\.cleanit\.in)` \|", readme, flags=re.M)
    assert len(emails) == 5
    statuses = []
    for email in emails:
        statuses.append(client.post(reverse("marketplace:login"),
                                    {"email": email, "password": settings.DEMO_PASSWORD}).status_code)
        client.post(reverse("marketplace:logout"))
    statuses.append(client.post(reverse("marketplace:signup"), {
        "name": "Nisha Verma", "email": "nisha@example.in", "phone": "+919812345670", "role": "customer",
        "password": PASSWORD, "accept_terms": "on"}).status_code)
    statuses.append(client.post(reverse("marketplace:login"),
                                {"email": "nisha@example.in", "password": PASSWORD}).status_code)
    return statuses


def test_in_development_every_demo_account_then_a_new_sign_up_signs_in(client, settings):
    settings.AUTH_RATE_LIMIT_PER_15_MINUTES = 100  # the development default (test_settings checks it)
    assert _demo_sign_in_sequence(client, settings) == [302] * 7


def test_the_production_limit_stops_the_same_sequence_at_the_sixth_sign_in(client, settings):
    """What a newcomer met before: the sign-up goes through, the new person's sign-in is refused."""
    settings.AUTH_RATE_LIMIT_PER_15_MINUTES = 5
    assert _demo_sign_in_sequence(client, settings) == [302] * 6 + [429]
