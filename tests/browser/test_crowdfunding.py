"""The crowdfunding page's small scripts in a browser: "Use my location" on the campaigns list and the
jobs board (Chromium's geolocation set to a point), "Copy link" on a campaign; and the same pages with
JavaScript off, where the buttons stay hidden and the city select and the link's text still serve."""

import pytest
from playwright.sync_api import expect

from campaigns.tests.factories import CampaignFactory
from jobs.tests.factories import funded_job
from marketplace.tests.factories import CleanerFactory
from tests.geo import CENTRE, EAST, NORTH, point_at

from .sessions import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = {"latitude": CENTRE[0], "longitude": CENTRE[1]}


def at(km, bearing) -> dict:
    lat, lng = point_at(CENTRE, km, bearing)
    return {"latitude": lat, "longitude": lng}


def test_use_my_location_on_the_campaigns_list(live_server, browser):
    CampaignFactory(title="Sweep the park round the corner", city="Bengaluru", **at(2.5, NORTH))
    CampaignFactory(title="Clean the far beach", city="Chennai", **at(290, EAST))
    page = browser.new_context(geolocation=HERE, permissions=["geolocation"]).new_page()
    page.goto(f"{live_server.url}/campaigns/")
    expect(page.get_by_text("Clean the far beach")).to_be_visible()
    page.get_by_label("Within").select_option("10")
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_text("Within 10 km of your location.")).to_be_visible()
    assert "lat=12.9716" in page.url and "lng=77.5946" in page.url
    expect(page.get_by_text("Clean the far beach")).to_have_count(0)
    expect(page.locator(".campaign-card").filter(has_text="Sweep the park")).to_contain_text("2.5 km away")
    page.get_by_role("link", name="Clear my location").click()
    expect(page.get_by_text("Clean the far beach")).to_be_visible()


def test_use_my_location_on_the_jobs_board(live_server, browser):
    near, far = funded_job(title="Clear the drain near the market", **at(4, EAST)), \
        funded_job(title="Clear the riverbank upstream", **at(60, NORTH))
    page = browser.new_context(geolocation=HERE, permissions=["geolocation"]).new_page()
    log_in(page, live_server.url, CleanerFactory())
    page.goto(f"{live_server.url}/jobs/")
    page.locator("select[name=sort]").select_option("distance")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator(f"[data-job-id='{near.pk}']")).to_contain_text("4.0 km away")
    expect(page.locator(f"[data-job-id='{far.pk}']")).to_have_count(0)
    page.get_by_label("Within").select_option("100")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(f"[data-job-id='{far.pk}']")).to_contain_text("60.0 km away")
    cards = page.locator("[data-job-id]")
    expect(cards.first).to_have_attribute("data-job-id", str(near.pk))  # nearest first


def test_copy_link(live_server, browser):
    campaign = CampaignFactory(title="Clean the lake path")
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    link = page.get_by_label("Link to this campaign")
    url = link.input_value()
    assert url.endswith(f"/campaigns/{campaign.pk}/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert page.get_by_role("link", name="Share on WhatsApp").get_attribute("href").startswith("https://wa.me/?text=")


def test_without_javascript(live_server, browser):
    CampaignFactory(title="Sweep the park in Pune", city="Pune")
    campaign = CampaignFactory(title="Clean the lake in Bhopal", city="Bhopal")
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/campaigns/")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.get_by_label("City").select_option("Bhopal")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Clean the lake in Bhopal")).to_be_visible()
    expect(page.get_by_text("Sweep the park in Pune")).to_have_count(0)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.get_by_label("Link to this campaign")).to_have_value(f"http://127.0.0.1:8000/campaigns/{campaign.pk}/")
