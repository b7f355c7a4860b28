"""Account, sign-in and KYC errors: one class per stable code (see cleanit.errors)."""

from cleanit import errors


class NotACleaner(errors.NotAllowed):
    code = "not_a_cleaner"
    default_message = "Only cleaners can do this."


class KycRequired(errors.NotAllowed):
    code = "kyc_required"
    default_message = "Your KYC must be verified before you can claim jobs."
