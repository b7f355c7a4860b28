"""Releases from escrow recorded by other services (payouts) and by the apps that earn fees."""

from __future__ import annotations

from django.db import IntegrityError

from cleanit import errors
from cleanit.db import atomic

from ..models import LedgerEntry


def ledger_record(*, escrow_key: str, kind: str, amount: int, entry_key: str, reference: str = "") -> bool:
    """Record a release (payout, fee) from escrow once; False if ``entry_key`` was recorded already."""
    if amount <= 0:
        raise errors.ValidationFailed("Ledger amounts are positive.")
    try:
        with atomic():
            LedgerEntry.objects.create(escrow_key=escrow_key, kind=kind, amount=amount, entry_key=entry_key,
                                       reference=reference)
    except IntegrityError:
        return False
    return True
