"""Account deletion, campaigns side: what the person ran ends, and their photos go. Money records
(contributions, payments, refunds) stay, tied to the anonymised account."""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import default_storage

from campaigns.models import Campaign
from cleanit.db import on_commit

from .cancellation import campaigns_end_for_deleted_creator


def campaigns_anonymise_creator(*, user_id, now: datetime | None = None) -> None:
    campaigns_end_for_deleted_creator(user_id=user_id, now=now)
    campaign_photos_remove(user_id=user_id)


def campaign_photos_remove(*, user_id) -> int:
    """Remove the before-photos the person took (files and fields). The after-photo is the cleaner's
    evidence, not the creator's, and stays; the perceptual hash stays so the picture cannot be reused
    as a fake after-photo."""
    campaigns = Campaign.objects.filter(creator_id=user_id).exclude(photo="")
    names = list(campaigns.values_list("photo", flat=True))
    campaigns.update(photo="")

    def delete_files():
        for name in names:
            default_storage.delete(name)

    # Files go once the blanking is stored: a rolled-back deletion keeps a working campaign.
    on_commit(delete_files)
    return len(names)
