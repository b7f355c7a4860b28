"""JWTs: issue, rotate, log out, revoke everything, purge.

Every token carries the user's role and ``token_version``; revoking everything increments the
version, so every access token issued before, even within the same second, stops working at once
(marketplace.authentication compares the claim with the row)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from ..errors import TokenRevoked
from ..models import IssuedRefreshToken, User

logger = logging.getLogger(__name__)

ROLE_CLAIM = "role"
VERSION_CLAIM = "ver"


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def _new_refresh(*, user: User, family: uuid.UUID) -> RefreshToken:
    """A refresh token recorded in the revocation store; its access token inherits the claims."""
    refresh = RefreshToken.for_user(user)
    refresh[ROLE_CLAIM] = user.role
    refresh[VERSION_CLAIM] = user.token_version
    IssuedRefreshToken.objects.create(
        user=user, jti=refresh["jti"], family=family,
        expires_at=datetime.fromtimestamp(refresh["exp"], tz=dt_timezone.utc),
    )
    return refresh


def _pair(refresh: RefreshToken) -> TokenPair:
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def auth_issue_tokens(*, user: User) -> TokenPair:
    return _pair(_new_refresh(user=user, family=uuid.uuid4()))


def _parse_refresh(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw)
    except TokenError as exc:
        raise TokenRevoked() from exc


def auth_refresh(*, refresh: str, now: datetime | None = None) -> TokenPair:
    """Rotate: the presented refresh token is revoked and a new pair issued in the same family.
    A token that was already used or revoked never works again, and its reuse revokes the family."""
    now = now or timezone.now()
    token = _parse_refresh(refresh)
    record = IssuedRefreshToken.objects.filter(jti=token.get("jti")).select_related("user").first()
    if record is None:
        raise TokenRevoked()
    claimed = IssuedRefreshToken.objects.filter(pk=record.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason="rotated"
    )
    if not claimed:
        IssuedRefreshToken.objects.filter(family=record.family, revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason="reuse_detected"
        )
        logger.warning("refresh token reuse detected; family revoked", extra={"user_id": str(record.user_id)})
        raise TokenRevoked()
    user = record.user
    if not user.is_active:
        raise TokenRevoked()
    return _pair(_new_refresh(user=user, family=record.family))


def auth_logout(*, user: User, refresh: str, now: datetime | None = None) -> None:
    """Revoke the caller's refresh token (and the rest of its family: that device's session)."""
    token = _parse_refresh(refresh)
    record = IssuedRefreshToken.objects.filter(jti=token.get("jti"), user=user).first()
    if record is None:
        raise TokenRevoked()
    IssuedRefreshToken.objects.filter(family=record.family, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_reason="logout"
    )


def auth_revoke_all(*, user: User, reason: str, now: datetime | None = None) -> None:
    """Every refresh token of the user stops working, and so does every access token issued so far."""
    now = now or timezone.now()
    IssuedRefreshToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now, revoked_reason=reason)
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.refresh_from_db(fields=["token_version"])


def refresh_tokens_purge(*, now: datetime) -> int:
    deleted, _ = IssuedRefreshToken.objects.filter(expires_at__lt=now).delete()
    return deleted
