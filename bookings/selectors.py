"""Reads: a participant's bookings and one booking (404 for anyone else), the alternatives shown after a
cleaner cancels, a booking's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from cleanit import geo
from cleanit.db import only_match, parse_uuid
from marketplace import selectors as marketplace_selectors
from marketplace.models import CleanerProfile, ServicePackage

from . import rules
from .errors import BookingNotFound
from .models import Booking

LIST_FILTERS = ("upcoming", "past", "cancelled")
ALTERNATIVES_RADIUS_KM = 25  # how far from the booked cleaner other cleaners are looked for
ALTERNATIVES_CANDIDATES = 20  # the nearest this many are checked for a free slot


def _participant(user) -> Q:
    return Q(customer=user) | Q(cleaner__user=user)


def _with_details(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    """With what a booking is shown and acted on with: its parties, its payment (the page's payment line, a
    cancellation's refund) and its dispute. The service is copied onto the booking when it is made, and the
    review is read by the page on its own; joining them, and the cleaner's KYC, cost each read a quarter of
    its time for rows nothing used (docs/benchmarks.md, issue 12)."""
    return queryset.select_related("customer", "cleaner__user", "payment", "dispute")


def bookings_for(*, user, show: str | None = None, as_cleaner: bool | None = None,
                 now: datetime | None = None) -> QuerySet[Booking]:
    """The user's bookings (as customer and as cleaner, or only one side): ``upcoming`` (live, soonest
    first), ``past`` (completed, latest first), ``cancelled`` (latest first), or all (latest first)."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    side = _participant(user) if as_cleaner is None else Q(cleaner__user=user) if as_cleaner else Q(customer=user)
    queryset = _with_details(Booking.objects.filter(side))
    if show == "upcoming":
        return queryset.filter(status__in=Booking.LIVE).order_by("starts_at", "id")
    if show == "past":
        return queryset.filter(status=Booking.Status.COMPLETED).order_by("-starts_at", "id")
    if show == "cancelled":
        return queryset.filter(status=Booking.Status.CANCELLED).order_by("-starts_at", "id")
    return queryset.order_by("-starts_at", "id")


def booking_for_participant(*, user, booking_id) -> Booking:
    """One of the user's bookings; BookingNotFound (404) for an unknown id and for anyone else's."""
    pk = parse_uuid(booking_id)
    booking = only_match(_with_details(Booking.objects.filter(_participant(user), pk=pk))) \
        if pk and getattr(user, "is_authenticated", False) else None
    if booking is None:
        raise BookingNotFound()
    return booking


def timeline(*, booking: Booking):
    return booking.events.select_related("actor").order_by("created_at", "id")


@dataclass(frozen=True)
class Alternative:
    cleaner: CleanerProfile
    service: ServicePackage
    distance_km: float


def alternatives_for(*, booking: Booking, now: datetime | None = None) -> list[Alternative]:
    """Up to ALTERNATIVES_MAX other listed cleaners free at the booking's start for a service of the same
    type (their cheapest), nearest to the booked cleaner first. Empty once the start has passed."""
    now = now or timezone.now()
    if booking.starts_at <= now:
        return []
    origin = booking.cleaner
    near = geo.Near(latitude=origin.latitude, longitude=origin.longitude, radius_km=ALTERNATIVES_RADIUS_KM)
    candidates = marketplace_selectors.cleaner_search(near=near, service_type=booking.service_type,
                                                      available=True, sort=geo.DISTANCE_SORT)
    found: list[Alternative] = []
    day = booking.local_start.date()
    for profile in candidates[:ALTERNATIVES_CANDIDATES + 1]:
        if profile.pk == origin.pk:
            continue
        services = [service for service in profile.active_services if service.service_type == booking.service_type]
        for service in services:  # cheapest first
            slots = marketplace_selectors.free_slots(profile=profile, service=service, day=day, now=now)
            if any(slot.start == booking.local_start for slot in slots):
                found.append(Alternative(cleaner=profile, service=service, distance_km=profile.distance_km))
                break
        if len(found) >= rules.ALTERNATIVES_MAX:
            break
    return found


# --- the booking's conversation: reviews, messages, disputes ------------------------------------------

