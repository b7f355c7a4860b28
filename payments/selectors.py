import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from cleanit import errors
from cleanit.dates import format_month
from cleanit.db import get_by_id, only_match

from . import ledger, notices
from .registry import payable_type, with_payables
from .models import Payment, Payout, Refund


def payment_for_participant(*, user, payment_id) -> Payment:
    """A payment its payer (or staff) may see; anyone else gets 404."""
    payment = get_by_id(Payment.objects.select_related("payer").prefetch_related("refunds"), payment_id,
                        not_found=notices.PAYMENT_NOT_FOUND)
    if not (user.is_staff or payment.payer_id == user.pk or _payable_viewer(payment, user)):
        raise errors.NotFound(notices.PAYMENT_NOT_FOUND)
    return payment


def _payable_viewer(payment: Payment, user) -> bool:
    can_view = payable_type(payment.payable_kind).can_view
    return bool(can_view and can_view(payment.payable_id, user))


@dataclass(frozen=True)
class PaymentReceipt:
    """What a payment's receipt says: "Paid by" only for money actually taken."""

    payment: Payment
    title: str
    outcome: str
    paid: bool
    refunds: list[Refund]


def payment_receipt(*, user, payment_id) -> PaymentReceipt:
    """A payment's receipt for its payer (or staff), worded by what happened to the money; 404 otherwise."""
    payment = payment_for_participant(user=user, payment_id=payment_id)
    refunds = list(payment.refunds.all())
    if payment.status == Payment.Status.CREATED:
        return PaymentReceipt(payment, notices.RECEIPT_TITLE_NOT_PAID, notices.RECEIPT_NOT_PAID, False, refunds)
    if payment.status == Payment.Status.FAILED:
        return PaymentReceipt(payment, notices.RECEIPT_TITLE_FAILED,
                              notices.receipt_failed(payment.failed_at or payment.updated_at), False, refunds)
    settled = [refund for refund in refunds if refund.status == Refund.Status.REFUNDED]
    refunded = sum(refund.amount for refund in settled)
    on_its_way = sum(refund.amount for refund in refunds if refund.status != Refund.Status.REFUNDED)
    last = max((refund.refunded_at or refund.updated_at for refund in settled), default=None)
    return PaymentReceipt(payment, notices.RECEIPT_TITLE_PAID,
                          notices.receipt_paid(amount=payment.amount, refunded=refunded, refunded_on=last,
                                               on_its_way=on_its_way), True, refunds)


def payment_for_order(*, payer, order_id) -> Payment:
    """The payer's payment for a gateway order (Checkout names the order when it comes back); 404 otherwise."""
    order_id = str(order_id)[:Payment._meta.get_field("gateway_order_id").max_length]
    # With its payer (the capture's receipt goes to them) and its payable where that links back (the capture's callback).
    payment = only_match(with_payables(Payment.objects).filter(gateway_order_id=order_id, payer=payer))
    if payment is None:
        raise errors.NotFound(notices.PAYMENT_NOT_FOUND)
    return payment


def payout_for_payee(*, user, payout_id) -> Payout:
    """A payout its payee (or staff) may see; anyone else gets 404."""
    payout = get_by_id(Payout.objects.select_related("payee"), payout_id, not_found=notices.PAYOUT_NOT_FOUND)
    if not (user.is_staff or payout.payee_id == user.pk):
        raise errors.NotFound(notices.PAYOUT_NOT_FOUND)
    return payout


@dataclass(frozen=True)
class Transaction:
    kind: str  # payment | refund | payout
    id: str
    amount: int
    status: str
    description: str
    created_at: datetime
    payment_id: str
    receipt_number: str


