"""What people expect of a crowdfunding page (issue 9, item 8), through the services, the API and the
pages: the city and distance filters, your own contributions, the refunds of an ended campaign,
share links, and editing a draft before approval."""

import importlib
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import notices, selectors, services
from campaigns.models import Campaign, Contribution
from cleanit import errors
from cleanit.dates import format_datetime
from marketplace.services import auth_issue_tokens
from marketplace.tests.factories import AdminFactory, UserFactory
from payments.models import Refund
from payments.services import refunds_process
from tests.geo import CENTRE, EAST, NORTH, NORTH_EAST, SOUTH_WEST, point_at
from tests.openapi import response_errors

from .factories import CampaignFactory, photo_upload

pytestmark = pytest.mark.django_db

VALID = dict(title="Clean the lake path near Sector 12", description="x" * 60, target_amount=5_000_00,
             latitude=28.6139, longitude=77.2090, address="Lake path, Sector 12, Delhi")


def api(user=None):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_issue_tokens(user=user).access}")
    return client


def campaign_at(km, bearing, **fields):
    lat, lng = point_at(CENTRE, km, bearing)
    return CampaignFactory(title=f"Campaign {km} km at {bearing} degrees", latitude=lat, longitude=lng, **fields)


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


class TestCity:
    def test_given_city_is_kept_and_tidied(self):
        campaign = services.campaign_create(creator=UserFactory(), photo=photo_upload(), **VALID,
                                            city="  New   Delhi ")
        assert campaign.city == "New Delhi"

    def test_without_a_city_the_address_names_it(self):
        campaign = services.campaign_create(creator=UserFactory(), photo=photo_upload(),
                                            **{**VALID, "address": "Juhu Beach, Gate 2, Mumbai - 400049"})
        assert campaign.city == "Mumbai"

    @pytest.mark.parametrize("city", ["", "   ", "x" * 61])
    def test_a_blank_or_long_city_is_refused(self, city):
        with pytest.raises(errors.ValidationFailed) as refused:
            services.campaign_create(creator=UserFactory(), photo=photo_upload(), **VALID, city=city)
        assert list(refused.value.fields) == ["city"] and not Campaign.objects.exists()

    def test_the_create_page_asks_for_the_city(self, client, user):
        client.force_login(user)
        form = {**VALID, "target_amount": "5000", "photo": photo_upload()}
        missing = client.post(reverse("campaigns:create"), form)
        assert missing.status_code == 400 and 'id="id_city-errors"' in missing.content.decode()
        assert not Campaign.objects.exists()
        created = client.post(reverse("campaigns:create"), {**form, "city": "Gurugram", "photo": photo_upload()})
        assert created.status_code == 302 and Campaign.objects.get().city == "Gurugram"

    def test_the_api_takes_a_city_or_reads_it_from_the_address(self, auth_client):
        body = {**VALID, "photo": photo_upload()}
        derived = auth_client.post("/api/v1/campaigns", body, format="multipart")
        assert derived.status_code == 201 and derived.json()["city"] == "Delhi"
        given = auth_client.post("/api/v1/campaigns", {**body, "city": "Noida", "photo": photo_upload()},
                                 format="multipart")
        assert given.status_code == 201 and given.json()["city"] == "Noida"
        blank = auth_client.post("/api/v1/campaigns", {**body, "city": "   ", "photo": photo_upload()},
                                 format="multipart")
        assert blank.status_code == 400 and "city" in blank.json()["error"]["fields"]
        assert Campaign.objects.count() == 2

    def test_the_migration_fills_the_city_of_older_campaigns(self):
        older = CampaignFactory(address="Adyar riverbank, Chennai 600020", city="")
        kept = CampaignFactory(address="Somewhere, Pune", city="Pimpri")
        migration = importlib.import_module("campaigns.migrations.0003_campaign_city")
        migration.city_from_address(apps, None)
        older.refresh_from_db()
        kept.refresh_from_db()
        assert (older.city, kept.city) == ("Chennai", "Pimpri")


