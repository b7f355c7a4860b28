"""Payments use-cases: taking a payment through an order, crediting it exactly once (checkout
signature or webhook, whichever comes first, any number of times, concurrently), webhooks,
refunds with retries, and the escrow ledger entries that go with each."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.money import format_inr
from cleanit.periodic import JobResult
from notifications.services import notify

from . import gateway
from .models import LedgerEntry, Payment, Refund, RefundAuditEntry, WebhookEvent
from .registry import payable_type

logger = logging.getLogger(__name__)

REFUND_BATCH_SIZE = 10


# --- payments ----------------------------------------------------------------------------------

def payment_create(*, payer, payable_kind: str, payable_id: str, escrow_key: str, amount: int,
                   description: str) -> Payment:
    """Store the payment, then open a gateway order for it (our payment id is the order's receipt)."""
    payable_type(payable_kind)  # fail fast on an unregistered kind
    payment = Payment.objects.create(
        payer=payer, payable_kind=payable_kind, payable_id=str(payable_id), escrow_key=escrow_key,
        amount=amount, description=description[:200], gateway_order_id=f"pending:{uuid.uuid4()}",
    )
    try:
        order = gateway.create_order(amount=amount, receipt=str(payment.pk),
                                     notes={"payment_id": str(payment.pk), "payable": f"{payable_kind}:{payable_id}",
                                            "description": description[:200]})
    except gateway.GatewayError:
        Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.FAILED, failed_at=timezone.now(),
                                                     failure_reason="The payment service could not open an order.")
        raise
    Payment.objects.filter(pk=payment.pk).update(gateway_order_id=order["id"])
    payment.gateway_order_id = order["id"]
    return payment


def payment_capture(*, payment: Payment, gateway_payment_id: str, now: datetime | None = None) -> bool:
    """Credit a payment once. Returns True for the one caller that captured it."""
    now = now or timezone.now()
    with atomic():
        won = Payment.objects.filter(
            pk=payment.pk, status__in=[Payment.Status.CREATED, Payment.Status.FAILED]
        ).update(status=Payment.Status.CAPTURED, gateway_payment_id=gateway_payment_id, captured_at=now,
                 failure_reason="")
        if not won:
            return False
        payment.refresh_from_db()
        LedgerEntry.objects.create(escrow_key=payment.escrow_key, kind=LedgerEntry.Kind.HELD, amount=payment.amount,
                                   entry_key=f"held:{payment.pk}", payment=payment)
        payable_type(payment.payable_kind).on_captured(payment)
    on_commit(lambda: notify(
        user=payment.payer, event="payment.received", title=f"Payment of {format_inr(payment.amount)} received",
        body=payment.description, link=reverse("payments:receipt", args=[payment.pk]),
    ))
    return True


def payment_fail(*, payment: Payment, reason: str, now: datetime | None = None) -> bool:
    """Mark an unpaid payment failed. A captured payment never goes back (late or reordered events)."""
    with atomic():
        won = Payment.objects.filter(pk=payment.pk, status=Payment.Status.CREATED).update(
            status=Payment.Status.FAILED, failed_at=now or timezone.now(), failure_reason=reason[:255])
        if not won:
            return False
        payment.refresh_from_db()
        payable_type(payment.payable_kind).on_failed(payment)
    return True


def payment_verify(*, payer, order_id: str, payment_id: str, signature: str) -> Payment:
    """Checkout came back with a signature: check it against the order *we* stored, then capture."""
    payment = Payment.objects.filter(gateway_order_id=str(order_id)[:64], payer=payer).first()
    if payment is None:
        raise errors.NotFound("Payment not found.")
    gateway.verify_payment_signature(order_id=payment.gateway_order_id, payment_id=payment_id, signature=signature)
    payment_capture(payment=payment, gateway_payment_id=payment_id)
    payment.refresh_from_db()
    return payment


