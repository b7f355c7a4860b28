"""Cleaner KYC: submitting ID and payout details (encrypted at rest) and the admin's review.
Every status change goes through cleanit.statemachine with CleanerKYC.TRANSITIONS."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cleanit import crypto, errors
from cleanit.db import atomic, on_commit
from cleanit.statemachine import transition
from notifications import services as notification_services
from payments import services as payment_services

from .. import notices
from ..errors import NotACleaner
from ..models import CleanerKYC, User
from ..validators import BANK_ACCOUNT, BANK_ACCOUNT_DIGITS, IFSC, UPI_ID, clean_id_number

KYC_REJECTION_REASON_MAX = CleanerKYC._meta.get_field("rejection_reason").max_length
HOLDER_NAME_MIN, HOLDER_NAME_MAX = 2, CleanerKYC._meta.get_field("account_holder_name").max_length
REVIEW_ACTIONS = ("verify", "reject")


def _kyc_fields(*, id_type: str, id_number: str, account_holder_name: str, bank_account_number: str,
                bank_ifsc: str, upi_id: str) -> dict:
    field_errors: dict[str, list[str]] = {}
    if id_type not in CleanerKYC.IdType.values:
        field_errors["id_type"] = ["Choose Aadhaar or PAN."]
    number = clean_id_number(id_type, id_number)
    if number is None and "id_type" not in field_errors:
        field_errors["id_number"] = ["Enter a valid 12-digit Aadhaar number." if id_type == "aadhaar"
                                     else "Enter a valid PAN, e.g. ABCPE1234F."]
    holder = " ".join((account_holder_name or "").split())
    if not HOLDER_NAME_MIN <= len(holder) <= HOLDER_NAME_MAX:
        field_errors["account_holder_name"] = [
            f"Enter the name on the account ({HOLDER_NAME_MIN} to {HOLDER_NAME_MAX} characters)."]
    account = (bank_account_number or "").replace(" ", "")
    ifsc = (bank_ifsc or "").strip().upper()
    upi = (upi_id or "").strip()
    if upi and (account or ifsc):
        field_errors["upi_id"] = ["Give either a bank account (number and IFSC) or a UPI id, not both."]
    elif upi:
        if not UPI_ID.match(upi):
            field_errors["upi_id"] = ["Enter a valid UPI id, e.g. name@okbank."]
    else:
        if not BANK_ACCOUNT.match(account):
            field_errors["bank_account_number"] = [
                "Enter the account number ({} to {} digits).".format(*BANK_ACCOUNT_DIGITS)]
        if not IFSC.match(ifsc):
            field_errors["bank_ifsc"] = ["Enter the 11-character IFSC, e.g. HDFC0001234."]
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    fields = {"id_type": id_type, "id_number_encrypted": crypto.encrypt(number),
              "id_number_masked": crypto.mask(number), "account_holder_name": holder,
              "bank_account_encrypted": "", "bank_account_masked": "", "bank_ifsc": "",
              "upi_id_encrypted": "", "upi_id_masked": ""}
    if upi:
        fields.update(payout_method=CleanerKYC.Method.UPI, upi_id_encrypted=crypto.encrypt(upi),
                      upi_id_masked=crypto.mask(upi))
    else:
        fields.update(payout_method=CleanerKYC.Method.BANK_ACCOUNT, bank_account_encrypted=crypto.encrypt(account),
                      bank_account_masked=crypto.mask(account), bank_ifsc=ifsc)
    return fields


def _store_submission(*, user: User, fields: dict) -> CleanerKYC:
    """The first submission creates the record; later ones move it back to waiting for review."""
    kyc = CleanerKYC.objects.filter(user=user).first()
    if kyc is None:
        try:
            with atomic():
                return CleanerKYC.objects.create(user=user, status=CleanerKYC.Status.PENDING, **fields)
        except IntegrityError:  # a second first submission at the same moment: it becomes a resubmission
            kyc = CleanerKYC.objects.get(user=user)
    return transition(kyc, CleanerKYC.Status.PENDING, **fields)


def kyc_submit(*, user: User, id_type: str, id_number: str, account_holder_name: str,
               bank_account_number: str = "", bank_ifsc: str = "", upi_id: str = "",
               now: datetime | None = None) -> CleanerKYC:
    """A cleaner submits (or replaces) ID and payout details; they wait for an admin. Replacing
    verified details stops payouts to the old destination until the new ones are verified."""
    if not user.is_cleaner:
        raise NotACleaner(notices.KYC_ONLY_CLEANERS)
    fields = _kyc_fields(id_type=id_type, id_number=id_number, account_holder_name=account_holder_name,
                         bank_account_number=bank_account_number, bank_ifsc=bank_ifsc, upi_id=upi_id)
    fields.update(submitted_at=now or timezone.now(), reviewed_at=None, reviewed_by=None, rejection_reason="")
    with atomic():
        kyc = _store_submission(user=user, fields=fields)
        payment_services.payee_account_disable(user=user)
    on_commit(lambda: notification_services.notify_staff(
        event="kyc.submitted", title=notices.kyc_submitted_title(user), body=notices.kyc_submitted_body(kyc),
        link=reverse("admin:marketplace_cleanerkyc_change", args=[kyc.pk])))
    return kyc


def _review_move(kyc: CleanerKYC, to: str, **changes) -> None:
    """Move details that wait for review; the ones reviewed were the ones submitted (a resubmission
    in between changes ``submitted_at`` and makes the review fail)."""
    waiting = kyc.status == CleanerKYC.Status.PENDING
    try:
        transition(kyc, to, where={"submitted_at": kyc.submitted_at}, **changes)
    except errors.InvalidTransition as exc:
        if waiting:
            raise errors.InvalidTransition(notices.KYC_CHANGED_MEANWHILE) from exc
        raise


def _fund_account(kyc: CleanerKYC) -> dict:
    if kyc.payout_method == CleanerKYC.Method.UPI:
        return {"vpa": {"address": crypto.decrypt(kyc.upi_id_encrypted)}}
    return {"bank_account": {"name": kyc.account_holder_name, "ifsc": kyc.bank_ifsc,
                             "account_number": crypto.decrypt(kyc.bank_account_encrypted)}}


def kyc_review(*, kyc: CleanerKYC, admin: User, action: str, reason: str = "",
               now: datetime | None = None) -> CleanerKYC:
    """An admin verifies (creating the RazorpayX contact and fund account first) or rejects, with a
    reason, details that wait for review."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if action not in REVIEW_ACTIONS:
        raise errors.ValidationFailed(fields={"action": ["Choose verify or reject."]})
    if action == "reject" and not reason:
        raise errors.ValidationFailed(fields={"reason": [notices.KYC_REASON_MISSING]})
    user = kyc.user
    with atomic():
        if action == "verify":
            _review_move(kyc, CleanerKYC.Status.VERIFIED, reviewed_at=now, reviewed_by=admin, rejection_reason="")
            # Inside the transaction: if the gateway refuses, the details stay pending.
            payment_services.payee_account_register(
                user=user, name=kyc.account_holder_name, email=user.email, phone=user.phone,
                account=_fund_account(kyc), destination=kyc.payout_destination)
            event, title, body = "kyc.verified", notices.KYC_VERIFIED_TITLE, notices.KYC_VERIFIED_BODY
        else:
            _review_move(kyc, CleanerKYC.Status.REJECTED, reviewed_at=now, reviewed_by=admin,
                         rejection_reason=reason[:KYC_REJECTION_REASON_MAX])
            payment_services.payee_account_disable(user=user)
            event, title, body = "kyc.rejected", notices.KYC_REJECTED_TITLE, notices.kyc_rejected_body(reason)
    on_commit(lambda: notification_services.notify(user=user, event=event, title=title, body=body,
                                                   link=reverse("marketplace:kyc")))
    return kyc


def kyc_reencrypt() -> int:
    """Every stored ID and payout number under the current (first) key and format, after a key
    rotation; how many records changed."""
    return crypto.reencrypt_rows(CleanerKYC.objects.all(), CleanerKYC.ENCRYPTED_FIELDS)
