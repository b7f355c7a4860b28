"""Money: payments taken through the gateway, the escrow ledger, refunds, webhook events.

``payments`` knows nothing of campaigns or bookings: a payment belongs to a *payable* (a kind and
an id registered by the owning app, see registry.py) and to an *escrow account* (``escrow_key``,
e.g. ``campaign:<id>``) under which its money is held until refunded, paid out or earned as fees."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from cleanit.dates import format_datetime
from cleanit.models import BaseModel
from cleanit.money import format_inr

from .simulator.models import SimOrder, SimPayment, SimPayout, SimRefund, SimWebhook  # noqa: F401


# Crockford's base 32: no I, L, O or U, so a number read out over the phone is not misheard.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_RANDOM_BITS = 50
PAYMENT_RECEIPT_PREFIX = "CLN"
PAYOUT_RECEIPT_PREFIX = "CLN-PO"


def receipt_number(prefix: str, number: int, moment) -> str:
    """'CLN-2026-7KQ4M-2XD9F': the prefix, the year (IST) and ``number`` (RECEIPT_RANDOM_BITS bits) in
    ten letters and digits. Random, not a count: a receipt says nothing about how many there are."""
    code = "".join(RECEIPT_ALPHABET[(number >> shift) & 31] for shift in range(RECEIPT_RANDOM_BITS - 5, -1, -5))
    return f"{prefix}-{timezone.localtime(moment).year}-{code[:5]}-{code[5:]}"


def new_payment_receipt_number() -> str:
    return receipt_number(PAYMENT_RECEIPT_PREFIX, secrets.randbits(RECEIPT_RANDOM_BITS), timezone.now())


def new_payout_receipt_number() -> str:
    return receipt_number(PAYOUT_RECEIPT_PREFIX, secrets.randbits(RECEIPT_RANDOM_BITS), timezone.now())


class Payment(BaseModel):
    class Status(models.TextChoices):
        CREATED = "created", "Awaiting payment"
        CAPTURED = "captured", "Paid"
        FAILED = "failed", "Failed"

    # A failed payment may still be captured: the gateway's success can come after a failure
    # (a retried attempt on the same order). A captured payment is final; money goes back by refunds.
    TRANSITIONS = {
        Status.CREATED: {Status.CAPTURED, Status.FAILED},
        Status.FAILED: {Status.CAPTURED},
    }

    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    payable_kind = models.CharField(max_length=32)
    payable_id = models.CharField(max_length=64)
    escrow_key = models.CharField(max_length=80, db_index=True)
    description = models.CharField(max_length=200)
    amount = models.PositiveBigIntegerField(help_text="paise")
    currency = models.CharField(max_length=3, default="INR")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    gateway_order_id = models.CharField(max_length=64, unique=True)
    gateway_payment_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    receipt_number = models.CharField(max_length=24, unique=True, editable=False, default=new_payment_receipt_number,
                                      help_text="printed on the receipt; unique, so people can quote it")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["payable_kind", "payable_id"]),
            models.Index(fields=["payer", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return f"{self.receipt_number}: {format_inr(self.amount)} for {self.description} ({self.get_status_display()})"


class Refund(BaseModel):
    """One refund of (part of) a captured payment. ``refund_key`` makes asking twice for the same
    refund a no-op; the refund's own id is the gateway idempotency key, so a retried call can
    never refund twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        REFUNDED = "refunded", "Refunded"
        FAILED = "failed", "Failed"

    # processing -> pending: the gateway failed, retried after a backoff. pending | failed ->
    # refunded: the gateway made a refund whose answer we lost (or after we flagged it), and says so
    # by webhook. pending -> failed: the gateway reports the failure of a refund whose answer we lost.
    # failed -> pending: an admin sends it again.
    TRANSITIONS = {
        Status.PENDING: {Status.PROCESSING, Status.REFUNDED, Status.FAILED},
        Status.PROCESSING: {Status.PENDING, Status.REFUNDED, Status.FAILED},
        Status.FAILED: {Status.PENDING, Status.REFUNDED},
    }

    MAX_RETRIES = 3  # after the first attempt; then the refund is flagged for an admin

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    refund_key = models.CharField(max_length=120, unique=True)
    amount = models.PositiveBigIntegerField(help_text="paise")
    reason = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    gateway_refund_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True,
                                   help_text="first handed to the gateway; only a refund we sent can be settled")
    last_error = models.CharField(max_length=500, blank=True)
    flagged = models.BooleanField(default=False, help_text="Needs an admin: retries exhausted or the gateway refused.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return (f"Refund {format_inr(self.amount)} of {self.payment.receipt_number} "
                f"({self.get_status_display()})")


class RefundAuditEntry(BaseModel):
    """Who did what to a refund from the admin (trigger, retry), and why."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "refund audit entries"

    def __str__(self):
        return f"{self.action} on {format_datetime(self.created_at)}"


class LedgerEntry(BaseModel):
    """One movement of escrowed money. Balances are sums of entries, never stored. ``entry_key``
    names the business event (``held:<payment id>``...), so each is recorded exactly once."""

    class Kind(models.TextChoices):
        HELD = "held", "Payment held in escrow"
        REFUNDED = "refunded", "Released: refund"
        PAID_OUT = "paid_out", "Released: payout"
        FEE = "fee", "Platform fee earned"
        REVERSED = "reversed", "Returned: payout reversed by the bank"

    escrow_key = models.CharField(max_length=80, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(help_text="paise")
    entry_key = models.CharField(max_length=120, unique=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    refund = models.ForeignKey(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    reference = models.CharField(max_length=120, blank=True, help_text="payout or other source, by id")

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["escrow_key", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {format_inr(self.amount)} ({self.escrow_key})"


class WebhookEvent(BaseModel):
    """Every verified webhook, stored once by the gateway's event id before it is processed."""

    event_id = models.CharField(max_length=100, unique=True)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["processed_at", "created_at"])]

    def __str__(self):
        return f"{self.event_type} ({self.event_id})"


