import pytest

from tests.ledger import ledger_invariant_holds_after_each_test  # noqa: F401  (autouse)


@pytest.fixture
def pay():
    """Pay a contribution through the simulator's checkout and confirm it by signature, as the app
    does when Checkout returns (the simulator's webhook follows after commit)."""
    from payments import services
    from payments.simulator import engine

    def run(contribution, outcome="success"):
        result = engine.checkout_pay(order_id=contribution.payment.gateway_order_id, outcome=outcome)
        if outcome == "success":
            services.payment_verify(payer=contribution.contributor, order_id=result["razorpay_order_id"],
                                    payment_id=result["razorpay_payment_id"], signature=result["razorpay_signature"])
        else:
            services.payment_fail(payment=contribution.payment, reason="declined")
        contribution.refresh_from_db()
        contribution.campaign.refresh_from_db()
        return contribution

    return run
