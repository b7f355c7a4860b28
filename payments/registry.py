"""Payables: what a payment is for. The owning app (campaigns: contributions; bookings later)
registers a PayableType (and PayoutSource) at start-up; ``payments`` calls back through it and never imports them.

Callbacks run inside the transaction that changed the payment or refund, exactly once per change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Payment, Payout, Refund


@dataclass(frozen=True)
class PayableType:
    kind: str
    # Returns the notices (notify()'s keyword arguments) to send once the capture commits: they go in one
    # insert with the payer's receipt.
    on_captured: Callable[[Payment], Iterable[dict] | None]
    on_failed: Callable[[Payment], None]
    on_refunded: Callable[[Refund], None]
    return_url: Callable[[str], str]
    # Besides the payer (and staff), who may see a payment of this payable: (payable_id, user) -> bool
    # (a booking's cleaner sees the customer's payment for it).
    can_view: Callable[[str, object], bool] | None = None
    # select_related() paths from a Payment to this payable's row, when it links back to its payment one-to-one:
    # a payment about to be captured is read with its payable (None on payments of other kinds), so that
    # on_captured need not read it again.
    joined: tuple[str, ...] = ()
    # Expressions read on that payment as attributes (a contribution's: whether its payer is counted among the
    # campaign's backers already), so that on_captured decides without another query. A payment read another
    # way lacks them: on_captured must treat a missing attribute as unknown.
    annotations: Callable[[], dict] | None = None


_TYPES: dict[str, PayableType] = {}


def register_payable(payable_type: PayableType) -> None:
    _TYPES[payable_type.kind] = payable_type


def payable_joins() -> tuple[str, ...]:
    """Every registered payable's ``joined`` paths (a payment's kind is not known before it is read)."""
    return tuple(path for payable in _TYPES.values() for path in payable.joined)


def with_payables(payments: QuerySet[Payment]) -> QuerySet[Payment]:
    """Payments about to be captured, read with their payer, each registered payable's joined row and its
    annotations, in one query."""
    annotations = {name: expression for payable in _TYPES.values() if payable.annotations
                   for name, expression in payable.annotations().items()}
    return payments.select_related("payer", *payable_joins()).annotate(**annotations)


def payable_type(kind: str) -> PayableType:
    try:
        return _TYPES[kind]
    except KeyError:
        raise LookupError(f"payable kind {kind!r} is not registered") from None


@dataclass(frozen=True)
class PayoutSource:
    """What a payout pays for (jobs: a verified job; bookings later). Callbacks run inside the
    transaction that changed the payout, exactly once per change."""

    kind: str
    on_paid: Callable[[Payout], None]
    on_reversed: Callable[[Payout], None]


_SOURCES: dict[str, PayoutSource] = {}


def register_payout_source(source: PayoutSource) -> None:
    _SOURCES[source.kind] = source


def payout_source(kind: str) -> PayoutSource:
    try:
        return _SOURCES[kind]
    except KeyError:
        raise LookupError(f"payout source {kind!r} is not registered") from None
