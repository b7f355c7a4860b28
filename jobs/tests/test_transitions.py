"""The job state machine: every move of the table, and only those."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory
from jobs.models import Job
from tests.statemachine import walk_transition_table

pytestmark = pytest.mark.django_db


def test_job_table():
    def make(status):
        campaign = CampaignFactory(status=Campaign.Status.FUNDED)
        return Job.objects.create(campaign=campaign, amount=95_00, platform_fee=5_00, status=status,
                                  expires_at=timezone.now() + timedelta(days=90))

    assert walk_transition_table(Job, make) == 10
