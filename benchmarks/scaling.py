"""Scaling run of the two batch jobs that grow with the data: the hourly auto-release of overdue
claims and the daily payout batch (through the payment simulator, webhooks processed in-process).
Each runs over 1,000 and then 10,000 items in a fresh SQLite database; the time should grow about
10x (linear), not faster. Prints one JSON list; benchmarks/run.py puts it in docs/benchmarks.md.

    DATABASE_URL=sqlite:////tmp/scale.db python benchmarks/scaling.py 1000 10000
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cleanit.settings")


def _setup():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", "-v", "0")


def _reset():
    from campaigns.models import Campaign
    from jobs.models import CleanerJobStats, Job
    from marketplace.models import CleanerKYC, User
    from notifications.models import Notification
    from payments.models import LedgerEntry, PayeeAccount, Payout, WebhookEvent
    from payments.simulator.models import SimPayout, SimWebhook

    for model in (Notification, WebhookEvent, SimWebhook, SimPayout, LedgerEntry, Payout, PayeeAccount, Job,
                  CleanerJobStats, CleanerKYC, Campaign):
        model.objects.all().delete()
    User.objects.filter(email__endswith="@scale.cleanit.in").delete()


def _seed(n: int, *, now):
    """n cleaners (KYC verified, with a fund account), n funded campaigns with held escrow, and one
    job per campaign, claimed with a deadline an hour ago; bulk-inserted (the batch jobs are measured,
    not the seeding)."""
    from campaigns.models import Campaign
    from jobs.models import CleanerJobStats, Job
    from marketplace.models import CleanerKYC, User
    from payments.models import LedgerEntry, PayeeAccount

    creator = User.objects.create_user(email="creator@scale.cleanit.in", password=None, name="Creator")
    cleaners = User.objects.bulk_create([User(email=f"c{i}@scale.cleanit.in", name=f"Cleaner {i}", role="cleaner")
                                         for i in range(n)])
    CleanerKYC.objects.bulk_create([CleanerKYC(user=c, id_type="pan", id_number_encrypted="x", id_number_masked="x",
                                               account_holder_name=c.name, payout_method="upi", status="verified",
                                               submitted_at=now) for c in cleaners])
    PayeeAccount.objects.bulk_create([PayeeAccount(user=c, contact_id=f"cont_{i}", fund_account_id=f"fa_{i:012d}",
                                                   mode="UPI", destination="UPI x") for i, c in enumerate(cleaners)])
    CleanerJobStats.objects.bulk_create([CleanerJobStats(user=c, active_claims=1, claims=1) for c in cleaners])
    campaigns = Campaign.objects.bulk_create([
        Campaign(creator=creator, title=f"Scale {i}", description="x" * 60, target_amount=1_000_00,
                 amount_raised=1_000_00, status="funded", latitude=12.9, longitude=77.6, address="Scale street",
                 photo="campaigns/scale.jpg", funded_at=now) for i in range(n)])
    LedgerEntry.objects.bulk_create([LedgerEntry(escrow_key=f"campaign:{c.pk}", kind="held", amount=1_000_00,
                                                 entry_key=f"held:scale:{c.pk}") for c in campaigns])
    Job.objects.bulk_create([
        Job(campaign=campaign, amount=950_00, platform_fee=50_00, expires_at=now + timedelta(days=90),
            status="claimed", claimed_by=cleaner, claimed_at=now - timedelta(days=7, hours=1),
            completion_deadline=now - timedelta(hours=1), claim_count=1)
        for campaign, cleaner in zip(campaigns, cleaners)])


def _schedule_payouts(jobs, *, now):
    from payments.models import Payout

    Payout.objects.bulk_create([
        Payout(payee_id=job.last_claimer_id, source_kind="job", source_id=str(job.pk), escrow_key=f"campaign:{job.campaign_id}",
               description="Scale payout", amount=job.amount, due_at=now, next_attempt_at=now) for job in jobs])


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(func):
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        summary = func().summary
        elapsed = time.perf_counter() - started
    return summary, round(elapsed, 2), counter.count


def measure(n: int) -> list[dict]:
    from django.utils import timezone

    from jobs.models import Job
    from jobs.services import jobs_auto_release
    from payments.models import Payout
    from payments.services import payouts_process

    _reset()
    now = timezone.now()
    _seed(n, now=now)
    results = []
    summary, seconds, queries = _timed(lambda: jobs_auto_release(now=now))
    assert Job.objects.filter(status="available").count() == n, summary
    results.append({"job": "hourly auto-release", "items": n, "seconds": seconds, "queries": queries,
                    "summary": summary})
    Job.objects.update(status="verified")  # payouts are for verified jobs (paid to the cleaner released above)
    _schedule_payouts(Job.objects.all(), now=now)
    summary, seconds, queries = _timed(lambda: payouts_process(now=now + timedelta(minutes=1)))
    assert Payout.objects.filter(status="paid").count() == n, summary
    results.append({"job": "payout batch (simulator, webhooks in-process)", "items": n, "seconds": seconds,
                    "queries": queries, "summary": summary})
    return results


def main(sizes: list[int]) -> None:
    os.environ.setdefault("PAYMENT_SIMULATOR_WEBHOOK_DELIVERY", "inprocess")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    _setup()
    results = [row for n in sizes for row in measure(n)]
    print(json.dumps(results))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
