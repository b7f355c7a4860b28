"""Issue 12: a booking's payout, in the daily payout batch, costs at most 12 queries, counted as in
production (committing, the in-process webhook included, the payment simulator's own writes left
out); three cost three times one plus the batch's constant (its reads of due payouts and two sums)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import services
from bookings.models import Booking
from jobs.tests.factories import verified_cleaner
from marketplace.tests.factories import UserFactory
from notifications.models import Notification
from payments.models import LedgerEntry, Payout, WebhookEvent
from payments.services import payouts, payouts_process
from tests.queries import app_queries, listing, per_item

from .factories import book, listed_cleaner

pytestmark = pytest.mark.django_db(transaction=True)

PAYOUT_QUERIES = 12
PAYOUT_BATCH_CONSTANT = 6


def released_booking(pay) -> Payout:
    package = listed_cleaner(price=1000_00, user=verified_cleaner())
    cleaner = package.cleaner.user
    booking = book(package, customer=UserFactory())
    services.booking_accept(booking=booking, user=cleaner)
    booking = pay(Booking.objects.get(pk=booking.pk))
    services.booking_start(booking=booking, user=cleaner, now=booking.starts_at)
    services.booking_complete(booking=booking, user=cleaner, now=booking.ends_at)
    booking.refresh_from_db()
    assert services.booking_payout_release(booking=booking, now=booking.payout_due_at)
    return Payout.objects.get(source_kind="booking", source_id=str(booking.pk))


def test_a_booking_payout_is_paid_in_at_most_12_app_queries(pay):
    payout = released_booking(pay)
    with per_item(payouts, "payout_attempt") as calls:
        assert "attempted 1" in payouts_process(now=payout.due_at + timedelta(minutes=1)).summary
    assert len(calls) == 1 and len(calls[0]) <= PAYOUT_QUERIES, listing(calls[0])
    payout.refresh_from_db()
    assert payout.status == "paid" and payout.gateway_payout_id
    assert LedgerEntry.objects.filter(kind="paid_out", reference=f"payout:{payout.pk}").count() == 1
    assert Notification.objects.filter(user=payout.payee, event="payout.paid").count() == 1
    assert WebhookEvent.objects.get(event_type="payout.processed").outcome == "paid"


def test_three_booking_payouts_cost_three_times_one(pay):
    due = max(released_booking(pay).due_at for _ in range(3)) + timedelta(minutes=1)
    with CaptureQueriesContext(connection) as queries:
        payouts_process(now=due)
    counted = app_queries(queries.captured_queries)
    assert len(counted) <= 3 * PAYOUT_QUERIES + PAYOUT_BATCH_CONSTANT, listing(counted)
    assert Payout.objects.filter(source_kind="booking", status="paid").count() == 3
