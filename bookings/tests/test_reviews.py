"""Reviews: once per completed booking by its customer, counted in the cleaner's rating at once, releasing
the payout; listed (newest first, hidden ones left out) on the API and the cleaner's profile; hidden and
shown again by an admin. Real races against live_server at the end."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import services
from bookings.models import Booking, BookingEvent, Dispute, Review
from cleanit import errors
from marketplace.models import CleanerProfile
from marketplace.services import auth_issue_tokens
from marketplace.services.cleaner_profile import profile_rating_add, profile_rating_remove
from marketplace.tests.factories import AdminFactory, CleanerProfileFactory, UserFactory
from notifications.models import Notification
from payments.models import Payout
from tests.openapi import response_errors

from .conversation import api, booking_in, envelope
from .factories import listed_cleaner

pytestmark = pytest.mark.django_db


def profile_of(booking) -> CleanerProfile:
    return CleanerProfile.objects.get(pk=booking.cleaner_id)


class TestReviewService:
    def test_the_customer_reviews_once_the_rating_counts_and_the_payout_is_released(
            self, pay, django_capture_on_commit_callbacks):
        booking = booking_in("completed", pay)
        with django_capture_on_commit_callbacks(execute=True):
            review = services.review_create(booking=booking, user=booking.customer, rating=4, comment="  Spotless. ")
        assert (review.rating, review.comment, review.cleaner_id) == (4, "Spotless.", booking.cleaner_id)
        profile = profile_of(booking)
        assert (profile.rating_count, profile.rating_total, profile.rating_avg) == (1, 4, 4.0)
        booking.refresh_from_db()
        assert booking.payout_scheduled and booking.cleaner_amount == booking.service_price
        payout = Payout.objects.get(source_kind="booking", source_id=str(booking.pk))
        assert payout.amount == booking.service_price and payout.due_at <= timezone.now()
        assert BookingEvent.objects.filter(booking=booking, action="reviewed").count() == 1
        notice = Notification.objects.get(user=booking.cleaner.user, event="booking.review_received")
        assert "4 out of 5" in notice.title and "Spotless." in notice.body

    def test_completion_asks_the_customer_for_a_review(self, pay, django_capture_on_commit_callbacks):
        booking = booking_in("in_progress", pay)
        with django_capture_on_commit_callbacks(execute=True):
            services.booking_complete(booking=booking, user=booking.cleaner.user,
                                      now=booking.starts_at + timedelta(hours=2))
        notice = Notification.objects.get(user=booking.customer, event="booking.review_request")
        assert notice.link.endswith("#review") and "before reviewing" in notice.body

    @pytest.mark.parametrize("status", ["pending", "confirmed", "in_progress", "cancelled"])
    def test_only_a_completed_booking_is_reviewed(self, pay, status):
        booking = booking_in(status, pay)
        with pytest.raises(errors.Conflict) as refused:
            services.review_create(booking=booking, user=booking.customer, rating=5)
        assert refused.value.code == "booking_not_completed"
        assert not Review.objects.exists() and profile_of(booking).rating_count == 0

    def test_a_second_review_is_refused_and_changes_nothing(self, pay):
        booking = booking_in("completed", pay)
        services.review_create(booking=booking, user=booking.customer, rating=5)
        with pytest.raises(errors.Conflict) as refused:
            services.review_create(booking=booking, user=booking.customer, rating=1)
        assert refused.value.code == "already_reviewed"
        profile = profile_of(booking)
        assert (Review.objects.count(), profile.rating_count, profile.rating_avg) == (1, 1, 5.0)

    def test_the_cleaner_cannot_review(self, pay):
        booking = booking_in("completed", pay)
        with pytest.raises(errors.NotAllowed) as refused:
            services.review_create(booking=booking, user=booking.cleaner.user, rating=5)
        assert refused.value.code == "wrong_party" and not Review.objects.exists()

    @pytest.mark.parametrize("rating, comment, field", [
        (0, "", "rating"), (6, "", "rating"), ("x", "", "rating"), (True, "", "rating"), (None, "", "rating"),
        (4.5, "", "rating"), (5, "x" * 1001, "comment"), (5, 12, "comment"),
    ])
    def test_bad_input_is_refused_and_nothing_is_stored(self, pay, rating, comment, field):
        booking = booking_in("completed", pay)
        with pytest.raises(errors.ValidationFailed) as refused:
            services.review_create(booking=booking, user=booking.customer, rating=rating, comment=comment)
        assert set(refused.value.fields) == {field}
        booking.refresh_from_db()
        assert not Review.objects.exists() and not booking.payout_scheduled

    def test_a_comment_of_exactly_the_limit_is_kept(self, pay):
        booking = booking_in("completed", pay)
        review = services.review_create(booking=booking, user=booking.customer, rating="3", comment="y" * 1000)
        assert review.rating == 3 and len(review.comment) == 1000

    def test_a_review_while_a_dispute_is_open_keeps_the_payout_held(self, pay):
        booking = booking_in("completed", pay)
        services.dispute_open(booking=booking, user=booking.customer, category="poor_quality",
                              text="Kitchen left dirty")
        services.review_create(booking=booking, user=booking.customer, rating=2)
        booking.refresh_from_db()
        assert not booking.payout_scheduled and not Payout.objects.exists()
        assert profile_of(booking).rating_count == 1


class TestHiding:
    def test_hide_removes_from_rating_and_lists_show_puts_it_back(self, pay):
        package = listed_cleaner()
        first = booking_in("completed", pay, package=package, at="08:00")
        second = booking_in("completed", pay, package=package, at="12:00")
        low = services.review_create(booking=first, user=first.customer, rating=1)
        services.review_create(booking=second, user=second.customer, rating=4)
        admin = AdminFactory()
        assert services.review_hide(review=low, admin=admin, reason="Abusive language")
        assert not services.review_hide(review=low, admin=admin, reason="again")
        profile = profile_of(first)
        assert (profile.rating_count, profile.rating_total, profile.rating_avg) == (1, 4, 4.0)
        body = api().get(f"/api/v1/reviews/cleaners/{profile.pk}").json()
        assert [item["rating"] for item in body["results"]] == [4]
        assert api().get(f"/api/v1/reviews/{low.pk}").status_code == 404
        event = BookingEvent.objects.get(booking=first, action="review_hidden")
        assert event.actor == admin and "Abusive language" in event.note
        assert services.review_unhide(review=low, admin=admin)
        assert not services.review_unhide(review=low, admin=admin)
        profile.refresh_from_db()
        assert (profile.rating_count, profile.rating_total, profile.rating_avg) == (2, 5, 2.5)

    def test_only_staff_hide_and_a_reason_is_required(self, pay):
        booking = booking_in("completed", pay)
        review = services.review_create(booking=booking, user=booking.customer, rating=5)
        with pytest.raises(errors.NotAllowed):
            services.review_hide(review=review, admin=booking.cleaner.user, reason="I dislike it")
        with pytest.raises(errors.ValidationFailed):
            services.review_hide(review=review, admin=AdminFactory(), reason="   ")
        review.refresh_from_db()
        assert review.hidden_at is None and profile_of(booking).rating_count == 1

    def test_profile_rating_remove_keeps_the_average_exact_down_to_none(self):
        profile = CleanerProfileFactory()
        for rating in (5, 4, 2):
            profile_rating_add(profile=profile, rating=rating)
        assert profile_rating_remove(profile=profile, rating=4)
        profile.refresh_from_db()
        assert (profile.rating_count, profile.rating_total, profile.rating_avg) == (2, 7, 3.5)
        assert profile_rating_remove(profile=profile, rating=5) and profile_rating_remove(profile=profile, rating=2)
        profile.refresh_from_db()
        assert (profile.rating_count, profile.rating_total, profile.rating_avg) == (0, 0, 0)
        assert not profile_rating_remove(profile=profile, rating=3)
        with pytest.raises(ValueError):
            profile_rating_remove(profile=profile, rating=6)

    def test_admin_hides_with_a_reason_through_the_action(self, client, pay):
        booking = booking_in("completed", pay)
        review = services.review_create(booking=booking, user=booking.customer, rating=3)
        client.force_login(AdminFactory())
        url = "/admin/bookings/review/"
        asked = client.post(url, {"action": "hide_reviews", "_selected_action": [review.pk]})
        assert asked.status_code == 200 and b"reason" in asked.content
        done = client.post(url, {"action": "hide_reviews", "_selected_action": [review.pk], "apply": "1",
                                 "reason": "Mentions a phone number"})
        assert done.status_code == 302
        review.refresh_from_db()
        assert review.hidden_reason == "Mentions a phone number" and profile_of(booking).rating_count == 0
        client.post(url, {"action": "show_reviews", "_selected_action": [review.pk]})
        assert profile_of(booking).rating_count == 1
        assert client.get(url).status_code == 200 and client.get(f"{url}{review.pk}/change/").status_code == 200


class TestReviewApi:
    def test_post_review_201_matches_the_schema(self, pay):
        booking = booking_in("completed", pay)
        path = f"/api/v1/bookings/{booking.pk}/review"
        response = api(booking.customer).post(path, {"rating": 5, "comment": "Great"}, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["rating"] == 5 and body["customer_name"] == booking.customer.get_short_name()
        assert body["service_name"] == booking.service_name and body["service_date"] == str(booking.booking_date)
        assert not response_errors("/api/v1/bookings/{booking_id}/review", "post", 201, body)

    def test_refusals_have_the_envelope(self, pay):
        booking = booking_in("completed", pay)
        path = f"/api/v1/bookings/{booking.pk}/review"
        customer = api(booking.customer)
        assert envelope(customer.post(path, {"comment": "no rating"}, format="json"))["code"] == "validation_error"
        bad = customer.post(path, {"rating": 9}, format="json")
        assert bad.status_code == 400 and set(envelope(bad)["fields"]) == {"rating"}
        assert customer.post(path, "{oops", content_type="application/json").status_code == 400
        assert customer.post(path, "<x/>", content_type="application/xml").status_code == 415
        cleaner = api(booking.cleaner.user).post(path, {"rating": 5}, format="json")
        assert cleaner.status_code == 403 and envelope(cleaner)["code"] == "wrong_party"
        other = api(UserFactory()).post(path, {"rating": 5}, format="json")
        assert other.status_code == 404 and envelope(other)["code"] == "booking_not_found"
        assert api().post(path, {"rating": 5}, format="json").status_code == 401
        assert not Review.objects.exists()
        assert customer.post(path, {"rating": 5}, format="json").status_code == 201
        again = customer.post(path, {"rating": 4}, format="json")
        assert again.status_code == 409 and envelope(again)["code"] == "already_reviewed"

    def test_not_completed_is_409(self, pay):
        booking = booking_in("confirmed", pay)
        response = api(booking.customer).post(f"/api/v1/bookings/{booking.pk}/review", {"rating": 5}, format="json")
        assert response.status_code == 409 and envelope(response)["code"] == "booking_not_completed"

    def test_lists_newest_first_paginated_and_one_review(self, pay):
        package = listed_cleaner()
        reviews = []
        for index, at in enumerate(("08:00", "11:00", "14:00")):
            booking = booking_in("completed", pay, package=package, at=at)
            reviews.append(services.review_create(booking=booking, user=booking.customer, rating=index + 3,
                                                  comment=f"comment {index}"))
        cleaner_id = package.cleaner_id
        for path, schema_path in ((f"/api/v1/reviews/cleaners/{cleaner_id}", "/api/v1/reviews/cleaners/{cleaner_id}"),
                                  (f"/api/v1/cleaners/{cleaner_id}/reviews", "/api/v1/cleaners/{cleaner_id}/reviews")):
            body = api().get(path, {"page_size": 2}).json()
            assert body["count"] == 3 and [item["rating"] for item in body["results"]] == [5, 4], path
            assert body["results"][0]["service_name"] == package.name
            assert body["next"] and not response_errors(schema_path, "get", 200, body)
            assert [item["rating"] for item in api().get(body["next"]).json()["results"]] == [3]
        one = api().get(f"/api/v1/reviews/{reviews[0].pk}")
        assert one.status_code == 200 and one.json()["comment"] == "comment 0"
        assert not response_errors("/api/v1/reviews/{review_id}", "get", 200, one.json())
        for path in ("/api/v1/reviews/not-a-uuid", "/api/v1/reviews/00000000-0000-0000-0000-000000000000"):
            assert envelope(api().get(path))["code"] == "review_not_found"
        assert api().get("/api/v1/reviews/cleaners/00000000-0000-0000-0000-000000000000").status_code == 404
        assert api().get("/api/v1/cleaners/nope/reviews").status_code == 404


class TestProfilePage:
    def test_profile_shows_reviews_newest_first_without_hidden_ones(self, client, pay):
        package = listed_cleaner()
        first = booking_in("completed", pay, package=package, at="08:00")
        second = booking_in("completed", pay, package=package, at="12:00")
        services.review_create(booking=first, user=first.customer, rating=2, comment="<b>Late</b>")
        hidden = services.review_create(booking=second, user=second.customer, rating=5, comment="Secret praise")
        services.review_hide(review=hidden, admin=AdminFactory(), reason="Fake")
        content = client.get(f"/cleaners/{package.cleaner_id}/").content.decode()
        assert "No reviews yet" not in content and "Secret praise" not in content
        assert "&lt;b&gt;Late&lt;/b&gt;" in content and "<b>Late</b>" not in content
        assert first.customer.get_short_name() in content and package.name in content
        assert 'aria-label="2 out of 5 stars"' in content

    def test_profile_pages_its_reviews(self, client, pay):
        package = listed_cleaner()
        for at in ("08:00", "10:00", "12:00", "14:00", "16:00", "18:00"):
            booking = booking_in("completed", pay, package=package, at=at)
            services.review_create(booking=booking, user=booking.customer, rating=5, comment=f"at {at}")
        for at in ("08:00", "10:00", "12:00", "14:00", "16:00"):
            booking = booking_in("completed", pay, package=package, at=at,
                                 day=timezone.localdate() + timedelta(days=4))
            services.review_create(booking=booking, user=booking.customer, rating=4, comment=f"day4 {at}")
        page = client.get(f"/cleaners/{package.cleaner_id}/").content.decode()
        assert page.count('class="review"') == 10 and "reviews_page=2" in page
        second = client.get(f"/cleaners/{package.cleaner_id}/", {"reviews_page": 2}).content.decode()
        assert second.count('class="review"') == 1 and "at 08:00" in second  # the oldest


# --- real races (threads against live_server) ----------------------------------------------------

def _post(url: str, token: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _all_at_once(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_many_customers_review_one_cleaner_at_once_and_the_rating_stays_exact(live_server, pay):
    package = listed_cleaner()
    bookings = [booking_in("completed", pay, package=package, at=at, day=timezone.localdate() + timedelta(days=day))
                for day in (3, 4) for at in ("08:00", "10:00", "12:00", "14:00", "16:00", "18:00")]
    ratings = [(index % 5) + 1 for index in range(len(bookings))]
    calls = [lambda b=b, r=r: _post(f"{live_server.url}/api/v1/bookings/{b.pk}/review",
                                    auth_issue_tokens(user=b.customer).access, {"rating": r})
             for b, r in zip(bookings, ratings, strict=True)]
    results = _all_at_once(calls)
    assert [status for status, _ in results] == [201] * len(bookings), results
    profile = CleanerProfile.objects.get(pk=package.cleaner_id)
    assert profile.rating_count == len(bookings) and profile.rating_total == sum(ratings)
    assert profile.rating_avg == pytest.approx(sum(ratings) / len(ratings), abs=1e-9)
    assert Booking.objects.filter(cleaner_id=package.cleaner_id, payout_scheduled=True).count() == len(bookings)
    assert Payout.objects.filter(source_kind="booking").count() == len(bookings)


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_two_reviews_of_one_booking_at_once_one_wins(live_server, pay):
    booking = booking_in("completed", pay)
    token = auth_issue_tokens(user=booking.customer).access
    url = f"{live_server.url}/api/v1/bookings/{booking.pk}/review"
    results = _all_at_once([lambda r=r: _post(url, token, {"rating": r}) for r in (2, 5, 3, 4)])
    statuses = sorted(status for status, _ in results)
    assert statuses == [201, 409, 409, 409], results
    assert {body["error"]["code"] for status, body in results if status == 409} == {"already_reviewed"}
    profile = CleanerProfile.objects.get(pk=booking.cleaner_id)
    review = Review.objects.get(booking=booking)
    assert (profile.rating_count, profile.rating_total) == (1, review.rating)
    assert Payout.objects.filter(source_id=str(booking.pk)).count() == 1
    assert not Dispute.objects.exists()
