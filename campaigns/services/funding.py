"""A campaign becomes funded (target reached, or enough raised at expiry): once, announced after commit."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from campaigns import notices, selectors
from campaigns.models import Campaign
from campaigns.signals import campaign_funded
from cleanit.db import on_commit
from cleanit.statemachine import try_transition
from notifications.services import notify_many


def campaign_fund(*, campaign: Campaign, now: datetime, target_reached: bool) -> bool:
    """Move an active campaign to funded; True for the one caller that did. ``target_reached``
    demands the target be met in the same conditional update (racing contributions)."""
    where = {"amount_raised__gte": F("target_amount")} if target_reached else None
    if not try_transition(campaign, Campaign.Status.FUNDED, where=where, funded_at=now):
        return False
    campaign_id = campaign.pk

    def announce():
        funded = Campaign.objects.select_related("creator").get(pk=campaign_id)
        notify_many(users=selectors.campaign_audience(funded), event="campaign.funded",
                    link=notices.campaign_link(funded.pk), **notices.funded(funded))
        campaign_funded.send(sender=Campaign, campaign=funded)

    on_commit(announce)
    return True