def payment_return_url(payment: Payment) -> str:
    return payable_type(payment.payable_kind).return_url(payment.payable_id)


# --- webhooks ------------------------------------------------------------------------------------

def webhook_receive(*, raw_body: str, signature: str, event_id: str | None) -> str:
    """Verify, store once by event id, process. Returns "processed", "ignored" or "duplicate".
    A bad signature or body raises before anything is stored."""
    gateway.verify_webhook_signature(raw_body=raw_body, signature=signature)
    try:
        payload = json.loads(raw_body)
        event_type = payload["event"]
        if not isinstance(event_type, str) or not isinstance(payload.get("payload", {}), dict):
            raise TypeError
    except (ValueError, KeyError, TypeError) as exc:
        raise errors.ValidationFailed("The webhook body is not a Razorpay event.", code="malformed_event") from exc
    event_id = (event_id or "").strip()[:100] or f"sha256:{hashlib.sha256(raw_body.encode()).hexdigest()}"
    try:
        with atomic():  # a savepoint: a duplicate must not break a surrounding transaction
            event = WebhookEvent.objects.create(event_id=event_id, event_type=event_type[:64], payload=payload)
    except IntegrityError:
        return "duplicate"
    return webhook_process(event=event)


def webhook_process(*, event: WebhookEvent) -> str:
    """Apply a stored event. Idempotent: every handler is a forward-only conditional update."""
    handler = _WEBHOOK_HANDLERS.get(event.event_type)
    WebhookEvent.objects.filter(pk=event.pk).update(attempts=F("attempts") + 1)
    outcome = handler(event.payload.get("payload", {})) if handler else "ignored: unknown event"
    WebhookEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now(), outcome=outcome[:255])
    return "ignored" if outcome.startswith("ignored") else "processed"


def webhooks_retry_unprocessed(*, now: datetime) -> JobResult:
    """Events stored but not processed (a crash mid-way) are processed again."""
    stale = WebhookEvent.objects.filter(processed_at__isnull=True, created_at__lt=now - timedelta(minutes=1))
    done, problems = 0, []
    for event in stale[:100]:
        try:
            webhook_process(event=event)
            done += 1
        except Exception as exc:  # keep going; the event stays unprocessed and is reported
            logger.exception("webhook %s failed again", event.event_id)
            problems.append(f"webhook {event.event_id}: {exc}")
    return JobResult(summary=f"reprocessed {done} webhook events", problems=problems)


def _entity(payload: dict, name: str) -> dict:
    entity = payload.get(name, {}).get("entity", {})
    return entity if isinstance(entity, dict) else {}


def _on_payment_captured(payload: dict) -> str:
    entity = _entity(payload, "payment")
    payment = Payment.objects.filter(gateway_order_id=str(entity.get("order_id", ""))).first()
    if payment is None:
        return "ignored: unknown order"
    if entity.get("amount") != payment.amount:
        logger.error("captured amount %s differs from order amount %s", entity.get("amount"), payment.amount)
        return "ignored: amount mismatch"
    captured = payment_capture(payment=payment, gateway_payment_id=str(entity.get("id", ""))[:64])
    return "captured" if captured else "already captured"


def _on_payment_failed(payload: dict) -> str:
    entity = _entity(payload, "payment")
    payment = Payment.objects.filter(gateway_order_id=str(entity.get("order_id", ""))).first()
    if payment is None:
        return "ignored: unknown order"
    reason = str(entity.get("error_description") or "The payment failed.")
    return "failed" if payment_fail(payment=payment, reason=reason) else "no change (already final)"


def _refund_for(entity: dict) -> Refund | None:
    refund = Refund.objects.filter(gateway_refund_id=str(entity.get("id", ""))).first()
    if refund is None and entity.get("receipt"):
        try:
            refund = Refund.objects.filter(pk=uuid.UUID(str(entity["receipt"]))).first()
        except ValueError:
            refund = None
    return refund


