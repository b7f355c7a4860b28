"""The bookings API: create with every kind of bad input (4xx with the envelope, nothing stored), who may
do what (403 wrong party, 404 for others), the status table walked both ways by the right and the wrong
actor, cancellation with the refund and alternatives, create-intent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking
from cleanit.statemachine import table_pairs
from marketplace.tests.cleaners import api, envelope
from marketplace.tests.factories import CleanerProfileFactory, UserFactory

from .factories import ADDRESS, book, listed_cleaner

pytestmark = pytest.mark.django_db
BOOKINGS = "/api/v1/bookings/"


def body(package, **changes):
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    return {"cleaner_id": str(package.cleaner_id), "service_id": str(package.pk), "booking_date": day,
            "start_time": "10:00", "service_address": dict(ADDRESS), "special_instructions": "Pet at home",
            **changes}


class TestCreate:
    def test_a_customer_books_with_the_price_snapshot(self):
        package = listed_cleaner(price=1234_00)
        customer = UserFactory()
        response = api(customer).post(BOOKINGS, body(package), format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert (data["status"], data["payment_status"], data["service_price"], data["platform_fee"],
                data["total_price"]) == ("pending", "pending", 1234_00, 123_40, 1357_40)
        assert data["start_time"] == "10:00" and data["end_time"] == "12:00" and data["duration_hours"] == 2
        assert data["service_address"]["street"] == ADDRESS["street"] and data["customer"]["phone"]
        package.price = 9999_00
        package.save()
        assert api(customer).get(f"{BOOKINGS}{data['id']}").json()["service_price"] == 1234_00

    @pytest.mark.parametrize("changes, field", [
        ({"start_time": "10:15"}, "start_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": 1000}, "start_time"),
        ({"booking_date": "2026-02-30"}, "booking_date"),
        ({"booking_date": "yesterday"}, "booking_date"),
        ({"service_address": {**ADDRESS, "pincode": "012345"}}, "service_address.pincode"),
        ({"service_address": {**ADDRESS, "street": "  "}}, "service_address.street"),
        ({"service_address": {"city": "Pune"}}, "service_address.street"),
        ({"service_address": "12 MG Road"}, "service_address.non_field_errors"),
        ({"special_instructions": "x" * 501}, "special_instructions"),
        ({"latitude": "91", "longitude": "77.6"}, "latitude"),
        ({"latitude": "12.9"}, "longitude"),
        ({"service_id": "not-an-id"}, "service_id"),
    ])
    def test_bad_input_is_a_400_naming_the_field(self, changes, field):
        package = listed_cleaner()
        data = body(package, **changes)
        if changes.get("service_address") == {"city": "Pune"}:
            data["service_address"] = {"city": "Pune"}
        response = api(UserFactory()).post(BOOKINGS, data, format="json")
        assert response.status_code == 400, response.json()
        assert field in envelope(response)["fields"], envelope(response)
        assert not Booking.objects.exists()

    @pytest.mark.parametrize("payload", [None, [], "text", {"cleaner_id": None}])
    def test_malformed_bodies(self, payload):
        response = api(UserFactory()).post(BOOKINGS, payload, format="json")
        assert response.status_code == 400 and envelope(response)["code"] in ("validation_error", "parse_error")

    def test_a_date_in_the_past_or_too_far(self):
        package = listed_cleaner()
        for day in (timezone.localdate() - timedelta(days=1), timezone.localdate() + timedelta(days=61)):
            response = api(UserFactory()).post(BOOKINGS, body(package, booking_date=day.isoformat()), format="json")
            assert response.status_code == 400 and "booking_date" in envelope(response)["fields"]

    def test_who_may_not_book(self):
        package = listed_cleaner()
        assert api().post(BOOKINGS, body(package), format="json").status_code == 401
        response = api(package.cleaner.user).post(BOOKINGS, body(package), format="json")
        assert response.status_code == 403 and envelope(response)["code"] == "not_a_customer"
        assert not Booking.objects.exists()

    def test_other_cleaners_service_inactive_service_unknown_cleaner(self):
        package, other = listed_cleaner(), listed_cleaner()
        customer = UserFactory()
        response = api(customer).post(BOOKINGS, body(package, service_id=str(other.pk)), format="json")
        assert response.status_code == 400 and envelope(response)["code"] == "service_not_offered"
        response = api(customer).post(BOOKINGS, body(package, cleaner_id=str(CleanerProfileFactory().pk)),
                                      format="json")
        assert response.status_code in (400, 404)
        package.is_active = False
        package.save()
        response = api(customer).post(BOOKINGS, body(package), format="json")
        assert response.status_code == 400 and envelope(response)["code"] == "service_inactive"
        response = api(customer).post(BOOKINGS, body(package, cleaner_id="0" * 32), format="json")
        assert response.status_code == 404

    def test_unavailable_cleaner_and_outside_the_schedule(self):
        package = listed_cleaner(start="09:00", end="12:00")
        customer = UserFactory()
        response = api(customer).post(BOOKINGS, body(package, start_time="11:00"), format="json")
        assert response.status_code == 409 and envelope(response)["code"] == "slot_unavailable"  # ends 13:00
        assert api(customer).post(BOOKINGS, body(package, start_time="10:00"), format="json").status_code == 201
        profile = package.cleaner
        profile.is_available = False
        profile.save()
        response = api(customer).post(BOOKINGS, body(package, start_time="09:00"), format="json")
        assert response.status_code == 409 and envelope(response)["code"] == "cleaner_unavailable"

    def test_busy_time_leaves_the_slots(self):
        package = listed_cleaner(start="09:00", end="13:00")
        booking = book(package, at="10:00")
        response = api().get(f"/api/v1/cleaners/{package.cleaner_id}/availability",
                             {"date": booking.booking_date.isoformat(), "service_id": str(package.pk)})
        assert response.json()["slots"] == []  # 09:00 would run into the booking, 12:00 past the schedule
        package.duration_minutes = 60
        package.save()
        response = api().get(f"/api/v1/cleaners/{package.cleaner_id}/availability",
                             {"date": booking.booking_date.isoformat(), "service_id": str(package.pk)})
        assert [slot["start"] for slot in response.json()["slots"]] == ["09:00", "12:00"]


class TestWhoSees:
    def test_participants_see_it_others_get_404(self):
        package = listed_cleaner()
        booking = book(package)
        url = f"{BOOKINGS}{booking.pk}"
        assert api(booking.customer).get(url).status_code == 200
        assert api(package.cleaner.user).get(url).status_code == 200
        for outsider in (UserFactory(), listed_cleaner().cleaner.user):
            response = api(outsider).get(url)
            assert response.status_code == 404 and envelope(response)["code"] == "booking_not_found"
            assert api(outsider).patch(f"{url}/status", {"status": "confirmed"}, format="json").status_code == 404
            assert api(outsider).delete(url).status_code == 404
        assert api().get(url).status_code == 401
        assert api(UserFactory()).get(f"{BOOKINGS}nonsense").status_code == 404
        assert [item["id"] for item in api(booking.customer).get(BOOKINGS).json()["results"]] == [str(booking.pk)]
        assert api(UserFactory()).get(BOOKINGS).json()["count"] == 0
        assert api(booking.customer).get(BOOKINGS, {"show": "sideways"}).status_code == 400
        mine = api(package.cleaner.user).get("/api/v1/cleaners/me/bookings").json()
        assert [item["id"] for item in mine["results"]] == [str(booking.pk)]
        assert api(booking.customer).get("/api/v1/cleaners/me/bookings").status_code == 403


def _at(status, pay):
    """A booking brought to ``status`` through the API's own moves."""
    package = listed_cleaner()
    booking = book(package)
    cleaner = package.cleaner.user
    if status == "pending":
        return booking
    if status == "cancelled":
        api(booking.customer).delete(f"{BOOKINGS}{booking.pk}")
        booking.refresh_from_db()
        return booking
    api(cleaner).patch(f"{BOOKINGS}{booking.pk}/status", {"status": "confirmed"}, format="json")
    booking.refresh_from_db()
    if status == "confirmed":
        return booking
    pay(booking)
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() + timedelta(minutes=10),
                                                 ends_at=timezone.now() + timedelta(minutes=130))
    api(cleaner).patch(f"{BOOKINGS}{booking.pk}/status", {"status": "in_progress"}, format="json")
    booking.refresh_from_db()
    if status == "in_progress":
        return booking
    api(cleaner).patch(f"{BOOKINGS}{booking.pk}/status", {"status": "completed"}, format="json")
    booking.refresh_from_db()
    return booking


