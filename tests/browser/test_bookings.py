"""Home cleaning, part 2, in a real Chromium (issue 11's two critical flows), and every booking page at
phone width and on a desktop:

1. A customer finds a cleaner in Bengaluru, books tomorrow's slot, sees the price (service, 10% fee,
   total); the cleaner accepts the request on the dashboard; the customer pays on the simulator's
   checkout page and sees "Paid"; the 24-hour reminder reaches both; the cleaner starts and completes
   the work; the customer reviews it and the cleaner's profile shows the new rating and the review.
2. A late cancellation: ~10 hours before the start the cancel page shows the 50% refund and the
   policy before the customer confirms, and the booking page then shows it cancelled and refunded.

The test's clock: the booking is made for tomorrow through the page, and a booking can only be started
from 30 minutes before its start. Rather than waiting a day, the tests move a booking's start and end
(a queryset update of ``starts_at``/``ends_at``, nothing else) to the moment the step needs. Likewise
the reminders job is run as of the 24-hour mark (``run_periodic ... --at``), as Celery beat would then.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from bookings import services as booking_services
from bookings.models import Booking
from bookings.tests.factories import book, ist
from marketplace.tests.factories import (
    CleanerFactory,
    CleanerProfileFactory,
    ScheduleRangeFactory,
    ServicePackageFactory,
    UserFactory,
)
from payments import services as payment_services
from payments.simulator import engine

from .sessions import log_in
from .walk import DESKTOP, PHONE, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-bookings")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def person(browser, viewport=DESKTOP):
    """A browser of someone in India: English (India), IST."""
    return browser.new_context(viewport=viewport, locale="en-IN", timezone_id="Asia/Kolkata").new_page()


def fits(page, name):
    """No sideways scrolling at the page's width, axe-core clean; a screenshot to look at."""
    shot(page, name)
    width, violations = check_page(page)
    limit = page.viewport_size["width"]
    assert width <= limit, f"{name}: {width} px wide at {limit} px"
    assert not violations, f"{name}: {violations}"


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def move_start(booking, starts_in: timedelta):
    """The test's clock: the booking now starts ``starts_in`` from now (same length)."""
    booking.refresh_from_db()
    starts_at = timezone.now() + starts_in
    Booking.objects.filter(pk=booking.pk).update(starts_at=starts_at,
                                                 ends_at=starts_at + (booking.ends_at - booking.starts_at))


def pay(booking):
    """Pay a confirmed booking through the simulator's checkout, confirmed by signature (as the
    bookings/tests/conftest.py ``pay`` fixture does)."""
    payment = booking_services.booking_pay_start(booking=booking, user=booking.customer)
    result = engine.checkout_pay(order_id=payment.gateway_order_id, outcome="success")
    payment_services.payment_verify(payer=booking.customer, order_id=result["razorpay_order_id"],
                                    payment_id=result["razorpay_payment_id"], signature=result["razorpay_signature"])
    booking.refresh_from_db()
    return booking


@pytest.fixture
def kavya():
    """A listed cleaner in Bengaluru working tomorrow 8 AM to 8 PM, rated 4.5 from 2 reviews."""
    profile = CleanerProfileFactory(user=CleanerFactory(name="Kavya Reddy"), rating_total=9, rating_count=2,
                                    rating_avg=4.5)
    ServicePackageFactory(cleaner=profile, name="Quick tidy", price=600_00, duration_minutes=60)
    ServicePackageFactory(cleaner=profile, name="2 BHK deep clean", price=2_400_00, duration_minutes=180,
                          service_type="deep_clean")
    ScheduleRangeFactory(profile=profile, weekday=tomorrow().weekday(), start_minute=8 * 60, end_minute=20 * 60)
    profile.refresh_from_db()
    return profile


