"""The campaign and contribution state machines: every move of the tables, and only those."""

import pytest

from campaigns.models import Campaign, Contribution
from marketplace.tests.factories import UserFactory
from tests.statemachine import walk_transition_table

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_campaign_table():
    assert walk_transition_table(Campaign, lambda status: CampaignFactory(status=status)) == 9


def test_contribution_table():
    campaign = CampaignFactory()

    def make(status):
        return Contribution.objects.create(campaign=campaign, contributor=UserFactory(), amount=10_00, status=status)

    assert walk_transition_table(Contribution, make) == 6
