"""The cleaner's share through the hourly job (``run_periodic bookings.release_payouts --at ...``): due
PAYOUT_AFTER_COMPLETION after completion exactly, not before, never while a dispute is open, once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from bookings import rules, services
from bookings.models import Booking, Dispute
from cleanit.statemachine import transition
from payments.models import Payout

from .factories import book, listed_cleaner

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def run(at) -> str:
    out = StringIO()
    call_command("run_periodic", "bookings.release_payouts", "--at", at.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def completed(pay):
    package = listed_cleaner(price=1000_00)
    booking = book(package)
    cleaner = package.cleaner.user
    services.booking_accept(booking=booking, user=cleaner)
    booking = pay(booking)
    services.booking_start(booking=booking, user=cleaner, now=booking.starts_at)
    services.booking_complete(booking=booking, user=cleaner, now=booking.starts_at + timedelta(hours=2))
    booking.refresh_from_db()
    return booking


def payouts(booking):
    return Payout.objects.filter(source_kind=rules.PAYOUT_SOURCE, source_id=str(booking.pk))


def test_due_48_hours_after_completion_exactly_and_once(completed):
    due = completed.completed_at + rules.PAYOUT_AFTER_COMPLETION
    assert "0 booking payout(s) released" in run(due - MINUTE)
    assert not payouts(completed).exists()
    assert "1 booking payout(s) released" in run(due)
    payout = payouts(completed).get()
    assert (payout.amount, payout.payee_id) == (1000_00, completed.cleaner.user_id)
    assert "0 booking payout(s) released" in run(due)
    assert "0 booking payout(s) released" in run(due + timedelta(hours=1))
    assert payouts(completed).count() == 1


def test_not_while_a_dispute_is_open(completed):
    dispute = Dispute.objects.create(booking=completed, opened_by=completed.customer, category="poor_quality",
                                     text="Kitchen not cleaned.")
    due = completed.completed_at + rules.PAYOUT_AFTER_COMPLETION
    assert "0 booking payout(s) released" in run(due)
    assert "0 booking payout(s) released" in run(due + timedelta(days=3))
    assert not payouts(completed).exists()
    transition(dispute, Dispute.Status.RESOLVED)  # decided (here with no outcome): the next hourly run releases it
    assert "1 booking payout(s) released" in run(due + timedelta(days=3, hours=1))
    assert payouts(completed).count() == 1


def test_a_payout_released_earlier_is_not_released_again(completed):
    """At the review (or any earlier release) the share is paid once; the job finds nothing left."""
    assert services.booking_payout_release(booking=completed, now=completed.completed_at + timedelta(hours=1))
    assert "0 booking payout(s) released" in run(completed.completed_at + rules.PAYOUT_AFTER_COMPLETION)
    assert payouts(completed).count() == 1


def test_bookings_not_completed_are_not_paid_out(pay):
    package = listed_cleaner()
    booking = book(package)
    services.booking_accept(booking=booking, user=package.cleaner.user)
    booking = pay(booking)
    Booking.objects.filter(pk=booking.pk).update(payout_due_at=booking.starts_at)  # even with a due date
    assert "0 booking payout(s) released" in run(booking.starts_at + timedelta(days=3))
    assert not payouts(booking).exists()
