"""The adapter over the real razorpay client, against the in-process simulator."""

import pytest

from payments import gateway
from payments.simulator import engine
from payments.simulator.models import SimPayout, SimRefund

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_client():
    gateway.reset_client()
    yield
    gateway.reset_client()


def paid_order(amount=50000):
    order = gateway.create_order(amount=amount, receipt="r-1", notes={"description": "x"})
    result = engine.checkout_pay(order_id=order["id"], outcome="success")
    return order, result


def test_order_shape():
    order = gateway.create_order(amount=49900, receipt="receipt-1", notes={"k": "v"})
    assert order["id"].startswith("order_") and order["amount"] == 49900 and order["status"] == "created"
    assert gateway.fetch_order(order["id"])["id"] == order["id"]


def test_order_below_minimum_is_rejected():
    with pytest.raises(gateway.GatewayRejected):
        gateway.create_order(amount=50, receipt="r", notes={})


def test_simulator_refuses_wrong_keys():
    response = engine.handle("post", "/v1/orders", auth=("rzp_test_other", "wrong"), headers={},
                             body={"amount": 1000, "currency": "INR"})
    assert response.status == 400 and response.body["error"]["description"] == "Authentication failed"


def test_checkout_signature_verifies_and_tampering_does_not():
    order, result = paid_order()
    gateway.verify_payment_signature(order_id=order["id"], payment_id=result["razorpay_payment_id"],
                                     signature=result["razorpay_signature"])
    with pytest.raises(gateway.InvalidSignature):
        gateway.verify_payment_signature(order_id=order["id"], payment_id="pay_other",
                                         signature=result["razorpay_signature"])
    with pytest.raises(gateway.InvalidSignature):
        gateway.verify_payment_signature(order_id=order["id"], payment_id=result["razorpay_payment_id"],
                                         signature=None)


def test_refund_is_idempotent_by_key():
    _, result = paid_order()
    first = gateway.refund(payment_id=result["razorpay_payment_id"], amount=20000, idempotency_key="refund-key-0001",
                           notes={})
    again = gateway.refund(payment_id=result["razorpay_payment_id"], amount=20000, idempotency_key="refund-key-0001",
                           notes={})
    assert first["id"] == again["id"] and SimRefund.objects.count() == 1
    assert gateway.fetch_payment(result["razorpay_payment_id"])["amount_refunded"] == 20000


def test_refund_more_than_captured_is_rejected():
    _, result = paid_order(amount=10000)
    with pytest.raises(gateway.GatewayRejected):
        gateway.refund(payment_id=result["razorpay_payment_id"], amount=10001, idempotency_key="refund-key-0002",
                       notes={})


def test_payout_requires_and_honours_idempotency_key():
    contact = gateway.create_contact(name="Ravi", email="r@x.in", phone="+919800000003", reference_id="u1")
    again = gateway.create_contact(name="Ravi", email="r@x.in", phone="+919800000003", reference_id="u1")
    assert contact["id"] == again["id"]
    fund = gateway.create_fund_account(contact_id=contact["id"], account={"vpa": {"address": "ravi@upi"}})
    kwargs = dict(fund_account_id=fund["id"], amount=47500, mode="UPI", reference_id="payout-1",
                  narration="Cleanit payout", idempotency_key="payout-key-1", notes={})
    first, second = gateway.create_payout(**kwargs), gateway.create_payout(**kwargs)
    assert first["id"] == second["id"] and SimPayout.objects.count() == 1
    assert gateway.fetch_payout(first["id"])["status"] == "processed"


def test_fault_error_mode(settings):
    settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
    settings.PAYMENT_SIMULATOR_FAILURE_MODE = "error"
    with pytest.raises(gateway.GatewayError) as exc:
        gateway.create_order(amount=1000, receipt="r", notes={})
    assert not isinstance(exc.value, gateway.GatewayRejected)


def test_fault_timeout_mode_does_the_work_and_loses_the_answer(settings):
    _, result = paid_order()
    settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
    settings.PAYMENT_SIMULATOR_FAILURE_MODE = "timeout"
    with pytest.raises(gateway.GatewayTimeout):
        gateway.refund(payment_id=result["razorpay_payment_id"], amount=1000, idempotency_key="refund-key-0003",
                       notes={})
    settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
    again = gateway.refund(payment_id=result["razorpay_payment_id"], amount=1000, idempotency_key="refund-key-0003",
                           notes={})
    assert SimRefund.objects.count() == 1 and again["amount"] == 1000
