"""The Book page (/bookings/new/) through Django's client: who may open it, step 1 (date -> free slots, plain
GET and htmx), step 2 (slot, address, instructions, price breakdown) and the confirm POST with every kind
of bad input (a form error or the refreshed slots, nothing stored, never a 500); and the profile page's
Book buttons."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from bookings import notices
from bookings.models import Booking
from marketplace import notices as marketplace_notices
from marketplace.tests.factories import AdminFactory, CleanerFactory, ServicePackageFactory, UserFactory

from .factories import ADDRESS, book, listed_cleaner

pytestmark = pytest.mark.django_db

NEW = reverse("bookings:new")


def day_ahead(days=3):
    return timezone.localdate() + timedelta(days=days)


def query(package, **extra):
    params = {"cleaner": package.cleaner_id, "service": package.pk, **extra}
    return NEW + "?" + "&".join(f"{key}={value}" for key, value in params.items())


def radios(content: str) -> list[str]:
    return re.findall(r'<input type="radio" name="start_time" value="([0-9:]+)"', content)


def confirm(client, package, **fields):
    data = {"cleaner": package.cleaner_id, "service": package.pk, "date": day_ahead().isoformat(),
            "start_time": "10:00", **ADDRESS, "special_instructions": "Two cats; please close the balcony door."}
    data.update(fields)
    return client.post(NEW, data)


@pytest.fixture
def package():
    return listed_cleaner(price=1000_00, duration_minutes=120, city="Bengaluru", state="Karnataka")


@pytest.fixture
def customer(client):
    user = UserFactory()
    client.force_login(user)
    return user


class TestWhoMayBook:
    def test_anonymous_goes_to_log_in_and_comes_back(self, client, package):
        url = query(package)
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("marketplace:login")) and "next=" in response.url

    @pytest.mark.parametrize("factory", [CleanerFactory, AdminFactory])
    def test_cleaners_and_admins_get_a_403_that_says_why(self, client, package, factory):
        client.force_login(factory())
        response = client.get(query(package))
        assert response.status_code == 403
        content = response.content.decode()
        assert notices.ONLY_CUSTOMERS_BOOK in content and notices.BOOK_AS_CUSTOMER_HINT in content
        assert client.post(NEW, {"cleaner": package.cleaner_id}).status_code == 403
        assert not Booking.objects.exists()

    @pytest.mark.parametrize("cleaner_id", ["", "not-a-uuid", "7b1e7c58-1111-4222-8333-944445555666"])
    def test_an_unknown_cleaner_is_a_404_page(self, client, customer, cleaner_id):
        response = client.get(NEW + f"?cleaner={cleaner_id}")
        assert response.status_code == 404 and notices.CLEANER_NOT_FOUND in response.content.decode()


class TestStepOneDateAndSlots:
    def test_without_a_date_the_page_asks_for_one(self, client, customer, package):
        response = client.get(query(package))
        content = response.content.decode()
        assert response.status_code == 200
        assert 'type="date"' in content and f'min="{timezone.localdate().isoformat()}"' in content
        assert f'max="{(timezone.localdate() + timedelta(days=60)).isoformat()}"' in content
        assert f'<option value="{package.pk}" selected>' in content
        assert radios(content) == [] and notices.PICK_A_DATE in content

    def test_a_date_shows_the_free_slots_address_and_price(self, client, customer, package):
        response = client.get(query(package, date=day_ahead().isoformat()))
        content = response.content.decode()
        assert response.status_code == 200
        slots = radios(content)
        assert slots[0] == "08:00" and slots[-1] == "18:00" and "10:00" in slots  # 2 h within 08:00-20:00
        assert 'value="Bengaluru"' in content and 'value="Karnataka"' in content  # prefilled from the profile
        assert "₹1,000.00" in content and "Platform fee (10%)" in content and "₹100.00" in content
        assert re.search(r'data-testid="book-total"><strong>₹1,100.00</strong>', content)
        assert 'maxlength="500"' in content and "Up to 500 characters" in content

    def test_a_taken_time_is_not_offered(self, client, customer, package):
        book(package, day=day_ahead(), at="10:00")
        slots = radios(client.get(query(package, date=day_ahead().isoformat())).content.decode())
        assert "10:00" not in slots and "09:00" not in slots and "12:00" in slots and "08:00" in slots

    def test_the_time_from_a_link_is_chosen(self, client, customer, package):
        content = client.get(query(package, date=day_ahead().isoformat(), time="12:30")).content.decode()
        assert 'value="12:30" checked' in content

    def test_htmx_swaps_in_only_the_next_step(self, client, customer, package):
        response = client.get(query(package, date=day_ahead().isoformat()), HTTP_HX_REQUEST="true")
        content = response.content.decode()
        assert response.status_code == 200 and "<html" not in content and "10:00" in radios(content)
        assert "HX-Request" in response["Vary"]

    @pytest.mark.parametrize("value, message", [
        ((timezone.localdate() - timedelta(days=1)).isoformat(), marketplace_notices.DATE_IN_PAST),
        ("05-02-2026", marketplace_notices.DATE_INVALID),
        ((timezone.localdate() + timedelta(days=61)).isoformat(), marketplace_notices.date_too_far()),
    ])
    def test_a_bad_date_is_a_form_error(self, client, customer, package, value, message):
        response = client.get(query(package, date=value))
        assert response.status_code == 400 and message in response.content.decode()
        htmx = client.get(query(package, date=value), HTTP_HX_REQUEST="true")
        assert htmx.status_code == 200 and message in htmx.content.decode()  # htmx swaps 2xx only

    def test_another_cleaners_or_an_inactive_service_is_a_form_error(self, client, customer, package):
        other = listed_cleaner()
        inactive = ServicePackageFactory(cleaner=package.cleaner, is_active=False)
        for service in (other, inactive):
            response = client.get(NEW + f"?cleaner={package.cleaner_id}&service={service.pk}&date={day_ahead()}")
            assert response.status_code == 400 and radios(response.content.decode()) == []


class TestConfirm:
    def test_a_request_is_made_and_the_booking_page_says_the_cleaner_has_24_h(self, client, customer, package):
        response = confirm(client, package)
        booking = Booking.objects.get()
        assert response.status_code == 302 and response.url == reverse("bookings:detail", args=[booking.pk])
        assert (booking.customer, booking.status, booking.total_price, booking.start_time) == \
            (customer, "pending", 1100_00, "10:00")
        assert booking.special_instructions == "Two cats; please close the balcony door."
        page = client.get(response.url).content.decode()
        assert "They have 24 hours to answer" in page

    def test_no_slot_chosen(self, client, customer, package):
        response = confirm(client, package, start_time="")
        assert response.status_code == 400 and notices.PICK_A_TIME in response.content.decode()
        assert not Booking.objects.exists()

    def test_a_slot_taken_meanwhile_is_409_with_the_fresh_slots(self, client, customer, package):
        book(package, day=day_ahead(), at="10:00")
        response = confirm(client, package, start_time="10:00", street="7 Residency Road")
        content = response.content.decode()
        assert response.status_code == 409 and escape(notices.NOT_A_FREE_SLOT) in content
        slots = radios(content)
        assert "10:00" not in slots and "12:00" in slots and "checked" not in content
        assert 'value="7 Residency Road"' in content  # what was typed is kept
        assert Booking.objects.count() == 1

    @pytest.mark.parametrize("fields, field, message", [
        ({"pincode": "012345"}, "pincode", notices.PINCODE_INVALID),
        ({"pincode": "5601"}, "pincode", notices.PINCODE_INVALID),
        ({"street": "  "}, "street", notices.ADDRESS_REQUIRED),
        ({"special_instructions": "x" * 501}, "special_instructions", notices.special_instructions_too_long()),
    ])
    def test_bad_fields_are_shown_on_the_form(self, client, customer, package, fields, field, message):
        response = confirm(client, package, **fields)
        content = response.content.decode()
        assert response.status_code == 400
        assert re.search(rf'id="id_{field}-errors"[^>]*>{re.escape(escape(message))}', content)
        assert f'id="id_{field}"' in content and 'aria-invalid="true"' in content
        assert "10:00" in radios(content)  # the slots are still there
        assert not Booking.objects.exists()

    def test_a_date_in_the_past(self, client, customer, package):
        response = confirm(client, package, date=(timezone.localdate() - timedelta(days=1)).isoformat())
        assert response.status_code == 400 and marketplace_notices.DATE_IN_PAST in response.content.decode()
        assert not Booking.objects.exists()

    def test_an_unavailable_cleaner_is_refused_with_a_message(self, client, customer, package):
        package.cleaner.__class__.objects.filter(pk=package.cleaner_id).update(is_available=False)
        response = confirm(client, package)
        assert response.status_code in (400, 409) and not Booking.objects.exists()

    def test_a_get_to_confirm_changes_nothing(self, client, customer, package):
        client.get(query(package, date=day_ahead().isoformat(), start_time="10:00", **ADDRESS))
        assert not Booking.objects.exists()


class TestProfileBookButtons:
    def _rows(self, content):
        return re.findall(r"<tr data-service-id.*?</tr>", content, re.S)

    def test_customers_and_visitors_get_a_book_link_per_service(self, client, package):
        second = ServicePackageFactory(cleaner=package.cleaner, name="Kitchen deep clean")
        url = reverse("cleaners:profile", args=[package.cleaner_id])
        for viewer in (None, UserFactory()):
            if viewer:
                client.force_login(viewer)
            content = client.get(url).content.decode()
            rows = self._rows(content)
            assert len(rows) == 2
            for service in (package, second):
                assert f'href="{NEW}?cleaner={package.cleaner_id}&amp;service={service.pk}" role="button"' in content
            assert "Booking opens soon" not in content
        assert "log in</a> or" not in content  # the customer is not told to log in

    def test_visitors_are_told_who_books(self, client, package):
        content = client.get(reverse("cleaners:profile", args=[package.cleaner_id])).content.decode()
        assert "as a customer first" in content

    def test_cleaners_get_no_book_button_and_are_told_why(self, client, package):
        client.force_login(CleanerFactory())
        content = client.get(reverse("cleaners:profile", args=[package.cleaner_id])).content.decode()
        assert NEW not in content and "Only customer accounts book cleaners" in content

    def test_the_own_profile_says_customers_see_the_button(self, client, package):
        client.force_login(package.cleaner.user)
        content = client.get(reverse("cleaners:profile", args=[package.cleaner_id])).content.decode()
        assert NEW not in content and "you cannot book yourself" in content

    def test_free_times_point_customers_to_the_book_buttons(self, client, package):
        url = reverse("cleaners:profile", args=[package.cleaner_id])
        day = {"service_id": package.pk, "date": day_ahead().isoformat()}
        hint = "use the service's Book button above"
        assert hint in client.get(url, day, HTTP_HX_REQUEST="true").content.decode()
        client.force_login(CleanerFactory())
        assert hint not in client.get(url, day, HTTP_HX_REQUEST="true").content.decode()


def test_the_account_menu_links_my_bookings(client):
    assert reverse("bookings:mine") not in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory())
    assert f'<a href="{reverse("bookings:mine")}">My bookings</a>' in client.get(reverse("home")).content.decode()
