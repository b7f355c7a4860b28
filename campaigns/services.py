"""Community campaign use-cases: create, approve, cancel, contribute, credit, expire.

Money moves through ``payments`` (orders, escrow, refunds). A contribution is credited by the
payments callback exactly once; reaching the target makes the campaign funded exactly once and
sends ``campaign_funded`` after commit (jobs subscribe to it)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.geo import distance_metres
from cleanit.images import process_image
from cleanit.money import format_inr
from cleanit.periodic import JobResult
from notifications.services import notify, notify_many
from payments import services as payment_services
from payments.models import Payment, Refund

from .models import Campaign, CampaignBacker, Contribution
from .signals import campaign_cancelled, campaign_funded

TITLE_LENGTH = (10, 100)
DESCRIPTION_LENGTH = (50, 1000)
TARGET_RANGE = (500_00, 50_000_00)  # ₹500 to ₹50,000, in paise
MIN_CONTRIBUTION = 10_00  # ₹10
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# India's extent, generously rounded (mainland, islands and borders).
INDIA_LATITUDE = (6.0, 37.6)
INDIA_LONGITUDE = (68.0, 97.5)
SPAM_RADIUS_METRES = 100
SPAM_MAX_OPEN_NEARBY = 3  # more than this many open campaigns within the radius get flagged
FUNDED_AT_EXPIRY_RATIO = (8, 10)  # >= 80% raised at expiry counts as funded
PAYABLE_KIND = "contribution"


class InvalidTransition(errors.Conflict):
    code = "invalid_transition"


def expiry_days(target_amount: int) -> int:
    if target_amount <= 2_000_00:
        return 30
    if target_amount <= 10_000_00:
        return 45
    return 60


def _admins():
    return get_user_model().objects.filter(is_staff=True, is_active=True)


def _backers(campaign: Campaign):
    return get_user_model().objects.filter(pk__in=campaign.backers.values("user_id"), is_active=True)


def _link(campaign_id) -> str:
    return reverse("campaigns:detail", args=[campaign_id])


# --- creating and approving ----------------------------------------------------------------------

def _validate(*, title, description, target_amount, latitude, longitude, address) -> dict[str, list[str]]:
    field_errors: dict[str, list[str]] = {}
    if not TITLE_LENGTH[0] <= len(title) <= TITLE_LENGTH[1]:
        field_errors["title"] = [f"Use {TITLE_LENGTH[0]} to {TITLE_LENGTH[1]} characters."]
    if not DESCRIPTION_LENGTH[0] <= len(description) <= DESCRIPTION_LENGTH[1]:
        field_errors["description"] = [f"Use {DESCRIPTION_LENGTH[0]} to {DESCRIPTION_LENGTH[1]} characters."]
    if not isinstance(target_amount, int) or isinstance(target_amount, bool) \
            or not TARGET_RANGE[0] <= target_amount <= TARGET_RANGE[1]:
        field_errors["target_amount"] = [f"The target must be between {format_inr(TARGET_RANGE[0])} and "
                                         f"{format_inr(TARGET_RANGE[1])}."]
    for name, value, (low, high) in (("latitude", latitude, INDIA_LATITUDE), ("longitude", longitude, INDIA_LONGITUDE)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) \
                or not low <= value <= high:
            field_errors[name] = ["The location must be in India."]
    if not address or len(address) > 255:
        field_errors["address"] = ["Enter the address or a landmark (at most 255 characters)."]
    return field_errors


def campaign_create(*, creator, title: str, description: str, target_amount: int, latitude: float,
                    longitude: float, address: str, photo, now: datetime | None = None) -> Campaign:
    """A first-time creator's campaign waits for an admin (draft); later ones go live at once."""
    now = now or timezone.now()
    title, description, address = (title or "").strip(), (description or "").strip(), (address or "").strip()
    field_errors = _validate(title=title, description=description, target_amount=target_amount, latitude=latitude,
                             longitude=longitude, address=address)
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    image = process_image(photo, allowed_formats=("JPEG", "PNG"), max_bytes=PHOTO_MAX_BYTES)
    first_time = not Campaign.objects.filter(creator=creator, approved_at__isnull=False).exists()
    campaign = Campaign(creator=creator, title=title, description=description, target_amount=target_amount,
                        latitude=float(latitude), longitude=float(longitude), address=address)
    if not first_time:
        campaign.status = Campaign.Status.ACTIVE
        campaign.approved_at = now
        campaign.expires_at = now + timedelta(days=expiry_days(target_amount))
    campaign.photo_phash = image.phash
    campaign.photo.save(image.content.name, image.content, save=False)
    campaign.save()
    _flag_spam_cluster(campaign)
    if campaign.status == Campaign.Status.DRAFT:
        on_commit(lambda: notify_many(
            users=_admins(), event="campaign.created", title=f"New campaign to approve: {campaign.title}",
            body=f"{creator.name} started their first campaign ({format_inr(target_amount)}).",
            link=reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
        ))
    return campaign


