"""Where a person's payouts go: the RazorpayX contact and fund account made from verified KYC."""

from __future__ import annotations

from cleanit.db import update_or_create

from .. import gateway
from ..models import PayeeAccount
from .common import fit


def payee_account_register(*, user, name: str, email: str, phone: str, account: dict, destination: str) -> PayeeAccount:
    """Create (or find: RazorpayX returns the existing one for identical details) the contact and
    fund account for ``user`` and make it the active payout destination.
    ``account`` is ``{"bank_account": {name, ifsc, account_number}}`` or ``{"vpa": {"address"}}``."""
    contact = gateway.create_contact(name=name, email=email, phone=phone, reference_id=user.pk.hex)
    fund_account = gateway.create_fund_account(contact_id=contact["id"], account=account)
    fields = {"contact_id": contact["id"], "fund_account_id": fund_account["id"], "is_active": True,
              "mode": PayeeAccount.Mode.UPI if "vpa" in account else PayeeAccount.Mode.IMPS,
              "destination": fit(PayeeAccount, "destination", destination)}
    return update_or_create(PayeeAccount, lookup={"user": user}, values=fields)


def payee_account_disable(*, user) -> bool:
    """New, unverified or rejected details: stop paying to the old destination."""
    return bool(PayeeAccount.objects.filter(user=user, is_active=True).update(is_active=False))
