"""Single-use links mailed to the user (password reset, e-mail verification): only the SHA-256 of
the secret is stored, and a conditional update makes each link work once."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cleanit.db import on_commit

from ..errors import InvalidToken
from ..models import AccountToken, User
from ..tasks import send_account_email

SECRET_BYTES = 32
# Longer than any secret we mail; anything longer is not worth hashing.
MAX_TOKEN_LENGTH = 256


def account_link_issue(*, user: User, purpose: str, ttl: timedelta, url_name: str) -> str:
    """A new link (older unused ones of the same purpose stop working); the absolute URL."""
    raw = secrets.token_urlsafe(SECRET_BYTES)
    now = timezone.now()
    AccountToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    AccountToken.objects.create(user=user, purpose=purpose, token_hash=AccountToken.hash(raw), expires_at=now + ttl)
    return settings.SITE_URL + reverse(url_name, args=[raw])


def _usable(raw, *, purpose: str, now: datetime):
    if not raw or not isinstance(raw, str) or len(raw) > MAX_TOKEN_LENGTH:
        raise InvalidToken()
    return AccountToken.objects.filter(token_hash=AccountToken.hash(raw), purpose=purpose, used_at__isnull=True,
                                       expires_at__gt=now)


def account_link_holder(*, raw: str, purpose: str, now: datetime) -> User:
    """Whose link this is, without using it (so input can be checked first)."""
    pending = _usable(raw, purpose=purpose, now=now).select_related("user").first()
    if pending is None:
        raise InvalidToken()
    return pending.user


def account_link_consume(*, raw: str, purpose: str, now: datetime) -> User:
    if not _usable(raw, purpose=purpose, now=now).update(used_at=now):
        raise InvalidToken()
    return AccountToken.objects.select_related("user").get(token_hash=AccountToken.hash(raw)).user


def account_email_send(*, user: User, template: str, subject: str, context: dict) -> None:
    body = render_to_string(f"marketplace/email/{template}.txt", {"user": user, "site_url": settings.SITE_URL,
                                                                   **context})
    recipient = user.email
    on_commit(lambda: send_account_email.delay(recipient=recipient, subject=subject, body=body))