def _flag_spam_cluster(campaign: Campaign) -> None:
    """More than 3 open campaigns within 100 m of each other: flag them all for an admin."""
    d_lat = SPAM_RADIUS_METRES / 111_320
    d_lng = SPAM_RADIUS_METRES / (111_320 * max(0.01, math.cos(math.radians(campaign.latitude))))
    candidates = Campaign.objects.filter(
        status__in=Campaign.OPEN_STATUSES,
        latitude__range=(campaign.latitude - d_lat, campaign.latitude + d_lat),
        longitude__range=(campaign.longitude - d_lng, campaign.longitude + d_lng),
    ).values_list("pk", "latitude", "longitude")
    nearby = [pk for pk, lat, lng in candidates
              if distance_metres(campaign.latitude, campaign.longitude, lat, lng) <= SPAM_RADIUS_METRES]
    if len(nearby) <= SPAM_MAX_OPEN_NEARBY:
        return
    note = f"{len(nearby)} open campaigns within {SPAM_RADIUS_METRES} m"
    newly = Campaign.objects.filter(pk__in=nearby, flagged_spam=False).update(flagged_spam=True, spam_note=note)
    if newly:
        on_commit(lambda: notify_many(
            users=_admins(), event="campaign.flagged", title="Possible spam: campaigns clustered in one spot",
            body=f"{note}, around {campaign.address}.",
            link=reverse("admin:campaigns_campaign_changelist") + "?flagged_spam__exact=1",
        ))


def campaign_approve(*, campaign: Campaign, admin, now: datetime | None = None) -> Campaign:
    now = now or timezone.now()
    approved = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
        status=Campaign.Status.ACTIVE, approved_at=now, approved_by=admin,
        expires_at=now + timedelta(days=expiry_days(campaign.target_amount)))
    if not approved:
        raise InvalidTransition("Only a campaign waiting for approval can be approved.")
    campaign.refresh_from_db()
    on_commit(lambda: notify(
        user=campaign.creator, event="campaign.approved", title=f"Your campaign is live: {campaign.title}",
        body="People can now contribute. Share it with your neighbours!", link=_link(campaign.pk)))
    return campaign


# --- cancelling ------------------------------------------------------------------------------------

def campaign_cancel_by_creator(*, campaign: Campaign, user, now: datetime | None = None) -> Campaign:
    if campaign.creator_id != user.pk:
        raise errors.NotAllowed("Only the creator can cancel this campaign.")
    cancelled = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.ACTIVE, amount_raised=0).update(
        status=Campaign.Status.CANCELLED, ended_at=now or timezone.now(), cancelled_by=user,
        cancel_reason="Cancelled by the creator")
    if not cancelled:
        raise InvalidTransition("Only an active campaign that has raised nothing can be cancelled by its creator.")
    campaign.refresh_from_db()
    return campaign


