"""Disputes: within DISPUTE_WINDOW of completion, and while the cleaner's payout is not released yet, the
customer reports a problem (a category, a text of up to DISPUTE_TEXT_MAX characters, up to
DISPUTE_PHOTOS_MAX photos). The payout is held (``payout_due_at`` cleared: the hourly release skips it,
and booking_payout_release refuses while a dispute is open). The cleaner may answer (and correct the
answer) while it is open. An admin decides, once (Dispute.TRANSITIONS open -> resolved):

- full refund: what is left of total_price goes back to the customer; nothing is paid to the cleaner;
- partial refund of an amount (1 paisa up to what is left): refunded, the rest is split and paid
  (bookings.rules.cleaner_share: the cleaner's share and the fee, as after a cancellation);
- release: all of it is split and paid.

Refunds go through payments.services.refund_request (refund key derived from the dispute; the payments
core writes its refund audit entry with the admin); the booking's refund_amount grows by the refund, and
its payment_status follows when the refund settles (bookings.services.payment.on_booking_refunded). The
booking's timeline records each step (disputed, dispute_answered, dispute_decided with the admin and the
note); both parties are told.

Since a review releases the payout, a problem must be reported before reviewing: the pages say so.

Races: opening a dispute writes the booking row (a conditional update on ``payout_scheduled=False``) in
the same transaction as the dispute, and the payout release writes that row too (split_and_pay's
conditional update), so of a dispute and a release at the same moment only one takes effect."""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.images import process_image
from cleanit.statemachine import transition
from notifications.services import notify
from payments import services as payment_services

from .. import notices, rules
from ..errors import DisputeNotAllowed, DisputeNotOpen, WrongParty
from ..models import Booking, Dispute, Party
from .payout import split_and_pay
from .timeline import event_record, party_of

# Photos: judged by content and re-encoded (cleanit.images). At most DISPUTE_PHOTOS_MAX of this size each,
# so that the largest report fits the upload body limit (settings.UPLOAD_BODY_MAX_BYTES, 11 MB).
PHOTO_FORMATS = ("JPEG", "PNG")
PHOTO_MAX_BYTES = 3 * 1024 * 1024
PHOTO_FOLDER = "bookings/disputes/"
DECISION_NOTE_MAX = Dispute._meta.get_field("decision_note").max_length
PAID_STATUSES = (Booking.PaymentStatus.PAID, Booking.PaymentStatus.PARTIALLY_REFUNDED)


def dispute_window_open(*, booking: Booking, now: datetime | None = None) -> bool:
    """A problem can be reported now: completed, paid, within DISPUTE_WINDOW, payout not released, none yet."""
    now = now or timezone.now()
    return (booking.status == Booking.Status.COMPLETED and booking.completed_at is not None
            and now <= booking.completed_at + rules.DISPUTE_WINDOW and not booking.payout_scheduled
            and booking.payment_status in PAID_STATUSES and not Dispute.objects.filter(booking=booking).exists())


def _text(value, *, field: str, required: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise errors.ValidationFailed(fields={field: [required]})
    if len(text) > rules.DISPUTE_TEXT_MAX:
        raise errors.ValidationFailed(fields={field: [notices.dispute_text_too_long()]})
    return text


def _photos(photos) -> list:
    photos = [photo for photo in (photos or []) if photo]
    if len(photos) > rules.DISPUTE_PHOTOS_MAX:
        raise errors.ValidationFailed(fields={"photos": [notices.dispute_too_many_photos()]})
    processed = []
    for photo in photos:
        try:
            processed.append(process_image(photo, allowed_formats=PHOTO_FORMATS, max_bytes=PHOTO_MAX_BYTES))
        except errors.DomainError as exc:  # the photo's messages belong to this form's "photos" field
            raise type(exc)(exc.message, fields={"photos": [exc.message]}) from None
    return processed


def dispute_open(*, booking: Booking, user, category, text, photos=(), now: datetime | None = None) -> Dispute:
    """The customer reports a problem with a completed booking; the payout is held. WrongParty (403) for
    the cleaner; DisputeNotAllowed (409) outside the window, after the payout's release, or a second time;
    ValidationFailed / TooLarge / UnsupportedMedia for bad input (nothing stored)."""
    now = now or timezone.now()
    if party_of(booking, user) != Party.CUSTOMER:
        raise WrongParty(notices.ONLY_CUSTOMER_DISPUTES)
    if category not in Dispute.Category.values:
        raise errors.ValidationFailed(fields={"category": [notices.DISPUTE_CATEGORY_CHOICE]})
    body = _text(text, field="text", required=notices.DISPUTE_TEXT_REQUIRED)
    if Dispute.objects.filter(booking=booking).exists():
        raise DisputeNotAllowed(notices.DISPUTE_ALREADY_REPORTED)
    if not dispute_window_open(booking=booking, now=now):
        raise DisputeNotAllowed(notices.dispute_not_allowed(booking, now=now))
    images = _photos(photos)
    names = [default_storage.save(PHOTO_FOLDER + image.content.name, image.content) for image in images]
    try:
        with atomic():
            # Holds the payout, and claims the booking row against a release at the same moment.
            if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.COMPLETED,
                                          payout_scheduled=False).update(payout_due_at=None):
                raise DisputeNotAllowed(notices.dispute_not_allowed(booking, now=now))
            dispute = Dispute.objects.create(booking=booking, opened_by=user, category=category, text=body,
                                             photos=names)
            event_record(booking=booking, action="disputed", actor=user, party=Party.CUSTOMER,
                         note=notices.dispute_opened_note(dispute))
    except IntegrityError:  # a second report at the same moment
        _delete(names)
        raise DisputeNotAllowed(notices.DISPUTE_ALREADY_REPORTED) from None
    except errors.DomainError:
        _delete(names)
        raise
    booking.payout_due_at = None
    dispute.booking = booking
    cleaner_user = booking.cleaner.user
    on_commit(lambda: notify(user=cleaner_user, event="booking.dispute_opened",
                             link=notices.booking_link(booking.pk) + "#dispute", **notices.dispute_opened(dispute)))
    return dispute