def test_find_book_accept_pay_remind_start_complete_review(live_server, browser, kavya):
    base = live_server.url
    customer = UserFactory(name="Anita Sharma")
    day = tomorrow()

    # --- the customer, on a phone: find, book --------------------------------------------------------
    phone = person(browser, PHONE)
    log_in(phone, base, customer)
    phone.goto(f"{base}/cleaners/")
    phone.get_by_label("City").fill("Bengaluru")
    phone.get_by_role("button", name="Apply").click()
    card = phone.locator(f"[data-cleaner-id='{kavya.pk}']")
    expect(card.get_by_role("img", name="4.5 out of 5, 2 reviews")).to_be_visible()
    card.get_by_role("link", name="Kavya Reddy").click()
    expect(phone.get_by_role("heading", level=1, name="Kavya Reddy")).to_be_visible()
    phone.get_by_role("row").filter(has_text="2 BHK deep clean").get_by_role("button", name="Book 2 BHK deep clean").click()

    expect(phone.get_by_role("heading", level=1, name="Book Kavya Reddy")).to_be_visible()
    phone.get_by_label("Date", exact=True).fill(day.isoformat())
    phone.get_by_role("button", name="Show free times").click()  # htmx swaps in steps 2 to 4
    expect(phone.locator("legend", has_text="Time:")).to_contain_text("2 BHK deep clean")
    phone.get_by_label("10:00 AM – 1:00 PM").check()
    phone.get_by_label("House, street and area").fill("Flat 302, Prestige Lakeside, 80 Feet Road, Koramangala")
    expect(phone.get_by_label("City")).to_have_value("Bengaluru")
    expect(phone.get_by_label("State")).to_have_value("Karnataka")
    phone.get_by_label("PIN code").fill("560034")
    phone.get_by_label("Special instructions (optional)").fill("Ring twice; the dog is friendly.")
    price = phone.locator(".price-breakdown")
    expect(price.get_by_role("row", name="2 BHK deep clean")).to_contain_text("₹2,400.00")
    expect(price.get_by_role("row", name="Platform fee (10%)")).to_contain_text("₹240.00")
    expect(price.get_by_test_id("book-total")).to_have_text("₹2,640.00")
    expect(price).to_contain_text("Nothing is charged now")
    fits(phone, "flow-book-phone")
    phone.get_by_role("button", name="Send booking request").click()

    expect(phone.get_by_role("status").first).to_contain_text("Request sent to Kavya Reddy")
    expect(phone.get_by_test_id("booking-status")).to_have_text("Waiting for the cleaner")
    expect(phone.get_by_text("Waiting for the cleaner to accept: you pay once they do.")).to_be_visible()
    fits(phone, "flow-requested-phone")
    booking = Booking.objects.get(customer=customer)
    assert booking.starts_at == ist(day, "10:00")

    # --- the cleaner, on a desktop: the request on the dashboard, with its countdown; accept ----------
    desk = person(browser)
    log_in(desk, base, kavya.user)
    desk.goto(f"{base}/account/cleaner/")
    request = desk.locator(f"#request-{booking.pk}")
    expect(request).to_contain_text("2 BHK deep clean")
    expect(request).to_contain_text("Anita · Bengaluru 560034 · ₹2,400.00")
    # Answer within 24 h or by the start (tomorrow 10 AM, 10 to 34 hours away): countdown.js keeps it live.
    expect(request.locator("[data-countdown-left]")).to_have_text(re.compile(r"^\d{1,2} h \d{1,2} min left$"))
    expect(request).to_contain_text("Answer by")
    request.get_by_role("button", name=re.compile("^Accept")).click()  # htmx: the card says so in place
    expect(request.get_by_role("status")).to_contain_text("Booking accepted.")
    desk.reload()
    upcoming = desk.locator(f"#booking-upcoming [data-booking-id='{booking.pk}']")
    expect(upcoming).to_contain_text("10:00 AM – 1:00 PM")
    expect(upcoming).to_contain_text("Confirmed")
    expect(upcoming).to_contain_text("Not paid")

    # --- the customer pays on the simulator's page --------------------------------------------------
    phone.reload()
    expect(phone.get_by_test_id("booking-status")).to_have_text("Confirmed")
    expect(phone.get_by_test_id("payment-status")).to_have_text("Not paid")
    phone.get_by_role("button", name="Pay ₹2,640.00").click()
    expect(phone.get_by_role("heading", name="Pay ₹2,640.00")).to_be_visible()
    phone.get_by_role("button", name="Pay", exact=True).click()
    expect(phone.get_by_role("status").first).to_contain_text("Thank you! Your payment is confirmed.")
    expect(phone.get_by_test_id("payment-status")).to_have_text("Paid")
    expect(phone.locator(".timeline li[data-action='paid']")).to_contain_text("Paid")
    expect(phone.get_by_role("link", name="Payment receipt")).to_be_visible()
    fits(phone, "flow-paid-phone")

    # --- the reminder 24 hours before: both see it in their notifications -----------------------------
    booking.refresh_from_db()
    call_command("run_periodic", "bookings.send_reminders", at=(booking.starts_at - timedelta(hours=24)).isoformat())
    for page in (phone, desk):
        page.goto(f"{base}/notifications/")
        item = page.locator(".notification", has_text="Reminder: 2 BHK deep clean in 24 hours")
        expect(item).to_have_count(1)
        expect(page.get_by_role("link", name=re.compile(r"^Notifications: [1-9]\d* unread$"))).to_be_visible()
    expect(phone.locator(".notification", has_text="Reminder:")).to_contain_text(
        "Kavya Reddy comes on")
    expect(desk.locator(".notification", has_text="Reminder:")).to_contain_text(
        "Anita's booking:")
    expect(desk.locator(".notification", has_text="Reminder:")).to_contain_text("You can start it from")

    # --- the start: the booking now starts in 10 minutes (the test's clock); start, complete ---------
    desk.goto(f"{base}/bookings/{booking.pk}/")
    expect(desk.get_by_test_id("start-note")).to_be_visible()  # tomorrow: not startable yet
    expect(desk.get_by_role("button", name="Start the work")).to_have_count(0)
    move_start(booking, timedelta(minutes=10))
    desk.reload()
    desk.get_by_role("button", name="Start the work").click()
    expect(desk.get_by_role("status").first).to_contain_text("Booking started.")
    expect(desk.get_by_test_id("booking-status")).to_have_text("In progress")
    desk.get_by_role("button", name="Mark completed").click()
    expect(desk.get_by_role("status").first).to_contain_text("Booking completed.")
    expect(desk.get_by_test_id("booking-status")).to_have_text("Completed")
    expect(desk.get_by_text("The customer has not reviewed this booking yet.")).to_be_visible()
    fits(desk, "flow-completed-cleaner-desktop")

    # --- the customer reviews: 4 stars ----------------------------------------------------------------
    phone.goto(f"{base}/bookings/{booking.pk}/")
    expect(phone.get_by_test_id("booking-status")).to_have_text("Completed")
    fits(phone, "flow-review-form-phone")
    review = phone.locator("#review")
    review.get_by_label("4 stars").check()
    review.get_by_label("Comment (optional)").fill("Spotless kitchen and on time. Thank you, Kavya!")
    review.get_by_role("button", name="Publish review").click()
    expect(phone.locator("#review").get_by_role("img", name="4 out of 5 stars")).to_be_visible()
    expect(phone.locator("#review")).to_contain_text("Spotless kitchen and on time.")
    expect(phone.locator(".timeline li[data-action='reviewed']")).to_be_visible()

    # The cleaner's profile: (9 + 4) / 3 = 4.3 from 3 reviews, and the review at the top.
    phone.get_by_role("link", name="Kavya Reddy").click()
    expect(phone.get_by_role("heading", level=1, name="Kavya Reddy")).to_be_visible()
    expect(phone.locator(".cleaner-head").get_by_role("img", name="4.3 out of 5, 3 reviews")).to_be_visible()
    expect(phone.locator(".cleaner-head")).to_contain_text("4.3 · 3 reviews")
    first_review = phone.locator("#reviews .review").first
    expect(first_review).to_contain_text("Spotless kitchen and on time. Thank you, Kavya!")
    expect(first_review.get_by_role("img", name="4 out of 5 stars")).to_be_visible()
    expect(phone.locator(".figures div", has_text="Completed bookings")).to_contain_text("1")


