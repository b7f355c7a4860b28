from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns import services
from campaigns.selectors import campaign_audience
from campaigns.models import Campaign, Contribution
from cleanit import errors
from marketplace.tests.factories import AdminFactory, UserFactory
from notifications.models import Notification
from payments.models import Refund

from .factories import CampaignFactory, photo_upload

pytestmark = pytest.mark.django_db

VALID = dict(title="Clean the lake path near Sector 12", description="x" * 60, target_amount=5_000_00,
             latitude=28.6139, longitude=77.2090, address="Lake path, Sector 12, Delhi")


def create(creator=None, **overrides):
    return services.campaign_create(creator=creator or UserFactory(), photo=photo_upload(), **{**VALID, **overrides})


class TestCreate:
    @pytest.mark.parametrize("field,value", [
        ("title", "too short"), ("title", "x" * 101), ("description", "x" * 49), ("description", "x" * 1001),
        ("target_amount", 499_99), ("target_amount", 50_000_01), ("target_amount", "5000"),
        ("latitude", 51.5), ("longitude", -0.12), ("latitude", float("nan")), ("address", ""),
    ])
    def test_validation(self, field, value):
        with pytest.raises(errors.ValidationFailed) as exc:
            create(**{field: value})
        assert field in exc.value.fields
        assert not Campaign.objects.exists()

    def test_boundaries_accepted(self):
        campaign = create(title="x" * 10, description="y" * 50, target_amount=500_00)
        assert campaign.pk and campaign.photo.name.startswith("campaigns/")

    def test_photo_rules(self):
        with pytest.raises(errors.UnsupportedMedia):
            services.campaign_create(creator=UserFactory(), photo=photo_upload("GIF"), **VALID)
        assert not Campaign.objects.exists()

    def test_first_campaign_is_draft_and_admins_are_told(self, django_capture_on_commit_callbacks):
        admin = AdminFactory()
        with django_capture_on_commit_callbacks(execute=True):
            campaign = create()
        assert campaign.status == "draft" and campaign.expires_at is None
        assert Notification.objects.filter(user=admin, event="campaign.created").exists()

    def test_later_campaigns_start_active_with_expiry_from_target(self):
        creator = UserFactory()
        services.campaign_approve(campaign=create(creator), admin=AdminFactory())
        for target, days in ((2_000_00, 30), (2_000_01, 45), (10_000_00, 45), (10_000_01, 60)):
            campaign = create(creator, target_amount=target, latitude=20.0 + target / 1e9)
            assert campaign.status == "active"
            assert (campaign.expires_at - campaign.approved_at).days == days

    def test_unapproved_first_campaign_keeps_the_next_in_draft(self):
        creator = UserFactory()
        create(creator)
        assert create(creator, latitude=20.0).status == "draft"

    def test_more_than_three_open_within_100m_are_flagged(self):
        base = dict(latitude=19.0760, longitude=72.8777)
        for i in range(3):
            assert not create(**{**base, "latitude": base["latitude"] + i * 0.0002}).flagged_spam
        fourth = create(**{**base, "latitude": base["latitude"] + 0.0003})
        assert Campaign.objects.filter(flagged_spam=True).count() == 4
        far = create(latitude=19.2, longitude=72.8777)
        far.refresh_from_db()
        assert not far.flagged_spam and fourth.pk