def transactions_for(*, user) -> dict:
    """A user's money history, newest first, with totals. Two queries whatever the history."""
    payments = list(Payment.objects.filter(payer=user).exclude(status=Payment.Status.CREATED).order_by("-created_at"))
    refunds = list(Refund.objects.filter(payment__payer=user).select_related("payment").order_by("-created_at"))
    payouts = list(Payout.objects.filter(payee=user).order_by("-created_at"))
    items = [Transaction("payment", str(p.pk), p.amount, p.status, p.description, p.captured_at or p.created_at,
                         str(p.pk), p.receipt_number) for p in payments]
    items += [Transaction("refund", str(r.pk), r.amount, r.status, f"Refund: {r.payment.description}",
                          r.refunded_at or r.created_at, str(r.payment_id), r.payment.receipt_number) for r in refunds]
    items += [Transaction("payout", str(p.pk), p.amount, p.status, f"Payout: {p.description}",
                          p.paid_at or p.created_at, "", p.receipt_number) for p in payouts]
    items.sort(key=lambda t: t.created_at, reverse=True)
    paid = sum(p.amount for p in payments if p.status == Payment.Status.CAPTURED)
    refunded = sum(r.amount for r in refunds if r.status == Refund.Status.REFUNDED)
    received = sum(p.amount for p in payouts if p.status == Payout.Status.PAID)
    return {"items": items, "totals": {"paid": paid, "refunded": refunded, "net": paid - refunded,
                                       "payouts_received": received}}


def earnings_for(*, user, months: int = 12, now: datetime | None = None) -> dict:
    """A payee's payouts: totals by status, the last ``months`` months of paid amounts (IST) for
    the chart, and the payouts themselves, newest first. Two queries."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    today = timezone.localtime(now or timezone.now(), zone).date()
    labels, year, month = [], today.year, today.month
    for _ in range(months):
        labels.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    labels.reverse()
    payouts = list(Payout.objects.filter(payee=user).order_by("-created_at"))
    totals = {status: 0 for status in Payout.Status.values}
    by_month = {key: 0 for key in labels}
    for payout in payouts:
        totals[payout.status] += payout.amount
        if payout.status == Payout.Status.PAID and payout.paid_at:
            paid = timezone.localtime(payout.paid_at, zone)
            if (paid.year, paid.month) in by_month:
                by_month[(paid.year, paid.month)] += payout.amount
    peak = max(by_month.values()) or 1
    monthly = [{"month": f"{y:04d}-{m:02d}", "label": format_month(date(y, m, 1)), "amount": amount,
                "percent": round(amount * 100 / peak)} for (y, m), amount in by_month.items()]
    return {"total_paid": totals[Payout.Status.PAID],
            "pending": totals[Payout.Status.PENDING] + totals[Payout.Status.PROCESSING],
            "failed": totals[Payout.Status.FAILED], "monthly": monthly, "payouts": payouts}


def financial_overview(*, now: datetime | None = None) -> dict:
    """The admin's money figures: every month (IST) held and released, and the all-time totals as the
    sums of those months, so the chart, its table and the totals cannot disagree. A reversed payout is
    not released (it is back in escrow). Also pending and flagged refunds and payouts."""
    months = ledger.monthly(now)
    totals = {name: sum(getattr(month, name) for month in months)
              for name in ("held", "refunded", "paid_out", "fees", "released")}
    pending_refunds = Refund.objects.filter(status__in=[Refund.Status.PENDING, Refund.Status.PROCESSING]) \
        .aggregate(total=Sum("amount"), n=Count("id"))
    pending_payouts = Payout.objects.filter(status__in=[Payout.Status.PENDING, Payout.Status.PROCESSING]) \
        .aggregate(total=Sum("amount"), n=Count("id"))
    return {
        "raised": totals["held"], "refunded": totals["refunded"], "paid_out": totals["paid_out"],
        "fees": totals["fees"], "released": totals["released"], "escrow_balance": totals["held"] - totals["released"],
        "pending_refunds": {"count": pending_refunds["n"] or 0, "amount": pending_refunds["total"] or 0},
        "flagged_refunds": Refund.objects.filter(flagged=True).count(),
        "pending_payouts": {"count": pending_payouts["n"] or 0, "amount": pending_payouts["total"] or 0},
        "flagged_payouts": Payout.objects.filter(flagged=True).count(),
        "payments_captured": Payment.objects.filter(status=Payment.Status.CAPTURED).count(),
        # `month` and `fee` keep the names and the form the API gave before (mobile and admin clients read
        # them); `period`, `label`, `fees` and `released` were added beside them.
        "monthly": [{"month": format_month(date(month.year, month.month, 1)),
                     "period": f"{month.year:04d}-{month.month:02d}",
                     "label": format_month(date(month.year, month.month, 1)), "held": month.held,
                     "refunded": month.refunded, "paid_out": month.paid_out, "fees": month.fees, "fee": month.fees,
                     "released": month.released} for month in months],
    }
