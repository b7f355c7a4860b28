"""Escrow balances are derived from ledger entries, and checked against the records they come from.

Invariant, per escrow account (a campaign, a booking): held = paid out + refunded + fees + still held,
with nothing negative (a reversed payout counts back as held); and every captured payment, every
settled refund and every paid payout has exactly its entry."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import LedgerEntry, Payment, Payout, Refund


def payout_entry_key(kind: str, payout: Payout) -> str:
    """A payout's paid_out and reversed entries: ``<kind>:<payout id>:<generation>``, so a reversal
    names the very payment it undoes (a payout sent again after a reversal is a new generation)."""
    return f"{kind}:{payout.pk}:{payout.generation}"


def _reversed_payment_key(reversal_key: str) -> str:
    return LedgerEntry.Kind.PAID_OUT + reversal_key.removeprefix(LedgerEntry.Kind.REVERSED)


@dataclass
class EscrowBalance:
    escrow_key: str
    held: int = 0
    refunded: int = 0
    paid_out: int = 0
    fees: int = 0
    reversed: int = 0  # payouts the bank sent back: in escrow again

    @property
    def net_paid_out(self) -> int:
        """Paid out and not sent back by the bank."""
        return self.paid_out - self.reversed

    @property
    def still_held(self) -> int:
        return self.held - self.refunded - self.net_paid_out - self.fees

    def add(self, kind: str, amount: int) -> None:
        setattr(self, _KIND_FIELD[kind], getattr(self, _KIND_FIELD[kind]) + amount)


@dataclass
class LedgerReport:
    balances: dict[str, EscrowBalance] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)


_KIND_FIELD = {LedgerEntry.Kind.HELD: "held", LedgerEntry.Kind.REFUNDED: "refunded",
               LedgerEntry.Kind.PAID_OUT: "paid_out", LedgerEntry.Kind.FEE: "fees",
               LedgerEntry.Kind.REVERSED: "reversed"}


def balances(escrow_key: str | None = None) -> dict[str, EscrowBalance]:
    entries = LedgerEntry.objects.all()
    if escrow_key is not None:
        entries = entries.filter(escrow_key=escrow_key)
    result: dict[str, EscrowBalance] = {}
    for row in entries.values("escrow_key", "kind").annotate(total=Sum("amount")).order_by():
        result.setdefault(row["escrow_key"], EscrowBalance(row["escrow_key"])).add(row["kind"], row["total"])
    return result


@dataclass
class MonthOfMoney:
    """What came into and went out of escrow in one month (IST), all accounts together."""

    year: int
    month: int
    held: int = 0
    refunded: int = 0
    paid_out: int = 0  # payouts the bank kept: a reversed one is taken off the month it was paid in
    fees: int = 0

    @property
    def released(self) -> int:
        return self.refunded + self.paid_out + self.fees

    def add(self, kind: str, amount: int) -> None:
        name = _KIND_FIELD[kind]
        setattr(self, name, getattr(self, name) + amount)


def monthly(now: datetime | None = None) -> list[MonthOfMoney]:
    """Every month from the first entry to this one, empty months included, so that the months add
    up to the all-time totals. A payout the bank reversed counts as never released: its reversal
    cancels it in the month it was paid. Two aggregate queries and one over the reversals."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    months: dict[tuple[int, int], MonthOfMoney] = {}

    def month(key: tuple[int, int]) -> MonthOfMoney:
        return months.setdefault(key, MonthOfMoney(*key))

    def month_key(moment: datetime) -> tuple[int, int]:
        local = timezone.localtime(moment, zone)
        return local.year, local.month

    movements = (LedgerEntry.objects.exclude(kind=LedgerEntry.Kind.REVERSED)
                 .annotate(month=TruncMonth("created_at", tzinfo=zone))
                 .values("month", "kind").annotate(total=Sum("amount")).order_by())
    for row in movements:
        month((row["month"].year, row["month"].month)).add(row["kind"], row["total"])
    reversals = list(LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSED)
                     .values_list("entry_key", "amount", "created_at"))
    paid_when = dict(LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAID_OUT,
                                                entry_key__in=[_reversed_payment_key(key) for key, _, _ in reversals])
                     .values_list("entry_key", "created_at"))
    for key, amount, reversed_when in reversals:
        month(month_key(paid_when.get(_reversed_payment_key(key), reversed_when))).paid_out -= amount
    if not months:
        return []
    (year, number), last = min(months), max(max(months), month_key(now or timezone.now()))
    while (year, number) <= last:
        month((year, number))
        year, number = (year, number + 1) if number < 12 else (year + 1, 1)
    return [months[key] for key in sorted(months)]


