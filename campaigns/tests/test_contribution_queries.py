"""Issue 12: a contribution from order to credit in few queries, measured through the API as a mobile
client makes it (a bearer token: each request reads its user once). Not counted: the transaction's
savepoints, and the gateway's own work (the simulator stands in for Razorpay and keeps its records in
payments_sim* tables). Counted: the notifications sent after commit, since they run inside the request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import services
from campaigns.models import Contribution
from marketplace.tests.factories import UserFactory
from notifications.models import Notification
from payments import services as payment_services
from payments.models import LedgerEntry, WebhookEvent
from payments.simulator import engine
from payments.tests.conftest import signed

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db


def app_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO SAVEPOINT")) and '"payments_sim' not in q["sql"]]


def listing(*parts: tuple[str, list[str]]) -> str:
    return "\n".join(f"{label} ({len(queries)}):\n" + "\n".join(f"  {sql[:140]}" for sql in queries)
                     for label, queries in parts)


@pytest.fixture
def request_queries(django_capture_on_commit_callbacks):
    """Make one request; its response and the app's queries, the after-commit work included."""
    def run(send):
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
            response = send()
        return response, app_queries(captured)

    return run


def ordered(auth_client, campaign, amount, request_queries):
    response, queries = request_queries(lambda: auth_client.post(
        f"/api/v1/campaigns/{campaign.pk}/contribute", {"amount": amount}, format="json"))
    assert response.status_code == 201, response.json()
    return response.json(), queries


def test_a_contribution_is_ordered_and_credited_in_8_queries_and_11_through_the_api(auth_client, user,
                                                                                   request_queries):
    """The money movement, order to credit, is 8 queries. Order (3): the campaign, the payment (stored with its
    gateway order), the contribution (stored with its payment). Verify (5): the payment with its payer and its
    contribution, campaign, creator and creator's preferences (one read), the capture, the escrow ledger entry,
    the credit (which also marks the contributor a backer: the partial unique constraint decides that), the
    campaign's amount and backer count (one update, which also shows the target unreached). Through the API,
    3 more: each request's sign-in, and after commit the payer's receipt and the creator's notice in one insert
    (the answer's refunds need no read: a payment captured by this verify has none)."""
    campaign = CampaignFactory(target_amount=1000_00)
    started, order_queries = ordered(auth_client, campaign, 400_00, request_queries)
    paid = engine.checkout_pay(order_id=started["order_id"], outcome="success")  # its webhook is not delivered
    verified, verify_queries = request_queries(
        lambda: auth_client.post("/api/v1/payments/verify", paid, format="json"))
    assert verified.status_code == 200 and verified.json()["status"] == "captured", verified.json()
    assert verified.json()["refunds"] == []
    signed_in, notified = [order_queries[0], verify_queries[0]], verify_queries[-1]
    assert all(sql.startswith('SELECT "marketplace_user"') for sql in signed_in), signed_in
    assert notified.startswith('INSERT INTO "notifications_notification"'), notified
    money = order_queries[1:] + verify_queries[1:-1]
    assert len(money) <= 8 and len(order_queries) + len(verify_queries) <= 11, \
        listing(("order", order_queries), ("verify", verify_queries))

    campaign.refresh_from_db()
    assert (campaign.amount_raised, campaign.contributor_count, campaign.status) == (400_00, 1, "active")
    contribution = Contribution.objects.get()
    assert contribution.status == "credited" and contribution.payment.status == "captured"
    assert contribution.counts_backer and contribution.contributor == user
    assert LedgerEntry.objects.get().amount == 400_00
    assert sorted(Notification.objects.values_list("event", flat=True)) == [
        "campaign.contribution_received", "payment.received"]


