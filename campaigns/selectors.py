from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Max, Q, QuerySet

from cleanit import geo
from cleanit.db import get_by_id
from payments.models import Refund

from . import notices
from .models import Campaign, Contribution

SORTS = {
    "newest": ["-created_at"],
    "ending_soon": ["expires_at", "-created_at"],
    "most_funded": ["-amount_raised", "-created_at"],
}
# Sorting by distance needs a point (see list_filters); it is done on the candidates, not in the database.
LIST_SORTS = [*SORTS, geo.DISTANCE_SORT]
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


def list_filters(*, status=None, sort=None, city=None, lat=None, lng=None, radius_km=None) -> dict:
    """The list's query, from the page or the API, as campaign_list's arguments. An unknown status or
    sort falls back to the default; a point, radius or distance sort that cannot be used is a
    ValidationFailed (cleanit.geo.near_from_query)."""
    near = geo.near_from_query(lat=lat, lng=lng, radius_km=radius_km, sort=sort)
    return {"status": status if status in Campaign.Status.values else None,
            "sort": sort if sort in LIST_SORTS else "newest",
            "city": " ".join((city or "").split()) or None, "near": near}


def campaign_list(*, viewer=None, status: str | None = None, sort: str = "newest", city: str | None = None,
                  near: geo.Near | None = None) -> QuerySet[Campaign] | list[Campaign]:
    """The campaigns list of the page and of the API: live ones (raising funds or funded) unless a
    status is asked for; in one city (any letter case) and/or within ``near``'s radius. From a point,
    a list of the campaigns in the radius, each with its ``distance_km``. One query, whatever the page."""
    statuses = [status] if status in Campaign.Status.values else LIVE_STATUSES
    queryset = _visible(viewer).filter(status__in=statuses).order_by(*SORTS.get(sort, SORTS["newest"]))
    if city:
        queryset = queryset.filter(city__iexact=city)
    if near is None:
        return queryset
    found = []
    for campaign, metres in geo.within(queryset.filter(**geo.box_lookups(near)), near,
                                       position=lambda c: (c.latitude, c.longitude)):
        campaign.distance_km = round(metres / 1000, 2)
        found.append(campaign)
    if sort == geo.DISTANCE_SORT:
        found.sort(key=lambda c: c.distance_km)
    return found


def campaign_cities(*, viewer=None) -> list[str]:
    """The cities of the campaigns the viewer may see, once each whatever their letter case, A to Z."""
    names = _visible(viewer).order_by().values_list("city", flat=True).distinct()
    by_key: dict[str, str] = {}
    for name in names:
        if name:
            by_key.setdefault(name.casefold(), name)
    return sorted(by_key.values(), key=str.casefold)


def campaign_for_viewer(*, viewer, campaign_id) -> Campaign:
    return get_by_id(_visible(viewer).select_related("creator"), campaign_id, not_found=notices.CAMPAIGN_NOT_FOUND)


def campaign_audience(campaign: Campaign) -> list:
    """Who hears about a campaign's fate: its creator, then every active backer (once each)."""
    counted = Contribution.objects.filter(campaign=campaign, counts_backer=True).values("contributor_id")
    backers = get_user_model().objects.filter(pk__in=counted, is_active=True) \
        .exclude(pk=campaign.creator_id)
    return [campaign.creator, *backers]


def campaigns_created_by(*, user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(creator=user).order_by("-created_at")


def contributions_to(*, campaign: Campaign, user) -> list[Contribution]:
    """The user's own contributions to one campaign, newest first (none for a visitor)."""
    if user is None or not user.is_authenticated:
        return []
    return list(Contribution.objects.filter(campaign=campaign, contributor=user).select_related("payment")
                .prefetch_related("payment__refunds").order_by("-created_at"))


@dataclass(frozen=True)
class RefundSummary:
    """What became of the money given to an expired or cancelled campaign."""

    ended_at: datetime | None
    refunded: int  # contributions whose refund is settled
    on_the_way: int  # contributions being refunded
    last_refunded_at: datetime | None

    @property
    def state(self) -> str:
        if self.on_the_way:
            return "refunding"
        return "refunded" if self.refunded else "nothing_to_refund"


def campaign_refunds(*, campaign: Campaign) -> RefundSummary | None:
    """For an expired or cancelled campaign, its refunds as they stand; None for any other."""
    if campaign.status not in (Campaign.Status.EXPIRED, Campaign.Status.CANCELLED):
        return None
    paid_in = Contribution.objects.filter(campaign=campaign)
    refunded = paid_in.filter(status=Contribution.Status.REFUNDED)
    last = Refund.objects.filter(status=Refund.Status.REFUNDED, payment_id__in=refunded.values("payment_id")) \
        .aggregate(last=Max("refunded_at"))["last"]
    # Credited money on an ended campaign is refunded in the same step that ended it: on its way too.
    on_the_way = paid_in.filter(status__in=[Contribution.Status.CREDITED, Contribution.Status.REFUNDING]).count()
    return RefundSummary(ended_at=campaign.ended_at, refunded=refunded.count(), on_the_way=on_the_way,
                         last_refunded_at=last)


def contributions_by(*, user) -> QuerySet[Contribution]:
    return (Contribution.objects.filter(contributor=user).select_related("campaign", "payment")
            .order_by("-created_at"))


def campaigns_needing_funds(*, limit: int = 3) -> list[Campaign]:
    return list(Campaign.objects.filter(status=Campaign.Status.ACTIVE).select_related("creator")
                .order_by("expires_at")[:limit])
