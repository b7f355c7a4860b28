"""The same job rules through the API (status codes, error envelope), the pages and the Django admin."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jobs import services
from jobs.models import CleanerJobStats, Job
from marketplace.services import auth_issue_tokens
from marketplace.tests.factories import AdminFactory, CleanerFactory, UserFactory
from payments.models import Payout
from tests.openapi import response_errors

from .factories import funded_job, photo, site_photo, verified_cleaner

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_issue_tokens(user=user).access}")
    return client


def error_code(response) -> str:
    return response.json()["error"]["code"]


class TestJobsAPI:
    def test_board_lists_available_jobs_with_contract_fields(self):
        job = funded_job()
        taken = funded_job()
        services.job_claim(job=taken, cleaner=verified_cleaner())
        response = api(CleanerFactory()).get("/api/v1/jobs")
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1 and {"next", "previous", "results"} <= set(body)
        item = body["results"][0]
        assert item["id"] == str(job.pk) and item["status"] == "available"
        for field in ("campaign_id", "amount", "platform_fee", "latitude", "longitude", "address", "claimed_by",
                      "completion_deadline", "claim_count", "flags", "before_photo_url", "after_photo_url",
                      "expires_at"):
            assert field in item
        assert item["amount"] == job.amount and item["before_photo_url"].startswith("http")

    @pytest.mark.parametrize("who,status", [(None, 401), ("customer", 403), ("admin", 403)])
    def test_board_is_for_cleaners(self, who, status):
        user = {"customer": UserFactory, "admin": AdminFactory}.get(who, lambda: None)()
        response = api(user).get("/api/v1/jobs/")
        assert response.status_code == status
        assert "error" in response.json()

    def test_claim_200_then_409_already_claimed(self):
        job = funded_job()
        first, second = verified_cleaner(), verified_cleaner()
        response = api(first).post(f"/api/v1/jobs/{job.pk}/claim")
        assert response.status_code == 200
        assert response.json()["completion_deadline"] and response.json()["claimed_by"] == str(first.pk)
        response = api(second).post(f"/api/v1/jobs/{job.pk}/claim/")
        assert response.status_code == 409 and error_code(response) == "already_claimed"

    def test_claim_limit_is_429(self):
        cleaner = verified_cleaner()
        client = api(cleaner)
        for _ in range(5):
            assert client.post(f"/api/v1/jobs/{funded_job().pk}/claim").status_code == 200
        response = client.post(f"/api/v1/jobs/{funded_job().pk}/claim")
        assert response.status_code == 429 and error_code(response) == "claim_limit"

    def test_claim_refusals(self):
        job = funded_job()
        response = api(CleanerFactory()).post(f"/api/v1/jobs/{job.pk}/claim")
        assert response.status_code == 403 and error_code(response) == "kyc_required"
        assert api(verified_cleaner()).post("/api/v1/jobs/not-a-uuid/claim").status_code == 404
        assert api(verified_cleaner()).post(f"/api/v1/jobs/{Payout().pk}/claim").status_code == 404
        assert api(verified_cleaner()).get(f"/api/v1/jobs/{job.pk}/claim").status_code == 405

    def test_unclaim(self):
        job = funded_job()
        cleaner = verified_cleaner()
        client = api(cleaner)
        client.post(f"/api/v1/jobs/{job.pk}/claim")
        response = client.post(f"/api/v1/jobs/{job.pk}/unclaim", {}, format="json")
        assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
        response = api(verified_cleaner()).post(f"/api/v1/jobs/{job.pk}/unclaim", {"reason": "x"}, format="json")
        assert response.status_code == 403 and error_code(response) == "not_claimer"
        Job.objects.filter(pk=job.pk).update(completion_deadline=timezone.now() + timedelta(hours=3))
        response = client.post(f"/api/v1/jobs/{job.pk}/unclaim", {"reason": "Ill"}, format="json")
        assert response.status_code == 409 and error_code(response) == "unclaim_too_late"
        Job.objects.filter(pk=job.pk).update(completion_deadline=timezone.now() + timedelta(days=3))
        response = client.post(f"/api/v1/jobs/{job.pk}/unclaim", {"reason": "Ill"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "available"

    def test_complete_with_photo_returns_flags(self):
        job = funded_job()
        cleaner = verified_cleaner()
        client = api(cleaner)
        client.post(f"/api/v1/jobs/{job.pk}/claim")
        response = client.post(f"/api/v1/jobs/{job.pk}/complete", {"photo": photo(seed=3)}, format="multipart")
        assert response.status_code == 200
        assert response.json()["status"] == "completed" and response.json()["flags"] == ["gps_missing"]
        assert response.json()["after_photo_url"].startswith("http")

    @pytest.mark.parametrize("upload,status,code", [
        (None, 400, "validation_error"), ("gif", 415, "unsupported_media_type"), ("text", 415, "unsupported_media_type"),
    ])
    def test_complete_bad_input(self, upload, status, code):
        job = funded_job()
        cleaner = verified_cleaner()
        client = api(cleaner)
        client.post(f"/api/v1/jobs/{job.pk}/claim")
        data = {} if upload is None else {"photo": photo(fmt="GIF") if upload == "gif" else photo(raw=b"hello")}
        response = client.post(f"/api/v1/jobs/{job.pk}/complete", data, format="multipart")
        assert response.status_code == status and error_code(response) == code
        assert Job.objects.get(pk=job.pk).status == "claimed"
        response = client.post(f"/api/v1/jobs/{job.pk}/complete", {"photo": "x"}, format="json")
        assert response.status_code == 415

    def test_mine_and_detail_visibility(self):
        job = funded_job()
        cleaner = verified_cleaner()
        services.job_claim(job=job, cleaner=cleaner)
        body = api(cleaner).get("/api/v1/jobs/mine").json()
        assert [item["id"] for item in body["results"]] == [str(job.pk)]
        assert api(cleaner).get(f"/api/v1/jobs/{job.pk}").status_code == 200
        assert api(verified_cleaner()).get(f"/api/v1/jobs/{job.pk}").status_code == 404  # someone else's claim
        assert api(verified_cleaner()).get("/api/v1/jobs/mine").json()["count"] == 0


class TestAdminAPI:
    def _completed(self, **kwargs):
        job = funded_job(**kwargs)
        cleaner = verified_cleaner()
        services.job_claim(job=job, cleaner=cleaner)
        return services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=kwargs.get("target", 1)))

    def test_queue_order_and_sla(self):
        normal = self._completed(target=1_000_00)
        high = self._completed(target=6_000_00)
        urgent = self._completed(target=1_000_01)
        Job.objects.filter(pk=urgent.pk).update(completed_at=timezone.now() - timedelta(hours=49))
        Job.objects.filter(pk=normal.pk).update(first_time_cleaner=False)
        first_timer = self._completed(target=1_000_02)
        response = api(AdminFactory()).get("/api/v1/admin/jobs/verification-queue")
        assert response.status_code == 200
        body = response.json()
        assert [item["id"] for item in body["results"]] == [str(j.pk) for j in (urgent, high, first_timer, normal)]
        assert [item["priority"] for item in body["results"]] == ["urgent", "high_value", "first_time_cleaner",
                                                                   "normal"]
        assert body["results"][0]["cleaner"]["completions"] == 1
        assert body["sla"] == {"queue_length": 4, "waiting_over_24h": 1, "waiting_over_48h": 1,
                               "average_verify_seconds": None, "alert": False}

    def test_verify_approve_and_reject(self):
        admin = api(AdminFactory())
        job = self._completed()
        response = admin.post(f"/api/v1/admin/jobs/{job.pk}/verify", {"action": "approve"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "verified"
        assert Payout.objects.filter(source_id=str(job.pk)).exists()
        response = admin.post(f"/api/v1/admin/jobs/{job.pk}/verify", {"action": "approve"}, format="json")
        assert response.status_code == 409
        other = self._completed(target=2_000_00)
        response = admin.post(f"/api/v1/admin/jobs/{other.pk}/verify",
                              {"action": "reject", "reason": "poor_quality", "allow_retry": True}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "claimed"

    @pytest.mark.parametrize("body,field", [
        ({}, "action"), ({"action": "reject"}, "reason"), ({"action": "reject", "reason": "nope"}, "reason"),
        ({"action": "reject", "reason": "other"}, "notes"), ({"action": "approve", "allow_retry": "maybe"}, "allow_retry"),
    ])
    def test_verify_bad_input(self, body, field):
        job = self._completed()
        response = api(AdminFactory()).post(f"/api/v1/admin/jobs/{job.pk}/verify", body, format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"]
        assert Job.objects.get(pk=job.pk).status == "completed"

    def test_admin_endpoints_are_staff_only(self):
        job = self._completed()
        for user, status in ((None, 401), (verified_cleaner(), 403), (UserFactory(), 403)):
            assert api(user).get("/api/v1/admin/jobs/verification-queue").status_code == status
            response = api(user).post(f"/api/v1/admin/jobs/{job.pk}/verify", {"action": "approve"}, format="json")
            assert response.status_code == status
        assert Job.objects.get(pk=job.pk).status == "completed"


class TestQueryCounts:
    def _count(self, client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_board_and_queue_do_not_grow_with_the_list(self):
        cleaner, admin = verified_cleaner(), AdminFactory()
        funded_job()
        web = self._web(cleaner)
        board_one = (self._count(api(cleaner), "/api/v1/jobs"), self._count(web, "/jobs/"))
        for _ in range(6):
            funded_job()
        assert (self._count(api(cleaner), "/api/v1/jobs"), self._count(web, "/jobs/")) == board_one
        self._complete(cleaner)
        admin_web = self._web(admin)
        queue_one = (self._count(api(admin), "/api/v1/admin/jobs/verification-queue"),
                     self._count(admin_web, reverse("admin:dashboard_verification_queue")))
        for _ in range(4):
            self._complete(verified_cleaner())
        assert (self._count(api(admin), "/api/v1/admin/jobs/verification-queue"),
                self._count(admin_web, reverse("admin:dashboard_verification_queue"))) == queue_one

    @staticmethod
    def _web(user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client

    @staticmethod
    def _complete(cleaner):
        job = services.job_claim(job=funded_job(), cleaner=cleaner)
        services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=Job.objects.count() + 50))


class TestPages:
    def _client(self, user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client

    def test_board_page_and_claim_by_form_post(self):
        job = funded_job()
        cleaner = verified_cleaner()
        client = self._client(cleaner)
        page = client.get("/jobs/")
        assert page.status_code == 200 and job.campaign.title in page.content.decode()
        response = client.post(f"/jobs/{job.pk}/claim/")
        assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
        assert Job.objects.get(pk=job.pk).claimed_by == cleaner
        detail = client.get(response.url).content.decode()
        assert "Complete the job" in detail and "data-countdown" in detail

    def test_claim_by_htmx_shows_the_outcome_in_place(self):
        job = funded_job()
        services.job_claim(job=job, cleaner=verified_cleaner())
        response = self._client(verified_cleaner()).post(f"/jobs/{job.pk}/claim/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "already claimed" in response.content.decode()

    def test_claim_refused_by_form_shows_message(self):
        job = funded_job()
        response = self._client(CleanerFactory()).post(f"/jobs/{job.pk}/claim/", follow=True)
        assert "KYC must be verified" in response.content.decode()
        assert Job.objects.get(pk=job.pk).status == "available"

    def test_staff_are_refused_by_the_page_as_by_the_api(self):
        """Job pages and endpoints are for cleaners; staff look at jobs in the admin."""
        job = funded_job()
        admin = AdminFactory()
        assert api(admin).get(f"/api/v1/jobs/{job.pk}").status_code == 403
        assert self._client(admin).get(f"/jobs/{job.pk}/").status_code == 403

    def test_customers_get_403_and_anonymous_go_to_login(self):
        assert self._client(UserFactory()).get("/jobs/").status_code == 403
        from django.test import Client
        response = Client().get("/jobs/")
        assert response.status_code == 302 and "/account/login/" in response.url

    def test_complete_and_unclaim_by_page(self):
        cleaner = verified_cleaner()
        client = self._client(cleaner)
        job = services.job_claim(job=funded_job(), cleaner=cleaner)
        response = client.post(f"/jobs/{job.pk}/complete/", {"photo": photo(fmt="GIF")})
        assert response.status_code == 415 and "must be a" in response.content.decode()
        response = client.post(f"/jobs/{job.pk}/complete/", {})
        assert response.status_code == 400
        response = client.post(f"/jobs/{job.pk}/complete/", {"photo": photo(seed=8)}, follow=True)
        assert "No GPS position in the photo" in response.content.decode()
        other = services.job_claim(job=funded_job(), cleaner=cleaner)
        response = client.post(f"/jobs/{other.pk}/unclaim/", {"reason": ""})
        assert response.status_code == 400 and "<details open>" in response.content.decode()
        response = client.post(f"/jobs/{other.pk}/unclaim/", {"reason": "Moving city"})
        assert response.status_code == 302 and Job.objects.get(pk=other.pk).status == "available"
        mine = client.get("/jobs/mine/").content.decode()
        assert job.campaign.title in mine and "Waiting for verification" in mine

    def test_other_cleaners_cannot_complete_by_page(self):
        job = services.job_claim(job=funded_job(), cleaner=verified_cleaner())
        response = self._client(verified_cleaner()).post(f"/jobs/{job.pk}/complete/", {"photo": site_photo(job)})
        assert response.status_code == 403 and Job.objects.get(pk=job.pk).status == "claimed"


class TestAdminQueuePage:
    def _admin_client(self):
        from django.test import Client

        client = Client()
        client.force_login(AdminFactory())
        return client

    def _completed(self, seed=1):
        cleaner = verified_cleaner()
        job = services.job_claim(job=funded_job(), cleaner=cleaner)
        return services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=seed))

    def test_renders_photos_side_by_side_with_evidence(self):
        job = self._completed()
        page = self._admin_client().get(reverse("admin:dashboard_verification_queue"))
        html = page.content.decode()
        assert page.status_code == 200
        assert job.campaign.photo.url in html and job.after_photo.url in html
        assert "Distance from the campaign" in html and "Waiting &gt; 48 h" in html

    def test_approve_and_reject_from_the_queue(self):
        client = self._admin_client()
        url = reverse("admin:dashboard_verification_queue")
        job = self._completed()
        response = client.post(url, {"job_id": job.pk, "action": "approve"})
        assert response.status_code == 302 and Job.objects.get(pk=job.pk).status == "verified"
        other = self._completed(seed=2)
        response = client.post(url, {"job_id": other.pk, "action": "reject", "reason": "other"})
        assert response.status_code == 400 and "Describe the problem" in response.content.decode()
        response = client.post(url, {"job_id": other.pk, "action": "reject", "reason": "wrong_location",
                                     "allow_retry": "on"})
        assert response.status_code == 302 and Job.objects.get(pk=other.pk).status == "claimed"

    def test_alert_banner_over_20_waiting(self):
        cleaner = verified_cleaner()
        for _ in range(21):
            job = services.job_claim(job=funded_job(), cleaner=cleaner)
            Job.objects.filter(pk=job.pk).update(status="completed", completed_at=timezone.now())
            CleanerJobStats.objects.filter(user=cleaner).update(active_claims=0)  # a shortcut past the photo step
        html = self._admin_client().get(reverse("admin:dashboard_verification_queue")).content.decode()
        assert "21 jobs are waiting for verification" in html

    def test_not_for_non_staff(self):
        from django.test import Client

        client = Client()
        client.force_login(verified_cleaner())
        response = client.get(reverse("admin:dashboard_verification_queue"))
        assert response.status_code == 302 and "/admin/login/" in response.url

    def test_job_and_payout_admin_pages(self):
        client = self._admin_client()
        job = self._completed()
        for url in ("admin:jobs_job_changelist", "admin:jobs_cleanerjobstats_changelist",
                    "admin:payments_payout_changelist", "admin:marketplace_cleanerkyc_changelist",
                    "admin:payments_reconciliationrun_changelist", "admin:payments_payeeaccount_changelist"):
            assert client.get(reverse(url)).status_code == 200
        assert client.get(reverse("admin:jobs_job_change", args=[job.pk])).status_code == 200


def test_admin_index_shows_the_sla_and_money_at_a_glance():
    from django.test import Client

    cleaner = verified_cleaner()
    job = services.job_claim(job=funded_job(), cleaner=cleaner)
    services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))
    Job.objects.filter(pk=job.pk).update(completed_at=timezone.now() - timedelta(hours=50))
    client = Client()
    client.force_login(AdminFactory())
    html = client.get(reverse("admin:index")).content.decode()
    for label in ("Jobs waiting for verification", "… waiting over 24 h / over 48 h", "Escrow balance",
                  "Payouts pending", "Active campaigns", "Sign-ups in the last 7 days"):
        assert label in html
    assert "⚠ 1 / 1" in html


def test_campaign_page_shows_the_cleanup_progress():
    from django.test import Client

    job = funded_job()
    cleaner = verified_cleaner()
    client = Client()
    client.force_login(cleaner)
    url = reverse("campaigns:detail", args=[job.campaign_id])
    assert "Waiting for a cleaner" in client.get(url).content.decode()
    assert f"/jobs/{job.pk}/" in client.get(url).content.decode()
    services.job_claim(job=job, cleaner=cleaner)
    assert "A cleaner is on it" in Client().get(url).content.decode()


class TestSchemaConformance:
    """The OpenAPI schema describes what the jobs endpoints really answer."""

    def test_a_job_never_rejected_matches(self):
        job = funded_job()
        body = api(verified_cleaner()).get(f"/api/v1/jobs/{job.pk}").json()
        assert body["last_rejection_reason"] == ""
        assert not response_errors("/api/v1/jobs/{job_id}", "get", 200, body)

    def test_the_verification_queue_is_one_page(self):
        cleaner = verified_cleaner()
        job = services.job_claim(job=funded_job(), cleaner=cleaner)
        services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))
        body = api(AdminFactory()).get("/api/v1/admin/jobs/verification-queue").json()
        assert body["count"] == 1 and "sla" in body
        assert not response_errors("/api/v1/admin/jobs/verification-queue", "get", 200, body)


class TestNoDeadEnds:
    def test_the_jobs_link_is_shown_to_cleaners_and_visitors_only(self, client):
        assert "Jobs for cleaners" in client.get("/").content.decode()
        for user, shown in ((CleanerFactory(), True), (UserFactory(), False), (AdminFactory(), False)):
            client.force_login(user)
            assert ("Jobs for cleaners" in client.get("/").content.decode()) is shown, user.role

    def test_a_customer_on_a_cleaners_page_is_told_how_to_become_one(self, client):
        client.force_login(UserFactory())
        response = client.get(reverse("jobs:board"))
        assert response.status_code == 403
        assert "sign up with the role" in response.content.decode()
