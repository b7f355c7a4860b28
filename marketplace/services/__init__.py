"""Account and cleaner use-cases, one module per subject. Every function is keyword-only and raises domain errors
(marketplace.errors, cleanit.errors); pages, API, admin and tasks call these and nothing else writes
these fields. The public names are re-exported here: ``from marketplace import services``."""

from ..errors import AccountLocked, AccountSuspended, InvalidCredentials, InvalidToken, TokenRevoked
from .accounts import (
    ensure_demo_user,
    user_delete_account,
    user_reactivate,
    user_set_role,
    user_set_staff,
    user_suspend,
)
from .cleaner_profile import (
    availability_set,
    cleaner_check,
    own_profile,
    profile_rating_add,
    profile_save,
    schedule_ranges_check,
    schedule_set,
)
from .kyc import kyc_reencrypt, kyc_review, kyc_submit
from .packages import DEACTIVATED, DELETED, own_package, package_create, package_delete, package_update
from .passwords import (
    password_reset_confirm,
    password_reset_request,
    password_set,
    password_validate,
    user_change_password,
)
from .profile import user_update_profile
from .registration import email_clean, email_verification_send, email_verify, user_register
from .signin import auth_login
from .tokens import TokenPair, auth_issue_tokens, auth_logout, auth_refresh, auth_revoke_all, refresh_tokens_purge

__all__ = [
    "AccountLocked", "AccountSuspended", "DEACTIVATED", "DELETED", "InvalidCredentials", "InvalidToken",
    "TokenPair", "TokenRevoked", "auth_issue_tokens", "auth_login", "auth_logout", "auth_refresh",
    "auth_revoke_all", "availability_set", "cleaner_check", "email_clean", "email_verification_send",
    "email_verify", "ensure_demo_user", "kyc_reencrypt", "kyc_review", "kyc_submit", "own_package", "own_profile",
    "package_create", "package_delete", "package_update", "password_reset_confirm", "password_reset_request",
    "password_set", "password_validate", "profile_rating_add", "profile_save", "refresh_tokens_purge",
    "schedule_ranges_check", "schedule_set", "user_change_password", "user_delete_account", "user_reactivate",
    "user_register", "user_set_role", "user_set_staff", "user_suspend", "user_update_profile",
]