def campaign_cancel_by_admin(*, campaign: Campaign, admin, reason: str, now: datetime | None = None) -> Campaign:
    """Cancel any campaign not yet completed; everything held for it is refunded."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.ValidationFailed(fields={"reason": ["Give a reason: the creator and contributors will see it."]})
    with atomic():
        cancelled = Campaign.objects.filter(
            pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.ACTIVE, Campaign.Status.FUNDED]
        ).update(status=Campaign.Status.CANCELLED, ended_at=now or timezone.now(), cancelled_by=admin,
                 cancel_reason=reason[:255])
        if not cancelled:
            raise InvalidTransition("This campaign can no longer be cancelled.")
        campaign.refresh_from_db()
        campaign_cancelled.send(sender=Campaign, campaign=campaign, reason=reason)
        campaign_refund_contributors(campaign=campaign, reason=f"Campaign cancelled: {reason}")
    recipients = [campaign.creator, *_backers(campaign).exclude(pk=campaign.creator_id)]
    on_commit(lambda: notify_many(
        users=recipients, event="campaign.cancelled", title=f"Campaign cancelled: {campaign.title}",
        body=f"{reason} Any contribution is being refunded in full.", link=_link(campaign.pk)))
    return campaign


def campaign_refund_contributors(*, campaign: Campaign, reason: str) -> int:
    """Refund every credited contribution of the campaign (once each, whatever calls it again)."""
    count = 0
    for contribution in Contribution.objects.filter(campaign=campaign, status=Contribution.Status.CREDITED) \
            .select_related("payment"):
        count += _refund_contribution(contribution=contribution, reason=reason)
    return count


def _refund_contribution(*, contribution: Contribution, reason: str) -> int:
    moved = Contribution.objects.filter(pk=contribution.pk, status=Contribution.Status.CREDITED).update(
        status=Contribution.Status.REFUNDING, refund_reason=reason[:255])
    if moved:
        payment_services.refund_request(payment=contribution.payment, amount=None, reason=reason,
                                        refund_key=f"contribution:{contribution.pk}")
    return moved


# --- contributing ----------------------------------------------------------------------------------

def contribution_start(*, campaign: Campaign, contributor, amount: int) -> Contribution:
    """Open a payment for a contribution; it counts only once the gateway confirms it."""
    if contributor.pk == campaign.creator_id:
        raise errors.NotAllowed("You cannot contribute to your own campaign.", code="own_campaign")
    if campaign.status != Campaign.Status.ACTIVE:
        raise errors.Conflict("This campaign is not accepting contributions.", code="campaign_not_active")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < MIN_CONTRIBUTION:
        raise errors.ValidationFailed(fields={"amount": [f"The minimum contribution is {format_inr(MIN_CONTRIBUTION)}."]})
    if amount > campaign.remaining_amount:
        raise errors.ValidationFailed(fields={"amount": [
            f"Only {format_inr(campaign.remaining_amount)} is still needed."]})
    contribution = Contribution.objects.create(campaign=campaign, contributor=contributor, amount=amount)
    try:
        payment = payment_services.payment_create(
            payer=contributor, payable_kind=PAYABLE_KIND, payable_id=str(contribution.pk),
            escrow_key=campaign.escrow_key, amount=amount, description=f"Contribution to “{campaign.title}”")
    except errors.DomainError:
        Contribution.objects.filter(pk=contribution.pk).update(status=Contribution.Status.FAILED)
        raise
    Contribution.objects.filter(pk=contribution.pk).update(payment=payment)
    contribution.payment = payment
    return contribution


def _on_captured(payment: Payment) -> None:
    contribution = Contribution.objects.select_related("campaign", "contributor").get(pk=payment.payable_id)
    now = timezone.now()
    credited = Contribution.objects.filter(
        pk=contribution.pk, status__in=[Contribution.Status.PENDING, Contribution.Status.FAILED]
    ).update(status=Contribution.Status.CREDITED, credited_at=now)
    if not credited:
        return
    contribution.status = Contribution.Status.CREDITED
    campaign = contribution.campaign
    counted = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.ACTIVE).update(
        amount_raised=F("amount_raised") + contribution.amount)
    if not counted:
        _refund_contribution(contribution=contribution,
                             reason="The campaign was no longer raising funds when your payment arrived.")
        return
    try:
        with atomic():
            CampaignBacker.objects.create(campaign=campaign, user=contribution.contributor)
            Campaign.objects.filter(pk=campaign.pk).update(contributor_count=F("contributor_count") + 1)
    except IntegrityError:
        pass  # already a backer
    funded = Campaign.objects.filter(
        pk=campaign.pk, status=Campaign.Status.ACTIVE, amount_raised__gte=F("target_amount")
    ).update(status=Campaign.Status.FUNDED, funded_at=now)
    amount, name = contribution.amount, contribution.contributor.get_short_name()
    on_commit(lambda: notify(
        user=campaign.creator, event="campaign.contribution_received",
        title=f"{name} contributed {format_inr(amount)}", body=campaign.title, link=_link(campaign.pk)))
    if funded:
        _after_funded(campaign.pk)


def _after_funded(campaign_id) -> None:
    def announce():
        campaign = Campaign.objects.get(pk=campaign_id)
        recipients = [campaign.creator, *_backers(campaign).exclude(pk=campaign.creator_id)]
        notify_many(users=recipients, event="campaign.funded", title=f"Funded: {campaign.title}",
                    body=f"{format_inr(campaign.amount_raised)} raised. A cleaner will now be found for the job.",
                    link=_link(campaign.pk))
        campaign_funded.send(sender=Campaign, campaign=campaign)

    on_commit(announce)


def _on_failed(payment: Payment) -> None:
    Contribution.objects.filter(pk=payment.payable_id, status=Contribution.Status.PENDING).update(
        status=Contribution.Status.FAILED)


def _on_refunded(refund: Refund) -> None:
    Contribution.objects.filter(pk=refund.payment.payable_id).exclude(status=Contribution.Status.REFUNDED).update(
        status=Contribution.Status.REFUNDED)


def _return_url(payable_id: str) -> str:
    campaign_id = Contribution.objects.filter(pk=payable_id).values_list("campaign_id", flat=True).first()
    return _link(campaign_id) if campaign_id else reverse("campaigns:list")


# --- the cleanup (driven by its job) ---------------------------------------------------------------

def campaign_mark_cleaned(*, campaign: Campaign, after_photo_name: str, now: datetime | None = None) -> bool:
    """The job was verified: the campaign shows its after-photo. Once."""
    now = now or timezone.now()
    changed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.FUNDED).update(
        status=Campaign.Status.COMPLETED, after_photo=after_photo_name, completed_at=now)
    if changed:
        recipients = [campaign.creator, *_backers(campaign).exclude(pk=campaign.creator_id)]
        on_commit(lambda: notify_many(
            users=recipients, event="campaign.completed", title=f"Cleaned: {campaign.title}",
            body="The cleanup is verified. See the after-photo!", link=_link(campaign.pk)))
    return bool(changed)


def campaign_close(*, campaign: Campaign, now: datetime | None = None) -> bool:
    """The cleaner is paid: nothing is left to do."""
    return bool(Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.COMPLETED).update(
        status=Campaign.Status.CLOSED, ended_at=now or timezone.now()))


def campaign_reopen_after_reversal(*, campaign: Campaign) -> bool:
    """The bank returned the cleaner's payout: the campaign is not closed until it is paid again."""
    return bool(Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.CLOSED).update(
        status=Campaign.Status.COMPLETED, ended_at=None))


