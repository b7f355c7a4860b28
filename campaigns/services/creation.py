"""Starting a campaign (validated, photo checked, spam clusters flagged) and approving a first one."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from campaigns import notices, rules
from campaigns.models import Campaign
from cleanit import errors
from cleanit.db import on_commit
from cleanit.geo import distance_metres
from cleanit.images import process_image
from cleanit.statemachine import transition
from notifications.services import notify, notify_staff

METRES_PER_DEGREE_LATITUDE = 111_320


def _validate(*, title, description, target_amount, latitude, longitude, address) -> dict[str, list[str]]:
    field_errors: dict[str, list[str]] = {}
    if not rules.TITLE_LENGTH[0] <= len(title) <= rules.TITLE_LENGTH[1]:
        field_errors["title"] = [notices.title_length()]
    if not rules.DESCRIPTION_LENGTH[0] <= len(description) <= rules.DESCRIPTION_LENGTH[1]:
        field_errors["description"] = [notices.description_length()]
    if not isinstance(target_amount, int) or isinstance(target_amount, bool) \
            or not rules.TARGET_RANGE[0] <= target_amount <= rules.TARGET_RANGE[1]:
        field_errors["target_amount"] = [notices.target_range()]
    for name, value, (low, high) in (("latitude", latitude, rules.INDIA_LATITUDE),
                                     ("longitude", longitude, rules.INDIA_LONGITUDE)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) \
                or not low <= value <= high:
            field_errors[name] = [notices.LOCATION_OUTSIDE_INDIA]
    if not address or len(address) > rules.ADDRESS_MAX_LENGTH:
        field_errors["address"] = [notices.address_required()]
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
    image = process_image(photo, allowed_formats=rules.PHOTO_FORMATS, max_bytes=rules.PHOTO_MAX_BYTES)
    first_time = not Campaign.objects.filter(creator=creator, approved_at__isnull=False).exists()
    campaign = Campaign(creator=creator, title=title, description=description, target_amount=target_amount,
                        latitude=float(latitude), longitude=float(longitude), address=address)
    if not first_time:
        # Created live: a creator already approved once needs no second approval.
        campaign.status = Campaign.Status.ACTIVE
        campaign.approved_at = now
        campaign.expires_at = now + timedelta(days=rules.expiry_days(target_amount))
    campaign.photo_phash = image.phash
    campaign.photo.save(image.content.name, image.content, save=False)
    campaign.save()
    _flag_spam_cluster(campaign)
    if campaign.status == Campaign.Status.DRAFT:
        on_commit(lambda: notify_staff(
            event="campaign.created", link=reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
            **notices.to_approve(campaign, creator)))
    return campaign


def _flag_spam_cluster(campaign: Campaign) -> None:
    """More than SPAM_MAX_OPEN_NEARBY open campaigns within SPAM_RADIUS_METRES of each other: flag
    them all for an admin."""
    radius = rules.SPAM_RADIUS_METRES
    d_lat = radius / METRES_PER_DEGREE_LATITUDE
    d_lng = radius / (METRES_PER_DEGREE_LATITUDE * max(0.01, math.cos(math.radians(campaign.latitude))))
    candidates = Campaign.objects.filter(
        status__in=Campaign.OPEN_STATUSES,
        latitude__range=(campaign.latitude - d_lat, campaign.latitude + d_lat),
        longitude__range=(campaign.longitude - d_lng, campaign.longitude + d_lng),
    ).values_list("pk", "latitude", "longitude")
    nearby = [pk for pk, lat, lng in candidates
              if distance_metres(campaign.latitude, campaign.longitude, lat, lng) <= radius]
    if len(nearby) <= rules.SPAM_MAX_OPEN_NEARBY:
        return
    note = notices.spam_note(len(nearby))
    newly = Campaign.objects.filter(pk__in=nearby, flagged_spam=False).update(flagged_spam=True, spam_note=note)
    if newly:
        on_commit(lambda: notify_staff(
            event="campaign.flagged",
            link=reverse("admin:campaigns_campaign_changelist") + "?flagged_spam__exact=1",
            **notices.flagged(note, campaign.address)))


def campaign_approve(*, campaign: Campaign, admin, now: datetime | None = None) -> Campaign:
    now = now or timezone.now()
    try:
        transition(campaign, Campaign.Status.ACTIVE, sources=[Campaign.Status.DRAFT], approved_at=now,
                   approved_by=admin, expires_at=now + timedelta(days=rules.expiry_days(campaign.target_amount)))
    except errors.InvalidTransition:
        raise errors.InvalidTransition(notices.APPROVE_REFUSED) from None
    on_commit(lambda: notify(user=campaign.creator, event="campaign.approved", link=notices.campaign_link(campaign.pk),
                             **notices.approved(campaign)))
    return campaign