def review_item(review):
    """A review as lists show it (marketplace.hooks.ReviewItem): the customer's first name, the service
    and the booking's date, nothing else of the booking."""
    from marketplace.hooks import ReviewItem

    booking = review.booking
    return ReviewItem(id=review.pk, booking_id=review.booking_id, rating=review.rating, comment=review.comment,
                      customer_name=review.customer.get_short_name(), service_name=booking.service_name,
                      service_date=booking.booking_date, created_at=review.created_at)


class ReviewList:
    """A lazy, countable, sliceable list of ReviewItem over a queryset of reviews (pagers read only
    the page they show)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return (review_item(review) for review in self.queryset)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [review_item(review) for review in self.queryset[index]]
        return review_item(self.queryset[index])


def visible_reviews(*, cleaner_id) -> QuerySet:
    from .models import Review

    return (Review.objects.filter(cleaner_id=cleaner_id, hidden_at__isnull=True)
            .select_related("booking", "customer").order_by("-created_at", "-id"))


def reviews_of_cleaner(profile) -> ReviewList:
    """marketplace.hooks reviews provider: the cleaner's visible reviews, newest first."""
    return ReviewList(visible_reviews(cleaner_id=profile.pk))


def review_get(*, review_id):
    """A visible review; ReviewNotFound (404) for an unknown or hidden one."""
    from .errors import ReviewNotFound
    from .models import Review

    pk = parse_uuid(review_id)
    review = Review.objects.filter(pk=pk, hidden_at__isnull=True).select_related("booking", "customer").first() \
        if pk is not None else None
    if review is None:
        raise ReviewNotFound()
    return review


def messages_of(*, booking: Booking):
    """The booking's messages, oldest first (the selector's caller already is a participant)."""
    return booking.messages.select_related("sender").order_by("created_at", "id")


def conversation_context(*, booking: Booking, user, now: datetime | None = None) -> dict:
    """What templates/bookings/_messages.html, _review.html and _dispute.html read (besides their forms):
    the messages and whether messaging is open, the review (or whether one may be written), the dispute
    (or whether one may be opened), and the texts that explain the rules."""
    from . import notices
    from .models import Dispute, Review
    from .services.disputes import dispute_window_open
    from .services.messages import messages_open
    from .services.timeline import party_of

    now = now or timezone.now()
    party = party_of(booking, user)
    review = Review.objects.filter(booking=booking).first()
    dispute = Dispute.objects.filter(booking=booking).first()
    can_message = messages_open(booking=booking, now=now)
    return {
        "party": party,
        "booking_messages": [_message_item(message, booking=booking, user=user)
                             for message in messages_of(booking=booking)],
        "messages_open": can_message,
        "messages_rule": notices.messages_rule(),
        "messages_closed_text": "" if can_message else notices.messages_closed(booking),
        "message_max": rules.MESSAGE_MAX,
        "review": review,
        "can_review": party == "customer" and review is None and booking.status == Booking.Status.COMPLETED,
        "review_help": notices.review_help(),
        "review_comment_max": rules.REVIEW_COMMENT_MAX,
        "rating_choices": list(range(rules.REVIEW_RATING_RANGE[0], rules.REVIEW_RATING_RANGE[1] + 1)),
        "dispute": dispute,
        "dispute_photo_urls": _photo_urls(dispute),
        "can_dispute": party == "customer" and dispute is None and dispute_window_open(booking=booking, now=now),
        "can_respond": party == "cleaner" and dispute is not None and dispute.status == Dispute.Status.OPEN,
        "dispute_help": notices.dispute_help(),
        "dispute_closed_text": "" if dispute is not None or booking.status != Booking.Status.COMPLETED
        else notices.dispute_not_allowed(booking, now=now),
        "dispute_text_max": rules.DISPUTE_TEXT_MAX,
        "dispute_photos_max": rules.DISPUTE_PHOTOS_MAX,
    }


def _message_item(message, *, booking: Booking, user) -> dict:
    mine = message.sender_id == getattr(user, "pk", None)
    from_customer = message.sender_id == booking.customer_id
    name = message.sender.get_short_name() if from_customer else message.sender.name
    return {"id": message.pk, "body": message.body, "created_at": message.created_at, "mine": mine,
            "sender": "You" if mine else name, "sender_party": "customer" if from_customer else "cleaner"}


def _photo_urls(dispute) -> list[str]:
    from django.core.files.storage import default_storage

    return [default_storage.url(name) for name in (dispute.photos if dispute else [])]