class TestApproveAndCancel:
    def test_approve_only_drafts(self):
        campaign = create()
        services.campaign_approve(campaign=campaign, admin=AdminFactory())
        assert campaign.status == "active" and campaign.expires_at
        with pytest.raises(errors.InvalidTransition):
            services.campaign_approve(campaign=campaign, admin=AdminFactory())

    def test_creator_cancels_only_with_nothing_raised(self, pay):
        campaign = CampaignFactory()
        with pytest.raises(errors.NotAllowed):
            services.campaign_cancel_by_creator(campaign=campaign, user=UserFactory())
        pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=1000_00))
        with pytest.raises(errors.InvalidTransition):
            services.campaign_cancel_by_creator(campaign=campaign, user=campaign.creator)
        empty = CampaignFactory()
        assert services.campaign_cancel_by_creator(campaign=empty, user=empty.creator).status == "cancelled"

    def test_admin_cancel_refunds_everything(self, pay, django_capture_on_commit_callbacks):
        campaign = CampaignFactory()
        contributions = [pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=1000_00))
                         for _ in range(2)]
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_cancel_by_admin(campaign=campaign, admin=AdminFactory(), reason="Duplicate campaign")
        with django_capture_on_commit_callbacks(execute=True):
            from payments.services import refunds_process

            refunds_process(now=timezone.now())
        for contribution in contributions:
            contribution.refresh_from_db()
            assert contribution.status == "refunded"
        assert Refund.objects.filter(status="refunded").count() == 2
        assert Notification.objects.filter(event="campaign.cancelled").count() == 3  # creator + 2 backers

    def test_admin_cancel_needs_a_reason_and_a_cancellable_state(self):
        campaign = CampaignFactory()
        with pytest.raises(errors.ValidationFailed):
            services.campaign_cancel_by_admin(campaign=campaign, admin=AdminFactory(), reason=" ")
        Campaign.objects.filter(pk=campaign.pk).update(status="completed")
        campaign.refresh_from_db()
        with pytest.raises(errors.InvalidTransition):
            services.campaign_cancel_by_admin(campaign=campaign, admin=AdminFactory(), reason="x")


class TestContributions:
    def test_rules(self):
        campaign = CampaignFactory(target_amount=1000_00)
        with pytest.raises(errors.NotAllowed):
            services.contribution_start(campaign=campaign, contributor=campaign.creator, amount=1000)
        with pytest.raises(errors.ValidationFailed):
            services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=999)
        with pytest.raises(errors.ValidationFailed):
            services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=1000_01)
        for status in ("draft", "funded", "expired", "cancelled"):
            closed = CampaignFactory(status=status)
            with pytest.raises(errors.Conflict):
                services.contribution_start(campaign=closed, contributor=UserFactory(), amount=1000)

    def test_an_order_the_gateway_cannot_open_leaves_both_failed(self, settings):
        from payments.errors import GatewayError

        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        backer = UserFactory()
        with pytest.raises(GatewayError):
            services.contribution_start(campaign=CampaignFactory(), contributor=backer, amount=1000_00)
        contribution = Contribution.objects.get(contributor=backer)
        assert contribution.status == "failed" and contribution.payment is None
        payment = backer.payments.get()
        assert (payment.status, payment.payable_id) == ("failed", str(contribution.pk))
        assert payment.gateway_order_id.startswith("pending:") and payment.failure_reason

    def test_credited_once_and_counted(self, pay, django_capture_on_commit_callbacks):
        campaign = CampaignFactory(target_amount=5_000_00)
        backer = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            first = pay(services.contribution_start(campaign=campaign, contributor=backer, amount=1000_00))
            pay(services.contribution_start(campaign=campaign, contributor=backer, amount=500_00))
        campaign.refresh_from_db()
        assert first.status == "credited"
        assert (campaign.amount_raised, campaign.contributor_count) == (1500_00, 1)
        # the first credited one counts the backer; the partial unique constraint refuses a second mark
        assert list(Contribution.objects.order_by("created_at").values_list("counts_backer", flat=True)) == [True, False]
        with pytest.raises(IntegrityError), transaction.atomic():
            Contribution.objects.exclude(pk=first.pk).update(counts_backer=True)
        assert Notification.objects.filter(user=campaign.creator, event="campaign.contribution_received").count() == 2

    def test_a_backer_counted_after_their_payment_was_read_is_credited_without_a_second_mark(self, pay):
        """The race the partial unique constraint decides: two first contributions of one person, both payments
        read before either is credited. The second to credit meets the constraint and is credited unmarked."""
        from campaigns.services.contributions import COUNTED_ALREADY
        from payments.models import Payment
        from payments.registry import with_payables
        from payments.services import payment_capture

        campaign, backer = CampaignFactory(target_amount=5_000_00), UserFactory()
        first = services.contribution_start(campaign=campaign, contributor=backer, amount=1000_00)
        second = services.contribution_start(campaign=campaign, contributor=backer, amount=500_00)
        read_before = with_payables(Payment.objects).get(pk=second.payment.pk)
        assert getattr(read_before, COUNTED_ALREADY) is False
        pay(first)
        assert payment_capture(payment=read_before, gateway_payment_id="pay_racing_second")
        second.refresh_from_db()
        campaign.refresh_from_db()
        assert (second.status, second.counts_backer) == ("credited", False)
        assert (campaign.amount_raised, campaign.contributor_count) == (1500_00, 1)

    def test_reaching_the_target_funds_once_and_sends_the_event(self, pay, django_capture_on_commit_callbacks):
        from campaigns.signals import campaign_funded

        received = []
        campaign_funded.connect(lambda sender, campaign, **kw: received.append(campaign.pk), weak=False,
                                dispatch_uid="test-funded")
        try:
            campaign = CampaignFactory(target_amount=1000_00)
            with django_capture_on_commit_callbacks(execute=True):
                pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=600_00))
                pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=400_00))
            campaign.refresh_from_db()
            assert campaign.status == "funded" and campaign.funded_at and received == [campaign.pk]
        finally:
            campaign_funded.disconnect(dispatch_uid="test-funded")

    def test_payment_arriving_after_funding_is_refunded(self, pay, django_capture_on_commit_callbacks):
        campaign = CampaignFactory(target_amount=1000_00)
        late = services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=500_00)
        pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=1000_00))
        with django_capture_on_commit_callbacks(execute=True):
            pay(late)
        with django_capture_on_commit_callbacks(execute=True):
            from payments.services import refunds_process

            refunds_process(now=timezone.now())
        late.refresh_from_db()
        campaign.refresh_from_db()
        assert (campaign.amount_raised, campaign.contributor_count) == (1000_00, 1) and late.status == "refunded"
        assert not late.counts_backer  # not among the backers who hear about the campaign's fate
        assert late.contributor not in campaign_audience(campaign)

    def test_failed_payment_credits_nothing(self, pay):
        campaign = CampaignFactory()
        contribution = pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=1000),
                           outcome="failure")
        assert contribution.status == "failed" and contribution.campaign.amount_raised == 0


