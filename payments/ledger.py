"""Escrow balances are derived from ledger entries, and checked against the records they come from.

Invariant, per escrow account (a campaign, a booking): held = paid out + refunded + fees + still held,
with nothing negative (a reversed payout counts back as held); and every captured payment, every
settled refund and every paid payout has exactly its entry."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from .models import LedgerEntry, Payment, Payout, Refund


ALL_ACCOUNTS = "*"


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


def total_balance() -> EscrowBalance:
    """All escrow accounts together (the platform's view: raised, released, still held)."""
    balance = EscrowBalance(ALL_ACCOUNTS)
    for row in LedgerEntry.objects.values("kind").annotate(total=Sum("amount")).order_by():
        balance.add(row["kind"], row["total"])
    return balance


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
