"""refund.processed / refund.failed settle or fail only the refund we sent, for its amount; any
other such event is not applied and the next reconciliation lists it."""

import pytest
from django.utils import timezone

from payments import services
from payments.models import LedgerEntry, ReconciliationMismatch, WebhookEvent
from payments.reconciliation import reconcile

from .test_payments import capture, post_webhook

pytestmark = pytest.mark.django_db


def refund_event(refund, *, amount, event_type="refund.processed", gateway_id="rfnd_TESTevent0001"):
    return {"entity": "event", "event": event_type, "contains": ["refund"],
            "payload": {"refund": {"entity": {"id": gateway_id, "entity": "refund", "amount": amount,
                                              "receipt": str(refund.pk), "status": event_type.split(".")[1]}}}}


@pytest.fixture
def requested_refund(make_payment):
    payment = make_payment(amount=1000)
    capture(payment)
    return services.refund_request(payment=payment, amount=None, reason="expired", refund_key="k")


@pytest.fixture
def sent_refund(requested_refund, settings):
    """Sent to the gateway, which made it and lost the answer: only its webhook can settle it."""
    settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
    settings.PAYMENT_SIMULATOR_FAILURE_MODE = "timeout"
    services.refunds_process(now=timezone.now())
    settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
    requested_refund.refresh_from_db()
    assert requested_refund.status == "pending" and requested_refund.gateway_refund_id is None
    return requested_refund


def mismatches_for(refund):
    reconcile()
    return list(ReconciliationMismatch.objects.filter(kind="refund", object_id=str(refund.pk)))


@pytest.mark.parametrize("amount", [1, 1000])
def test_a_refund_never_sent_is_not_settled(requested_refund, client, payable_calls, amount):
    response = post_webhook(client, refund_event(requested_refund, amount=amount))
    assert response.json() == {"status": "ignored"}
    requested_refund.refresh_from_db()
    assert requested_refund.status == "pending" and requested_refund.refunded_at is None
    assert not LedgerEntry.objects.filter(kind="refunded").exists()
    assert ("refunded", "p1") not in payable_calls
    assert WebhookEvent.objects.get().outcome == "ignored: refund never sent"
    [mismatch] = mismatches_for(requested_refund)
    assert mismatch.ours == "pending 1000" and mismatch.theirs == f"refund.processed {amount}"
    assert mismatch.gateway_id == "rfnd_TESTevent0001" and "refund never sent" in mismatch.detail


def test_a_sent_refund_is_not_settled_for_another_amount(sent_refund, client):
    assert post_webhook(client, refund_event(sent_refund, amount=1)).json() == {"status": "ignored"}
    sent_refund.refresh_from_db()
    assert sent_refund.status == "pending" and not LedgerEntry.objects.filter(kind="refunded").exists()
    [mismatch] = mismatches_for(sent_refund)
    assert mismatch.theirs == "refund.processed 1" and "amount mismatch" in mismatch.detail


def test_an_event_about_another_gateway_refund_is_not_applied(sent_refund, client):
    type(sent_refund).objects.filter(pk=sent_refund.pk).update(gateway_refund_id="rfnd_OURS00000001")
    post_webhook(client, refund_event(sent_refund, amount=1000, gateway_id="rfnd_OTHER0000001"))
    sent_refund.refresh_from_db()
    assert sent_refund.status == "pending"
    assert WebhookEvent.objects.get().outcome == "ignored: another gateway refund"


def test_refund_failed_is_checked_the_same_way(requested_refund, client):
    post_webhook(client, refund_event(requested_refund, amount=1000, event_type="refund.failed"))
    requested_refund.refresh_from_db()
    assert requested_refund.status == "pending" and not requested_refund.flagged
    assert len(mismatches_for(requested_refund)) == 1


def test_the_refund_we_sent_settles_for_its_amount(sent_refund, client, payable_calls):
    assert post_webhook(client, refund_event(sent_refund, amount=1000)).json() == {"status": "processed"}
    sent_refund.refresh_from_db()
    assert sent_refund.status == "refunded" and sent_refund.gateway_refund_id == "rfnd_TESTevent0001"
    assert LedgerEntry.objects.get(kind="refunded").amount == 1000
    assert not mismatches_for(sent_refund)


def test_a_disagreement_is_listed_by_the_next_run_only(requested_refund, client):
    post_webhook(client, refund_event(requested_refund, amount=1))
    assert len(mismatches_for(requested_refund)) == 1
    assert len(mismatches_for(requested_refund)) == 1  # the second run does not list it again
    post_webhook(client, refund_event(requested_refund, amount=2), event_id="evt_2")
    assert len(mismatches_for(requested_refund)) == 2
