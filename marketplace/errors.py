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


class ProfileRequired(errors.NotFound):
    code = "profile_required"
    default_message = "Create your cleaner profile first."


class CleanerNotFound(errors.NotFound):
    code = "cleaner_not_found"
    default_message = "No such cleaner."


class ServiceNotFound(errors.NotFound):
    code = "service_not_found"
    default_message = "No such service."


class ServiceNotOffered(errors.ValidationFailed):
    code = "service_not_offered"
    default_message = "This cleaner does not offer this service."


class ServiceInactive(errors.ValidationFailed):
    code = "service_inactive"
    default_message = "This service is no longer offered."


class DateOutOfRange(errors.ValidationFailed):
    """A slot date in the past, or further ahead than slots are offered (the message says how far)."""

    code = "date_out_of_range"
    default_message = "Choose a date from today on, within the dates offered."
