"""Daily reconciliation: every payment, refund and payout we hold is compared with the gateway's
own record of it (the simulator's, offline), through the same client. Each disagreement is stored
as a ReconciliationMismatch (listed in the admin) and reported as a problem, so `run_periodic
payments.reconcile` exits non-zero while any exist."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from cleanit.periodic import JobResult

from . import gateway, services
from .models import Payment, Payout, ReconciliationMismatch, ReconciliationRun, Refund

logger = logging.getLogger(__name__)

# Webhooks normally settle an in-flight record within seconds; after this long a disagreement is real.
SETTLE_GRACE = timedelta(hours=1)


class _Run:
    def __init__(self, now: datetime):
        self.now = now
        self.run = ReconciliationRun.objects.create()
        self.mismatches: list[ReconciliationMismatch] = []
        self.checked = 0
        self.errors: list[str] = []

    def mismatch(self, kind, obj, gateway_id, ours, theirs, detail):
        self.mismatches.append(ReconciliationMismatch(
            run=self.run, kind=kind, object_id=str(obj.pk), gateway_id=(gateway_id or "")[:64], ours=ours[:120],
            theirs=theirs[:120], detail=detail[:255]))

    def ask(self, label: str, func, *args):
        try:
            return func(*args)
        except gateway.GatewayError as exc:
            self.errors.append(f"{label}: the gateway did not answer ({exc.message})")
            return None


def _settled_long_ago(obj, now) -> bool:
    return obj.updated_at < now - SETTLE_GRACE


def _payments(run: _Run) -> None:
    kind = ReconciliationMismatch.Kind.PAYMENT
    for payment in Payment.objects.exclude(gateway_order_id__startswith="pending:").iterator():
        run.checked += 1
        ours = f"{payment.status} {payment.amount}"
        if payment.status == Payment.Status.CAPTURED:
            theirs = run.ask(f"payment {payment.pk}", gateway.fetch_payment, payment.gateway_payment_id)
            if theirs is None:
                continue
            if theirs.get("status") not in ("captured", "refunded") or theirs.get("amount") != payment.amount:
                run.mismatch(kind, payment, payment.gateway_payment_id, ours,
                             f"{theirs.get('status')} {theirs.get('amount')}",
                             "We hold a captured payment the gateway does not show as captured for this amount.")
            continue
        order = run.ask(f"payment {payment.pk}", gateway.fetch_order, payment.gateway_order_id)
        if order is None:
            continue
        if order.get("status") == "paid" and _settled_long_ago(payment, run.now):
            run.mismatch(kind, payment, payment.gateway_order_id, ours, f"order paid {order.get('amount_paid')}",
                         "The gateway took this payment but we never credited it.")


def _refunds(run: _Run) -> None:
    kind = ReconciliationMismatch.Kind.REFUND
    for refund in Refund.objects.filter(gateway_refund_id__isnull=False).iterator():
        run.checked += 1
        ours = f"{refund.status} {refund.amount}"
        theirs = run.ask(f"refund {refund.pk}", gateway.fetch_refund, refund.gateway_refund_id)
        if theirs is None:
            continue
        processed = theirs.get("status") == "processed"
        if refund.status == Refund.Status.REFUNDED:
            if not processed or theirs.get("amount") != refund.amount:
                run.mismatch(kind, refund, refund.gateway_refund_id, ours,
                             f"{theirs.get('status')} {theirs.get('amount')}",
                             "We recorded a refund the gateway does not show as processed for this amount.")
        elif processed and _settled_long_ago(refund, run.now):
            run.mismatch(kind, refund, refund.gateway_refund_id, ours, f"processed {theirs.get('amount')}",
                         "The gateway refunded this but we have not recorded it.")


def _payouts(run: _Run) -> None:
    kind = ReconciliationMismatch.Kind.PAYOUT
    for payout in Payout.objects.filter(gateway_payout_id__isnull=False).iterator():
        run.checked += 1
        ours = f"{payout.status}{' (reversed)' if payout.reversed_at else ''} {payout.amount}"
        theirs = run.ask(f"payout {payout.pk}", gateway.fetch_payout, payout.gateway_payout_id)
        if theirs is None:
            continue
        status, amount = theirs.get("status"), theirs.get("amount")
        if payout.status == Payout.Status.PAID:
            if status != "processed" or amount != payout.amount:
                run.mismatch(kind, payout, payout.gateway_payout_id, ours, f"{status} {amount}",
                             "We recorded a payout as paid that the gateway does not show as processed.")
        elif payout.reversed_at:
            if status != "reversed" and _settled_long_ago(payout, run.now):
                run.mismatch(kind, payout, payout.gateway_payout_id, ours, f"{status} {amount}",
                             "We recorded a reversal the gateway does not show.")
        elif status == "processed" and _settled_long_ago(payout, run.now):
            run.mismatch(kind, payout, payout.gateway_payout_id, ours, f"{status} {amount}",
                         "The gateway paid this out but we have not recorded it.")


def _webhook_disagreements(run: _Run) -> None:
    """Gateway events since the last run that contradicted our record (a refund settled that we never
    sent, another amount...): not applied, so only this list shows that the gateway said so."""
    previous = ReconciliationRun.objects.filter(finished_at__isnull=False).exclude(pk=run.run.pk) \
        .order_by("-created_at").first()
    for found in services.webhook_disagreements(since=previous.created_at if previous else None):
        subject, event = found.subject, found.event
        run.mismatch(found.kind, subject or event, str(found.entity.get("id", "")),
                     f"{subject.status} {subject.amount}" if subject else "none",
                     f"{event.event_type} {found.entity.get('amount')}",
                     f"The gateway's {event.event_type} event {event.event_id} was not applied: {found.reason}.")


def reconcile(*, now: datetime | None = None) -> JobResult:
    run = _Run(now or timezone.now())
    _payments(run)
    _refunds(run)
    _payouts(run)
    _webhook_disagreements(run)
    ReconciliationMismatch.objects.bulk_create(run.mismatches)
    ReconciliationRun.objects.filter(pk=run.run.pk).update(
        finished_at=timezone.now(), checked=run.checked, mismatch_count=len(run.mismatches), errors=len(run.errors))
    problems = [f"{m.kind} {m.object_id}: {m.detail} (ours: {m.ours}; gateway: {m.theirs})" for m in run.mismatches]
    problems += run.errors
    summary = f"checked {run.checked} records with the gateway: {len(run.mismatches)} mismatches, " \
              f"{len(run.errors)} unanswered"
    return JobResult(summary=summary, problems=problems)
