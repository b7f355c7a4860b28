"""My bookings and a booking's page through Django's client: who sees what (participants only; contact
details only while the booking is on), the moves as buttons (each allowed and refused, a message and never
a 500), the cancel page stating the refund before anything happens, paying, and the alternatives shown
after a cleaner cancels."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from freezegun import freeze_time

from bookings import notices, services
from bookings.models import Booking, CleanerCancellation
from marketplace.tests.factories import CleanerFactory, UserFactory
from payments.models import Payment

from .factories import ADDRESS, book, listed_cleaner

pytestmark = pytest.mark.django_db


def url(name, booking):
    return reverse(f"bookings:{name}", args=[booking.pk])


def text(response) -> str:
    return response.content.decode()


def flashes(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def fresh(booking) -> Booking:
    return Booking.objects.get(pk=booking.pk)


@pytest.fixture
def package():
    return listed_cleaner(price=1000_00, duration_minutes=120)


@pytest.fixture
def booking(package):
    return book(package, customer=UserFactory(phone="+919800000001"))


def as_(client, user):
    client.force_login(user)
    return client


def confirmed(booking):
    services.booking_accept(booking=booking, user=booking.cleaner.user)
    return fresh(booking)


class TestWhoSeesWhat:
    @pytest.mark.parametrize("page", ["detail", "cancel"])
    def test_participants_see_it_others_get_404_anonymous_log_in(self, client, booking, page):
        for user in (booking.customer, booking.cleaner.user):
            assert as_(client, user).get(url(page, booking)).status_code == 200
        client.logout()
        response = client.get(url(page, booking))
        assert response.status_code == 302 and response.url.startswith(reverse("marketplace:login"))
        for stranger in (UserFactory(), CleanerFactory()):
            response = as_(client, stranger).get(url(page, booking))
            assert response.status_code == 404 and "Booking not found." in text(response)

    @pytest.mark.parametrize("booking_id", ["nope", "7b1e7c58-1111-4222-8333-944445555666"])
    def test_an_unknown_booking_is_a_404_page(self, client, booking_id):
        response = as_(client, UserFactory()).get(reverse("bookings:detail", args=[booking_id]))
        assert response.status_code == 404

    def test_the_page_shows_status_when_price_and_timeline(self, client, booking):
        content = text(as_(client, booking.customer).get(url("detail", booking)))
        assert 'data-testid="booking-status">Waiting for the cleaner<' in content
        assert 'data-testid="payment-status">Not paid<' in content
        assert "10:00 AM – 12:00 PM IST" in content and booking.starts_at.strftime("%-d %b %Y") in content
        assert "₹1,000.00" in content and "₹100.00" in content and "₹1,100.00" in content
        assert re.search(r'<li data-action="requested">.*?<strong>Requested</strong>', content, re.S)
        assert " IST</time>" in content  # timeline times in IST
        assert notices.WAITING_FOR_ACCEPT in content
        for marker in ("MESSAGES (lead: add here)", "REVIEW (lead: add here)", "REPORT A PROBLEM"):
            assert marker not in content  # comment blocks for the includes, not shown

    def test_contact_details_only_while_the_booking_is_on(self, client, booking, pay):
        cleaner = booking.cleaner.user

        def seen(user):
            content = text(as_(client, user).get(url("detail", booking)))
            address = re.search(r'data-testid="address">([^<]*)<', content).group(1)
            return {"street": ADDRESS["street"] in address, "customer_phone": "customer-phone" in content,
                    "cleaner_phone": "cleaner-phone" in content}

        # pending: the cleaner sees neither the street nor the phone; the customer not the cleaner's phone
        assert seen(cleaner) == {"street": False, "customer_phone": False, "cleaner_phone": False}
        assert seen(booking.customer) == {"street": True, "customer_phone": False, "cleaner_phone": False}
        booking = pay(confirmed(booking))
        assert seen(cleaner) == {"street": True, "customer_phone": True, "cleaner_phone": False}
        assert seen(booking.customer) == {"street": True, "customer_phone": False, "cleaner_phone": True}
        services.booking_start(booking=booking, user=cleaner, now=booking.starts_at)
        assert seen(cleaner)["customer_phone"] and seen(booking.customer)["cleaner_phone"]
        services.booking_complete(booking=fresh(booking), user=cleaner, now=booking.starts_at + timedelta(hours=2))
        assert seen(cleaner) == {"street": False, "customer_phone": False, "cleaner_phone": False}
        assert seen(booking.customer)["cleaner_phone"] is False


class TestMyBookings:
    def test_tabs_upcoming_past_cancelled(self, client, package, pay):
        customer = UserFactory()
        upcoming = book(package, customer=customer, at="08:00")
        done = pay(confirmed(book(package, customer=customer, at="12:00")))
        services.booking_start(booking=done, user=package.cleaner.user, now=done.starts_at)
        services.booking_complete(booking=fresh(done), user=package.cleaner.user, now=done.ends_at)
        gone = book(package, customer=customer, at="16:00")
        services.booking_cancel(booking=gone, user=customer)
        as_(client, customer)
        for show, expected in (("upcoming", upcoming), ("past", done), ("cancelled", gone)):
            content = text(client.get(reverse("bookings:mine"), {"show": show}))
            assert re.findall(r'data-booking-id="([^"]+)"', content) == [str(expected.pk)]
            assert f'href="?show={show}" aria-current="page"' in content
        content = text(client.get(reverse("bookings:mine")))  # upcoming by default
        assert 'data-side="customer"' in content and "You booked" in content
        assert f"Cleaner: {package.cleaner.user.name}" in content and "₹1,100.00" in content and "Not paid" in content
        assert "8:00 AM – 10:00 AM IST" in content

    def test_a_cleaner_sees_their_jobs_labelled(self, client, booking):
        content = text(as_(client, booking.cleaner.user).get(reverse("bookings:mine")))
        assert 'data-side="cleaner"' in content and "Your job" in content
        assert f"Customer: {booking.customer.get_short_name()}" in content and "₹1,000.00" in content

    def test_others_see_none_and_anonymous_log_in(self, client, booking):
        assert "data-booking-id" not in text(as_(client, UserFactory()).get(reverse("bookings:mine")))
        client.logout()
        assert client.get(reverse("bookings:mine")).status_code == 302


class TestCleanerButtons:
    def test_accept_by_the_cleaner(self, client, booking):
        content = text(as_(client, booking.cleaner.user).get(url("detail", booking)))
        assert f'action="{url("accept", booking)}"' in content and f'action="{url("reject", booking)}"' in content
        response = client.post(url("accept", booking), follow=True)
        assert fresh(booking).status == "confirmed" and notices.ACCEPTED_PAGE in flashes(response)
        again = client.post(url("accept", booking), follow=True)  # wrong state: a message, not a 500
        assert again.status_code == 200 and "This booking is already confirmed." in flashes(again)

    def test_the_customer_cannot_accept_start_or_complete(self, client, booking):
        as_(client, booking.customer)
        content = text(client.get(url("detail", booking)))
        assert url("accept", booking) not in content and url("start", booking) not in content
        for move, message in (("accept", notices.ONLY_CLEANER_ANSWERS), ("start", notices.ONLY_CLEANER_WORKS),
                              ("complete", notices.ONLY_CLEANER_WORKS), ("reject", notices.ONLY_CLEANER_ANSWERS)):
            response = client.post(url(move, booking), {"reason": "x"}, follow=True)
            assert response.status_code == 200 and message in flashes(response), move
        assert fresh(booking).status == "pending"

    def test_strangers_get_404_and_anonymous_log_in(self, client, booking):
        for move in ("accept", "reject", "start", "complete", "cancel", "pay"):
            assert as_(client, UserFactory()).post(url(move, booking)).status_code == 404
            client.logout()
            assert client.post(url(move, booking)).status_code == 302
        assert fresh(booking).status == "pending"

    def test_a_get_changes_nothing(self, client, booking):
        as_(client, booking.cleaner.user)
        for move in ("accept", "reject", "start", "complete", "pay"):
            assert client.get(url(move, booking)).status_code == 405
        assert fresh(booking).status == "pending"

    def test_reject_needs_a_reason(self, client, booking):
        as_(client, booking.cleaner.user)
        response = client.post(url("reject", booking), {"reason": "  "})
        assert response.status_code == 400 and escape(notices.REASON_REQUIRED) in text(response)
        assert 'id="id_reason-errors"' in text(response) and fresh(booking).status == "pending"
        response = client.post(url("reject", booking), {"reason": "Away that week."}, follow=True)
        booking = fresh(booking)
        assert (booking.status, booking.cancelled_by, booking.cancellation_reason) == \
            ("cancelled", "cleaner", "Away that week.")
        assert notices.REJECTED_PAGE in flashes(response)
        assert not CleanerCancellation.objects.exists()  # declining a request is no penalty

    def test_reject_is_only_for_a_request(self, client, booking):
        booking = confirmed(booking)
        response = as_(client, booking.cleaner.user).post(url("reject", booking), {"reason": "Busy"}, follow=True)
        assert notices.NOT_A_REQUEST in flashes(response) and fresh(booking).status == "confirmed"

    def test_start_only_when_paid_and_from_30_minutes_before(self, client, booking, pay):
        booking = confirmed(booking)
        as_(client, booking.cleaner.user)
        content = text(client.get(url("detail", booking)))
        assert url("start", booking) not in content and notices.PAY_FIRST in content
        response = client.post(url("start", booking), follow=True)
        assert notices.PAY_FIRST in flashes(response) and fresh(booking).status == "confirmed"
        booking = pay(booking)
        content = text(client.get(url("detail", booking)))
        assert url("start", booking) not in content and 'data-testid="start-note"' in content
        response = client.post(url("start", booking), follow=True)
        assert notices.too_early_to_start(booking) in flashes(response) and fresh(booking).status == "confirmed"
        with freeze_time(booking.starts_at - timedelta(minutes=30)):
            assert f'action="{url("start", booking)}"' in text(client.get(url("detail", booking)))
            response = client.post(url("start", booking), follow=True)
        assert fresh(booking).status == "in_progress" and notices.STARTED_PAGE in flashes(response)
        content = text(client.get(url("detail", booking)))
        assert f'action="{url("complete", booking)}"' in content
        response = client.post(url("complete", booking), follow=True)
        assert fresh(booking).status == "completed" and notices.COMPLETED_PAGE in flashes(response)
        response = client.post(url("complete", booking), follow=True)  # again: refused, a message
        assert response.status_code == 200 and flashes(response)

    def test_complete_before_start_is_refused(self, client, booking):
        booking = confirmed(booking)
        response = as_(client, booking.cleaner.user).post(url("complete", booking), follow=True)
        assert response.status_code == 200 and flashes(response) and fresh(booking).status == "confirmed"

    def test_next_brings_the_cleaner_back_but_never_off_site(self, client, booking):
        as_(client, booking.cleaner.user)
        response = client.post(url("accept", booking), {"next": "https://evil.example/"})
        assert response.url == url("detail", booking)
        other = book(booking.service, at="14:00")
        response = client.post(url("accept", other), {"next": reverse("marketplace:cleaner_dashboard")})
        assert response.url == reverse("marketplace:cleaner_dashboard")


class TestPay:
    def test_pay_opens_checkout_and_the_page_shows_paid(self, client, booking, pay):
        as_(client, booking.customer)
        response = client.post(url("pay", booking), follow=True)
        assert "You can pay once the cleaner has accepted the booking." in flashes(response)
        assert not Payment.objects.exists()
        booking = confirmed(booking)
        content = text(client.get(url("detail", booking)))
        assert f'action="{url("pay", booking)}"' in content and "Pay ₹1,100.00" in content
        response = client.post(url("pay", booking))
        payment = Payment.objects.get()
        assert response.status_code == 302 and response.url == reverse("payments:checkout", args=[payment.pk])
        assert payment.amount == 1100_00
        content = text(client.get(url("detail", booking)))
        assert notices.PAYMENT_OPEN in content  # started, not finished
        booking = pay(booking)
        content = text(client.get(url("detail", booking)))
        assert 'data-testid="payment-status">Paid<' in content and url("pay", booking) not in content
        assert "Payment receipt" in content

    def test_a_failed_payment_says_so_and_can_be_retried(self, client, booking, pay):
        booking = pay(confirmed(booking), outcome="failure")
        content = text(as_(client, booking.customer).get(url("detail", booking)))
        assert notices.PAYMENT_FAILED in content and f'action="{url("pay", booking)}"' in content

    def test_the_cleaner_cannot_pay(self, client, booking):
        booking = confirmed(booking)
        as_(client, booking.cleaner.user)
        assert url("pay", booking) not in text(client.get(url("detail", booking)))
        response = client.post(url("pay", booking), follow=True)
        assert notices.ONLY_CUSTOMER_PAYS in flashes(response) and not Payment.objects.exists()


class TestCancel:
    @pytest.mark.parametrize("before, refund, percent", [
        (timedelta(hours=25), "₹1,100.00", None), (timedelta(hours=10), "₹550.00", "50%"),
        (timedelta(hours=2), "₹0.00", None),
    ])
    def test_the_page_shows_the_refund_first(self, client, booking, pay, before, refund, percent):
        booking = pay(confirmed(booking))
        as_(client, booking.customer)
        with freeze_time(booking.starts_at - before):
            content = text(client.get(url("cancel", booking)))
        assert re.search(rf'data-testid="refund-amount">{re.escape(refund)}', content)
        if percent:
            assert f"({percent})" in content
        assert escape(notices.refund_policy()) in content
        assert fresh(booking).status == "confirmed"  # nothing happened yet

    def test_the_customer_cancels_and_is_told_the_refund(self, client, booking, pay):
        booking = pay(confirmed(booking))
        as_(client, booking.customer)
        with freeze_time(booking.starts_at - timedelta(hours=10)):
            response = client.post(url("cancel", booking), {"shown_refund": "55000", "reason": ""},
                                   follow=True)
        booking = fresh(booking)
        assert (booking.status, booking.cancelled_by, booking.refund_amount) == ("cancelled", "customer", 550_00)
        assert "Booking cancelled. ₹550.00 is being refunded to how you paid." in flashes(response)

    def test_a_refund_that_changed_meanwhile_is_shown_again(self, client, booking, pay):
        booking = pay(confirmed(booking))
        as_(client, booking.customer)
        with freeze_time(booking.starts_at - timedelta(hours=23)):  # the page said ₹1,100 a while ago
            response = client.post(url("cancel", booking), {"shown_refund": "110000"})
        assert response.status_code == 409 and escape(notices.REFUND_CHANGED) in text(response)
        assert re.search(r'data-testid="refund-amount">₹550.00', text(response))
        assert 'name="shown_refund" value="55000"' in text(response)
        assert fresh(booking).status == "confirmed"

    def test_a_pending_unpaid_booking_cancels_with_nothing_to_refund(self, client, booking):
        as_(client, booking.customer)
        content = text(client.get(url("cancel", booking)))
        assert "nothing is charged" in content and 'data-testid="refund-amount"' not in content
        assert ">Cancel the booking</button>" in content
        client.post(url("cancel", booking), {"shown_refund": "0"})
        assert fresh(booking).status == "cancelled"

    def test_the_cleaner_cancels_with_a_reason_and_is_warned_of_the_penalty(self, client, booking, pay):
        booking = pay(confirmed(booking))
        as_(client, booking.cleaner.user)
        content = text(client.get(url("cancel", booking)))
        assert "counts on your record" in content and "₹1,100.00 back" in content
        response = client.post(url("cancel", booking), {"shown_refund": "110000", "reason": ""})
        assert response.status_code == 400 and escape(notices.REASON_REQUIRED) in text(response)
        assert fresh(booking).status == "confirmed"
        client.post(url("cancel", booking), {"shown_refund": "110000", "reason": "Fell ill."})
        booking = fresh(booking)
        assert (booking.status, booking.cancelled_by, booking.refund_amount) == ("cancelled", "cleaner", 1100_00)
        assert CleanerCancellation.objects.filter(booking=booking).exists()

    def test_a_final_booking_cannot_be_cancelled(self, client, booking):
        services.booking_cancel(booking=booking, user=booking.customer)
        as_(client, booking.customer)
        response = client.get(url("cancel", booking), follow=True)
        assert "cannot be cancelled" in " ".join(flashes(response))
        response = client.post(url("cancel", booking), follow=True)
        assert response.status_code == 200 and "cannot be cancelled" in " ".join(flashes(response))
        assert url("cancel", booking) not in text(client.get(url("detail", booking)))


class TestAlternatives:
    def test_after_the_cleaner_cancels_the_customer_sees_who_else_is_free(self, client, booking):
        others = [listed_cleaner(price=900_00 + n * 100_00) for n in range(6)]
        busy = others[0]
        book(busy, day=booking.booking_date, at="10:00")  # not free at that time
        other_type = listed_cleaner(service_type="deep_clean")
        services.booking_cancel(booking=booking, user=booking.cleaner.user, reason="Sorry, called away.")
        content = text(as_(client, booking.customer).get(url("detail", booking)))
        shown = re.findall(r'data-alternative-cleaner="([^"]+)"', content)
        assert len(shown) == 5
        assert str(busy.cleaner_id) not in shown and str(other_type.cleaner_id) not in shown
        assert str(booking.cleaner_id) not in shown
        first = others[1]
        assert (f"{reverse('bookings:new')}?cleaner={first.cleaner_id}&amp;service={first.pk}"
                f"&amp;date={booking.booking_date.isoformat()}&amp;time=10:00") in content
        assert "Sorry, called away." in content
        # the cleaner does not get the list
        assert "data-alternative-cleaner" not in text(as_(client, booking.cleaner.user).get(url("detail", booking)))

    def test_not_after_the_customer_cancels(self, client, booking):
        listed_cleaner()
        services.booking_cancel(booking=booking, user=booking.customer)
        assert "data-alternative-cleaner" not in text(as_(client, booking.customer).get(url("detail", booking)))

    def test_after_an_expiry(self, client, booking):
        alternative = listed_cleaner()
        services.booking_expire(booking=booking, reason="unanswered", now=timezone.now())
        content = text(as_(client, booking.customer).get(url("detail", booking)))
        assert re.findall(r'data-alternative-cleaner="([^"]+)"', content) == [str(alternative.cleaner_id)]
