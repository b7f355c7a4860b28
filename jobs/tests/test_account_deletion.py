"""Deleting a campaign creator's account, jobs side: unfinished work is withdrawn with the campaign;
a cleanup already done and waiting for verification is left to finish, so the cleaner is paid."""

import pytest

from campaigns.models import Campaign
from jobs import services
from jobs.models import Job
from marketplace import services as marketplace_services
from marketplace.tests.factories import PASSWORD, AdminFactory
from notifications.models import Notification
from payments.models import Payout

from .factories import funded_job, site_photo, verified_cleaner

pytestmark = pytest.mark.django_db


def _delete(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        marketplace_services.user_delete_account(user=user, password=PASSWORD)


def test_a_claimed_job_is_withdrawn_and_the_backers_refunded(django_capture_on_commit_callbacks):
    job = funded_job()
    cleaner = verified_cleaner()
    services.job_claim(job=job, cleaner=cleaner)
    _delete(job.campaign.creator, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.campaign.status) == ("failed", "cancelled")
    assert cleaner.job_stats.active_claims == 0
    assert Notification.objects.filter(user=cleaner, event="job.rejected", title__startswith="Job withdrawn").exists()


def test_a_done_cleanup_is_left_to_be_verified_and_paid(django_capture_on_commit_callbacks):
    job = funded_job()
    cleaner = verified_cleaner()
    job = services.job_claim(job=job, cleaner=cleaner)
    job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))
    creator = job.campaign.creator
    _delete(creator, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.campaign.status) == ("completed", Campaign.Status.FUNDED)
    assert not job.campaign.photo  # the creator's photo goes all the same
    job = services.job_verify(job=Job.objects.get(pk=job.pk), admin=AdminFactory(), action="approve")
    assert job.status == "verified" and Payout.objects.filter(source_id=str(job.pk)).exists()
