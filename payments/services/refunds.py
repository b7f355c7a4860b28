"""Refunds: asked for once per key, sent to the gateway in the background with retries and
backoff, then flagged for an admin; settled once, by the gateway's answer or its webhook."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from cleanit import errors as domain_errors
from cleanit.db import atomic, on_commit
from cleanit.periodic import JobResult
from cleanit.statemachine import try_transition
from notifications.services import notify

from .. import errors, gateway, notices
from ..models import LedgerEntry, Payment, Refund, RefundAuditEntry
from ..registry import payable_type
from .common import AMOUNT_MISMATCH, OTHER_GATEWAY_REFUND, REFUND_NEVER_SENT, attempt_in_batches, fit

logger = logging.getLogger(__name__)

REFUND_BATCH_SIZE = 10
REFUND_BACKOFF = timedelta(minutes=1)  # doubled after each failed attempt: 1, 2, 4... minutes
REFUND_BACKOFF_FACTOR = 2
GATEWAY_NOTE_LENGTH = 250  # Razorpay keeps at most 256 characters per note


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
        raise domain_errors.ValidationFailed(fields={"amount": [notices.refund_amount_out_of_range(available)]})
    try:
        with atomic():
            refund = Refund.objects.create(payment=payment, refund_key=refund_key, amount=amount,
                                           reason=fit(Refund, "reason", reason), requested_by=requested_by,
                                           next_attempt_at=timezone.now())
            if requested_by is not None:
                RefundAuditEntry.objects.create(refund=refund, actor=requested_by, action="requested",
                                                note=fit(RefundAuditEntry, "note", reason))
    except IntegrityError:
        return Refund.objects.get(refund_key=refund_key)
    _run_refunds_after_commit()
    return refund


def _run_refunds_after_commit() -> None:
    def queue():
        from ..tasks import process_refunds

        process_refunds.delay()

    on_commit(queue)


def refunds_process(*, now: datetime) -> JobResult:
    """Send due refunds to the gateway, in batches of 10, until none is due."""
    sent, problems = attempt_in_batches(
        lambda: list(Refund.objects.filter(status=Refund.Status.PENDING, next_attempt_at__lte=now)
                     .select_related("payment").order_by("next_attempt_at")[:REFUND_BATCH_SIZE]),
        lambda refund: refund_attempt(refund=refund, now=now))
    flagged = Refund.objects.filter(flagged=True, status=Refund.Status.FAILED).count()
    return JobResult(summary=f"attempted {sent} refunds; {flagged} flagged for an admin", problems=problems)


def _backoff(attempts: int) -> timedelta:
    return REFUND_BACKOFF * REFUND_BACKOFF_FACTOR ** (attempts - 1)


def refund_attempt(*, refund: Refund, now: datetime) -> str | None:
    """One call to the gateway for a pending refund; returns a problem description, if any."""
    if not try_transition(refund, Refund.Status.PROCESSING, attempts=F("attempts") + 1):
        return None
    Refund.objects.filter(pk=refund.pk, sent_at__isnull=True).update(sent_at=now)
    refund.refresh_from_db()
    try:
        result = gateway.refund(payment_id=refund.payment.gateway_payment_id, amount=refund.amount,
                                idempotency_key=str(refund.pk), notes={"refund_id": str(refund.pk),
                                                                       "reason": refund.reason[:GATEWAY_NOTE_LENGTH]})
    except errors.GatewayRejected as exc:
        _refund_flag(refund, str(exc))
        return f"flagged refund {refund.pk}: {exc}"
    except errors.GatewayError as exc:
        if refund.attempts > Refund.MAX_RETRIES:
            _refund_flag(refund, notices.after_attempts(exc.message, refund.attempts))
            return f"flagged refund {refund.pk}: retries exhausted"
        try_transition(refund, Refund.Status.PENDING, sources=[Refund.Status.PROCESSING],
                       next_attempt_at=now + _backoff(refund.attempts),
                       last_error=fit(Refund, "last_error", exc.message))
        return f"refund {refund.pk} will be retried: {exc.message}"
    Refund.objects.filter(pk=refund.pk).update(gateway_refund_id=result["id"], last_error="")
    if result.get("status") == "processed":
        refund_settle(refund=refund, gateway_refund_id=result["id"])
    return None


def _refund_flag(refund: Refund, error: str) -> None:
    if try_transition(refund, Refund.Status.FAILED, sources=[Refund.Status.PROCESSING], flagged=True,
                      last_error=fit(Refund, "last_error", error)):
        logger.error("refund %s flagged for an admin: %s", refund.pk, error)


def refund_event_disagreement(refund: Refund, *, gateway_refund_id: str, amount) -> str | None:
    """Why a gateway event about ``refund`` does not describe the refund we sent (None if it does):
    only a refund we handed to the gateway can be settled or failed by it, for its own amount."""
    if refund.sent_at is None:
        return REFUND_NEVER_SENT
    if refund.gateway_refund_id and refund.gateway_refund_id != gateway_refund_id:
        return OTHER_GATEWAY_REFUND
    if amount != refund.amount:
        return AMOUNT_MISMATCH
    return None


def refund_settle(*, refund: Refund, gateway_refund_id: str, now: datetime | None = None) -> bool:
    """The gateway confirmed the refund: record it once (a refund flagged after a lost response
    may still be confirmed later)."""
    now = now or timezone.now()
    with atomic():
        if not try_transition(refund, Refund.Status.REFUNDED, refunded_at=now, flagged=False,
                              gateway_refund_id=gateway_refund_id or None):
            return False
        refund.refresh_from_db()
        payment = refund.payment
        LedgerEntry.objects.create(escrow_key=payment.escrow_key, kind=LedgerEntry.Kind.REFUNDED, amount=refund.amount,
                                   entry_key=f"refunded:{refund.pk}", payment=payment, refund=refund)
        payable_type(payment.payable_kind).on_refunded(refund)
    on_commit(lambda: notify(user=payment.payer, event="refund.processed", **notices.refund_processed(refund),
                             link=reverse("payments:receipt", args=[payment.pk])))
    return True


def refund_gateway_failed(*, refund: Refund) -> bool:
    """The gateway reports that a refund we sent failed: flagged for an admin."""
    return try_transition(refund, Refund.Status.FAILED, flagged=True, last_error=notices.REFUND_FAILED_AT_GATEWAY)


def refund_retry(*, refund: Refund, actor, note: str = "") -> bool:
    """An admin sends a failed (flagged) refund round again."""
    with atomic():
        changed = try_transition(refund, Refund.Status.PENDING, sources=[Refund.Status.FAILED], attempts=0,
                                 flagged=False, next_attempt_at=timezone.now(), last_error="")
        if changed:
            RefundAuditEntry.objects.create(refund=refund, actor=actor, action="retried",
                                            note=fit(RefundAuditEntry, "note", note))
    if changed:
        _run_refunds_after_commit()
    return changed
