"""Kept answers (cleanit/response_cache.py, issue 12): a change is visible at once to the person who made it
(a contribution, a new booking, a profile edit) and within RESPONSE_CACHE_SECONDS to others; a person's own
list is never given to anybody else; signed-in and anonymous answers are never mixed; a bad token is still
refused; an answer that sets a cookie is never kept."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bookings.tests.factories import ADDRESS, listed_cleaner
from campaigns.tests.factories import CampaignFactory
from cleanit.response_cache import HEADER
from marketplace.tests.cleaners import api
from marketplace.tests.factories import UserFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db
SECONDS = 5


@pytest.fixture(autouse=True)
def _kept_answers(settings):
    settings.RESPONSE_CACHE_SECONDS = SECONDS


def _expire():
    """Let every kept answer run out: the test settings' local-memory cache is cleared (what the passing of
    RESPONSE_CACHE_SECONDS does to them)."""
    from django.core.cache import cache

    cache.clear()


def _notify(user, title):
    return Notification.objects.create(user=user, category="account", event="account.welcome", title=title,
                                       body="Body")


def _contribute(client, campaign, amount=1000_00):
    started = client.post(f"/api/v1/campaigns/{campaign.pk}/contribute", {"amount": amount}, format="json").json()
    paid = Client().post(f"/simulator/razorpay/checkout/{started['order_id']}/pay", {"outcome": "success"},
                         HTTP_ACCEPT="application/json").json()
    assert client.post("/api/v1/payments/verify", paid, format="json").status_code == 200


class TestPublicAnswers:
    def test_an_anonymous_page_is_kept_and_given_to_the_next_visitor(self):
        campaign = CampaignFactory(title="Clean the lake shore")
        first = Client().get("/")
        assert first.status_code == 200 and first[HEADER] == "miss" and not first.cookies
        second = Client().get("/")
        assert second[HEADER] == "hit" and second.content == first.content
        assert campaign.title.encode() in second.content

    @pytest.mark.parametrize("path", ["/", "/campaigns/", "/cleaners/"])
    def test_signed_in_and_anonymous_pages_are_never_mixed(self, client, path):
        user = UserFactory(name="Asha Verma")
        client.force_login(user)
        assert Client().get(path)[HEADER] == "miss"  # an anonymous answer is kept...
        mine = client.get(path)
        assert HEADER not in mine and b"Asha" in mine.content  # ...and never given to a signed-in person
        assert b"Log out" in mine.content
        anonymous = Client().get(path)
        assert anonymous[HEADER] == "hit" and b"Asha" not in anonymous.content and b"Log out" not in anonymous.content

    def test_a_signed_in_answer_is_never_kept_for_anonymous_visitors(self, client):
        campaign = CampaignFactory()
        client.force_login(UserFactory(name="Ravi Kumar"))
        assert b"Contribute</button>" in client.get(f"/campaigns/{campaign.pk}/").content
        anonymous = Client().get(f"/campaigns/{campaign.pk}/")
        assert anonymous[HEADER] == "miss" and b"Log in to contribute" in anonymous.content
        assert b"Ravi" not in anonymous.content and b"csrfmiddlewaretoken" not in anonymous.content

    def test_a_creators_draft_is_not_in_the_kept_anonymous_list_and_the_creator_still_sees_it(self):
        creator = UserFactory()
        draft = CampaignFactory(creator=creator, status="draft")
        anonymous = api().get("/api/v1/campaigns?status=draft")
        assert anonymous[HEADER] == "miss" and anonymous.json()["count"] == 0
        assert api().get("/api/v1/campaigns?status=draft")[HEADER] == "hit"
        own = api(creator).get("/api/v1/campaigns?status=draft")
        assert HEADER not in own and [c["id"] for c in own.json()["results"]] == [str(draft.pk)]
        assert api().get("/api/v1/campaigns?status=draft").json()["count"] == 0

    def test_an_answer_that_sets_a_cookie_is_not_kept(self):
        first = Client().get("/account/login/")
        assert first.cookies and HEADER not in first
        assert HEADER not in Client().get("/account/login/")

    def test_an_error_answer_is_not_kept(self):
        assert HEADER not in Client().get("/campaigns/?lat=999")
        assert HEADER not in Client().get("/campaigns/not-a-campaign/")


class TestVisibleAtOnceToTheActor:
    def test_a_contribution_shows_at_once_to_its_contributor_and_within_seconds_to_others(self, settings):
        campaign = CampaignFactory(target_amount=5000_00)
        contributor = UserFactory()
        client = api(contributor)
        assert api().get(f"/api/v1/campaigns/{campaign.pk}").json()["amount_raised"] == 0  # kept, anonymous
        assert client.get("/api/v1/users/me/transactions").json()["count"] == 0  # kept, the contributor's
        _contribute(client, campaign)
        mine = client.get(f"/api/v1/campaigns/{campaign.pk}").json()
        assert mine["amount_raised"] == 1000_00 and mine["my_contributions"][0]["amount"] == 1000_00
        assert client.get("/api/v1/users/me/transactions").json()["count"] == 1
        stale = api().get(f"/api/v1/campaigns/{campaign.pk}")
        assert stale[HEADER] == "hit" and stale.json()["amount_raised"] == 0  # others: not older than SECONDS
        _expire()
        assert api().get(f"/api/v1/campaigns/{campaign.pk}").json()["amount_raised"] == 1000_00

    def test_a_contribution_on_the_page_shows_at_once_on_the_contributors_page(self, client):
        campaign = CampaignFactory(target_amount=5000_00)
        contributor = UserFactory()
        client.force_login(contributor)
        Client().get(f"/campaigns/{campaign.pk}/")  # an anonymous answer kept before
        _contribute(api(contributor), campaign, amount=2500_00)
        page = client.get(f"/campaigns/{campaign.pk}/")
        assert HEADER not in page and "₹2,500".encode() in page.content and b"Your contributions" in page.content

    def test_a_new_booking_shows_at_once_to_its_customer_and_within_seconds_to_the_cleaner(self, settings):
        package = listed_cleaner()
        customer, cleaner = api(UserFactory()), api(package.cleaner.user)
        assert customer.get("/api/v1/bookings").json()["count"] == 0
        assert cleaner.get("/api/v1/cleaners/me/bookings").json()["count"] == 0
        day = (timezone.localdate() + timedelta(days=3)).isoformat()
        slots = f"/api/v1/cleaners/{package.cleaner_id}/availability?date={day}&service_id={package.pk}"
        assert "10:00" in [slot["start"] for slot in customer.get(slots).json()["slots"]]
        made = customer.post("/api/v1/bookings", {
            "cleaner_id": str(package.cleaner_id), "service_id": str(package.pk), "booking_date": day,
            "start_time": "10:00", "service_address": dict(ADDRESS)}, format="json")
        assert made.status_code == 201, made.json()
        assert [b["id"] for b in customer.get("/api/v1/bookings").json()["results"]] == [made.json()["id"]]
        assert "10:00" not in [slot["start"] for slot in customer.get(slots).json()["slots"]]
        assert cleaner.get("/api/v1/cleaners/me/bookings").json()["count"] == 0  # the cleaner did not write
        _expire()
        assert cleaner.get("/api/v1/cleaners/me/bookings").json()["count"] == 1

    def test_an_accepted_booking_shows_at_once_to_the_cleaner_and_within_seconds_to_the_customer(self):
        package = listed_cleaner()
        customer_user = UserFactory()
        customer, cleaner, outsider = api(customer_user), api(package.cleaner.user), api(UserFactory())
        day = (timezone.localdate() + timedelta(days=3)).isoformat()
        made = customer.post("/api/v1/bookings", {
            "cleaner_id": str(package.cleaner_id), "service_id": str(package.pk), "booking_date": day,
            "start_time": "10:00", "service_address": dict(ADDRESS)}, format="json").json()
        detail = f"/api/v1/bookings/{made['id']}"
        _expire()  # the customer's mark from booking runs out
        assert customer.get(detail)[HEADER] == "miss" and customer.get(detail)[HEADER] == "hit"
        assert cleaner.get(detail).json()["service_address"].get("street") is None  # the cleaner's own view
        accepted = cleaner.patch(f"{detail}/status", {"status": "confirmed"}, format="json")
        assert accepted.status_code == 200, accepted.json()
        seen = cleaner.get(detail).json()
        assert seen["status"] == "confirmed" and seen["service_address"]["street"] == ADDRESS["street"]
        assert customer.get(detail).json()["status"] == "pending"  # the customer did not write: kept
        _expire()
        assert customer.get(detail).json()["status"] == "confirmed"
        refused = outsider.get(detail)
        assert refused.status_code == 404 and HEADER not in refused

    def test_a_profile_edit_shows_at_once_to_the_cleaner(self, settings):
        package = listed_cleaner(bio="Ten years of homes")
        cleaner = api(package.cleaner.user)
        public = f"/api/v1/cleaners/{package.cleaner_id}"
        assert cleaner.get(public).json()["bio"] == "Ten years of homes"
        assert api().get(public)[HEADER] == "hit"  # the shared answer, kept
        assert cleaner.post("/api/v1/cleaners/profile", {"bio": "Eleven years of homes"},
                            format="json").status_code == 200
        assert cleaner.get(public).json()["bio"] == "Eleven years of homes"
        assert api().get(public).json()["bio"] == "Eleven years of homes"  # the actor's read kept the new one

    def test_the_writers_mark_runs_out_with_the_kept_answers(self, settings):
        settings.RESPONSE_CACHE_SECONDS = 1
        user = UserFactory()
        client = api(user)
        client.post("/api/v1/notifications/read-all")
        assert HEADER in client.get("/api/v1/notifications") and client.get("/api/v1/notifications")[HEADER] == "miss"
        time.sleep(1.1)
        _notify(user, "Later")
        assert client.get("/api/v1/notifications")[HEADER] == "miss"  # the kept one ran out too
        assert client.get("/api/v1/notifications")[HEADER] == "hit"


class TestPrivateAnswers:
    def test_another_user_never_gets_a_kept_private_list(self):
        asha, ravi = UserFactory(), UserFactory()
        _notify(asha, "For Asha only")
        _notify(ravi, "For Ravi only")
        first = api(asha).get("/api/v1/notifications")
        assert first[HEADER] == "miss" and [n["title"] for n in first.json()["results"]] == ["For Asha only"]
        assert api(asha).get("/api/v1/notifications")[HEADER] == "hit"
        other = api(ravi).get("/api/v1/notifications")
        assert other[HEADER] == "miss" and [n["title"] for n in other.json()["results"]] == ["For Ravi only"]
        for path in ("/api/v1/users/me/transactions", "/api/v1/bookings", "/api/v1/notifications/unread-count"):
            api(asha).get(path)
            assert api(ravi).get(path)[HEADER] == "miss", path

    def test_an_anonymous_caller_gets_no_private_list(self):
        api(UserFactory()).get("/api/v1/notifications")
        refused = api().get("/api/v1/notifications")
        assert refused.status_code == 401 and HEADER not in refused

    def test_a_bad_token_is_refused_even_when_a_shared_answer_is_kept(self):
        package = listed_cleaner()
        assert api().get(f"/api/v1/cleaners/{package.cleaner_id}")[HEADER] == "miss"
        client = api()
        client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
        refused = client.get(f"/api/v1/cleaners/{package.cleaner_id}")
        assert refused.status_code == 401 and refused.json()["error"]["code"]

    def test_the_job_board_is_kept_for_cleaners_and_still_refused_to_customers(self):
        from marketplace.tests.factories import CleanerFactory

        assert api(CleanerFactory()).get("/api/v1/jobs")[HEADER] == "miss"
        assert api(CleanerFactory()).get("/api/v1/jobs")[HEADER] == "hit"
        assert api(UserFactory()).get("/api/v1/jobs").status_code == 403

    def test_off_when_the_setting_is_zero(self, settings):
        settings.RESPONSE_CACHE_SECONDS = 0
        assert HEADER not in Client().get("/") and HEADER not in Client().get("/")


class TestBeforeDrf:
    """Kept answers given before DRF runs: to credential-less callers of open views, and to a bearer token
    DRF let in on the same view within RESPONSE_CACHE_SECONDS (no query at all then)."""

    def test_an_anonymous_caller_of_an_open_view_is_answered_without_a_query(self, django_assert_num_queries):
        package = listed_cleaner()
        assert api().get(f"/api/v1/cleaners/{package.cleaner_id}")[HEADER] == "miss"
        with django_assert_num_queries(0):
            assert api().get(f"/api/v1/cleaners/{package.cleaner_id}")[HEADER] == "hit"

    def test_a_token_let_in_reads_its_kept_list_without_a_query(self, django_assert_num_queries):
        user = UserFactory()
        _notify(user, "Mine")
        client = api(user)
        assert client.get("/api/v1/notifications")[HEADER] == "miss"
        with django_assert_num_queries(0):
            again = client.get("/api/v1/notifications")
        assert again[HEADER] == "hit" and [n["title"] for n in again.json()["results"]] == ["Mine"]

    def test_another_token_of_the_same_person_goes_through_drf_first(self, django_assert_max_num_queries):
        user = UserFactory()
        api(user).get("/api/v1/notifications")
        second = api(user)  # another sign-in: another token
        with django_assert_max_num_queries(1):  # its user row read once, then the kept answer
            assert second.get("/api/v1/notifications")[HEADER] == "hit"

    def test_another_persons_token_never_gets_the_kept_list(self):
        asha, ravi = UserFactory(), UserFactory()
        _notify(asha, "For Asha only")
        api(asha).get("/api/v1/notifications")
        other = api(ravi).get("/api/v1/notifications")
        assert other[HEADER] == "miss" and other.json()["count"] == 0

    def test_a_customer_token_is_refused_the_board_a_cleaner_was_given(self):
        from marketplace.tests.factories import CleanerFactory

        api(CleanerFactory()).get("/api/v1/jobs")
        refused = api(UserFactory()).get("/api/v1/jobs")
        assert refused.status_code == 403 and HEADER not in refused

    def test_a_revoked_token_is_refused_once_its_pass_runs_out_and_at_once_for_writes(self):
        from marketplace.services import user_suspend

        user = UserFactory()
        client = api(user)
        client.get("/api/v1/notifications")
        user_suspend(user=user, reason="Fraud")
        assert client.post("/api/v1/notifications/read-all").status_code == 401  # writes: DRF, at once
        _expire()
        assert client.get("/api/v1/notifications").status_code == 401

    def test_a_bad_or_expired_token_goes_through_drf(self):
        package = listed_cleaner()
        api().get(f"/api/v1/cleaners/{package.cleaner_id}")
        client = api()
        client.credentials(HTTP_AUTHORIZATION="Bearer eyJhbGciOiJIUzI1NiJ9.e30.bad")
        assert client.get(f"/api/v1/cleaners/{package.cleaner_id}").status_code == 401
