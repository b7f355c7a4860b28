"""An account's standing: suspension and reactivation, role and admin rights (each change leaves an
audit entry), anonymising deletion, and the demo accounts."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.userdata import anonymise_user_data
from notifications import services as notification_services

from .. import notices
from ..errors import CannotChangeOwnAccess, CannotChangeSuperuser, CannotDeleteSuperuser, CannotSuspendSuperuser
from ..models import AccountAuditEntry, AccountToken, Role, User
from .cleaner_profile import cleaner_listing_refresh
from .passwords import password_check
from .tokens import auth_revoke_all

SUSPENSION_REASON_MAX = User._meta.get_field("suspension_reason").max_length
AUDIT_DETAIL_MAX = AccountAuditEntry._meta.get_field("detail").max_length
DELETED_NAME = "Deleted User"
# Hex digits of the hash that replaces a deleted account's address (unique, reveals nothing).
DELETED_EMAIL_DIGEST_CHARS = 32


def _audit(*, user: User, actor: User | None, action: str, detail: str = "") -> None:
    AccountAuditEntry.objects.create(user=user, actor=actor, action=action, detail=detail[:AUDIT_DETAIL_MAX])


def user_suspend(*, user: User, reason: str, now: datetime | None = None, by: User | None = None) -> bool:
    """Suspend an active account: it cannot sign in, its sessions and tokens stop at once, and the
    person is told why. ``by`` is the admin (None: a rule, e.g. missed deadlines)."""
    now = now or timezone.now()
    reason = (reason or "").strip()[:SUSPENSION_REASON_MAX] or notices.SUSPENDED_BY_ADMIN
    if user.is_superuser:
        raise CannotSuspendSuperuser()
    with atomic():
        changed = User.objects.filter(pk=user.pk, suspended_at__isnull=True, deleted_at__isnull=True).update(
            suspended_at=now, suspension_reason=reason, is_active=False
        )
        if changed:
            cleaner_listing_refresh(user_id=user.pk)
            auth_revoke_all(user=user, reason="suspended", now=now)
            _audit(user=user, actor=by, action=AccountAuditEntry.Action.SUSPENDED, detail=reason)
    user.refresh_from_db()
    if changed:
        on_commit(lambda: notification_services.notify(
            user=user, event="account.suspended", title=notices.SUSPENDED_TITLE, body=notices.suspended_body(reason)))
    return bool(changed)


def user_reactivate(*, user: User, by: User | None = None) -> bool:
    with atomic():
        changed = User.objects.filter(pk=user.pk, suspended_at__isnull=False, deleted_at__isnull=True).update(
            suspended_at=None, suspension_reason="", is_active=True, failed_login_count=0, locked_until=None
        )
        if changed:
            cleaner_listing_refresh(user_id=user.pk)
            _audit(user=user, actor=by, action=AccountAuditEntry.Action.REACTIVATED)
    user.refresh_from_db()
    return bool(changed)


def _check_access_change(*, user: User, by: User) -> None:
    if user.is_superuser:
        raise CannotChangeSuperuser()
    if by.pk == user.pk:
        raise CannotChangeOwnAccess()


def user_set_role(*, user: User, role: str, by: User) -> bool:
    """Change the role. Tokens carry the role, so the user's tokens are revoked with the change."""
    if role not in Role.values:
        raise errors.ValidationFailed(fields={"role": [f"Choose one of: {', '.join(Role.values)}."]})
    _check_access_change(user=user, by=by)
    old = user.role
    if old == role:
        return False
    with atomic():
        changed = User.objects.filter(pk=user.pk, role=old).update(role=role)
        if changed:
            auth_revoke_all(user=user, reason="role_changed")
            _audit(user=user, actor=by, action=AccountAuditEntry.Action.ROLE_CHANGED, detail=f"{old} → {role}")
    user.refresh_from_db()
    return bool(changed)


def user_set_staff(*, user: User, is_staff: bool, by: User) -> bool:
    """Grant or revoke admin rights (the Django admin and the admin API)."""
    _check_access_change(user=user, by=by)
    with atomic():
        changed = User.objects.filter(pk=user.pk, is_staff=not is_staff).update(is_staff=is_staff)
        if changed:
            action = AccountAuditEntry.Action.STAFF_GRANTED if is_staff else AccountAuditEntry.Action.STAFF_REVOKED
            _audit(user=user, actor=by, action=action)
    user.refresh_from_db()
    return bool(changed)


def user_delete_account(*, user: User, password: str, now: datetime | None = None) -> None:
    """Anonymise (GDPR/DPDPA): personal data goes, financial records stay tied to the same id. The
    person confirms with their password, on the page and in the API alike."""
    now = now or timezone.now()
    if user.is_deleted:
        return
    if user.is_superuser:
        raise CannotDeleteSuperuser()
    password_check(user=user, password=password, field="password", message=notices.PASSWORD_WRONG)
    digest = hashlib.sha256(f"{user.pk}:{user.email}".encode()).hexdigest()[:DELETED_EMAIL_DIGEST_CHARS]
    with atomic():
        changed = User.objects.filter(pk=user.pk, deleted_at__isnull=True).update(
            name=DELETED_NAME, email=f"deleted-{digest}@deleted.invalid", phone="",
            password=make_password(None), is_active=False, deleted_at=now, email_verified_at=None,
            failed_login_count=0, locked_until=None,
        )
        if not changed:
            return
        cleaner_listing_refresh(user_id=user.pk)
        auth_revoke_all(user=user, reason="account_deleted", now=now)
        AccountToken.objects.filter(user=user).delete()
        anonymise_user_data(user_id=user.pk)
    user.refresh_from_db()


def ensure_demo_user(*, email: str, password: str, name: str, phone: str, role: str, is_staff: bool = False) -> User:
    """Create (or reset) a demo account; used only by the demo-data command."""
    now = timezone.now()
    defaults = dict(
        name=name, phone=phone, role=role, is_staff=is_staff, is_superuser=is_staff, is_active=True,
        email_verified_at=now, terms_version=settings.TERMS_VERSION, terms_accepted_at=now,
        suspended_at=None, deleted_at=None, failed_login_count=0, locked_until=None,
    )
    user, created = User.objects.get_or_create(email=User.objects.normalize_email(email), defaults=defaults)
    if not created:
        for field, value in defaults.items():
            if field not in ("email_verified_at", "terms_accepted_at"):
                setattr(user, field, value)
    user.set_password(password)
    user.save()
    cleaner_listing_refresh(user_id=user.pk)
    return user
