"""Gateway webhooks: verified by signature, checked for shape, stored once by event id, then
applied idempotently (every handler is a forward-only transition)."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError
from django.db.models import F, Q
from django.utils import timezone

from cleanit.db import only_match, parse_uuid, savepoint
from cleanit.periodic import JobResult

from .. import errors, gateway, notices
from ..models import Payment, Payout, Refund, WebhookEvent
from ..registry import with_payables
from .common import AMOUNT_MISMATCH, DISAGREEMENTS, fit, ignored
from .payments import payment_capture, payment_fail
from .payouts import payout_apply
from .refunds import refund_event_disagreement, refund_gateway_failed, refund_settle

logger = logging.getLogger(__name__)

FAILED = "failed: "  # an outcome for a stored event that cannot be applied; a redelivery may replace it
WEBHOOK_RETRY_AFTER = timedelta(minutes=1)  # an event still unprocessed this long after it came was interrupted
WEBHOOK_RETRY_BATCH = 100
# JSON numbers beyond 64 bits cannot be stored on MongoDB, and Razorpay sends none.
LARGEST_NUMBER = 2 ** 63 - 1


# --- reading a body --------------------------------------------------------------------------------

def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is out of range")
    return number


def _bounded_int(text: str) -> int:
    number = int(text)
    if abs(number) > LARGEST_NUMBER:
        raise ValueError(f"{text} is out of range")
    return number


def _parse(raw_body: str) -> dict:
    """The event, in standard JSON only (Python's json module would also take NaN and Infinity)."""
    try:
        event = json.loads(raw_body, parse_constant=_reject_constant, parse_float=_finite_float,
                           parse_int=_bounded_int)
        # An escaped lone surrogate ("\ud800") reads as a string that cannot be stored as UTF-8.
        json.dumps(event, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError) as exc:
        raise errors.MalformedEvent("The webhook body is not standard JSON.") from exc
    if not isinstance(event, dict) or not isinstance(event.get("event"), str) \
            or not isinstance(event.get("payload", {}), dict):
        raise errors.MalformedEvent()
    handler = _HANDLERS.get(event["event"])
    if handler is not None:
        _entity(event, handler.entity)
    return event


def _entity(event: dict, name: str) -> dict:
    """``payload.<name>.entity`` of an event, which must be an object."""
    body = event.get("payload") if isinstance(event, dict) else None
    container = body.get(name) if isinstance(body, dict) else None
    entity = container.get("entity") if isinstance(container, dict) else None
    if not isinstance(entity, dict):
        raise errors.MalformedEvent(f"A {event.get('event')} event must carry payload.{name}.entity as an object.")
    return entity


# --- receiving -----------------------------------------------------------------------------------

def webhook_receive(*, raw_body: str, signature: str, event_id: str | None) -> str:
    """Verify, check, store once by event id, process. Returns "processed", "ignored" or
    "duplicate". A bad signature or a body that is not an event we can act on raises before
    anything is stored, so a later correct delivery of the same event is not taken for a duplicate."""
    gateway.verify_webhook_signature(raw_body=raw_body, signature=signature)
    event = _parse(raw_body)
    event_type = fit(WebhookEvent, "event_type", event["event"])
    event_id = fit(WebhookEvent, "event_id", (event_id or "").strip()) \
        or f"sha256:{hashlib.sha256(raw_body.encode()).hexdigest()}"
    # Stored as attempted once: the unique event id decides that it is processed once.
    stored = WebhookEvent(event_id=event_id, event_type=event_type, payload=event, attempts=1)
    try:
        with savepoint():  # a duplicate must not break a surrounding transaction
            stored.save(force_insert=True)
    except IntegrityError:
        if not WebhookEvent.objects.filter(event_id=event_id).exists():
            raise
        stored = _reopen_failed(event_id=event_id, event_type=event_type, payload=event)
        if stored is None:
            return "duplicate"
    return _apply(stored)


def _reopen_failed(*, event_id: str, event_type: str, payload: dict) -> WebhookEvent | None:
    """A redelivery of an event stored but found unusable: this (checked) body takes its place, and
    this attempt is counted."""
    if not WebhookEvent.objects.filter(event_id=event_id, outcome__startswith=FAILED).update(
            event_type=event_type, payload=payload, outcome="", processed_at=None, attempts=F("attempts") + 1):
        return None
    return WebhookEvent.objects.get(event_id=event_id)


def webhook_process(*, event: WebhookEvent) -> str:
    """Apply a stored event again (one interrupted). Idempotent: every handler is a forward-only
    conditional update."""
    WebhookEvent.objects.filter(pk=event.pk).update(attempts=F("attempts") + 1)
    return _apply(event)


def _apply(event: WebhookEvent) -> str:
    """Apply a stored event whose attempt is counted; its outcome is recorded."""
    handler = _HANDLERS.get(event.event_type)
    if handler is None:
        outcome = ignored("unknown event")
    else:
        try:
            entity = _entity(event.payload, handler.entity)  # stored before bodies were checked
        except errors.MalformedEvent as exc:
            outcome = FAILED + exc.message
        else:
            subject = handler.find(entity)
            outcome = handler.apply(subject, entity) if subject else ignored(f"unknown {handler.entity}")
    WebhookEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now(),
                                                    outcome=fit(WebhookEvent, "outcome", outcome))
    return "ignored" if outcome.startswith((ignored(""), FAILED)) else "processed"


