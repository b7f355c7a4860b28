"""Payouts for verified jobs, end to end through the simulator: the daily batch, idempotency under
faults and crashes, payout webhooks (hand-signed), reversal, admin retry and reconciliation."""

import hashlib
import hmac
import json
import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from cleanit.money import format_inr
from jobs import services
from jobs.models import Job
from marketplace import services as marketplace_services
from marketplace.models import CleanerKYC
from marketplace.tests.factories import AdminFactory
from notifications.models import Notification
from payments import gateway, ledger, selectors
from payments import services as payment_services
from payments.models import LedgerEntry, Payout, ReconciliationMismatch, WebhookEvent
from payments.reconciliation import reconcile
from payments.simulator import engine
from payments.simulator.models import SimPayout

from .factories import funded_job, site_photo, verified_cleaner

pytestmark = pytest.mark.django_db
WEBHOOK = "/api/v1/payments/webhook"


def approved_job(cleaner=None, seed=1, target=10_000_00):
    cleaner = cleaner or verified_cleaner()
    job = services.job_claim(job=funded_job(target=target), cleaner=cleaner)
    job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=seed))
    return services.job_verify(job=job, admin=AdminFactory(), action="approve")


def due(payout_or_job):
    payout = payout_or_job if isinstance(payout_or_job, Payout) else Payout.objects.get(source_id=str(payout_or_job.pk))
    return payout.due_at + timedelta(minutes=1)


def process(now, capture):
    with capture(execute=True):
        return payment_services.payouts_process(now=now)


