import json
import random
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cleanit.errors import ValidationFailed
from marketplace.tests.factories import AdminFactory, UserFactory
from payments import gateway, ledger, services
from payments.models import LedgerEntry, Payment, Refund, WebhookEvent
from payments.simulator import engine
from payments.simulator.models import SimRefund, SimWebhook

from .conftest import signed

pytestmark = pytest.mark.django_db
WEBHOOK = "/api/v1/payments/webhook"
# The official razorpay SDK's own webhook fixture, byte for byte (from shared/spec/razorpay/).
SDK_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "sdk-fixture-payment-authorized.json"


@pytest.fixture(autouse=True)
def _fresh_client():
    gateway.reset_client()
    yield
    assert not ledger.check().violations, ledger.check().violations


def captured_event(payment, payment_id="pay_TESTcaptured01", amount=None):
    return {"entity": "event", "event": "payment.captured", "contains": ["payment"], "created_at": 1767225607,
            "payload": {"payment": {"entity": {"id": payment_id, "entity": "payment", "status": "captured",
                                               "amount": amount or payment.amount, "order_id": payment.gateway_order_id,
                                               "currency": "INR"}}}}


def failed_event(payment, payment_id="pay_TESTfailed001"):
    return {"entity": "event", "event": "payment.failed", "contains": ["payment"], "created_at": 1767225607,
            "payload": {"payment": {"entity": {"id": payment_id, "entity": "payment", "status": "failed",
                                               "amount": payment.amount, "order_id": payment.gateway_order_id,
                                               "error_description": "Declined"}}}}


def post_webhook(client, event, event_id="evt_1", secret=None, signature=None):
    raw, sig = signed(event, secret)
    return client.post(WEBHOOK, raw, content_type="application/json", HTTP_X_RAZORPAY_SIGNATURE=signature or sig,
                       HTTP_X_RAZORPAY_EVENT_ID=event_id)


