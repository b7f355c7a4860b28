"""A cleaner's private iCalendar feed (RFC 5545, written with the ``icalendar`` library): their confirmed,
in-progress and completed bookings from FEED_PAST ago on, at a URL whose token is the only key
(``/bookings/calendar/<token>.ics``, no login, so calendar apps can subscribe). A new token revokes the
old URL at once. Cancelled (and still pending) bookings are left out, so calendar apps drop them.

What an event shows follows the API's privacy rule: the street address only while the booking is
confirmed or in progress; the customer by first name only."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cleanit.db import atomic

from .. import notices
from ..errors import CalendarNotFound
from ..models import Booking, CalendarFeed

FEED_PAST = timedelta(days=30)  # bookings that started this long ago are still in the feed
FEED_MAX_EVENTS = 1000  # the soonest-first cap of one feed
FEED_STATUSES = (Booking.Status.CONFIRMED, Booking.Status.IN_PROGRESS, Booking.Status.COMPLETED)
REFRESH_INTERVAL = timedelta(hours=1)  # the refresh asked of calendar apps (most poll less often anyway)
PRODID = "-//Cleanit//Bookings//EN"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_get_or_create(*, cleaner) -> CalendarFeed:
    """The cleaner profile's feed, created with a fresh token on first use (one per cleaner: of two
    racing first calls one creates it, the other reads it)."""
    feed = CalendarFeed.objects.filter(cleaner=cleaner).first()
    if feed is not None:
        return feed
    try:
        with atomic():
            return CalendarFeed.objects.create(cleaner=cleaner, token=_new_token())
    except IntegrityError:
        return CalendarFeed.objects.get(cleaner=cleaner)


def calendar_feed_reset(*, cleaner) -> CalendarFeed:
    """A new token for the cleaner's feed: the old URL answers 404 from now on."""
    feed = calendar_feed_get_or_create(cleaner=cleaner)
    token = _new_token()
    CalendarFeed.objects.filter(pk=feed.pk).update(token=token, updated_at=timezone.now())
    feed.token = token
    return feed


def calendar_feed_url(feed: CalendarFeed) -> str:
    """The feed's absolute https (or http in development) address."""
    return settings.SITE_URL + reverse("bookings:calendar_feed", args=[feed.token])


def webcal_url(url: str) -> str:
    """The same address as webcal://, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def calendar_feed_for_token(*, token) -> CalendarFeed:
    """The feed of a token; CalendarNotFound (404) for an unknown (or revoked) one and for a cleaner whose
    account is no longer active."""
    feed = None
    if isinstance(token, str) and 0 < len(token) <= CalendarFeed._meta.get_field("token").max_length:
        feed = CalendarFeed.objects.select_related("cleaner__user").filter(token=token).first()
    user = feed.cleaner.user if feed else None
    if feed is None or not user.is_active or user.deleted_at is not None:
        raise CalendarNotFound(notices.CALENDAR_NOT_FOUND)
    return feed


def calendar_bookings(*, cleaner, now: datetime | None = None):
    """The bookings in the cleaner's feed: confirmed, in progress or completed, from FEED_PAST ago on,
    soonest first (the index on cleaner, status, starts_at)."""
    now = now or timezone.now()
    return (Booking.objects.select_related("customer")
            .filter(cleaner=cleaner, status__in=FEED_STATUSES, starts_at__gte=now - FEED_PAST)
            .order_by("starts_at", "pk")[:FEED_MAX_EVENTS])


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(dt_timezone.utc)


def calendar_ics(*, feed: CalendarFeed, now: datetime | None = None) -> bytes:
    """The feed as an iCalendar file."""
    from icalendar import Calendar, Event, vDuration  # the maintained RFC 5545 writer (requirements.txt)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", notices.CALENDAR_NAME)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    for booking in calendar_bookings(cleaner=feed.cleaner, now=now):
        event = Event()
        event.add("uid", f"{booking.pk}@cleanit")
        event.add("dtstamp", _utc(booking.updated_at))
        event.add("last-modified", _utc(booking.updated_at))
        event.add("dtstart", _utc(booking.starts_at))
        event.add("dtend", _utc(booking.ends_at))
        event.add("sequence", booking.calendar_sequence)
        event.add("status", "CONFIRMED")
        event.add("summary", notices.calendar_summary(booking))
        url = settings.SITE_URL + notices.booking_link(booking.pk)
        event.add("description", notices.calendar_description(booking, url))
        event.add("url", url)
        if booking.contact_visible:  # the address only while the booking is on, as everywhere
            event.add("location", f"{booking.street}, {booking.city}, {booking.state} {booking.pincode}")
        calendar.add_component(event)
    return calendar.to_ical()