def escrow_balance(escrow_key: str) -> EscrowBalance:
    return balances(escrow_key).get(escrow_key, EscrowBalance(escrow_key))


def check() -> LedgerReport:
    report = LedgerReport(balances=balances())
    for balance in report.balances.values():
        if balance.still_held < 0:
            report.violations.append(
                f"{balance.escrow_key}: released {balance.held - balance.still_held} paise but held only {balance.held}")

    held_by_payment = defaultdict(list)
    for entry in LedgerEntry.objects.filter(kind=LedgerEntry.Kind.HELD).values("payment_id", "amount", "escrow_key"):
        held_by_payment[entry["payment_id"]].append(entry)
    for payment in Payment.objects.filter(status=Payment.Status.CAPTURED).values("id", "amount", "escrow_key"):
        entries = held_by_payment.pop(payment["id"], [])
        if len(entries) != 1 or entries[0]["amount"] != payment["amount"] \
                or entries[0]["escrow_key"] != payment["escrow_key"]:
            report.violations.append(f"payment {payment['id']}: captured {payment['amount']} paise, "
                                     f"held entries {[e['amount'] for e in entries]}")
    for payment_id, entries in held_by_payment.items():
        report.violations.append(f"payment {payment_id}: held {[e['amount'] for e in entries]} but not captured")

    refunded_entries = {row["refund_id"]: row for row in LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUNDED)
                        .values("refund_id").annotate(n=Count("id"), total=Sum("amount")).order_by()}
    for refund in Refund.objects.filter(status=Refund.Status.REFUNDED).values("id", "amount"):
        row = refunded_entries.pop(refund["id"], None)
        if row is None or row["n"] != 1 or row["total"] != refund["amount"]:
            report.violations.append(f"refund {refund['id']}: refunded {refund['amount']} paise, ledger {row}")
    for refund_id, row in refunded_entries.items():
        report.violations.append(f"refund {refund_id}: ledger shows {row['total']} paise but the refund is not settled")

    over_refunded = (Refund.objects.filter(status=Refund.Status.REFUNDED).values("payment_id", "payment__amount")
                     .annotate(total=Sum("amount")).order_by())
    for row in over_refunded:
        if row["total"] > row["payment__amount"]:
            report.violations.append(f"payment {row['payment_id']}: refunded {row['total']} of {row['payment__amount']}")

    released = defaultdict(int)
    for row in (LedgerEntry.objects.filter(kind__in=[LedgerEntry.Kind.PAID_OUT, LedgerEntry.Kind.REVERSED],
                                           reference__startswith="payout:")
                .values("reference", "kind").annotate(total=Sum("amount")).order_by()):
        sign = 1 if row["kind"] == LedgerEntry.Kind.PAID_OUT else -1
        released[row["reference"].removeprefix("payout:")] += sign * row["total"]
    for payout in Payout.objects.values("id", "amount", "status"):
        net = released.pop(str(payout["id"]), 0)
        expected = payout["amount"] if payout["status"] == Payout.Status.PAID else 0
        if net != expected:
            report.violations.append(f"payout {payout['id']} ({payout['status']}): ledger released {net} paise, "
                                     f"expected {expected}")
    for payout_id, net in released.items():
        if net:
            report.violations.append(f"payout {payout_id}: ledger released {net} paise for an unknown payout")
    return report
