"""The cleaner's share of a booking: split from what the platform keeps (bookings.rules.cleaner_share),
the rest recorded as the platform's fee in the escrow ledger, and paid by the payments core's daily
payout batch. Released once per booking (a conditional update on ``payout_scheduled``): at the
review, PAYOUT_AFTER_COMPLETION after completion (the hourly job), at a cancellation that keeps money,
or by an admin's dispute decision; never while a dispute is open."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from cleanit.periodic import JobResult
from payments import services as payment_services
from payments.models import LedgerEntry, Payout
from payments.services.payouts import MIN_PAYOUT_AMOUNT

from .. import notices, rules
from ..models import Booking, Dispute


def split_and_pay(*, booking: Booking, kept: int, now: datetime) -> bool:
    """Split ``kept`` paise into the cleaner's share (paid out, due ``now``) and the fee (ledger), once.
    Returns True for the one caller that did it."""
    share = rules.cleaner_share(kept, service_price=booking.service_price, total_price=booking.total_price)
    fee = kept - share
    if share < MIN_PAYOUT_AMOUNT:  # nothing worth a bank transfer: the platform keeps it
        share, fee = 0, kept
    if not Booking.objects.filter(pk=booking.pk, payout_scheduled=False).update(
            payout_scheduled=True, cleaner_amount=share, fee_amount=fee):
        return False
    booking.payout_scheduled, booking.cleaner_amount, booking.fee_amount = True, share, fee
    if fee:
        payment_services.ledger_record(escrow_key=booking.escrow_key, kind=LedgerEntry.Kind.FEE, amount=fee,
                                       entry_key=f"fee:booking:{booking.pk}", reference=f"booking:{booking.pk}")
    if share:
        payment_services.payout_schedule(payee=booking.cleaner.user, source_kind=rules.PAYOUT_SOURCE,
                                         source_id=str(booking.pk), escrow_key=booking.escrow_key, amount=share,
                                         description=notices.payout_description(booking), due_at=now)
    return True


def booking_payout_release(*, booking: Booking, now: datetime | None = None) -> bool:
    """Release a completed, paid booking's payout (all that was not refunded) unless a dispute is open."""
    now = now or timezone.now()
    if booking.status != Booking.Status.COMPLETED or booking.payout_scheduled:
        return False
    if booking.payment_status not in (Booking.PaymentStatus.PAID, Booking.PaymentStatus.PARTIALLY_REFUNDED):
        return False
    if Dispute.objects.filter(booking=booking, status=Dispute.Status.OPEN).exists():
        return False
    return split_and_pay(booking=booking, kept=booking.total_price - booking.refund_amount, now=now)


def payouts_release_due(*, now: datetime) -> JobResult:
    """Hourly: every completed booking whose payout fell due (PAYOUT_AFTER_COMPLETION) and is not disputed."""
    due = Booking.objects.select_related("cleaner__user").filter(
        status=Booking.Status.COMPLETED, payout_scheduled=False, payout_due_at__lte=now)
    released = sum(1 for booking in due.iterator() if booking_payout_release(booking=booking, now=now))
    return JobResult(summary=f"{released} booking payout(s) released")


def on_payout_paid(payout: Payout) -> None:
    """payments callback: nothing to move on the booking (the payout's own notice tells the cleaner)."""


def on_payout_reversed(payout: Payout) -> None:
    """payments callback: the bank sent the money back; the payments core flags it for an admin."""
