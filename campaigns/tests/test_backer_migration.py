"""Migration 0004: the backer rows become a mark on one credited contribution of each backer, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.models import Contribution
from marketplace.tests.factories import UserFactory

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("campaigns", "0003_campaign_city")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def contribution(campaign, contributor, status, credited_minutes_ago=None):
    from django.utils import timezone
    credited_at = timezone.now() - timezone.timedelta(minutes=credited_minutes_ago) if credited_minutes_ago else None
    return Contribution.objects.create(campaign=campaign, contributor=contributor, amount=100_00, status=status,
                                       credited_at=credited_at)


def test_backer_rows_become_the_mark_of_each_backers_first_credited_contribution_and_back():
    campaign, other = CampaignFactory(), CampaignFactory()
    asha, ravi, latecomer = UserFactory(), UserFactory(), UserFactory()
    asha_failed = contribution(campaign, asha, "failed")
    asha_second = contribution(campaign, asha, "credited", credited_minutes_ago=5)
    asha_first = contribution(campaign, asha, "refunded", credited_minutes_ago=50)
    ravi_only = contribution(other, ravi, "credited", credited_minutes_ago=1)
    never_counted = contribution(campaign, latecomer, "pending")
    try:
        old_apps = migrate(BEFORE)
        backer = old_apps.get_model("campaigns", "CampaignBacker")
        backer.objects.bulk_create([backer(campaign_id=campaign.pk, user_id=asha.pk),
                                    backer(campaign_id=other.pk, user_id=ravi.pk)])
    finally:
        migrate(latest())
    marked = set(Contribution.objects.filter(counts_backer=True).values_list("pk", flat=True))
    assert marked == {asha_first.pk, ravi_only.pk}
    assert {asha_failed.pk, asha_second.pk, never_counted.pk}.isdisjoint(marked)

    try:
        old_apps = migrate(BEFORE)
        rows = set(old_apps.get_model("campaigns", "CampaignBacker").objects.values_list("campaign_id", "user_id"))
        assert rows == {(campaign.pk, asha.pk), (other.pk, ravi.pk)}
    finally:
        migrate(latest())
