"""Creating an account and confirming its e-mail address. E-mail addresses are normalised and
checked for case-insensitive uniqueness here for every way an account is made (sign-up, admin)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from notifications import services as notification_services

from .. import notices, selectors
from ..models import SELF_SERVICE_ROLES, AccountToken, User
from .links import account_email_send, account_link_consume, account_link_issue
from .profile import clean_name, clean_phone


def email_clean(email: str, *, field_errors: dict[str, list[str]], user: User | None = None) -> str:
    """The normalised address; a field error when it is malformed or another account has it in any case."""
    email = User.objects.normalize_email(email)
    try:
        validate_email(email)
    except DjangoValidationError:
        field_errors["email"] = [notices.EMAIL_INVALID]
        return email
    if selectors.email_in_use(email=email, exclude=user):
        field_errors["email"] = [notices.EMAIL_TAKEN]
    return email


def _welcome(user: User) -> None:
    if user.is_cleaner:
        body, link = notices.WELCOME_BODY_CLEANER, reverse("marketplace:cleaner_dashboard")
    else:
        body, link = notices.WELCOME_BODY_CUSTOMER, reverse("cleaners:find")
    notification_services.notify(user=user, event="account.welcome", title=notices.welcome_title(user), body=body,
                                 link=link)


def user_register(
    *, email: str, password: str, name: str, phone: str, role: str, accept_terms: bool
) -> User:
    field_errors: dict[str, list[str]] = {}
    email = email_clean(email, field_errors=field_errors)
    name = clean_name(name, field_errors)
    phone = clean_phone(phone, field_errors)
    if role not in SELF_SERVICE_ROLES:
        field_errors["role"] = ["Choose customer or cleaner."]
    if accept_terms is not True:
        field_errors["accept_terms"] = ["You must accept the terms of service."]
    try:
        password_validation.validate_password(password or "", user=User(email=email, name=name, phone=phone))
    except DjangoValidationError as exc:
        field_errors["password"] = list(exc.messages)
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)

    try:
        with atomic():
            user = User.objects.create_user(
                email=email, password=password, name=name, phone=phone, role=role,
                terms_version=settings.TERMS_VERSION, terms_accepted_at=timezone.now(),
            )
    except IntegrityError as exc:  # two sign-ups with one e-mail at the same moment
        raise errors.ValidationFailed(fields={"email": [notices.EMAIL_TAKEN]}) from exc

    on_commit(lambda: _welcome(user))
    email_verification_send(user=user)
    return user


def email_verification_send(*, user: User) -> None:
    if user.email_verified:
        return
    link = account_link_issue(user=user, purpose=AccountToken.Purpose.EMAIL_VERIFICATION,
                              ttl=settings.EMAIL_VERIFICATION_TOKEN_TTL, url_name="marketplace:verify_email")
    account_email_send(user=user, template="verify_email", subject=notices.VERIFY_EMAIL_SUBJECT,
                       context={"link": link, "lifetime": notices.verification_link_lifetime()})


def email_verify(*, token: str, now: datetime | None = None) -> User:
    now = now or timezone.now()
    user = account_link_consume(raw=token, purpose=AccountToken.Purpose.EMAIL_VERIFICATION, now=now)
    User.objects.filter(pk=user.pk, email_verified_at__isnull=True).update(email_verified_at=now)
    user.refresh_from_db(fields=["email_verified_at"])
    return user
