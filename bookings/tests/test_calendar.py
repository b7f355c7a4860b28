"""The cleaner's iCalendar feed: its private address (API and dashboard partial), the reset that revokes
the old address, and the feed itself (``/bookings/calendar/<token>.ics``, no login): confirmed,
in-progress and completed bookings from 30 days ago on, the address only while confirmed or in progress,
cancelled ones left out."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from bookings import notices, services
from bookings.models import Booking, CalendarFeed
from bookings.services import calendar as calendar_services
from bookings.views_calendar import calendar_feed_context
from marketplace.services import auth_issue_tokens
from marketplace.tests.factories import CleanerFactory, UserFactory

from .factories import book, listed_cleaner

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_issue_tokens(user=user).access}")
    return client


def feed_path(url: str) -> str:
    assert url.startswith(settings.SITE_URL)
    return url[len(settings.SITE_URL):]


def parse(response):
    from icalendar import Calendar

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(event["UID"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}


class TestAddress:
    def test_get_creates_one_private_address_and_keeps_it(self):
        package = listed_cleaner()
        client = api_as(package.cleaner.user)
        first = client.get("/api/v1/cleaners/me/calendar")
        assert first.status_code == 200
        url = first.json()["url"]
        token = CalendarFeed.objects.get(cleaner=package.cleaner).token
        assert url == f"{settings.SITE_URL}/bookings/calendar/{token}.ics" and len(token) >= 43
        assert first.json()["webcal_url"] == "webcal://" + url.split("://", 1)[1]
        assert client.get("/api/v1/cleaners/me/calendar").json()["url"] == url
        assert CalendarFeed.objects.count() == 1

    def test_reset_gives_a_new_address_and_the_old_one_is_gone(self, client):
        package = listed_cleaner()
        api = api_as(package.cleaner.user)
        old = api.get("/api/v1/cleaners/me/calendar").json()["url"]
        assert client.get(feed_path(old)).status_code == 200
        response = api.post("/api/v1/cleaners/me/calendar/reset")
        assert response.status_code == 200
        new = response.json()["url"]
        assert new != old
        assert client.get(feed_path(old)).status_code == 404
        assert client.get(feed_path(new)).status_code == 200
        assert api.get("/api/v1/cleaners/me/calendar").json()["url"] == new

    @pytest.mark.parametrize("method, path_", [("get", "/api/v1/cleaners/me/calendar"),
                                               ("post", "/api/v1/cleaners/me/calendar/reset")])
    def test_only_a_cleaner_with_a_profile(self, method, path_):
        anonymous = getattr(APIClient(), method)(path_)
        assert anonymous.status_code == 401 and "error" in anonymous.json()
        customer = getattr(api_as(UserFactory()), method)(path_)
        assert customer.status_code == 403 and customer.json()["error"]["code"] == "not_a_cleaner"
        no_profile = getattr(api_as(CleanerFactory()), method)(path_)
        assert no_profile.status_code == 404 and no_profile.json()["error"]["code"] == "profile_required"
        assert not CalendarFeed.objects.exists()

    def test_wrong_methods_are_refused_with_the_envelope(self):
        client = api_as(listed_cleaner().cleaner.user)
        for response in (client.post("/api/v1/cleaners/me/calendar"), client.get("/api/v1/cleaners/me/calendar/reset")):
            assert response.status_code == 405 and "error" in response.json()
        assert not CalendarFeed.objects.exists()

    def test_a_token_is_unique_per_cleaner_and_random(self):
        first, second = listed_cleaner().cleaner, listed_cleaner().cleaner
        a = services.calendar_feed_get_or_create(cleaner=first)
        b = services.calendar_feed_get_or_create(cleaner=second)
        assert a.token != b.token and services.calendar_feed_get_or_create(cleaner=first).pk == a.pk
        assert services.calendar_feed_reset(cleaner=first).token not in (a.token, b.token)


class TestFeed:
    def test_the_feed_of_the_cleaners_confirmed_bookings(self, client, pay):
        package = listed_cleaner(duration_minutes=60)
        cleaner = package.cleaner.user
        confirmed = book(package, at="09:00", customer=UserFactory(name="Asha Rao"))
        services.booking_accept(booking=confirmed, user=cleaner)
        started = book(package, at="11:00")
        services.booking_accept(booking=started, user=cleaner)
        started = pay(started)
        services.booking_start(booking=started, user=cleaner, now=started.starts_at)
        done = book(package, at="13:00")
        services.booking_accept(booking=done, user=cleaner)
        done = pay(done)
        services.booking_start(booking=done, user=cleaner, now=done.starts_at)
        services.booking_complete(booking=done, user=cleaner, now=done.ends_at)
        pending = book(package, at="15:00")
        cancelled = book(package, at="17:00")
        services.booking_accept(booking=cancelled, user=cleaner)
        services.booking_cancel(booking=cancelled, user=cancelled.customer)
        old = book(package, at="18:00")
        services.booking_accept(booking=old, user=cleaner)
        long_ago = timezone.now() - timedelta(days=31)
        Booking.objects.filter(pk=old.pk).update(starts_at=long_ago, ends_at=long_ago + timedelta(hours=1))
        Booking.objects.filter(pk=confirmed.pk).update(calendar_sequence=3)
        others = listed_cleaner()
        other = book(others)
        services.booking_accept(booking=other, user=others.cleaner.user)

        feed = services.calendar_feed_get_or_create(cleaner=package.cleaner)
        response = client.get(f"/bookings/calendar/{feed.token}.ics")  # no login
        events = parse(response)
        assert set(events) == {f"{booking.pk}@cleanit" for booking in (confirmed, started, done)}

        event = events[f"{confirmed.pk}@cleanit"]
        assert event.decoded("DTSTART") == confirmed.starts_at and event.decoded("DTEND") == confirmed.ends_at
        assert event.decoded("DTSTART").utcoffset() == timedelta(0)
        assert str(event["SUMMARY"]) == f"{confirmed.service_name} for Asha"
        assert str(event["LOCATION"]).startswith(confirmed.street) and confirmed.pincode in str(event["LOCATION"])
        link = settings.SITE_URL + notices.booking_link(confirmed.pk)
        assert link in str(event["DESCRIPTION"]) and str(event["URL"]) == link
        assert int(event["SEQUENCE"]) == 3
        assert "LOCATION" in events[f"{started.pk}@cleanit"]
        assert "LOCATION" not in events[f"{done.pk}@cleanit"]  # the address only while on
        assert pending.pk and cancelled.pk and other.pk  # left out above

    def test_times_are_written_in_utc(self, client):
        package = listed_cleaner()
        booking = book(package, at="09:00")
        services.booking_accept(booking=booking, user=package.cleaner.user)
        feed = services.calendar_feed_get_or_create(cleaner=package.cleaner)
        body = client.get(f"/bookings/calendar/{feed.token}.ics").content.decode()
        utc = booking.starts_at.astimezone(timezone.get_fixed_timezone(0))
        assert f"DTSTART:{utc:%Y%m%dT%H%M%S}Z" in body and "TZID" not in body  # 09:00 IST = 03:30 UTC

    def test_unknown_revoked_and_inactive_tokens_are_404(self, client):
        package = listed_cleaner()
        feed = services.calendar_feed_get_or_create(cleaner=package.cleaner)
        assert client.get("/bookings/calendar/nope.ics").status_code == 404
        assert client.get(f"/bookings/calendar/{'x' * 80}.ics").status_code == 404
        old = feed.token
        services.calendar_feed_reset(cleaner=package.cleaner)
        assert client.get(f"/bookings/calendar/{old}.ics").status_code == 404
        feed.refresh_from_db()
        user = package.cleaner.user
        type(user).objects.filter(pk=user.pk).update(is_active=False)
        assert client.get(f"/bookings/calendar/{feed.token}.ics").status_code == 404

    def test_only_get(self, client):
        feed = services.calendar_feed_get_or_create(cleaner=listed_cleaner().cleaner)
        assert client.post(f"/bookings/calendar/{feed.token}.ics").status_code == 405


class TestDashboardPartial:
    def test_the_partial_shows_the_address_and_the_reset(self):
        profile = listed_cleaner().cleaner
        html = render_to_string("bookings/_calendar_feed.html", calendar_feed_context(profile))
        url = calendar_services.calendar_feed_url(CalendarFeed.objects.get(cleaner=profile))
        assert f'value="{url}"' in html and "webcal://" in html
        assert f'action="{reverse("bookings:calendar_reset")}"' in html and 'for="calendar-url"' in html

    def test_reset_by_form_post(self, client):
        profile = listed_cleaner().cleaner
        old = services.calendar_feed_get_or_create(cleaner=profile).token
        client.force_login(profile.user)
        response = client.post(reverse("bookings:calendar_reset"))
        assert response.status_code == 302 and response["Location"] == reverse("marketplace:cleaner_dashboard")
        assert [str(m) for m in get_messages(response.wsgi_request)] == [notices.CALENDAR_RESET_DONE]
        assert CalendarFeed.objects.get(cleaner=profile).token != old

    def test_reset_with_htmx_swaps_the_partial(self, client):
        profile = listed_cleaner().cleaner
        client.force_login(profile.user)
        response = client.post(reverse("bookings:calendar_reset"), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert CalendarFeed.objects.get(cleaner=profile).token in html and notices.CALENDAR_RESET_DONE in html

    def test_who_may_not_reset(self, client):
        url = reverse("bookings:calendar_reset")
        assert client.post(url).status_code == 302  # to log in
        client.force_login(UserFactory())
        assert client.post(url).status_code == 403
        cleaner = CleanerFactory()
        client.force_login(cleaner)
        assert client.post(url)["Location"] == reverse("marketplace:cleaner_profile_edit")
        client.force_login(listed_cleaner().cleaner.user)
        assert client.get(url).status_code == 405
        assert not CalendarFeed.objects.exists()
