"""The cleaner dashboard's booking sections (bookings registers them through marketplace.hooks): requests to
accept or decline with a countdown to their expiry (htmx and plain forms), the upcoming schedule by IST
day, and the earnings page counting booking payouts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from freezegun import freeze_time

from bookings import notices, services, views
from bookings.models import Booking
from marketplace import hooks
from marketplace.tests.factories import CleanerFactory
from payments import services as payment_services

from .factories import book, ist, listed_cleaner, payout_released

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("marketplace:cleaner_dashboard")


def section(content: str, section_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="[^"]+" id="{section_id}">.*?</section>', content, re.S)
    assert match, section_id
    return match.group(0)


@pytest.fixture
def package():
    return listed_cleaner(price=1000_00, duration_minutes=120)


@pytest.fixture
def cleaner_client(client, package):
    client.force_login(package.cleaner.user)
    return client


def test_bookings_registers_its_sections_with_marketplace():
    assert views.dashboard_sections in list(hooks.dashboard_sections_providers)


def test_a_cleaner_without_a_profile_sees_no_booking_sections(client):
    client.force_login(CleanerFactory())
    content = client.get(DASHBOARD).content.decode()
    assert 'id="booking-requests"' not in content


class TestRequests:
    def test_pending_requests_with_buttons_and_the_countdown(self, cleaner_client, package):
        tomorrow = timezone.localdate() + timedelta(days=1)
        with freeze_time(ist(tomorrow, "07:00")):
            later = book(package, day=tomorrow + timedelta(days=3), at="10:00")  # expires 24 h after it was made
            soon = book(package, day=tomorrow, at="10:00")  # starts within 24 h: expires at its start
            content = cleaner_client.get(DASHBOARD).content.decode()
        requests = section(content, "booking-requests")
        assert f'data-booking-id="{later.pk}"' in requests
        deadline = timezone.localtime(ist(tomorrow + timedelta(days=1), "07:00"))
        assert f'datetime="{deadline.isoformat()}"' in requests
        assert f'datetime="{timezone.localtime(soon.starts_at).isoformat()}"' in requests
        assert requests.index(str(soon.pk)) < requests.index(str(later.pk))  # soonest to expire first
        assert "3\xa0hours left</span>" in requests and "1\xa0day left</span>" in requests
        assert "js/countdown" in content
        assert f'action="{reverse("bookings:accept", args=[later.pk])}"' in requests
        assert f'hx-post="{reverse("bookings:reject", args=[later.pk])}"' in requests
        assert f'name="next" value="{DASHBOARD}"' in requests
        assert later.customer.phone not in requests and later.street not in requests  # not before accepting

    def test_the_answer_deadline_is_the_earlier_of_24_h_and_the_start(self, package):
        now = timezone.now()
        booking = book(package, now=now)
        assert views.answer_by(booking) == booking.created_at + timedelta(hours=24)
        booking.starts_at = booking.created_at + timedelta(hours=5)
        assert views.answer_by(booking) == booking.starts_at

    def test_no_requests(self, cleaner_client):
        assert "No requests waiting" in section(cleaner_client.get(DASHBOARD).content.decode(), "booking-requests")

    def test_htmx_accept_swaps_the_card(self, cleaner_client, package):
        booking = book(package)
        response = cleaner_client.post(reverse("bookings:accept", args=[booking.pk]), {"next": DASHBOARD},
                                       HTTP_HX_REQUEST="true")
        content = response.content.decode()
        assert response.status_code == 200 and content.startswith("<li") and notices.ACCEPTED_PAGE in content
        assert 'data-status="confirmed"' in content and "hx-post" not in content
        assert Booking.objects.get(pk=booking.pk).status == "confirmed"
        again = cleaner_client.post(reverse("bookings:accept", args=[booking.pk]), HTTP_HX_REQUEST="true")
        assert again.status_code == 200 and "flash-error" in again.content.decode()

    def test_plain_accept_comes_back_to_the_dashboard(self, cleaner_client, package):
        booking = book(package)
        response = cleaner_client.post(reverse("bookings:accept", args=[booking.pk]), {"next": DASHBOARD})
        assert response.status_code == 302 and response.url == DASHBOARD
        content = cleaner_client.get(DASHBOARD).content.decode()
        assert notices.ACCEPTED_PAGE in content
        assert str(booking.pk) in section(content, "booking-upcoming")
        assert str(booking.pk) not in section(content, "booking-requests")

    def test_htmx_decline_needs_a_reason(self, cleaner_client, package):
        booking = book(package)
        url = reverse("bookings:reject", args=[booking.pk])
        response = cleaner_client.post(url, {"reason": "", "next": DASHBOARD}, HTTP_HX_REQUEST="true")
        content = response.content.decode()
        assert response.status_code == 200 and escape(notices.REASON_REQUIRED) in content
        assert f'id="reason-{booking.pk}-errors"' in content and "<details open>" in content
        assert Booking.objects.get(pk=booking.pk).status == "pending"
        response = cleaner_client.post(url, {"reason": "On leave", "next": DASHBOARD}, HTTP_HX_REQUEST="true")
        assert notices.REJECTED_PAGE in response.content.decode()
        assert Booking.objects.get(pk=booking.pk).cancellation_reason == "On leave"

    def test_another_cleaner_cannot_answer_from_their_dashboard(self, client, package):
        booking = book(package)
        client.force_login(listed_cleaner().cleaner.user)
        assert client.post(reverse("bookings:accept", args=[booking.pk]), HTTP_HX_REQUEST="true").status_code == 404
        assert str(booking.pk) not in client.get(DASHBOARD).content.decode()


class TestUpcoming:
    def test_confirmed_and_started_bookings_by_ist_day(self, cleaner_client, package, pay):
        today = timezone.localdate()
        first = book(package, day=today + timedelta(days=2), at="14:00")
        second = book(package, day=today + timedelta(days=2), at="09:00")
        third = book(package, day=today + timedelta(days=4), at="11:00")
        waiting = book(package, day=today + timedelta(days=3), at="11:00")  # pending: a request, not upcoming
        for booking in (first, second, third):
            services.booking_accept(booking=booking, user=package.cleaner.user)
        pay(Booking.objects.get(pk=second.pk))
        upcoming = section(cleaner_client.get(DASHBOARD).content.decode(), "booking-upcoming")
        headings = re.findall(r'<h3 class="day-heading">([^<]+)</h3>', upcoming)
        assert headings == [(today + timedelta(days=2)).strftime("%A, %-d %b %Y"),
                            (today + timedelta(days=4)).strftime("%A, %-d %b %Y")]
        ids = re.findall(r'<tr data-booking-id="([^"]+)"', upcoming)
        assert ids == [str(second.pk), str(first.pk), str(third.pk)]  # by time within the day
        assert str(waiting.pk) not in upcoming
        assert "9:00 AM – 11:00 AM" in upcoming and "Paid" in upcoming and "Not paid" in upcoming

    def test_nothing_upcoming(self, cleaner_client):
        assert "No confirmed bookings" in section(cleaner_client.get(DASHBOARD).content.decode(), "booking-upcoming")


def test_the_earnings_page_counts_booking_payouts(client, pay, django_capture_on_commit_callbacks):
    """payments.selectors.earnings_for counts every payout of the payee, so a booking's is included."""
    payout = payout_released(pay)
    cleaner = payout.payee
    with django_capture_on_commit_callbacks(execute=True):
        payment_services.payouts_process(now=payout.due_at + timedelta(minutes=1))
    payout.refresh_from_db()
    assert payout.status == "paid"
    client.force_login(cleaner)
    content = client.get(reverse("marketplace:earnings")).content.decode()
    assert re.search(r'data-testid="total-paid">₹1,000.00<', content)
    assert payout.description in content
    month = timezone.localtime(payout.paid_at).strftime("%b %Y")
    assert re.search(rf"<th scope=\"row\">{month}</th>\s*<td>₹1,000.00", content)


def test_the_dashboard_shows_the_private_calendar_address(client):
    from bookings.models import CalendarFeed
    from bookings.tests.factories import listed_cleaner

    package = listed_cleaner()
    client.force_login(package.cleaner.user)
    content = client.get("/account/cleaner/").content.decode()
    feed = CalendarFeed.objects.get(cleaner=package.cleaner)
    assert 'id="calendar-heading"' in content and f"/bookings/calendar/{feed.token}.ics" in content