def test_a_late_cancellation_shows_the_half_refund_before_confirming(live_server, browser):
    base = live_server.url
    profile = CleanerProfileFactory(user=CleanerFactory(name="Ravi Kumar"))
    package = ServicePackageFactory(cleaner=profile, name="Villa deep clean", price=96_000_00,
                                    duration_minutes=480, service_type="deep_clean")
    for weekday in range(7):
        ScheduleRangeFactory(profile=profile, weekday=weekday, start_minute=8 * 60, end_minute=20 * 60)
    customer = UserFactory(name="Meera Iyer")
    booking = book(package, customer=customer)
    booking_services.booking_accept(booking=booking, user=profile.user)
    booking.refresh_from_db()
    pay(booking)
    assert booking.total_price == 1_05_600_00
    move_start(booking, timedelta(hours=10))  # the test's clock: 10 hours before the start

    page = person(browser, PHONE)
    log_in(page, base, customer)
    page.goto(f"{base}/bookings/{booking.pk}/")
    expect(page.get_by_test_id("payment-status")).to_have_text("Paid")
    expect(page.get_by_text("Cancelling now: ₹52,800.00 back (50%). You confirm on the next page.")).to_be_visible()
    page.get_by_role("button", name="Cancel booking…").click()

    expect(page.get_by_role("heading", level=1, name="Cancel this booking?")).to_be_visible()
    expect(page.get_by_test_id("refund-amount")).to_have_text("₹52,800.00 (50%)")
    expect(page.get_by_test_id("refund-terms")).to_have_text(
        "You get ₹52,800.00 back (50% of ₹1,05,600.00); ₹52,800.00 is kept.")
    expect(page.get_by_text("from 6 hours to 24 hours before for 50%")).to_be_visible()
    fits(page, "late-cancel-page-phone")
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"  # nothing happened yet
    page.get_by_label(re.compile("reason", re.I)).fill("Guests arriving early; we need the house.")
    page.get_by_role("button", name="Cancel and get ₹52,800.00 back").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Booking cancelled. ₹52,800.00 is being refunded to how you paid.")
    expect(page.get_by_test_id("booking-status")).to_have_text("Cancelled")
    expect(page.get_by_test_id("payment-status")).to_have_text("Partly refunded")
    expect(page.get_by_text(re.compile(r"Cancelled by you on .*: Guests arriving early; we need the house\. "
                                       r"· ₹52,800\.00 refunded"))).to_be_visible()
    expect(page.locator(".price-table").get_by_role("row", name="Refunded")).to_contain_text("₹52,800.00")
    timeline = page.locator(".timeline")
    expect(timeline.locator("li[data-action='cancelled']")).to_contain_text("₹52,800.00 refunded (50%).")
    expect(timeline.locator("li[data-action='refunded']")).to_contain_text("₹52,800.00 refunded to the customer.")
    expect(page.get_by_role("link", name="Cancel booking…")).to_have_count(0)
    fits(page, "late-cancelled-phone")