def _on_refund_processed(payload: dict) -> str:
    entity = _entity(payload, "refund")
    refund = _refund_for(entity)
    if refund is None:
        return "ignored: unknown refund"
    return "refunded" if refund_settle(refund=refund, gateway_refund_id=str(entity.get("id", ""))) else "no change"


def _on_refund_failed(payload: dict) -> str:
    entity = _entity(payload, "refund")
    refund = _refund_for(entity)
    if refund is None:
        return "ignored: unknown refund"
    changed = Refund.objects.filter(pk=refund.pk, status__in=[Refund.Status.PENDING, Refund.Status.PROCESSING]).update(
        status=Refund.Status.FAILED, flagged=True, last_error="The gateway reported the refund failed.")
    return "flagged" if changed else "no change"


_WEBHOOK_HANDLERS = {
    "payment.captured": _on_payment_captured,
    "payment.failed": _on_payment_failed,
    "refund.processed": _on_refund_processed,
    "refund.failed": _on_refund_failed,
}


def register_webhook_handler(event_type: str, handler) -> None:
    """For payment-side features built later (payouts): ``handler(payload) -> outcome``."""
    _WEBHOOK_HANDLERS[event_type] = handler


# --- refunds -------------------------------------------------------------------------------------

def refundable_amount(payment: Payment) -> int:
    if payment.status != Payment.Status.CAPTURED:
        return 0
    asked = payment.refunds.exclude(status=Refund.Status.FAILED).aggregate(total=Sum("amount"))["total"] or 0
    return payment.amount - asked


def refund_request(*, payment: Payment, amount: int | None, reason: str, refund_key: str, requested_by=None) -> Refund:
    """Ask for a refund (all that is left when ``amount`` is None). The same ``refund_key`` twice
    returns the first refund; processing happens in the background."""
    existing = Refund.objects.filter(refund_key=refund_key).first()
    if existing:
        return existing
    available = refundable_amount(payment)
    amount = available if amount is None else amount
    if not isinstance(amount, int) or amount <= 0 or amount > available:
        raise errors.ValidationFailed(fields={"amount": [f"Enter an amount between 1 and {available} paise."]})
    try:
        with atomic():
            refund = Refund.objects.create(payment=payment, refund_key=refund_key, amount=amount,
                                           reason=reason[:255], requested_by=requested_by,
                                           next_attempt_at=timezone.now())
            if requested_by is not None:
                RefundAuditEntry.objects.create(refund=refund, actor=requested_by, action="requested", note=reason[:255])
    except IntegrityError:
        return Refund.objects.get(refund_key=refund_key)

    def process_soon():
        from .tasks import process_refunds

        process_refunds.delay()

    on_commit(process_soon)
    return refund


def refunds_process(*, now: datetime) -> JobResult:
    """Send due refunds to the gateway, in batches of 10, until none is due."""
    sent, problems = 0, []
    while True:
        batch = list(Refund.objects.filter(status=Refund.Status.PENDING, next_attempt_at__lte=now)
                     .select_related("payment").order_by("next_attempt_at")[:REFUND_BATCH_SIZE])
        if not batch:
            break
        for refund in batch:
            problem = refund_attempt(refund=refund, now=now)
            sent += 1
            if problem:
                problems.append(problem)
    flagged = Refund.objects.filter(flagged=True, status=Refund.Status.FAILED).count()
    summary = f"attempted {sent} refunds; {flagged} flagged for an admin"
    return JobResult(summary=summary, problems=[p for p in problems if p.startswith("flagged")])


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2 ** (attempts - 1))


