"""Signed webhooks whose body is not an event we can act on: 400 in the error envelope, nothing
stored, and a later correct delivery of the same event id is processed, not called a duplicate."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from payments import errors, services
from payments.models import Payment, WebhookEvent

from .test_payments import WEBHOOK, captured_event, post_webhook

pytestmark = pytest.mark.django_db


def post_raw(client, raw: str, event_id: str):
    signature = hmac.new(settings.RAZORPAY_WEBHOOK_SECRET.encode(), raw.encode(), hashlib.sha256).hexdigest()
    return client.post(WEBHOOK, raw, content_type="application/json", HTTP_X_RAZORPAY_SIGNATURE=signature,
                       HTTP_X_RAZORPAY_EVENT_ID=event_id)


def assert_refused_then_redelivery_processed(client, payment, response):
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == errors.MalformedEvent.code
    assert not WebhookEvent.objects.exists()
    again = post_webhook(client, captured_event(payment), event_id="evt_shape")
    assert again.json() == {"status": "processed"}
    payment.refresh_from_db()
    assert payment.status == "captured"


@pytest.mark.parametrize("event_type", ["payment.captured", "payment.failed", "refund.processed", "refund.failed",
                                        "payout.processed", "payout.failed", "payout.reversed"])
@pytest.mark.parametrize("container", [[], "payment", None, 7, {}, {"entity": []}, {"entity": "x"},
                                       {"entity": None}, {"entity": 3}, {"other": {}}])
def test_wrong_shapes_are_refused_and_do_not_block_the_event(make_payment, client, event_type, container):
    payment = make_payment()
    name = event_type.split(".")[0]
    event = {"entity": "event", "event": event_type, "contains": [name], "payload": {name: container}}
    assert_refused_then_redelivery_processed(client, payment, post_raw(client, json.dumps(event), "evt_shape"))


@pytest.mark.parametrize("payload", [None, [], "x", 5])
def test_payload_that_is_not_an_object(make_payment, client, payload):
    payment = make_payment()
    event = {"entity": "event", "event": "payment.captured", "payload": payload}
    assert_refused_then_redelivery_processed(client, payment, post_raw(client, json.dumps(event), "evt_shape"))


def test_event_without_a_payload(make_payment, client):
    payment = make_payment()
    raw = json.dumps({"entity": "event", "event": "payment.captured"})
    assert_refused_then_redelivery_processed(client, payment, post_raw(client, raw, "evt_shape"))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", str(2 ** 64)])
def test_numbers_json_does_not_have_are_refused(make_payment, client, number):
    """Python's json module reads NaN and Infinity (and 1e999 as infinity); Razorpay never sends them,
    and they could not be stored as JSON."""
    payment = make_payment()
    raw = json.dumps(captured_event(payment)).replace(f'"amount": {payment.amount}', f'"amount": {number}')
    assert number in raw
    assert_refused_then_redelivery_processed(client, payment, post_raw(client, raw, "evt_shape"))


@pytest.mark.parametrize("field", ['"status": "captured"', '"event": "payment.captured"'])
@pytest.mark.parametrize("text", ["\\ud800", "\\udfff", "a\\udc00b"])
def test_strings_that_are_not_unicode_are_refused(make_payment, client, field, text):
    """JSON may escape half a surrogate pair; such a string cannot be stored as UTF-8."""
    payment = make_payment()
    name, _ = field.split(": ")
    raw = json.dumps(captured_event(payment)).replace(field, f'{name}: "{text}"', 1)
    assert text in raw
    assert_refused_then_redelivery_processed(client, payment, post_raw(client, raw, "evt_shape"))


def test_deeply_nested_body(make_payment, client):
    payment = make_payment()
    assert_refused_then_redelivery_processed(client, payment, post_raw(client, "[" * 100_000, "evt_shape"))


def test_an_event_stored_unusable_is_marked_failed_then_replaced_by_a_redelivery(make_payment, client, payable_calls):
    """Events stored before bodies were checked: the retry job records why and stops; a redelivery of
    the same event id with a correct body is processed."""
    payment = make_payment()
    broken = {"entity": "event", "event": "payment.captured", "payload": {"payment": []}}
    WebhookEvent.objects.create(event_id="evt_old", event_type="payment.captured", payload=broken)
    WebhookEvent.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    result = services.webhooks_retry_unprocessed(now=timezone.now())
    assert result.ok, result.problems
    stored = WebhookEvent.objects.get()
    assert stored.processed_at and stored.outcome.startswith("failed: ") and "payload.payment.entity" in stored.outcome
    assert services.webhooks_retry_unprocessed(now=timezone.now()).summary == "reprocessed 0 webhook events"
    again = post_webhook(client, captured_event(payment), event_id="evt_old")
    assert again.json() == {"status": "processed"} and payable_calls == [("captured", "p1")]
    stored.refresh_from_db()
    assert stored.outcome == "captured" and stored.payload["payload"]["payment"]["entity"]["amount"] == payment.amount
    assert post_webhook(client, captured_event(payment), event_id="evt_old").json() == {"status": "duplicate"}
    assert Payment.objects.get().status == "captured"
