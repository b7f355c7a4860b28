from django.db.models import Q, QuerySet

from cleanit.db import get_by_id

from .models import Campaign, Contribution

SORTS = {
    "newest": ["-created_at"],
    "ending_soon": ["expires_at", "-created_at"],
    "most_funded": ["-amount_raised", "-created_at"],
}
PUBLIC_STATUSES = [s for s in Campaign.Status.values if s != Campaign.Status.DRAFT]


def campaign_list(*, viewer=None, status: str | None = None, sort: str = "newest") -> QuerySet[Campaign]:
    """Campaigns anyone may see; drafts only to their creator and staff. One query, whatever the page."""
    queryset = Campaign.objects.all()
    if viewer is not None and viewer.is_authenticated and viewer.is_staff:
        visible = queryset
    elif viewer is not None and viewer.is_authenticated:
        visible = queryset.filter(Q(status__in=PUBLIC_STATUSES) | Q(creator=viewer))
    else:
        visible = queryset.filter(status__in=PUBLIC_STATUSES)
    if status:
        visible = visible.filter(status=status)
    return visible.order_by(*SORTS.get(sort, SORTS["newest"]))


def campaign_for_viewer(*, viewer, campaign_id) -> Campaign:
    return get_by_id(campaign_list(viewer=viewer).select_related("creator"), campaign_id,
                     not_found="Campaign not found.")


def campaigns_created_by(*, user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(creator=user).order_by("-created_at")


def contributions_by(*, user) -> QuerySet[Contribution]:
    return (Contribution.objects.filter(contributor=user).select_related("campaign", "payment")
            .order_by("-created_at"))


def campaigns_needing_funds(*, limit: int = 3) -> list[Campaign]:
    return list(Campaign.objects.filter(status=Campaign.Status.ACTIVE).select_related("creator")
                .order_by("expires_at")[:limit])
