"""Money under real concurrency (threads against live_server, file SQLite in WAL mode): every
credit exactly once, amounts exact, ledger invariant intact."""

import hashlib
import hmac
import json
import secrets
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Campaign, Contribution
from campaigns.tests.factories import CampaignFactory
from marketplace.services import auth_issue_tokens
from marketplace.tests.factories import UserFactory
from payments import ledger
from payments.models import LedgerEntry, Refund, WebhookEvent

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


def post(url, body: str, headers: dict):
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def checkout_result(order_id: str) -> dict:
    """What Checkout hands back after a successful payment: signed with the key secret."""
    payment_id = f"pay_{secrets.token_hex(7)}"
    signature = hmac.new(settings.RAZORPAY_KEY_SECRET.encode(), f"{order_id}|{payment_id}".encode(),
                         hashlib.sha256).hexdigest()
    return {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}


def captured_webhook(order_id: str, payment_id: str, amount: int) -> tuple[str, dict]:
    body = json.dumps({"entity": "event", "event": "payment.captured", "contains": ["payment"],
                       "payload": {"payment": {"entity": {"id": payment_id, "entity": "payment", "amount": amount,
                                                          "order_id": order_id, "status": "captured"}}}})
    signature = hmac.new(settings.RAZORPAY_WEBHOOK_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    return body, {"X-Razorpay-Signature": signature, "X-Razorpay-Event-Id": f"evt_{secrets.token_hex(7)}"}


def post_together(calls: list[tuple]) -> list[int]:
    """Send every (url, body, headers) call at the same instant, one thread each; their statuses in order."""
    barrier = threading.Barrier(len(calls))

    def fire(call):
        barrier.wait()
        return post(*call)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [status for status, _ in pool.map(fire, calls)]


def test_twenty_contributions_verified_and_webhooked_at_once(live_server):
    campaign = CampaignFactory(target_amount=50_000_00)
    calls = []
    for i in range(20):
        backer = UserFactory()
        contribution = campaign_services.contribution_start(campaign=campaign, contributor=backer,
                                                            amount=1_000_00 + i * 100)
        order_id = contribution.payment.gateway_order_id
        result = checkout_result(order_id)
        token = auth_issue_tokens(user=backer).access
        calls.append((f"{live_server.url}/api/v1/payments/verify", json.dumps(result),
                      {"Authorization": f"Bearer {token}"}))
        calls.append((f"{live_server.url}/api/v1/payments/webhook",
                      *captured_webhook(order_id, result["razorpay_payment_id"], contribution.amount)))
    statuses = post_together(calls)
    assert statuses == [200] * 40
    campaign.refresh_from_db()
    expected = sum(1_000_00 + i * 100 for i in range(20))
    assert campaign.amount_raised == expected and campaign.contributor_count == 20
    assert Contribution.objects.filter(campaign=campaign, status="credited").count() == 20
    assert LedgerEntry.objects.filter(kind="held").count() == 20
    assert not ledger.check().violations


def test_contributions_reaching_the_target_at_once_fund_it_once_and_count_each_backer_once(live_server):
    """Six backers, two contributions each, that together make the target exactly: every one verified and
    webhooked at the same instant."""
    from jobs.models import Job

    campaign = CampaignFactory(target_amount=12 * 1_000_00)
    calls = []
    for backer in UserFactory.create_batch(6):
        token = auth_issue_tokens(user=backer).access
        for _ in range(2):
            contribution = campaign_services.contribution_start(campaign=campaign, contributor=backer,
                                                                amount=1_000_00)
            result = checkout_result(contribution.payment.gateway_order_id)
            calls.append((f"{live_server.url}/api/v1/payments/verify", json.dumps(result),
                          {"Authorization": f"Bearer {token}"}))
            calls.append((f"{live_server.url}/api/v1/payments/webhook",
                          *captured_webhook(result["razorpay_order_id"], result["razorpay_payment_id"], 1_000_00)))
    statuses = post_together(calls)
    assert statuses == [200] * len(calls)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.amount_raised, campaign.contributor_count) == ("funded", 12 * 1_000_00, 6)
    assert Contribution.objects.filter(campaign=campaign, counts_backer=True).count() == 6 and Job.objects.filter(campaign=campaign).count() == 1
    assert Contribution.objects.filter(campaign=campaign, status="credited").count() == 12
    assert not ledger.check().violations


def test_same_webhook_five_times_at_once_credits_once(live_server):
    campaign = CampaignFactory(target_amount=50_000_00)
    contribution = campaign_services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=2_000_00)
    body, headers = captured_webhook(contribution.payment.gateway_order_id, "pay_samewebhook01", 2_000_00)
    barrier = threading.Barrier(5)

    def fire(_):
        barrier.wait()
        return post(f"{live_server.url}/api/v1/payments/webhook", body, headers)

    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(fire, range(5)))
    assert [status for status, _ in answers] == [200] * 5
    assert sorted(answer["status"] for _, answer in answers) == ["duplicate"] * 4 + ["processed"]
    campaign.refresh_from_db()
    assert campaign.amount_raised == 2_000_00 and WebhookEvent.objects.count() == 1
    assert not ledger.check().violations


def test_expiry_job_run_twice_at_once_changes_things_once(live_server):
    campaign = CampaignFactory(target_amount=10_000_00)
    for _ in range(3):
        contribution = campaign_services.contribution_start(campaign=campaign, contributor=UserFactory(),
                                                            amount=1_000_00)
        result = checkout_result(contribution.payment.gateway_order_id)
        from payments.services import payment_verify

        payment_verify(payer=contribution.contributor, order_id=result["razorpay_order_id"],
                       payment_id=result["razorpay_payment_id"], signature=result["razorpay_signature"])
    Campaign.objects.filter(pk=campaign.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=5))
    barrier = threading.Barrier(2)
    summaries = []

    def run():
        barrier.wait()
        try:
            summaries.append(campaign_services.campaigns_expire(now=timezone.now()).summary)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    campaign.refresh_from_db()
    assert campaign.status == "expired"
    assert sorted(summaries)[-1].endswith("1 expired and refunded") and sorted(summaries)[0].endswith("0 expired and refunded")
    assert Refund.objects.count() == 3  # one per contribution, however many runs
