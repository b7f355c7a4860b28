"""A job from each funded campaign (exactly one), and telling cleaners that jobs are waiting."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from cleanit.db import atomic, on_commit
from jobs import notices, rules
from jobs.models import Job
from marketplace.models import CleanerKYC, Role
from notifications.models import Notification
from notifications.services import notify_many


def split_amount(raised: int) -> tuple[int, int]:
    """(cleaner amount, platform fee): the cleaner's share of what was raised, the fee taking the rounding."""
    amount = raised * rules.CLEANER_SHARE_PERCENT // 100
    return amount, raised - amount


def job_create_for_campaign(*, campaign: Campaign, now: datetime | None = None) -> Job | None:
    """Exactly one job per funded campaign (a second call, concurrent or not, returns the first)."""
    now = now or timezone.now()
    existing = Job.objects.filter(campaign=campaign).first()
    if existing or campaign.status != Campaign.Status.FUNDED:
        return existing
    amount, fee = split_amount(campaign.amount_raised)
    try:
        with atomic():
            job = Job.objects.create(campaign=campaign, amount=amount, platform_fee=fee,
                                     expires_at=(campaign.funded_at or now) + rules.JOB_LIFETIME)
    except IntegrityError:
        return Job.objects.get(campaign=campaign)
    on_commit(announce_jobs_soon)
    return job


def announce_jobs_soon() -> None:
    from jobs.tasks import announce_available_jobs

    announce_available_jobs.delay()


def jobs_announce(*, now: datetime | None = None) -> int:
    """Tell every active, KYC-verified cleaner (who has not muted jobs) that jobs are available: at
    most one such notification per cleaner per day (IST), whatever their location."""
    now = now or timezone.now()
    if not Job.objects.filter(status=Job.Status.AVAILABLE, needs_review=False, expires_at__gt=now).exists():
        return 0
    dedupe_key = f"job.available:{timezone.localtime(now).date().isoformat()}"
    # Cleaners told today are left out in the query, so repeated runs cost one query, not one per cleaner.
    cleaners = (get_user_model().objects.filter(role=Role.CLEANER, is_active=True,
                                                kyc__status=CleanerKYC.Status.VERIFIED)
                .exclude(pk__in=Notification.objects.filter(dedupe_key=dedupe_key).values("user_id")))
    return notify_many(users=cleaners, event="job.available", link=reverse("jobs:board"), dedupe_key=dedupe_key,
                       **notices.jobs_available())


def jobs_create_missing(*, now: datetime) -> int:
    """Safety net for a lost ``campaign_funded`` signal (a crash right after the commit)."""
    created = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.FUNDED, job__isnull=True):
        created += job_create_for_campaign(campaign=campaign, now=now) is not None
    return created