def webhooks_retry_unprocessed(*, now: datetime) -> JobResult:
    """Events stored but not processed (a crash mid-way) are processed again."""
    stale = WebhookEvent.objects.filter(processed_at__isnull=True, created_at__lt=now - WEBHOOK_RETRY_AFTER)
    done, problems = 0, []
    for event in stale[:WEBHOOK_RETRY_BATCH]:
        try:
            webhook_process(event=event)
            done += 1
        except Exception as exc:  # keep going; the event stays unprocessed and is reported
            logger.exception("webhook %s failed again", event.event_id)
            problems.append(f"webhook {event.event_id}: {exc}")
    return JobResult(summary=f"reprocessed {done} webhook events", problems=problems)


@dataclass(frozen=True)
class Disagreement:
    event: WebhookEvent
    kind: str  # payment | refund | payout
    subject: Payment | Refund | Payout | None
    entity: dict  # what the gateway said
    reason: str


def webhook_disagreements(*, since: datetime | None) -> list[Disagreement]:
    """Events processed since ``since`` that contradicted our record and were not applied."""
    outcomes = {ignored(reason): reason for reason in DISAGREEMENTS}
    events = WebhookEvent.objects.filter(outcome__in=list(outcomes))
    if since is not None:
        events = events.filter(processed_at__gte=since)
    found = []
    for event in events.order_by("processed_at"):
        handler = _HANDLERS[event.event_type]
        entity = _entity(event.payload, handler.entity)
        found.append(Disagreement(event, handler.entity, handler.find(entity), entity, outcomes[event.outcome]))
    return found


# --- handlers ------------------------------------------------------------------------------------

def _payment_for(entity: dict) -> Payment | None:
    return only_match(with_payables(Payment.objects).filter(gateway_order_id=str(entity.get("order_id", ""))))


def _on_payment_captured(payment: Payment, entity: dict) -> str:
    if entity.get("amount") != payment.amount:
        logger.error("captured amount %s differs from order amount %s", entity.get("amount"), payment.amount)
        return ignored(AMOUNT_MISMATCH)
    captured = payment_capture(payment=payment, gateway_payment_id=fit(Payment, "gateway_payment_id",
                                                                       entity.get("id", "")))
    return "captured" if captured else "already captured"


def _on_payment_failed(payment: Payment, entity: dict) -> str:
    reason = str(entity.get("error_description") or notices.PAYMENT_FAILED)
    return "failed" if payment_fail(payment=payment, reason=reason) else "no change (already final)"


def _refund_for(entity: dict) -> Refund | None:
    refund = Refund.objects.filter(gateway_refund_id=str(entity.get("id", ""))).first()
    receipt = parse_uuid(entity.get("receipt"))
    if refund is None and receipt is not None:
        refund = Refund.objects.filter(pk=receipt).first()
    return refund


def _refund_event(apply: Callable[[Refund, str], bool], applied: str):
    """refund.processed / .failed: applied only to the refund we sent, for its amount."""
    def handle(refund: Refund, entity: dict) -> str:
        gateway_refund_id = fit(Refund, "gateway_refund_id", entity.get("id", ""))
        disagreement = refund_event_disagreement(refund, gateway_refund_id=gateway_refund_id,
                                                 amount=entity.get("amount"))
        if disagreement:
            logger.error("refund %s: gateway event (%s, %s paise) not applied: %s", refund.pk, gateway_refund_id,
                         entity.get("amount"), disagreement)
            return ignored(disagreement)
        return applied if apply(refund, gateway_refund_id) else "no change"

    return handle


def _payout_for(entity: dict) -> Payout | None:
    """By the gateway id; failing that (the response to our call was lost), by the idempotency key
    we put in the notes, which also names the attempt generation, so stale events match nothing."""
    gateway_id = fit(Payout, "gateway_payout_id", entity.get("id", ""))
    notes = entity.get("notes") if isinstance(entity.get("notes"), dict) else {}
    payout_id = parse_uuid(notes.get("payout_id"))
    either = Q(gateway_payout_id=gateway_id)
    if payout_id is not None:
        either |= Q(pk=payout_id, gateway_payout_id__isnull=True)
    found = list(Payout.objects.filter(either).select_related("payee")[:2])  # one query for both ways
    by_gateway_id = next((payout for payout in found if payout.gateway_payout_id == gateway_id), None)
    if by_gateway_id is not None:
        return by_gateway_id
    candidate = next((payout for payout in found if payout.pk == payout_id), None)
    if candidate is not None and notes.get("idempotency_key") == candidate.idempotency_key:
        return candidate
    return None


def _payout_event(status: str):
    """payout.processed / .failed / .reversed: the event names the state the bank put the payout in."""
    def handle(payout: Payout, entity: dict) -> str:
        return payout_apply(payout=payout, entity={**entity, "status": status})

    return handle


@dataclass(frozen=True)
class _Handler:
    entity: str  # which payload.<entity>.entity the event is about
    find: Callable[[dict], object]
    apply: Callable[[object, dict], str]


_HANDLERS = {
    "payment.captured": _Handler("payment", _payment_for, _on_payment_captured),
    "payment.failed": _Handler("payment", _payment_for, _on_payment_failed),
    "refund.processed": _Handler("refund", _refund_for, _refund_event(
        lambda refund, gateway_id: refund_settle(refund=refund, gateway_refund_id=gateway_id), "refunded")),
    "refund.failed": _Handler("refund", _refund_for, _refund_event(
        lambda refund, gateway_id: refund_gateway_failed(refund=refund), "flagged")),
    "payout.processed": _Handler("payout", _payout_for, _payout_event("processed")),
    "payout.failed": _Handler("payout", _payout_for, _payout_event("failed")),
    "payout.reversed": _Handler("payout", _payout_for, _payout_event("reversed")),
}
