"""Home cleaning, part 1, in a real Chromium: a visitor finds a cleaner within 5 km of central Bengaluru and
sees their free times (htmx, and the same with JavaScript off); a new cleaner signs up, creates a profile,
a service and a schedule and appears in the search; and every cleaner page fits a phone and passes
axe-core, as it loads and with its form's errors."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.tests.factories import CleanerFactory, CleanerProfileFactory, ScheduleRangeFactory, ServicePackageFactory
from tests.geo import CENTRE, EAST, NORTH, point_at

from .sessions import PASSWORD, log_in
from .walk import DESKTOP, PHONE, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cleaner_at(name, km, bearing=NORTH, **fields):
    lat, lng = point_at(CENTRE, km, bearing)
    profile = CleanerProfileFactory(user=CleanerFactory(name=name), latitude=lat, longitude=lng, **fields)
    ServicePackageFactory(cleaner=profile, name="2 BHK deep clean", price=2_400_00, duration_minutes=180,
                          service_type="deep_clean")
    ServicePackageFactory(cleaner=profile, name="Quick tidy", price=600_00, duration_minutes=60)
    return profile


def next_weekday(weekday: int):
    day = timezone.localdate() + timedelta(days=1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def bengaluru():
    near = cleaner_at("Kavya Reddy", 3.2, rating_total=47, rating_count=10, rating_avg=4.7)
    ScheduleRangeFactory(profile=near, weekday=next_weekday(2).weekday(), start_minute=9 * 60, end_minute=14 * 60)
    cleaner_at("Far Away Cleaner", 8, bearing=EAST)
    cleaner_at("Chennai Cleaner", 290, bearing=EAST, city="Chennai", state="Tamil Nadu")
    return near


def search_and_see_slots(page, base, near):
    page.goto(base + "/")
    page.get_by_label("Your city").fill("Bengaluru")
    page.get_by_role("button", name="Find cleaners").click()
    expect(page).to_have_url(re.compile(r"/cleaners/\?city=Bengaluru$"))
    expect(page.get_by_role("heading", name="2 cleaners")).to_be_visible()  # Chennai's is not in Bengaluru
    page.get_by_label("Within").select_option("5")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Within 5 km of central Bengaluru.")).to_be_visible()
    expect(page.get_by_text("Far Away Cleaner")).to_have_count(0)
    card = page.locator(f"[data-cleaner-id='{near.pk}']")
    expect(card).to_contain_text("3.2 km away")
    expect(card.get_by_role("img", name="4.7 out of 5, 10 reviews")).to_be_visible()
    expect(card).to_contain_text("services from ₹600.00")
    card.get_by_role("link", name="Kavya Reddy").click()

    expect(page.get_by_role("heading", level=1, name="Kavya Reddy")).to_be_visible()
    book = page.get_by_role("button", name="Book 2 BHK deep clean")  # a link styled as a button
    expect(book).to_have_attribute("href", re.compile(r"^/bookings/new/\?cleaner="))
    page.get_by_label("Service", exact=True).select_option(label="2 BHK deep clean · ₹2,400.00 · 3 h")
    page.get_by_label("Date").fill(next_weekday(2).isoformat())
    page.get_by_role("button", name="Show free times").click()
    slots = page.locator(".slots li")
    expect(slots).to_have_text(["9:00 AM – 12:00 PM", "9:30 AM – 12:30 PM", "10:00 AM – 1:00 PM",
                                "10:30 AM – 1:30 PM", "11:00 AM – 2:00 PM"])


def test_a_visitor_finds_a_cleaner_within_5_km_and_sees_free_times(live_server, browser, bengaluru):
    page = browser.new_context().new_page()
    search_and_see_slots(page, live_server.url, bengaluru)
    # htmx swapped the free times in: the page itself was not reloaded.
    assert "service_id" not in page.url


def test_the_same_without_javascript(live_server, browser, bengaluru):
    page = browser.new_context(java_script_enabled=False).new_page()
    search_and_see_slots(page, live_server.url, bengaluru)
    assert "service_id=" in page.url and page.url.endswith("#slots")  # a plain GET of the profile


def test_use_my_location_on_find_cleaners(live_server, browser, bengaluru):
    page = browser.new_context(geolocation={"latitude": CENTRE[0], "longitude": CENTRE[1]},
                               permissions=["geolocation"]).new_page()
    page.goto(f"{live_server.url}/cleaners/")
    page.get_by_label("Within").select_option("5")
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_text("Within 5 km of your location.")).to_be_visible()
    expect(page.locator("[data-cleaner-id]")).to_have_count(1)


def test_a_new_cleaner_signs_up_sets_up_and_appears_in_the_search(live_server, browser):
    lat, lng = point_at(CENTRE, 1.5, NORTH)
    context = browser.new_context(geolocation={"latitude": lat, "longitude": lng}, permissions=["geolocation"])
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/account/signup/")
    page.get_by_label("Name").fill("Sunil Gowda")
    page.get_by_label("E-mail").fill("sunil@example.in")
    page.get_by_label("Mobile number").fill("+91 98450 12345")
    page.get_by_label("work as a cleaner").check()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I accept the terms").check()
    page.get_by_role("button", name="Create account").click()
    page.get_by_label("E-mail").fill("sunil@example.in")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Led straight to the profile form.
    expect(page.get_by_role("heading", name="Create your cleaner profile")).to_be_visible()
    page.get_by_label("About you").fill("Fifteen years of cleaning homes in Malleshwaram.")
    page.get_by_label("Years of experience").fill("15")
    page.get_by_label("Rate per hour (₹)").fill("320")
    page.get_by_label("Street and area").fill("8th Cross, Malleshwaram")
    page.get_by_label("City").fill("Bengaluru")
    page.get_by_label("State").fill("Karnataka")
    page.get_by_label("PIN code").fill("560003")
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_text("Location filled in.")).to_be_visible()
    page.get_by_role("button", name="Create profile").click()

    expect(page.get_by_role("heading", level=1, name="Cleaner dashboard")).to_be_visible()
    expect(page.get_by_text("Customers cannot find you yet")).to_be_visible()
    page.get_by_role("link", name="Add a service").first.click()
    page.get_by_label("Service name").fill("1 BHK basic clean")
    page.get_by_label("Type").select_option("basic_clean")
    page.get_by_label("Price (₹)").fill("700")
    page.get_by_label("Duration").select_option(label="2 h")
    page.get_by_role("button", name="Add service").click()
    expect(page.get_by_role("status").first).to_contain_text("Your service is added.")

    page.get_by_role("button", name="Edit schedule").click()
    monday = page.locator("fieldset", has_text="Monday")
    monday.get_by_label("From").select_option("09:00")
    monday.get_by_label("To").select_option("13:00")
    page.get_by_role("button", name="Add a row to every day").click()
    monday = page.locator("fieldset", has_text="Monday")
    monday.get_by_label("From").nth(1).select_option("12:00")  # overlaps the morning: refused on its row
    monday.get_by_label("To").nth(1).select_option("17:00")
    page.get_by_role("button", name="Save schedule").click()
    expect(monday.locator(".field-error")).to_contain_text("Overlaps Monday 09:00-13:00")
    monday.get_by_label("From").nth(1).select_option("14:00")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_role("status").first).to_contain_text("Your weekly schedule is saved.")
    expect(page.locator(".week div", has_text="Monday")).to_contain_text("9:00 AM – 1:00 PM, 2:00 PM – 5:00 PM")

    page.get_by_role("button", name="Pause: set me unavailable").click()  # htmx swaps the toggle
    expect(page.get_by_text("You are unavailable").first).to_be_visible()
    page.get_by_role("button", name="Set me available").click()
    expect(page.get_by_text("You are available", exact=False).first).to_be_visible()

    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/cleaners/?city=bengaluru&radius_km=2")
    card = visitor.locator(".cleaner-card", has_text="Sunil Gowda")
    expect(card).to_contain_text("1.5 km away")
    expect(card).to_contain_text("services from ₹700.00")
    card.get_by_role("link", name="Sunil Gowda").click()
    expect(visitor.get_by_text("Fifteen years of cleaning homes in Malleshwaram.")).to_be_visible()


def pages_to_check(base, profile, cleaner_page):
    """(page, path, form to send empty or None) for every cleaner page, public and the dashboard's."""
    service = profile.services.first()
    day = next_weekday(0).isoformat()
    return [
        (None, "/", None),
        (None, "/cleaners/?city=Bengaluru&radius_km=5", None),
        (None, "/cleaners/?lat=12.97", None),  # the filter form's errors
        (None, f"/cleaners/{profile.pk}/?service_id={service.pk}&date={day}", None),
        (None, f"/cleaners/{profile.pk}/?service_id=&date=2000-01-01", None),
        (cleaner_page, "/account/cleaner/", None),
        (cleaner_page, "/account/cleaner/profile/", "Save profile"),
        (cleaner_page, "/account/cleaner/services/new/", "Add service"),
        (cleaner_page, f"/account/cleaner/services/{service.pk}/", None),
        (cleaner_page, f"/account/cleaner/services/{service.pk}/delete/", None),
        (cleaner_page, "/account/cleaner/schedule/", None),
    ]