def refund_attempt(*, refund: Refund, now: datetime) -> str | None:
    """One call to the gateway for a pending refund; returns a problem description, if any."""
    claimed = Refund.objects.filter(pk=refund.pk, status=Refund.Status.PENDING).update(
        status=Refund.Status.PROCESSING, attempts=F("attempts") + 1)
    if not claimed:
        return None
    refund.refresh_from_db()
    try:
        result = gateway.refund(payment_id=refund.payment.gateway_payment_id, amount=refund.amount,
                                idempotency_key=str(refund.pk), notes={"refund_id": str(refund.pk),
                                                                       "reason": refund.reason[:250]})
    except gateway.GatewayRejected as exc:
        _refund_flag(refund, str(exc))
        return f"flagged refund {refund.pk}: {exc}"
    except gateway.GatewayError as exc:
        if refund.attempts > Refund.MAX_RETRIES:
            _refund_flag(refund, f"{exc.message} (after {refund.attempts} attempts)")
            return f"flagged refund {refund.pk}: retries exhausted"
        Refund.objects.filter(pk=refund.pk, status=Refund.Status.PROCESSING).update(
            status=Refund.Status.PENDING, next_attempt_at=now + _backoff(refund.attempts), last_error=exc.message)
        return f"refund {refund.pk} will be retried: {exc.message}"
    Refund.objects.filter(pk=refund.pk).update(gateway_refund_id=result["id"], last_error="")
    if result.get("status") == "processed":
        refund_settle(refund=refund, gateway_refund_id=result["id"])
    return None


def _refund_flag(refund: Refund, error: str) -> None:
    changed = Refund.objects.filter(pk=refund.pk, status=Refund.Status.PROCESSING).update(
        status=Refund.Status.FAILED, flagged=True, last_error=error[:500])
    if changed:
        logger.error("refund %s flagged for an admin: %s", refund.pk, error)


def refund_settle(*, refund: Refund, gateway_refund_id: str, now: datetime | None = None) -> bool:
    """The gateway confirmed the refund: record it once (a refund flagged after a lost response
    may still be confirmed later)."""
    now = now or timezone.now()
    with atomic():
        won = Refund.objects.filter(pk=refund.pk).exclude(status=Refund.Status.REFUNDED).update(
            status=Refund.Status.REFUNDED, refunded_at=now, flagged=False, gateway_refund_id=gateway_refund_id or None)
        if not won:
            return False
        refund.refresh_from_db()
        payment = refund.payment
        LedgerEntry.objects.create(escrow_key=payment.escrow_key, kind=LedgerEntry.Kind.REFUNDED, amount=refund.amount,
                                   entry_key=f"refunded:{refund.pk}", payment=payment, refund=refund)
        payable_type(payment.payable_kind).on_refunded(refund)
    on_commit(lambda: notify(
        user=payment.payer, event="refund.processed", title=f"Refund of {format_inr(refund.amount)} processed",
        body=f"{payment.description}: {refund.reason}", link=reverse("payments:receipt", args=[payment.pk]),
    ))
    return True


def refund_retry(*, refund: Refund, actor, note: str = "") -> bool:
    """An admin sends a failed (flagged) refund round again."""
    with atomic():
        changed = Refund.objects.filter(pk=refund.pk, status=Refund.Status.FAILED).update(
            status=Refund.Status.PENDING, attempts=0, flagged=False, next_attempt_at=timezone.now(), last_error="")
        if changed:
            RefundAuditEntry.objects.create(refund=refund, actor=actor, action="retried", note=note[:255])
    if changed:
        def process_soon():
            from .tasks import process_refunds

            process_refunds.delay()

        on_commit(process_soon)
    return bool(changed)


# --- escrow ledger -------------------------------------------------------------------------------

def ledger_record(*, escrow_key: str, kind: str, amount: int, entry_key: str, reference: str = "") -> bool:
    """Record a release (payout, fee) from escrow once; False if ``entry_key`` was recorded already."""
    if amount <= 0:
        raise errors.ValidationFailed("Ledger amounts are positive.")
    try:
        with atomic():
            LedgerEntry.objects.create(escrow_key=escrow_key, kind=kind, amount=amount, entry_key=entry_key,
                                       reference=reference)
    except IntegrityError:
        return False
    return True
