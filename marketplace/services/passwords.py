"""Passwords: the one way a password is set (user change, reset link, the Django admin), which
always signs the user out everywhere else."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from notifications import services as notification_services

from .. import notices
from ..errors import InvalidToken
from ..models import AccountToken, User
from .links import account_email_send, account_link_consume, account_link_holder, account_link_issue
from .tokens import auth_revoke_all


def password_validate(password: str, *, user: User | None = None, field: str = "password") -> None:
    try:
        password_validation.validate_password(password or "", user=user)
    except DjangoValidationError as exc:
        raise errors.ValidationFailed(fields={field: list(exc.messages)}) from exc


def password_check(*, user: User, password: str, field: str, message: str) -> None:
    """The caller proves who they are before a sensitive change (new password, deletion)."""
    if not isinstance(password, str) or not user.check_password(password):
        raise errors.ValidationFailed(fields={field: [message]})


def password_set(*, user: User, password: str | None, now: datetime | None = None) -> None:
    """Store a new password (None: password sign-in disabled), lift a lockout, revoke every refresh
    and access token of the user, and tell them."""
    now = now or timezone.now()
    with atomic():
        user.set_password(password)
        User.objects.filter(pk=user.pk).update(password=user.password, failed_login_count=0, locked_until=None)
        auth_revoke_all(user=user, reason="password_changed", now=now)
    on_commit(lambda: notification_services.notify(
        user=user, event="security.password_changed", title=notices.PASSWORD_CHANGED_TITLE,
        body=notices.PASSWORD_CHANGED_BODY, link=reverse("marketplace:settings"),
    ))


def user_change_password(*, user: User, current_password: str, new_password: str) -> None:
    password_check(user=user, password=current_password, field="current_password",
                   message=notices.CURRENT_PASSWORD_WRONG)
    password_validate(new_password, user=user)
    password_set(user=user, password=new_password)


def password_reset_request(*, email: str) -> None:
    """Mail a reset link if an active account has this e-mail. Answers the same either way."""
    user = User.objects.filter(email=User.objects.normalize_email(email), is_active=True).first()
    if user is None:
        return
    link = account_link_issue(user=user, purpose=AccountToken.Purpose.PASSWORD_RESET,
                              ttl=settings.PASSWORD_RESET_TOKEN_TTL, url_name="marketplace:password_reset")
    account_email_send(user=user, template="password_reset", subject=notices.RESET_EMAIL_SUBJECT,
                       context={"link": link, "lifetime": notices.reset_link_lifetime()})


def password_reset_confirm(*, token: str, password: str, now: datetime | None = None) -> User:
    now = now or timezone.now()
    purpose = AccountToken.Purpose.PASSWORD_RESET
    password_validate(password, user=account_link_holder(raw=token, purpose=purpose, now=now))
    user = account_link_consume(raw=token, purpose=purpose, now=now)
    if not user.is_active:
        raise InvalidToken()
    password_set(user=user, password=password, now=now)
    return user
