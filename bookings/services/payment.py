"""Paying for a booking: a booking is a payable of the payments core (registered in BookingsConfig). The
customer opens a payment once the cleaner has accepted; the capture (Checkout signature or webhook,
exactly once) marks the booking paid and tells both parties. A second payment captured for a booking
already paid, or no longer payable, is refunded in full at once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cleanit.db import only_match
from cleanit.statemachine import try_transition
from payments import services as payment_services
from payments.models import Payment, Refund

from .. import notices, rules
from ..errors import PaymentNotExpected, WrongParty
from ..models import Booking, Party
from .timeline import event_record, party_of


def booking_pay_start(*, booking: Booking, user) -> Payment:
    """Open a payment of total_price for a confirmed, unpaid booking (the customer only). Asking again
    opens a new order (a Checkout closed unpaid cannot be reused); only one is ever kept."""
    if party_of(booking, user) != Party.CUSTOMER:
        raise WrongParty(notices.ONLY_CUSTOMER_PAYS)
    if booking.status != Booking.Status.CONFIRMED or booking.payment_status != Booking.PaymentStatus.PENDING:
        raise PaymentNotExpected(notices.payment_not_expected(booking))
    payment = payment_services.payment_create(
        payer=user, payable_kind=rules.PAYABLE_KIND, payable_id=str(booking.pk), escrow_key=booking.escrow_key,
        amount=booking.total_price, description=notices.payment_description(booking))
    Booking.objects.filter(pk=booking.pk, payment_status=Booking.PaymentStatus.PENDING).update(payment=payment)
    booking.payment = payment
    return payment


def on_booking_captured(payment: Payment) -> list[dict]:
    """payments callback, in the capture's transaction: paid once; any other capture goes back. Returns the
    cleaner's notice, sent with the customer's receipt once the capture commits."""
    booking = only_match(Booking.objects.select_related("customer", "cleaner__user").filter(pk=payment.payable_id))
    if booking is None:
        return []
    now = timezone.now()
    paid = booking.status == Booking.Status.CONFIRMED and try_transition(
        booking, Booking.PaymentStatus.PAID, field="payment_status", where={"status": Booking.Status.CONFIRMED},
        payment=payment, paid_at=now)
    if not paid:
        payment_services.refund_request(payment=payment, amount=None, reason=notices.DUPLICATE_PAYMENT_REFUND,
                                        refund_key=f"booking-unexpected:{payment.pk}")
        return []
    event_record(booking=booking, action="paid", party=Party.CUSTOMER, actor=booking.customer,
                 note=notices.paid_note(booking))
    return [{"user": booking.cleaner.user, "event": "booking.payment_received", "link": notices.booking_link(booking.pk),
             **notices.payment_received_cleaner(booking)}]


def on_booking_payment_failed(payment: Payment) -> None:
    """A failed payment changes nothing: the booking waits for another until its start time."""


def on_booking_refunded(refund: Refund) -> None:
    """payments callback when a refund settles: the booking's payment status follows what came back."""
    booking = Booking.objects.filter(pk=refund.payment.payable_id).first()
    if booking is None or booking.payment_id != refund.payment_id:
        return  # a duplicate payment's refund: the booking's own money is untouched
    refunded = sum(refund.payment.refunds.filter(status=Refund.Status.REFUNDED).values_list("amount", flat=True))
    to = (Booking.PaymentStatus.REFUNDED if refunded >= booking.total_price
          else Booking.PaymentStatus.PARTIALLY_REFUNDED)
    if booking.payment_status != to:
        try_transition(booking, to, field="payment_status")
    event_record(booking=booking, action="refunded", party=Party.SYSTEM, note=notices.refunded_note(refund.amount))


def booking_payment_viewer(payable_id: str, user) -> bool:
    """The booking's cleaner sees the customer's payment for it (GET /api/v1/payments/{id})."""
    return Booking.objects.filter(pk=payable_id, cleaner__user_id=getattr(user, "pk", None)).exists()


def booking_return_url(payable_id: str) -> str:
    if Booking.objects.filter(pk=payable_id).exists():
        return notices.booking_link(payable_id)
    return reverse("bookings:mine")