STATUSES = ["pending", "confirmed", "in_progress", "completed", "cancelled"]
ALLOWED = table_pairs(Booking)
CLEANER_MOVES = {"confirmed", "in_progress", "completed", "cancelled"}


@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("target", ["confirmed", "in_progress", "completed", "cancelled"])
def test_the_transition_table_both_ways(source, target, pay):
    booking = _at(source, pay)
    assert booking.status == source
    if (source, target) == ("confirmed", "in_progress"):  # starting needs the payment and the day (see below)
        pay(booking)
        Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() + timedelta(minutes=10),
                                                     ends_at=timezone.now() + timedelta(minutes=130))
    cleaner, customer = booking.cleaner.user, booking.customer
    url = f"{BOOKINGS}{booking.pk}/status"
    reason = {"reason": "Unwell that day"}
    if target != "cancelled":  # the customer only cancels
        response = api(customer).patch(url, {"status": target}, format="json")
        assert response.status_code == 403 and envelope(response)["code"] == "wrong_party"
    response = api(cleaner).patch(url, {"status": target, **reason}, format="json")
    booking.refresh_from_db()
    if (source, target) in ALLOWED:
        assert response.status_code == 200, response.json()
        assert booking.status == target
    else:
        assert response.status_code == 409 and envelope(response)["code"] == "invalid_transition", response.json()
        assert booking.status == source


