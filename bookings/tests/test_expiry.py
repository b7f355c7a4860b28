"""Expiry through the periodic job (``run_periodic bookings.expire --at ...``): a pending booking
unanswered 24 h after its request or at its start, and a confirmed booking unpaid at its start, are
cancelled by the system, once; a paid one never is. Also the end of a search suspension."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from bookings import notices, rules, selectors, services
from bookings.models import Booking, BookingEvent, SlotHold
from bookings.services import expiry
from marketplace import selectors as marketplace_selectors
from marketplace.models import CleanerProfile
from marketplace.services.cleaner_profile import cleaner_listing_refresh
from notifications.models import Notification

from .factories import book, listed_cleaner

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a job as of ``at`` as beat would (notifications sent after commit); its summary line."""
    def go(name, at):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic", name, "--at", at.isoformat(), stdout=out)
        return out.getvalue()

    return go


def _status(booking):
    booking.refresh_from_db()
    return booking.status


def _notices(booking):
    return list(Notification.objects.filter(link=notices.booking_link(booking.pk)).order_by("created_at")
                .values_list("user_id", "event", "body"))


class TestUnanswered:
    def test_stays_pending_at_23h59_and_expires_at_24h_once(self, run):
        package = listed_cleaner()
        booking = book(package)
        before = len(_notices(booking))  # the cleaner's "new request"
        assert "0 booking(s) expired" in run("bookings.expire", booking.created_at + rules.PENDING_ANSWER_WITHIN - MINUTE)
        assert _status(booking) == "pending" and SlotHold.objects.filter(booking=booking).exists()

        at = booking.created_at + rules.PENDING_ANSWER_WITHIN
        assert "1 booking(s) expired" in run("bookings.expire", at)
        booking.refresh_from_db()
        assert (booking.status, booking.cancelled_by, booking.cancelled_at) == ("cancelled", "system", at)
        assert booking.cancellation_reason == notices.expiry_reason_unanswered()
        assert not SlotHold.objects.filter(booking=booking).exists()  # the slot is free again
        assert BookingEvent.objects.filter(booking=booking, action="expired", party="system").count() == 1
        told = _notices(booking)[before:]
        assert {(user, event) for user, event, _ in told} == {(booking.customer_id, "booking.expired"),
                                                              (package.cleaner.user_id, "booking.expired")}

        # Twice: nothing changes, nothing is sent again.
        assert "0 booking(s) expired" in run("bookings.expire", at)
        assert "0 booking(s) expired" in run("bookings.expire", at + timedelta(hours=5))
        assert len(_notices(booking)) == before + 2
        assert BookingEvent.objects.filter(booking=booking, action="expired").count() == 1

    def test_the_customer_is_told_where_to_find_other_cleaners(self, run):
        package = listed_cleaner()
        booking = book(package)
        run("bookings.expire", booking.created_at + rules.PENDING_ANSWER_WITHIN)
        to_customer = Notification.objects.get(user=booking.customer, event="booking.expired")
        assert to_customer.link == notices.booking_link(booking.pk)  # the booking page
        assert "Other cleaners" in to_customer.body and "open the booking" in to_customer.body

    def test_the_other_cleaners_are_there_for_the_customer_when_it_expires(self, run):
        package = listed_cleaner()
        other = listed_cleaner()
        booking = book(package)
        at = booking.created_at + rules.PENDING_ANSWER_WITHIN
        run("bookings.expire", at)
        booking.refresh_from_db()
        assert other.cleaner in [alternative.cleaner for alternative in
                                 selectors.alternatives_for(booking=booking, now=at)]

    def test_a_request_answered_in_time_does_not_expire(self, run):
        package = listed_cleaner()
        booking = book(package)
        services.booking_accept(booking=booking, user=package.cleaner.user)
        assert "0 booking(s) expired" in run("bookings.expire", booking.created_at + rules.PENDING_ANSWER_WITHIN)
        assert _status(booking) == "confirmed"

    def test_pending_at_its_start_expires_at_the_start(self, run):
        package = listed_cleaner()
        booking = book(package)
        # Requested 2 hours before its start: the start comes before the 24 hours.
        Booking.objects.filter(pk=booking.pk).update(created_at=booking.starts_at - timedelta(hours=2))
        assert "0 booking(s) expired" in run("bookings.expire", booking.starts_at - MINUTE)
        assert _status(booking) == "pending"
        assert "1 booking(s) expired" in run("bookings.expire", booking.starts_at)
        booking.refresh_from_db()
        assert booking.status == "cancelled" and booking.cancellation_reason == notices.EXPIRY_REASON_UNANSWERED_AT_START
        assert "0 booking(s) expired" in run("bookings.expire", booking.starts_at + MINUTE)