def _delete(names) -> None:
    for name in names:
        default_storage.delete(name)


def dispute_respond(*, booking: Booking, user, text, now: datetime | None = None) -> Dispute:
    """The cleaner answers the reported problem (again to correct it) while it is open. WrongParty (403)
    for the customer; DisputeNotOpen (409) once decided; ValidationFailed for an empty or too long text."""
    now = now or timezone.now()
    if party_of(booking, user) != Party.CLEANER:
        raise WrongParty(notices.ONLY_CLEANER_RESPONDS)
    body = _text(text, field="text", required=notices.RESPONSE_TEXT_REQUIRED)
    dispute = Dispute.objects.filter(booking=booking).first()
    if dispute is None:
        raise DisputeNotOpen("No problem has been reported for this booking.")
    with atomic():
        if not Dispute.objects.filter(pk=dispute.pk, status=Dispute.Status.OPEN).update(
                cleaner_response=body, responded_at=now):
            raise DisputeNotOpen()
        event_record(booking=booking, action="dispute_answered", actor=user, party=Party.CLEANER)
    first_answer = dispute.responded_at is None
    dispute.cleaner_response, dispute.responded_at, dispute.booking = body, now, booking
    if first_answer:
        customer = booking.customer
        on_commit(lambda: notify(user=customer, event="booking.dispute_answered",
                                 link=notices.booking_link(booking.pk) + "#dispute",
                                 dedupe_key=f"booking.dispute_answered:{dispute.pk}",
                                 **notices.dispute_answered(dispute)))
    return dispute


def refundable(booking: Booking) -> int:
    """What the decision may still give back: total_price less what was refunded already."""
    return booking.total_price - booking.refund_amount


def dispute_decide(*, dispute: Dispute, admin, outcome, amount=None, note, now: datetime | None = None) -> Dispute:
    """An admin decides an open dispute: full_refund, partial_refund of ``amount`` paise (1 up to what is
    left of total_price) or release. NotAllowed (403) for anyone but staff; DisputeNotOpen (409) when it
    was decided already (of two admins deciding at once, one wins); ValidationFailed for a bad outcome,
    amount or note."""
    now = now or timezone.now()
    if not getattr(admin, "is_staff", False):
        raise errors.NotAllowed(notices.ONLY_ADMIN_DECIDES)
    if outcome not in Dispute.Outcome.values:
        raise errors.ValidationFailed(fields={"outcome": [notices.DISPUTE_OUTCOME_CHOICE]})
    text = " ".join(str(note or "").split())
    if not text:
        raise errors.ValidationFailed(fields={"note": [notices.DECISION_NOTE_REQUIRED]})
    if len(text) > DECISION_NOTE_MAX:
        raise errors.ValidationFailed(fields={"note": [notices.decision_note_too_long(DECISION_NOTE_MAX)]})
    booking = Booking.objects.select_related("customer", "cleaner__user", "payment").get(pk=dispute.booking_id)
    if dispute.status != Dispute.Status.OPEN:
        raise DisputeNotOpen()
    left = refundable(booking)
    if outcome == Dispute.Outcome.FULL_REFUND:
        refund = left
    elif outcome == Dispute.Outcome.PARTIAL_REFUND:
        if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= left:
            raise errors.ValidationFailed(fields={"amount": [notices.dispute_refund_out_of_range(left)]})
        refund = amount
    else:
        refund = 0
    kept = left - refund
    with atomic():
        try:
            transition(dispute, Dispute.Status.RESOLVED, sources=[Dispute.Status.OPEN], outcome=outcome,
                       refund_amount=refund, decision_note=text, decided_at=now, decided_by=admin)
        except errors.InvalidTransition:  # another admin decided it a moment ago
            raise DisputeNotOpen() from None
        if refund:
            Booking.objects.filter(pk=booking.pk).update(refund_amount=F("refund_amount") + refund)
            booking.refund_amount += refund
            payment_services.refund_request(payment=booking.payment, amount=refund,
                                            reason=notices.dispute_refund_reason(dispute),
                                            refund_key=f"booking-dispute:{dispute.pk}", requested_by=admin)
        if kept and not split_and_pay(booking=booking, kept=kept, now=now):
            raise DisputeNotOpen(notices.DISPUTE_PAYOUT_RELEASED)  # rolls the decision back
        if not kept:  # nothing left to pay: mark the payout settled so no release ever runs
            Booking.objects.filter(pk=booking.pk, payout_scheduled=False).update(payout_scheduled=True)
            booking.payout_scheduled = True
        event_record(booking=booking, action="dispute_decided", actor=admin, party=Party.ADMIN,
                     note=notices.dispute_decision_note(dispute))
    dispute.booking = booking
    for user, party in ((booking.customer, Party.CUSTOMER), (booking.cleaner.user, Party.CLEANER)):
        content = notices.dispute_decided(dispute, for_party=party)
        on_commit(lambda user=user, content=content: notify(
            user=user, event="booking.dispute_decided", link=notices.booking_link(booking.pk) + "#dispute",
            dedupe_key=f"booking.dispute_decided:{dispute.pk}", **content))
    return dispute
