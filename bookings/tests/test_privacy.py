"""Privacy of a booking on the API: the cleaner sees the customer's phone and street address, and the
customer the cleaner's phone, only while the booking is confirmed or in progress; each sees their own
always; anyone else gets 404 (booking_not_found) and never the data."""

import pytest

from marketplace.tests.factories import AdminFactory, UserFactory
from tests.openapi import response_errors

from .conversation import api, booking_in, envelope
from .factories import ADDRESS

pytestmark = pytest.mark.django_db

STATUSES = ["pending", "confirmed", "in_progress", "completed", "cancelled"]
CONTACT = {"confirmed", "in_progress"}


def detail(booking, user) -> dict:
    response = api(user).get(f"/api/v1/bookings/{booking.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert not response_errors("/api/v1/bookings/{booking_id}", "get", 200, body)
    return body


@pytest.mark.parametrize("status", STATUSES)
def test_the_cleaner_sees_the_customers_phone_and_street_only_while_on(pay, status):
    booking = booking_in(status, pay)
    body = detail(booking, booking.cleaner.user)
    shown = status in CONTACT
    assert ("phone" in body["customer"]) is shown
    assert ("street" in body["service_address"]) is shown
    if shown:
        assert body["customer"]["phone"] == booking.customer.phone
        assert body["service_address"]["street"] == ADDRESS["street"]
    address = body["service_address"]
    assert (address["city"], address["pincode"]) == (ADDRESS["city"], ADDRESS["pincode"])
    assert body["cleaner"]["phone"] == booking.cleaner.user.phone  # their own
    assert booking.customer.phone not in str(body) if not shown else True
    assert booking.customer.email not in str(body)


@pytest.mark.parametrize("status", STATUSES)
def test_the_customer_sees_the_cleaners_phone_only_while_on(pay, status):
    booking = booking_in(status, pay)
    body = detail(booking, booking.customer)
    shown = status in CONTACT
    assert ("phone" in body["cleaner"]) is shown
    if shown:
        assert body["cleaner"]["phone"] == booking.cleaner.user.phone
    else:
        assert booking.cleaner.user.phone not in str(body)
    assert body["customer"]["phone"] == booking.customer.phone  # their own
    assert body["service_address"]["street"] == ADDRESS["street"]  # their own address
    assert booking.cleaner.user.email not in str(body) and booking.cleaner.street not in str(body)


@pytest.mark.parametrize("status", STATUSES)
def test_anyone_else_gets_404_and_no_data(pay, status):
    booking = booking_in(status, pay)
    other_cleaner = booking_in("pending", pay).cleaner.user
    for user in (UserFactory(), other_cleaner, AdminFactory()):
        for path in (f"/api/v1/bookings/{booking.pk}", f"/api/v1/bookings/{booking.pk}/messages"):
            response = api(user).get(path)
            assert response.status_code == 404 and envelope(response)["code"] == "booking_not_found"
            assert booking.customer.phone not in response.content.decode()
    assert api().get(f"/api/v1/bookings/{booking.pk}").status_code == 401


def test_lists_follow_the_same_rule(pay):
    confirmed = booking_in("confirmed", pay)
    completed = booking_in("completed", pay, package=None)
    for booking, shown in ((confirmed, True), (completed, False)):
        listed = api(booking.cleaner.user).get("/api/v1/cleaners/me/bookings").json()["results"]
        (item,) = [entry for entry in listed if entry["id"] == str(booking.pk)]
        assert ("phone" in item["customer"]) is shown and ("street" in item["service_address"]) is shown


def test_the_detail_carries_the_dispute_for_both_parties(pay):
    from bookings import services

    booking = booking_in("completed", pay)
    assert detail(booking, booking.customer)["dispute"] is None
    services.dispute_open(booking=booking, user=booking.customer, category="late", text="Came an hour late")
    for user in (booking.customer, booking.cleaner.user):
        dispute = detail(booking, user)["dispute"]
        assert dispute["status"] == "open" and dispute["category"] == "late" and dispute["photos"] == []
