"""The booking lifecycle end to end through the services: request, accept, pay, start, complete, payout;
and the cancellation policy's money. The ledger invariant is checked after every test (conftest)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import rules, services
from bookings.models import Booking, SlotHold
from cleanit import errors
from payments.models import LedgerEntry, Payout, Refund

from .factories import book, listed_cleaner

pytestmark = pytest.mark.django_db


def test_request_accept_pay_start_complete_and_payout(pay):
    package = listed_cleaner(price=1000_00)
    booking = book(package)
    assert (booking.status, booking.service_price, booking.platform_fee, booking.total_price) == \
        ("pending", 1000_00, 100_00, 1100_00)
    assert SlotHold.objects.filter(booking=booking).count() == 4  # 2 hours in half hours
    cleaner = package.cleaner.user
    services.booking_accept(booking=booking, user=cleaner)
    booking = pay(booking)
    assert booking.payment_status == "paid"
    services.booking_start(booking=booking, user=cleaner, now=booking.starts_at)
    services.booking_complete(booking=booking, user=cleaner, now=booking.starts_at + timedelta(hours=2))
    booking.refresh_from_db()
    assert booking.status == "completed" and booking.payout_due_at == booking.completed_at + rules.PAYOUT_AFTER_COMPLETION
    assert services.booking_payout_release(booking=booking, now=booking.payout_due_at)
    assert not services.booking_payout_release(booking=booking, now=booking.payout_due_at)
    payout = Payout.objects.get(source_kind="booking", source_id=str(booking.pk))
    assert payout.amount == 1000_00 and payout.payee == cleaner
    fee = LedgerEntry.objects.get(escrow_key=booking.escrow_key, kind=LedgerEntry.Kind.FEE)
    assert fee.amount == 100_00


@pytest.mark.parametrize("notice, refund", [
    (timedelta(hours=24), 1100_00), (timedelta(hours=23, minutes=59), 550_00),
    (timedelta(hours=6), 550_00), (timedelta(hours=5, minutes=59), 0),
])
def test_customer_refund_at_the_boundaries(pay, notice, refund):
    package = listed_cleaner(price=1000_00)
    booking = book(package)
    services.booking_accept(booking=booking, user=package.cleaner.user)
    booking = pay(booking)
    services.booking_cancel(booking=booking, user=booking.customer, now=booking.starts_at - notice)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.refund_amount == refund
    assert not SlotHold.objects.filter(booking=booking).exists()
    if refund:
        assert Refund.objects.get(payment=booking.payment).amount == refund
    kept = 1100_00 - refund
    if kept:
        payout = Payout.objects.get(source_kind="booking", source_id=str(booking.pk))
        assert payout.amount == kept * 1000_00 // 1100_00
        assert booking.fee_amount == kept - payout.amount


def test_a_customer_cannot_accept_and_a_cleaner_must_give_a_reason():
    package = listed_cleaner()
    booking = book(package)
    with pytest.raises(errors.NotAllowed):
        services.booking_status_change(booking=booking, user=booking.customer, status="confirmed")
    with pytest.raises(errors.ValidationFailed):
        services.booking_cancel(booking=booking, user=package.cleaner.user, reason=" ")
    services.booking_cancel(booking=booking, user=package.cleaner.user, reason="Away that week")
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == "cleaner"
    with pytest.raises(errors.InvalidTransition):
        services.booking_accept(booking=booking, user=package.cleaner.user)


def test_overlapping_time_is_refused_and_freed_by_a_cancellation():
    package = listed_cleaner()
    first = book(package, at="10:00")
    with pytest.raises(errors.Conflict) as refused:
        book(package, at="11:00", day=first.booking_date)
    assert refused.value.code == "slot_unavailable"
    services.booking_cancel(booking=first, user=first.customer)
    again = book(package, at="11:00", day=first.booking_date)
    assert again.status == Booking.Status.PENDING


def test_a_request_past_its_answer_window_cannot_be_accepted():
    package = listed_cleaner()
    booking = book(package)
    late = booking.created_at + rules.PENDING_ANSWER_WITHIN
    with pytest.raises(errors.Conflict) as refused:
        services.booking_accept(booking=booking, user=package.cleaner.user, now=late)
    assert refused.value.code == "request_expired"
    services.booking_accept(booking=booking, user=package.cleaner.user, now=late - timedelta(minutes=1))
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.calendar_sequence == 1


def test_an_expiry_read_before_an_accept_leaves_the_accepted_booking_alone():
    package = listed_cleaner()
    booking = book(package)
    stale = Booking.objects.get(pk=booking.pk)  # what the sweep read: pending
    services.booking_accept(booking=booking, user=package.cleaner.user)
    assert not services.booking_expire(booking=stale, reason="unanswered", now=timezone.now())
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_cleaners_figures_follow_the_bookings(pay):
    from marketplace.models import CleanerProfile

    package = listed_cleaner()
    cleaner = package.cleaner.user
    first = book(package, at="10:00")
    services.booking_accept(booking=first, user=cleaner, now=first.created_at + timedelta(minutes=30))
    declined = book(package, at="14:00")
    services.booking_cancel(booking=declined, user=cleaner, reason="Busy", now=declined.created_at + timedelta(hours=1))
    first = pay(first)
    services.booking_start(booking=first, user=cleaner, now=first.starts_at)
    services.booking_complete(booking=first, user=cleaner, now=first.ends_at)
    profile = CleanerProfile.objects.get(pk=package.cleaner_id)
    assert (profile.accepted_bookings, profile.completed_bookings, profile.response_count,
            profile.response_seconds_total, profile.cleaner_cancellations) == (1, 1, 2, 30 * 60 + 60 * 60, 0)


def test_three_cleaner_cancellations_in_30_days_suspend_the_cleaner_from_search(pay, django_capture_on_commit_callbacks):
    from marketplace import selectors as marketplace_selectors
    from marketplace.models import CleanerProfile
    from notifications.models import Notification

    package = listed_cleaner()
    cleaner = package.cleaner.user
    now = timezone.now()
    for index in range(3):
        booking = book(package, day=timezone.localdate() + timedelta(days=3 + index))
        services.booking_accept(booking=booking, user=cleaner)
        booking.refresh_from_db()
        pay(booking)
        with django_capture_on_commit_callbacks(execute=True):
            services.booking_cancel(booking=booking, user=cleaner, reason="Unwell", now=now + timedelta(days=index))
        booking.refresh_from_db()
        assert booking.refund_amount == booking.total_price  # all of it back, at once
        profile = CleanerProfile.objects.get(pk=package.cleaner_id)
        assert profile.cleaner_cancellations == index + 1
        assert profile.listed is (index < 2)
    assert profile.search_suspended_until == now + timedelta(days=2) + rules.SEARCH_SUSPENSION
    assert package.cleaner_id not in [p.pk for p in marketplace_selectors.cleaner_search()]
    assert Notification.objects.filter(user=cleaner, event="booking.search_suspended").count() == 1


def test_declining_a_request_is_no_penalty_and_the_cleaner_sees_the_payment(pay):
    from marketplace.tests.cleaners import api

    package = listed_cleaner()
    declined = book(package, at="10:00")
    services.booking_cancel(booking=declined, user=package.cleaner.user, reason="Busy")
    assert not declined.cleaner.cancellation_records.exists()
    booking = book(package, at="14:00")
    services.booking_accept(booking=booking, user=package.cleaner.user)
    booking.refresh_from_db()
    booking = pay(booking)
    assert api(package.cleaner.user).get(f"/api/v1/payments/{booking.payment_id}").status_code == 200
    assert api(listed_cleaner().cleaner.user).get(f"/api/v1/payments/{booking.payment_id}").status_code == 404
