"""Ending a campaign early: by its creator (nothing raised), by an admin (anything not yet cleaned,
everything held refunded), or because its creator deleted their account."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from campaigns import notices, selectors
from campaigns.models import Campaign, Contribution
from campaigns.signals import campaign_cancelled, campaign_work_done
from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition, try_transition
from notifications.services import notify_many
from payments import services as payment_services


def campaign_cancel_by_creator(*, campaign: Campaign, user, now: datetime | None = None) -> Campaign:
    if campaign.creator_id != user.pk:
        raise errors.NotAllowed(notices.ONLY_CREATOR_CANCELS)
    try:
        transition(campaign, Campaign.Status.CANCELLED, sources=[Campaign.Status.ACTIVE], where={"amount_raised": 0},
                   ended_at=now or timezone.now(), cancelled_by=user, cancel_reason=notices.CANCELLED_BY_CREATOR)
    except errors.InvalidTransition:
        raise errors.InvalidTransition(notices.CREATOR_CANCEL_REFUSED) from None
    return campaign


def campaign_cancel_by_admin(*, campaign: Campaign, admin, reason: str, now: datetime | None = None) -> Campaign:
    """Cancel any campaign not yet completed; everything held for it is refunded."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.ValidationFailed(fields={"reason": [notices.CANCEL_REASON_REQUIRED]})
    return _cancel_and_refund(campaign=campaign, by=admin, reason=reason, now=now)


def _cancel_and_refund(*, campaign: Campaign, by, reason: str, now: datetime | None) -> Campaign:
    with atomic():
        try:
            transition(campaign, Campaign.Status.CANCELLED, ended_at=now or timezone.now(), cancelled_by=by,
                       cancel_reason=reason[:255])
        except errors.InvalidTransition:
            raise errors.InvalidTransition(notices.ADMIN_CANCEL_REFUSED) from None
        campaign_cancelled.send(sender=Campaign, campaign=campaign, reason=reason)
        campaign_refund_contributors(campaign=campaign, reason=notices.cancelled_refund_reason(reason))
    recipients = selectors.campaign_audience(campaign)
    on_commit(lambda: notify_many(users=recipients, event="campaign.cancelled", link=notices.campaign_link(campaign.pk),
                                  **notices.cancelled(campaign, reason)))
    return campaign


def campaigns_end_for_deleted_creator(*, user_id, now: datetime | None = None) -> int:
    """The creator deleted their account: what they still ran ends as an admin cancel would end it
    (backers refunded, an unfinished job withdrawn). A campaign whose cleanup is already done and
    waiting for verification is left to finish, so the cleaner who did the work is still paid."""
    cancelled = 0
    for campaign in Campaign.objects.filter(creator_id=user_id, status__in=Campaign.RUNNING_STATUSES):
        if any(answer for _, answer in campaign_work_done.send(sender=Campaign, campaign=campaign)):
            continue
        try:
            _cancel_and_refund(campaign=campaign, by=None, reason=notices.CREATOR_ACCOUNT_DELETED, now=now)
        except errors.InvalidTransition:
            continue  # it ended meanwhile
        cancelled += 1
    return cancelled


def campaign_refund_contributors(*, campaign: Campaign, reason: str) -> int:
    """Refund every credited contribution of the campaign (once each, whatever calls it again)."""
    count = 0
    for contribution in Contribution.objects.filter(campaign=campaign, status=Contribution.Status.CREDITED) \
            .select_related("payment"):
        count += contribution_refund(contribution=contribution, reason=reason)
    return count


def contribution_refund(*, contribution: Contribution, reason: str, **changes) -> bool:
    """Send a credited contribution back to its contributor, once (``changes``: more fields to store with it)."""
    if not try_transition(contribution, Contribution.Status.REFUNDING, sources=[Contribution.Status.CREDITED],
                          refund_reason=reason[:255], **changes):
        return False
    payment_services.refund_request(payment=contribution.payment, amount=None, reason=reason,
                                    refund_key=f"contribution:{contribution.pk}")
    return True
