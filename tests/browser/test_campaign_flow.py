"""A first-time creator starts a campaign with a photo -> an admin approves it in the Django admin
-> another user contributes through the simulator's checkout page -> the progress bar shows it and
the creator's bell updates on its own."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.tests.factories import image_bytes
from marketplace.tests.factories import AdminFactory, UserFactory

from .sessions import admin_log_in, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_campaign_from_photo_to_contribution(live_server, browser, settings, tmp_path):
    settings.NOTIFICATION_POLL_SECONDS = 1
    base = live_server.url
    creator, backer, admin = UserFactory(name="Kavya Rao"), UserFactory(name="Dev Patel"), AdminFactory()
    photo = tmp_path / "dirty-park.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(800, 600)))

    creator_page = browser.new_context().new_page()
    log_in(creator_page, base, creator)
    creator_page.goto(f"{base}/campaigns/new/")
    creator_page.get_by_label("Title").fill("Clean the park behind Lajpat Nagar market")
    creator_page.get_by_label("Description").fill("Broken glass, plastic and garden waste all over the park; "
                                                  "children cannot play there any more.")
    creator_page.get_by_label("Target (₹)").fill("2000")
    creator_page.get_by_label("Address").fill("Lajpat Nagar market park, Delhi")
    creator_page.get_by_label("Town or city").fill("Delhi")
    creator_page.get_by_label("Latitude").fill("28.5677")
    creator_page.get_by_label("Longitude").fill("77.2433")
    creator_page.get_by_label("Photo").set_input_files(str(photo))
    creator_page.get_by_role("button", name="Start campaign").click()
    expect(creator_page.get_by_role("status").first).to_contain_text("goes live once an admin approves it")
    campaign_url = creator_page.url
    expect(creator_page.get_by_alt_text(re.compile("Before photo"))).to_be_visible()

    admin_page = browser.new_context().new_page()
    admin_log_in(admin_page, base, admin, "/admin/campaigns/campaign/")
    admin_page.get_by_role("row").filter(has_text="Lajpat Nagar").get_by_role("checkbox").check()
    admin_page.locator("select[name=action]").select_option(label="Approve the selected draft campaigns")
    admin_page.get_by_role("button", name="Go").click()
    expect(admin_page.get_by_text("Approved 1 campaign(s).")).to_be_visible()

    creator_page.goto(campaign_url)
    expect(creator_page.locator("#notification-bell").get_by_test_id("unread-count")).to_have_text("1")

    backer_page = browser.new_context().new_page()
    log_in(backer_page, base, backer)
    backer_page.goto(campaign_url)
    backer_page.get_by_label("Amount (₹)").fill("500")
    backer_page.get_by_role("button", name="Contribute").click()
    expect(backer_page.get_by_role("heading", name="Pay ₹500.00")).to_be_visible()
    backer_page.get_by_role("button", name="Pay", exact=True).click()
    expect(backer_page).to_have_url(campaign_url)
    expect(backer_page.get_by_role("status").first).to_contain_text("payment is confirmed")
    expect(backer_page.get_by_test_id("amount-raised")).to_have_text("₹500.00")
    expect(backer_page.locator("progress")).to_have_attribute("value", "50000")

    # The creator's page was left open: its bell refreshes itself (htmx polling) to show the contribution.
    expect(creator_page.locator("#notification-bell").get_by_test_id("unread-count")).to_have_text("2")
    creator_page.locator("#notification-bell").click()
    expect(creator_page.get_by_text("Dev contributed ₹500.00")).to_be_visible()
