"""Releases from escrow recorded by other services (payouts) and by the apps that earn fees."""

from __future__ import annotations

from django.db import IntegrityError

from cleanit import errors
from cleanit.db import savepoint

from ..models import LedgerEntry


def _entry(*, escrow_key: str, kind: str, amount: int, entry_key: str, reference: str) -> LedgerEntry:
    if amount <= 0:
        raise errors.ValidationFailed("Ledger amounts are positive.")
    return LedgerEntry(escrow_key=escrow_key, kind=kind, amount=amount, entry_key=entry_key, reference=reference)


def ledger_record(*, escrow_key: str, kind: str, amount: int, entry_key: str, reference: str = "") -> bool:
    """Record a release (payout, fee) from escrow once; False if ``entry_key`` was recorded already."""
    entry = _entry(escrow_key=escrow_key, kind=kind, amount=amount, entry_key=entry_key, reference=reference)
    try:
        with savepoint():
            entry.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def ledger_record_decided(*, escrow_key: str, kind: str, amount: int, entry_key: str, reference: str = "") -> None:
    """Record a release that the caller's conditional update has just decided, in the caller's
    transaction, happens once (a payout paid: once per generation), so that its entry key is new:
    one insert, without the savepoint ledger_record needs. A clash would mean that decision was
    wrong; it raises and the caller's transaction is rolled back, release and all."""
    _entry(escrow_key=escrow_key, kind=kind, amount=amount, entry_key=entry_key,
           reference=reference).save(force_insert=True)
