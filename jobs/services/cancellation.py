"""Ending a job early: an admin gives up on an unclaimed one, or its campaign was cancelled."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from campaigns import services as campaign_services
from campaigns.models import Campaign
from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition, try_transition
from jobs import notices
from jobs.models import CleanerJobStats, Job
from notifications.services import notify


def job_cancel(*, job: Job, admin, reason: str, now: datetime | None = None) -> bool:
    """Give up on an unclaimed job: its campaign is cancelled and every contribution refunded."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.ValidationFailed(fields={"reason": [notices.CANCEL_REASON_REQUIRED]})
    with atomic():
        try:
            transition(job, Job.Status.FAILED, sources=[Job.Status.AVAILABLE], needs_review=False,
                       review_note=reason[:255])
        except errors.InvalidTransition:
            raise errors.InvalidTransition(notices.ONLY_UNCLAIMED_CANCELLED) from None
        campaign_services.campaign_cancel_by_admin(campaign=job.campaign, admin=admin, reason=reason, now=now)
    return True


def job_withdraw(*, campaign: Campaign, reason: str) -> bool:
    """The campaign was cancelled (its money is being refunded): its job, unless already verified,
    fails at once, frees the claimer's slot and tells them. Runs in the cancelling transaction."""
    job = Job.objects.filter(campaign=campaign).select_related("claimed_by").first()
    if job is None:
        return False
    was = job.status
    note = notices.withdrawn_note(reason)[:255]
    if try_transition(job, Job.Status.FAILED, sources=[Job.Status.CLAIMED], review_note=note):
        CleanerJobStats.objects.filter(user_id=job.claimed_by_id, active_claims__gt=0).update(
            active_claims=F("active_claims") - 1)
    elif not try_transition(job, Job.Status.FAILED, sources=[Job.Status.AVAILABLE, Job.Status.COMPLETED],
                            needs_review=False, review_note=note):
        return False
    if job.claimed_by_id and was in (Job.Status.CLAIMED, Job.Status.COMPLETED):
        cleaner = job.claimed_by
        withdrawn = notices.withdrawn(campaign.title, reason)
        on_commit(lambda: notify(user=cleaner, event="job.rejected", link=notices.job_link(job.pk), **withdrawn))
    return True


def job_work_done(*, campaign: Campaign) -> bool:
    """The cleanup of the campaign is done and waits for an admin's verification."""
    return Job.objects.filter(campaign=campaign, status=Job.Status.COMPLETED).exists()
