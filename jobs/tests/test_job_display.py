"""What jobs show people: readable rejection reasons in the queue and the API, time left only while a
job is on the clock, and dates in the site's one format."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cleanit.dates import format_datetime
from jobs import services
from jobs.models import Job, RejectionReason
from marketplace.tests.factories import AdminFactory

from .factories import funded_job, site_photo, verified_cleaner

pytestmark = pytest.mark.django_db

READABLE = "Choose a reason: poor quality, wrong location, fake completion, photo issues or other."


def completed_job(seed=1):
    cleaner = verified_cleaner()
    job = services.job_claim(job=funded_job(), cleaner=cleaner)
    return services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=seed))


def test_reject_without_a_reason_lists_readable_reasons_in_the_queue():
    job = completed_job()
    client = Client()
    client.force_login(AdminFactory())
    response = client.post(reverse("admin:dashboard_verification_queue"), {"job_id": job.pk, "action": "reject"})
    page = response.content.decode()
    assert response.status_code == 400 and READABLE in page
    assert "poor_quality, wrong_location" not in page  # the old message listed the codes
    assert Job.objects.get(pk=job.pk).status == "completed"


def test_reject_without_a_reason_through_the_api_says_the_same():
    job = completed_job()
    client = APIClient()
    client.force_authenticate(AdminFactory())
    response = client.post(f"/api/v1/admin/jobs/{job.pk}/verify", {"action": "reject"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"]["reason"] == [READABLE]
    assert set(RejectionReason.values) >= {"poor_quality", "other"}  # the codes the API takes stay the same


def test_time_left_only_while_the_job_is_claimed():
    cleaner = verified_cleaner()
    claimed = services.job_claim(job=funded_job(), cleaner=cleaner)
    client = Client()
    client.force_login(cleaner)
    running = client.get(reverse("jobs:detail", args=[claimed.pk])).content.decode()
    assert "data-countdown" in running and " left</span>" in running
    assert format_datetime(claimed.completion_deadline) in running

    done = services.job_complete(job=claimed, cleaner=cleaner, photo=site_photo(claimed, seed=3))
    assert done.completion_deadline is not None  # kept on the record, but no longer a countdown
    for url in (reverse("jobs:detail", args=[done.pk]), reverse("jobs:mine")):
        page = client.get(url).content.decode()
        assert "data-countdown" not in page and " left</span>" not in page, url
    assert f"<dt>Completed</dt><dd>{format_datetime(done.completed_at)}</dd>" in client.get(
        reverse("jobs:detail", args=[done.pk])).content.decode()

    services.job_verify(job=done, admin=AdminFactory(), action="approve")
    verified = client.get(reverse("jobs:detail", args=[done.pk])).content.decode()
    assert "data-countdown" not in verified and " left</span>" not in verified
