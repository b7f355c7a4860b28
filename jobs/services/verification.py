"""An admin's decision on a completed job (the admin queue and the API both call this)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition
from jobs import notices, rules
from jobs.models import CleanerJobStats, Job, JobReview, RejectionReason
from marketplace import services as marketplace_services
from notifications.services import notify, notify_staff
from payments import services as payment_services
from payments.models import LedgerEntry


def job_verify(*, job: Job, admin, action: str, reason: str = "", notes: str = "", allow_retry: bool = False,
               now: datetime | None = None) -> Job:
    """approve: verified; the platform fee is earned, the payout is scheduled PAYOUT_DELAY later, the
    campaign shows the after-photo. reject (with a reason): back to the cleaner (allow_retry) or
    failed, in which case everything raised for the campaign is refunded to its contributors.
    More than MAX_REJECTIONS rejections flag the cleaner; ``fake_completion`` suspends them."""
    now = now or timezone.now()
    notes = (notes or "").strip()
    if action not in JobReview.Action.values:
        raise errors.ValidationFailed(fields={"action": [notices.CHOOSE_ACTION]})
    if action == JobReview.Action.REJECT:
        if reason not in RejectionReason.values:
            raise errors.ValidationFailed(fields={"reason": [notices.choose_reason(RejectionReason.labels)]})
        if reason == RejectionReason.OTHER and not notes:
            raise errors.ValidationFailed(fields={"notes": [notices.DESCRIBE_OTHER]})
        if reason == RejectionReason.FAKE_COMPLETION:
            allow_retry = False  # the cleaner is suspended: there is nobody to retry
    if job.status != Job.Status.COMPLETED:
        raise errors.InvalidTransition(notices.ONLY_COMPLETED_VERIFIED)
    if action == JobReview.Action.APPROVE:
        return _approve(job=job, admin=admin, notes=notes, now=now)
    return _reject(job=job, admin=admin, reason=reason, notes=notes, allow_retry=allow_retry, now=now)


def _decided(job: Job, now: datetime) -> int:
    return max(0, int((now - job.completed_at).total_seconds())) if job.completed_at else 0


def _decide(job: Job, to: str, **changes) -> None:
    try:
        transition(job, to, sources=[Job.Status.COMPLETED], **changes)
    except errors.InvalidTransition:
        raise errors.InvalidTransition(notices.DECIDED_MEANWHILE) from None


def _approve(*, job: Job, admin, notes: str, now: datetime) -> Job:
    cleaner = job.claimed_by
    campaign = job.campaign
    with atomic():
        _decide(job, Job.Status.VERIFIED, verified_at=now, verified_by=admin, verify_seconds=_decided(job, now))
        JobReview.objects.create(job=job, admin=admin, cleaner=cleaner, action=JobReview.Action.APPROVE, notes=notes,
                                 after_photo=job.after_photo.name, flags=job.flags)
        CleanerJobStats.objects.filter(user=cleaner).update(verified=F("verified") + 1)
        if job.platform_fee:
            payment_services.ledger_record(escrow_key=campaign.escrow_key, kind=LedgerEntry.Kind.FEE,
                                           amount=job.platform_fee, entry_key=f"fee:job:{job.pk}",
                                           reference=f"job:{job.pk}")
        payment_services.payout_schedule(payee=cleaner, source_kind=rules.PAYOUT_SOURCE, source_id=str(job.pk),
                                         escrow_key=campaign.escrow_key, amount=job.amount,
                                         description=notices.payout_description(campaign)[:200],
                                         due_at=now + rules.PAYOUT_DELAY)
        campaign_services.campaign_mark_cleaned(campaign=campaign, after_photo_name=job.after_photo.name, now=now)
    job.refresh_from_db()
    on_commit(lambda: notify(user=cleaner, event="job.verified", link=reverse("marketplace:earnings"),
                             **notices.verified(job, campaign, now)))
    return job


def _reject(*, job: Job, admin, reason: str, notes: str, allow_retry: bool, now: datetime) -> Job:
    cleaner = job.claimed_by
    campaign = job.campaign
    label = RejectionReason(reason).label
    decision = dict(rejection_count=F("rejection_count") + 1, last_rejection_reason=reason,
                    last_rejection_notes=notes[:500], verify_seconds=_decided(job, now))
    with atomic():
        if allow_retry:
            _decide(job, Job.Status.CLAIMED,
                    completion_deadline=max(job.completion_deadline or now, now + rules.RETRY_TIME), **decision)
        else:
            _decide(job, Job.Status.FAILED, verified_at=now, verified_by=admin, **decision)
        JobReview.objects.create(job=job, admin=admin, cleaner=cleaner, action=JobReview.Action.REJECT, reason=reason,
                                 notes=notes[:500], allow_retry=allow_retry, after_photo=job.after_photo.name,
                                 flags=job.flags)
        CleanerJobStats.objects.filter(user=cleaner).update(
            rejections=F("rejections") + 1, active_claims=F("active_claims") + (1 if allow_retry else 0))
        newly_flagged = CleanerJobStats.objects.filter(user=cleaner, rejections__gt=rules.MAX_REJECTIONS,
                                                       flagged=False).update(flagged=True)
        if reason == RejectionReason.FAKE_COMPLETION:
            marketplace_services.user_suspend(user=cleaner, reason=notices.SUSPENDED_FOR_FAKE_COMPLETION, now=now)
        if not allow_retry:
            campaign_services.campaign_cancel_by_admin(campaign=campaign, admin=admin, now=now,
                                                       reason=notices.not_verified_reason(label))
    job.refresh_from_db()
    rejected = notices.rejected(job, campaign, label, notes, allow_retry)

    def announce():
        notify(user=cleaner, event="job.rejected", link=notices.job_link(job.pk), **rejected)
        if newly_flagged:
            notify_staff(event="job.cleaner_flagged",
                         link=reverse("admin:jobs_cleanerjobstats_changelist") + f"?q={cleaner.email}",
                         **notices.cleaner_flagged(cleaner))

    on_commit(announce)
    return job
