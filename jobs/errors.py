"""Job errors: one class per stable code (see cleanit.errors). Not a cleaner and KYC required are
the accounts app's (marketplace.errors)."""

from cleanit import errors

from . import notices


class AlreadyClaimed(errors.Conflict):
    code = "already_claimed"
    default_message = "Another cleaner has already claimed this job."


class JobNotAvailable(errors.Conflict):
    code = "job_not_available"
    default_message = "This job is not open for claims."


class JobExpired(JobNotAvailable):
    code = "job_expired"
    default_message = "This job has expired."


class PreviouslyReleased(errors.NotAllowed):
    code = "previously_released"
    default_message = "You gave up or missed the deadline on this job, so another cleaner gets it now."


class ClaimLimit(errors.LimitExceeded):
    code = "claim_limit"
    default_message = notices.claim_limit()


class NotClaimer(errors.NotAllowed):
    code = "not_claimer"
    default_message = "Only the cleaner who claimed this job can do this."


class UnclaimTooLate(errors.Conflict):
    code = "unclaim_too_late"
    default_message = notices.unclaim_too_late()
