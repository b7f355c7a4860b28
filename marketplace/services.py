"""Account use-cases: registration, sign-in with lockout, JWT issue/rotation/revocation,
password reset, e-mail verification, profile, suspension and anonymising deletion.

Every function is keyword-only and raises cleanit.errors on a broken rule; pages, API, admin
and tasks call these and nothing else writes these fields."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from cleanit import crypto, errors
from cleanit.db import atomic, on_commit, update_or_create
from cleanit.userdata import anonymise_user_data
from notifications import services as notification_services
from payments import services as payment_services

from .tasks import send_account_email
from .models import SELF_SERVICE_ROLES, AccountToken, CleanerKYC, IssuedRefreshToken, User
from .validators import BANK_ACCOUNT, IFSC, UPI_ID, clean_id_number, normalize_indian_mobile

logger = logging.getLogger(__name__)

# A real hash of a random password, checked when the e-mail is unknown so that a failed login
# takes as long whether or not the account exists.
_TIMING_DUMMY_PASSWORD = secrets.token_urlsafe(16)


class AccountLocked(errors.Locked):
    code = "account_locked"
    default_message = "Too many failed sign-in attempts. This account is locked for 15 minutes."


class InvalidCredentials(errors.AuthenticationFailed):
    code = "invalid_credentials"
    default_message = "E-mail or password is incorrect."


class AccountSuspended(errors.NotAllowed):
    code = "account_suspended"
    default_message = "This account is suspended. Contact support if you think this is a mistake."


class InvalidToken(errors.ValidationFailed):
    code = "invalid_token"
    default_message = "This link is invalid or has expired. Please request a new one."


class TokenRevoked(errors.AuthenticationFailed):
    code = "token_not_valid"
    default_message = "This token is invalid, expired or revoked. Please sign in again."


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


# --- registration ----------------------------------------------------------------------------

def _validate_password(password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password or "", user=user)
    except DjangoValidationError as exc:
        raise errors.ValidationFailed(fields={"password": list(exc.messages)}) from exc


def _clean_name(name: str | None, field_errors: dict[str, list[str]]) -> str:
    name = (name or "").strip()
    if not name:
        field_errors["name"] = ["Enter your name."]
    elif len(name) > 150:
        field_errors["name"] = ["Use at most 150 characters."]
    return name


def user_register(
    *, email: str, password: str, name: str, phone: str, role: str, accept_terms: bool
) -> User:
    email = User.objects.normalize_email(email)
    field_errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except DjangoValidationError:
        field_errors["email"] = ["Enter a valid e-mail address."]
    name = _clean_name(name, field_errors)
    try:
        phone = normalize_indian_mobile(phone)
    except DjangoValidationError as exc:
        field_errors["phone"] = list(exc.messages)
    if role not in SELF_SERVICE_ROLES:
        field_errors["role"] = ["Choose customer or cleaner."]
    if accept_terms is not True:
        field_errors["accept_terms"] = ["You must accept the terms of service."]
    candidate = User(email=email, name=name, phone=phone)
    try:
        password_validation.validate_password(password or "", user=candidate)
    except DjangoValidationError as exc:
        field_errors["password"] = list(exc.messages)
    if "email" not in field_errors and User.objects.filter(email=email).exists():
        field_errors["email"] = ["An account with this e-mail already exists."]
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)

    now = timezone.now()
    try:
        with atomic():
            user = User.objects.create_user(
                email=email, password=password, name=name, phone=phone, role=role,
                terms_version=settings.TERMS_VERSION, terms_accepted_at=now,
            )
    except IntegrityError as exc:  # two sign-ups with one e-mail at the same moment
        raise errors.ValidationFailed(fields={"email": ["An account with this e-mail already exists."]}) from exc

    on_commit(lambda: notification_services.notify(
        user=user, event="account.welcome", title=f"Welcome to Cleanit, {user.get_short_name()}!",
        body="Find trusted cleaners near you, or start a campaign to clean up your neighbourhood.",
        link=reverse("home"),
    ))
    email_verification_send(user=user)
    return user


# --- sign-in and lockout ---------------------------------------------------------------------

def auth_login(*, email: str, password: str, now: datetime | None = None) -> User:
    """Check credentials with the lockout rule: 5 failures in a row lock the account for 15 minutes.
    A locked account answers "locked" whatever the password, so the answer reveals nothing."""
    now = now or timezone.now()
    user = User.objects.filter(email=User.objects.normalize_email(email)).first()
    if user is None:
        make_password(_TIMING_DUMMY_PASSWORD)
        raise InvalidCredentials()
    if user.locked_until and user.locked_until > now:
        raise AccountLocked(retry_after=int((user.locked_until - now).total_seconds()) + 1)
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
            user=user, event="security.account_locked", title="Your account was locked",
            body="We locked your account for 15 minutes after 5 failed sign-in attempts. "
                 "If this was not you, reset your password.",
            link=reverse("marketplace:password_forgot"),
        ))
        raise AccountLocked(retry_after=int(settings.LOGIN_LOCKOUT_DURATION.total_seconds()))


# --- JWT: issue, rotate, revoke --------------------------------------------------------------

def _record_refresh(*, user: User, refresh: RefreshToken, family: uuid.UUID) -> None:
    IssuedRefreshToken.objects.create(
        user=user, jti=refresh["jti"], family=family,
        expires_at=datetime.fromtimestamp(refresh["exp"], tz=dt_timezone.utc),
    )


def auth_issue_tokens(*, user: User) -> TokenPair:
    refresh = RefreshToken.for_user(user)
    _record_refresh(user=user, refresh=refresh, family=uuid.uuid4())
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


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
    new_refresh = RefreshToken.for_user(user)
    _record_refresh(user=user, refresh=new_refresh, family=record.family)
    return TokenPair(access=str(new_refresh.access_token), refresh=str(new_refresh))


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
    # Access tokens carry whole-second "iat"; truncating keeps tokens issued later in this second valid.
    User.objects.filter(pk=user.pk).update(tokens_valid_after=now.replace(microsecond=0))


def refresh_tokens_purge(*, now: datetime) -> int:
    deleted, _ = IssuedRefreshToken.objects.filter(expires_at__lt=now).delete()
    return deleted


# --- single-use account tokens ----------------------------------------------------------------

def _issue_account_token(*, user: User, purpose: str, ttl) -> str:
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    # A new link replaces older unused ones of the same purpose.
    AccountToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    AccountToken.objects.create(user=user, purpose=purpose, token_hash=AccountToken.hash(raw), expires_at=now + ttl)
    return raw


def _consume_account_token(*, raw: str, purpose: str, now: datetime) -> User:
    if not raw or not isinstance(raw, str) or len(raw) > 256:
        raise InvalidToken()
    token_hash = AccountToken.hash(raw)
    used = AccountToken.objects.filter(
        token_hash=token_hash, purpose=purpose, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not used:
        raise InvalidToken()
    return AccountToken.objects.select_related("user").get(token_hash=token_hash).user


def _send_account_email(*, user: User, template: str, subject: str, context: dict) -> None:
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    body = render_to_string(f"marketplace/email/{template}.txt", context)
    recipient = user.email
    on_commit(lambda: send_account_email.delay(recipient=recipient, subject=subject, body=body))


def password_reset_request(*, email: str) -> None:
    """Mail a reset link if an active account has this e-mail. Answers the same either way."""
    user = User.objects.filter(email=User.objects.normalize_email(email), is_active=True).first()
    if user is None:
        return
    raw = _issue_account_token(
        user=user, purpose=AccountToken.Purpose.PASSWORD_RESET, ttl=settings.PASSWORD_RESET_TOKEN_TTL
    )
    _send_account_email(
        user=user, template="password_reset", subject="Reset your Cleanit password",
        context={"token": raw, "link": settings.SITE_URL + reverse("marketplace:password_reset", args=[raw])},
    )


def password_reset_confirm(*, token: str, password: str, now: datetime | None = None) -> User:
    now = now or timezone.now()
    if not token or not isinstance(token, str):
        raise InvalidToken()
    pending = AccountToken.objects.filter(
        token_hash=AccountToken.hash(token), purpose=AccountToken.Purpose.PASSWORD_RESET,
        used_at__isnull=True, expires_at__gt=now,
    ).select_related("user").first()
    if pending is None:
        raise InvalidToken()
    _validate_password(password, user=pending.user)
    user = _consume_account_token(raw=token, purpose=AccountToken.Purpose.PASSWORD_RESET, now=now)
    if not user.is_active:
        raise InvalidToken()
    _set_password(user=user, password=password, now=now)
    return user


def _set_password(*, user: User, password: str, now: datetime) -> None:
    with atomic():
        user.set_password(password)
        User.objects.filter(pk=user.pk).update(password=user.password, failed_login_count=0, locked_until=None)
        auth_revoke_all(user=user, reason="password_changed", now=now)
    on_commit(lambda: notification_services.notify(
        user=user, event="security.password_changed", title="Your password was changed",
        body="If you did not change it, reset your password now and contact support.",
        link=reverse("marketplace:settings"),
    ))


def user_change_password(*, user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password or ""):
        raise errors.ValidationFailed(fields={"current_password": ["Your current password is incorrect."]})
    _validate_password(new_password, user=user)
    _set_password(user=user, password=new_password, now=timezone.now())


def email_verification_send(*, user: User) -> None:
    if user.email_verified:
        return
    raw = _issue_account_token(
        user=user, purpose=AccountToken.Purpose.EMAIL_VERIFICATION, ttl=settings.EMAIL_VERIFICATION_TOKEN_TTL
    )
    _send_account_email(
        user=user, template="verify_email", subject="Confirm your e-mail address for Cleanit",
        context={"token": raw, "link": settings.SITE_URL + reverse("marketplace:verify_email", args=[raw])},
    )


def email_verify(*, token: str, now: datetime | None = None) -> User:
    now = now or timezone.now()
    user = _consume_account_token(raw=token, purpose=AccountToken.Purpose.EMAIL_VERIFICATION, now=now)
    User.objects.filter(pk=user.pk, email_verified_at__isnull=True).update(email_verified_at=now)
    user.refresh_from_db(fields=["email_verified_at"])
    return user


# --- profile -----------------------------------------------------------------------------------

def user_update_profile(*, user: User, name: str | None = None, phone: str | None = None) -> User:
    field_errors: dict[str, list[str]] = {}
    changes: dict[str, str] = {}
    if name is not None:
        name = _clean_name(name, field_errors)
        if "name" not in field_errors:
            changes["name"] = name
    if phone is not None:
        try:
            changes["phone"] = normalize_indian_mobile(phone)
        except DjangoValidationError as exc:
            field_errors["phone"] = list(exc.messages)
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    if changes:
        User.objects.filter(pk=user.pk).update(**changes)
        for field, value in changes.items():
            setattr(user, field, value)
    return user


# --- suspension and deletion ------------------------------------------------------------------

def user_suspend(*, user: User, reason: str, now: datetime | None = None) -> bool:
    """Suspend an active account: it cannot sign in and its sessions and tokens stop at once."""
    now = now or timezone.now()
    reason = (reason or "").strip()[:255] or "Suspended by an admin"
    if user.is_staff and user.is_superuser:
        raise errors.NotAllowed("Superusers cannot be suspended.", code="cannot_suspend_superuser")
    with atomic():
        changed = User.objects.filter(pk=user.pk, suspended_at__isnull=True, deleted_at__isnull=True).update(
            suspended_at=now, suspension_reason=reason, is_active=False
        )
        if changed:
            auth_revoke_all(user=user, reason="suspended", now=now)
            on_commit(lambda: notification_services.notify(
                user=user, event="account.suspended", title="Your account is suspended",
                body=f"Reason: {reason}. Contact support if you think this is a mistake."))
    user.refresh_from_db()
    return bool(changed)


def user_reactivate(*, user: User) -> bool:
    changed = User.objects.filter(pk=user.pk, suspended_at__isnull=False, deleted_at__isnull=True).update(
        suspended_at=None, suspension_reason="", is_active=True, failed_login_count=0, locked_until=None
    )
    user.refresh_from_db()
    return bool(changed)


def user_delete_account(*, user: User, now: datetime | None = None) -> None:
    """Anonymise (GDPR/DPDPA): personal data goes, financial records stay tied to the same id."""
    now = now or timezone.now()
    if user.is_deleted:
        return
    if user.is_superuser:
        raise errors.NotAllowed("Superuser accounts cannot be deleted here.", code="cannot_delete_superuser")
    digest = hashlib.sha256(f"{user.pk}:{user.email}".encode()).hexdigest()[:32]
    with atomic():
        changed = User.objects.filter(pk=user.pk, deleted_at__isnull=True).update(
            name="Deleted User", email=f"deleted-{digest}@deleted.invalid", phone="",
            password=make_password(None), is_active=False, deleted_at=now, email_verified_at=None,
            failed_login_count=0, locked_until=None,
        )
        if not changed:
            return
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
    user, created = User.objects.get_or_create(email=email, defaults=defaults)
    if not created:
        for field, value in defaults.items():
            if field not in ("email_verified_at", "terms_accepted_at"):
                setattr(user, field, value)
    user.set_password(password)
    user.save()
    return user



# --- cleaner KYC -------------------------------------------------------------------------------

KYC_REJECTION_REASON_MAX = 255


def _kyc_fields(*, id_type: str, id_number: str, account_holder_name: str, bank_account_number: str,
                bank_ifsc: str, upi_id: str) -> dict:
    field_errors: dict[str, list[str]] = {}
    if id_type not in CleanerKYC.IdType.values:
        field_errors["id_type"] = ["Choose Aadhaar or PAN."]
    number = clean_id_number(id_type, id_number)
    if number is None and "id_type" not in field_errors:
        field_errors["id_number"] = ["Enter a valid 12-digit Aadhaar number." if id_type == "aadhaar"
                                     else "Enter a valid PAN, e.g. ABCPE1234F."]
    holder = " ".join((account_holder_name or "").split())
    if not 2 <= len(holder) <= 120:
        field_errors["account_holder_name"] = ["Enter the name on the account (2 to 120 characters)."]
    account = (bank_account_number or "").replace(" ", "")
    ifsc = (bank_ifsc or "").strip().upper()
    upi = (upi_id or "").strip()
    if upi and (account or ifsc):
        field_errors["upi_id"] = ["Give either a bank account (number and IFSC) or a UPI id, not both."]
    elif upi:
        if not UPI_ID.match(upi):
            field_errors["upi_id"] = ["Enter a valid UPI id, e.g. name@okbank."]
    else:
        if not BANK_ACCOUNT.match(account):
            field_errors["bank_account_number"] = ["Enter the account number (9 to 18 digits)."]
        if not IFSC.match(ifsc):
            field_errors["bank_ifsc"] = ["Enter the 11-character IFSC, e.g. HDFC0001234."]
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    fields = {"id_type": id_type, "id_number_encrypted": crypto.encrypt(number),
              "id_number_masked": crypto.mask(number), "account_holder_name": holder,
              "bank_account_encrypted": "", "bank_account_masked": "", "bank_ifsc": "",
              "upi_id_encrypted": "", "upi_id_masked": ""}
    if upi:
        fields.update(payout_method=CleanerKYC.Method.UPI, upi_id_encrypted=crypto.encrypt(upi),
                      upi_id_masked=crypto.mask(upi))
    else:
        fields.update(payout_method=CleanerKYC.Method.BANK_ACCOUNT, bank_account_encrypted=crypto.encrypt(account),
                      bank_account_masked=crypto.mask(account), bank_ifsc=ifsc)
    return fields


def kyc_submit(*, user: User, id_type: str, id_number: str, account_holder_name: str,
               bank_account_number: str = "", bank_ifsc: str = "", upi_id: str = "",
               now: datetime | None = None) -> CleanerKYC:
    """A cleaner submits (or replaces) ID and payout details; they wait for an admin. Replacing
    verified details stops payouts to the old destination until the new ones are verified."""
    if not user.is_cleaner:
        raise errors.NotAllowed("Only cleaners submit KYC details.", code="not_a_cleaner")
    now = now or timezone.now()
    fields = _kyc_fields(id_type=id_type, id_number=id_number, account_holder_name=account_holder_name,
                         bank_account_number=bank_account_number, bank_ifsc=bank_ifsc, upi_id=upi_id)
    fields.update(status=CleanerKYC.Status.PENDING, submitted_at=now, reviewed_at=None, reviewed_by=None,
                  rejection_reason="")
    with atomic():
        kyc = update_or_create(CleanerKYC, lookup={"user": user}, values=fields)
        payment_services.payee_account_disable(user=user)
    admins = list(User.objects.filter(is_staff=True, is_active=True))
    on_commit(lambda: notification_services.notify_many(
        users=admins, event="kyc.submitted", title=f"KYC to review: {user.name}",
        body=f"{kyc.get_id_type_display()} and {kyc.payout_destination}.",
        link=reverse("admin:marketplace_cleanerkyc_change", args=[kyc.pk])))
    return kyc


def kyc_review(*, kyc: CleanerKYC, admin: User, action: str, reason: str = "",
               now: datetime | None = None) -> CleanerKYC:
    """An admin verifies (creating the RazorpayX contact and fund account first) or rejects, with a
    reason, details that wait for review."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if action not in ("verify", "reject"):
        raise errors.ValidationFailed(fields={"action": ["Choose verify or reject."]})
    if action == "reject" and not reason:
        raise errors.ValidationFailed(fields={"reason": ["Tell the cleaner why, so they can correct it."]})
    if kyc.status != CleanerKYC.Status.PENDING:
        raise errors.Conflict("Only details waiting for review can be verified or rejected.", code="invalid_transition")
    user = kyc.user
    if action == "verify":
        if kyc.payout_method == CleanerKYC.Method.UPI:
            account = {"vpa": {"address": crypto.decrypt(kyc.upi_id_encrypted)}}
        else:
            account = {"bank_account": {"name": kyc.account_holder_name, "ifsc": kyc.bank_ifsc,
                                        "account_number": crypto.decrypt(kyc.bank_account_encrypted)}}
        with atomic():
            changed = CleanerKYC.objects.filter(pk=kyc.pk, status=CleanerKYC.Status.PENDING,
                                                submitted_at=kyc.submitted_at).update(
                status=CleanerKYC.Status.VERIFIED, reviewed_at=now, reviewed_by=admin, rejection_reason="")
            if not changed:
                raise errors.Conflict("These details changed or were reviewed meanwhile; reload and try again.",
                                      code="invalid_transition")
            # Inside the transaction: if the gateway refuses, the details stay pending.
            payment_services.payee_account_register(
                user=user, name=kyc.account_holder_name, email=user.email, phone=user.phone,
                account=account, destination=kyc.payout_destination)
        title, body = "Your KYC is verified", "You can now claim jobs and receive payouts."
    else:
        changed = CleanerKYC.objects.filter(pk=kyc.pk, status=CleanerKYC.Status.PENDING,
                                            submitted_at=kyc.submitted_at).update(
            status=CleanerKYC.Status.REJECTED, reviewed_at=now, reviewed_by=admin,
            rejection_reason=reason[:KYC_REJECTION_REASON_MAX])
        if not changed:
            raise errors.Conflict("These details changed or were reviewed meanwhile; reload and try again.",
                                  code="invalid_transition")
        payment_services.payee_account_disable(user=user)
        title, body = "Your KYC needs another look", f"{reason} Please correct your details and submit again."
    kyc.refresh_from_db()
    event = "kyc.verified" if action == "verify" else "kyc.rejected"
    on_commit(lambda: notification_services.notify(user=user, event=event, title=title, body=body,
                                                   link=reverse("marketplace:kyc")))
    return kyc
