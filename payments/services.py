"""Payments use-cases: taking a payment through an order, crediting it exactly once (checkout
signature or webhook, whichever comes first, any number of times, concurrently), webhooks,
refunds with retries, and the escrow ledger entries that go with each."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, on_commit, update_or_create
from cleanit.money import format_inr
from cleanit.periodic import JobResult
from notifications.services import notify, notify_many

from . import gateway
from .models import (LedgerEntry, PayeeAccount, Payment, Payout, PayoutAuditEntry, Refund, RefundAuditEntry,
                     WebhookEvent)
from .registry import payable_type, payout_source

logger = logging.getLogger(__name__)

REFUND_BATCH_SIZE = 10
PAYOUT_BATCH_SIZE = 10
# A payout sent but unanswered (a crash or lost response) is sent again with the same idempotency
# key once its lease is over; the gateway then answers with the payout it already made. One the
# gateway accepted but whose webhook has not come by then is asked about (fetched) instead.
PAYOUT_LEASE = timedelta(minutes=15)


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


def _payout_for(entity: dict) -> Payout | None:
    """By the gateway id; failing that (the response to our call was lost), by the idempotency key
    we put in the notes, which also names the attempt generation, so stale events match nothing."""
    payout = Payout.objects.filter(gateway_payout_id=str(entity.get("id", ""))[:40]).first()
    if payout is None:
        notes = entity.get("notes") if isinstance(entity.get("notes"), dict) else {}
        try:
            candidate = Payout.objects.filter(pk=uuid.UUID(str(notes.get("payout_id", "")))).first()
        except ValueError:
            candidate = None
        if candidate is not None and candidate.gateway_payout_id is None \
                and notes.get("idempotency_key") == candidate.idempotency_key:
            payout = candidate
    return payout


def _on_payout_event(status: str):
    """payout.processed / .failed / .reversed: the event names the state the bank put the payout in."""
    def handle(payload: dict) -> str:
        entity = _entity(payload, "payout")
        payout = _payout_for(entity)
        if payout is None:
            return "ignored: unknown payout"
        return _payout_apply(payout=payout, entity={**entity, "status": status})

    return handle


_WEBHOOK_HANDLERS = {
    "payout.processed": _on_payout_event("processed"),
    "payout.failed": _on_payout_event("failed"),
    "payout.reversed": _on_payout_event("reversed"),
    "payment.captured": _on_payment_captured,
    "payment.failed": _on_payment_failed,
    "refund.processed": _on_refund_processed,
    "refund.failed": _on_refund_failed,
}


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
    _run_refunds_after_commit()
    return refund


def _run_refunds_after_commit() -> None:
    def queue():
        from .tasks import process_refunds

        process_refunds.delay()

    on_commit(queue)


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
        _run_refunds_after_commit()
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


# --- payee accounts (where payouts go) -------------------------------------------------------------

def payee_account_register(*, user, name: str, email: str, phone: str, account: dict, destination: str) -> PayeeAccount:
    """Create (or find: RazorpayX returns the existing one for identical details) the contact and
    fund account for ``user`` and make it the active payout destination.
    ``account`` is ``{"bank_account": {name, ifsc, account_number}}`` or ``{"vpa": {"address"}}``."""
    contact = gateway.create_contact(name=name, email=email, phone=phone, reference_id=user.pk.hex)
    fund_account = gateway.create_fund_account(contact_id=contact["id"], account=account)
    fields = {"contact_id": contact["id"], "fund_account_id": fund_account["id"], "is_active": True,
              "mode": PayeeAccount.Mode.UPI if "vpa" in account else PayeeAccount.Mode.IMPS,
              "destination": destination[:80]}
    return update_or_create(PayeeAccount, lookup={"user": user}, values=fields)


def payee_account_disable(*, user) -> bool:
    """New, unverified or rejected details: stop paying to the old destination."""
    return bool(PayeeAccount.objects.filter(user=user, is_active=True).update(is_active=False))


# --- payouts -------------------------------------------------------------------------------------

def payout_schedule(*, payee, source_kind: str, source_id: str, escrow_key: str, amount: int, description: str,
                    due_at: datetime) -> Payout:
    """Schedule the payout for a source once (asking again returns the first one)."""
    payout_source(source_kind)  # fail fast on an unregistered kind
    if not isinstance(amount, int) or amount < 100:
        raise errors.ValidationFailed("A payout must be at least ₹1.")
    existing = Payout.objects.filter(source_kind=source_kind, source_id=str(source_id)).first()
    if existing:
        return existing
    try:
        with atomic():
            return Payout.objects.create(payee=payee, source_kind=source_kind, source_id=str(source_id),
                                         escrow_key=escrow_key, amount=amount, description=description[:200],
                                         due_at=due_at, next_attempt_at=due_at)
    except IntegrityError:
        return Payout.objects.get(source_kind=source_kind, source_id=str(source_id))


def _due_payouts(now: datetime):
    fresh = Payout.objects.filter(status=Payout.Status.PENDING, due_at__lte=now, next_attempt_at__lte=now,
                                  payee__payee_account__is_active=True)
    unanswered = Payout.objects.filter(status=Payout.Status.PROCESSING, lease_until__lt=now)
    return fresh, unanswered


def payouts_process(*, now: datetime) -> JobResult:
    """Send due payouts of KYC-verified payees in batches of 10 until none is due; also re-send
    (same idempotency key) the ones a crash or a lost response left unanswered."""
    sent, problems = 0, []
    while True:
        fresh, unanswered = _due_payouts(now)
        batch = list(unanswered.order_by("lease_until")[:PAYOUT_BATCH_SIZE])
        batch += list(fresh.order_by("next_attempt_at")[:PAYOUT_BATCH_SIZE - len(batch)])
        if not batch:
            break
        for payout in batch:
            problem = payout_attempt(payout=payout, now=now)
            sent += 1
            if problem:
                problems.append(problem)
    waiting = Payout.objects.filter(status=Payout.Status.PENDING, due_at__lte=now).exclude(
        payee__payee_account__is_active=True).count()
    flagged = Payout.objects.filter(flagged=True).count()
    summary = (f"attempted {sent} payouts; {waiting} due but waiting for KYC; {flagged} flagged for an admin")
    return JobResult(summary=summary, problems=[p for p in problems if p.startswith("flagged")])


def payout_attempt(*, payout: Payout, now: datetime) -> str | None:
    """One call to RazorpayX for a due payout; returns a problem description, if any."""
    lease = now + PAYOUT_LEASE
    if payout.status == Payout.Status.PROCESSING and payout.gateway_payout_id:
        return _payout_poll(payout=payout, now=now)
    claimed = Payout.objects.filter(pk=payout.pk, status=Payout.Status.PENDING).update(
        status=Payout.Status.PROCESSING, attempts=F("attempts") + 1, lease_until=lease)
    if not claimed:
        claimed = Payout.objects.filter(pk=payout.pk, status=Payout.Status.PROCESSING, gateway_payout_id__isnull=True,
                                        lease_until__lt=now).update(attempts=F("attempts") + 1, lease_until=lease)
    if not claimed:
        return None
    payout.refresh_from_db()
    if not payout.fund_account_id:  # fixed at the first attempt: a retry must send the same body
        account = PayeeAccount.objects.filter(user_id=payout.payee_id, is_active=True).first()
        if account is None:
            Payout.objects.filter(pk=payout.pk, status=Payout.Status.PROCESSING).update(
                status=Payout.Status.PENDING, attempts=F("attempts") - 1, lease_until=None)
            return f"payout {payout.pk} waits: the payee has no verified payout account"
        Payout.objects.filter(pk=payout.pk).update(fund_account_id=account.fund_account_id, mode=account.mode)
        payout.fund_account_id, payout.mode = account.fund_account_id, account.mode
    try:
        result = gateway.create_payout(
            fund_account_id=payout.fund_account_id, amount=payout.amount, mode=payout.mode,
            reference_id=payout.pk.hex, narration="Cleanit payout", idempotency_key=payout.idempotency_key,
            notes={"payout_id": str(payout.pk), "idempotency_key": payout.idempotency_key,
                   "source": f"{payout.source_kind}:{payout.source_id}"})
    except gateway.GatewayRejected as exc:
        _payout_flag(payout, str(exc), now=now)
        return f"flagged payout {payout.pk}: {exc}"
    except gateway.GatewayError as exc:
        if payout.attempts > Payout.MAX_RETRIES:
            _payout_flag(payout, f"{exc.message} (after {payout.attempts} attempts)", now=now)
            return f"flagged payout {payout.pk}: retries exhausted"
        Payout.objects.filter(pk=payout.pk, status=Payout.Status.PROCESSING).update(
            status=Payout.Status.PENDING, next_attempt_at=now + _payout_backoff(payout.attempts), lease_until=None,
            last_error=exc.message)
        _run_payouts_after_commit(eta=now + _payout_backoff(payout.attempts))
        return f"payout {payout.pk} will be retried: {exc.message}"
    gateway_id = str(result.get("id", ""))[:40]
    Payout.objects.filter(pk=payout.pk, gateway_payout_id__isnull=True).exclude(status=Payout.Status.PAID).update(
        gateway_payout_id=gateway_id, lease_until=lease, last_error="")
    _payout_apply(payout=payout, entity=result)
    return None


def _payout_apply(*, payout: Payout, entity: dict) -> str:
    """What the gateway says of a payout (its API answer, a fetch or a webhook), applied once."""
    gateway_id, status = str(entity.get("id", ""))[:40], entity.get("status")
    if status == "processed":
        if entity.get("amount") != payout.amount:
            logger.error("payout %s: gateway amount %s differs from ours %s", payout.pk, entity.get("amount"),
                         payout.amount)
            return "ignored: amount mismatch"
        settled = payout_settle(payout=payout, gateway_payout_id=gateway_id, utr=str(entity.get("utr") or "")[:40])
        return "paid" if settled else "no change"
    if status in ("failed", "rejected", "cancelled"):
        details = entity.get("status_details") if isinstance(entity.get("status_details"), dict) else {}
        reason = details.get("description") or entity.get("failure_reason") or f"The bank did not take it ({status})."
        return payout_gateway_failed(payout=payout, gateway_payout_id=gateway_id, reason=str(reason))
    if status == "reversed":
        reversed_now = payout_reverse(payout=payout, gateway_payout_id=gateway_id,
                                      reason="The bank returned the payout (reversed).")
        return "reversed" if reversed_now else "no change"
    return f"no change ({status})"


def _payout_poll(*, payout: Payout, now: datetime) -> str | None:
    """No webhook came for a payout the gateway accepted: ask for its state, then wait another lease."""
    if not Payout.objects.filter(pk=payout.pk, status=Payout.Status.PROCESSING, lease_until__lt=now).update(
            lease_until=now + PAYOUT_LEASE):
        return None
    try:
        result = gateway.fetch_payout(payout.gateway_payout_id)
    except gateway.GatewayError as exc:
        return f"payout {payout.pk}: could not ask the gateway ({exc.message})"
    _payout_apply(payout=payout, entity=result)
    return None


def _payout_backoff(attempts: int) -> timedelta:
    return timedelta(minutes=5 * 4 ** (max(1, attempts) - 1))  # 5, 20, 80 minutes


def _run_payouts_after_commit(eta: datetime | None = None) -> None:
    """Retries and admin re-sends do not wait for tomorrow's 10:00 batch: a run is queued for ``eta``
    (the end of a backoff) or at once."""
    def queue():
        from .tasks import process_payouts

        process_payouts.apply_async(eta=eta)

    if eta is None or not settings.CELERY_TASK_ALWAYS_EAGER:  # an eager task would run now, not at ``eta``
        on_commit(queue)


def _notify_payout_problem(payout: Payout, reason: str) -> None:
    from django.contrib.auth import get_user_model

    def send():
        notify(user=payout.payee, event="payout.failed", title=f"Payout of {format_inr(payout.amount)} delayed",
               body=f"{payout.description}: we could not complete it yet and our team is on it.",
               link=reverse("payments:transactions"))
        notify_many(users=get_user_model().objects.filter(is_staff=True, is_active=True), event="payout.flagged",
                    title=f"Payout needs attention: {format_inr(payout.amount)}", body=f"{payout.description}: {reason}",
                    link=reverse("admin:payments_payout_change", args=[payout.pk]))

    on_commit(send)


def _payout_flag(payout: Payout, error: str, *, now: datetime) -> None:
    changed = Payout.objects.filter(pk=payout.pk, status=Payout.Status.PROCESSING).update(
        status=Payout.Status.FAILED, flagged=True, failed_at=now, lease_until=None, last_error=error[:500])
    if changed:
        logger.error("payout %s flagged for an admin: %s", payout.pk, error)
        _notify_payout_problem(payout, error)


def payout_settle(*, payout: Payout, gateway_payout_id: str, utr: str = "", now: datetime | None = None) -> bool:
    """The bank paid it: record it once. A payout flagged after a lost response may still turn out
    paid; one already reversed in this generation never becomes paid again."""
    now = now or timezone.now()
    with atomic():
        won = Payout.objects.filter(pk=payout.pk, reversed_at__isnull=True).exclude(status=Payout.Status.PAID).update(
            status=Payout.Status.PAID, paid_at=now, flagged=False, lease_until=None, last_error="",
            gateway_payout_id=gateway_payout_id or None, utr=utr)
        if not won:
            return False
        payout.refresh_from_db()
        ledger_record(escrow_key=payout.escrow_key, kind=LedgerEntry.Kind.PAID_OUT, amount=payout.amount,
                      entry_key=f"paid_out:{payout.pk}:{payout.generation}", reference=f"payout:{payout.pk}")
        payout_source(payout.source_kind).on_paid(payout)
    on_commit(lambda: notify(
        user=payout.payee, event="payout.paid", title=f"Payout of {format_inr(payout.amount)} sent",
        body=f"{payout.description}. Bank reference: {utr or 'on its way'}.", link=reverse("payments:transactions")))
    return True


def payout_gateway_failed(*, payout: Payout, gateway_payout_id: str, reason: str,
                          now: datetime | None = None) -> str:
    """The bank refused a payout we sent. Retried (a new attempt needs a new idempotency key) up to
    MAX_RETRIES times with backoff, then flagged. A payout already paid is final (stale event)."""
    now = now or timezone.now()
    payout.refresh_from_db()
    if payout.status == Payout.Status.PAID or (payout.gateway_payout_id and payout.gateway_payout_id != gateway_payout_id):
        return "no change"
    if payout.attempts <= Payout.MAX_RETRIES:
        retry_at = now + _payout_backoff(payout.attempts)
        changed = Payout.objects.filter(pk=payout.pk, generation=payout.generation).exclude(
            status=Payout.Status.PAID).update(
            status=Payout.Status.PENDING, generation=F("generation") + 1, gateway_payout_id=None, fund_account_id="",
            next_attempt_at=retry_at, lease_until=None, reversed_at=None, last_error=reason[:500])
        if changed:
            _run_payouts_after_commit(eta=retry_at)
        return "will retry" if changed else "no change"
    changed = Payout.objects.filter(pk=payout.pk, generation=payout.generation).exclude(
        status__in=[Payout.Status.PAID, Payout.Status.FAILED]).update(
        status=Payout.Status.FAILED, flagged=True, failed_at=now, lease_until=None,
        last_error=f"{reason} (after {payout.attempts} attempts)"[:500])
    if changed:
        _notify_payout_problem(payout, reason)
    return "flagged" if changed else "no change"


def payout_reverse(*, payout: Payout, gateway_payout_id: str, reason: str, now: datetime | None = None) -> bool:
    """The bank sent a processed payout back: the money is in escrow again and the payout is
    re-opened for an admin (failed + flagged); the source learns of it through its callback."""
    now = now or timezone.now()
    with atomic():
        payout.refresh_from_db()
        if payout.gateway_payout_id and payout.gateway_payout_id != gateway_payout_id:
            return False
        was_paid = payout.status == Payout.Status.PAID
        changed = Payout.objects.filter(pk=payout.pk, status=payout.status, reversed_at__isnull=True).update(
            status=Payout.Status.FAILED, flagged=True, reversed_at=now, failed_at=now, lease_until=None,
            gateway_payout_id=gateway_payout_id or payout.gateway_payout_id, last_error=reason[:500])
        if not changed:
            return False
        if was_paid:
            ledger_record(escrow_key=payout.escrow_key, kind=LedgerEntry.Kind.REVERSED, amount=payout.amount,
                          entry_key=f"reversed:{payout.pk}:{payout.generation}", reference=f"payout:{payout.pk}")
            payout_source(payout.source_kind).on_reversed(payout)
    _notify_payout_problem(payout, reason)
    return True


def payout_retry(*, payout: Payout, actor, note: str = "") -> bool:
    """An admin sends a failed (flagged or reversed) payout again. One the gateway never confirmed
    keeps its idempotency key, so if it was made after all (a lost answer) it is not made twice;
    one the bank failed or reversed is a new attempt with a new key."""
    payout.refresh_from_db()
    known_to_gateway = bool(payout.gateway_payout_id or payout.reversed_at)
    with atomic():
        changed = Payout.objects.filter(pk=payout.pk, status=Payout.Status.FAILED, generation=payout.generation).update(
            status=Payout.Status.PENDING, attempts=0, flagged=False, reversed_at=None, next_attempt_at=timezone.now(),
            lease_until=None, last_error="",
            **({"generation": F("generation") + 1, "gateway_payout_id": None, "fund_account_id": ""}
               if known_to_gateway else {}))
        if changed:
            PayoutAuditEntry.objects.create(payout=payout, actor=actor, action="retried",
                                            note=f"{note} (was {payout.gateway_payout_id or 'not confirmed'})"[:255])
    if changed:
        _run_payouts_after_commit()
    return bool(changed)
