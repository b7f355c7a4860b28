from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cleanit.db import get_by_id

from . import notices
from .models import Campaign, Contribution

SORTS = {
    "newest": ["-created_at"],
    "ending_soon": ["expires_at", "-created_at"],
    "most_funded": ["-amount_raised", "-created_at"],
}
PUBLIC_STATUSES = [s for s in Campaign.Status.values if s != Campaign.Status.DRAFT]
# What a list shows when no status is asked for (page and API alike): campaigns still going.
LIVE_STATUSES = [Campaign.Status.ACTIVE, Campaign.Status.FUNDED]


def _visible(viewer) -> QuerySet[Campaign]:
    """Campaigns the viewer may see: drafts only to their creator and staff."""
    queryset = Campaign.objects.all()
    if viewer is not None and viewer.is_authenticated and viewer.is_staff:
        return queryset
    if viewer is not None and viewer.is_authenticated:
        return queryset.filter(Q(status__in=PUBLIC_STATUSES) | Q(creator=viewer))
    return queryset.filter(status__in=PUBLIC_STATUSES)


def campaign_list(*, viewer=None, status: str | None = None, sort: str = "newest") -> QuerySet[Campaign]:
    """The campaigns list of the page and of the API: live ones (raising funds or funded) unless a
    status is asked for. One query, whatever the page."""
    statuses = [status] if status in Campaign.Status.values else LIVE_STATUSES
    return _visible(viewer).filter(status__in=statuses).order_by(*SORTS.get(sort, SORTS["newest"]))


def campaign_for_viewer(*, viewer, campaign_id) -> Campaign:
    return get_by_id(_visible(viewer).select_related("creator"), campaign_id, not_found=notices.CAMPAIGN_NOT_FOUND)


def campaign_audience(campaign: Campaign) -> list:
    """Who hears about a campaign's fate: its creator, then every active backer (once each)."""
    backers = get_user_model().objects.filter(pk__in=campaign.backers.values("user_id"), is_active=True) \
        .exclude(pk=campaign.creator_id)
    return [campaign.creator, *backers]


def campaigns_created_by(*, user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(creator=user).order_by("-created_at")


def contributions_by(*, user) -> QuerySet[Contribution]:
    return (Contribution.objects.filter(contributor=user).select_related("campaign", "payment")
            .order_by("-created_at"))


def campaigns_needing_funds(*, limit: int = 3) -> list[Campaign]:
    return list(Campaign.objects.filter(status=Campaign.Status.ACTIVE).select_related("creator")
                .order_by("expires_at")[:limit])