class TestCheckoutAndVerify:
    def test_payment_opens_an_order(self, make_payment):
        payment = make_payment(amount=12345)
        assert payment.status == "created" and payment.gateway_order_id.startswith("order_")

    def test_gateway_down_fails_the_payment_cleanly(self, make_payment, settings):
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        with pytest.raises(gateway.GatewayError):
            make_payment()
        assert Payment.objects.get().status == "failed"

    def test_simulator_json_checkout_then_verify_api(self, make_payment, api_client, payable_calls,
                                                     django_capture_on_commit_callbacks):
        payment = make_payment()
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(f"/simulator/razorpay/checkout/{payment.gateway_order_id}/pay",
                                       {"outcome": "success"}, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"razorpay_order_id", "razorpay_payment_id", "razorpay_signature"}
        api_client.force_authenticate(payment.payer)
        verified = api_client.post("/api/v1/payments/verify", body, format="json")
        assert verified.status_code == 200 and verified.json()["status"] == "captured"
        assert payable_calls.count(("captured", "p1")) == 1  # the webhook (in-process) and verify: once
        assert WebhookEvent.objects.filter(event_type="payment.captured").count() == 1
        assert LedgerEntry.objects.get().amount == payment.amount

    def test_verify_with_a_bad_signature(self, make_payment, api_client):
        payment = make_payment()
        api_client.force_authenticate(payment.payer)
        response = api_client.post("/api/v1/payments/verify", {
            "razorpay_order_id": payment.gateway_order_id, "razorpay_payment_id": "pay_x",
            "razorpay_signature": "0" * 64}, format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_signature"
        assert Payment.objects.get().status == "created"

    def test_verify_someone_elses_order_is_404(self, make_payment, api_client):
        payment = make_payment()
        api_client.force_authenticate(UserFactory())
        response = api_client.post("/api/v1/payments/verify", {
            "razorpay_order_id": payment.gateway_order_id, "razorpay_payment_id": "pay_x",
            "razorpay_signature": "0" * 64}, format="json")
        assert response.status_code == 404

    @pytest.mark.parametrize("body", [{}, {"razorpay_order_id": "x"}, {"razorpay_order_id": ["x"],
                                      "razorpay_payment_id": 1, "razorpay_signature": None}])
    def test_verify_bad_input(self, api_client, body, db):
        api_client.force_authenticate(UserFactory())
        assert api_client.post("/api/v1/payments/verify", body, format="json").status_code == 400

    def test_verify_needs_a_user(self, api_client):
        assert api_client.post("/api/v1/payments/verify", {}, format="json").status_code == 401

    def test_browser_checkout_comes_back_through_the_callback(self, make_payment, client, payable_calls):
        payment = make_payment()
        client.force_login(payment.payer)
        page = client.get(reverse("payments:checkout", args=[payment.pk]))
        assert page.status_code == 302 and payment.gateway_order_id in page.url
        checkout = client.get(page.url)
        assert b"Pay" in checkout.content and b"Fail" in checkout.content and "₹500.00" in checkout.content.decode()
        back = client.post(f"/simulator/razorpay/checkout/{payment.gateway_order_id}/pay", {"outcome": "success"})
        assert back.status_code == 302 and back.url.startswith(reverse("payments:callback"))
        done = client.get(back.url)
        assert done.status_code == 302 and done.url == "/return/p1"
        payment.refresh_from_db()
        assert payment.status == "captured" and payable_calls == [("captured", "p1")]

    def test_failed_checkout(self, make_payment, client, payable_calls, django_capture_on_commit_callbacks):
        payment = make_payment()
        client.force_login(payment.payer)
        with django_capture_on_commit_callbacks(execute=True):  # the simulator's payment.failed webhook
            back = client.post(f"/simulator/razorpay/checkout/{payment.gateway_order_id}/pay",
                               {"outcome": "failure"})
        response = client.get(back.url, follow=True)
        assert "did not go through" in response.content.decode()
        payment.refresh_from_db()
        assert payment.status == "failed" and payable_calls == [("failed", "p1")]

    def test_an_order_cannot_be_paid_twice(self, make_payment, client):
        payment = make_payment()
        url = f"/simulator/razorpay/checkout/{payment.gateway_order_id}/pay"
        client.post(url, {"outcome": "success"})
        again = client.post(url, {"outcome": "success"}, HTTP_ACCEPT="application/json")
        assert again.status_code == 400

    def test_checkout_of_someone_elses_payment_is_404(self, make_payment, client):
        payment = make_payment()
        client.force_login(UserFactory())
        assert client.get(reverse("payments:checkout", args=[payment.pk])).status_code == 404
        assert client.get(reverse("payments:receipt", args=[payment.pk])).status_code == 404

    def test_callback_for_someone_elses_order_is_404_like_the_api(self, make_payment, client, api_client):
        payment = make_payment()
        stranger = UserFactory()
        client.force_login(stranger)
        page = client.get(reverse("payments:callback"), {"razorpay_order_id": payment.gateway_order_id})
        assert page.status_code == 404 and "Payment not found." in page.content.decode()
        api_client.force_authenticate(stranger)
        response = api_client.post("/api/v1/payments/verify", {
            "razorpay_order_id": payment.gateway_order_id, "razorpay_payment_id": "pay_x",
            "razorpay_signature": "0" * 64}, format="json")
        assert response.status_code == 404 and response.json()["error"]["message"] == "Payment not found."

    def test_receipt_page(self, make_payment, client):
        payment = make_payment(amount=12345678)
        client.force_login(payment.payer)
        content = client.get(reverse("payments:receipt", args=[payment.pk])).content.decode()
        assert "₹1,23,456.78" in content


class TestWebhook:
    def test_bad_signature_stores_nothing(self, make_payment, client):
        payment = make_payment()
        response = post_webhook(client, captured_event(payment), secret="not-the-secret")
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_signature"
        assert not WebhookEvent.objects.exists() and Payment.objects.get().status == "created"

    def test_missing_signature(self, make_payment, client):
        raw, _ = signed(captured_event(make_payment()))
        response = client.post(WEBHOOK, raw, content_type="application/json")
        assert response.status_code == 400 and not WebhookEvent.objects.exists()

    def test_tampered_body(self, make_payment, client):
        payment = make_payment()
        raw, sig = signed(captured_event(payment))
        tampered = raw.replace(str(payment.amount), "1")
        response = client.post(WEBHOOK, tampered, content_type="application/json", HTTP_X_RAZORPAY_SIGNATURE=sig)
        assert response.status_code == 400 and not WebhookEvent.objects.exists()

    @pytest.mark.parametrize("raw", ["not json", "[]", '{"no": "event"}', '{"event": 5}'])
    def test_signed_but_malformed_body(self, client, raw, db):
        import hashlib
        import hmac

        from django.conf import settings

        sig = hmac.new(settings.RAZORPAY_WEBHOOK_SECRET.encode(), raw.encode(), hashlib.sha256).hexdigest()
        response = client.post(WEBHOOK, raw, content_type="application/json", HTTP_X_RAZORPAY_SIGNATURE=sig)
        assert response.status_code == 400 and not WebhookEvent.objects.exists()

    def test_captured_once_whatever_the_duplicates(self, make_payment, client, payable_calls):
        payment = make_payment()
        first = post_webhook(client, captured_event(payment), event_id="evt_A")
        again = post_webhook(client, captured_event(payment), event_id="evt_A")
        other_id = post_webhook(client, captured_event(payment), event_id="evt_B")
        assert (first.json(), again.json(), other_id.json()) == (
            {"status": "processed"}, {"status": "duplicate"}, {"status": "processed"})
        assert payable_calls == [("captured", "p1")]
        assert LedgerEntry.objects.count() == 1

    def test_failed_after_captured_changes_nothing(self, make_payment, client, payable_calls):
        payment = make_payment()
        post_webhook(client, captured_event(payment), event_id="evt_1")
        post_webhook(client, failed_event(payment), event_id="evt_2")
        payment.refresh_from_db()
        assert payment.status == "captured" and payable_calls == [("captured", "p1")]

    def test_captured_after_failed_credits(self, make_payment, client, payable_calls):
        payment = make_payment()
        post_webhook(client, failed_event(payment), event_id="evt_1")
        post_webhook(client, captured_event(payment), event_id="evt_2")
        payment.refresh_from_db()
        assert payment.status == "captured"
        assert payable_calls == [("failed", "p1"), ("captured", "p1")]

    def test_amount_mismatch_is_not_credited(self, make_payment, client):
        payment = make_payment()
        response = post_webhook(client, captured_event(payment, amount=100))
        assert response.status_code == 200
        assert Payment.objects.get().status == "created"
        assert WebhookEvent.objects.get().outcome == "ignored: amount mismatch"

    def test_unknown_events_get_200(self, client, db):
        response = post_webhook(client, {"entity": "event", "event": "order.paid", "payload": {}})
        assert response.status_code == 200 and response.json() == {"status": "ignored"}

    def test_official_sdk_fixture_verifies_on_the_raw_body(self, client, settings):
        settings.RAZORPAY_WEBHOOK_SECRET = "key_secret"
        response = client.post(WEBHOOK, SDK_FIXTURE.read_bytes(), content_type="application/json",
                               HTTP_X_RAZORPAY_SIGNATURE="d60e67fd884556c045e9be7dad57903e33efc7172c17c6e3ef77db42d2b366e9")
        assert response.status_code == 200

    def test_webhook_is_not_rate_limited_per_ip(self, make_payment, client, settings):
        settings.API_RATE_LIMIT_PER_MINUTE = 1
        payment = make_payment()
        codes = {post_webhook(client, captured_event(payment), event_id=f"evt_{i}").status_code for i in range(3)}
        assert codes == {200}

    def test_simulator_sends_webhooks_signed_with_the_configured_secret(self, make_payment, payable_calls,
                                                                        django_capture_on_commit_callbacks):
        payment = make_payment()
        with django_capture_on_commit_callbacks(execute=True):
            engine.checkout_pay(order_id=payment.gateway_order_id, outcome="success")
        assert payable_calls == [("captured", "p1")]
        webhook = SimWebhook.objects.get()
        assert webhook.delivered_at is not None and json.loads(webhook.body)["event"] == "payment.captured"

    def test_the_outbox_can_be_delivered_in_process_once(self, make_payment, payable_calls, settings):
        from payments.simulator.tasks import deliver_outbox_in_process

        settings.PAYMENT_SIMULATOR_WEBHOOK_DELIVERY = "http"  # as in development: nobody would receive a POST
        payment = make_payment()
        engine.checkout_pay(order_id=payment.gateway_order_id, outcome="success")  # its delivery waits for commit
        assert deliver_outbox_in_process() == 1
        assert payable_calls == [("captured", "p1")]
        assert SimWebhook.objects.get().delivered_at is not None
        assert WebhookEvent.objects.get().processed_at is not None
        assert deliver_outbox_in_process() == 0

    def test_unprocessed_events_are_retried(self, make_payment, payable_calls):
        payment = make_payment()
        raw, _ = signed(captured_event(payment))
        WebhookEvent.objects.create(event_id="evt_stuck", event_type="payment.captured", payload=json.loads(raw))
        WebhookEvent.objects.filter(event_id="evt_stuck").update(created_at=timezone.now() - timedelta(minutes=5))
        result = services.webhooks_retry_unprocessed(now=timezone.now())
        assert result.ok and payable_calls == [("captured", "p1")]


def capture(payment):
    """Pay through the simulator's checkout and confirm by signature (its webhook waits for commit)."""
    result = engine.checkout_pay(order_id=payment.gateway_order_id, outcome="success")
    services.payment_verify(payer=payment.payer, order_id=result["razorpay_order_id"],
                            payment_id=result["razorpay_payment_id"], signature=result["razorpay_signature"])
    payment.refresh_from_db()
    assert payment.status == "captured"
    return result


class TestRefunds:
    def test_full_refund_settles_once_and_releases_escrow(self, make_payment, payable_calls,
                                                          django_capture_on_commit_callbacks):
        payment = make_payment()
        capture(payment)
        with django_capture_on_commit_callbacks(execute=True):
            refund = services.refund_request(payment=payment, amount=None, reason="Campaign expired",
                                             refund_key="contribution:1")
        with django_capture_on_commit_callbacks(execute=True):  # the simulator's refund.processed webhook
            services.refunds_process(now=timezone.now())
        refund.refresh_from_db()
        assert refund.status == "refunded" and refund.amount == payment.amount
        assert ledger.escrow_balance("test:p1").still_held == 0
        assert payable_calls == [("captured", "p1"), ("refunded", "p1")]
        # The refund.processed webhook came too (in-process) and changed nothing.
        assert WebhookEvent.objects.get(event_type="refund.processed").outcome == "no change"

    def test_same_refund_key_twice_is_one_refund(self, make_payment):
        payment = make_payment()
        capture(payment)
        first = services.refund_request(payment=payment, amount=1000, reason="x", refund_key="k1")
        second = services.refund_request(payment=payment, amount=1000, reason="x", refund_key="k1")
        assert first.pk == second.pk and Refund.objects.count() == 1

    @pytest.mark.parametrize("amount", [0, -5, 50001])
    def test_refund_amount_limits(self, make_payment, amount):
        payment = make_payment()
        capture(payment)
        with pytest.raises(ValidationFailed):
            services.refund_request(payment=payment, amount=amount, reason="x", refund_key="k")

    def test_uncaptured_payment_cannot_be_refunded(self, make_payment):
        with pytest.raises(ValidationFailed):
            services.refund_request(payment=make_payment(), amount=None, reason="x", refund_key="k")

    def test_thirty_percent_faults_every_refund_exactly_once(self, make_payment, settings):
        payments = [make_payment(amount=10000 + i, payable_id=f"p{i}") for i in range(20)]
        for payment in payments:
            capture(payment)
        for payment in payments:
            services.refund_request(payment=payment, amount=None, reason="expired", refund_key=f"c:{payment.pk}")
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0.3
        settings.PAYMENT_SIMULATOR_FAILURE_MODE = "mixed"
        engine._random.seed(20261122)
        now = timezone.now()
        for step in range(8):  # the job runs every few minutes; backoff decides what is due
            services.refunds_process(now=now + timedelta(minutes=10 * step))
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
        assert Refund.objects.filter(status="refunded").count() == 20
        assert SimRefund.objects.count() == 20  # the gateway refunded each payment once
        for payment in payments:
            assert LedgerEntry.objects.filter(payment=payment, kind="refunded").count() == 1

    def test_retries_exhausted_flags_then_admin_retry(self, make_payment, settings, client):
        payment = make_payment()
        capture(payment)
        refund = services.refund_request(payment=payment, amount=None, reason="x", refund_key="k")
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        now = timezone.now()
        for step in range(6):
            services.refunds_process(now=now + timedelta(hours=step))
        refund.refresh_from_db()
        assert refund.status == "failed" and refund.flagged and refund.attempts == 4
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
        admin = AdminFactory()
        client.force_login(admin)
        client.post(reverse("admin:payments_refund_changelist"), {"action": "retry_refunds",
                                                                 "_selected_action": [refund.pk]})
        services.refunds_process(now=timezone.now())
        refund.refresh_from_db()
        assert refund.status == "refunded" and not refund.flagged
        assert list(refund.audit_entries.values_list("action", "actor")) == [("retried", admin.pk)]

    def test_refund_processed_webhook_settles_a_refund_whose_answer_was_lost(self, make_payment, settings):
        payment = make_payment()
        capture(payment)
        settings.PAYMENT_SIMULATOR_WEBHOOK_DELIVERY = "http"  # hold the webhook back for now
        settings.PAYMENT_SIMULATOR_WEBHOOK_URL = "http://127.0.0.1:9/unreachable"
        refund = services.refund_request(payment=payment, amount=None, reason="x", refund_key="k")
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        settings.PAYMENT_SIMULATOR_FAILURE_MODE = "timeout"
        services.refunds_process(now=timezone.now())
        refund.refresh_from_db()
        assert refund.status == "pending" and refund.gateway_refund_id is None
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
        settings.PAYMENT_SIMULATOR_WEBHOOK_DELIVERY = "inprocess"
        from payments.simulator.tasks import deliver_simulator_webhook

        deliver_simulator_webhook(SimWebhook.objects.get(event_type="refund.processed").pk)
        refund.refresh_from_db()
        assert refund.status == "refunded"
        services.refunds_process(now=timezone.now() + timedelta(hours=1))  # nothing left to do
        assert SimRefund.objects.count() == 1

    def test_admin_refund_api(self, make_payment, api_client):
        payment = make_payment()
        capture(payment)
        url = f"/api/v1/payments/refund/{payment.pk}"
        api_client.force_authenticate(payment.payer)
        assert api_client.post(url, {"amount": 100, "reason": "x"}, format="json").status_code == 403
        admin = AdminFactory()
        api_client.force_authenticate(admin)
        assert api_client.post(url, {"amount": 0, "reason": "x"}, format="json").status_code == 400
        assert api_client.post(url, {"amount": 999999, "reason": "x"}, format="json").status_code == 400
        response = api_client.post(url, {"amount": 10000, "reason": "goodwill"}, format="json")
        assert response.status_code == 201 and response.json()["amount"] == 10000
        refund = Refund.objects.get()
        assert refund.requested_by == admin and refund.audit_entries.get().action == "requested"

    def test_payment_detail_api_for_participants_only(self, make_payment, api_client):
        payment = make_payment()
        api_client.force_authenticate(payment.payer)
        body = api_client.get(f"/api/v1/payments/{payment.pk}").json()
        assert body["id"] == str(payment.pk) and body["status"] == "created"
        api_client.force_authenticate(UserFactory())
        assert api_client.get(f"/api/v1/payments/{payment.pk}").status_code == 404
        assert api_client.get("/api/v1/payments/not-a-uuid").status_code == 404


class TestLedgerCommand:
    def test_clean_ledger_exits_zero(self, make_payment, capsys):
        capture(make_payment())
        call_command("check_ledger", "--verbose-balances")
        assert "Ledger invariant holds" in capsys.readouterr().out

    def test_violation_exits_non_zero(self, make_payment):
        payment = make_payment()
        capture(payment)
        services.ledger_record(escrow_key=payment.escrow_key, kind="paid_out", amount=payment.amount + 1,
                               entry_key="bogus")
        with pytest.raises(CommandError) as exc:
            call_command("check_ledger")
        assert exc.value.returncode == 1
        LedgerEntry.objects.filter(entry_key="bogus").delete()

    def test_ledger_record_is_once_per_key(self, make_payment):
        payment = make_payment()
        capture(payment)
        assert services.ledger_record(escrow_key=payment.escrow_key, kind="fee", amount=100, entry_key="fee:1")
        assert not services.ledger_record(escrow_key=payment.escrow_key, kind="fee", amount=100, entry_key="fee:1")


class RecordingRandom(random.Random):
    """The simulator's seedable generator, noting which function asked it for randomness. Every
    method of random.Random draws through random() or getrandbits(), so recording those two is enough."""

    def __init__(self):
        self.callers: list[str] = []
        super().__init__(20261125)

    def _note_caller(self):
        frame = sys._getframe(2)
        while frame.f_code.co_filename == random.__file__:  # choice(), shuffle()... inside random.py
            frame = frame.f_back
        self.callers.append(frame.f_code.co_name)

    def random(self):
        self._note_caller()
        return super().random()

    def getrandbits(self, k):
        self._note_caller()
        return super().getrandbits(k)


def test_random_is_only_used_for_faults(make_payment, monkeypatch, settings):
    """The seedable generator decides faults and nothing else: without faults a whole money flow
    never consults it, with faults only the fault picker does, and gateway ids do not come from it."""
    spy = RecordingRandom()
    monkeypatch.setattr(engine, "_random", spy)
    payment = make_payment()
    capture(payment)
    refund = services.refund_request(payment=payment, amount=None, reason="x", refund_key="k")
    services.refunds_process(now=timezone.now())
    contact = gateway.create_contact(name="Ravi", email="r@x.in", phone="+919800000003", reference_id="u1")
    fund = gateway.create_fund_account(contact_id=contact["id"], account={"vpa": {"address": "ravi@upi"}})
    gateway.create_payout(fund_account_id=fund["id"], amount=10000, mode="UPI", reference_id="p", narration="n",
                          idempotency_key="payout-key-1", notes={})
    refund.refresh_from_db()
    assert refund.status == "refunded" and spy.callers == []

    settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0.5
    settings.PAYMENT_SIMULATOR_FAILURE_MODE = "mixed"
    outcomes = set()
    for _ in range(20):
        try:
            gateway.fetch_payment(payment.gateway_payment_id)
            outcomes.add("answered")
        except gateway.GatewayError as exc:
            outcomes.add(type(exc).__name__)
    assert outcomes == {"answered", "GatewayError", "GatewayTimeout"}
    assert set(spy.callers) == {"_pick_fault"}

    ids = []
    for _ in range(2):
        spy.seed(1)
        ids.append(engine.new_id("pay"))
    assert ids[0] != ids[1]


class TestRefundWebhooksAndAdmin:
    def _sent_refund_whose_answer_was_lost(self, make_payment, settings):
        payment = make_payment()
        capture(payment)
        refund = services.refund_request(payment=payment, amount=None, reason="x", refund_key="k")
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        settings.PAYMENT_SIMULATOR_FAILURE_MODE = "timeout"
        services.refunds_process(now=timezone.now())
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
        refund.refresh_from_db()
        assert refund.status == "pending" and refund.sent_at and refund.gateway_refund_id is None
        return refund

    def test_refund_failed_webhook_flags_it(self, make_payment, client, settings):
        refund = self._sent_refund_whose_answer_was_lost(make_payment, settings)
        event = {"entity": "event", "event": "refund.failed", "contains": ["refund"],
                 "payload": {"refund": {"entity": {"id": "rfnd_unknown0001", "receipt": str(refund.pk),
                                                   "amount": refund.amount, "status": "failed"}}}}
        assert post_webhook(client, event).json() == {"status": "processed"}
        refund.refresh_from_db()
        assert refund.status == "failed" and refund.flagged
        # A later refund.processed for the same refund still settles it, once.
        processed = {**event, "event": "refund.processed"}
        processed["payload"]["refund"]["entity"]["status"] = "processed"
        post_webhook(client, processed, event_id="evt_2")
        post_webhook(client, processed, event_id="evt_3")
        refund.refresh_from_db()
        assert refund.status == "refunded" and LedgerEntry.objects.filter(kind="refunded").count() == 1

    def test_unknown_refund_is_ignored(self, client, db):
        event = {"entity": "event", "event": "refund.processed",
                 "payload": {"refund": {"entity": {"id": "rfnd_nope", "receipt": "not-a-uuid"}}}}
        assert post_webhook(client, event).json() == {"status": "ignored"}

    def test_admin_refund_action_with_reason_and_audit(self, make_payment, client):
        payment = make_payment()
        capture(payment)
        admin = AdminFactory()
        client.force_login(admin)
        url = reverse("admin:payments_payment_changelist")
        ask = client.post(url, {"action": "refund_remaining", "_selected_action": [payment.pk]})
        assert ask.status_code == 200 and b"reason" in ask.content
        client.post(url, {"action": "refund_remaining", "_selected_action": [payment.pk], "apply": "1",
                          "reason": "Customer complaint"})
        refund = Refund.objects.get()
        assert refund.amount == payment.amount and refund.requested_by == admin
        assert refund.audit_entries.get().note == "Customer complaint"
        for name in ("payments_payment", "payments_refund", "payments_ledgerentry", "payments_webhookevent"):
            assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
        assert client.get(reverse("admin:payments_payment_change", args=[payment.pk])).status_code == 200