class TestCityFilter:
    @pytest.fixture
    def cities(self):
        return {name: CampaignFactory(title=f"A campaign in {name}", city=name).title
                for name in ("Pune", "pune", "Navi Mumbai", "Mumbai")}

    @pytest.mark.parametrize("query,expected", [
        ("PUNE", {"Pune", "pune"}), ("mumbai", {"Mumbai"}), ("  navi   mumbai ", {"Navi Mumbai"}),
        ("Mum", set()), ("", {"Pune", "pune", "Navi Mumbai", "Mumbai"}),
    ])
    def test_exact_city_any_letter_case_on_the_api_and_the_page(self, client, cities, query, expected):
        wanted = {cities[name] for name in expected}
        assert set(titles(api().get("/api/v1/campaigns", {"city": query}))) == wanted
        page = client.get(reverse("campaigns:list"), {"city": query}).content.decode()
        assert {title for title in cities.values() if title in page} == wanted

    def test_the_page_offers_each_city_once(self, client, cities):
        CampaignFactory(city="Someone's draft town", status="draft")
        assert selectors.campaign_cities() == ["Mumbai", "Navi Mumbai", "Pune"]
        page = client.get(reverse("campaigns:list")).content.decode()
        assert '<option value="Navi Mumbai">Navi Mumbai</option>' in page and "draft town" not in page


