"""Account, sign-in and KYC errors: one class per stable code (see cleanit.errors).

Messages that quote a rule's numbers (the lockout) are formatted by marketplace.notices and passed
at the raise site, so the default messages here quote none."""

from cleanit import errors


class NotACleaner(errors.NotAllowed):
    code = "not_a_cleaner"
    default_message = "Only cleaners can do this."


class KycRequired(errors.NotAllowed):
    code = "kyc_required"
    default_message = "Your KYC must be verified before you can claim jobs."


class KycNotSubmitted(errors.NotFound):
    code = "kyc_not_submitted"
    default_message = "No KYC details submitted yet."


class AccountLocked(errors.Locked):
    code = "account_locked"
    default_message = "Too many failed sign-in attempts. This account is locked for a while."


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
    # simplejwt answers expired and malformed tokens with this code; revoked ones answer the same.
    code = "token_not_valid"
    default_message = "This token is invalid, expired or revoked. Please sign in again."


class CannotSuspendSuperuser(errors.NotAllowed):
    code = "cannot_suspend_superuser"
    default_message = "Superusers cannot be suspended."


class CannotDeleteSuperuser(errors.NotAllowed):
    code = "cannot_delete_superuser"
    default_message = "Superuser accounts cannot be deleted here."


class CannotChangeSuperuser(errors.NotAllowed):
    code = "cannot_change_superuser"
    default_message = "A superuser's role and admin rights are not changed here."


class CannotChangeOwnAccess(errors.NotAllowed):
    code = "cannot_change_own_access"
    default_message = "You cannot change your own role or admin rights; ask another admin."
