import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, Contribution
from marketplace.tests.factories import AdminFactory, UserFactory

from .factories import CampaignFactory, photo_upload

pytestmark = pytest.mark.django_db

FORM = {"title": "Clean the lake path near Sector 12", "description": "x" * 60, "target_amount": 500000,
        "latitude": "28.6139", "longitude": "77.2090", "address": "Lake path, Sector 12, Delhi", "city": "Delhi"}


class TestCampaignApi:
    def test_create_multipart_first_time_is_draft(self, auth_client):
        response = auth_client.post("/api/v1/campaigns", {**FORM, "photo": photo_upload()}, format="multipart")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "draft" and body["photo_url"].startswith("http://testserver/media/campaigns/")
        assert set(body) >= {"id", "creator_id", "title", "description", "target_amount", "amount_raised",
                             "contributor_count", "status", "latitude", "longitude", "address", "photo_url",
                             "after_photo_url", "expires_at", "created_at"}

    def test_create_errors(self, auth_client, settings):
        bad = auth_client.post("/api/v1/campaigns", {**FORM, "title": "short", "photo": photo_upload()},
                               format="multipart")
        assert bad.status_code == 400 and "title" in bad.json()["error"]["fields"]
        gif = auth_client.post("/api/v1/campaigns", {**FORM, "photo": photo_upload("GIF")}, format="multipart")
        assert gif.status_code == 415 and gif.json()["error"]["code"] == "unsupported_media_type"
        from campaigns import rules

        original = rules.PHOTO_MAX_BYTES
        rules.PHOTO_MAX_BYTES = 100
        try:
            big = auth_client.post("/api/v1/campaigns", {**FORM, "photo": photo_upload()}, format="multipart")
        finally:
            rules.PHOTO_MAX_BYTES = original
        assert big.status_code == 413 and big.json()["error"]["code"] == "file_too_large"
        missing = auth_client.post("/api/v1/campaigns", FORM, format="multipart")
        assert missing.status_code == 400 and "photo" in missing.json()["error"]["fields"]
        assert not Campaign.objects.exists()

    def test_create_needs_a_user(self, api_client):
        assert api_client.post("/api/v1/campaigns", FORM, format="multipart").status_code == 401

    def test_list_filters_sort_and_draft_visibility(self, api_client, user, auth_client):
        CampaignFactory(title="Older active campaign", amount_raised=100)
        CampaignFactory(title="Most funded campaign", amount_raised=900)
        CampaignFactory(title="Someone's draft campaign", status="draft")
        mine = CampaignFactory(title="My own draft campaign", status="draft", creator=user)
        titles = [c["title"] for c in api_client.get("/api/v1/campaigns").json()["results"]]
        assert "Someone's draft campaign" not in titles and "My own draft campaign" not in titles
        funded = api_client.get("/api/v1/campaigns?sort=most_funded").json()["results"]
        assert funded[0]["title"] == "Most funded campaign"
        assert api_client.get("/api/v1/campaigns?status=draft").json()["count"] == 0
        assert auth_client.get("/api/v1/campaigns?status=draft").json()["count"] == 1
        assert api_client.get(f"/api/v1/campaigns/{mine.pk}").status_code == 404
        assert auth_client.get(f"/api/v1/campaigns/{mine.pk}").status_code == 200
        assert api_client.get("/api/v1/campaigns/not-a-uuid").status_code == 404

    def test_list_query_count_is_constant(self, api_client):
        CampaignFactory()
        with CaptureQueriesContext(connection) as one:
            api_client.get("/api/v1/campaigns?page_size=100")
        CampaignFactory.create_batch(49)
        with CaptureQueriesContext(connection) as fifty:
            response = api_client.get("/api/v1/campaigns?page_size=100")
        assert response.json()["count"] == 50 and len(one) == len(fifty)

    def test_contribute(self, auth_client, user):
        campaign = CampaignFactory()
        response = auth_client.post(f"/api/v1/campaigns/{campaign.pk}/contribute", {"amount": 2500}, format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["amount"] == 2500 and body["currency"] == "INR" and body["order_id"].startswith("order_")
        assert body["key_id"] and Contribution.objects.get().status == "pending"

    def test_contribute_refusals(self, api_client, auth_client, user):
        own = CampaignFactory(creator=user)
        assert auth_client.post(f"/api/v1/campaigns/{own.pk}/contribute", {"amount": 2500},
                                format="json").status_code == 403
        funded = CampaignFactory(status="funded")
        response = auth_client.post(f"/api/v1/campaigns/{funded.pk}/contribute", {"amount": 2500}, format="json")
        assert response.status_code == 409 and response.json()["error"]["code"] == "campaign_not_active"
        active = CampaignFactory()
        for body in ({"amount": 999}, {"amount": "ten"}, {}, {"amount": 10 ** 12}):
            assert auth_client.post(f"/api/v1/campaigns/{active.pk}/contribute", body,
                                    format="json").status_code == 400
        assert api_client.post(f"/api/v1/campaigns/{active.pk}/contribute", {"amount": 2500},
                               format="json").status_code == 401

    def test_full_contribution_loop_through_the_api(self, auth_client, user, api_client,
                                                    django_capture_on_commit_callbacks):
        campaign = CampaignFactory(target_amount=1000_00)
        started = auth_client.post(f"/api/v1/campaigns/{campaign.pk}/contribute", {"amount": 1000_00},
                                   format="json").json()
        with django_capture_on_commit_callbacks(execute=True):
            paid = api_client.post(f"/simulator/razorpay/checkout/{started['order_id']}/pay", {"outcome": "success"},
                                   HTTP_ACCEPT="application/json").json()
        verified = auth_client.post("/api/v1/payments/verify", paid, format="json")
        assert verified.status_code == 200
        body = api_client.get(f"/api/v1/campaigns/{campaign.pk}").json()
        assert (body["amount_raised"], body["contributor_count"], body["status"]) == (1000_00, 1, "funded")

    def test_creator_cancel(self, auth_client, user):
        campaign = CampaignFactory(creator=user)
        assert auth_client.post(f"/api/v1/campaigns/{campaign.pk}/cancel").json()["status"] == "cancelled"
        assert auth_client.post(f"/api/v1/campaigns/{campaign.pk}/cancel").status_code == 409
        other = CampaignFactory()
        assert auth_client.post(f"/api/v1/campaigns/{other.pk}/cancel").status_code == 403

    def test_admin_endpoints(self, api_client, auth_client):
        draft = CampaignFactory(status="draft", approved_at=None, expires_at=None)
        assert auth_client.post(f"/api/v1/admin/campaigns/{draft.pk}/approve").status_code == 403
        api_client.force_authenticate(AdminFactory())
        approved = api_client.post(f"/api/v1/admin/campaigns/{draft.pk}/approve")
        assert approved.status_code == 200 and approved.json()["status"] == "active"
        assert api_client.post(f"/api/v1/admin/campaigns/{draft.pk}/approve").status_code == 409
        assert api_client.post(f"/api/v1/admin/campaigns/{draft.pk}/cancel", {}, format="json").status_code == 400
        cancelled = api_client.post(f"/api/v1/admin/campaigns/{draft.pk}/cancel", {"reason": "Duplicate"},
                                    format="json")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


class TestCampaignPages:
    def test_list_page_and_constant_queries(self, client):
        CampaignFactory(title="A campaign that needs you")
        with CaptureQueriesContext(connection) as one:
            response = client.get(reverse("campaigns:list"))
        assert "A campaign that needs you" in response.content.decode() and "<progress" in response.content.decode()
        CampaignFactory.create_batch(11)
        with CaptureQueriesContext(connection) as twelve:
            client.get(reverse("campaigns:list"))
        assert len(one) == len(twelve)

    def test_list_filters(self, client):
        CampaignFactory(title="Expired campaign title", status="expired")
        assert "Expired campaign title" not in client.get(reverse("campaigns:list")).content.decode()
        assert "Expired campaign title" in client.get(reverse("campaigns:list") + "?status=expired").content.decode()
        assert client.get(reverse("campaigns:list") + "?status=bogus&sort=bogus").status_code == 200

    def test_create_page(self, client, user):
        client.force_login(user)
        response = client.post(reverse("campaigns:create"), {**FORM, "target_amount": "5000",
                                                              "photo": photo_upload()})
        campaign = Campaign.objects.get()
        assert response.status_code == 302 and campaign.target_amount == 5000_00 and campaign.status == "draft"

    def test_create_page_errors(self, client, user):
        client.force_login(user)
        response = client.post(reverse("campaigns:create"), {**FORM, "target_amount": "10", "photo": photo_upload()})
        assert response.status_code == 400 and "₹500.00" in response.content.decode()
        gif = client.post(reverse("campaigns:create"), {**FORM, "target_amount": "5000",
                                                        "photo": photo_upload("GIF")})
        assert gif.status_code == 415 and "JPG/PNG" in gif.content.decode()
        assert not Campaign.objects.exists()
        client.logout()
        assert client.get(reverse("campaigns:create")).status_code == 302

    def test_detail_and_contribute_through_pages(self, client, user, django_capture_on_commit_callbacks):
        campaign = CampaignFactory(target_amount=1000_00)
        client.force_login(user)
        page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        assert "Contribute" in page and "₹1,000.00 still needed" in page
        small = client.post(reverse("campaigns:contribute", args=[campaign.pk]), {"amount": "5"})
        assert small.status_code == 400 and "minimum contribution" in small.content.decode()
        to_checkout = client.post(reverse("campaigns:contribute", args=[campaign.pk]), {"amount": "250"})
        to_simulator = client.get(to_checkout.url)
        with django_capture_on_commit_callbacks(execute=True):
            back = client.post(to_simulator.url + "/pay", {"outcome": "success"})
        landing = client.get(back.url)
        assert landing.url == reverse("campaigns:detail", args=[campaign.pk])
        detail = client.get(landing.url).content.decode()
        assert "₹250.00" in detail and "payment is confirmed" in detail
        mine = client.get(reverse("campaigns:mine")).content.decode()
        assert "Receipt" in mine and campaign.title in mine

    def test_own_campaign_shows_cancel_not_contribute(self, client, user):
        campaign = CampaignFactory(creator=user)
        client.force_login(user)
        page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
        assert "Cancel this campaign" in page and 'id="contribute-heading"' not in page
        assert client.post(reverse("campaigns:cancel", args=[campaign.pk])).status_code == 302
        campaign.refresh_from_db()
        assert campaign.status == "cancelled"

    def test_drafts_are_hidden_from_others(self, client):
        draft = CampaignFactory(status="draft")
        assert client.get(reverse("campaigns:detail", args=[draft.pk])).status_code == 404
        client.force_login(UserFactory())
        assert client.post(reverse("campaigns:contribute", args=[draft.pk]), {"amount": "50"}).status_code == 404

    def test_admin_approve_and_cancel_actions(self, client):
        admin = AdminFactory()
        client.force_login(admin)
        draft = services.campaign_create(creator=UserFactory(), photo=photo_upload(), title=FORM["title"],
                                         description=FORM["description"], target_amount=5000_00, latitude=28.6,
                                         longitude=77.2, address="Delhi")
        url = reverse("admin:campaigns_campaign_changelist")
        assert client.get(url).status_code == 200
        assert client.get(reverse("admin:campaigns_campaign_change", args=[draft.pk])).status_code == 200
        client.post(url, {"action": "approve", "_selected_action": [draft.pk]})
        draft.refresh_from_db()
        assert draft.status == "active" and draft.approved_by == admin
        client.post(url, {"action": "cancel_with_reason", "_selected_action": [draft.pk], "apply": "1",
                          "reason": "Not a public place"})
        draft.refresh_from_db()
        assert draft.status == "cancelled" and draft.cancel_reason == "Not a public place"

    def test_contributions_are_only_viewed_in_the_admin(self, client, pay):
        """A contribution is a money record: the admin may look at it, never add, change or delete it."""
        contribution = services.contribution_start(campaign=CampaignFactory(), contributor=UserFactory(),
                                                   amount=500_00)
        pay(contribution)
        client.force_login(AdminFactory(is_superuser=True))
        changelist = reverse("admin:campaigns_contribution_changelist")
        assert client.get(changelist).status_code == 200
        assert client.get(reverse("admin:campaigns_contribution_change", args=[contribution.pk])).status_code == 200
        assert client.get(reverse("admin:campaigns_contribution_delete", args=[contribution.pk])).status_code == 403
        assert client.post(reverse("admin:campaigns_contribution_delete", args=[contribution.pk]),
                           {"post": "yes"}).status_code == 403
        client.post(changelist, {"action": "delete_selected", "_selected_action": [contribution.pk], "post": "yes"})
        assert Contribution.objects.filter(pk=contribution.pk, status="credited").exists()


class TestOneListRule:
    """The list page and the API list the same campaigns: live ones unless a status is asked for."""

    @pytest.mark.parametrize("query,expected", [
        ("", {"active", "funded"}), ("?status=expired", {"expired"}), ("?status=completed", {"completed"}),
        ("?status=closed", {"closed"}), ("?status=not-a-status", {"active", "funded"}),
    ])
    def test_page_and_api_agree(self, client, api_client, query, expected):
        titles = {status: CampaignFactory(title=f"Campaign that is {status} now", status=status).title
                  for status in ("active", "funded", "completed", "closed", "expired", "cancelled")}
        page = client.get(f"/campaigns/{query}").content.decode()
        listed = {c["title"] for c in api_client.get(f"/api/v1/campaigns{query}").json()["results"]}
        on_page = {title for title in titles.values() if title in page}
        assert listed == on_page == {titles[status] for status in expected}

    def test_drafts_list_only_for_their_creator_on_both(self, client, api_client, auth_client, user):
        own = CampaignFactory(title="My own draft, waiting", status="draft", creator=user).title
        other = CampaignFactory(title="Someone else's draft", status="draft").title
        client.force_login(user)
        page = client.get("/campaigns/?status=draft").content.decode()
        listed = {c["title"] for c in auth_client.get("/api/v1/campaigns?status=draft").json()["results"]}
        assert listed == {own} and own in page and other not in page
        assert not api_client.get("/api/v1/campaigns?status=draft").json()["results"]
