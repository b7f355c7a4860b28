"""Starting a campaign (validated, photo checked, spam clusters flagged) and approving a first one.
The field rules, photo check and spam check are shared with editing a draft (see editing)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db.models import Case, DateTimeField, Value, When
from django.urls import reverse
from django.utils import timezone

from campaigns import notices, rules
from campaigns.models import Campaign
from cleanit import errors, geo
from cleanit.db import on_commit
from cleanit.images import process_image
from cleanit.statemachine import transition
from notifications.services import notify, notify_staff


def validated_fields(*, title, description, target_amount, latitude, longitude, address, city) -> dict:
    """A campaign's fields, trimmed, or ValidationFailed naming every broken rule. A city left out
    (None) is the one the address names."""
    title, description, address = (title or "").strip(), (description or "").strip(), (address or "").strip()
    city = rules.city_in_address(address) if city is None else " ".join(str(city).split())
    field_errors: dict[str, list[str]] = {}
    if not rules.TITLE_LENGTH[0] <= len(title) <= rules.TITLE_LENGTH[1]:
        field_errors["title"] = [notices.title_length()]
    if not rules.DESCRIPTION_LENGTH[0] <= len(description) <= rules.DESCRIPTION_LENGTH[1]:
        field_errors["description"] = [notices.description_length()]
    if not isinstance(target_amount, int) or isinstance(target_amount, bool) \
            or not rules.TARGET_RANGE[0] <= target_amount <= rules.TARGET_RANGE[1]:
        field_errors["target_amount"] = [notices.target_range()]
    for name, value, (low, high) in (("latitude", latitude, geo.INDIA_LATITUDE),
                                     ("longitude", longitude, geo.INDIA_LONGITUDE)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) \
                or not low <= value <= high:
            field_errors[name] = [notices.LOCATION_OUTSIDE_INDIA]
    if not address or len(address) > rules.ADDRESS_MAX_LENGTH:
        field_errors["address"] = [notices.address_required()]
    if not city or len(city) > rules.CITY_MAX_LENGTH:
        field_errors["city"] = [notices.city_required()]
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    return {"title": title, "description": description, "target_amount": target_amount,
            "latitude": float(latitude), "longitude": float(longitude), "address": address, "city": city}


def processed_photo(photo):
    return process_image(photo, allowed_formats=rules.PHOTO_FORMATS, max_bytes=rules.PHOTO_MAX_BYTES)


def validated_fields_and_photo(fields: dict, photo, *, photo_required: bool = True):
    """``validated_fields(**fields)`` and ``processed_photo(photo)`` in one pass, so a person hears of every
    broken rule at once: ValidationFailed naming the photo with the other fields; a bad photo alone keeps
    its own error (TooLarge, UnsupportedMedia). Without ``photo_required`` no photo (None) is no image."""
    try:
        values, field_errors = validated_fields(**fields), {}
    except errors.ValidationFailed as exc:
        values, field_errors = None, dict(exc.fields)
    image = None
    if photo is not None or photo_required:
        try:
            image = processed_photo(photo)
        except errors.DomainError as exc:
            if not field_errors:
                raise
            field_errors.update(exc.fields or {"photo": [exc.message]})
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    return values, image


def campaign_photo_check(photo) -> None:
    """Raise what starting or editing a campaign would say of this photo (too large, not a JPG or PNG)
    without keeping it: a form or request whose own checks fail before the service runs reports the
    photo in the same answer, rather than after the person has sent everything again."""
    processed_photo(photo)


def campaign_create(*, creator, title: str, description: str, target_amount: int, latitude: float,
                    longitude: float, address: str, photo, city: str | None = None,
                    now: datetime | None = None) -> Campaign:
    """A first-time creator's campaign waits for an admin (draft); later ones go live at once."""
    now = now or timezone.now()
    fields, image = validated_fields_and_photo(
        {"title": title, "description": description, "target_amount": target_amount, "latitude": latitude,
         "longitude": longitude, "address": address, "city": city}, photo)
    first_time = not Campaign.objects.filter(creator=creator, approved_at__isnull=False).exists()
    campaign = Campaign(creator=creator, **fields)
    if not first_time:
        # Created live: a creator already approved once needs no second approval.
        campaign.status = Campaign.Status.ACTIVE
        campaign.approved_at = now
        campaign.expires_at = now + timedelta(days=rules.expiry_days(target_amount))
    campaign.photo_phash = image.phash
    campaign.photo.save(image.content.name, image.content, save=False)
    campaign.save()
    spam_cluster_flag(campaign)
    if campaign.status == Campaign.Status.DRAFT:
        on_commit(lambda: notify_staff(
            event="campaign.created", link=reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
            **notices.to_approve(campaign, creator)))
    return campaign


def spam_cluster_flag(campaign: Campaign) -> None:
    """More than SPAM_MAX_OPEN_NEARBY open campaigns within SPAM_RADIUS_METRES of each other: flag
    them all for an admin."""
    near = geo.Near(latitude=campaign.latitude, longitude=campaign.longitude,
                    radius_km=rules.SPAM_RADIUS_METRES / 1000)
    candidates = Campaign.objects.filter(status__in=Campaign.OPEN_STATUSES, **geo.box_lookups(near)) \
        .values_list("pk", "latitude", "longitude")
    nearby = [pk for (pk, _, _), _ in geo.within(candidates, near, position=lambda row: (row[1], row[2]))]
    if len(nearby) <= rules.SPAM_MAX_OPEN_NEARBY:
        return
    note = notices.spam_note(len(nearby))
    newly = Campaign.objects.filter(pk__in=nearby, flagged_spam=False).update(flagged_spam=True, spam_note=note)
    if newly:
        on_commit(lambda: notify_staff(
            event="campaign.flagged",
            link=reverse("admin:campaigns_campaign_changelist") + "?flagged_spam__exact=1",
            **notices.flagged(note, campaign.address)))


def _expiry_for_stored_target(now: datetime) -> Case:
    """rules.expiry_days of the target as stored when the update runs: the creator may have just edited
    the draft, and the admin's copy of it can be older."""
    return Case(*(When(target_amount__lte=up_to, then=Value(now + timedelta(days=days)))
                  for up_to, days in rules.EXPIRY_TIERS),
                default=Value(now + timedelta(days=rules.EXPIRY_DAYS_ABOVE_TIERS)), output_field=DateTimeField())


def campaign_approve(*, campaign: Campaign, admin, now: datetime | None = None) -> Campaign:
    now = now or timezone.now()
    try:
        transition(campaign, Campaign.Status.ACTIVE, sources=[Campaign.Status.DRAFT], approved_at=now,
                   approved_by=admin, expires_at=_expiry_for_stored_target(now))
    except errors.InvalidTransition:
        raise errors.InvalidTransition(notices.APPROVE_REFUSED) from None
    campaign.refresh_from_db()
    on_commit(lambda: notify(user=campaign.creator, event="campaign.approved", link=notices.campaign_link(campaign.pk),
                             **notices.approved(campaign)))
    return campaign
