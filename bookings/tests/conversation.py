"""Helpers for the conversation tests (reviews, messages, disputes, privacy): a booking brought to a
given status through the services, API clients per user."""

from __future__ import annotations

from datetime import timedelta

from rest_framework.test import APIClient

from bookings import services
from bookings.models import Booking

from .factories import book, listed_cleaner


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def booking_in(status: str, pay, *, package=None, **fields) -> Booking:
    """A booking of ``package`` (a new listed cleaner's by default) moved to ``status`` the way the app
    does: pending, confirmed (accepted and paid), in_progress, completed, or cancelled (by the customer)."""
    package = package or listed_cleaner()
    booking = book(package, **fields)
    cleaner = package.cleaner.user
    if status == "cancelled":
        services.booking_cancel(booking=booking, user=booking.customer)
    if status in ("confirmed", "in_progress", "completed"):
        services.booking_accept(booking=booking, user=cleaner)
        booking = pay(booking)
    if status in ("in_progress", "completed"):
        services.booking_start(booking=booking, user=cleaner, now=booking.starts_at)
    if status == "completed":
        services.booking_complete(booking=booking, user=cleaner, now=booking.starts_at + timedelta(hours=2))
    booking = Booking.objects.select_related("customer", "cleaner__user", "payment").get(pk=booking.pk)
    assert booking.status == status
    return booking


def envelope(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
