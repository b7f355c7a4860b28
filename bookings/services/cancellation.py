"""Cancelling a booking, by either party or by the system (expiry), with the refund policy:

- the customer: all of total_price back 24 h or more before the start, half from 6 h to 24 h, nothing
  under 6 h (bookings.rules.customer_refund); what is kept is split (bookings.services.payout);
- the cleaner (a request declined, or a confirmed or started booking cancelled): all of it back at once;
  cancelling an accepted booking is a penalty on the cleaner's record, and CLEANER_CANCELLATIONS_TO_SUSPEND
  of them within CLEANER_CANCELLATION_WINDOW suspend the cleaner from search for SEARCH_SUSPENSION; the
  customer is shown up to ALTERNATIVES_MAX other cleaners free at the same time;
- the system: unpaid or unanswered, nothing was paid (a payment captured meanwhile is refunded).

Refunds go through the payments core (batches, retries, webhooks, audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition
from marketplace.models import CleanerProfile
from marketplace.services.cleaner_profile import cleaner_listing_refresh
from notifications.services import notify
from payments import services as payment_services

from .. import notices, rules
from ..errors import WrongParty
from ..models import Booking, CleanerCancellation, Party
from .holds import holds_release
from .lifecycle import answer_figures, figures_count
from .payout import split_and_pay
from .timeline import event_record, party_of


@dataclass(frozen=True)
class CancellationTerms:
    """What cancelling now would mean, shown before the person confirms (pages and API alike)."""

    party: str
    refund: int  # paise back to the customer
    kept: int  # paise the platform keeps (split between the cleaner and the fee)
    penalty: bool  # a cleaner's cancellation counted on their record

    @property
    def refund_percent(self) -> int:
        return 0 if not self.refund else round(100 * self.refund / (self.refund + self.kept))


def _paid(booking: Booking) -> bool:
    return booking.payment_status == Booking.PaymentStatus.PAID


def cancellation_terms(*, booking: Booking, party: str, now: datetime | None = None) -> CancellationTerms:
    now = now or timezone.now()
    total = booking.total_price if _paid(booking) else 0
    if party == Party.CUSTOMER:
        refund = rules.customer_refund(total, booking.starts_at - now)
    else:
        refund = total
    penalty = party == Party.CLEANER and booking.status in (Booking.Status.CONFIRMED, Booking.Status.IN_PROGRESS)
    return CancellationTerms(party=party, refund=refund, kept=total - refund, penalty=penalty)


def _reason(reason, *, required: bool) -> str:
    text = " ".join(str(reason).split()) if isinstance(reason, str) else ""
    if required and not text:
        raise errors.ValidationFailed(fields={"reason": [notices.REASON_REQUIRED]})
    if len(text) > rules.CANCELLATION_REASON_MAX:
        raise errors.ValidationFailed(fields={"reason": [notices.reason_too_long()]})
    return text


def booking_cancel(*, booking: Booking, user, reason: str = "", now: datetime | None = None) -> Booking:
    """A participant cancels (the cleaner: declines a request, or cancels, with a reason)."""
    now = now or timezone.now()
    party = party_of(booking, user)
    if party not in (Party.CUSTOMER, Party.CLEANER):
        raise WrongParty()
    text = _reason(reason, required=party == Party.CLEANER)
    return _cancel(booking=booking, party=party, actor=user, reason=text, now=now)


def booking_expire(*, booking: Booking, reason: str, now: datetime) -> bool:
    """The system cancels a pending or unpaid booking (bookings.services.expiry); False if it moved on
    (only from the status the sweep read: a cleaner who accepted meanwhile keeps the booking)."""
    if booking.status not in (Booking.Status.PENDING, Booking.Status.CONFIRMED):
        return False
    try:
        _cancel(booking=booking, party=Party.SYSTEM, actor=None, reason=reason, now=now, expiring=True,
                sources=[booking.status])
    except errors.InvalidTransition:
        return False
    return True


def _cancel(*, booking: Booking, party: str, actor, reason: str, now: datetime, expiring: bool = False,
            sources: list[str] | None = None) -> Booking:
    was = booking.status
    terms = cancellation_terms(booking=booking, party=party, now=now)
    where = {"payment_status": Booking.PaymentStatus.PENDING} if expiring else {"payment_status": booking.payment_status}
    with atomic():
        transition(booking, Booking.Status.CANCELLED, sources=sources, where=where, cancelled_at=now,
                   cancelled_by=party, cancellation_reason=reason, refund_amount=terms.refund,
                   calendar_sequence=F("calendar_sequence") + 1)
        holds_release(booking)
        action = "expired" if expiring else "rejected" if party == Party.CLEANER and was == Booking.Status.PENDING \
            else "cancelled"
        event_record(booking=booking, action=action, actor=actor, party=party, from_status=was,
                     to_status=Booking.Status.CANCELLED, note=notices.cancellation_note(booking, terms))
        if terms.refund:
            payment_services.refund_request(payment=booking.payment, amount=terms.refund,
                                            reason=notices.refund_reason(booking, terms),
                                            refund_key=f"booking-cancel:{booking.pk}")
        if terms.kept:
            split_and_pay(booking=booking, kept=terms.kept, now=now)
        if action == "rejected":  # a declined request is an answer too
            figures_count(booking, **answer_figures(booking, now))
        suspended = _penalise(booking=booking, reason=reason, now=now) if terms.penalty else False
    _tell(booking=booking, party=party, action=action, suspended=suspended)
    return booking


def _penalise(*, booking: Booking, reason: str, now: datetime) -> bool:
    """Count the cleaner's cancellation; the one that reaches the limit within the window suspends them
    from search. True when this one did."""
    profile = booking.cleaner
    CleanerCancellation.objects.create(cleaner=profile, booking=booking, reason=reason)
    CleanerProfile.objects.filter(pk=profile.pk).update(cleaner_cancellations=F("cleaner_cancellations") + 1)
    recent = CleanerCancellation.objects.filter(cleaner=profile, created_at__gte=now - rules.CLEANER_CANCELLATION_WINDOW,
                                                led_to_suspension=False).count()
    if recent < rules.CLEANER_CANCELLATIONS_TO_SUSPEND:
        return False
    until = now + rules.SEARCH_SUSPENSION
    if not CleanerProfile.objects.filter(pk=profile.pk).exclude(search_suspended_until__gt=now).update(
            search_suspended_until=until):
        return False  # already suspended from search
    CleanerCancellation.objects.filter(cleaner=profile, created_at__gte=now - rules.CLEANER_CANCELLATION_WINDOW,
                                       led_to_suspension=False).update(led_to_suspension=True)
    cleaner_listing_refresh(user_id=profile.user_id, now=now)
    profile.search_suspended_until = until
    return True


def _tell(*, booking: Booking, party: str, action: str, suspended: bool) -> None:
    link = notices.booking_link(booking.pk)
    cleaner_user = booking.cleaner.user
    if party != Party.CUSTOMER:
        event = {"expired": "booking.expired", "rejected": "booking.rejected"}.get(action, "booking.cancelled")
        content = (notices.booking_expired(booking) if action == "expired"
                   else notices.booking_rejected(booking) if action == "rejected"
                   else notices.booking_cancelled(booking, by="cleaner"))
        on_commit(lambda content=content: notify(user=booking.customer, event=event, link=link, **content))
    if party != Party.CLEANER:
        content = (notices.booking_expired_cleaner(booking) if action == "expired"
                   else notices.booking_cancelled(booking, by="customer"))
        on_commit(lambda content=content: notify(user=cleaner_user, event="booking.expired" if action == "expired"
                                                 else "booking.cancelled", link=link, **content))
    if suspended:
        on_commit(lambda: notify(user=cleaner_user, event="booking.search_suspended",
                                 link=notices.dashboard_link(), **notices.search_suspended(booking.cleaner)))
