"""The project's admin pages show money in rupees with Indian grouping, objects by a readable name and
dates as the site does ("25 Nov 2026, 6:23 PM IST"), on every list and change page."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cleanit.dates import format_datetime
from cleanit.money import format_inr
from jobs import services as job_services
from jobs.tests.factories import funded_job, site_photo, verified_cleaner
from marketplace.services import auth_issue_tokens
from marketplace.tests.factories import AdminFactory, ScheduleRangeFactory, ServicePackageFactory, UserFactory
from notifications.models import NotificationPreference
from payments import services as payment_services
from payments.models import Payout
from payments.reconciliation import reconcile
from payments.simulator.models import SimPayout

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"campaigns", "jobs", "marketplace", "notifications", "payments", "bookings"}
US_DATE = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\. \d|\b[ap]\.m\.")
PAISE_HELP = re.compile(r'class="help"[^>]*>\s*<div>[^<]*\bpaise\b', re.IGNORECASE)  # beside a rupee figure
MONEY_FIELDS = {"amount", "platform_fee", "target_amount", "amount_raised", "hourly_rate", "price"}


def project_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PROJECT_APPS]


@pytest.fixture
def history(django_capture_on_commit_callbacks):
    """Money in every state the admin lists: a job verified and paid out (payments, ledger, payout,
    review), a refund, a reconciliation that found a mismatch, tokens and preferences, a cleaner's profile
    with a weekly schedule and a service."""
    cleaner = verified_cleaner()
    job = job_services.job_claim(job=funded_job(target=1710_00), cleaner=cleaner)
    job = job_services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=1))
    job_services.job_verify(job=job, admin=AdminFactory(), action="approve")
    payout = Payout.objects.get(source_id=str(job.pk))
    with django_capture_on_commit_callbacks(execute=True):
        payment_services.payouts_process(now=payout.due_at + timedelta(minutes=1))
    refunded = funded_job(target=900_00).campaign.contributions.get().payment
    payment_services.refund_request(payment=refunded, amount=None, reason="Test refund", refund_key="admin-test")
    payout.refresh_from_db()
    SimPayout.objects.filter(pk=payout.gateway_payout_id).update(status="reversed")
    reconcile(now=timezone.now())
    auth_issue_tokens(user=cleaner)
    NotificationPreference.objects.create(user=cleaner)
    ScheduleRangeFactory(profile=ServicePackageFactory(price=1_499_00, cleaner__hourly_rate=1_250_00).cleaner)


def test_every_project_model_in_the_admin_has_a_readable_name():
    inline_models = {inline.model for _, model_admin in project_admins() for inline in model_admin.inlines}
    for model in {model for model, _ in project_admins()} | inline_models:
        assert model.__str__ is not models.Model.__str__, f"{model.__name__} has no __str__"


def test_admin_lists_and_change_pages_show_rupees_names_and_indian_dates(client, history):
    client.force_login(AdminFactory(is_superuser=True))
    index = client.get(reverse("admin:index")).content.decode()
    assert "Reconciliation mismatches" in index and "mismatchs" not in index.lower()
    checked = 0
    for model, _ in project_admins():
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        pages = [changelist.content.decode()]
        for obj in model._default_manager.all()[:3]:
            change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            assert change.status_code == 200, opts.label
            page = change.content.decode()
            pages.append(page)
            assert str(obj) in page or str(obj).replace("'", "&#x27;") in page
            for name in MONEY_FIELDS & {field.name for field in opts.fields}:
                value = getattr(obj, name)
                assert format_inr(value) in page, (opts.label, name)
                assert f"<div class=\"readonly\">{value}</div>" not in page, (opts.label, name)
            if "field-created_at" in page:
                assert format_datetime(obj.created_at) in page, opts.label
            checked += 1
        for page in pages:
            assert " object (" not in page, opts.label
            assert not US_DATE.search(page), (opts.label, US_DATE.search(page))
            assert " paise" not in page, opts.label
            assert not PAISE_HELP.search(page), (opts.label, PAISE_HELP.search(page))
    assert checked >= 20


def test_a_money_field_s_help_text_drops_the_paise_it_is_stored_in():
    from bookings.models import Booking
    from campaigns.models import Contribution
    from jobs.models import Job
    from marketplace.models import CleanerProfile

    from cleanit.admin_site import rupee_help_text

    assert rupee_help_text(Contribution, "amount") == ""
    assert rupee_help_text(Job, "amount") == "paid to the cleaner (95% of the amount raised)"
    assert rupee_help_text(CleanerProfile, "hourly_rate") == "an hour"
    assert rupee_help_text(Booking, "service_price") == "the package's price when booked"


def test_money_columns_are_rupees_with_indian_grouping(client, history):
    client.force_login(AdminFactory())
    payout = Payout.objects.get()
    page = client.get(reverse("admin:payments_payout_changelist")).content.decode()
    assert f'<td class="field-amount">{format_inr(payout.amount)}</td>' in page
    assert payout.receipt_number in page
    change = client.get(reverse("admin:payments_payout_change", args=[payout.pk])).content.decode()
    assert f'<div class="readonly">{payout.receipt_number}</div>' in change
    search = reverse("admin:payments_payout_changelist") + "?q="
    assert payout.receipt_number in client.get(search + payout.receipt_number).content.decode()
    assert payout.receipt_number not in client.get(search + "CLN-PO-2000-00000-00000").content.decode()
    campaigns = client.get(reverse("admin:campaigns_campaign_changelist")).content.decode()
    assert '<td class="field-target_amount">₹1,710.00</td>' in campaigns
    sorted_by_amount = client.get(reverse("admin:payments_payment_changelist") + "?o=4")
    assert sorted_by_amount.status_code == 200


def test_a_change_form_with_money_shown_in_rupees_still_saves_its_text(client):
    from campaigns.models import Campaign
    from campaigns.tests.factories import CampaignFactory

    campaign = CampaignFactory(target_amount=1710_00, amount_raised=500_00)
    client.force_login(AdminFactory(is_superuser=True))
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert '<div class="readonly">₹1,710.00</div>' in page and 'name="target_amount"' not in page
    response = client.post(url, {"title": "Clean the lake path, corrected", "description": campaign.description,
                                 "address": campaign.address, "latitude": campaign.latitude,
                                 "longitude": campaign.longitude, "target_amount": "1", "amount_raised": "1",
                                 "contributions-TOTAL_FORMS": "0", "contributions-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Clean the lake path, corrected"
    assert (campaign.target_amount, campaign.amount_raised) == (1710_00, 500_00)
    assert Campaign.objects.count() == 1
