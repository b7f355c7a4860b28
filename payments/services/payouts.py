"""Payouts through RazorpayX: scheduled once per source, sent in batches when due, retried with
backoff and then flagged; settled, failed or reversed by what the gateway says (its answer, a
fetch or a webhook), each applied once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cleanit import errors as domain_errors
from cleanit.db import atomic, on_commit
from cleanit.periodic import JobResult
from cleanit.statemachine import try_transition
from notifications.services import notify, notify_staff

from .. import errors, gateway, notices
from ..ledger import payout_entry_key
from ..models import LedgerEntry, PayeeAccount, Payout, PayoutAuditEntry
from ..registry import payout_source
from .common import AMOUNT_MISMATCH, attempt_in_batches, create_with_receipt_number, fit, ignored
from .escrow import ledger_record, ledger_record_decided

logger = logging.getLogger(__name__)

PAYOUT_BATCH_SIZE = 10
MIN_PAYOUT_AMOUNT = 100  # paise: RazorpayX pays at least ₹1
PAYOUT_NARRATION = "Cleanit payout"  # on the payee's bank statement
# A payout sent but unanswered (a crash or lost response) is sent again with the same idempotency
# key once its lease is over; the gateway then answers with the payout it already made. One the
# gateway accepted but whose webhook has not come by then is asked about (fetched) instead.
PAYOUT_LEASE = timedelta(minutes=15)
PAYOUT_BACKOFF = timedelta(minutes=5)  # times 4 after each failed attempt: 5, 20, 80 minutes
PAYOUT_BACKOFF_FACTOR = 4
GATEWAY_ID_LENGTH = Payout._meta.get_field("gateway_payout_id").max_length


def payout_schedule(*, payee, source_kind: str, source_id: str, escrow_key: str, amount: int, description: str,
                    due_at: datetime) -> Payout:
    """Schedule the payout for a source once (asking again returns the first one)."""
    payout_source(source_kind)  # fail fast on an unregistered kind
    if not isinstance(amount, int) or amount < MIN_PAYOUT_AMOUNT:
        raise domain_errors.ValidationFailed(notices.payout_too_small(MIN_PAYOUT_AMOUNT))
    existing = Payout.objects.filter(source_kind=source_kind, source_id=str(source_id)).first()
    if existing:
        return existing
    try:
        return create_with_receipt_number(Payout, payee=payee, source_kind=source_kind, source_id=str(source_id),
                                          escrow_key=escrow_key, amount=amount,
                                          description=fit(Payout, "description", description),
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
    def next_batch():
        fresh, unanswered = _due_payouts(now)
        batch = list(unanswered.select_related("payee__payee_account").order_by("lease_until")[:PAYOUT_BATCH_SIZE])
        return batch + list(fresh.select_related("payee__payee_account")
                            .order_by("next_attempt_at")[:PAYOUT_BATCH_SIZE - len(batch)])

    sent, problems = attempt_in_batches(next_batch, lambda payout: payout_attempt(payout=payout, now=now))
    waiting = Payout.objects.filter(status=Payout.Status.PENDING, due_at__lte=now).exclude(
        payee__payee_account__is_active=True).count()
    flagged = Payout.objects.filter(flagged=True).count()
    summary = f"attempted {sent} payouts; {waiting} due but waiting for KYC; {flagged} flagged for an admin"
    return JobResult(summary=summary, problems=problems)


def payout_attempt(*, payout: Payout, now: datetime) -> str | None:
    """One call to RazorpayX for a due payout; returns a problem description, if any."""
    lease = now + PAYOUT_LEASE
    if payout.status == Payout.Status.PROCESSING and payout.gateway_payout_id:
        return _payout_poll(payout=payout, now=now)
    fixed = {}
    if not payout.fund_account_id:  # fixed by the first attempt's claim: a retry must send the same body
        account = _active_account(payout)
        if account is None:
            try_transition(payout, Payout.Status.PENDING, sources=[Payout.Status.PROCESSING],
                           where={"gateway_payout_id__isnull": True, "lease_until__lt": now}, lease_until=None)
            return f"payout {payout.pk} waits: the payee has no verified payout account"
        fixed = {"fund_account_id": account.fund_account_id, "mode": account.mode}
    # Claimed only as it was read (attempts, generation, fund account): what is sent below, with the
    # idempotency key of that generation, is what the row says, without reading it again.
    as_read = {"attempts": payout.attempts, "generation": payout.generation, "fund_account_id": payout.fund_account_id}
    claim = {"attempts": payout.attempts + 1, "lease_until": lease, **fixed}
    if not try_transition(payout, Payout.Status.PROCESSING, where=as_read, **claim):
        # sent before and unanswered: the lease is renewed, the status stays
        if not Payout.objects.filter(pk=payout.pk, status=Payout.Status.PROCESSING, gateway_payout_id__isnull=True,
                                     lease_until__lt=now, **as_read).update(**claim):
            return None
        for name, value in claim.items():
            setattr(payout, name, value)
    try:
        result = gateway.create_payout(
            fund_account_id=payout.fund_account_id, amount=payout.amount, mode=payout.mode,
            reference_id=payout.pk.hex, narration=PAYOUT_NARRATION, idempotency_key=payout.idempotency_key,
            notes={"payout_id": str(payout.pk), "idempotency_key": payout.idempotency_key,
                   "source": f"{payout.source_kind}:{payout.source_id}"})
    except errors.GatewayRejected as exc:
        _payout_flag(payout, str(exc), now=now)
        return f"flagged payout {payout.pk}: {exc}"
    except errors.GatewayError as exc:
        if payout.attempts > Payout.MAX_RETRIES:
            _payout_flag(payout, notices.after_attempts(exc.message, payout.attempts), now=now)
            return f"flagged payout {payout.pk}: retries exhausted"
        retry_at = now + _payout_backoff(payout.attempts)
        try_transition(payout, Payout.Status.PENDING, sources=[Payout.Status.PROCESSING], next_attempt_at=retry_at,
                       lease_until=None, last_error=fit(Payout, "last_error", exc.message))
        _run_payouts_after_commit(eta=retry_at)
        return f"payout {payout.pk} will be retried: {exc.message}"
    gateway_id = str(result.get("id", ""))[:GATEWAY_ID_LENGTH]
    Payout.objects.filter(pk=payout.pk, gateway_payout_id__isnull=True).exclude(status=Payout.Status.PAID).update(
        gateway_payout_id=gateway_id, lease_until=lease, last_error="")
    payout_apply(payout=payout, entity=result)
    return None


def _active_account(payout: Payout) -> PayeeAccount | None:
    """The payee's active payout account, from the batch's join when the payout was read with it."""
    payee = payout.payee if Payout.payee.is_cached(payout) else None
    if payee is not None and type(payee).payee_account.is_cached(payee):
        account = getattr(payee, "payee_account", None)
        return account if account is not None and account.is_active else None
    return PayeeAccount.objects.filter(user_id=payout.payee_id, is_active=True).first()


def payout_apply(*, payout: Payout, entity: dict) -> str:
    """What the gateway says of a payout (its API answer, a fetch or a webhook), applied once."""
    gateway_id, status = str(entity.get("id", ""))[:GATEWAY_ID_LENGTH], entity.get("status")
    if status == "processed":
        if entity.get("amount") != payout.amount:
            logger.error("payout %s: gateway amount %s differs from ours %s", payout.pk, entity.get("amount"),
                         payout.amount)
            return ignored(AMOUNT_MISMATCH)
        settled = payout_settle(payout=payout, gateway_payout_id=gateway_id,
                                utr=fit(Payout, "utr", entity.get("utr") or ""))
        return "paid" if settled else "no change"
    if status in ("failed", "rejected", "cancelled"):
        details = entity.get("status_details") if isinstance(entity.get("status_details"), dict) else {}
        reason = details.get("description") or entity.get("failure_reason") or notices.payout_refused_by_bank(status)
        return payout_gateway_failed(payout=payout, gateway_payout_id=gateway_id, reason=str(reason))
    if status == "reversed":
        reversed_now = payout_reverse(payout=payout, gateway_payout_id=gateway_id, reason=notices.PAYOUT_REVERSED)
        return "reversed" if reversed_now else "no change"
    return f"no change ({status})"


def _payout_poll(*, payout: Payout, now: datetime) -> str | None:
    """No webhook came for a payout the gateway accepted: ask for its state, then wait another lease."""
    if not Payout.objects.filter(pk=payout.pk, status=Payout.Status.PROCESSING, lease_until__lt=now).update(
            lease_until=now + PAYOUT_LEASE):
        return None
    try:
        result = gateway.fetch_payout(payout.gateway_payout_id)
    except errors.GatewayError as exc:
        return f"payout {payout.pk}: could not ask the gateway ({exc.message})"
    payout_apply(payout=payout, entity=result)
    return None


def _payout_backoff(attempts: int) -> timedelta:
    return PAYOUT_BACKOFF * PAYOUT_BACKOFF_FACTOR ** (max(1, attempts) - 1)


def _run_payouts_after_commit(eta: datetime | None = None) -> None:
    """Retries and admin re-sends do not wait for tomorrow's 10:00 batch: a run is queued for ``eta``
    (the end of a backoff) or at once."""
    def queue():
        from ..tasks import process_payouts

        process_payouts.apply_async(eta=eta)

    if eta is None or not settings.CELERY_TASK_ALWAYS_EAGER:  # an eager task would run now, not at ``eta``
        on_commit(queue)


def _notify_payout_problem(payout: Payout, reason: str) -> None:
    def send():
        notify(user=payout.payee, event="payout.failed", **notices.payout_delayed(payout),
               link=reverse("payments:transactions"))
        notify_staff(event="payout.flagged", **notices.payout_needs_attention(payout, reason),
                     link=reverse("admin:payments_payout_change", args=[payout.pk]))

    on_commit(send)


def _payout_flag(payout: Payout, error: str, *, now: datetime) -> None:
    if try_transition(payout, Payout.Status.FAILED, sources=[Payout.Status.PROCESSING], flagged=True, failed_at=now,
                      lease_until=None, last_error=fit(Payout, "last_error", error)):
        logger.error("payout %s flagged for an admin: %s", payout.pk, error)
        _notify_payout_problem(payout, error)


def payout_settle(*, payout: Payout, gateway_payout_id: str, utr: str = "", now: datetime | None = None) -> bool:
    """The bank paid it: record it once. A payout flagged after a lost response may still turn out
    paid; one already reversed in this generation never becomes paid again."""
    now = now or timezone.now()
    with atomic():
        # Of the generation in hand (its ledger key names it), so the row need not be read again.
        if not try_transition(payout, Payout.Status.PAID, where={"reversed_at__isnull": True,
                                                                 "generation": payout.generation},
                              paid_at=now, flagged=False, lease_until=None, last_error="",
                              gateway_payout_id=gateway_payout_id or None, utr=utr):
            return False
        ledger_record_decided(escrow_key=payout.escrow_key, kind=LedgerEntry.Kind.PAID_OUT, amount=payout.amount,
                              entry_key=payout_entry_key(LedgerEntry.Kind.PAID_OUT, payout),
                              reference=f"payout:{payout.pk}")
        payout_source(payout.source_kind).on_paid(payout)
    on_commit(lambda: notify(user=payout.payee, event="payout.paid", **notices.payout_paid(payout),
                             link=reverse("payments:transactions")))
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
        new_attempt = {"generation": F("generation") + 1, "gateway_payout_id": None, "fund_account_id": "",
                       "next_attempt_at": retry_at, "lease_until": None, "reversed_at": None,
                       "last_error": fit(Payout, "last_error", reason)}
        if payout.status == Payout.Status.PENDING:  # already waiting for a retry: only the key changes
            changed = bool(Payout.objects.filter(pk=payout.pk, status=Payout.Status.PENDING,
                                                 generation=payout.generation).update(**new_attempt))
        else:
            changed = try_transition(payout, Payout.Status.PENDING, where={"generation": payout.generation},
                                     **new_attempt)
        if changed:
            _run_payouts_after_commit(eta=retry_at)
        return "will retry" if changed else "no change"
    changed = try_transition(payout, Payout.Status.FAILED, sources=[Payout.Status.PENDING, Payout.Status.PROCESSING],
                             where={"generation": payout.generation}, flagged=True, failed_at=now, lease_until=None,
                             last_error=fit(Payout, "last_error", notices.after_attempts(reason, payout.attempts)))
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
        reversal = {"flagged": True, "reversed_at": now, "failed_at": now, "lease_until": None,
                    "gateway_payout_id": gateway_payout_id or payout.gateway_payout_id,
                    "last_error": fit(Payout, "last_error", reason)}
        if payout.status == Payout.Status.FAILED:  # already failed: the reversal is recorded, the status stays
            changed = bool(Payout.objects.filter(pk=payout.pk, status=Payout.Status.FAILED,
                                                 reversed_at__isnull=True).update(**reversal))
        else:
            changed = try_transition(payout, Payout.Status.FAILED, sources=[payout.status],
                                     where={"reversed_at__isnull": True}, **reversal)
        if not changed:
            return False
        if was_paid:
            ledger_record(escrow_key=payout.escrow_key, kind=LedgerEntry.Kind.REVERSED, amount=payout.amount,
                          entry_key=payout_entry_key(LedgerEntry.Kind.REVERSED, payout),
                          reference=f"payout:{payout.pk}")
            payout_source(payout.source_kind).on_reversed(payout)
    _notify_payout_problem(payout, reason)
    return True


def payout_retry(*, payout: Payout, actor, note: str = "") -> bool:
    """An admin sends a failed (flagged or reversed) payout again. One the gateway never confirmed
    keeps its idempotency key, so if it was made after all (a lost answer) it is not made twice;
    one the bank failed or reversed is a new attempt with a new key."""
    payout.refresh_from_db()
    known_to_gateway = bool(payout.gateway_payout_id or payout.reversed_at)
    was = payout.gateway_payout_id or "not confirmed"
    with atomic():
        changed = try_transition(
            payout, Payout.Status.PENDING, sources=[Payout.Status.FAILED], where={"generation": payout.generation},
            attempts=0, flagged=False, reversed_at=None, next_attempt_at=timezone.now(), lease_until=None,
            last_error="",
            **({"generation": F("generation") + 1, "gateway_payout_id": None, "fund_account_id": ""}
               if known_to_gateway else {}))
        if changed:
            PayoutAuditEntry.objects.create(payout=payout, actor=actor, action="retried",
                                            note=fit(PayoutAuditEntry, "note", f"{note} (was {was})"))
    if changed:
        _run_payouts_after_commit()
    return changed
