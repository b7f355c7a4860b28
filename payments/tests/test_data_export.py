"""Download my data holds every payment, refund and payout of the person, and nothing secret."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.tests.factories import UserFactory
from payments import services
from payments.models import PayeeAccount

from .test_payments import capture

pytestmark = pytest.mark.django_db


def test_export_through_the_api(make_payment, api_client, django_capture_on_commit_callbacks):
    person, other = UserFactory(), UserFactory()
    paid = make_payment(amount=50000, payer=person, payable_id="a")
    unpaid = make_payment(amount=999, payer=person, payable_id="b")
    capture(paid)
    with django_capture_on_commit_callbacks(execute=True):
        refund = services.refund_request(payment=paid, amount=20000, reason="expired", refund_key="r1")
    with django_capture_on_commit_callbacks(execute=True):
        services.refunds_process(now=timezone.now())
    capture(make_payment(amount=777, payer=other, payable_id="theirs"))
    payout = services.payout_schedule(payee=person, source_kind="test", source_id="job-1", escrow_key="test:a",
                                      amount=30000, description="Cleanup", due_at=timezone.now() + timedelta(days=1))
    services.payout_schedule(payee=other, source_kind="test", source_id="job-2", escrow_key="test:a", amount=100,
                             description="Theirs", due_at=timezone.now())
    PayeeAccount.objects.create(user=person, contact_id="cont_SECRETish001", fund_account_id="fa_SECRETish0001",
                                mode="UPI", destination="pe***@upi")

    api_client.force_authenticate(person)
    response = api_client.get("/api/v1/users/me/data-export")
    assert response.status_code == 200
    money = json.loads(response.content)["payments"]
    assert {(p["id"], p["amount"], p["status"]) for p in money["payments"]} == {
        (str(paid.pk), 50000, "captured"), (str(unpaid.pk), 999, "created")}
    assert [(r["id"], r["payment_id"], r["amount"], r["status"]) for r in money["refunds"]] == [
        (str(refund.pk), str(paid.pk), 20000, "refunded")]
    assert [(p["id"], p["amount"], p["status"]) for p in money["payouts"]] == [(str(payout.pk), 30000, "pending")]
    assert money["payout_account"] == {"destination": "pe***@upi", "mode": "UPI", "active": True}
    text = response.content.decode()
    for secret in ("cont_SECRETish001", "fa_SECRETish0001", "signature", "idempotency", "Theirs", "theirs"):
        assert secret not in text