class TestUnpaid:
    def test_confirmed_unpaid_expires_at_its_start(self, run):
        package = listed_cleaner()
        booking = book(package)
        services.booking_accept(booking=booking, user=package.cleaner.user)
        assert "0 booking(s) expired" in run("bookings.expire", booking.starts_at - MINUTE)
        assert _status(booking) == "confirmed"
        before = len(_notices(booking))
        assert "1 booking(s) expired" in run("bookings.expire", booking.starts_at)
        booking.refresh_from_db()
        assert (booking.status, booking.cancelled_by, booking.refund_amount) == ("cancelled", "system", 0)
        assert booking.cancellation_reason == notices.EXPIRY_REASON_UNPAID
        assert not SlotHold.objects.filter(booking=booking).exists()
        told = _notices(booking)[before:]
        assert len(told) == 2 and all("not paid" in body or "did not pay" in body for _, _, body in told)
        assert "0 booking(s) expired" in run("bookings.expire", booking.starts_at)
        assert len(_notices(booking)) == before + 2

    def test_confirmed_and_paid_never_expires(self, run, pay):
        package = listed_cleaner()
        booking = book(package)
        services.booking_accept(booking=booking, user=package.cleaner.user)
        booking = pay(booking)
        for at in (booking.starts_at, booking.starts_at + timedelta(hours=1), booking.created_at + timedelta(days=2)):
            assert "0 booking(s) expired" in run("bookings.expire", at)
        booking.refresh_from_db()
        assert (booking.status, booking.payment_status) == ("confirmed", "paid")

    def test_started_and_final_bookings_are_left_alone(self, run, pay):
        package = listed_cleaner()
        started, cancelled = book(package, at="10:00"), book(package, at="14:00")
        services.booking_accept(booking=started, user=package.cleaner.user)
        started = pay(started)
        services.booking_start(booking=started, user=package.cleaner.user, now=started.starts_at)
        services.booking_cancel(booking=cancelled, user=cancelled.customer)
        assert "0 booking(s) expired" in run("bookings.expire", cancelled.starts_at + timedelta(days=1))
        assert (_status(started), _status(cancelled)) == ("in_progress", "cancelled")


def test_the_sweep_reads_in_batches_and_misses_none(run, monkeypatch):
    monkeypatch.setattr(expiry, "SWEEP_BATCH", 2)
    package = listed_cleaner(duration_minutes=60)
    bookings = [book(package, at=f"{hour:02d}:00") for hour in range(9, 14)]
    at = max(booking.created_at for booking in bookings) + rules.PENDING_ANSWER_WITHIN
    assert "5 booking(s) expired" in run("bookings.expire", at)
    assert {_status(booking) for booking in bookings} == {"cancelled"}


def test_one_failing_booking_does_not_stop_the_sweep(run, monkeypatch):
    package = listed_cleaner(duration_minutes=60)
    first, second = book(package, at="09:00"), book(package, at="11:00")
    real = expiry.booking_expire

    def flaky(*, booking, reason, now):
        if booking.pk == first.pk:
            raise RuntimeError("store unavailable")
        return real(booking=booking, reason=reason, now=now)

    monkeypatch.setattr(expiry, "booking_expire", flaky)
    at = max(first.created_at, second.created_at) + rules.PENDING_ANSWER_WITHIN
    with pytest.raises(Exception) as failed:  # the command exits non-zero: the run reported a problem
        run("bookings.expire", at)
    assert getattr(failed.value, "returncode", None) == 2
    assert (_status(first), _status(second)) == ("pending", "cancelled")


class TestSearchSuspensionEnds:
    def test_a_suspended_cleaner_is_listed_again_after_the_suspension(self, run):
        package = listed_cleaner()
        profile = package.cleaner
        until = timezone.now() + timedelta(hours=1)
        CleanerProfile.objects.filter(pk=profile.pk).update(search_suspended_until=until)
        cleaner_listing_refresh(user_id=profile.user_id)
        found = lambda: profile.pk in {p.pk for p in marketplace_selectors.cleaner_search(city="bengaluru")}  # noqa: E731
        assert not found()

        assert "0 search suspension(s) ended" in run("bookings.end_search_suspensions", until - MINUTE)
        assert not found()
        assert "1 search suspension(s) ended" in run("bookings.end_search_suspensions", until)
        assert found()
        profile.refresh_from_db()
        assert profile.listed and profile.search_suspended_until is None
        assert "0 search suspension(s) ended" in run("bookings.end_search_suspensions", until + timedelta(hours=1))

    def test_an_account_suspended_meanwhile_stays_out_of_searches(self, run):
        package = listed_cleaner()
        user = package.cleaner.user
        until = timezone.now() + timedelta(hours=1)
        CleanerProfile.objects.filter(pk=package.cleaner_id).update(search_suspended_until=until)
        type(user).objects.filter(pk=user.pk).update(suspended_at=timezone.now())
        cleaner_listing_refresh(user_id=user.pk)
        run("bookings.end_search_suspensions", until)
        assert not CleanerProfile.objects.get(pk=package.cleaner_id).listed
