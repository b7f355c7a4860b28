import pytest

from tests.ledger import ledger_invariant_holds_after_each_test  # noqa: F401  (autouse)


@pytest.fixture
def pay():
    """Pay a confirmed booking through the simulator's checkout and confirm it by signature, as the app
    does when Checkout returns."""
    from bookings import services as booking_services
    from payments import services
    from payments.simulator import engine

    def run(booking, outcome="success"):
        payment = booking_services.booking_pay_start(booking=booking, user=booking.customer)
        result = engine.checkout_pay(order_id=payment.gateway_order_id, outcome=outcome)
        if outcome == "success":
            services.payment_verify(payer=booking.customer, order_id=result["razorpay_order_id"],
                                    payment_id=result["razorpay_payment_id"], signature=result["razorpay_signature"])
        else:
            services.payment_fail(payment=payment, reason="declined")
        booking.refresh_from_db()
        return booking

    return run
