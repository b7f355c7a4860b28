import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cleanit import errors

from .models import LedgerEntry, Payment, Refund


def payment_for_participant(*, user, payment_id) -> Payment:
    """A payment its payer (or staff) may see; anyone else gets 404."""
    try:
        payment_id = uuid.UUID(str(payment_id))
    except ValueError:
        raise errors.NotFound("Payment not found.") from None
    payment = Payment.objects.select_related("payer").prefetch_related("refunds").filter(pk=payment_id).first()
    if payment is None or not (user.is_staff or payment.payer_id == user.pk):
        raise errors.NotFound("Payment not found.")
    return payment


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
    items = [Transaction("payment", str(p.pk), p.amount, p.status, p.description, p.captured_at or p.created_at,
                         str(p.pk)) for p in payments]
    items += [Transaction("refund", str(r.pk), r.amount, r.status, f"Refund: {r.payment.description}",
                          r.refunded_at or r.created_at, str(r.payment_id)) for r in refunds]
    items.sort(key=lambda t: t.created_at, reverse=True)
    paid = sum(p.amount for p in payments if p.status == Payment.Status.CAPTURED)
    refunded = sum(r.amount for r in refunds if r.status == Refund.Status.REFUNDED)
    return {"items": items, "totals": {"paid": paid, "refunded": refunded, "net": paid - refunded}}


def financial_overview(*, months: int = 12) -> dict:
    """Raised, paid out, fees, escrow balance, pending refunds; and money held per month (IST)."""
    totals = {kind: 0 for kind in LedgerEntry.Kind.values}
    for row in LedgerEntry.objects.values("kind").annotate(total=Sum("amount")).order_by():
        totals[row["kind"]] = row["total"]
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
    held, refunded = totals[LedgerEntry.Kind.HELD], totals[LedgerEntry.Kind.REFUNDED]
    paid_out, fees = totals[LedgerEntry.Kind.PAID_OUT], totals[LedgerEntry.Kind.FEE]
    return {
        "raised": held, "refunded": refunded, "paid_out": paid_out, "fees": fees,
        "escrow_balance": held - refunded - paid_out - fees,
        "pending_refunds": {"count": pending_refunds["n"] or 0, "amount": pending_refunds["total"] or 0},
        "flagged_refunds": Refund.objects.filter(flagged=True).count(),
        "payments_captured": Payment.objects.filter(status=Payment.Status.CAPTURED).count(),
        "monthly": [{"month": label, **values} for label, values in series.items()],
    }
