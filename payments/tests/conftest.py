import hashlib
import hmac
import json

import pytest
from django.conf import settings

from payments.registry import PayableType, PayoutSource, register_payable, register_payout_source

CALLS: list[tuple[str, str]] = []

register_payable(PayableType(
    kind="test",
    on_captured=lambda payment: CALLS.append(("captured", payment.payable_id)),
    on_failed=lambda payment: CALLS.append(("failed", payment.payable_id)),
    on_refunded=lambda refund: CALLS.append(("refunded", refund.payment.payable_id)),
    return_url=lambda payable_id: f"/return/{payable_id}",
))


@pytest.fixture
def payable_calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


def signed(event: dict, secret: str | None = None) -> tuple[str, str]:
    raw = json.dumps(event)
    key = (secret or settings.RAZORPAY_WEBHOOK_SECRET).encode()
    return raw, hmac.new(key, raw.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def make_payment(db):
    from marketplace.tests.factories import UserFactory
    from payments import services

    def make(amount=50000, payer=None, payable_id="p1"):
        return services.payment_create(payer=payer or UserFactory(), payable_kind="test", payable_id=payable_id,
                                       escrow_key=f"test:{payable_id}", amount=amount, description="Test payment")

    return make


register_payout_source(PayoutSource(kind="test", on_paid=lambda payout: None, on_reversed=lambda payout: None))