class TestNearMe:
    """Radius 10 km around CENTRE: 9.9 km north and 9.99 km east are in (a box in degrees too small
    would drop them); 10.1 km north-east is in the box's corner but out of the circle."""

    @pytest.fixture
    def around(self):
        return {"in north": campaign_at(9.9, NORTH), "in east": campaign_at(9.99, EAST),
                "near": campaign_at(1.2, SOUTH_WEST), "corner out": campaign_at(10.1, NORTH_EAST),
                "north out": campaign_at(10.1, NORTH), "far": campaign_at(300, EAST)}

    def test_the_selector(self, around):
        near = selectors.list_filters(lat=CENTRE[0], lng=CENTRE[1], radius_km=10, sort="distance")["near"]
        found = selectors.campaign_list(near=near, sort="distance")
        assert [c.pk for c in found] == [around[name].pk for name in ("near", "in north", "in east")]
        assert [c.distance_km for c in found] == [1.2, 9.9, 9.99]

    def test_the_api(self, around):
        response = api().get("/api/v1/campaigns", {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 10})
        assert response.status_code == 200 and response.json()["count"] == 3
        assert set(titles(response)) == {around[name].title for name in ("near", "in north", "in east")}
        nearest = api().get("/api/v1/campaigns", {"lat": CENTRE[0], "lng": CENTRE[1], "sort": "distance"}).json()
        assert [(r["title"], r["distance_km"]) for r in nearest["results"]] == [
            (around["near"].title, 1.2), (around["in north"].title, 9.9), (around["in east"].title, 9.99)]
        assert not response_errors("/api/v1/campaigns", "get", 200, nearest)
        everywhere = api().get("/api/v1/campaigns").json()
        assert everywhere["count"] == 6 and {r["distance_km"] for r in everywhere["results"]} == {None}

    def test_a_wider_radius_and_other_filters_combine(self, around):
        CampaignFactory(title="Expired nearby", status="expired", latitude=CENTRE[0], longitude=CENTRE[1])
        wide = api().get("/api/v1/campaigns", {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 11})
        assert wide.json()["count"] == 5
        expired = api().get("/api/v1/campaigns", {"lat": CENTRE[0], "lng": CENTRE[1], "status": "expired"})
        assert titles(expired) == ["Expired nearby"]

    def test_the_page_shows_distances_and_keeps_the_search_across_pages(self, client, around):
        page = client.get(reverse("campaigns:list"), {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": "10",
                                                      "sort": "distance"})
        html = page.content.decode()
        assert page.status_code == 200 and "Within 10 km of your location" in html
        assert html.index(around["near"].title) < html.index(around["in north"].title) < html.index(
            around["in east"].title)
        assert "1.2 km away" in html and "9.9 km away" in html and around["corner out"].title not in html
        assert 'href="?lat=12.9716&amp;lng=77.5946&amp;radius_km=10&amp;sort=distance"' not in html  # no clear: it is
        assert "Clear my location" in html
        for index in range(12):
            campaign_at(0.1 + index / 100, NORTH)
        first = client.get(reverse("campaigns:list"), {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": "10"})
        assert "page=2" in first.content.decode() and "lat=12.9716" in first.content.decode()
        second = client.get(reverse("campaigns:list"), {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": "10",
                                                        "page": "2"}).content.decode()
        assert around["far"].title not in second and "km away" in second

    @pytest.mark.parametrize("query,field", [
        ({"lat": "twelve", "lng": "77.59"}, "lat"), ({"lat": "12.97"}, "lng"),
        ({"lat": "51.5", "lng": "77.59"}, "lat"), ({"lat": "12.97", "lng": "77.59", "radius_km": "0"}, "radius_km"),
        ({"lat": "12.97", "lng": "77.59", "radius_km": "101"}, "radius_km"), ({"sort": "distance"}, "sort"),
    ])
    def test_unusable_input_is_a_400_envelope_and_a_form_error(self, client, around, query, field):
        response = api().get("/api/v1/campaigns", query)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error" and field in response.json()["error"]["fields"]
        page = client.get(reverse("campaigns:list"), query)
        html = page.content.decode()
        assert page.status_code == 400 and f'id="id_{field}-errors"' in html and 'role="alert"' in html
        assert around["far"].title in html  # the list is still shown, unfiltered

    def test_a_search_from_a_point_costs_the_same_queries_for_any_number_of_campaigns(self, client, around):
        query = {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": "10"}
        with CaptureQueriesContext(connection) as few:
            api().get("/api/v1/campaigns", query)
            client.get(reverse("campaigns:list"), query)
        for index in range(20):
            campaign_at(5 + index / 10, index * 18)
        with CaptureQueriesContext(connection) as many:
            assert api().get("/api/v1/campaigns", query).json()["count"] == 23
            client.get(reverse("campaigns:list"), query)
        assert len(few) == len(many)

    def test_a_radius_alone_changes_nothing(self, client, around):
        assert api().get("/api/v1/campaigns", {"radius_km": "5"}).json()["count"] == 6
        assert client.get(reverse("campaigns:list"), {"radius_km": "5", "city": ""}).status_code == 200

    def test_the_page_offers_use_my_location_without_needing_it(self, client):
        html = client.get(reverse("campaigns:list")).content.decode()
        assert 'data-near-me' in html and " hidden" in html.split("data-near-me", 1)[1].split(">", 1)[0]
        assert 'type="hidden" name="lat"' in html and 'js/near-me' in html
        assert "<script src=\"http" not in html


@pytest.fixture
def backer():
    return UserFactory(name="Asha Menon")


class TestYourContributions:
    def test_the_page_lists_your_own_with_amount_state_and_date(self, client, backer, pay):
        campaign = CampaignFactory(target_amount=5_000_00)
        pay(services.contribution_start(campaign=campaign, contributor=backer, amount=300_00))
        pay(services.contribution_start(campaign=campaign, contributor=backer, amount=200_00), outcome="failure")
        services.contribution_start(campaign=campaign, contributor=backer, amount=150_00)
        pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=999_00))
        client.force_login(backer)
        html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        section = html.split('id="my-contributions-heading"', 1)[1].split("</section>", 1)[0]
        assert "₹300.00</strong> · Credited" in section and "₹200.00</strong> · Payment failed" in section
        assert "₹150.00</strong> · Awaiting payment" in section and "Pay now" in section
        assert "₹999.00" not in section and timezone.localdate().strftime("%b %Y") in section

    def test_visitors_and_others_see_none(self, client, backer, pay):
        campaign = CampaignFactory()
        pay(services.contribution_start(campaign=campaign, contributor=backer, amount=300_00))
        assert "Your contributions" not in client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        client.force_login(UserFactory())
        assert "Your contributions" not in client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()

    def test_the_api_adds_my_contributions_for_the_signed_in_caller(self, backer, pay):
        campaign = CampaignFactory()
        mine = pay(services.contribution_start(campaign=campaign, contributor=backer, amount=300_00))
        pay(services.contribution_start(campaign=campaign, contributor=UserFactory(), amount=400_00))
        body = api(backer).get(f"/api/v1/campaigns/{campaign.pk}").json()
        assert [(c["id"], c["amount"], c["status"]) for c in body["my_contributions"]] == [
            (str(mine.pk), 300_00, "credited")]
        assert not response_errors("/api/v1/campaigns/{campaign_id}", "get", 200, body)
        assert api().get(f"/api/v1/campaigns/{campaign.pk}").json()["my_contributions"] == []


class TestRefundsOfAnEndedCampaign:
    def _expired_with_two_backers(self, backer, pay):
        campaign = CampaignFactory(target_amount=10_000_00)
        for who in (backer, UserFactory()):
            pay(services.contribution_start(campaign=campaign, contributor=who, amount=1_000_00))
        Campaign.objects.filter(pk=campaign.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        ended = timezone.now()
        services.campaigns_expire(now=ended)  # refunds asked for; sent by the refund task after commit
        campaign.refresh_from_db()
        return campaign

    def test_while_refunds_are_on_their_way_it_says_so(self, client, backer, pay):
        campaign = self._expired_with_two_backers(backer, pay)
        summary = selectors.campaign_refunds(campaign=campaign)
        assert (summary.state, summary.refunded, summary.on_the_way) == ("refunding", 0, 2)
        client.force_login(backer)
        html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        assert 'data-refund-state="refunding"' in html
        assert "Everyone who contributed is being refunded in full: 2 contributions on their way." in html
        assert f"The campaign ended on {format_datetime(campaign.ended_at)}" in html
        assert "₹1,000.00</strong> · Refund on its way" in html
        body = api(backer).get(f"/api/v1/campaigns/{campaign.pk}").json()
        assert body["refunds"]["state"] == "refunding" and body["refunds"]["on_the_way"] == 2
        assert body["my_contributions"][0]["status"] == "refunding"

    def test_once_processed_it_says_everyone_was_refunded_and_when(self, client, backer, pay,
                                                                   django_capture_on_commit_callbacks):
        campaign = self._expired_with_two_backers(backer, pay)
        with django_capture_on_commit_callbacks(execute=True):
            refunds_process(now=timezone.now())
        last = max(Refund.objects.values_list("refunded_at", flat=True))
        summary = selectors.campaign_refunds(campaign=campaign)
        assert (summary.state, summary.refunded, summary.last_refunded_at) == ("refunded", 2, last)
        client.force_login(backer)
        html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        assert 'data-refund-state="refunded"' in html
        assert "Everyone who contributed was refunded in full (2 contributions)." in html
        assert f"The last refund was processed on {format_datetime(last)}." in html
        assert "₹1,000.00</strong> · Refunded" in html and "refunded on" in html
        body = api(backer).get(f"/api/v1/campaigns/{campaign.pk}").json()
        assert body["refunds"]["state"] == "refunded" and body["refunds"]["last_refunded_at"]
        assert body["my_contributions"][0]["status"] == "refunded" and body["my_contributions"][0]["refunded_at"]

    def test_a_cancelled_campaign_that_raised_nothing_had_nothing_to_refund(self, client):
        campaign = CampaignFactory()
        services.campaign_cancel_by_creator(campaign=campaign, user=campaign.creator)
        html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        assert "Nothing had been paid in, so there was nothing to refund." in html
        assert api().get(f"/api/v1/campaigns/{campaign.pk}").json()["refunds"]["state"] == "nothing_to_refund"

    def test_a_live_campaign_makes_no_refund_statement(self, client):
        campaign = CampaignFactory()
        assert selectors.campaign_refunds(campaign=campaign) is None
        assert "data-refund-state" not in client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        assert api().get(f"/api/v1/campaigns/{campaign.pk}").json()["refunds"] is None


class TestShare:
    def test_whatsapp_and_copy_link_on_the_page(self, client, settings):
        settings.SITE_URL = "https://cleanit.example.in"
        campaign = CampaignFactory(title="Clean Juhu Beach & the gate")
        html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        url = f"https://cleanit.example.in/campaigns/{campaign.pk}/"
        expected = "https://wa.me/?text=" + quote(f"Clean Juhu Beach & the gate {url}", safe="")
        assert f'href="{expected}"' in html and "%26" in expected and " " not in expected
        assert f'id="share-url" type="url" value="{url}" readonly' in html
        copy_button = html.split("data-copy=", 1)[1].split(">", 1)[0]
        assert " hidden" in copy_button  # shown by static/js/copy-link.js; the input works without it
        assert "js/copy-link" in html and '<script src="http' not in html

    def test_the_api_gives_the_same_links(self, settings):
        settings.SITE_URL = "https://cleanit.example.in"
        campaign = CampaignFactory()
        body = api().get(f"/api/v1/campaigns/{campaign.pk}").json()
        assert body["share_url"] == f"https://cleanit.example.in/campaigns/{campaign.pk}/"
        assert body["whatsapp_share_url"] == notices.whatsapp_share_url(campaign)

    def test_a_draft_is_not_offered_for_sharing(self, client):
        draft = CampaignFactory(status="draft")
        client.force_login(draft.creator)
        assert 'id="share-heading"' not in client.get(reverse("campaigns:detail", args=[draft.pk])).content.decode()


def draft_of(creator=None, **overrides):
    return services.campaign_create(creator=creator or UserFactory(), photo=photo_upload(), **{**VALID, **overrides})


class TestEditDraftService:
    def test_the_creator_changes_what_they_give(self):
        draft = draft_of()
        services.campaign_update(campaign=draft, user=draft.creator, title="Clean the whole lake path now",
                                 target_amount=30_000_00, city="New Delhi")
        draft.refresh_from_db()
        assert (draft.title, draft.target_amount, draft.city, draft.address) == (
            "Clean the whole lake path now", 30_000_00, "New Delhi", VALID["address"])
        assert draft.status == "draft" and draft.expires_at is None

    @pytest.mark.parametrize("field,value", [
        ("title", "too short"), ("description", "x" * 49), ("target_amount", 499_99), ("target_amount", "5000"),
        ("latitude", 51.5), ("longitude", float("nan")), ("address", " "), ("city", " "),
    ])
    def test_the_rules_of_creating_one(self, field, value):
        draft = draft_of()
        with pytest.raises(errors.ValidationFailed) as refused:
            services.campaign_update(campaign=draft, user=draft.creator, **{field: value})
        assert list(refused.value.fields) == [field]
        assert Campaign.objects.get(pk=draft.pk).title == VALID["title"]

    def test_a_new_photo_replaces_the_old_one_and_a_bad_one_changes_nothing(self, django_capture_on_commit_callbacks):
        draft = draft_of()
        old = draft.photo.name
        with pytest.raises(errors.UnsupportedMedia):
            services.campaign_update(campaign=draft, user=draft.creator, title="A title that would change",
                                     photo=photo_upload("GIF"))
        assert Campaign.objects.get(pk=draft.pk).title == VALID["title"]
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_update(campaign=draft, user=draft.creator, photo=photo_upload(color=(200, 10, 10)))
        draft.refresh_from_db()
        assert draft.photo.name != old and draft.photo.storage.exists(draft.photo.name)
        assert not draft.photo.storage.exists(old)  # once the change is stored

    def test_only_the_creator(self):
        draft = draft_of()
        with pytest.raises(errors.NotAllowed):
            services.campaign_update(campaign=draft, user=UserFactory(), title="Somebody else's better title")

    def test_refused_once_approved_even_from_a_stale_copy(self):
        draft = draft_of()
        stale = Campaign.objects.get(pk=draft.pk)
        services.campaign_approve(campaign=draft, admin=AdminFactory())
        stored = sorted(stale.photo.storage.listdir("campaigns")[1])
        with pytest.raises(errors.Conflict) as refused:
            services.campaign_update(campaign=stale, user=stale.creator, title="Changed after the approval",
                                     photo=photo_upload(color=(1, 2, 3)))
        assert refused.value.code == "campaign_not_draft"
        assert Campaign.objects.get(pk=draft.pk).title == VALID["title"]
        assert sorted(stale.photo.storage.listdir("campaigns")[1]) == stored  # the new photo did not stay

    def test_the_expiry_follows_the_target_stored_at_approval(self):
        draft = draft_of(target_amount=1_000_00)  # 30 days
        admins_copy = Campaign.objects.get(pk=draft.pk)
        services.campaign_update(campaign=draft, user=draft.creator, target_amount=20_000_00)  # 60 days
        now = timezone.now()
        approved = services.campaign_approve(campaign=admins_copy, admin=AdminFactory(), now=now)
        assert approved.expires_at == now + timedelta(days=60) and approved.target_amount == 20_000_00
        assert Campaign.objects.get(pk=draft.pk).expires_at == now + timedelta(days=60)

    def test_moving_it_into_a_cluster_flags_it(self):
        for index in range(3):
            draft_of(latitude=12.9716, longitude=77.5946 + index * 0.0001)
        draft = draft_of()
        services.campaign_update(campaign=draft, user=draft.creator, latitude=12.9716, longitude=77.5947)
        assert Campaign.objects.filter(flagged_spam=True).count() == 4


class TestEditDraftApi:
    def test_patch_by_the_creator(self):
        draft = draft_of()
        response = api(draft.creator).patch(f"/api/v1/campaigns/{draft.pk}", {"title": "A better title for it",
                                                                               "city": "Noida"}, format="json")
        assert response.status_code == 200, response.json()
        assert (response.json()["title"], response.json()["city"]) == ("A better title for it", "Noida")
        assert not response_errors("/api/v1/campaigns/{campaign_id}", "patch", 200, response.json())
        photo = api(draft.creator).patch(f"/api/v1/campaigns/{draft.pk}/", {"photo": photo_upload()},
                                         format="multipart")
        assert photo.status_code == 200 and photo.json()["photo_url"] != response.json()["photo_url"]

    def test_refusals(self):
        draft = draft_of()
        path = f"/api/v1/campaigns/{draft.pk}"
        bad = api(draft.creator).patch(path, {"target_amount": 10}, format="json")
        assert bad.status_code == 400 and "target_amount" in bad.json()["error"]["fields"]
        assert api().patch(path, {"title": "A better title for it"}, format="json").status_code == 401
        assert api(UserFactory()).patch(path, {"title": "A better title for it"}, format="json").status_code == 404
        gif = api(draft.creator).patch(path, {"photo": photo_upload("GIF")}, format="multipart")
        assert gif.status_code == 415
        services.campaign_approve(campaign=draft, admin=AdminFactory())
        late = api(draft.creator).patch(path, {"title": "A better title for it"}, format="json")
        assert late.status_code == 409 and late.json()["error"]["code"] == "campaign_not_draft"
        live = api(UserFactory()).patch(path, {"title": "A better title for it"}, format="json")
        assert live.status_code == 403
        for response in (bad, late, live):
            assert not response_errors("/api/v1/campaigns/{campaign_id}", "patch", response.status_code,
                                       response.json())


class TestEditDraftPage:
    def test_the_creator_edits_from_the_detail_and_my_campaigns(self, client):
        draft = draft_of(city="Delhi")
        client.force_login(draft.creator)
        edit_url = reverse("campaigns:edit", args=[draft.pk])
        assert f'href="{edit_url}"' in client.get(reverse("campaigns:detail", args=[draft.pk])).content.decode()
        assert f'href="{edit_url}"' in client.get(reverse("campaigns:mine")).content.decode()
        form = client.get(edit_url).content.decode()
        assert f'value="{VALID["title"]}"' in form and 'value="5000"' in form and 'value="Delhi"' in form
        data = {**VALID, "target_amount": "7500", "city": "New Delhi", "title": "Clean the lake path, both sides"}
        saved = client.post(edit_url, data)
        assert saved.status_code == 302 and saved.url == reverse("campaigns:detail", args=[draft.pk])
        draft.refresh_from_db()
        assert (draft.title, draft.target_amount, draft.city) == ("Clean the lake path, both sides", 7_500_00,
                                                                  "New Delhi")
        assert notices.UPDATED_WAITING_FOR_APPROVAL in client.get(saved.url).content.decode()

    def test_only_what_was_changed_is_saved(self, client):
        draft = draft_of(target_amount=5_000_50)  # an API client may give paise; the form shows whole rupees
        client.force_login(draft.creator)
        form = {**VALID, "target_amount": "5000", "city": draft.city, "title": "Clean the lake path and its steps"}
        assert client.post(reverse("campaigns:edit", args=[draft.pk]), form).status_code == 302
        draft.refresh_from_db()
        assert (draft.title, draft.target_amount) == ("Clean the lake path and its steps", 5_000_50)

    def test_errors_are_shown_on_the_form(self, client):
        draft = draft_of()
        client.force_login(draft.creator)
        response = client.post(reverse("campaigns:edit", args=[draft.pk]),
                               {**VALID, "target_amount": "10", "city": "Delhi"})
        assert response.status_code == 400 and "₹500.00" in response.content.decode()
        gif = client.post(reverse("campaigns:edit", args=[draft.pk]),
                          {**VALID, "target_amount": "5000", "city": "Delhi", "photo": photo_upload("GIF")})
        assert gif.status_code == 415 and Campaign.objects.get(pk=draft.pk).target_amount == 5_000_00

    def test_refused_once_approved_and_for_others(self, client):
        draft = draft_of()
        edit_url = reverse("campaigns:edit", args=[draft.pk])
        client.force_login(UserFactory())
        assert client.get(edit_url).status_code == 404  # someone else's draft is not even visible
        services.campaign_approve(campaign=draft, admin=AdminFactory())
        assert client.get(edit_url).status_code == 403
        assert client.post(edit_url, {**VALID, "target_amount": "5000", "city": "Delhi"}).status_code == 403
        client.force_login(draft.creator)
        late = client.post(edit_url, {**VALID, "target_amount": "9000", "city": "Delhi"})
        assert late.status_code == 302 and late.url == reverse("campaigns:detail", args=[draft.pk])
        assert "Only a campaign waiting for approval can be edited" in client.get(late.url).content.decode()
        assert Campaign.objects.get(pk=draft.pk).target_amount == 5_000_00
        detail = client.get(reverse("campaigns:detail", args=[draft.pk])).content.decode()
        assert f'href="{edit_url}"' not in detail
        client.logout()
        assert client.get(edit_url).status_code == 302  # to log in


def test_contributions_count_as_refunded_only_when_settled():
    """The refund statement reads real states: a credited contribution on an ended campaign is 'on its way'."""
    campaign = CampaignFactory(status="cancelled", ended_at=timezone.now())
    Contribution.objects.create(campaign=campaign, contributor=UserFactory(), amount=100_00, status="credited")
    Contribution.objects.create(campaign=campaign, contributor=UserFactory(), amount=100_00, status="refunded")
    Contribution.objects.create(campaign=campaign, contributor=UserFactory(), amount=100_00, status="failed")
    summary = selectors.campaign_refunds(campaign=campaign)
    assert (summary.state, summary.refunded, summary.on_the_way) == ("refunding", 1, 1)
    assert notices.refund_statement(summary).startswith(
        "Everyone who contributed is being refunded in full: 1 refunded so far, 1 contribution on its way.")
