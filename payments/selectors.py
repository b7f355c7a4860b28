import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cleanit import errors
from cleanit.db import get_by_id

from . import ledger, notices
from .models import LedgerEntry, Payment, Payout, Refund


def payment_for_participant(*, user, payment_id) -> Payment:
    """A payment its payer (or staff) may see; anyone else gets 404."""
    payment = get_by_id(Payment.objects.select_related("payer").prefetch_related("refunds"), payment_id,
                        not_found=notices.PAYMENT_NOT_FOUND)
    if not (user.is_staff or payment.payer_id == user.pk):
        raise errors.NotFound(notices.PAYMENT_NOT_FOUND)
    return payment


def payment_for_order(*, payer, order_id) -> Payment:
    """The payer's payment for a gateway order (Checkout names the order when it comes back); 404 otherwise."""
    order_id = str(order_id)[:Payment._meta.get_field("gateway_order_id").max_length]
    payment = Payment.objects.filter(gateway_order_id=order_id, payer=payer).first()
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


def transactions_for(*, user) -> dict:
    """A user's money history, newest first, with totals. Two queries whatever the history."""
    payments = list(Payment.objects.filter(payer=user).exclude(status=Payment.Status.CREATED).order_by("-created_at"))
    refunds = list(Refund.objects.filter(payment__payer=user).select_related("payment").order_by("-created_at"))
    payouts = list(Payout.objects.filter(payee=user).order_by("-created_at"))
    items = [Transaction("payment", str(p.pk), p.amount, p.status, p.description, p.captured_at or p.created_at,
                         str(p.pk)) for p in payments]
    items += [Transaction("refund", str(r.pk), r.amount, r.status, f"Refund: {r.payment.description}",
                          r.refunded_at or r.created_at, str(r.payment_id)) for r in refunds]
    items += [Transaction("payout", str(p.pk), p.amount, p.status, f"Payout: {p.description}",
                          p.paid_at or p.created_at, "") for p in payouts]
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
    monthly = [{"month": f"{y:04d}-{m:02d}", "label": datetime(y, m, 1).strftime("%b %Y"), "amount": amount,
                "percent": round(amount * 100 / peak)} for (y, m), amount in by_month.items()]
    return {"total_paid": totals[Payout.Status.PAID],
            "pending": totals[Payout.Status.PENDING] + totals[Payout.Status.PROCESSING],
            "failed": totals[Payout.Status.FAILED], "monthly": monthly, "payouts": payouts}


def financial_overview(*, months: int = 12) -> dict:
    """Raised, paid out, fees, escrow balance, pending refunds; and money held per month (IST)."""
    pending_refunds = Refund.objects.filter(status__in=[Refund.Status.PENDING, Refund.Status.PROCESSING]) \
        .aggregate(total=Sum("amount"), n=Count("id"))
    since = (timezone.localtime() - timedelta(days=31 * (months - 1))).replace(day=1, hour=0, minute=0, second=0,
                                                                                microsecond=0)
    monthly = (LedgerEntry.objects.filter(created_at__gte=since)
               .annotate(month=TruncMonth("created_at", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)))
               .values("month", "kind").annotate(total=Sum("amount")).order_by("month"))
    series: dict[str, dict[str, int]] = {}
    for row in monthly:
        label = row["month"].strftime("%b %Y")
        series.setdefault(label, {kind: 0 for kind in LedgerEntry.Kind.values})[row["kind"]] = row["total"]
    balance = ledger.total_balance()
    pending_payouts = Payout.objects.filter(status__in=[Payout.Status.PENDING, Payout.Status.PROCESSING]) \
        .aggregate(total=Sum("amount"), n=Count("id"))
    return {
        "raised": balance.held, "refunded": balance.refunded, "paid_out": balance.net_paid_out, "fees": balance.fees,
        "escrow_balance": balance.still_held,
        "pending_refunds": {"count": pending_refunds["n"] or 0, "amount": pending_refunds["total"] or 0},
        "flagged_refunds": Refund.objects.filter(flagged=True).count(),
        "pending_payouts": {"count": pending_payouts["n"] or 0, "amount": pending_payouts["total"] or 0},
        "flagged_payouts": Payout.objects.filter(flagged=True).count(),
        "payments_captured": Payment.objects.filter(status=Payment.Status.CAPTURED).count(),
        "monthly": [{"month": label, **values} for label, values in series.items()],
    }
