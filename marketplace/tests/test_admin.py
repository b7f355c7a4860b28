"""The Django admin goes through the services: setting a password signs the user out everywhere,
addresses are normalised like sign-up, and role, admin rights and the active flag change only
through audited actions."""

import pytest
from django.urls import reverse

from marketplace import services
from marketplace.errors import CannotChangeOwnAccess, CannotChangeSuperuser
from marketplace.models import AccountAuditEntry, IssuedRefreshToken, User
from notifications.models import Notification

from .factories import PASSWORD, AdminFactory, UserFactory

pytestmark = pytest.mark.django_db
ME, REFRESH = "/api/v1/users/me", "/api/v1/auth/refresh"
CHANGELIST = reverse("admin:marketplace_user_changelist")
ADD = reverse("admin:marketplace_user_add")


@pytest.fixture
def admin_user():
    return AdminFactory()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(user):
    return reverse("admin:marketplace_user_change", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def change_form(user, **overrides):
    """What the change form posts back for ``user``, with ``overrides``."""
    data = {"email": user.email, "name": user.name, "phone": user.phone, "role": user.role,
            "audit_entries-TOTAL_FORMS": "0", "audit_entries-INITIAL_FORMS": "0"}
    data.update(overrides)
    return data


class TestSetPassword:
    def test_admin_password_set_revokes_tokens_like_a_password_change(self, admin_client, api_client,
                                                                        django_capture_on_commit_callbacks):
        user = UserFactory()
        tokens = services.auth_issue_tokens(user=user)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(password_url(user), {"password1": "Adm1n!Chosen", "password2": "Adm1n!Chosen",
                                               "usable_password": "true"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password("Adm1n!Chosen")
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.access}")
        assert api_client.get(ME).status_code == 401
        api_client.credentials()
        assert api_client.post(REFRESH, {"refresh": tokens.refresh}, format="json").status_code == 401
        assert not IssuedRefreshToken.objects.filter(user=user, revoked_at__isnull=True).exists()
        assert Notification.objects.filter(user=user, event="security.password_changed").exists()

    def test_disabling_password_sign_in_revokes_tokens_too(self, admin_client, api_client):
        user = UserFactory()
        tokens = services.auth_issue_tokens(user=user)
        response = admin_client.post(password_url(user),
                                     {"usable_password": "false", "unset-password": "1"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert not user.has_usable_password()
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.access}")
        assert api_client.get(ME).status_code == 401

    def test_weak_password_is_refused_and_nothing_changes(self, admin_client):
        user = UserFactory()
        version = user.token_version
        response = admin_client.post(password_url(user),
                                     {"password1": "weak", "password2": "weak", "usable_password": "true"})
        assert response.status_code == 200
        user.refresh_from_db()
        assert user.check_password(PASSWORD) and user.token_version == version


class TestEmailAddresses:
    def test_address_created_in_admin_is_normalised_and_can_sign_in(self, admin_client):
        response = admin_client.post(ADD, {"email": "  Asha.Devi@Example.IN ", "name": "Asha Devi", "role": "customer",
                                           "password1": "Str0ng!Pass", "password2": "Str0ng!Pass"})
        assert response.status_code == 302, response.content.decode()[:2000]
        user = User.objects.get(name="Asha Devi")
        assert user.email == "asha.devi@example.in"
        assert services.auth_login(email="ASHA.DEVI@example.in", password="Str0ng!Pass") == user

    def test_case_duplicate_is_refused_on_create(self, admin_client):
        UserFactory(email="asha@example.in")
        response = admin_client.post(ADD, {"email": "ASHA@example.in", "name": "Other", "role": "customer",
                                           "password1": "Str0ng!Pass", "password2": "Str0ng!Pass"})
        assert response.status_code == 200 and "already exists" in response.content.decode()
        assert User.objects.filter(email__iexact="asha@example.in").count() == 1

    def test_address_edited_in_admin_is_normalised(self, admin_client):
        user = UserFactory()
        response = admin_client.post(change_url(user), change_form(user, email="New.Address@Example.IN"))
        assert response.status_code == 302, response.content.decode()[:3000]
        user.refresh_from_db()
        assert user.email == "new.address@example.in"

    def test_case_duplicate_is_refused_on_edit(self, admin_client):
        UserFactory(email="taken@example.in")
        user = UserFactory()
        response = admin_client.post(change_url(user), change_form(user, email="Taken@Example.in"))
        assert response.status_code == 200 and "already exists" in response.content.decode()
        user.refresh_from_db()
        assert user.email != "taken@example.in"

    def test_a_legacy_mixed_case_row_blocks_its_lower_case_twin(self, db):
        """Rows stored before normalisation: the check is case-insensitive, not only exact."""
        legacy = UserFactory()
        User.objects.filter(pk=legacy.pk).update(email="Legacy@Example.in")
        field_errors = {}
        services.email_clean("legacy@example.in", field_errors=field_errors)
        assert "email" in field_errors

    def test_every_save_normalises(self, db):
        assert UserFactory(email="Mixed.Case@Example.IN").email == "mixed.case@example.in"
        assert User.objects.create_user(email="Other@X.in", password=PASSWORD, name="O").email == "other@x.in"

    def test_data_migration_lowercases_what_it_safely_can(self, db):
        import importlib

        from django.apps import apps

        migration = importlib.import_module("marketplace.migrations.0004_lowercase_emails_kyc_aes_gcm")
        lone, twin_a, twin_b = UserFactory(), UserFactory(), UserFactory()
        User.objects.filter(pk=lone.pk).update(email="Lone@Example.in")
        User.objects.filter(pk=twin_a.pk).update(email="Twin@Example.in")
        User.objects.filter(pk=twin_b.pk).update(email="twin@EXAMPLE.in")
        migration.lowercase_emails(apps, None)
        assert User.objects.get(pk=lone.pk).email == "lone@example.in"
        assert {User.objects.get(pk=twin_a.pk).email, User.objects.get(pk=twin_b.pk).email} == {
            "Twin@Example.in", "twin@EXAMPLE.in"}


class TestAccessFlags:
    def test_role_staff_and_active_are_read_only_on_the_change_form(self, admin_client):
        user = UserFactory()
        page = admin_client.get(change_url(user)).content.decode()
        for field in ("role", "is_staff", "is_superuser", "is_active"):
            assert f'name="{field}"' not in page
        admin_client.post(change_url(user), change_form(user, role="admin", is_staff="on", is_superuser="on"))
        user.refresh_from_db()
        assert (user.role, user.is_staff, user.is_superuser) == ("customer", False, False)

    def test_role_action_changes_role_signs_out_and_is_audited(self, admin_client, admin_user):
        user = UserFactory()
        version = user.token_version
        admin_client.post(CHANGELIST, {"action": "set_role_cleaner", "_selected_action": [user.pk]})
        user.refresh_from_db()
        assert user.role == "cleaner" and user.token_version > version
        entry = AccountAuditEntry.objects.get(user=user)
        assert (entry.action, entry.actor, entry.detail) == ("role_changed", admin_user, "customer → cleaner")

    def test_admin_rights_granted_and_revoked_through_actions(self, admin_client, admin_user):
        user = UserFactory()
        admin_client.post(CHANGELIST, {"action": "grant_admin_rights", "_selected_action": [user.pk]})
        user.refresh_from_db()
        assert user.is_staff
        admin_client.post(CHANGELIST, {"action": "revoke_admin_rights", "_selected_action": [user.pk]})
        user.refresh_from_db()
        assert not user.is_staff
        assert list(AccountAuditEntry.objects.filter(user=user).order_by("created_at").values_list(
            "action", "actor")) == [("staff_granted", admin_user.pk), ("staff_revoked", admin_user.pk)]

    def test_own_access_and_superusers_are_not_changed(self, admin_client, admin_user):
        other_superuser = AdminFactory()
        response = admin_client.post(CHANGELIST, {"action": "revoke_admin_rights",
                                                  "_selected_action": [admin_user.pk, other_superuser.pk]},
                                     follow=True)
        assert "not changed here" in response.content.decode()
        assert User.objects.filter(pk__in=[admin_user.pk, other_superuser.pk], is_staff=True).count() == 2
        staff = UserFactory(is_staff=True)
        with pytest.raises(CannotChangeOwnAccess):
            services.user_set_staff(user=staff, is_staff=False, by=staff)
        with pytest.raises(CannotChangeSuperuser):
            services.user_set_role(user=other_superuser, role="customer", by=admin_user)
        assert not AccountAuditEntry.objects.exists()

    def test_suspend_and_reactivate_leave_audit_entries(self, admin_client, admin_user):
        user = UserFactory()
        admin_client.post(CHANGELIST, {"action": "suspend_users", "_selected_action": [user.pk], "apply": "1",
                                       "reason": "Repeated no-shows"})
        admin_client.post(CHANGELIST, {"action": "reactivate_users", "_selected_action": [user.pk]})
        entries = list(AccountAuditEntry.objects.filter(user=user).order_by("created_at"))
        assert [(e.action, e.actor, e.detail) for e in entries] == [
            ("suspended", admin_user, "Repeated no-shows"), ("reactivated", admin_user, "")]
        page = admin_client.get(change_url(user)).content.decode()
        assert "Repeated no-shows" in page  # the history under the user, read-only

    def test_rule_suspension_is_audited_without_an_actor(self, db):
        user = UserFactory()
        services.user_suspend(user=user, reason="Three missed deadlines")
        entry = AccountAuditEntry.objects.get(user=user)
        assert entry.actor is None and entry.action == "suspended"

    def test_audit_entries_are_read_only_in_the_admin(self, admin_client):
        services.user_suspend(user=UserFactory(), reason="spam")
        entry = AccountAuditEntry.objects.get()
        assert admin_client.get(reverse("admin:marketplace_accountauditentry_changelist")).status_code == 200
        assert admin_client.get(reverse("admin:marketplace_accountauditentry_add")).status_code == 403
        response = admin_client.post(reverse("admin:marketplace_accountauditentry_change", args=[entry.pk]),
                                     {"detail": "edited"})
        assert response.status_code == 403
        entry.refresh_from_db()
        assert entry.detail == "spam"


def test_accounts_are_not_hard_deleted_in_the_admin(admin_client):
    user = UserFactory()
    assert admin_client.get(reverse("admin:marketplace_user_delete", args=[user.pk])).status_code == 403
    admin_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"})
    assert User.objects.filter(pk=user.pk).exists()
