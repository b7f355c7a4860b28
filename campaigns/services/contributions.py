"""Contributions: opening a payment, and the payments callbacks that credit, fail or refund one.

A contribution is credited by the payments callback exactly once; reaching the target makes the
campaign funded exactly once (see funding)."""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from campaigns import errors as campaign_errors
from campaigns import notices, rules
from campaigns.models import Campaign, Contribution
from cleanit import errors
from cleanit.db import on_commit, savepoint
from cleanit.statemachine import transition, try_transition
from notifications.services import notify_batch
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
    # The payment comes first, for the contribution's id, so that the contribution is stored once, with it.
    contribution = Contribution(campaign=campaign, contributor=contributor, amount=amount)
    try:
        payment = payment_services.payment_create(
            payer=contributor, payable_kind=rules.PAYABLE_KIND, payable_id=str(contribution.pk),
            escrow_key=campaign.escrow_key, amount=amount, description=notices.contribution_description(campaign))
    except errors.DomainError:
        contribution.save(force_insert=True)
        transition(contribution, Contribution.Status.FAILED)
        raise
    contribution.payment = payment
    contribution.save(force_insert=True)
    return contribution


def on_contribution_captured(payment: Payment) -> list[dict]:
    """Credit the contribution once. Its amount, and its contributor when this is their first counted
    contribution to the campaign, are counted in one conditional update while the campaign is active, and the
    campaign is funded by the contribution that reaches the target. Returns the creator's notice, sent with
    the payer's receipt once the capture commits (the funding contribution's goes on its own, before the
    funding's announcement)."""
    contribution = _contribution_of(payment)
    now = timezone.now()
    new_backer = _credit(contribution, now, counted_already=getattr(payment, COUNTED_ALREADY, None))
    if new_backer is None:
        return []
    campaign, amount = contribution.campaign, contribution.amount
    active = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.ACTIVE)
    counted = {"amount_raised": F("amount_raised") + amount}
    if new_backer:
        counted["contributor_count"] = F("contributor_count") + 1
    # Most contributions leave the target unreached, and this update proves it; the one that reaches it
    # is counted by the second and funds the campaign.
    short_of_target = active.filter(amount_raised__lt=F("target_amount") - amount).update(**counted)
    if not short_of_target and not active.update(**counted):
        contribution_refund(contribution=contribution, reason=notices.LATE_PAYMENT_REFUND_REASON, counts_backer=False)
        return []
    told = [{"user": campaign.creator, "event": "campaign.contribution_received",
             "link": notices.campaign_link(campaign.pk),
             **notices.contribution_received(campaign, contribution.contributor.get_short_name(), amount)}]
    if short_of_target:
        return told
    # The contribution that funds the campaign: its notice goes before the funding's announcement (sent after
    # commit in the order they are queued), so the creator reads them in the order they happened.
    on_commit(lambda: notify_batch(told))
    campaign_fund(campaign=campaign, now=now, target_reached=True)
    return []


def _credit(contribution: Contribution, now, *, counted_already: bool | None) -> bool | None:
    """Credit the contribution once: True when it is the first of its contributor's to count them among the
    campaign's backers, False when they were counted already, None when it was credited before (a replay).

    ``counted_already`` (read with the payment; None when unknown) spares a repeat backer's credit the write that
    the partial unique constraint refuses: on MongoDB such a refusal aborts the whole transaction, so only a real
    race may meet it there (its capture fails and is retried by the next verify or webhook, which then reads the
    backer counted). On SQLite the savepoint keeps the transaction, and the loser of the race is credited
    without the mark."""
    if not counted_already:
        try:
            with savepoint():
                return True if try_transition(contribution, Contribution.Status.CREDITED, credited_at=now,
                                              counts_backer=True) else None
        except IntegrityError:  # a first contribution of theirs was counted since the payment was read
            pass
    return False if try_transition(contribution, Contribution.Status.CREDITED, credited_at=now) else None


# Read with a payment about to be captured (payments' PayableType.joined and .annotations), so that crediting
# reads nothing more.
CAPTURE_JOINS = ("contribution__campaign__creator__notification_preference",)
COUNTED_ALREADY = "payer_counted_as_backer"


def capture_annotations() -> dict:
    """Whether the payer is counted among the backers of the campaign of the payment's contribution already."""
    counted = Contribution.objects.filter(campaign=OuterRef("contribution__campaign_id"),
                                          contributor=OuterRef("payer_id"), counts_backer=True)
    return {COUNTED_ALREADY: Exists(counted)}


def _contribution_of(payment: Payment) -> Contribution:
    """The payment's contribution, as read with it (its contributor is the payer), else read now."""
    if Payment.contribution.is_cached(payment):
        contribution = payment.contribution
    else:
        contribution = Contribution.objects.select_related("campaign__creator__notification_preference").get(
            pk=payment.payable_id)
    if contribution.contributor_id == payment.payer_id and Payment.payer.is_cached(payment):
        contribution.contributor = payment.payer
    return contribution


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
