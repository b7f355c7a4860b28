import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.tests.factories import AdminFactory, UserFactory
from payments import services

from .test_payments import capture

pytestmark = pytest.mark.django_db


def test_transactions_api_totals_and_privacy(make_payment, api_client, django_capture_on_commit_callbacks):
    payer = UserFactory()
    kept = make_payment(amount=50000, payer=payer, payable_id="a")
    refunded = make_payment(amount=20000, payer=payer, payable_id="b")
    make_payment(amount=999, payer=payer, payable_id="unpaid")  # never paid: not a transaction
    capture(kept)
    capture(refunded)
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_request(payment=refunded, amount=None, reason="expired", refund_key="r1")
    capture(make_payment(amount=777, payable_id="someone-else"))
    api_client.force_authenticate(payer)
    body = api_client.get("/api/v1/users/me/transactions").json()
    assert body["totals"] == {"paid": 70000, "refunded": 20000, "net": 50000, "payouts_received": 0}
    assert body["count"] == 3 and {item["kind"] for item in body["results"]} == {"payment", "refund"}
    assert all(item["receipt_url"].startswith("http://testserver/payments/receipts/") for item in body["results"])


def test_transactions_need_a_user(api_client, db):
    assert api_client.get("/api/v1/users/me/transactions").status_code == 401


def test_transactions_query_count_is_constant(make_payment, client):
    payer = UserFactory()
    client.force_login(payer)
    payments = [make_payment(payer=payer, payable_id="0")]
    capture(payments[0])
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("payments:transactions"))
    for i in range(1, 20):
        payments.append(make_payment(payer=payer, payable_id=str(i)))
        capture(payments[-1])
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("payments:transactions"))
    page = response.content.decode()
    assert len(one) == len(twenty) and page.count('href="/payments/receipts/') == 20
    assert all(f">{payment.receipt_number}</a>" in page for payment in payments)


def test_financial_overview_api_and_admin_page(make_payment, api_client, client):
    capture(make_payment(amount=50000))
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/admin/financial-overview").status_code == 403
    admin = AdminFactory()
    api_client.force_authenticate(admin)
    body = api_client.get("/api/v1/admin/financial-overview").json()
    assert (body["raised"], body["escrow_balance"], body["refunded"]) == (50000, 50000, 0)
    assert body["monthly"] and body["monthly"][-1]["held"] == 50000
    client.force_login(admin)
    index = client.get("/admin/").content.decode()
    assert "Financial overview" in index
    page = client.get(reverse("admin:dashboard_financial_overview")).content.decode()
    assert "₹500.00" in page and "chart-4.6.1.umd.min.js" in page
    client.force_login(UserFactory())
    assert client.get(reverse("admin:dashboard_financial_overview")).status_code == 302


def test_overview_escrow_balance_is_the_ledgers(make_payment):
    """One formula: the platform's escrow balance is the sum of every account's, reversals included."""
    from payments import ledger, selectors

    payment = make_payment(amount=50000)
    capture(payment)
    capture(make_payment(amount=20000, payable_id="other"))
    for kind, amount in (("paid_out", 30000), ("reversed", 30000), ("paid_out", 10000), ("fee", 1000)):
        services.ledger_record(escrow_key=payment.escrow_key, kind=kind, amount=amount, entry_key=f"{kind}:{amount}")
    overview = selectors.financial_overview()
    assert (overview["raised"], overview["paid_out"], overview["fees"]) == (70000, 10000, 1000)
    assert overview["escrow_balance"] == 59000 == sum(b.still_held for b in ledger.balances().values())


def test_overview_months_add_up_and_a_reversal_cancels_its_payout_where_it_was_paid(make_payment):
    """Every month from the first movement is listed (empty ones too); the months sum to the totals; a
    payout reversed in November takes nothing off November but cancels the September payout it undoes."""
    from datetime import datetime

    from payments import ledger, selectors
    from payments.models import LedgerEntry, Payout

    ist = zoneinfo.ZoneInfo("Asia/Kolkata")
    september, november = datetime(2025, 9, 30, 23, 0, tzinfo=ist), datetime(2025, 11, 1, 0, 30, tzinfo=ist)
    payment = make_payment(amount=50000)
    capture(payment)
    returned, kept = Payout(generation=1), Payout(generation=1)
    for kind, payout, amount, when in ((LedgerEntry.Kind.PAID_OUT, returned, 30000, september),
                                       (LedgerEntry.Kind.REVERSED, returned, 30000, november),
                                       (LedgerEntry.Kind.PAID_OUT, kept, 10000, november)):
        key = ledger.payout_entry_key(kind, payout)
        services.ledger_record(escrow_key=payment.escrow_key, kind=kind, amount=amount, entry_key=key)
        LedgerEntry.objects.filter(entry_key=key).update(created_at=when)
    services.ledger_record(escrow_key=payment.escrow_key, kind=LedgerEntry.Kind.FEE, amount=1000, entry_key="fee:1")
    LedgerEntry.objects.filter(kind__in=["held", "fee"]).update(created_at=september)

    overview = selectors.financial_overview(now=datetime(2025, 11, 20, tzinfo=ist))
    assert [(m["label"], m["held"], m["paid_out"], m["fees"], m["released"]) for m in overview["monthly"]] == [
        ("Sep 2025", 50000, 0, 1000, 1000), ("Oct 2025", 0, 0, 0, 0), ("Nov 2025", 0, 10000, 0, 10000)]
    assert (overview["raised"], overview["paid_out"], overview["released"]) == (50000, 10000, 11000)
    assert overview["escrow_balance"] == 39000 == sum(b.still_held for b in ledger.balances().values())