def test_the_webhook_credits_a_contribution_in_at_most_8_queries(auth_client, user, client, request_queries):
    """The event stored (its first attempt counted), the payment with its payer and contribution, the same
    credit as a verify (capture, ledger, credit with the backer's mark, counters), the outcome stored; after
    commit, the two notifications in one insert. A second delivery changes nothing."""
    campaign = CampaignFactory(target_amount=1000_00)
    started, _ = ordered(auth_client, campaign, 400_00, request_queries)
    paid = engine.checkout_pay(order_id=started["order_id"], outcome="success")
    raw, signature = signed({"entity": "event", "event": "payment.captured", "contains": ["payment"],
                             "payload": {"payment": {"entity": {
                                 "id": paid["razorpay_payment_id"], "entity": "payment", "amount": 400_00,
                                 "order_id": started["order_id"], "status": "captured"}}}})

    def deliver(event_id):
        return lambda: client.post("/api/v1/payments/webhook", raw, content_type="application/json",
                                   HTTP_X_RAZORPAY_SIGNATURE=signature, HTTP_X_RAZORPAY_EVENT_ID=event_id)

    response, queries = request_queries(deliver("evt_queries_1"))
    assert response.json() == {"status": "processed"}
    assert len(queries) <= 8, listing(("webhook", queries))
    assert WebhookEvent.objects.get().attempts == 1

    again, _ = request_queries(deliver("evt_queries_2"))  # another event for the same payment
    assert again.json() == {"status": "processed"}
    campaign.refresh_from_db()
    assert (campaign.amount_raised, campaign.contributor_count) == (400_00, 1)
    assert LedgerEntry.objects.count() == 1 and Notification.objects.count() == 2


def test_a_repeat_backer_is_counted_once_for_no_more_queries(auth_client, user, request_queries):
    """The backer count goes up with the first contribution's amount only. The payment's read says the payer
    is counted already, so the second credit writes no mark and meets no constraint (no more queries)."""
    campaign = CampaignFactory(target_amount=1000_00)
    counts = []
    for amount in (100_00, 200_00):
        started, _ = ordered(auth_client, campaign, amount, request_queries)
        paid = engine.checkout_pay(order_id=started["order_id"], outcome="success")
        verified, queries = request_queries(lambda: auth_client.post("/api/v1/payments/verify", paid, format="json"))
        assert verified.status_code == 200
        counts.append(queries)
    assert len(counts[1]) == len(counts[0]) <= 7, listing(("first verify", counts[0]), ("second verify", counts[1]))
    assert '"counts_backer" = 1' in next(sql for sql in counts[0] if sql.startswith('UPDATE "campaigns_contribution"'))
    assert '"counts_backer"' not in next(sql for sql in counts[1] if sql.startswith('UPDATE "campaigns_contribution"'))
    campaign.refresh_from_db()
    assert (campaign.amount_raised, campaign.contributor_count) == (300_00, 1)
    assert [c.counts_backer for c in Contribution.objects.order_by("created_at")] == [True, False]


def backed_by(campaign, count, amount):
    for backer in UserFactory.create_batch(count):
        contribution = services.contribution_start(campaign=campaign, contributor=backer, amount=amount)
        paid = engine.checkout_pay(order_id=contribution.payment.gateway_order_id, outcome="success")
        payment_services.payment_verify(payer=backer, order_id=paid["razorpay_order_id"],
                                        payment_id=paid["razorpay_payment_id"], signature=paid["razorpay_signature"])


@pytest.mark.parametrize("backers", [2, 6])
def test_the_contribution_that_funds_a_campaign_costs_the_same_whatever_its_backers(auth_client, user,
                                                                                   request_queries, backers):
    """The verify that reaches the target: the credit (its first counting update finds the target
    reached, a second counts it), the funding, then after commit the creator's notice of this contribution
    (before the announcement, so that they read them in order), the campaign's audience told in one insert
    (their preferences read at once) and the job opened. Was 2 more queries a backer."""
    campaign = CampaignFactory(target_amount=1000_00)
    backed_by(campaign, backers, 100_00)
    campaign.refresh_from_db()
    started, _ = ordered(auth_client, campaign, campaign.remaining_amount, request_queries)
    paid = engine.checkout_pay(order_id=started["order_id"], outcome="success")
    verified, queries = request_queries(lambda: auth_client.post("/api/v1/payments/verify", paid, format="json"))
    assert verified.status_code == 200
    assert len(queries) <= 19, listing(("funding verify", queries))
    campaign.refresh_from_db()
    assert (campaign.status, campaign.contributor_count) == ("funded", backers + 1)
    assert Notification.objects.filter(event="campaign.funded").count() == backers + 2  # the creator too
    told_creator = Notification.objects.filter(user=campaign.creator).order_by("created_at")
    assert [n.event for n in told_creator][-2:] == ["campaign.contribution_received", "campaign.funded"]