class PayeeAccount(BaseModel):
    """Where a person's payouts go: the RazorpayX contact and fund account made when an admin
    verified their KYC. Only active accounts receive payouts; new KYC details deactivate it."""

    class Mode(models.TextChoices):
        IMPS = "IMPS", "Bank transfer (IMPS)"
        UPI = "UPI", "UPI"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payee_account")
    contact_id = models.CharField(max_length=40)
    fund_account_id = models.CharField(max_length=40)
    mode = models.CharField(max_length=8, choices=Mode.choices)
    destination = models.CharField(max_length=80, help_text="masked account or UPI id, for display")
    is_active = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.destination} ({self.mode})"


class Payout(BaseModel):
    """Money released from escrow to a person (a cleaner for a verified job; a booking later).

    ``source_kind``/``source_id`` name what it pays for (registered by the owning app, see
    registry.py). The gateway idempotency key is derived from this record and its ``generation``
    (bumped only when an admin sends a definitively failed payout again), so retries and crashes
    mid-batch can never pay twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"

    # processing -> pending: no payout account yet, or the gateway failed (retried after a backoff,
    # or with a new key when the bank failed it). pending | failed -> paid: the gateway made a payout
    # whose answer we lost (or after we flagged it). paid -> failed: the bank reversed it. Any unpaid
    # state -> failed: flagged for an admin (refused, retries exhausted, reversed). failed -> pending:
    # an admin sends it again, or the bank fails one we had flagged while retries remain.
    TRANSITIONS = {
        Status.PENDING: {Status.PROCESSING, Status.PAID, Status.FAILED},
        Status.PROCESSING: {Status.PENDING, Status.PAID, Status.FAILED},
        Status.FAILED: {Status.PENDING, Status.PAID},
        Status.PAID: {Status.FAILED},
    }

    MAX_RETRIES = 3  # after the first attempt; then the payout is flagged for an admin

    payee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    source_kind = models.CharField(max_length=32)
    source_id = models.CharField(max_length=64)
    escrow_key = models.CharField(max_length=80, db_index=True)
    description = models.CharField(max_length=200)
    amount = models.PositiveBigIntegerField(help_text="paise")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(help_text="not sent before this time")
    next_attempt_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    generation = models.PositiveSmallIntegerField(default=1)
    lease_until = models.DateTimeField(null=True, blank=True,
                                       help_text="a processing payout with no gateway id is sent again after this")
    fund_account_id = models.CharField(max_length=40, blank=True, help_text="fixed at the first attempt")
    mode = models.CharField(max_length=8, blank=True)
    gateway_payout_id = models.CharField(max_length=40, null=True, blank=True, unique=True)
    utr = models.CharField(max_length=40, blank=True)
    flagged = models.BooleanField(default=False, help_text="Needs an admin: retries exhausted, refused or reversed.")
    last_error = models.CharField(max_length=500, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    receipt_number = models.CharField(max_length=24, unique=True, editable=False, default=new_payout_receipt_number,
                                      help_text="printed on the payout receipt; unique, so people can quote it")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["source_kind", "source_id"], name="one_payout_per_source")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["payee", "created_at"]),
            models.Index(fields=["status", "lease_until"]),
        ]

    def __str__(self):
        return f"{self.receipt_number}: {format_inr(self.amount)} to {self.payee} ({self.get_status_display()})"

    @property
    def idempotency_key(self) -> str:
        """4-36 characters of [A-Za-z0-9_-], as RazorpayX asks: our id plus the generation."""
        return f"{self.pk.hex}-{self.generation}"


class PayoutAuditEntry(BaseModel):
    """Who did what to a payout from the admin (retry, resolve), and why."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "payout audit entries"

    def __str__(self):
        return f"{self.action} on {format_datetime(self.created_at)}"


class ReconciliationRun(BaseModel):
    """One comparison of our payments, refunds and payouts with the gateway's records."""

    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(default=0)
    mismatch_count = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0, help_text="records the gateway could not be asked about")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        mismatches = f"{self.mismatch_count} mismatch{'' if self.mismatch_count == 1 else 'es'}"
        return f"Reconciliation of {format_datetime(self.created_at)} ({mismatches})"


class ReconciliationMismatch(BaseModel):
    class Kind(models.TextChoices):
        PAYMENT = "payment", "Payment"
        REFUND = "refund", "Refund"
        PAYOUT = "payout", "Payout"

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="mismatches")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.CharField(max_length=64)
    gateway_id = models.CharField(max_length=64, blank=True)
    ours = models.CharField(max_length=120, help_text="our status and amount")
    theirs = models.CharField(max_length=120, help_text="the gateway's status and amount")
    detail = models.CharField(max_length=255)

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name_plural = "reconciliation mismatches"

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}: {self.detail}"
