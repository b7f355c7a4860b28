"""The cleanup, driven by the campaign's job: verified (after-photo shown), paid (closed), or the
payout returned by the bank (open again until paid)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from campaigns import notices, selectors
from campaigns.models import Campaign
from cleanit.db import on_commit
from cleanit.statemachine import try_transition
from notifications.services import notify_many


def campaign_mark_cleaned(*, campaign: Campaign, after_photo_name: str, now: datetime | None = None) -> bool:
    """The job was verified: the campaign shows its after-photo. Once."""
    now = now or timezone.now()
    if not try_transition(campaign, Campaign.Status.COMPLETED, sources=[Campaign.Status.FUNDED],
                          after_photo=after_photo_name, completed_at=now):
        return False
    recipients = selectors.campaign_audience(campaign)
    on_commit(lambda: notify_many(users=recipients, event="campaign.completed", link=notices.campaign_link(campaign.pk),
                                  **notices.cleaned(campaign)))
    return True


def campaign_close(*, campaign: Campaign, now: datetime | None = None) -> bool:
    """The cleaner is paid: nothing is left to do."""
    return try_transition(campaign, Campaign.Status.CLOSED, ended_at=now or timezone.now())


def campaign_reopen_after_reversal(*, campaign: Campaign) -> bool:
    """The bank returned the cleaner's payout: the campaign is not closed until it is paid again."""
    return try_transition(campaign, Campaign.Status.COMPLETED, sources=[Campaign.Status.CLOSED], ended_at=None)
