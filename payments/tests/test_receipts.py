"""Receipts say what happened to the money, carry a human-readable number, and that number is unique."""

import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cleanit.dates import format_date
from marketplace.tests.factories import UserFactory
from payments import services
from payments.models import PAYMENT_RECEIPT_PREFIX, Payment, receipt_number

from .test_payments import capture

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^CLN-\d{4}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")


def receipt_page(client, payment) -> str:
    client.force_login(payment.payer)
    response = client.get(reverse("payments:receipt", args=[payment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_failed_payment_receipt_says_it_failed_not_paid_by(make_payment, client):
    payment = make_payment(amount=171000)
    services.payment_fail(payment=payment, reason="Card declined by the bank.")
    page = receipt_page(client, payment)
    assert "Paid by" not in page and "Paid on" not in page
    assert "<h1>Payment failed</h1>" in page and "No money was taken." in page
    assert "Card declined by the bank." in page and "₹1,710.00" in page
    assert payment.receipt_number in page


def test_unpaid_payment_receipt_says_nothing_was_taken(make_payment, client):
    page = receipt_page(client, make_payment())
    assert "Paid by" not in page and "Not paid: nothing has been taken." in page


def test_paid_then_refunded_receipt(make_payment, client, django_capture_on_commit_callbacks):
    payment = make_payment(amount=50000)
    capture(payment)
    page = receipt_page(client, payment)
    assert "<h1>Receipt</h1>" in page and "Paid by" in page and f"<dd>{payment.payer.name}</dd>" in page
    refund = services.refund_request(payment=payment, amount=20000, reason="Campaign expired", refund_key="r1")
    assert "a refund of ₹200.00 is on its way" in receipt_page(client, payment)
    with django_capture_on_commit_callbacks(execute=True):
        services.refunds_process(now=timezone.now())
    refund.refresh_from_db()
    assert f"Paid; ₹200.00 refunded on {format_date(refund.refunded_at)}" in receipt_page(client, payment)
    services.refund_request(payment=payment, amount=None, reason="Campaign cancelled", refund_key="r2")
    with django_capture_on_commit_callbacks(execute=True):
        services.refunds_process(now=timezone.now())
    assert f"Refunded on {format_date(timezone.now())}" in receipt_page(client, payment)


def test_receipt_numbers_are_readable_unique_and_shown_in_transactions(make_payment, client, api_client):
    payer = UserFactory()
    payments = [make_payment(payer=payer, payable_id=str(i)) for i in range(3)]
    for payment in payments:
        capture(payment)
    numbers = {payment.receipt_number for payment in payments}
    assert len(numbers) == 3 and all(NUMBER.match(number) for number in numbers)
    client.force_login(payer)
    page = client.get(reverse("payments:transactions")).content.decode()
    assert all(number in page for number in numbers)
    api_client.force_authenticate(payer)
    body = api_client.get("/api/v1/users/me/transactions").json()
    assert {item["receipt_number"] for item in body["results"]} == numbers
    assert api_client.get(f"/api/v1/payments/{payments[0].pk}").json()["receipt_number"] == payments[0].receipt_number


def test_the_store_refuses_a_receipt_number_twice(make_payment):
    payment = make_payment()
    with pytest.raises(IntegrityError):
        Payment.objects.create(payer=payment.payer, payable_kind="test", payable_id="x", escrow_key="test:x",
                               amount=100, description="copy", gateway_order_id="order_copy",
                               receipt_number=payment.receipt_number)


def test_a_clashing_random_number_is_drawn_again(make_payment, monkeypatch):
    taken = make_payment(payable_id="first").receipt_number
    draws = iter([taken, taken, "CLN-2026-00000-00001"])
    # The field's default is the random draw (Django keeps it as _get_default).
    monkeypatch.setattr(Payment._meta.get_field("receipt_number"), "_get_default", lambda: next(draws))
    assert make_payment(payable_id="second").receipt_number == "CLN-2026-00000-00001"


def test_receipt_number_is_derived_from_year_in_india_and_number():
    new_year_in_india = datetime(2025, 12, 31, 20, 0, tzinfo=dt_timezone.utc)  # 01:30 IST, 1 Jan
    assert receipt_number(PAYMENT_RECEIPT_PREFIX, 0, new_year_in_india) == "CLN-2026-00000-00000"
    assert receipt_number(PAYMENT_RECEIPT_PREFIX, (1 << 50) - 1, new_year_in_india - timedelta(hours=2)) \
        == "CLN-2025-ZZZZZ-ZZZZZ"
