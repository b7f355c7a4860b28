"""The daily expiry sweep: enough raised -> funded; otherwise expired and every contribution refunded."""

from __future__ import annotations

from datetime import datetime

from campaigns import notices, rules, selectors
from campaigns.models import Campaign
from cleanit.db import atomic, on_commit
from cleanit.periodic import JobResult
from cleanit.statemachine import try_transition
from notifications.services import notify_many

from .cancellation import campaign_refund_contributors
from .funding import campaign_fund


def _enough_raised(campaign: Campaign) -> bool:
    numerator, denominator = rules.FUNDED_AT_EXPIRY_RATIO
    return campaign.amount_raised * denominator >= campaign.target_amount * numerator


def campaigns_expire(*, now: datetime) -> JobResult:
    """Active campaigns past expiry: enough raised -> funded; otherwise expired and refunded."""
    funded = expired = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE, expires_at__lte=now):
        with atomic():
            if _enough_raised(campaign):
                funded += campaign_fund(campaign=campaign, now=now, target_reached=False)
                continue
            if not try_transition(campaign, Campaign.Status.EXPIRED, ended_at=now):
                continue
            expired += 1
            campaign_refund_contributors(campaign=campaign, reason=notices.EXPIRED_REFUND_REASON)
            recipients = selectors.campaign_audience(campaign)
            on_commit(lambda c=campaign, r=recipients: notify_many(
                users=r, event="campaign.expired", link=notices.campaign_link(c.pk), **notices.expired(c)))
    return JobResult(summary=f"{funded} campaign(s) funded at expiry, {expired} expired and refunded")