def hand_signed(client, event_type, payout_entity, event_id=None):
    body = json.dumps({"entity": "event", "account_id": "acc_BFQ7uQEaa7j2z7", "event": event_type,
                       "contains": ["payout"], "payload": {"payout": {"entity": payout_entity}},
                       "created_at": int(time.time())})
    signature = hmac.new(settings.RAZORPAY_WEBHOOK_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    return client.post(WEBHOOK, body, content_type="application/json", HTTP_X_RAZORPAY_SIGNATURE=signature,
                       HTTP_X_RAZORPAY_EVENT_ID=event_id or f"evt_{time.time_ns()}")


def entity_of(payout, status, **extra):
    payout.refresh_from_db()
    return {"id": payout.gateway_payout_id, "entity": "payout", "fund_account_id": payout.fund_account_id,
            "amount": payout.amount, "currency": "INR", "notes": {"payout_id": str(payout.pk)}, "fees": 590, "tax": 90,
            "status": status, "purpose": "payout", "utr": "SBIN123456789012", "mode": payout.mode,
            "reference_id": payout.pk.hex, "narration": "Cleanit payout", "batch_id": None,
            "status_details": None, "created_at": int(time.time()), **extra}


class TestDailyBatch:
    def test_paid_after_24_hours_then_job_paid_and_campaign_closed(self, django_capture_on_commit_callbacks):
        job = approved_job()
        payout = Payout.objects.get(source_id=str(job.pk))
        assert "attempted 0" in process(payout.due_at - timedelta(minutes=1), django_capture_on_commit_callbacks).summary
        result = process(due(payout), django_capture_on_commit_callbacks)
        assert "attempted 1" in result.summary and result.ok
        payout.refresh_from_db()
        assert payout.status == "paid" and payout.utr and payout.gateway_payout_id.startswith("pout_")
        assert Job.objects.get(pk=job.pk).status == "paid"
        assert Campaign.objects.get(pk=job.campaign_id).status == "closed"
        entry = LedgerEntry.objects.get(kind="paid_out")
        assert (entry.amount, entry.escrow_key) == (job.amount, job.campaign.escrow_key)
        assert ledger.escrow_balance(job.campaign.escrow_key).still_held == 0
        assert Notification.objects.filter(user=job.claimed_by, event="payout.paid").exists()
        assert SimPayout.objects.count() == 1
        assert "attempted 0" in process(due(payout) + timedelta(days=1), django_capture_on_commit_callbacks).summary

    def test_waits_while_kyc_is_not_verified(self, django_capture_on_commit_callbacks):
        cleaner = verified_cleaner()
        job = approved_job(cleaner)
        marketplace_services.kyc_submit(user=cleaner, id_type="pan", id_number="ABCPE1234F",
                                        account_holder_name=cleaner.name, upi_id="new.id@okaxis")
        result = process(due(job), django_capture_on_commit_callbacks)
        assert "attempted 0" in result.summary and "1 due but waiting for KYC" in result.summary, result.summary
        marketplace_services.kyc_review(kyc=CleanerKYC.objects.get(user=cleaner), admin=AdminFactory(),
                                        action="verify")
        process(due(job), django_capture_on_commit_callbacks)
        payout = Payout.objects.get(source_id=str(job.pk))
        assert payout.status == "paid" and payout.mode == "UPI"

    def test_batches_of_ten_until_none_is_due(self, django_capture_on_commit_callbacks, monkeypatch):
        cleaner = verified_cleaner()
        for seed in range(12):
            job = approved_job(verified_cleaner() if seed % 5 == 4 else cleaner, seed=seed + 10)
        batches = []
        original = payment_services.payouts._due_payouts

        def spy(now):
            fresh, unanswered = original(now)
            batches.append(fresh.count())
            return fresh, unanswered

        monkeypatch.setattr(payment_services.payouts, "_due_payouts", spy)
        process(due(job), django_capture_on_commit_callbacks)
        assert Payout.objects.filter(status="paid").count() == 12
        assert batches[:3] == [12, 2, 0]

    def test_a_payout_changed_since_the_batch_read_it_is_not_sent_as_read(self, django_capture_on_commit_callbacks):
        job = approved_job()
        stale = Payout.objects.get(source_id=str(job.pk))
        Payout.objects.filter(pk=stale.pk).update(generation=2)  # a bank failure's new attempt, meanwhile
        with django_capture_on_commit_callbacks(execute=True):
            assert payment_services.payout_attempt(payout=stale, now=due(stale)) is None
        assert not SimPayout.objects.exists() and Payout.objects.get(pk=stale.pk).attempts == 0
        process(due(stale), django_capture_on_commit_callbacks)
        payout = Payout.objects.get(pk=stale.pk)
        assert (payout.status, payout.attempts) == ("paid", 1)
        assert SimPayout.objects.get().idempotency_key == f"{payout.pk.hex}-2"

    def test_retried_with_backoff_then_flagged(self, django_capture_on_commit_callbacks, settings):
        job = approved_job()
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        now = due(job)
        for attempt in range(1, 5):
            result = process(now, django_capture_on_commit_callbacks)
            payout = Payout.objects.get(source_id=str(job.pk))
            assert payout.attempts == attempt
            now = payout.next_attempt_at
        assert payout.status == "failed" and payout.flagged and result.problems
        assert Notification.objects.filter(user=job.claimed_by, event="payout.failed").exists()
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
        assert payment_services.payout_retry(payout=payout, actor=AdminFactory(), note="bank was down")
        process(now, django_capture_on_commit_callbacks)
        payout.refresh_from_db()
        # never confirmed by the gateway: the same key again, so a payout made after all is not made twice
        assert payout.status == "paid" and payout.generation == 1 and payout.audit_entries.count() == 1
        assert SimPayout.objects.count() == 1

    def test_admin_retry_after_lost_answers_never_pays_twice(self, django_capture_on_commit_callbacks, settings):
        job = approved_job()
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        settings.PAYMENT_SIMULATOR_FAILURE_MODE = "timeout"  # RazorpayX pays; every answer is lost
        now = due(job)
        for _ in range(4):
            payment_services.payouts_process(now=now)  # webhooks held back too
            now = Payout.objects.get(source_id=str(job.pk)).next_attempt_at + timedelta(seconds=1)
        payout = Payout.objects.get(source_id=str(job.pk))
        assert payout.status == "failed" and payout.flagged and SimPayout.objects.count() == 1
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
        payment_services.payout_retry(payout=payout, actor=AdminFactory(), note="try again")
        process(now, django_capture_on_commit_callbacks)
        assert Payout.objects.get(pk=payout.pk).status == "paid" and SimPayout.objects.count() == 1


class TestFaults:
    def test_30_percent_of_payout_calls_failing_still_pays_each_exactly_once(
            self, django_capture_on_commit_callbacks, settings):
        jobs = [approved_job(seed=seed) for seed in range(20, 32)]
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0.3
        settings.PAYMENT_SIMULATOR_FAILURE_MODE = "mixed"  # errors before, and lost responses after, the work
        engine._random.seed(20261122)
        now = due(jobs[-1])
        for _ in range(30):
            process(now, django_capture_on_commit_callbacks)
            for payout in Payout.objects.filter(status="failed", flagged=True):
                payment_services.payout_retry(payout=payout, actor=AdminFactory(), note="retry")
            if not Payout.objects.exclude(status="paid").exists():
                break
            now += timedelta(hours=2)
        assert Payout.objects.filter(status="paid").count() == len(jobs)
        paid_to = {payout.fund_account_id for payout in SimPayout.objects.all()}
        assert SimPayout.objects.count() == len(jobs) and len(paid_to) == len(jobs)
        assert Job.objects.filter(status="paid").count() == len(jobs)
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 0
        assert not ledger.check().violations
        assert reconcile(now=now + timedelta(hours=2)).problems == []

    def test_batch_interrupted_halfway_then_rerun(self, django_capture_on_commit_callbacks, monkeypatch):
        jobs = [approved_job(seed=seed) for seed in range(40, 46)]
        real = gateway.create_payout
        calls = []

        def crash_on_fourth(**kwargs):
            result = real(**kwargs)  # the payout is made at RazorpayX...
            calls.append(kwargs["idempotency_key"])
            if len(calls) == 4:
                raise RuntimeError("worker killed")  # ...and the worker dies before recording the answer
            return result

        monkeypatch.setattr(gateway, "create_payout", crash_on_fourth)
        now = due(jobs[-1])
        with pytest.raises(RuntimeError):
            payment_services.payouts_process(now=now)  # the webhooks of this run are lost with the worker
        monkeypatch.setattr(gateway, "create_payout", real)
        assert Payout.objects.filter(status="processing").count() == 4
        process(now + timedelta(minutes=1), django_capture_on_commit_callbacks)  # lease not over: not resent
        assert Payout.objects.filter(status="processing", gateway_payout_id__isnull=True).count() == 1
        process(now + payment_services.PAYOUT_LEASE + timedelta(minutes=2), django_capture_on_commit_callbacks)
        assert Payout.objects.filter(status="paid").count() == len(jobs)
        assert SimPayout.objects.count() == len(jobs)
        assert reconcile(now=now + timedelta(hours=3)).problems == []


class TestWebhooks:
    def _sent(self, capture):
        job = approved_job()
        payout = Payout.objects.get(source_id=str(job.pk))
        payment_services.payouts_process(now=due(payout))  # webhooks not delivered: the test sends them
        payout.refresh_from_db()
        assert payout.status == "processing" and payout.gateway_payout_id
        return job, payout

    def test_processed_duplicates_and_replays(self, client, django_capture_on_commit_callbacks):
        job, payout = self._sent(django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            response = hand_signed(client, "payout.processed", entity_of(payout, "processed"), event_id="evt_p1")
        assert response.status_code == 200
        assert hand_signed(client, "payout.processed", entity_of(payout, "processed"), event_id="evt_p1").json()[
            "status"] == "duplicate"
        assert hand_signed(client, "payout.processed", entity_of(payout, "processed")).status_code == 200
        payout.refresh_from_db()
        assert payout.status == "paid" and payout.utr == "SBIN123456789012"
        assert LedgerEntry.objects.filter(kind="paid_out").count() == 1
        assert Job.objects.get(pk=job.pk).status == "paid"

    def test_amount_mismatch_is_ignored(self, client, django_capture_on_commit_callbacks):
        _, payout = self._sent(django_capture_on_commit_callbacks)
        hand_signed(client, "payout.processed", entity_of(payout, "processed", amount=1))
        assert Payout.objects.get(pk=payout.pk).status == "processing"

    def test_failed_is_retried_with_a_new_key_then_flagged(self, client, django_capture_on_commit_callbacks):
        _, payout = self._sent(django_capture_on_commit_callbacks)
        first_key = payout.idempotency_key
        details = {"description": "Beneficiary bank offline", "source": "beneficiary_bank", "reason": "bank_offline"}
        hand_signed(client, "payout.failed", entity_of(payout, "failed", status_details=details))
        payout.refresh_from_db()
        assert payout.status == "pending" and payout.generation == 2 and payout.gateway_payout_id is None
        assert payout.idempotency_key != first_key and "Beneficiary bank offline" in payout.last_error
        Payout.objects.filter(pk=payout.pk).update(attempts=Payout.MAX_RETRIES)
        result = payment_services.payouts_process(now=due(payout) + timedelta(hours=1))
        assert "attempted 1" in result.summary, result.summary
        hand_signed(client, "payout.failed", entity_of(payout, "failed", status_details=details))
        payout.refresh_from_db()
        assert payout.status == "failed" and payout.flagged

    def test_stale_failed_after_processed_changes_nothing(self, client, django_capture_on_commit_callbacks):
        _, payout = self._sent(django_capture_on_commit_callbacks)
        hand_signed(client, "payout.processed", entity_of(payout, "processed"))
        hand_signed(client, "payout.failed", entity_of(payout, "failed"))
        assert Payout.objects.get(pk=payout.pk).status == "paid"

    def test_reversed_after_processed_reopens_for_an_admin(self, client, django_capture_on_commit_callbacks):
        job, payout = self._sent(django_capture_on_commit_callbacks)
        hand_signed(client, "payout.processed", entity_of(payout, "processed"))
        with django_capture_on_commit_callbacks(execute=True):
            hand_signed(client, "payout.reversed", entity_of(payout, "reversed"))
        payout.refresh_from_db()
        assert payout.status == "failed" and payout.flagged and payout.reversed_at
        assert Job.objects.get(pk=job.pk).status == "verified"
        assert Campaign.objects.get(pk=job.campaign_id).status == "completed"
        assert ledger.escrow_balance(job.campaign.escrow_key).still_held == job.amount
        hand_signed(client, "payout.processed", entity_of(payout, "processed"))  # late replay: final stays final
        assert Payout.objects.get(pk=payout.pk).status == "failed"
        assert Notification.objects.filter(user=job.claimed_by, event="payout.failed").exists()
        payment_services.payout_retry(payout=payout, actor=AdminFactory(), note="cleaner fixed the account")
        process(timezone.now() + timedelta(days=2), django_capture_on_commit_callbacks)
        assert Payout.objects.get(pk=payout.pk).status == "paid"
        assert Job.objects.get(pk=job.pk).status == "paid"
        assert ledger.escrow_balance(job.campaign.escrow_key).still_held == 0

    def test_reversed_before_processed_never_pays(self, client, django_capture_on_commit_callbacks):
        _, payout = self._sent(django_capture_on_commit_callbacks)
        hand_signed(client, "payout.reversed", entity_of(payout, "reversed"))
        hand_signed(client, "payout.processed", entity_of(payout, "processed"))
        payout.refresh_from_db()
        assert payout.status == "failed" and not LedgerEntry.objects.filter(kind="paid_out").exists()

    def test_unknown_payout_and_bad_signature(self, client):
        response = hand_signed(client, "payout.processed", {"id": "pout_unknown", "amount": 100, "notes": []})
        assert response.status_code == 200
        assert WebhookEvent.objects.get().outcome == "ignored: unknown payout"
        response = client.post(WEBHOOK, json.dumps({"event": "payout.processed"}), content_type="application/json",
                               HTTP_X_RAZORPAY_SIGNATURE="0" * 64)
        assert response.status_code == 400 and WebhookEvent.objects.count() == 1

    def test_simulator_sends_failed_and_reversed_too(self, django_capture_on_commit_callbacks):
        _, payout = self._sent(django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            engine.payout_outcome(payout_id=payout.gateway_payout_id, outcome="reversed")
        assert Payout.objects.get(pk=payout.pk).reversed_at is not None


class TestReconciliation:
    def test_clean_run_then_mismatches_listed_and_command_fails(self, django_capture_on_commit_callbacks):
        job = approved_job()
        process(due(job), django_capture_on_commit_callbacks)
        call_command("run_periodic", "payments.reconcile")  # clean: no error
        payout = Payout.objects.get(source_id=str(job.pk))
        SimPayout.objects.filter(pk=payout.gateway_payout_id).update(status="reversed")  # the bank's side changed
        with pytest.raises(CommandError) as exc:
            call_command("run_periodic", "payments.reconcile")
        assert exc.value.returncode == 2
        mismatch = ReconciliationMismatch.objects.get()
        assert (mismatch.kind, mismatch.object_id, mismatch.theirs) == ("payout", str(payout.pk), f"reversed {payout.amount}")

    def test_missed_capture_is_a_mismatch(self):
        from campaigns import services as campaign_services
        from campaigns.tests.factories import CampaignFactory
        from marketplace.tests.factories import UserFactory

        contribution = campaign_services.contribution_start(campaign=CampaignFactory(), contributor=UserFactory(),
                                                            amount=500_00)
        engine.checkout_pay(order_id=contribution.payment.gateway_order_id, outcome="success")  # webhook lost
        result = reconcile(now=timezone.now() + timedelta(hours=2))
        assert len(result.problems) == 1 and "never credited" in result.problems[0]

    def test_unanswered_gateway_is_reported(self, settings):
        approved_job()
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        result = reconcile()
        assert result.problems and all("did not answer" in p for p in result.problems)


class TestMoneyShownForAReversedPayout:
    """A payout the bank returned is not money released: not on its receipt, not in the overview's
    chart, its table or its totals."""

    def test_receipt_and_financial_overview(self, client, django_capture_on_commit_callbacks):
        kept, returned = approved_job(seed=1), approved_job(seed=2)
        payouts = {job: Payout.objects.get(source_id=str(job.pk)) for job in (kept, returned)}
        process(max(due(kept), due(returned)), django_capture_on_commit_callbacks)
        reversed_payout = payouts[returned]
        reversed_payout.refresh_from_db()
        # Paid two months ago (IST), returned by the bank now.
        two_months_ago = timezone.localtime() - timedelta(days=62)
        LedgerEntry.objects.filter(reference=f"payout:{reversed_payout.pk}").update(created_at=two_months_ago)
        with django_capture_on_commit_callbacks(execute=True):
            engine.payout_outcome(payout_id=reversed_payout.gateway_payout_id, outcome="reversed")
        reversed_payout.refresh_from_db()
        assert reversed_payout.status == "failed" and reversed_payout.reversed_at

        client.force_login(returned.claimed_by)
        receipt = client.get(reverse("payments:payout_receipt", args=[reversed_payout.pk])).content.decode()
        assert "Paid to" not in receipt and "Returned by the bank on" in receipt
        assert reversed_payout.receipt_number in receipt
        client.force_login(kept.claimed_by)
        assert "Paid to" in client.get(reverse("payments:payout_receipt", args=[payouts[kept].pk])).content.decode()

        overview = selectors.financial_overview()
        fees = kept.platform_fee + returned.platform_fee
        assert (overview["paid_out"], overview["fees"]) == (kept.amount, fees)
        assert overview["released"] == kept.amount + fees
        assert overview["escrow_balance"] == sum(b.still_held for b in ledger.balances().values()) == returned.amount
        assert len(overview["monthly"]) >= 3  # two months ago, the month between, this month
        paid_month = next(m for m in overview["monthly"]
                          if m["period"] == f"{two_months_ago.year:04d}-{two_months_ago.month:02d}")
        assert paid_month["paid_out"] == 0 and paid_month["released"] == 0

        client.force_login(AdminFactory())
        page = client.get(reverse("admin:dashboard_financial_overview")).content.decode()
        chart = json.loads(re.search(r'id="chart-data" type="application/json">(.*?)</script>', page).group(1))
        assert chart["labels"] == [m["label"] for m in overview["monthly"]]
        assert chart["released"] == [m["released"] / 100 for m in overview["monthly"]]
        assert sum(chart["released"]) * 100 == overview["released"]
        rows = re.findall(r'<tr><th scope="row">([A-Z][a-z]{2} \d{4})</th>((?:<td>.*?</td>){5})</tr>', page)
        assert [label for label, _ in rows] == chart["labels"]
        assert all(re.findall(r"<td>(.*?)</td>", cells)[4] == format_inr(int(round(released * 100)))
                   for (_, cells), released in zip(rows, chart["released"]))
        assert f"<td>{format_inr(kept.amount)}</td>" in page