def test_bad_status_bodies():
    booking = book(listed_cleaner())
    url = f"{BOOKINGS}{booking.pk}/status"
    cleaner = booking.cleaner.user
    for payload in ({}, {"status": "done"}, {"status": "pending"}, {"status": None}, {"status": "cancelled"},
                    {"status": "cancelled", "reason": "x" * 501}):
        response = api(cleaner).patch(url, payload, format="json")
        assert response.status_code == 400, (payload, response.json())
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_cancel_shows_the_refund_and_the_alternatives(pay):
    package = listed_cleaner(latitude=12.97, longitude=77.59)
    other = listed_cleaner(latitude=12.98, longitude=77.59)
    booking = book(package, at="10:00")
    api(package.cleaner.user).patch(f"{BOOKINGS}{booking.pk}/status", {"status": "confirmed"}, format="json")
    booking.refresh_from_db()
    pay(booking)
    terms = api(booking.customer).get(f"{BOOKINGS}{booking.pk}/cancellation").json()
    assert terms == {"refund_amount": booking.total_price, "refund_percent": 100, "kept_amount": 0, "penalty": False}
    terms = api(package.cleaner.user).get(f"{BOOKINGS}{booking.pk}/cancellation").json()
    assert terms["penalty"] is True and terms["refund_amount"] == booking.total_price
    response = api(package.cleaner.user).delete(f"{BOOKINGS}{booking.pk}", {"reason": "Unwell"}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["refund_amount"] == booking.total_price and data["cancelled_by"] == "cleaner"
    assert [item["cleaner_id"] for item in data["alternatives"]] == [str(other.cleaner_id)]
    response = api(booking.customer).delete(f"{BOOKINGS}{booking.pk}")
    assert response.status_code == 409 and envelope(response)["code"] == "invalid_transition"


def test_create_intent(pay):
    package = listed_cleaner()
    booking = book(package)
    url = "/api/v1/payments/create-intent"
    response = api(booking.customer).post(url, {"booking_id": str(booking.pk)}, format="json")
    assert response.status_code == 409 and envelope(response)["code"] == "payment_not_expected"  # not accepted
    api(package.cleaner.user).patch(f"{BOOKINGS}{booking.pk}/status", {"status": "confirmed"}, format="json")
    assert api(package.cleaner.user).post(url, {"booking_id": str(booking.pk)}, format="json").status_code == 403
    assert api(UserFactory()).post(url, {"booking_id": str(booking.pk)}, format="json").status_code == 404
    assert api(booking.customer).post(url, {}, format="json").status_code == 400
    assert api(booking.customer).post(url, {"booking_id": "zzz"}, format="json").status_code == 404
    response = api(booking.customer).post(url, {"booking_id": str(booking.pk)}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["amount"] == booking.total_price and data["currency"] == "INR" and data["order_id"]
    detail = api(booking.customer).get(f"/api/v1/payments/{data['payment_id']}")
    assert detail.status_code == 200


def test_starting_needs_the_payment_and_the_time(pay):
    package = listed_cleaner()
    booking = book(package)
    cleaner = package.cleaner.user
    url = f"{BOOKINGS}{booking.pk}/status"
    api(cleaner).patch(url, {"status": "confirmed"}, format="json")
    response = api(cleaner).patch(url, {"status": "in_progress"}, format="json")
    assert response.status_code == 409 and envelope(response)["code"] == "booking_not_paid"
    booking.refresh_from_db()
    pay(booking)
    response = api(cleaner).patch(url, {"status": "in_progress"}, format="json")  # three days early
    assert response.status_code == 409 and envelope(response)["code"] == "too_early_to_start"
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() + timedelta(minutes=29),
                                                 ends_at=timezone.now() + timedelta(minutes=149))
    assert api(cleaner).patch(url, {"status": "in_progress"}, format="json").status_code == 200


def test_a_booking_is_made_in_at_most_8_queries():
    """Issue 12's target: sign-in, the cleaner, the service, the schedule, the busy time, the booking, its
    holds, its timeline entry (the transaction's savepoints in tests are not queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    package = listed_cleaner()
    client = api(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(BOOKINGS, body(package), format="json")
    assert response.status_code == 201, response.json()
    counted = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(counted) <= 8, "\n".join(sql[:120] for sql in counted)
    assert response.json()["cleaner"]["name"] == package.cleaner.user.name and response.json()["dispute"] is None


def test_a_booking_payment_is_verified_in_at_most_8_queries(django_capture_on_commit_callbacks):
    """Sign-in, the payment with its payer, the capture, the escrow ledger entry, the booking with its parties,
    its payment status, its timeline entry; after commit, the customer's receipt and the cleaner's notice in
    one insert (the simulator's own tables are the gateway's, not counted)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import Notification
    from payments.simulator import engine

    package = listed_cleaner()
    booking = book(package)
    api(package.cleaner.user).patch(f"{BOOKINGS}{booking.pk}/status", {"status": "confirmed"}, format="json")
    customer = api(booking.customer)
    started = customer.post("/api/v1/payments/create-intent", {"booking_id": str(booking.pk)}, format="json").json()
    paid = engine.checkout_pay(order_id=started["order_id"], outcome="success")
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = customer.post("/api/v1/payments/verify", paid, format="json")
    assert response.status_code == 200 and response.json()["status"] == "captured", response.json()
    counted = [q["sql"] for q in queries.captured_queries
               if not q["sql"].startswith(("SAVEPOINT", "RELEASE")) and '"payments_sim' not in q["sql"]]
    assert len(counted) <= 8, "\n".join(sql[:120] for sql in counted)
    booking.refresh_from_db()
    assert booking.payment_status == "paid"
    assert set(Notification.objects.filter(event__in=["payment.received", "booking.payment_received"])
               .values_list("user_id", "event")) == {(booking.customer_id, "payment.received"),
                                                     (package.cleaner.user_id, "booking.payment_received")}


@pytest.mark.parametrize("path", ["/api/v1/bookings", "/api/v1/cleaners/me/bookings?show=upcoming", "/bookings/"])
def test_the_booking_lists_cost_the_same_queries_for_one_booking_or_five(path):
    """Each booking is read with what the list shows (parties, payment, dispute): no query per booking, on the
    API lists of both parties and on the page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    package = listed_cleaner()
    customer = UserFactory()
    counts = []
    for total in (1, 5):
        while Booking.objects.filter(customer=customer).count() < total:
            book(package, customer=customer, at=f"{8 + 2 * Booking.objects.filter(customer=customer).count():02d}:00")
        viewer = package.cleaner.user if "cleaners/me" in path else customer
        if path.startswith("/api/"):
            client = api(viewer)
        else:
            client = Client()
            client.force_login(viewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
