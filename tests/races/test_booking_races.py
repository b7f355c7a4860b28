"""Bookings under real concurrency (threads against live_server, file SQLite in WAL mode): twenty
customers asking for overlapping times of one cleaner, one booking stored; a cleaner's accept racing
the customer's cancel, one of them wins and the other is told."""

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking, SlotHold
from bookings.tests.factories import ADDRESS, book, listed_cleaner
from marketplace.services import auth_issue_tokens
from marketplace.tests.factories import UserFactory

from .test_job_races import all_at_once

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


def call(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_twenty_customers_racing_for_overlapping_times_one_booking_is_stored(live_server):
    package = listed_cleaner(duration_minutes=120)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    tokens = [auth_issue_tokens(user=UserFactory()).access for _ in range(20)]
    starts = ["10:00", "10:30", "11:00", "11:30"]  # each overlaps the others (2-hour service)
    bodies = [{"cleaner_id": str(package.cleaner_id), "service_id": str(package.pk), "booking_date": day,
               "start_time": starts[index % len(starts)], "service_address": ADDRESS} for index in range(20)]
    url = f"{live_server.url}/api/v1/bookings/"
    results = all_at_once([lambda t=t, b=b: call("POST", url, t, b) for t, b in zip(tokens, bodies)])
    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1 and statuses.count(409) == 19, statuses
    assert {body["error"]["code"] for status, body in results if status == 409} == {"slot_unavailable"}
    assert Booking.objects.count() == 1
    booking = Booking.objects.get()
    assert SlotHold.objects.filter(booking=booking).count() == 4 == SlotHold.objects.count()


def test_accept_racing_cancel_never_loses_the_cancellation(live_server):
    """The customer's cancel always stands: either it came first (the accept is refused: 409
    invalid_transition) or the accept came first and the cancel then cancelled the confirmed booking.
    Never a cancelled booking that a late accept turns back into a confirmed one."""
    package = listed_cleaner()
    for attempt in range(4):
        booking = book(package, day=timezone.localdate() + timedelta(days=6 + attempt))
        cleaner_token = auth_issue_tokens(user=package.cleaner.user).access
        customer_token = auth_issue_tokens(user=booking.customer).access
        base = f"{live_server.url}/api/v1/bookings/{booking.pk}"
        accept, cancel = all_at_once([
            lambda: call("PATCH", f"{base}/status", cleaner_token, {"status": "confirmed"}),
            lambda: call("DELETE", base, customer_token, {}),
        ])
        booking.refresh_from_db()
        assert cancel[0] == 200 and booking.status == "cancelled", (accept, cancel)
        moves = list(booking.events.exclude(action="requested").values_list("action", flat=True))
        if accept[0] == 200:
            assert moves == ["accepted", "cancelled"]
        else:
            assert accept[0] == 409 and accept[1]["error"]["code"] == "invalid_transition"
            assert moves == ["cancelled"]
        assert not SlotHold.objects.filter(booking=booking).exists()
