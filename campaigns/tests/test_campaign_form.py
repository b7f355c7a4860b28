"""A bad photo is reported in the same answer as the other fields' errors, on the page and in the API,
whichever layer (the form, the serializer or the service) finds the other errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import notices, services
from campaigns.models import Campaign
from marketplace.tests.factories import UserFactory

from .factories import photo_upload

pytestmark = pytest.mark.django_db

FORM = {"title": "Clean the lake path near Sector 12", "description": "x" * 60, "target_amount": "5000",
        "latitude": "28.6139", "longitude": "77.2090", "address": "Lake path, Sector 12, Delhi", "city": "Delhi"}
NOT_A_PHOTO = "The photo must be a JPG/PNG image."


def not_an_image():
    return SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")


class TestCampaignPage:
    def test_round_trip_bad_photo_and_bad_field_then_a_good_submit(self, client, user):
        client.force_login(user)
        url = reverse("campaigns:create")
        first = client.post(url, {**FORM, "title": "short", "photo": photo_upload("GIF")})
        page = first.content.decode()
        assert first.status_code == 400
        assert notices.title_length() in page and NOT_A_PHOTO in page
        assert 'id="id_photo-errors"' in page and 'id="id_title-errors"' in page
        assert not Campaign.objects.exists()

        second = client.post(url, {**FORM, "title": "short", "photo": photo_upload()})
        page = second.content.decode()
        assert second.status_code == 400 and notices.title_length() in page and NOT_A_PHOTO not in page
        assert "choose the photo again" in page  # a good photo is not kept: the person is told so
        assert not Campaign.objects.exists()

        done = client.post(url, {**FORM, "photo": photo_upload()})
        campaign = Campaign.objects.get()
        assert done.status_code == 302 and done.url == reverse("campaigns:detail", args=[campaign.pk])
        assert campaign.title == FORM["title"] and campaign.photo

    def test_photo_reported_with_errors_the_form_itself_finds(self, client, user):
        client.force_login(user)
        response = client.post(reverse("campaigns:create"), {**FORM, "latitude": "north", "photo": not_an_image()})
        page = response.content.decode()
        assert response.status_code == 400 and "Enter a number." in page and NOT_A_PHOTO in page
        assert not Campaign.objects.exists()

    def test_bad_photo_alone_is_still_its_own_error(self, client, user):
        client.force_login(user)
        response = client.post(reverse("campaigns:create"), {**FORM, "photo": photo_upload("GIF")})
        assert response.status_code == 415 and NOT_A_PHOTO in response.content.decode()
        assert not Campaign.objects.exists()


class TestDraftEditPage:
    def test_bad_new_photo_and_bad_field_in_one_round_then_saved(self, client):
        draft = services.campaign_create(creator=UserFactory(), photo=photo_upload(), title=FORM["title"],
                                         description=FORM["description"], target_amount=5000_00, latitude=28.6139,
                                         longitude=77.2090, address=FORM["address"])
        client.force_login(draft.creator)
        url = reverse("campaigns:edit", args=[draft.pk])
        first = client.post(url, {**FORM, "title": "short", "photo": photo_upload("GIF")})
        page = first.content.decode()
        assert first.status_code == 400 and notices.title_length() in page and NOT_A_PHOTO in page
        draft.refresh_from_db()
        assert draft.title == FORM["title"]
        kept = client.post(url, {**FORM, "target_amount": "10"})  # no new photo: the draft keeps its own
        assert kept.status_code == 400 and "choose the photo again" not in kept.content.decode()
        assert client.post(url, {**FORM, "title": "Clean the lake path, both sides"}).status_code == 302
        draft.refresh_from_db()
        assert draft.title == "Clean the lake path, both sides"


class TestCampaignApi:
    API = {**FORM, "target_amount": 500000}

    def test_bad_photo_and_a_field_the_service_refuses(self, auth_client):
        response = auth_client.post("/api/v1/campaigns", {**self.API, "title": "short", "photo": photo_upload("GIF")},
                                    format="multipart")
        error = response.json()["error"]
        assert response.status_code == 400 and error["code"] == "validation_error"
        assert error["fields"]["title"] == [notices.title_length()] and error["fields"]["photo"] == [NOT_A_PHOTO]
        assert not Campaign.objects.exists()

    def test_bad_photo_and_a_field_the_serializer_refuses(self, auth_client):
        data = {key: value for key, value in self.API.items() if key != "latitude"}
        response = auth_client.post("/api/v1/campaigns", {**data, "photo": not_an_image()}, format="multipart")
        fields = response.json()["error"]["fields"]
        assert response.status_code == 400 and "latitude" in fields and fields["photo"] == [NOT_A_PHOTO]
        assert not Campaign.objects.exists()

    def test_draft_patch_reports_a_bad_photo_with_a_bad_field(self, auth_client, user):
        draft = services.campaign_create(creator=user, photo=photo_upload(), title=FORM["title"],
                                         description=FORM["description"], target_amount=5000_00, latitude=28.6139,
                                         longitude=77.2090, address=FORM["address"])
        response = auth_client.patch(f"/api/v1/campaigns/{draft.pk}", {"latitude": "north", "photo": not_an_image()},
                                     format="multipart")
        fields = response.json()["error"]["fields"]
        assert response.status_code == 400 and "latitude" in fields and fields["photo"] == [NOT_A_PHOTO]

    def test_good_photo_with_a_bad_field_names_only_the_field(self, auth_client):
        response = auth_client.post("/api/v1/campaigns", {**self.API, "title": "", "photo": photo_upload()},
                                    format="multipart")
        assert response.status_code == 400 and set(response.json()["error"]["fields"]) == {"title"}
