"""Reviews: the customer of a completed booking rates it once (REVIEW_RATING_RANGE stars, a comment of up
to REVIEW_COMMENT_MAX characters). The review counts in the cleaner's rating at once (one F() update of
total, count and average, so concurrent reviews of different bookings all count) and releases the
cleaner's payout (bookings.services.payout: due at the review or PAYOUT_AFTER_COMPLETION after completion,
whichever first; not while a dispute is open). One review per booking is the unique constraint's to keep:
of two racing reviews of one booking one is stored, the other gets AlreadyReviewed (409).

An admin may hide a review (with a reason): it leaves the lists and the cleaner's rating; showing it again
puts it back."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from marketplace.services.cleaner_profile import profile_rating_add, profile_rating_remove
from notifications.services import notify

from .. import notices, rules
from ..errors import AlreadyReviewed, NotCompleted, WrongParty
from ..models import Booking, Party, Review
from .payout import booking_payout_release
from .timeline import event_record, party_of

HIDDEN_REASON_MAX = Review._meta.get_field("hidden_reason").max_length


def _rating(value) -> int:
    low, high = rules.REVIEW_RATING_RANGE
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise errors.ValidationFailed(fields={"rating": [notices.rating_out_of_range()]})
    return value


def _comment(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise errors.ValidationFailed(fields={"comment": [notices.COMMENT_NOT_TEXT]})
    text = value.strip()
    if len(text) > rules.REVIEW_COMMENT_MAX:
        raise errors.ValidationFailed(fields={"comment": [notices.comment_too_long()]})
    return text


def review_create(*, booking: Booking, user, rating, comment: str = "", now: datetime | None = None) -> Review:
    """The customer reviews a completed booking, once. WrongParty (403) for the cleaner, NotCompleted
    (409) before completion, AlreadyReviewed (409) for a second review; ValidationFailed for a rating
    outside the range or a comment too long."""
    now = now or timezone.now()
    if party_of(booking, user) != Party.CUSTOMER:
        raise WrongParty(notices.ONLY_CUSTOMER_REVIEWS)
    stars, text = _rating(rating), _comment(comment)
    if booking.status != Booking.Status.COMPLETED:
        raise NotCompleted(notices.REVIEW_ONLY_COMPLETED)
    if Review.objects.filter(booking=booking).exists():
        raise AlreadyReviewed(notices.ALREADY_REVIEWED)
    try:
        with atomic():
            review = Review.objects.create(booking=booking, cleaner_id=booking.cleaner_id, customer=user,
                                           rating=stars, comment=text)
            profile_rating_add(profile=booking.cleaner, rating=stars)
            event_record(booking=booking, action="reviewed", actor=user, party=Party.CUSTOMER,
                         note=notices.review_note(review))
            booking_payout_release(booking=booking, now=now)
    except IntegrityError:  # the other of two racing reviews was stored first
        raise AlreadyReviewed(notices.ALREADY_REVIEWED) from None
    review.booking = booking
    cleaner_user = booking.cleaner.user
    on_commit(lambda: notify(user=cleaner_user, event="booking.review_received",
                             link=notices.booking_link(booking.pk), dedupe_key=f"booking.review:{booking.pk}",
                             **notices.review_received(review)))
    return review


def review_hide(*, review: Review, admin, reason: str, now: datetime | None = None) -> bool:
    """An admin hides a review (a reason is required): it leaves the lists and the cleaner's rating.
    False when it was hidden already."""
    now = now or timezone.now()
    if not getattr(admin, "is_staff", False):
        raise errors.NotAllowed()
    text = " ".join(str(reason or "").split())
    if not text:
        raise errors.ValidationFailed(fields={"reason": [notices.HIDE_REASON_REQUIRED]})
    if len(text) > HIDDEN_REASON_MAX:
        raise errors.ValidationFailed(fields={"reason": [notices.decision_note_too_long(HIDDEN_REASON_MAX)]})
    with atomic():
        if not Review.objects.filter(pk=review.pk, hidden_at__isnull=True).update(
                hidden_at=now, hidden_reason=text, hidden_by=admin):
            return False
        profile_rating_remove(profile=review.cleaner, rating=review.rating)
        event_record(booking=review.booking, action="review_hidden", actor=admin, party=Party.ADMIN,
                     note=f"{notices.REVIEW_HIDDEN_NOTE}: {text}")
    review.hidden_at, review.hidden_reason, review.hidden_by = now, text, admin
    return True


def review_unhide(*, review: Review, admin) -> bool:
    """An admin shows a hidden review again: it counts in the rating again. False when it was not hidden."""
    if not getattr(admin, "is_staff", False):
        raise errors.NotAllowed()
    with atomic():
        if not Review.objects.filter(pk=review.pk, hidden_at__isnull=False).update(
                hidden_at=None, hidden_reason="", hidden_by=None):
            return False
        profile_rating_add(profile=review.cleaner, rating=review.rating)
        event_record(booking=review.booking, action="review_shown", actor=admin, party=Party.ADMIN,
                     note=notices.REVIEW_SHOWN_NOTE)
    review.hidden_at, review.hidden_reason, review.hidden_by = None, "", None
    return True
