"""Editing a draft: its creator corrects it while it waits for an admin's approval, under the rules of
campaign_create. Once approved (or ended) it no longer changes: people may have seen or funded it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from campaigns import errors as campaign_errors
from campaigns import notices
from campaigns.models import Campaign
from cleanit import errors
from cleanit.db import on_commit

from .creation import spam_cluster_flag, validated_fields_and_photo

def campaign_check_editable(*, campaign: Campaign, user) -> None:
    """NotAllowed for anyone but the creator, CampaignNotDraft once it is approved or ended."""
    if campaign.creator_id != user.pk:
        raise errors.NotAllowed(notices.ONLY_CREATOR_EDITS)
    if campaign.status != Campaign.Status.DRAFT:
        raise campaign_errors.CampaignNotDraft()


def campaign_update(*, campaign: Campaign, user, title: str | None = None, description: str | None = None,
                    target_amount: int | None = None, latitude: float | None = None, longitude: float | None = None,
                    address: str | None = None, city: str | None = None, photo=None,
                    now: datetime | None = None) -> Campaign:
    """Change the given fields of a draft (None keeps a field as it is) and, with ``photo``, its photo.
    A draft has no expiry yet: approval derives it from the target stored then, this edit's included."""
    campaign_check_editable(campaign=campaign, user=user)
    given = {"title": title, "description": description, "target_amount": target_amount, "latitude": latitude,
             "longitude": longitude, "address": address, "city": city}
    values, image = validated_fields_and_photo(
        {name: getattr(campaign, name) if value is None else value for name, value in given.items()}, photo,
        photo_required=False)
    old_photo = campaign.photo.name
    if image is not None:
        campaign.photo.save(image.content.name, image.content, save=False)
        values.update(photo=campaign.photo.name, photo_phash=image.phash)
    moved = (values["latitude"], values["longitude"]) != (campaign.latitude, campaign.longitude)
    # Conditional on the status, like a transition: an approval that got in first wins, the edit is refused.
    changed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT) \
        .update(updated_at=now or timezone.now(), **values)
    if not changed:
        if photo is not None:
            campaign.photo.storage.delete(campaign.photo.name)
        campaign.refresh_from_db()
        raise campaign_errors.CampaignNotDraft()
    if photo is not None and old_photo:
        storage = campaign.photo.storage
        on_commit(lambda: storage.delete(old_photo))
    campaign.refresh_from_db()
    if moved:
        spam_cluster_flag(campaign)
    return campaign
