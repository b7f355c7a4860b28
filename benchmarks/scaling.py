"""Scaling run of the two batch jobs that grow with the data: the hourly auto-release of overdue
claims and the daily payout batch (through the payment simulator, webhooks processed in-process).
Each runs over 1,000 and then 10,000 items in a fresh SQLite database; the time should grow about
10x (linear), not faster, and the memory not at all. Prints one JSON list; benchmarks/run.py puts it
in docs/benchmarks.md.

Per run: the queries, also without the payment simulator's own ("app_queries": the simulator stands
in for RazorpayX, whose writes are not ours in production; the webhooks it sends are the app's), the
process's peak RSS so far (ru_maxrss) and its RSS (VmRSS) at the start, every 1,000 items and at the end.

    DATABASE_URL=sqlite:////tmp/scale.db python benchmarks/scaling.py 1000 10000
"""

from __future__ import annotations

import json
import os
import resource
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


RSS_EVERY = 1000  # items between two RSS samples


class QueryCounter:
    """Every query, and those on the simulator's tables apart (a BEGIN counts for the side whose
    statement follows it: the simulator opens its own transactions)."""

    def __init__(self):
        self.count = self.simulator = 0
        self.begun = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if sql.startswith("BEGIN"):
            self.begun += 1
        else:
            if '"payments_sim' in sql:
                self.simulator += 1 + self.begun
            self.begun = 0
        return execute(sql, params, many, context)


def rss_mb() -> float:
    """This process's resident memory now (VmRSS, Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class RssSampler:
    """Wraps the function a batch job calls once per item (module.name) to sample RSS every
    RSS_EVERY items."""

    def __init__(self, module, name: str):
        self.module, self.name, self.items, self.samples = module, name, 0, []
        self.original = getattr(module, name)

    def __enter__(self):
        def counted(*args, **kwargs):
            try:
                return self.original(*args, **kwargs)
            finally:
                self.items += 1
                if self.items % RSS_EVERY == 0:
                    self.samples.append(rss_mb())

        self.samples.append(rss_mb())
        setattr(self.module, self.name, counted)
        return self

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.original)
        self.samples.append(rss_mb())


def _timed(func, per_item: tuple) -> dict:
    from django.db import connection

    counter = QueryCounter()
    with RssSampler(*per_item) as rss, connection.execute_wrapper(counter):
        started = time.perf_counter()
        summary = func().summary
        elapsed = time.perf_counter() - started
    return {"seconds": round(elapsed, 2), "queries": counter.count, "app_queries": counter.count - counter.simulator,
            "summary": summary, "peak_rss_mb": peak_rss_mb(), "rss_mb_start": rss.samples[0],
            "rss_mb_middle": rss.samples[len(rss.samples) // 2], "rss_mb_end": rss.samples[-1],
            "rss_mb_samples": rss.samples}


def measure(n: int) -> list[dict]:
    from django.utils import timezone

    from campaigns.models import Campaign
    from jobs.models import Job
    from jobs.services import jobs_auto_release, release
    from payments.models import Payout
    from payments.services import payouts, payouts_process

    _reset()
    now = timezone.now()
    _seed(n, now=now)
    results = []
    run = _timed(lambda: jobs_auto_release(now=now), per_item=(release, "_release_overdue"))
    assert Job.objects.filter(status="available").count() == n, run["summary"]
    results.append({"job": "hourly auto-release", "items": n, **run})
    # Payouts are for verified jobs (paid to the cleaner released above) of cleaned campaigns.
    Job.objects.update(status="verified")
    Campaign.objects.update(status="completed")
    _schedule_payouts(Job.objects.all(), now=now)
    run = _timed(lambda: payouts_process(now=now + timedelta(minutes=1)), per_item=(payouts, "payout_attempt"))
    assert Payout.objects.filter(status="paid").count() == n, run["summary"]
    results.append({"job": "payout batch (simulator, webhooks in-process)", "items": n, **run})
    return results


def main(sizes: list[int]) -> None:
    os.environ.setdefault("PAYMENT_SIMULATOR_WEBHOOK_DELIVERY", "inprocess")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    _setup()
    results = [row for n in sizes for row in measure(n)]
    print(json.dumps(results))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
