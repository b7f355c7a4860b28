"""The community-cleanup loop in a browser: a verified cleaner claims a job on the board and
completes it with a photo -> an admin approves it in the Django admin verification queue ->
`run_periodic` pays it -> the cleaner sees it paid on the earnings page. Also: a rejection with retry
seen by the cleaner, and KYC submitted on the page and verified in the admin unlocking claims."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from campaigns.models import Campaign
from jobs.models import Job
from jobs.tests.factories import funded_job, site_photo, verified_cleaner
from marketplace.tests.factories import AdminFactory
from payments.models import Payout

from .sessions import admin_log_in, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_claim_complete_approve_pay_and_see_earnings(live_server, browser, tmp_path):
    base = live_server.url
    cleaner = verified_cleaner(name="Ravi Kumar")
    admin = AdminFactory()
    job = funded_job(target=4_000_00, title="Clear the drain on 5th Cross Road")
    photo = tmp_path / "after.jpg"
    photo.write_bytes(site_photo(job, seed=77).read())

    page = browser.new_context().new_page()
    log_in(page, base, cleaner)
    page.get_by_role("link", name="Jobs for cleaners").click()
    card = page.locator(f"[data-job-id='{job.pk}']")
    expect(card).to_contain_text("₹3,800.00")
    card.get_by_role("button", name="Claim this job").click()  # htmx: the button becomes the outcome
    expect(card.get_by_role("status")).to_contain_text("Claimed!")
    card.get_by_role("link", name="Open the job").click()
    expect(page.locator("[data-countdown-left]")).to_contain_text(re.compile(r"6 days|7 days"))
    page.get_by_label("After-photo", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="Complete the job").click()
    expect(page.get_by_role("status").first).to_contain_text("An admin will verify the photo")
    expect(page.get_by_text("Waiting for verification")).to_be_visible()

    admin_page = browser.new_context().new_page()
    admin_log_in(admin_page, base, admin, "/admin/")
    admin_page.get_by_role("link", name="Verification queue (jobs)").click()
    item = admin_page.locator(f"#job-{job.pk}")
    expect(item.get_by_alt_text(re.compile("^Before"))).to_be_visible()
    expect(item.get_by_alt_text(re.compile("^After"))).to_be_visible()
    expect(item).to_contain_text("First-time cleaner")
    item.get_by_role("button", name="Approve").click()
    expect(admin_page.get_by_text("Clear the drain on 5th Cross Road: approved.")).to_be_visible()
    assert Job.objects.get(pk=job.pk).status == "verified"

    payout = Payout.objects.get(source_id=str(job.pk))
    call_command("run_periodic", "payments.process_payouts", at=(payout.due_at + timedelta(minutes=1)).isoformat())
    assert Payout.objects.get(pk=payout.pk).status == "paid"
    assert Campaign.objects.get(pk=job.campaign_id).status == "closed"

    page.goto(f"{base}/account/earnings/")
    expect(page.get_by_test_id("total-paid")).to_have_text("₹3,800.00")
    expect(page.locator("[data-payout-status='paid']")).to_contain_text("Cleanup: Clear the drain on 5th Cross Road")


def test_rejected_with_retry_shows_the_reason_to_the_cleaner(live_server, browser):
    from jobs import services

    base = live_server.url
    cleaner, admin = verified_cleaner(name="Meena Das"), AdminFactory()
    job = services.job_claim(job=funded_job(target=1_000_00, title="Clean the bus stop at MG Road"), cleaner=cleaner)
    services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=78))

    admin_page = browser.new_context().new_page()
    admin_log_in(admin_page, base, admin, "/admin/dashboards/verification-queue/")
    item = admin_page.locator(f"#job-{job.pk}")
    item.get_by_label("Reason").select_option(label="Poor quality")
    item.get_by_label("Notes").fill("Bags of waste left next to the bench")
    item.get_by_label("allow a retry").check()
    item.get_by_role("button", name="Reject").click()
    expect(admin_page.get_by_text("Clean the bus stop at MG Road: rejected.")).to_be_visible()
    expect(admin_page.locator(f"#job-{job.pk}")).to_have_count(0)

    page = browser.new_context().new_page()
    log_in(page, base, cleaner)
    page.goto(f"{base}/jobs/{job.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("(poor quality): Bags of waste left next to the bench")
    expect(page.get_by_role("button", name="Complete the job")).to_be_visible()
    assert Job.objects.get(pk=job.pk).status == "claimed"


def test_kyc_submitted_in_the_browser_and_verified_in_the_admin_unlocks_claims(live_server, browser):
    from marketplace.tests.factories import CleanerFactory

    base = live_server.url
    cleaner, admin = CleanerFactory(name="Arun Nair"), AdminFactory()
    funded_job(title="Clear the litter around Kochi marine drive")

    page = browser.new_context().new_page()
    log_in(page, base, cleaner)
    page.goto(f"{base}/jobs/")
    expect(page.get_by_role("status").first).to_contain_text("your KYC must be verified")
    expect(page.get_by_role("button", name="Claim this job")).to_have_count(0)
    page.get_by_role("link", name="Add or check your ID and bank details").click()
    page.get_by_label("ID number").fill("2345 6789 0124")
    page.get_by_label("Name on the account").fill("Arun Nair")
    page.get_by_label("Bank account number").fill("123456789012")
    page.get_by_label("IFSC").fill("hdfc0001234")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Waiting for review", exact=True)).to_be_visible()
    expect(page.get_by_text("••••••••0124")).to_be_visible()
    expect(page.get_by_text("234567890124")).to_have_count(0)

    admin_page = browser.new_context().new_page()
    admin_log_in(admin_page, base, admin, "/admin/marketplace/cleanerkyc/")
    admin_page.get_by_role("row").filter(has_text=cleaner.email).get_by_role("checkbox").check()
    admin_page.locator("select[name=action]").select_option(value="verify_kyc")
    admin_page.get_by_role("button", name="Go").click()
    expect(admin_page.get_by_text("Verified 1 cleaner(s).")).to_be_visible()

    page.goto(f"{base}/jobs/")
    page.get_by_role("button", name="Claim this job").click()
    expect(page.get_by_role("status").filter(has_text="Claimed!")).to_be_visible()
