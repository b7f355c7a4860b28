"""Taking a payment through a gateway order and crediting it exactly once (Checkout signature or
webhook, whichever comes first, any number of times, concurrently)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition, try_transition
from notifications.services import notify_batch

from .. import errors, gateway, notices, selectors
from ..models import LedgerEntry, Payment, Refund
from ..registry import payable_type
from .common import create_with_receipt_number, fit


def payment_create(*, payer, payable_kind: str, payable_id: str, escrow_key: str, amount: int,
                   description: str) -> Payment:
    """Open a gateway order for a new payment (our payment id is the order's receipt), then store the
    payment with its order: one insert. No one can pay the order before it is stored, since only the
    stored payment hands its order to Checkout. An order that cannot be opened leaves the payment
    stored as failed."""
    payable_type(payable_kind)  # fail fast on an unregistered kind
    description = fit(Payment, "description", description)
    fields = {"id": uuid.uuid4(), "payer": payer, "payable_kind": payable_kind, "payable_id": str(payable_id),
              "escrow_key": escrow_key, "amount": amount, "description": description}
    try:
        order = gateway.create_order(amount=amount, receipt=str(fields["id"]),
                                     notes={"payment_id": str(fields["id"]), "payable": f"{payable_kind}:{payable_id}",
                                            "description": description})
    except errors.GatewayError:
        payment = create_with_receipt_number(Payment, **fields, gateway_order_id=f"pending:{uuid.uuid4()}")
        transition(payment, Payment.Status.FAILED, failed_at=timezone.now(), failure_reason=notices.ORDER_NOT_OPENED)
        raise
    return create_with_receipt_number(Payment, **fields, gateway_order_id=order["id"])


def payment_capture(*, payment: Payment, gateway_payment_id: str, now: datetime | None = None) -> bool:
    """Credit a payment once. Returns True for the one caller that captured it. The payer's receipt and the
    payable's notices are sent after commit, in one insert."""
    now = now or timezone.now()
    with atomic():
        if not try_transition(payment, Payment.Status.CAPTURED, gateway_payment_id=gateway_payment_id,
                              captured_at=now, failure_reason=""):
            return False
        LedgerEntry.objects.create(escrow_key=payment.escrow_key, kind=LedgerEntry.Kind.HELD, amount=payment.amount,
                                   entry_key=f"held:{payment.pk}", payment=payment)
        told = list(payable_type(payment.payable_kind).on_captured(payment) or ())
    receipt = {"user": payment.payer, "event": "payment.received", **notices.payment_received(payment),
               "link": reverse("payments:receipt", args=[payment.pk])}
    on_commit(lambda: notify_batch([receipt, *told]))
    return True


def payment_fail(*, payment: Payment, reason: str, now: datetime | None = None) -> bool:
    """Mark an unpaid payment failed. A captured payment never goes back (late or reordered events)."""
    with atomic():
        if not try_transition(payment, Payment.Status.FAILED, failed_at=now or timezone.now(),
                              failure_reason=fit(Payment, "failure_reason", reason)):
            return False
        payment.refresh_from_db()
        payable_type(payment.payable_kind).on_failed(payment)
    return True


def payment_verify(*, payer, order_id: str, payment_id: str, signature: str) -> Payment:
    """Checkout came back with a signature: check it against the order *we* stored, then capture."""
    payment = selectors.payment_for_order(payer=payer, order_id=order_id)
    gateway.verify_payment_signature(order_id=payment.gateway_order_id, payment_id=payment_id, signature=signature)
    if payment_capture(payment=payment, gateway_payment_id=payment_id):
        # Captured by this call just now, and a refund needs a captured payment: it has none yet, known without
        # a read (the answer lists them).
        payment._prefetched_objects_cache = {"refunds": Refund.objects.none()}
    else:
        payment.refresh_from_db()  # captured by the webhook (or an earlier verify): as it was stored
    return payment


def payment_return_url(payment: Payment) -> str:
    return payable_type(payment.payable_kind).return_url(payment.payable_id)
