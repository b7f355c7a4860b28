"""Cleaner KYC: submission rules, encryption at rest, masking everywhere, admin review (API and
admin action through one service), and the earnings page and API."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cleanit import crypto, errors
from marketplace import services
from marketplace.models import CleanerKYC
from marketplace.services import auth_issue_tokens
from marketplace.tests.factories import PASSWORD, AdminFactory, CleanerFactory, UserFactory
from marketplace.validators import verhoeff_valid
from notifications.models import Notification
from payments.models import PayeeAccount

pytestmark = pytest.mark.django_db

AADHAAR = "234567890124"
BANK = dict(id_type="aadhaar", id_number=AADHAAR, account_holder_name="Asha Devi", bank_account_number="123456789012",
            bank_ifsc="HDFC0001234")
UPI = dict(id_type="pan", id_number="ABCPE1234F", account_holder_name="Asha Devi", upi_id="asha.devi@okaxis")


def api(user=None):
    client = APIClient()
    if user:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_issue_tokens(user=user).access}")
    return client


def test_verhoeff_check_digit():
    assert verhoeff_valid(AADHAAR) and not verhoeff_valid("234567890125")


class TestSubmit:
    def test_bank_details_are_encrypted_and_masked(self):
        cleaner = CleanerFactory()
        kyc = services.kyc_submit(user=cleaner, **BANK)
        assert kyc.status == "pending" and kyc.payout_method == "bank_account"
        stored = CleanerKYC.objects.values().get(pk=kyc.pk)
        assert AADHAAR not in str(stored) and "123456789012" not in str(stored)
        assert crypto.decrypt(kyc.id_number_encrypted) == AADHAAR
        assert kyc.id_number_masked == "••••••••0124" and kyc.bank_account_masked == "••••••••9012"

    def test_upi_is_masked_keeping_the_handle(self):
        kyc = services.kyc_submit(user=CleanerFactory(), **UPI)
        assert kyc.payout_method == "upi" and kyc.upi_id_masked.endswith("@okaxis") and "devi" not in kyc.upi_id_masked

    @pytest.mark.parametrize("change,field", [
        ({"id_type": "passport"}, "id_type"), ({"id_number": "234567890125"}, "id_number"),
        ({"id_number": "12345"}, "id_number"), ({"account_holder_name": " "}, "account_holder_name"),
        ({"bank_account_number": "12ab"}, "bank_account_number"), ({"bank_ifsc": "HDFC1234"}, "bank_ifsc"),
        ({"upi_id": "x@y"}, "upi_id"),
    ])
    def test_validation(self, change, field):
        with pytest.raises(errors.ValidationFailed) as exc:
            services.kyc_submit(user=CleanerFactory(), **{**BANK, **change})
        assert field in exc.value.fields
        assert not CleanerKYC.objects.exists()

    def test_pan_format_and_only_cleaners(self):
        with pytest.raises(errors.ValidationFailed):
            services.kyc_submit(user=CleanerFactory(), **{**UPI, "id_number": "ABCDE12345"})
        with pytest.raises(errors.NotAllowed):
            services.kyc_submit(user=UserFactory(), **UPI)

    def test_resubmitting_verified_details_stops_payouts_until_verified_again(self):
        cleaner = CleanerFactory()
        services.kyc_review(kyc=services.kyc_submit(user=cleaner, **BANK), admin=AdminFactory(), action="verify")
        assert PayeeAccount.objects.get(user=cleaner).is_active
        kyc = services.kyc_submit(user=cleaner, **UPI)
        assert kyc.status == "pending" and not PayeeAccount.objects.get(user=cleaner).is_active


class TestReview:
    def test_verify_creates_the_razorpayx_contact_and_fund_account(self, django_capture_on_commit_callbacks):
        cleaner = CleanerFactory()
        kyc = services.kyc_submit(user=cleaner, **BANK)
        with django_capture_on_commit_callbacks(execute=True):
            kyc = services.kyc_review(kyc=kyc, admin=AdminFactory(), action="verify")
        account = PayeeAccount.objects.get(user=cleaner)
        assert kyc.status == "verified" and account.fund_account_id.startswith("fa_") and account.mode == "IMPS"
        assert account.contact_id.startswith("cont_") and account.destination == "A/c ••••••••9012 (HDFC0001234)"
        assert Notification.objects.filter(user=cleaner, event="kyc.verified").exists()

    def test_gateway_failure_leaves_it_pending(self, settings):
        kyc = services.kyc_submit(user=CleanerFactory(), **BANK)
        settings.PAYMENT_SIMULATOR_FAILURE_RATE = 1.0
        with pytest.raises(errors.ExternalServiceError):
            services.kyc_review(kyc=kyc, admin=AdminFactory(), action="verify")
        assert CleanerKYC.objects.get(pk=kyc.pk).status == "pending" and not PayeeAccount.objects.exists()

    def test_reject_needs_a_reason_and_happens_once(self):
        kyc = services.kyc_submit(user=CleanerFactory(), **BANK)
        with pytest.raises(errors.ValidationFailed):
            services.kyc_review(kyc=kyc, admin=AdminFactory(), action="reject", reason="")
        kyc = services.kyc_review(kyc=kyc, admin=AdminFactory(), action="reject", reason="IFSC does not match")
        assert kyc.status == "rejected" and kyc.rejection_reason == "IFSC does not match"
        with pytest.raises(errors.Conflict):
            services.kyc_review(kyc=kyc, admin=AdminFactory(), action="verify")


class TestAPI:
    def test_submit_201_masked_then_get(self):
        cleaner = CleanerFactory()
        response = api(cleaner).post("/api/v1/cleaners/me/kyc", BANK, format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "pending" and body["id_number"] == "••••••••0124"
        assert body["bank_account_number"] == "••••••••9012" and AADHAAR not in response.content.decode()
        assert api(cleaner).get("/api/v1/cleaners/me/kyc/").json()["status"] == "pending"

    @pytest.mark.parametrize("body", [{}, {**BANK, "id_number": "1"}, {**BANK, "bank_ifsc": ""},
                                      {"id_type": "pan", "id_number": "ABCPE1234F", "account_holder_name": "A B"},
                                      {**BANK, "upi_id": "asha@okaxis"}, [1, 2]])
    def test_bad_input_400(self, body):
        response = api(CleanerFactory()).post("/api/v1/cleaners/me/kyc", body, format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"
        assert not CleanerKYC.objects.exists()

    def test_who_may_submit(self):
        assert api().post("/api/v1/cleaners/me/kyc", BANK, format="json").status_code == 401
        response = api(UserFactory()).post("/api/v1/cleaners/me/kyc", BANK, format="json")
        assert response.status_code == 403 and response.json()["error"]["code"] == "not_a_cleaner"
        assert api(CleanerFactory()).get("/api/v1/cleaners/me/kyc").status_code == 404

    def test_admin_review_endpoint(self):
        cleaner = CleanerFactory()
        services.kyc_submit(user=cleaner, **UPI)
        url = f"/api/v1/admin/cleaners/{cleaner.pk}/kyc"
        assert api(cleaner).post(url, {"action": "verify"}, format="json").status_code == 403
        admin = api(AdminFactory())
        response = admin.post(url, {"action": "reject"}, format="json")
        assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
        assert admin.post(url, {"action": "approve"}, format="json").status_code == 400
        assert admin.post(f"/api/v1/admin/cleaners/{UserFactory().pk}/kyc", {"action": "verify"},
                          format="json").status_code == 404
        response = admin.post(url, {"action": "verify"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "verified"
        assert admin.post(url, {"action": "verify"}, format="json").status_code == 409

    def test_earnings_api(self):
        cleaner = CleanerFactory()
        response = api(cleaner).get("/api/v1/cleaners/me/earnings")
        assert response.status_code == 200
        body = response.json()
        assert body["total_paid"] == 0 and len(body["monthly"]) == 12 and body["payouts"] == []
        assert api(UserFactory()).get("/api/v1/cleaners/me/earnings").status_code == 403


class TestPagesAndAdmin:
    def _client(self, user):
        client = Client()
        client.force_login(user)
        return client

    def test_kyc_page_submit_errors_and_masked_status(self):
        client = self._client(CleanerFactory())
        response = client.post("/account/kyc/", {**BANK, "id_number": "999"})
        assert response.status_code == 400 and "valid 12-digit Aadhaar" in response.content.decode()
        response = client.post("/account/kyc/", BANK, follow=True)
        html = response.content.decode()
        assert "Waiting for review" in html and "••••••••0124" in html and AADHAAR not in html

    def test_pages_are_for_cleaners(self):
        client = self._client(UserFactory())
        assert client.get("/account/kyc/").status_code == 403
        assert client.get("/account/earnings/").status_code == 403
        assert self._client(CleanerFactory()).get("/account/earnings/").status_code == 200

    def test_admin_actions_verify_and_reject_with_reason(self):
        admin = AdminFactory()
        client = self._client(admin)
        first = services.kyc_submit(user=CleanerFactory(), **BANK)
        second = services.kyc_submit(user=CleanerFactory(), **UPI)
        url = reverse("admin:marketplace_cleanerkyc_changelist")
        response = client.post(url, {"action": "verify_kyc", "_selected_action": [first.pk]})
        assert response.status_code == 302 and CleanerKYC.objects.get(pk=first.pk).status == "verified"
        page = client.post(url, {"action": "reject_kyc", "_selected_action": [second.pk]})
        assert page.status_code == 200 and "reason" in page.content.decode()
        client.post(url, {"action": "reject_kyc", "_selected_action": [second.pk], "apply": "1",
                          "reason": "Name does not match the bank"})
        assert CleanerKYC.objects.get(pk=second.pk).status == "rejected"
        change = client.get(reverse("admin:marketplace_cleanerkyc_change", args=[first.pk])).content.decode()
        assert AADHAAR not in change and "••••••••0124" in change

    def test_account_deletion_removes_kyc(self):
        cleaner = CleanerFactory()
        services.kyc_submit(user=cleaner, **BANK)
        services.user_delete_account(user=cleaner, password=PASSWORD)
        assert not CleanerKYC.objects.exists()


class TestStateMachine:
    def test_transition_table_walk(self):
        from django.utils import timezone

        from tests.statemachine import walk_transition_table

        def make(status):
            return CleanerKYC.objects.create(
                user=CleanerFactory(), status=status, id_type="pan", id_number_encrypted=crypto.encrypt("ABCPE1234F"),
                id_number_masked="••••••1234F", account_holder_name="Asha Devi", payout_method="upi",
                upi_id_encrypted=crypto.encrypt("asha@okaxis"), upi_id_masked="as••@okaxis",
                submitted_at=timezone.now())

        assert walk_transition_table(CleanerKYC, make) == 5

    def test_every_move_the_services_make_is_in_the_table(self):
        cleaner, admin = CleanerFactory(), AdminFactory()
        kyc = services.kyc_submit(user=cleaner, **BANK)
        kyc = services.kyc_submit(user=cleaner, **UPI)  # pending -> pending: replaced while waiting
        services.kyc_review(kyc=kyc, admin=admin, action="reject", reason="Blurry")  # pending -> rejected
        kyc = services.kyc_submit(user=cleaner, **BANK)  # rejected -> pending
        services.kyc_review(kyc=kyc, admin=admin, action="verify")  # pending -> verified
        kyc = services.kyc_submit(user=cleaner, **UPI)  # verified -> pending
        assert kyc.status == "pending" and CleanerKYC.objects.filter(user=cleaner).count() == 1

    def test_review_of_details_replaced_meanwhile_is_refused(self):
        cleaner = CleanerFactory()
        seen_by_admin = services.kyc_submit(user=cleaner, **BANK)
        services.kyc_submit(user=cleaner, **UPI)
        with pytest.raises(errors.InvalidTransition) as refused:
            services.kyc_review(kyc=seen_by_admin, admin=AdminFactory(), action="verify")
        assert "changed" in refused.value.message
        assert CleanerKYC.objects.get(user=cleaner).status == "pending" and not PayeeAccount.objects.exists()

    def test_reviewing_twice_is_an_invalid_transition_in_the_api(self):
        cleaner = CleanerFactory()
        services.kyc_review(kyc=services.kyc_submit(user=cleaner, **UPI), admin=AdminFactory(), action="verify")
        response = api(AdminFactory()).post(f"/api/v1/admin/cleaners/{cleaner.pk}/kyc", {"action": "reject",
                                            "reason": "late"}, format="json")
        assert response.status_code == 409 and response.json()["error"]["code"] == errors.InvalidTransition.code


class TestNotices:
    def test_staff_are_told_of_a_submission(self, django_capture_on_commit_callbacks):
        admin, other_admin = AdminFactory(), AdminFactory()
        with django_capture_on_commit_callbacks(execute=True):
            services.kyc_submit(user=CleanerFactory(name="Asha Devi"), **BANK)
        for staff in (admin, other_admin):
            notice = Notification.objects.get(user=staff, event="kyc.submitted")
            assert notice.title == "KYC to review: Asha Devi" and "••••••••9012" in notice.body

    def test_rejection_reason_reaches_the_cleaner(self, django_capture_on_commit_callbacks):
        cleaner = CleanerFactory()
        kyc = services.kyc_submit(user=cleaner, **BANK)
        with django_capture_on_commit_callbacks(execute=True):
            services.kyc_review(kyc=kyc, admin=AdminFactory(), action="reject", reason="IFSC does not match.")
        assert Notification.objects.get(user=cleaner, event="kyc.rejected").body.startswith("IFSC does not match.")
