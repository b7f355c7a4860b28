"""Messages between the two parties of a booking: open from the request until DISPUTE_WINDOW after
completion (longer while a dispute is open), never on a cancelled booking; nobody else reads them (404);
the other party is told at most once per hour; the page's plain form and htmx paths."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import rules, services
from bookings.models import Booking, Message
from cleanit import errors
from marketplace.tests.factories import UserFactory
from notifications.models import Notification
from tests.openapi import response_errors

from .conversation import api, booking_in, envelope

pytestmark = pytest.mark.django_db


class TestMessageService:
    @pytest.mark.parametrize("status", ["pending", "confirmed", "in_progress", "completed"])
    def test_both_parties_write_while_open(self, pay, status):
        booking = booking_in(status, pay)
        services.message_send(booking=booking, user=booking.customer, body="  Gate code is 4411 ")
        services.message_send(booking=booking, user=booking.cleaner.user, body="Thanks!")
        assert list(Message.objects.filter(booking=booking).values_list("body", flat=True)) == \
            ["Gate code is 4411", "Thanks!"]

    def test_closed_on_a_cancelled_booking(self, pay):
        booking = booking_in("cancelled", pay)
        with pytest.raises(errors.Conflict) as refused:
            services.message_send(booking=booking, user=booking.customer, body="Hello")
        assert refused.value.code == "messages_closed" and "cancelled" in refused.value.message
        assert not Message.objects.exists()

    def test_closes_after_the_dispute_window_unless_a_dispute_is_open(self, pay):
        booking = booking_in("completed", pay)
        edge = booking.completed_at + rules.DISPUTE_WINDOW
        services.message_send(booking=booking, user=booking.customer, body="At the edge", now=edge)
        with pytest.raises(errors.Conflict) as refused:
            services.message_send(booking=booking, user=booking.customer, body="Too late",
                                  now=edge + timedelta(seconds=1))
        assert refused.value.code == "messages_closed"
        services.dispute_open(booking=booking, user=booking.customer, category="damage", text="A vase broke",
                              now=edge - timedelta(minutes=1))
        services.message_send(booking=booking, user=booking.cleaner.user, body="Sorry, I will explain",
                              now=edge + timedelta(days=3))
        assert Message.objects.filter(booking=booking).count() == 2

    @pytest.mark.parametrize("body", ["", "   ", None, 42, "x" * (rules.MESSAGE_MAX + 1)])
    def test_bad_bodies_are_refused(self, pay, body):
        booking = booking_in("confirmed", pay)
        with pytest.raises(errors.ValidationFailed) as refused:
            services.message_send(booking=booking, user=booking.customer, body=body)
        assert set(refused.value.fields) == {"body"} and not Message.objects.exists()

    def test_a_body_of_exactly_the_limit_is_sent(self, pay):
        booking = booking_in("confirmed", pay)
        assert len(services.message_send(booking=booking, user=booking.customer, body="z" * rules.MESSAGE_MAX).body) \
            == rules.MESSAGE_MAX

    def test_someone_else_cannot_write(self, pay):
        booking = booking_in("confirmed", pay)
        with pytest.raises(errors.NotAllowed):
            services.message_send(booking=booking, user=UserFactory(), body="Hi")

    def test_the_other_party_is_told_at_most_once_an_hour(self, pay, django_capture_on_commit_callbacks):
        booking = booking_in("confirmed", pay)
        start = timezone.now().replace(minute=5, second=0, microsecond=0)
        with django_capture_on_commit_callbacks(execute=True):
            for minutes in (0, 10, 40):
                services.message_send(booking=booking, user=booking.customer, body="Hi",
                                      now=start + timedelta(minutes=minutes))
            services.message_send(booking=booking, user=booking.cleaner.user, body="Hello", now=start)
            services.message_send(booking=booking, user=booking.customer, body="Next hour",
                                  now=start + timedelta(minutes=60))
        to_cleaner = Notification.objects.filter(user=booking.cleaner.user, event="booking.message")
        assert to_cleaner.count() == 2 and to_cleaner.first().link.endswith("#messages")
        assert Notification.objects.filter(user=booking.customer, event="booking.message").count() == 1


class TestMessagesApi:
    def test_send_and_list_oldest_first_for_both_parties(self, pay):
        booking = booking_in("confirmed", pay)
        path = f"/api/v1/bookings/{booking.pk}/messages"
        sent = api(booking.customer).post(path, {"body": "<script>alert(1)</script>"}, format="json")
        assert sent.status_code == 201 and sent.json()["mine"] is True
        assert not response_errors("/api/v1/bookings/{booking_id}/messages", "post", 201, sent.json())
        api(booking.cleaner.user).post(path, {"body": "On my way"}, format="json")
        listed = api(booking.cleaner.user).get(path)
        body = listed.json()
        assert listed.status_code == 200 and body["count"] == 2
        assert [(m["body"], m["sender_party"], m["mine"]) for m in body["results"]] == [
            ("<script>alert(1)</script>", "customer", False), ("On my way", "cleaner", True)]
        assert body["results"][0]["sender_name"] == booking.customer.get_short_name()
        assert not response_errors("/api/v1/bookings/{booking_id}/messages", "get", 200, body)

    def test_nobody_else_reads_or_writes(self, pay):
        booking = booking_in("confirmed", pay)
        services.message_send(booking=booking, user=booking.customer, body="Private")
        path = f"/api/v1/bookings/{booking.pk}/messages"
        for client in (api(UserFactory()), api(booking_in("confirmed", pay).cleaner.user)):
            assert envelope(client.get(path))["code"] == "booking_not_found"
            response = client.post(path, {"body": "Let me in"}, format="json")
            assert response.status_code == 404 and envelope(response)["code"] == "booking_not_found"
        assert api().get(path).status_code == 401
        assert api(UserFactory()).get("/api/v1/bookings/not-a-uuid/messages").status_code == 404
        assert Message.objects.count() == 1

    def test_bad_input_and_closed(self, pay):
        booking = booking_in("confirmed", pay)
        path = f"/api/v1/bookings/{booking.pk}/messages"
        client = api(booking.customer)
        for payload in ({}, {"body": ""}, {"body": "   "}, {"body": "x" * (rules.MESSAGE_MAX + 1)}, {"body": ["a"]}):
            response = client.post(path, payload, format="json")
            assert response.status_code == 400 and "body" in envelope(response)["fields"], payload
        assert client.post(path, "<x/>", content_type="application/xml").status_code == 415
        services.booking_cancel(booking=booking, user=booking.customer)
        closed = client.post(path, {"body": "Still there?"}, format="json")
        assert closed.status_code == 409 and envelope(closed)["code"] == "messages_closed"
        assert not Message.objects.exists()
        assert client.get(path).status_code == 200  # reading stays possible


class TestMessagePages:
    def test_plain_form_sends_and_redirects_back(self, client, pay):
        booking = booking_in("confirmed", pay)
        client.force_login(booking.customer)
        response = client.post(f"/bookings/{booking.pk}/messages/", {"body": "Ring twice"})
        assert response.status_code == 302 and response["Location"] == f"/bookings/{booking.pk}/#messages"
        assert Message.objects.get().body == "Ring twice"

    def test_htmx_swaps_the_section_and_escapes_bodies(self, client, pay):
        booking = booking_in("confirmed", pay)
        client.force_login(booking.cleaner.user)
        response = client.post(f"/bookings/{booking.pk}/messages/", {"body": "<img src=x onerror=alert(1)>"},
                               HTTP_HX_REQUEST="true")
        content = response.content.decode()
        assert response.status_code == 200 and 'id="messages"' in content
        assert "&lt;img src=x onerror=alert(1)&gt;" in content and "<img src=x" not in content
        assert "You" in content
        refused = client.post(f"/bookings/{booking.pk}/messages/", {"body": " "}, HTTP_HX_REQUEST="true")
        assert refused.status_code == 200 and 'aria-invalid="true"' in refused.content.decode()
        assert Message.objects.count() == 1
        listed = client.get(f"/bookings/{booking.pk}/messages/", HTTP_HX_REQUEST="true")
        assert listed.status_code == 200 and 'id="message-list"' in listed.content.decode()
        assert client.get(f"/bookings/{booking.pk}/messages/").status_code == 302

    def test_refusals_on_the_plain_page(self, client, pay):
        booking = booking_in("cancelled", pay)
        client.force_login(booking.customer)
        assert client.post(f"/bookings/{booking.pk}/messages/", {"body": "Hello?"}).status_code == 409
        assert client.post(f"/bookings/{booking.pk}/messages/", {"body": ""}).status_code == 400
        assert not Message.objects.exists()

    def test_strangers_get_404_and_visitors_log_in(self, client, pay):
        booking = booking_in("confirmed", pay)
        client.force_login(UserFactory())
        assert client.post(f"/bookings/{booking.pk}/messages/", {"body": "Hi"}).status_code == 404
        assert client.get(f"/bookings/{booking.pk}/messages/", HTTP_HX_REQUEST="true").status_code == 404
        client.logout()
        assert client.post(f"/bookings/{booking.pk}/messages/", {"body": "Hi"}).status_code == 302
        assert not Message.objects.exists()

    def test_closed_section_says_why(self, rf, pay):
        from django.template.loader import render_to_string

        from bookings.views_conversation import conversation_context

        booking = booking_in("completed", pay)
        Booking.objects.filter(pk=booking.pk).update(completed_at=timezone.now() - rules.DISPUTE_WINDOW
                                                     - timedelta(minutes=1))
        booking.refresh_from_db()
        request = rf.get("/")
        request.user = booking.customer
        html = render_to_string("bookings/_messages.html", {"booking": booking,
                                                             **conversation_context(request, booking)}, request)
        assert "Messages closed" in html and "<form" not in html and "hx-trigger" not in html
