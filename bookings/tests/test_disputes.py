"""Disputes: the customer reports a problem within DISPUTE_WINDOW of completion and before the payout is
released; the payout is held; the cleaner answers; an admin decides (full refund, partial refund of an
amount, release) with an audit trail; both parties are told. Service, API, admin and page paths."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from PIL import Image

from bookings import rules, services
from bookings.models import Booking, BookingEvent, Dispute
from bookings.services.disputes import PHOTO_FOLDER, PHOTO_MAX_BYTES
from cleanit import errors
from marketplace.tests.factories import AdminFactory, UserFactory
from notifications.models import Notification
from payments.models import LedgerEntry, Payout, Refund, RefundAuditEntry
from tests.openapi import response_errors

from .conversation import api, booking_in, envelope

pytestmark = pytest.mark.django_db


def photo(kind="JPEG", name=None, size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    extension = "jpg" if kind == "JPEG" else kind.lower()
    return SimpleUploadedFile(name or f"photo.{extension}", buffer.getvalue(),
                              content_type=f"image/{extension if kind != 'JPEG' else 'jpeg'}")


def stored_photos() -> list[str]:
    try:
        return default_storage.listdir(PHOTO_FOLDER)[1]
    except FileNotFoundError:
        return []


def opened(booking, **fields) -> Dispute:
    return services.dispute_open(booking=booking, user=booking.customer, **{
        "category": "poor_quality", "text": "The bathroom was not cleaned", **fields})


class TestOpening:
    def test_the_customer_reports_the_payout_is_held_and_the_cleaner_told(
            self, pay, django_capture_on_commit_callbacks):
        booking = booking_in("completed", pay)
        with django_capture_on_commit_callbacks(execute=True):
            dispute = opened(booking, photos=[photo(), photo("PNG")])
        booking.refresh_from_db()
        assert dispute.status == "open" and booking.payout_due_at is None and not booking.payout_scheduled
        assert len(dispute.photos) == 2 and all(name.startswith(PHOTO_FOLDER) for name in dispute.photos)
        assert sorted(stored_photos()) == sorted(name.rsplit("/", 1)[1] for name in dispute.photos)
        assert BookingEvent.objects.filter(booking=booking, action="disputed", actor=booking.customer).exists()
        notice = Notification.objects.get(user=booking.cleaner.user, event="booking.dispute_opened")
        assert "held" in notice.body
        later = booking.completed_at + rules.PAYOUT_AFTER_COMPLETION + timedelta(hours=1)
        assert services.payouts_release_due(now=later).summary.startswith("0 ")
        assert not services.booking_payout_release(booking=booking, now=later)
        assert not Payout.objects.exists()

    def test_the_window_is_exact(self, pay):
        booking = booking_in("completed", pay)
        edge = booking.completed_at + rules.DISPUTE_WINDOW
        with pytest.raises(errors.Conflict) as refused:
            opened(booking, now=edge + timedelta(seconds=1))
        assert refused.value.code == "dispute_not_allowed" and "within 48 hours" in refused.value.message
        assert opened(booking, now=edge).status == "open"

    @pytest.mark.parametrize("status", ["pending", "confirmed", "in_progress", "cancelled"])
    def test_only_a_completed_booking(self, pay, status):
        booking = booking_in(status, pay)
        with pytest.raises(errors.Conflict) as refused:
            opened(booking)
        assert refused.value.code == "dispute_not_allowed" and not Dispute.objects.exists()

    def test_not_after_the_review_released_the_payout(self, pay):
        booking = booking_in("completed", pay)
        services.review_create(booking=booking, user=booking.customer, rating=4)
        booking.refresh_from_db()
        with pytest.raises(errors.Conflict) as refused:
            opened(booking)
        assert refused.value.code == "dispute_not_allowed" and "paid" in refused.value.message

    def test_once_and_by_the_customer_only(self, pay):
        booking = booking_in("completed", pay)
        with pytest.raises(errors.NotAllowed):
            services.dispute_open(booking=booking, user=booking.cleaner.user, category="other", text="Hmm")
        opened(booking)
        with pytest.raises(errors.Conflict) as refused:
            opened(booking, category="late")
        assert refused.value.code == "dispute_not_allowed" and Dispute.objects.count() == 1

    @pytest.mark.parametrize("fields, field, family", [
        ({"category": "nonsense"}, "category", errors.ValidationFailed),
        ({"category": None}, "category", errors.ValidationFailed),
        ({"text": "  "}, "text", errors.ValidationFailed),
        ({"text": "x" * (rules.DISPUTE_TEXT_MAX + 1)}, "text", errors.ValidationFailed),
        ({"photos": "many"}, "photos", errors.ValidationFailed),
        ({"photos": [SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")]}, "photos",
         errors.UnsupportedMedia),
        ({"photos": [photo("GIF", name="x.jpg")]}, "photos", errors.UnsupportedMedia),
        ({"photos": [SimpleUploadedFile("big.jpg", b"\xff" * (PHOTO_MAX_BYTES + 1))]}, "photos", errors.TooLarge),
    ])
    def test_bad_input_stores_nothing(self, pay, fields, field, family):
        booking = booking_in("completed", pay)
        if fields.get("photos") == "many":
            fields = {"photos": [photo() for _ in range(rules.DISPUTE_PHOTOS_MAX + 1)]}
        with pytest.raises(family) as refused:
            opened(booking, **fields)
        assert set(refused.value.fields) == {field}
        booking.refresh_from_db()
        assert not Dispute.objects.exists() and booking.payout_due_at is not None and stored_photos() == []


class TestAnswer:
    def test_the_cleaner_answers_and_may_correct_it_the_customer_is_told_once(
            self, pay, django_capture_on_commit_callbacks):
        booking = booking_in("completed", pay)
        opened(booking)
        with django_capture_on_commit_callbacks(execute=True):
            services.dispute_respond(booking=booking, user=booking.cleaner.user, text="I cleaned it twice")
            services.dispute_respond(booking=booking, user=booking.cleaner.user, text="I cleaned it, see photos")
        dispute = Dispute.objects.get()
        assert dispute.cleaner_response == "I cleaned it, see photos" and dispute.responded_at
        assert Notification.objects.filter(user=booking.customer, event="booking.dispute_answered").count() == 1
        assert BookingEvent.objects.filter(booking=booking, action="dispute_answered").count() == 2

    def test_refusals(self, pay):
        booking = booking_in("completed", pay)
        with pytest.raises(errors.Conflict):  # nothing reported
            services.dispute_respond(booking=booking, user=booking.cleaner.user, text="?")
        dispute = opened(booking)
        with pytest.raises(errors.NotAllowed):
            services.dispute_respond(booking=booking, user=booking.customer, text="Me too")
        with pytest.raises(errors.ValidationFailed):
            services.dispute_respond(booking=booking, user=booking.cleaner.user, text=" ")
        services.dispute_decide(dispute=dispute, admin=AdminFactory(), outcome="release", note="Work was done")
        with pytest.raises(errors.Conflict) as refused:
            services.dispute_respond(booking=booking, user=booking.cleaner.user, text="Late answer")
        assert refused.value.code == "dispute_not_open"
        assert Dispute.objects.get().cleaner_response == ""


class TestDecision:
    def test_full_refund_gives_everything_back_and_pays_nobody(self, pay, django_capture_on_commit_callbacks):
        booking = booking_in("completed", pay)
        dispute, admin = opened(booking), AdminFactory()
        with django_capture_on_commit_callbacks(execute=True):
            services.dispute_decide(dispute=dispute, admin=admin, outcome="full_refund", note="Not done at all")
        booking.refresh_from_db()
        dispute.refresh_from_db()
        assert (dispute.status, dispute.outcome, dispute.refund_amount, dispute.decided_by) == \
            ("resolved", "full_refund", booking.total_price, admin)
        refund = Refund.objects.get(payment=booking.payment)
        assert refund.amount == booking.total_price and refund.requested_by == admin
        assert refund.refund_key == f"booking-dispute:{dispute.pk}"
        assert RefundAuditEntry.objects.filter(refund=refund, actor=admin).exists()
        assert booking.refund_amount == booking.total_price and booking.payment_status == "refunded"
        assert booking.payout_scheduled and not Payout.objects.exists()
        event = BookingEvent.objects.get(booking=booking, action="dispute_decided")
        assert event.actor == admin and event.party == "admin" and "Not done at all" in event.note
        for user in (booking.customer, booking.cleaner.user):
            assert Notification.objects.filter(user=user, event="booking.dispute_decided").count() == 1
        assert not services.booking_payout_release(booking=booking)
        services.review_create(booking=booking, user=booking.customer, rating=1)
        assert not Payout.objects.exists()

    def test_partial_refund_refunds_the_amount_and_splits_the_rest(self, pay, django_capture_on_commit_callbacks):
        booking = booking_in("completed", pay)  # 1000 + 100 fee
        dispute = opened(booking)
        with django_capture_on_commit_callbacks(execute=True):
            services.dispute_decide(dispute=dispute, admin=AdminFactory(), outcome="partial_refund", amount=300_00,
                                    note="Kitchen skipped")
        booking.refresh_from_db()
        assert booking.refund_amount == 300_00 and booking.payment_status == "partially_refunded"
        kept = booking.total_price - 300_00
        payout = Payout.objects.get(source_kind="booking", source_id=str(booking.pk))
        assert payout.amount == kept * booking.service_price // booking.total_price == booking.cleaner_amount
        fee = LedgerEntry.objects.get(escrow_key=booking.escrow_key, kind=LedgerEntry.Kind.FEE)
        assert fee.amount == kept - payout.amount == booking.fee_amount

    def test_release_pays_the_cleaner_in_full(self, pay):
        booking = booking_in("completed", pay)
        services.dispute_decide(dispute=opened(booking), admin=AdminFactory(), outcome="release", note="Fine")
        booking.refresh_from_db()
        assert Payout.objects.get(source_id=str(booking.pk)).amount == booking.service_price
        assert booking.refund_amount == 0 and not Refund.objects.exists()

    @pytest.mark.parametrize("outcome, amount, field", [
        ("maybe", None, "outcome"), ("partial_refund", None, "amount"), ("partial_refund", 0, "amount"),
        ("partial_refund", 1100_01, "amount"), ("partial_refund", "100", "amount"), ("partial_refund", 1.5, "amount"),
    ])
    def test_bad_decisions_change_nothing(self, pay, outcome, amount, field):
        booking = booking_in("completed", pay)
        dispute = opened(booking)
        with pytest.raises(errors.ValidationFailed) as refused:
            services.dispute_decide(dispute=dispute, admin=AdminFactory(), outcome=outcome, amount=amount, note="x")
        assert set(refused.value.fields) == {field}
        dispute.refresh_from_db()
        assert dispute.status == "open" and not Refund.objects.exists() and not Payout.objects.exists()

    def test_a_note_staff_and_once(self, pay):
        booking = booking_in("completed", pay)
        dispute = opened(booking)
        with pytest.raises(errors.ValidationFailed):
            services.dispute_decide(dispute=dispute, admin=AdminFactory(), outcome="release", note="  ")
        with pytest.raises(errors.NotAllowed):
            services.dispute_decide(dispute=dispute, admin=booking.customer, outcome="full_refund", note="Mine")
        stale = Dispute.objects.get(pk=dispute.pk)
        services.dispute_decide(dispute=dispute, admin=AdminFactory(), outcome="release", note="Done")
        with pytest.raises(errors.Conflict) as refused:
            services.dispute_decide(dispute=stale, admin=AdminFactory(), outcome="full_refund", note="Other admin")
        assert refused.value.code == "dispute_not_open"
        assert Payout.objects.count() == 1 and not Refund.objects.exists()

    def test_the_full_amount_as_a_partial_refund_is_a_full_refund(self, pay):
        booking = booking_in("completed", pay)
        services.dispute_decide(dispute=opened(booking), admin=AdminFactory(), outcome="partial_refund",
                                amount=booking.total_price, note="All of it")
        booking.refresh_from_db()
        assert booking.refund_amount == booking.total_price and not Payout.objects.exists()


class TestDisputeApi:
    def test_json_report_201_and_the_booking_shows_it(self, pay):
        booking = booking_in("completed", pay)
        path = f"/api/v1/bookings/{booking.pk}/dispute"
        response = api(booking.customer).post(path, {"category": "damage", "text": "A cup broke"}, format="json")
        assert response.status_code == 201, response.content
        assert not response_errors("/api/v1/bookings/{booking_id}/dispute", "post", 201, response.json())
        shown = api(booking.cleaner.user).get(f"/api/v1/bookings/{booking.pk}").json()["dispute"]
        assert shown["text"] == "A cup broke"

    def test_multipart_report_with_photos(self, pay):
        booking = booking_in("completed", pay)
        response = api(booking.customer).post(f"/api/v1/bookings/{booking.pk}/dispute", {
            "category": "poor_quality", "text": "See photos", "photos": [photo(), photo("PNG")]}, format="multipart")
        assert response.status_code == 201, response.content
        urls = response.json()["photos"]
        assert len(urls) == 2 and all(url.startswith("/media/bookings/disputes/") for url in urls)

    def test_refusals_have_the_envelope_and_store_nothing(self, pay):
        booking = booking_in("completed", pay)
        path = f"/api/v1/bookings/{booking.pk}/dispute"
        customer = api(booking.customer)
        bad = customer.post(path, {"category": "weather", "text": ""}, format="json")
        assert bad.status_code == 400 and set(envelope(bad)["fields"]) >= {"text"}
        assert customer.post(path, "<x/>", content_type="application/xml").status_code == 415
        not_image = customer.post(path, {"category": "other", "text": "x", "photos": [
            SimpleUploadedFile("a.png", b"GIF89a not really")]}, format="multipart")
        assert not_image.status_code == 415 and "photos" in envelope(not_image)["fields"]
        too_big = customer.post(path, {"category": "other", "text": "x", "photos": [
            SimpleUploadedFile("a.jpg", b"\xff" * (PHOTO_MAX_BYTES + 1))]}, format="multipart")
        assert too_big.status_code == 413
        cleaner = api(booking.cleaner.user).post(path, {"category": "other", "text": "x"}, format="json")
        assert cleaner.status_code == 403 and envelope(cleaner)["code"] == "wrong_party"
        stranger = api(UserFactory()).post(path, {"category": "other", "text": "x"}, format="json")
        assert stranger.status_code == 404
        assert api().post(path, {"category": "other", "text": "x"}, format="json").status_code == 401
        assert not Dispute.objects.exists() and stored_photos() == []
        early = booking_in("in_progress", pay)
        refused = api(early.customer).post(f"/api/v1/bookings/{early.pk}/dispute", {"category": "late", "text": "x"},
                                           format="json")
        assert refused.status_code == 409 and envelope(refused)["code"] == "dispute_not_allowed"

    def test_the_cleaners_response(self, pay):
        booking = booking_in("completed", pay)
        path = f"/api/v1/bookings/{booking.pk}/dispute/response"
        assert api(booking.cleaner.user).post(path, {"text": "?"}, format="json").status_code == 409
        opened(booking)
        response = api(booking.cleaner.user).post(path, {"text": "I was on time"}, format="json")
        assert response.status_code == 200 and response.json()["cleaner_response"] == "I was on time"
        assert not response_errors("/api/v1/bookings/{booking_id}/dispute/response", "post", 200, response.json())
        assert api(booking.customer).post(path, {"text": "No"}, format="json").status_code == 403
        assert api(booking.cleaner.user).post(path, {"text": ""}, format="json").status_code == 400
        assert api(UserFactory()).post(path, {"text": "x"}, format="json").status_code == 404


class TestDisputeAdmin:
    def test_queue_open_first_oldest_first_and_decide_in_rupees(self, client, pay):
        first, second = booking_in("completed", pay), booking_in("completed", pay)
        older, newer = opened(first), opened(second)
        services.dispute_decide(dispute=older, admin=AdminFactory(), outcome="release", note="ok")
        third = booking_in("completed", pay)
        newest = opened(third)
        admin = AdminFactory()
        client.force_login(admin)
        listing = client.get("/admin/bookings/dispute/").content.decode()
        positions = [listing.index(f"/admin/bookings/dispute/{d.pk}/change/") for d in (newer, newest, older)]
        assert positions == sorted(positions)
        change = client.get(f"/admin/bookings/dispute/{newer.pk}/change/")
        assert change.status_code == 200 and b"Decide" in change.content
        url = f"/admin/bookings/dispute/{newer.pk}/decide/"
        assert client.get(url).status_code == 200
        bad = client.post(url, {"outcome": "partial_refund", "amount": "abc", "note": "Half"})
        assert bad.status_code == 400 and b"Enter an amount" in bad.content
        too_much = client.post(url, {"outcome": "partial_refund", "amount": "5000", "note": "Half"})
        assert too_much.status_code == 400 and "₹1,100.00".encode() in too_much.content
        done = client.post(url, {"outcome": "partial_refund", "amount": "250.50", "note": "Half done"})
        assert done.status_code == 302
        newer.refresh_from_db()
        assert (newer.outcome, newer.refund_amount, newer.decided_by) == ("partial_refund", 250_50, admin)
        again = client.post(url, {"outcome": "release", "note": "again"})
        assert again.status_code == 400 and b"already been decided" in again.content

    def test_non_staff_cannot_reach_the_decision(self, client, pay):
        booking = booking_in("completed", pay)
        dispute = opened(booking)
        client.force_login(booking.customer)
        response = client.post(f"/admin/bookings/dispute/{dispute.pk}/decide/", {"outcome": "full_refund",
                                                                                 "note": "Give it back"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        dispute.refresh_from_db()
        assert dispute.status == "open"


def partial(name, booking, user, rf):
    from bookings.views_conversation import conversation_context

    request = rf.get("/")
    request.user = user
    booking = Booking.objects.select_related("customer", "cleaner__user").get(pk=booking.pk)
    return render_to_string(f"bookings/{name}.html", {"booking": booking, **conversation_context(request, booking)},
                            request)


class TestPages:
    def test_report_answer_and_review_through_plain_forms(self, client, pay):
        booking = booking_in("completed", pay)
        client.force_login(booking.customer)
        refused = client.post(f"/bookings/{booking.pk}/dispute/", {"category": "", "text": "x"})
        assert refused.status_code == 400 and not Dispute.objects.exists()
        response = client.post(f"/bookings/{booking.pk}/dispute/", {
            "category": "damage", "text": "Scratched table", "photos": [photo(), photo("PNG")]})
        assert response.status_code == 302 and response["Location"].endswith("#dispute")
        assert len(Dispute.objects.get().photos) == 2
        client.force_login(booking.cleaner.user)
        assert client.post(f"/bookings/{booking.pk}/dispute/response/", {"text": ""}).status_code == 400
        answered = client.post(f"/bookings/{booking.pk}/dispute/response/", {"text": "It was already there"})
        assert answered.status_code == 302 and Dispute.objects.get().cleaner_response == "It was already there"
        client.force_login(booking.customer)
        assert client.post(f"/bookings/{booking.pk}/review/", {"rating": "7"}).status_code == 400
        reviewed = client.post(f"/bookings/{booking.pk}/review/", {"rating": "2", "comment": "Meh"})
        assert reviewed.status_code == 302 and reviewed["Location"].endswith("#review")
        assert client.post(f"/bookings/{booking.pk}/review/", {"rating": "5"}).status_code == 409
        client.force_login(UserFactory())
        assert client.post(f"/bookings/{booking.pk}/review/", {"rating": "5"}).status_code == 404
        assert client.post(f"/bookings/{booking.pk}/dispute/", {"category": "late", "text": "x"}).status_code == 404

    def test_partials_show_each_state_to_each_party(self, rf, pay):
        booking = booking_in("completed", pay)
        customer, cleaner = booking.customer, booking.cleaner.user
        review_form = partial("_review", booking, customer, rf)
        assert 'name="rating"' in review_form and "report a problem first" in review_form
        dispute_form = partial("_dispute", booking, customer, rf)
        assert 'enctype="multipart/form-data"' in dispute_form and "before you review" in dispute_form
        assert 'accept="image/jpeg,image/png"' in dispute_form
        assert partial("_dispute", booking, cleaner, rf).strip() == ""
        assert "not reviewed this booking yet" in partial("_review", booking, cleaner, rf)
        opened(booking, text="<b>Dirty</b> floor")
        as_cleaner = partial("_dispute", booking, cleaner, rf)
        assert "&lt;b&gt;Dirty&lt;/b&gt;" in as_cleaner and "Send your answer" in as_cleaner
        assert "Send your answer" not in partial("_dispute", booking, customer, rf)
        services.dispute_decide(dispute=Dispute.objects.get(), admin=AdminFactory(), outcome="partial_refund",
                                amount=100_00, note="Partly done")
        decided = partial("_dispute", booking, customer, rf)
        assert "₹100.00 refunded" in decided and "Partly done" in decided and "<form" not in decided
        services.review_create(booking=booking, user=customer, rating=3, comment="Okay")
        shown = partial("_review", booking, cleaner, rf)
        assert 'aria-label="3 out of 5 stars"' in shown and "Okay" in shown and "<form" not in shown

    def test_nothing_before_completion(self, rf, pay):
        booking = booking_in("confirmed", pay)
        assert partial("_review", booking, booking.customer, rf).strip() == ""
        assert partial("_dispute", booking, booking.customer, rf).strip() == ""


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_a_report_and_a_review_at_once_never_leave_a_paid_out_open_dispute(live_server, pay):
    from marketplace.services import auth_issue_tokens

    from .test_reviews import _all_at_once, _post

    for _ in range(3):
        booking = booking_in("completed", pay)
        token = auth_issue_tokens(user=booking.customer).access
        base = f"{live_server.url}/api/v1/bookings/{booking.pk}"
        (review, _), (report, body) = _all_at_once([
            lambda: _post(f"{base}/review", token, {"rating": 5}),
            lambda: _post(f"{base}/dispute", token, {"category": "late", "text": "Came late"})])
        booking.refresh_from_db()
        assert review == 201 and report in (201, 409), body
        disputed = Dispute.objects.filter(booking=booking, status="open").exists()
        assert disputed == (report == 201)
        assert booking.payout_scheduled != disputed  # held exactly when a dispute is open
        assert Payout.objects.filter(source_id=str(booking.pk)).count() == (0 if disputed else 1)