def test_every_booking_page_fits_a_phone_and_passes_axe(live_server, browser):
    """The Book page (as it opens, with a day chosen, and sent without a slot), the booking page in
    every state for both parties, the cancel page for both, My bookings for both and the dashboard's
    booking sections, at 390 px and on a desktop."""
    base = live_server.url
    profile = CleanerProfileFactory(user=CleanerFactory(name="Parvathi Subramanian"))
    package = ServicePackageFactory(cleaner=profile, name="3 BHK deep clean with balcony and kitchen chimney",
                                    price=1_04_500_00 // 10, duration_minutes=240, service_type="deep_clean")
    other = CleanerProfileFactory(user=CleanerFactory(name="Mohammed Irfan"), latitude=12.98)
    ServicePackageFactory(cleaner=other, name="Deep clean", price=3_000_00, duration_minutes=240,
                          service_type="deep_clean")
    for weekday in range(7):
        for cleaner in (profile, other):
            ScheduleRangeFactory(profile=cleaner, weekday=weekday, start_minute=7 * 60, end_minute=21 * 60)
    customer = UserFactory(name="Lakshmi Venkataraman")
    cleaner_user = profile.user
    in_3_days = timezone.localdate() + timedelta(days=3)

    pending = book(package, customer=customer, special_instructions="Keys with the security guard at gate 2.")
    confirmed = book(package, customer=customer, day=in_3_days + timedelta(days=1))
    booking_services.booking_accept(booking=confirmed, user=cleaner_user)
    unpaid = book(package, customer=customer, day=in_3_days + timedelta(days=2))
    booking_services.booking_accept(booking=unpaid, user=cleaner_user)
    completed = book(package, customer=customer, day=in_3_days + timedelta(days=3))
    booking_services.booking_accept(booking=completed, user=cleaner_user)
    pay(Booking.objects.get(pk=confirmed.pk))
    pay(Booking.objects.get(pk=completed.pk))
    move_start(completed, timedelta(minutes=10))
    completed.refresh_from_db()
    booking_services.booking_start(booking=completed, user=cleaner_user)
    booking_services.booking_complete(booking=Booking.objects.get(pk=completed.pk), user=cleaner_user)
    dropped = book(package, customer=customer, day=in_3_days + timedelta(days=4))
    booking_services.booking_accept(booking=dropped, user=cleaner_user)
    booking_services.booking_cancel(booking=Booking.objects.get(pk=dropped.pk), user=cleaner_user,
                                    reason="I am unwell that week, sorry.")

    customer_page, cleaner_page = person(browser), person(browser)
    log_in(customer_page, base, customer)
    log_in(cleaner_page, base, cleaner_user)
    book_path = f"/bookings/new/?cleaner={profile.pk}&service={package.pk}"
    pages = [
        (customer_page, "book", book_path, None),
        (customer_page, "book-day", f"{book_path}&date={in_3_days.isoformat()}", None),
        (customer_page, "book-sent-empty", f"{book_path}&date={in_3_days.isoformat()}", "Send booking request"),
        (customer_page, "customer-pending", f"/bookings/{pending.pk}/", None),
        (customer_page, "customer-unpaid", f"/bookings/{unpaid.pk}/", None),
        (customer_page, "customer-confirmed", f"/bookings/{confirmed.pk}/", None),
        (customer_page, "customer-completed", f"/bookings/{completed.pk}/", None),
        (customer_page, "customer-cancelled-by-cleaner", f"/bookings/{dropped.pk}/", None),
        (customer_page, "customer-cancel", f"/bookings/{confirmed.pk}/cancel/", None),
        (customer_page, "customer-mine", "/bookings/", None),
        (customer_page, "customer-mine-past", "/bookings/?show=past", None),
        (cleaner_page, "cleaner-pending", f"/bookings/{pending.pk}/", None),
        (cleaner_page, "cleaner-confirmed", f"/bookings/{confirmed.pk}/", None),
        (cleaner_page, "cleaner-completed", f"/bookings/{completed.pk}/", None),
        (cleaner_page, "cleaner-cancel", f"/bookings/{confirmed.pk}/cancel/", None),
        (cleaner_page, "cleaner-cancel-sent-empty", f"/bookings/{confirmed.pk}/cancel/", "Cancel the booking"),
        (cleaner_page, "cleaner-mine", "/bookings/", None),
        (cleaner_page, "cleaner-dashboard", "/account/cleaner/", None),
    ]
    problems = []
    for size, size_name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        for page, name, path, send in pages:
            page.set_viewport_size(size)
            response = page.goto(base + path)
            assert response.status == 200, f"{name}: {path} -> {response.status}"
            if send:
                page.get_by_role("button", name=send).click()
                expect(page.locator(".field-error, .form-errors").first).to_be_visible()
            shot(page, f"all-{name}-{size_name}")
            width, violations = check_page(page)
            if width > size["width"]:
                problems.append(f"{name} ({path}) at {size['width']} px is {width} px wide")
            problems += [f"{name} at {size_name}: {v['id']} {v['help']} -> {v['targets'][:3]}" for v in violations]
    assert not problems, "\n".join(problems)
