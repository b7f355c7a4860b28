"""Sign-in with the lockout rule (LOGIN_LOCKOUT_THRESHOLD failures in a row lock the account for
LOGIN_LOCKOUT_DURATION)."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cleanit.db import on_commit
from notifications import services as notification_services

from .. import notices
from ..errors import AccountLocked, AccountSuspended, InvalidCredentials
from ..models import User

logger = logging.getLogger(__name__)

# A real hash of a random password, checked when the e-mail is unknown so that a failed login
# takes as long whether or not the account exists.
_TIMING_DUMMY_PASSWORD = secrets.token_urlsafe(16)


def auth_login(*, email: str, password: str, now: datetime | None = None) -> User:
    """Check credentials with the lockout rule. A locked account answers "locked" whatever the
    password, so the answer reveals nothing."""
    now = now or timezone.now()
    user = User.objects.filter(email=User.objects.normalize_email(email)).first()
    if user is None:
        make_password(_TIMING_DUMMY_PASSWORD)
        raise InvalidCredentials()
    if user.locked_until and user.locked_until > now:
        raise AccountLocked(notices.account_locked(), retry_after=int((user.locked_until - now).total_seconds()) + 1)
    if not user.check_password(password or ""):
        _record_failed_login(user=user, now=now)
        raise InvalidCredentials()
    if not user.is_active:
        if user.is_suspended:
            raise AccountSuspended()
        raise InvalidCredentials()
    if user.failed_login_count or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    return user


def _record_failed_login(*, user: User, now: datetime) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    until = now + settings.LOGIN_LOCKOUT_DURATION
    locked = User.objects.filter(
        pk=user.pk, failed_login_count__gte=settings.LOGIN_LOCKOUT_THRESHOLD
    ).update(failed_login_count=0, locked_until=until)
    if locked:
        logger.warning("account locked after repeated failed logins", extra={"user_id": str(user.pk)})
        on_commit(lambda: notification_services.notify(
            user=user, event="security.account_locked", title=notices.ACCOUNT_LOCKED_TITLE,
            body=notices.account_locked_body(), link=reverse("marketplace:password_forgot"),
        ))
        raise AccountLocked(notices.account_locked(),
                            retry_after=int(settings.LOGIN_LOCKOUT_DURATION.total_seconds()))
