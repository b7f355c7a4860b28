import pytest
from django.core import mail
from django.urls import reverse

from cleanit import errors
from marketplace import services
from marketplace.models import Role, User
from notifications.models import Notification

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VALID = {"email": "Asha@Example.in", "password": PASSWORD, "phone": "+91 98765 43210", "name": "Asha Rao",
         "role": "customer", "accept_terms": True}


def register(**overrides):
    return services.user_register(**{**VALID, **overrides})


class TestRegisterService:
    def test_creates_user_with_normalised_email_phone_and_terms(self, settings, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            user = register()
        assert user.email == "asha@example.in"
        assert user.phone == "+919876543210"
        assert user.role == Role.CUSTOMER
        assert user.terms_version == settings.TERMS_VERSION and user.terms_accepted_at is not None
        assert user.check_password(PASSWORD)
        assert not user.email_verified

    def test_welcome_notification_and_verification_email_after_commit(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            user = register()
        assert Notification.objects.filter(user=user, event="account.welcome").count() == 1
        assert len(mail.outbox) == 1 and "confirm" in mail.outbox[0].subject.lower()

    @pytest.mark.parametrize("password,fragment", [
        ("Sh0rt!", "too short"),
        ("alllowercase1!", "upper-case"),
        ("ALLUPPERCASE1!", "lower-case"),
        ("NoDigitsHere!", "digit"),
        ("NoSpecial123", "special"),
    ])
    def test_weak_passwords_refused(self, password, fragment):
        with pytest.raises(errors.ValidationFailed) as exc:
            register(password=password)
        assert any(fragment in message for message in exc.value.fields["password"])
        assert not User.objects.exists()

    def test_duplicate_email_refused_case_insensitively(self):
        register()
        with pytest.raises(errors.ValidationFailed) as exc:
            register(email="ASHA@example.IN")
        assert "email" in exc.value.fields
        assert User.objects.count() == 1

    @pytest.mark.parametrize("role", ["admin", "superuser", ""])
    def test_wrong_role_refused(self, role):
        with pytest.raises(errors.ValidationFailed) as exc:
            register(role=role)
        assert "role" in exc.value.fields

    def test_terms_must_be_accepted(self):
        with pytest.raises(errors.ValidationFailed) as exc:
            register(accept_terms=False)
        assert "accept_terms" in exc.value.fields

    @pytest.mark.parametrize("phone", ["12345", "+1 202 555 0100", "5876543210", "abc"])
    def test_invalid_phone_refused(self, phone):
        with pytest.raises(errors.ValidationFailed) as exc:
            register(phone=phone)
        assert "phone" in exc.value.fields

    def test_invalid_email_and_blank_name(self):
        with pytest.raises(errors.ValidationFailed) as exc:
            register(email="not-an-email", name="   ")
        assert {"email", "name"} <= set(exc.value.fields)

    def test_cleaner_can_register(self):
        assert register(role="cleaner").role == Role.CLEANER


class TestRegisterApi:
    url = "/api/v1/auth/register"

    def test_created_without_tokens(self, api_client):
        response = api_client.post(self.url, VALID, format="json")
        assert response.status_code == 201
        body = response.json()
        assert set(body) == {"id", "email", "name", "role"}
        assert body["email"] == "asha@example.in" and "access" not in body

    def test_trailing_slash_works_without_redirect(self, api_client):
        assert api_client.post(self.url + "/", VALID, format="json").status_code == 201

    def test_weak_password_gives_envelope(self, api_client):
        response = api_client.post(self.url, {**VALID, "password": "weak"}, format="json")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "validation_error" and "password" in error["fields"]

    def test_duplicate_email(self, api_client):
        api_client.post(self.url, VALID, format="json")
        response = api_client.post(self.url, VALID, format="json")
        assert response.status_code == 400 and "email" in response.json()["error"]["fields"]

    def test_wrong_role(self, api_client):
        response = api_client.post(self.url, {**VALID, "role": "admin"}, format="json")
        assert response.status_code == 400 and "role" in response.json()["error"]["fields"]
        assert not User.objects.filter(role="admin").exists()

    @pytest.mark.parametrize("body", [{}, {"email": ["x"]}, {**VALID, "accept_terms": "maybe"}, "just a string", []])
    def test_malformed_bodies_are_400(self, api_client, body):
        response = api_client.post(self.url, body, format="json")
        assert response.status_code == 400
        assert "error" in response.json()

    def test_password_never_echoed(self, api_client):
        response = api_client.post(self.url, VALID, format="json")
        assert PASSWORD not in response.content.decode()


class TestSignupPage:
    url = reverse("marketplace:signup")

    def test_form_renders(self, client):
        response = client.get(self.url)
        assert response.status_code == 200
        assert b'name="accept_terms"' in response.content

    def test_signup_redirects_to_login(self, client):
        response = client.post(self.url, VALID)
        assert response.status_code == 302 and response.url == reverse("marketplace:login")
        assert User.objects.filter(email="asha@example.in").exists()

    def test_field_errors_shown(self, client):
        UserFactory(email="asha@example.in")
        response = client.post(self.url, {**VALID, "password": "weak", "accept_terms": ""})
        assert response.status_code == 200
        content = response.content.decode()
        assert "already exists" in content
        assert "too short" in content
        assert "accept the terms" in content
        assert 'aria-invalid="true"' in content
        assert User.objects.count() == 1

    def test_signup_is_not_possible_as_admin(self, client):
        response = client.post(self.url, {**VALID, "role": "admin"})
        assert response.status_code == 200
        assert not User.objects.exists()
