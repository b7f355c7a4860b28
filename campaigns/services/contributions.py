"""Contributions: opening a payment, and the payments callbacks that credit, fail or refund one.

A contribution is credited by the payments callback exactly once; reaching the target makes the
campaign funded exactly once (see funding)."""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from campaigns import errors as campaign_errors
from campaigns import notices, rules
from campaigns.models import Campaign, CampaignBacker, Contribution
from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition, try_transition
from notifications.services import notify
from payments import services as payment_services
from payments.models import Payment, Refund

from .cancellation import contribution_refund
from .funding import campaign_fund


def contribution_start(*, campaign: Campaign, contributor, amount: int) -> Contribution:
    """Open a payment for a contribution; it counts only once the gateway confirms it."""
    if contributor.pk == campaign.creator_id:
        raise campaign_errors.OwnCampaign()
    if campaign.status != Campaign.Status.ACTIVE:
        raise campaign_errors.CampaignNotActive()
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < rules.MIN_CONTRIBUTION:
        raise errors.ValidationFailed(fields={"amount": [notices.minimum_contribution()]})
    if amount > campaign.remaining_amount:
        raise errors.ValidationFailed(fields={"amount": [notices.only_still_needed(campaign.remaining_amount)]})
    contribution = Contribution.objects.create(campaign=campaign, contributor=contributor, amount=amount)
    try:
        payment = payment_services.payment_create(
            payer=contributor, payable_kind=rules.PAYABLE_KIND, payable_id=str(contribution.pk),
            escrow_key=campaign.escrow_key, amount=amount, description=notices.contribution_description(campaign))
    except errors.DomainError:
        transition(contribution, Contribution.Status.FAILED)
        raise
    Contribution.objects.filter(pk=contribution.pk).update(payment=payment)
    contribution.payment = payment
    return contribution


def on_contribution_captured(payment: Payment) -> None:
    contribution = Contribution.objects.select_related("campaign", "contributor").get(pk=payment.payable_id)
    now = timezone.now()
    if not try_transition(contribution, Contribution.Status.CREDITED, credited_at=now):
        return
    campaign = contribution.campaign
    counted = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.ACTIVE).update(
        amount_raised=F("amount_raised") + contribution.amount)
    if not counted:
        contribution_refund(contribution=contribution, reason=notices.LATE_PAYMENT_REFUND_REASON)
        return
    try:
        with atomic():
            CampaignBacker.objects.create(campaign=campaign, user=contribution.contributor)
            Campaign.objects.filter(pk=campaign.pk).update(contributor_count=F("contributor_count") + 1)
    except IntegrityError:
        pass  # already a backer
    amount, name = contribution.amount, contribution.contributor.get_short_name()
    on_commit(lambda: notify(user=campaign.creator, event="campaign.contribution_received",
                             link=notices.campaign_link(campaign.pk),
                             **notices.contribution_received(campaign, name, amount)))
    campaign_fund(campaign=campaign, now=now, target_reached=True)


def on_contribution_failed(payment: Payment) -> None:
    contribution = Contribution.objects.filter(pk=payment.payable_id).first()
    if contribution is not None:
        try_transition(contribution, Contribution.Status.FAILED)


def on_contribution_refunded(refund: Refund) -> None:
    contribution = Contribution.objects.filter(pk=refund.payment.payable_id).first()
    if contribution is not None:
        try_transition(contribution, Contribution.Status.REFUNDED)


def contribution_return_url(payable_id: str) -> str:
    campaign_id = Contribution.objects.filter(pk=payable_id).values_list("campaign_id", flat=True).first()
    return notices.campaign_link(campaign_id) if campaign_id else reverse("campaigns:list")