class TestExpiry:
    def test_expiry_rules_and_idempotence(self, pay, django_capture_on_commit_callbacks):
        past = timezone.now() - timedelta(minutes=1)
        nearly = CampaignFactory(target_amount=1000_00)
        short = CampaignFactory(target_amount=1000_00)
        ongoing = CampaignFactory(target_amount=1000_00)
        pay(services.contribution_start(campaign=nearly, contributor=UserFactory(), amount=800_00))
        pay(services.contribution_start(campaign=short, contributor=UserFactory(), amount=799_00))
        Campaign.objects.filter(pk__in=[nearly.pk, short.pk]).update(expires_at=past)
        with django_capture_on_commit_callbacks(execute=True):
            result = services.campaigns_expire(now=timezone.now())
        assert result.summary == "1 campaign(s) funded at expiry, 1 expired and refunded"
        assert services.campaigns_expire(now=timezone.now()).summary.startswith("0 campaign(s) funded at expiry, 0")
        statuses = dict(Campaign.objects.values_list("pk", "status"))
        assert (statuses[nearly.pk], statuses[short.pk], statuses[ongoing.pk]) == ("funded", "expired", "active")
        assert Contribution.objects.get(campaign=short).status == "refunded"  # processed after commit
        assert Refund.objects.count() == 1

    def test_run_periodic(self, capsys, pay, django_capture_on_commit_callbacks):
        """The scheduled command runs the whole path: the campaign expires and its backer is refunded."""
        from django.core.management import call_command

        campaign = CampaignFactory(target_amount=1000_00)
        contribution = pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=100_00))
        assert contribution.status == "credited"
        Campaign.objects.filter(pk=campaign.pk).update(expires_at=timezone.now() - timedelta(days=1))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic", "campaigns.expire")
        assert "0 campaign(s) funded at expiry, 1 expired and refunded" in capsys.readouterr().out
        contribution.refresh_from_db()
        assert contribution.status == "refunded" and contribution.refund_reason
        refund = Refund.objects.get(payment=contribution.payment)
        assert (refund.status, refund.amount) == ("refunded", 100_00)