# --- expiry ---------------------------------------------------------------------------------------

def campaigns_expire(*, now: datetime) -> JobResult:
    """Active campaigns past expiry: >= 80% raised -> funded; otherwise expired and refunded."""
    funded = expired = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE, expires_at__lte=now):
        enough = campaign.amount_raised * FUNDED_AT_EXPIRY_RATIO[1] >= campaign.target_amount * FUNDED_AT_EXPIRY_RATIO[0]
        with atomic():
            if enough:
                if Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.ACTIVE).update(
                        status=Campaign.Status.FUNDED, funded_at=now):
                    funded += 1
                    _after_funded(campaign.pk)
                continue
            if not Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.ACTIVE).update(
                    status=Campaign.Status.EXPIRED, ended_at=now):
                continue
            expired += 1
            campaign_refund_contributors(campaign=campaign, reason="The campaign expired before reaching its target.")
            recipients = [campaign.creator, *_backers(campaign).exclude(pk=campaign.creator_id)]
            on_commit(lambda c=campaign, r=recipients: notify_many(
                users=r, event="campaign.expired", title=f"Campaign expired: {c.title}",
                body="It did not reach 80% of its target in time. Every contribution is refunded in full.",
                link=_link(c.pk)))
    return JobResult(summary=f"{funded} campaign(s) funded at expiry, {expired} expired and refunded")
