"""Issue 12: a booking's payout, in the daily payout batch, costs at most 12 queries, counted as in
production (committing, the in-process webhook included, the payment simulator's own writes left
out); three cost three times one plus the batch's constant (its reads of due payouts and two sums)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from payments.models import LedgerEntry, Payout, WebhookEvent
from payments.services import payouts, payouts_process
from tests.queries import app_queries, listing, per_item

from .factories import payout_released

pytestmark = pytest.mark.django_db(transaction=True)

PAYOUT_QUERIES = 12
PAYOUT_BATCH_CONSTANT = 6


def test_a_booking_payout_is_paid_in_at_most_12_app_queries(pay):
    payout = payout_released(pay)
    with per_item(payouts, "payout_attempt") as calls:
        assert "attempted 1" in payouts_process(now=payout.due_at + timedelta(minutes=1)).summary
    assert len(calls) == 1 and len(calls[0]) <= PAYOUT_QUERIES, listing(calls[0])
    payout.refresh_from_db()
    assert payout.status == "paid" and payout.gateway_payout_id
    assert LedgerEntry.objects.filter(kind="paid_out", reference=f"payout:{payout.pk}").count() == 1
    assert Notification.objects.filter(user=payout.payee, event="payout.paid").count() == 1
    assert WebhookEvent.objects.get(event_type="payout.processed").outcome == "paid"


def test_three_booking_payouts_cost_three_times_one(pay):
    due = max(payout_released(pay).due_at for _ in range(3)) + timedelta(minutes=1)
    with CaptureQueriesContext(connection) as queries:
        payouts_process(now=due)
    counted = app_queries(queries.captured_queries)
    assert len(counted) <= 3 * PAYOUT_QUERIES + PAYOUT_BATCH_CONSTANT, listing(counted)
    assert Payout.objects.filter(source_kind="booking", status="paid").count() == 3
