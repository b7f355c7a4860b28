import json

import pytest
from django.urls import reverse

from marketplace import services
from marketplace.errors import CannotSuspendSuperuser
from marketplace.models import User
from notifications.models import Notification
from notifications import services as notification_services
from notifications.services import notify

from .factories import PASSWORD, CleanerFactory, UserFactory

pytestmark = pytest.mark.django_db
ME = "/api/v1/users/me"


class TestMeApi:
    def test_profile_fields(self, auth_client, user):
        body = auth_client.get(ME).json()
        assert set(body) >= {"id", "email", "name", "role", "phone", "email_verified", "date_joined"}
        assert "password" not in body and body["id"] == str(user.pk)

    def test_anonymous_is_401(self, api_client, db):
        for method in ("get", "patch", "delete"):
            response = getattr(api_client, method)(ME)
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "not_authenticated"

    def test_update_name_and_phone(self, auth_client, user):
        response = auth_client.patch(ME, {"name": "  New Name ", "phone": "09876543210"}, format="json")
        assert response.status_code == 200
        user.refresh_from_db()
        assert (user.name, user.phone) == ("New Name", "+919876543210")

    def test_update_cannot_change_role_or_email(self, auth_client, user):
        auth_client.patch(ME, {"role": "admin", "email": "x@y.in", "is_staff": True}, format="json")
        user.refresh_from_db()
        assert (user.role, user.is_staff) == ("customer", False) and user.email != "x@y.in"

    @pytest.mark.parametrize("body,field", [({"name": ""}, "name"), ({"phone": "123"}, "phone"),
                                            ({"name": "x" * 151}, "name")])
    def test_bad_update(self, auth_client, user, body, field):
        name = user.name
        response = auth_client.patch(ME, body, format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"]
        user.refresh_from_db()
        assert user.name == name

    def test_delete_anonymises(self, auth_client, user):
        notify(user=user, event="account.welcome", title="Hi")
        email = user.email
        assert auth_client.delete(ME, {"password": PASSWORD}, format="json").status_code == 204
        user.refresh_from_db()
        assert user.name == "Deleted User" and user.phone == "" and user.email != email
        assert user.email.endswith("@deleted.invalid") and not user.is_active and user.deleted_at
        assert not user.has_usable_password()
        assert auth_client.get(ME).status_code == 401
        assert User.objects.filter(pk=user.pk).exists()  # records stay tied to the same id

    def test_change_password(self, auth_client, user):
        url = "/api/v1/users/me/password"
        wrong = auth_client.post(url, {"current_password": "nope", "new_password": "N3w!Password"}, format="json")
        assert wrong.status_code == 400 and "current_password" in wrong.json()["error"]["fields"]
        weak = auth_client.post(url, {"current_password": PASSWORD, "new_password": "weak"}, format="json")
        assert weak.status_code == 400 and "password" in weak.json()["error"]["fields"]
        ok = auth_client.post(url, {"current_password": PASSWORD, "new_password": "N3w!Password"}, format="json")
        assert ok.status_code == 200
        user.refresh_from_db()
        assert user.check_password("N3w!Password")


class TestDataExport:
    def test_api_export_contains_own_data_only(self, auth_client, user):
        other = UserFactory()
        notify(user=user, event="account.welcome", title="Mine")
        notify(user=other, event="account.welcome", title="Theirs")
        response = auth_client.get("/api/v1/users/me/data-export")
        assert response.status_code == 200
        data = json.loads(response.content)
        assert data["account"]["email"] == user.email
        assert [n["title"] for n in data["notifications"]["items"]] == ["Mine"]
        assert other.email not in response.content.decode()
        assert "password" not in data["account"]

    def test_page_download(self, client, user):
        client.force_login(user)
        response = client.get(reverse("marketplace:data_export"))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert json.loads(response.content)["account"]["id"] == str(user.pk)

    def test_anonymous(self, client, api_client, db):
        assert api_client.get("/api/v1/users/me/data-export").status_code == 401
        assert client.get(reverse("marketplace:data_export")).status_code == 302


class TestPublicUser:
    def test_public_fields_only(self, api_client, db):
        cleaner = CleanerFactory()
        response = api_client.get(f"/api/v1/users/{cleaner.pk}")
        assert response.status_code == 200
        assert set(response.json()) == {"id", "name", "role", "date_joined"}

    @pytest.mark.parametrize("user_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1"])
    def test_unknown_is_404(self, api_client, db, user_id):
        response = api_client.get(f"/api/v1/users/{user_id}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


class TestSettingsPages:
    @pytest.fixture
    def signed_in(self, client, user):
        client.force_login(user)
        return client

    def test_settings_requires_login(self, client):
        response = client.get(reverse("marketplace:settings"))
        assert response.status_code == 302 and "/account/login/" in response.url

    def test_settings_page_sections(self, signed_in):
        content = signed_in.get(reverse("marketplace:settings")).content.decode()
        for section in ("Profile", "Password", "Notification preferences", "Download my data", "Delete my account"):
            assert section in content

    def test_profile_update_and_errors(self, signed_in, user):
        bad = signed_in.post(reverse("marketplace:settings_profile"), {"name": "Valid", "phone": "12"})
        assert bad.status_code == 400 and "valid Indian mobile" in bad.content.decode()
        ok = signed_in.post(reverse("marketplace:settings_profile"), {"name": "Valid Name", "phone": "9876543210"})
        assert ok.status_code == 302
        user.refresh_from_db()
        assert user.name == "Valid Name"

    def test_password_change_keeps_this_session(self, signed_in, user):
        response = signed_in.post(reverse("marketplace:settings_password"), {
            "current_password": PASSWORD, "new_password": "N3w!Password", "new_password_confirm": "N3w!Password"})
        assert response.status_code == 302
        assert signed_in.get(reverse("marketplace:settings")).status_code == 200

    def test_password_change_errors(self, signed_in):
        response = signed_in.post(reverse("marketplace:settings_password"), {
            "current_password": "nope", "new_password": "N3w!Password", "new_password_confirm": "N3w!Password"})
        assert response.status_code == 400 and "current password is incorrect" in response.content.decode()

    def test_preferences(self, signed_in, user):
        response = signed_in.post(reverse("marketplace:settings_notifications"), {"bookings": "on", "jobs": "on"})
        assert response.status_code == 302
        pref = user.notification_preference
        assert (pref.bookings, pref.campaigns, pref.jobs, pref.payments) == (True, False, True, False)

    def test_delete_requires_password_and_confirmation(self, signed_in, user):
        response = signed_in.post(reverse("marketplace:settings_delete"), {"password": "nope", "confirm": "on"})
        assert response.status_code == 400
        response = signed_in.post(reverse("marketplace:settings_delete"), {"password": PASSWORD})
        assert response.status_code == 400
        user.refresh_from_db()
        assert not user.is_deleted
        response = signed_in.post(reverse("marketplace:settings_delete"), {"password": PASSWORD, "confirm": "on"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.is_deleted
        assert signed_in.get(reverse("marketplace:settings")).status_code == 302


class TestSuspension:
    def test_suspend_is_idempotent_and_reactivate_restores(self, user):
        assert services.user_suspend(user=user, reason="spam") is True
        assert services.user_suspend(user=user, reason="again") is False
        assert user.suspension_reason == "spam" and not user.is_active
        assert services.user_reactivate(user=user) is True
        assert user.is_active and services.auth_login(email=user.email, password=PASSWORD) == user
        assert services.user_reactivate(user=user) is False

    def test_deleted_account_cannot_be_reactivated(self, user):
        services.user_delete_account(user=user, password=PASSWORD)
        assert services.user_reactivate(user=user) is False
        assert not user.is_active

    def test_superuser_cannot_be_suspended(self, db):
        from .factories import AdminFactory

        with pytest.raises(CannotSuspendSuperuser):
            services.user_suspend(user=AdminFactory(), reason="x")


class TestAdminActions:
    def test_suspend_and_reactivate_through_admin(self, client):
        from .factories import AdminFactory

        client.force_login(AdminFactory())
        target = UserFactory()
        url = reverse("admin:marketplace_user_changelist")
        confirm = client.post(url, {"action": "suspend_users", "_selected_action": [target.pk]})
        assert confirm.status_code == 200 and b"Suspend" in confirm.content
        done = client.post(url, {"action": "suspend_users", "_selected_action": [target.pk], "apply": "1",
                                 "reason": "Repeated no-shows"})
        assert done.status_code == 302
        target.refresh_from_db()
        assert target.is_suspended and target.suspension_reason == "Repeated no-shows"
        client.post(url, {"action": "reactivate_users", "_selected_action": [target.pk]})
        target.refresh_from_db()
        assert not target.is_suspended and target.is_active

    def test_admin_user_pages_render(self, client):
        from .factories import AdminFactory

        client.force_login(AdminFactory())
        target = UserFactory()
        assert client.get(reverse("admin:marketplace_user_changelist")).status_code == 200
        assert client.get(reverse("admin:marketplace_user_change", args=[target.pk])).status_code == 200
        assert client.get(reverse("admin:marketplace_user_add")).status_code == 200
        assert client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200


def test_notifications_of_deleted_user_are_not_sent(user):
    services.user_delete_account(user=user, password=PASSWORD)
    assert notify(user=user, event="account.welcome", title="Hi") is None
    assert not Notification.objects.filter(user=user).exists()


class TestDeleteNeedsThePassword:
    """One rule, in the service: the page and the API both ask for the current password."""

    @pytest.mark.parametrize("body", [{}, {"password": "Wrong!Pass1"}, {"password": ""}, {"password": None}])
    def test_api_refuses_a_missing_or_wrong_password(self, auth_client, user, body):
        response = auth_client.delete(ME, body, format="json")
        assert response.status_code == 400 and "password" in response.json()["error"]["fields"]
        user.refresh_from_db()
        assert not user.is_deleted and user.is_active

    def test_service_refuses_a_wrong_password(self, user):
        from cleanit import errors

        with pytest.raises(errors.ValidationFailed) as refused:
            services.user_delete_account(user=user, password="Wrong!Pass1")
        assert list(refused.value.fields) == ["password"]
        user.refresh_from_db()
        assert not user.is_deleted

    def test_page_wrong_password_is_a_field_error(self, client, user):
        client.force_login(user)
        response = client.post(reverse("marketplace:settings_delete"), {"password": "Wrong!Pass1", "confirm": "on"})
        assert response.status_code == 400 and "Your password is incorrect." in response.content.decode()

    def test_page_status_follows_the_error(self, client):
        """A superuser refused deletion gets 403 (the API's status for the error), not a blanket 400."""
        from .factories import AdminFactory

        admin = AdminFactory()
        client.force_login(admin)
        response = client.post(reverse("marketplace:settings_delete"), {"password": PASSWORD, "confirm": "on"})
        assert response.status_code == 403 and "cannot be deleted" in response.content.decode()
        assert api_client_for(admin).delete(ME, {"password": PASSWORD}, format="json").status_code == 403


def api_client_for(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.auth_issue_tokens(user=user).access}")
    return client


class TestSuspensionNotice:
    def test_the_suspended_person_is_told_why_after_commit(self, user, django_capture_on_commit_callbacks):
        notification_services.preferences_update(user=user, bookings=False, campaigns=False, jobs=False,
                                                 payments=False)
        with django_capture_on_commit_callbacks() as callbacks:
            services.user_suspend(user=user, reason="Three missed deadlines")
        assert not Notification.objects.filter(user=user).exists()
        for callback in callbacks:
            callback()
        notice = Notification.objects.get(user=user, event="account.suspended")
        assert notice.category == "account" and "Three missed deadlines" in notice.body

    def test_suspending_again_does_not_notify_again(self, user, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            services.user_suspend(user=user, reason="spam")
            services.user_suspend(user=user, reason="spam again")
        assert Notification.objects.filter(user=user, event="account.suspended").count() == 1


class TestWelcome:
    @pytest.mark.parametrize("role,link", [("customer", "/cleaners/"), ("cleaner", "/account/cleaner/")])
    def test_welcome_fits_the_role(self, db, django_capture_on_commit_callbacks, role, link):
        with django_capture_on_commit_callbacks(execute=True):
            user = services.user_register(email=f"{role}@example.in", password="Str0ng!Pass", name="Asha Devi",
                                          phone="9876543210", role=role, accept_terms=True)
        notice = Notification.objects.get(user=user, event="account.welcome")
        assert notice.title == "Welcome to Cleanit, Asha!" and notice.link == link
        assert "book" not in notice.body.lower() and "find trusted cleaners" not in notice.body.lower()