def test_every_cleaner_page_fits_a_phone_and_passes_axe(live_server, browser):
    profile = cleaner_at("Parvathi Subramanian", 1, rating_total=38, rating_count=9, rating_avg=38 / 9,
                         bio="Thorough and punctual; I bring my own supplies.")
    ScheduleRangeFactory(profile=profile, weekday=0, start_minute=8 * 60, end_minute=20 * 60)
    cleaner_at("Mohammed Irfan", 2.5, bearing=EAST)
    visitor = browser.new_context().new_page()
    cleaner_page = browser.new_context().new_page()
    log_in(cleaner_page, live_server.url, profile.user)
    problems = []
    for size in (PHONE, DESKTOP):
        for page, path, send_empty in pages_to_check(live_server.url, profile, cleaner_page):
            page = page or visitor
            page.set_viewport_size(size)
            page.goto(live_server.url + path)
            if send_empty:
                for field in page.locator("main form input[type=text], main form input[type=number], main textarea").all():
                    field.fill("")
                page.get_by_role("button", name=send_empty).click()
                expect(page.locator(".field-error").first).to_be_visible()
            width, violations = check_page(page)
            if width > size["width"]:
                problems.append(f"{path} at {size['width']} px is {width} px wide")
            problems += [f"{path}: {v['id']} {v['help']} -> {v['targets'][:3]}" for v in violations]
    # The schedule's own error state: an overlap on a row.
    cleaner_page.set_viewport_size(PHONE)
    cleaner_page.goto(live_server.url + "/account/cleaner/schedule/")
    monday = cleaner_page.locator("fieldset", has_text="Monday")
    monday.get_by_label("From").nth(1).select_option("09:00")
    monday.get_by_label("To").nth(1).select_option("10:00")
    cleaner_page.get_by_role("button", name="Save schedule").click()
    expect(cleaner_page.locator(".field-error").first).to_be_visible()
    width, violations = check_page(cleaner_page)
    problems += [f"schedule errors: {v['id']} -> {v['targets'][:3]}" for v in violations]
    assert width <= PHONE["width"] and not problems, "\n".join(problems)
