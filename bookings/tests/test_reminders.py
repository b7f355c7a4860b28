"""Reminders through the periodic job (``run_periodic bookings.send_reminders --at ...``): 24 h before to
both parties, 1 h before to the cleaner, 30 min before to the customer; each once, also when the job runs
late or twice, none after the start, none for a muted category or a booking that is not confirmed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from bookings import notices, services
from bookings.models import Booking
from bookings.services.reminders import reminder_dedupe_key
from notifications.models import Notification
from notifications.services import preferences_update

from .factories import book, listed_cleaner

pytestmark = pytest.mark.django_db

H24, H1, M30, MINUTE = timedelta(hours=24), timedelta(hours=1), timedelta(minutes=30), timedelta(minutes=1)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(at):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic", "bookings.send_reminders", "--at", at.isoformat(), stdout=out)
        return out.getvalue()

    return go


@pytest.fixture
def confirmed():
    package = listed_cleaner()
    booking = book(package)
    services.booking_accept(booking=booking, user=package.cleaner.user)
    booking.refresh_from_db()
    return booking


def reminders(booking, user=None):
    """(recipient, key) of every reminder sent for the booking."""
    rows = Notification.objects.filter(event="booking.reminder", link=notices.booking_link(booking.pk))
    if user is not None:
        rows = rows.filter(user=user)
    return sorted((row.user_id == booking.customer_id and "customer" or "cleaner", row.dedupe_key.rsplit(":", 1)[1])
                  for row in rows)


def test_each_reminder_at_its_moment_not_before_and_once(run, confirmed):
    start = confirmed.starts_at
    assert "0 booking reminder(s) sent" in run(start - H24 - MINUTE)
    assert reminders(confirmed) == []

    assert "2 booking reminder(s) sent" in run(start - H24)
    assert reminders(confirmed) == [("cleaner", "24h"), ("customer", "24h")]
    assert "0 booking reminder(s) sent" in run(start - H24)  # the same moment again
    assert "0 booking reminder(s) sent" in run(start - H24 + timedelta(minutes=5))  # the next run

    assert "0 booking reminder(s) sent" in run(start - H1 - MINUTE)
    assert "1 booking reminder(s) sent" in run(start - H1)
    assert ("cleaner", "1h") in reminders(confirmed) and ("customer", "1h") not in reminders(confirmed)

    assert "0 booking reminder(s) sent" in run(start - M30 - MINUTE)
    assert "1 booking reminder(s) sent" in run(start - M30)
    assert "0 booking reminder(s) sent" in run(start - M30 + timedelta(minutes=5))
    assert reminders(confirmed) == [("cleaner", "1h"), ("cleaner", "24h"), ("customer", "24h"), ("customer", "30m")]
    confirmed.refresh_from_db()
    assert sorted(confirmed.reminders_sent) == ["1h", "24h", "30m"]


def test_a_late_run_still_sends_each_before_the_start(run, confirmed):
    start = confirmed.starts_at
    assert "2 booking reminder(s) sent" in run(start - H24 + timedelta(hours=3))  # the job was down for 3 hours
    assert "2 booking reminder(s) sent" in run(start - timedelta(minutes=10))  # ... and then for most of a day
    assert reminders(confirmed) == [("cleaner", "1h"), ("cleaner", "24h"), ("customer", "24h"), ("customer", "30m")]
    assert "0 booking reminder(s) sent" in run(start - timedelta(minutes=5))


def test_none_after_the_start(run, confirmed):
    assert "0 booking reminder(s) sent" in run(confirmed.starts_at)
    assert "0 booking reminder(s) sent" in run(confirmed.starts_at + MINUTE)
    assert reminders(confirmed) == []


def test_exactly_once_rests_on_the_dedupe_key(run, confirmed):
    """A concurrent run may lose the update of ``reminders_sent``; notify's unique dedupe key still sends once."""
    run(confirmed.starts_at - H24)
    Booking.objects.filter(pk=confirmed.pk).update(reminders_sent=[])
    assert "0 booking reminder(s) sent" in run(confirmed.starts_at - H24)
    assert reminders(confirmed) == [("cleaner", "24h"), ("customer", "24h")]
    assert Notification.objects.filter(user=confirmed.customer,
                                       dedupe_key=reminder_dedupe_key(confirmed, "24h")).count() == 1


def test_a_muted_bookings_category_gets_none(run, confirmed):
    preferences_update(user=confirmed.customer, bookings=False)
    run(confirmed.starts_at - H24)
    run(confirmed.starts_at - M30)  # the cleaner's 1 h reminder is due too (a late one)
    assert reminders(confirmed) == [("cleaner", "1h"), ("cleaner", "24h")]


@pytest.mark.parametrize("how", ["cancelled", "pending", "started"])
def test_only_confirmed_bookings_get_reminders(run, pay, how):
    package = listed_cleaner()
    booking = book(package)
    if how == "cancelled":
        services.booking_cancel(booking=booking, user=booking.customer)
    elif how == "started":
        services.booking_accept(booking=booking, user=package.cleaner.user)
        booking = pay(booking)
        services.booking_start(booking=booking, user=package.cleaner.user, now=booking.starts_at - M30)
    for at in (booking.starts_at - H24, booking.starts_at - H1, booking.starts_at - timedelta(minutes=20)):
        run(at)
    assert reminders(booking) == []


def test_an_unpaid_booking_reminds_the_customer_to_pay_and_a_paid_one_does_not(run, pay):
    package = listed_cleaner()
    unpaid, paid = book(package, at="10:00"), book(package, at="14:00")
    for booking in (unpaid, paid):
        services.booking_accept(booking=booking, user=package.cleaner.user)
    paid = pay(paid)
    run(unpaid.starts_at - H24)
    run(paid.starts_at - H24)

    def body(booking, user):
        return Notification.objects.get(user=user, dedupe_key=reminder_dedupe_key(booking, "24h")).body

    assert "pay" in body(unpaid, unpaid.customer) and "cancelled at its start" in body(unpaid, unpaid.customer)
    assert "not paid" not in body(paid, paid.customer) and "Pay " not in body(paid, paid.customer)
    assert "has not paid yet" in body(unpaid, package.cleaner.user)
    assert "start it from 30 minutes before" in body(paid, package.cleaner.user)
    title = Notification.objects.get(user=paid.customer, dedupe_key=reminder_dedupe_key(paid, "24h")).title
    assert title == f"Reminder: {paid.service_name} in 24 hours"
