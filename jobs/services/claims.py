"""Claiming a job (race-safe, limited per cleaner) and giving it back in time."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition, transition_rows
from jobs import errors as job_errors
from jobs import notices, rules
from jobs.models import CleanerJobStats, Job
from marketplace import errors as marketplace_errors
from marketplace import selectors as marketplace_selectors
from marketplace import services as marketplace_services
from notifications.services import notify

from .creation import announce_jobs_soon


def _check_may_claim(cleaner) -> None:
    if not cleaner.is_cleaner:
        raise marketplace_errors.NotACleaner(notices.ONLY_CLEANERS_CLAIM)
    if cleaner.is_suspended or not cleaner.is_active:
        raise marketplace_services.AccountSuspended()
    if not marketplace_selectors.kyc_is_verified(user=cleaner):
        raise marketplace_errors.KycRequired()


def _claim_refusal(job: Job, cleaner, now: datetime) -> errors.DomainError:
    """Why a claim lost, read after the conditional update matched nothing."""
    job.refresh_from_db()
    if job.status == Job.Status.CLAIMED:
        return job_errors.AlreadyClaimed()
    if job.expires_at <= now:
        return job_errors.JobExpired()
    if job.last_claimer_id == cleaner.pk:
        return job_errors.PreviouslyReleased()
    return job_errors.JobNotAvailable()


def job_claim(*, job: Job, cleaner, now: datetime | None = None) -> Job:
    """Take an available job: one winner among any number of concurrent claims (409 for the rest),
    at most MAX_ACTIVE_CLAIMS active claims per cleaner (429), never by the cleaner who last lost it."""
    now = now or timezone.now()
    _check_may_claim(cleaner)
    CleanerJobStats.objects.get_or_create(user=cleaner)
    with atomic():
        reserved = CleanerJobStats.objects.filter(user=cleaner, active_claims__lt=rules.MAX_ACTIVE_CLAIMS).update(
            active_claims=F("active_claims") + 1, claims=F("claims") + 1)
        if not reserved:
            raise job_errors.ClaimLimit()
        claimable = (Job.objects.filter(pk=job.pk, needs_review=False, expires_at__gt=now)
                     .exclude(last_claimer=cleaner))
        won = transition_rows(claimable, Job.Status.CLAIMED, sources=[Job.Status.AVAILABLE], claimed_by=cleaner,
                              claimed_at=now, completion_deadline=now + rules.COMPLETION_TIME,
                              claim_count=F("claim_count") + 1)
        if not won:
            raise _claim_refusal(job, cleaner, now)
    job.refresh_from_db()
    creator = job.campaign.creator
    on_commit(lambda: notify(user=creator, event="job.claimed", link=reverse("campaigns:detail", args=[job.campaign_id]),
                             **notices.claimed(job, cleaner)))
    return job


def job_unclaim(*, job: Job, cleaner, reason: str, now: datetime | None = None) -> Job:
    """Give a claimed job back, with a reason, more than UNCLAIM_NOTICE before its deadline: no penalty."""
    now = now or timezone.now()
    reason = " ".join((reason or "").split())
    if job.claimed_by_id != cleaner.pk or job.status != Job.Status.CLAIMED:
        raise job_errors.NotClaimer(notices.ONLY_CLAIMER_GIVES_BACK)
    if not reason:
        raise errors.ValidationFailed(fields={"reason": [notices.UNCLAIM_REASON_REQUIRED]})
    if job.completion_deadline - now <= rules.UNCLAIM_NOTICE:
        raise job_errors.UnclaimTooLate()
    with atomic():
        try:
            transition(job, Job.Status.AVAILABLE, where={"claimed_by": cleaner}, claimed_by=None, claimed_at=None,
                       completion_deadline=None, last_claimer=cleaner, review_note=notices.given_back(reason)[:255])
        except errors.InvalidTransition:
            raise errors.InvalidTransition(notices.NO_LONGER_YOURS) from None
        CleanerJobStats.objects.filter(user=cleaner, active_claims__gt=0).update(active_claims=F("active_claims") - 1)
    job.refresh_from_db()
    on_commit(announce_jobs_soon)
    return job
