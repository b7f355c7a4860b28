"""Claims under real concurrency (threads against live_server, file SQLite in WAL mode): one job,
one winner; one cleaner, at most 5 active claims."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from jobs.models import CleanerJobStats, Job
from jobs.tests.factories import funded_job, verified_cleaner
from marketplace.services import auth_issue_tokens

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


def claim(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=b"", method="POST", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def all_at_once(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_fifty_cleaners_claim_one_job_exactly_one_wins(live_server):
    job = funded_job()
    tokens = [auth_issue_tokens(user=verified_cleaner()).access for _ in range(50)]
    url = f"{live_server.url}/api/v1/jobs/{job.pk}/claim"
    results = all_at_once([lambda t=t: claim(url, t) for t in tokens])
    statuses = sorted(status for status, _ in results)
    assert statuses.count(200) == 1 and statuses.count(409) == 49, statuses
    assert {body["error"]["code"] for status, body in results if status == 409} == {"already_claimed"}
    job.refresh_from_db()
    assert job.status == "claimed" and job.claim_count == 1
    winner = next(body for status, body in results if status == 200)
    assert winner["claimed_by"] == str(job.claimed_by_id)
    assert sum(CleanerJobStats.objects.values_list("active_claims", flat=True)) == 1


def test_one_cleaner_claiming_six_jobs_at_once_gets_at_most_five(live_server):
    cleaner = verified_cleaner()
    jobs = [funded_job() for _ in range(6)]
    token = auth_issue_tokens(user=cleaner).access
    results = all_at_once([lambda j=j: claim(f"{live_server.url}/api/v1/jobs/{j.pk}/claim", token) for j in jobs])
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 5 + [429], statuses
    assert Job.objects.filter(claimed_by=cleaner, status="claimed").count() == 5
    assert CleanerJobStats.objects.get(user=cleaner).active_claims == 5
