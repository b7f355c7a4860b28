"""Deleting an account ends what the person ran and removes their photos; money records stay."""

import os

import pytest
from django.test import Client

from campaigns import notices, services
from campaigns.models import Campaign, Contribution
from marketplace.tests.factories import PASSWORD, UserFactory
from notifications.models import Notification
from payments import ledger
from payments.models import Refund

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db


def services_start(campaign, amount, contributor=None):
    return services.contribution_start(campaign=campaign, contributor=contributor or UserFactory(), amount=amount)


def _delete_account(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete("/api/v1/users/me", {"password": PASSWORD}, format="json")
    assert response.status_code in (200, 204), response.content


def test_deleting_an_account_cancels_its_campaigns_refunds_backers_and_removes_photos(
        auth_client, user, pay, django_capture_on_commit_callbacks):
    active = CampaignFactory(creator=user)
    backed = [pay(services_start(active, amount)) for amount in (1000_00, 250_00)]
    draft = CampaignFactory(creator=user, status=Campaign.Status.DRAFT)
    ended = CampaignFactory(creator=user, status=Campaign.Status.EXPIRED)
    someone_elses = CampaignFactory()
    own_contribution = pay(services_start(someone_elses, 100_00, contributor=user))
    photos = [campaign.photo.path for campaign in (active, draft, ended)]
    assert all(os.path.exists(path) for path in photos)

    _delete_account(auth_client, django_capture_on_commit_callbacks)

    statuses = dict(Campaign.objects.values_list("pk", "status"))
    assert (statuses[active.pk], statuses[draft.pk], statuses[ended.pk], statuses[someone_elses.pk]) == (
        "cancelled", "cancelled", "expired", "active")
    assert Campaign.objects.get(pk=active.pk).cancel_reason == notices.CREATOR_ACCOUNT_DELETED
    for contribution in backed:
        contribution.refresh_from_db()
        assert contribution.status == "refunded"  # refunding, then refunded as the refund task ran
    assert Refund.objects.filter(payment__in=[c.payment for c in backed]).count() == 2
    assert Notification.objects.filter(event="campaign.cancelled", user__in=[c.contributor for c in backed]).count() == 2
    assert not any(os.path.exists(path) for path in photos)
    assert not Campaign.objects.filter(creator=user).exclude(photo="").exists()
    assert Campaign.objects.get(pk=someone_elses.pk).photo  # other people's campaigns keep theirs
    own_contribution.refresh_from_db()
    assert own_contribution.status == "credited"  # a backer's own money record stays as it is
    assert not ledger.check().violations
    # Without their photo the campaigns still show, to the public and in the API.
    assert Client().get(f"/campaigns/{active.pk}/").status_code == 200
    assert Client().get("/campaigns/?status=cancelled").status_code == 200
    assert Client().get(f"/api/v1/campaigns/{active.pk}").json()["photo_url"] is None


def test_refunds_reach_refunded_once_processed(auth_client, user, pay, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(creator=user)
    contribution = pay(services_start(campaign, 500_00))
    _delete_account(auth_client, django_capture_on_commit_callbacks)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REFUNDED
    assert Refund.objects.get(payment=contribution.payment).status == "refunded"
