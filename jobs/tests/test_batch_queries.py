"""Issue 12: the batch jobs that grow with the data cost a fixed number of queries per item, counted
as in production (committing, the in-process webhook included, the payment simulator's own writes
left out): a job's payout at most 12, an auto-released claim at most 6; and N items cost N times that
plus a constant (the batch's reads and sums, one notification insert per chunk)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from jobs import services
from jobs.models import CleanerJobStats, Job
from jobs.services import release
from marketplace.tests.factories import AdminFactory
from notifications.models import Notification
from payments.models import LedgerEntry, Payout, WebhookEvent
from payments.services import payouts, payouts_process
from tests.queries import app_queries, listing, per_item

from .factories import funded_job, site_photo, verified_cleaner

pytestmark = pytest.mark.django_db(transaction=True)

PAYOUT_QUERIES = 12
RELEASE_QUERIES = 6
# Besides the items: the payout batch reads its due payouts twice (a batch, then none left) and sums
# what waits and what is flagged; the sweep reads its chunk, stores the chunk's notices, flags expired
# jobs and tells the cleaners that jobs are back on the board.
PAYOUT_BATCH_CONSTANT = 6
RELEASE_RUN_CONSTANT = 13


def approved_job(seed):
    cleaner = verified_cleaner()
    job = services.job_claim(job=funded_job(), cleaner=cleaner)
    job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=seed))
    return services.job_verify(job=job, admin=AdminFactory(), action="approve")


def due_time(jobs):
    return max(Payout.objects.filter(source_id__in=[str(job.pk) for job in jobs]).values_list("due_at", flat=True)) \
        + timedelta(minutes=1)


def test_a_job_payout_is_paid_in_at_most_12_app_queries():
    job = approved_job(seed=1)
    now = due_time([job])
    with per_item(payouts, "payout_attempt") as calls:
        result = payouts_process(now=now)
    assert "attempted 1" in result.summary
    assert len(calls) == 1 and len(calls[0]) <= PAYOUT_QUERIES, listing(calls[0])
    payout = Payout.objects.get(source_id=str(job.pk))
    assert payout.status == "paid" and payout.gateway_payout_id
    assert Job.objects.get(pk=job.pk).status == "paid"
    assert Campaign.objects.get(pk=job.campaign_id).status == "closed"
    assert LedgerEntry.objects.filter(kind="paid_out", reference=f"payout:{payout.pk}").count() == 1
    assert Notification.objects.filter(user=job.claimed_by, event="payout.paid").count() == 1
    event = WebhookEvent.objects.get(event_type="payout.processed")
    assert (event.attempts, event.outcome) == (1, "paid") and event.processed_at


def test_three_job_payouts_cost_three_times_one():
    jobs = [approved_job(seed=seed) for seed in (1, 2, 3)]
    now = due_time(jobs)
    with CaptureQueriesContext(connection) as queries:
        payouts_process(now=now)
    counted = app_queries(queries.captured_queries)
    assert len(counted) <= 3 * PAYOUT_QUERIES + PAYOUT_BATCH_CONSTANT, listing(counted)
    assert Payout.objects.filter(status="paid").count() == 3
    assert Job.objects.filter(status="paid").count() == 3


def overdue_claims(count):
    jobs = [services.job_claim(job=funded_job(), cleaner=verified_cleaner()) for _ in range(count)]
    return jobs, max(job.completion_deadline for job in jobs) + timedelta(minutes=1)


def test_an_overdue_claim_is_released_in_at_most_6_queries():
    (job,), later = overdue_claims(1)
    with per_item(release, "_release_overdue") as calls:
        assert "released 1" in services.jobs_auto_release(now=later).summary
    assert len(calls) == 1 and len(calls[0]) <= RELEASE_QUERIES, listing(calls[0])
    job.refresh_from_db()
    assert (job.status, job.release_count, job.claimed_by) == ("available", 1, None)
    stats = CleanerJobStats.objects.get(user=job.last_claimer)
    assert (stats.active_claims, stats.penalties, stats.releases) == (0, 1, 1)
    assert Notification.objects.filter(user=job.last_claimer, event="job.auto_released").count() == 1


def test_three_overdue_claims_cost_three_times_one():
    jobs, later = overdue_claims(3)
    with CaptureQueriesContext(connection) as queries:
        assert "released 3" in services.jobs_auto_release(now=later).summary
    counted = app_queries(queries.captured_queries)
    assert len(counted) <= 3 * RELEASE_QUERIES + RELEASE_RUN_CONSTANT, listing(counted)
    assert Notification.objects.filter(event="job.auto_released").count() == 3
