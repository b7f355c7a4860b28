"""Money: payments taken through the gateway, the escrow ledger, refunds, webhook events.

``payments`` knows nothing of campaigns or bookings: a payment belongs to a *payable* (a kind and
an id registered by the owning app, see registry.py) and to an *escrow account* (``escrow_key``,
e.g. ``campaign:<id>``) under which its money is held until refunded, paid out or earned as fees."""

from django.conf import settings
from django.db import models

from cleanit.models import BaseModel

from .simulator.models import SimOrder, SimPayment, SimPayout, SimRefund, SimWebhook  # noqa: F401


class Payment(BaseModel):
    class Status(models.TextChoices):
        CREATED = "created", "Awaiting payment"
        CAPTURED = "captured", "Paid"
        FAILED = "failed", "Failed"

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

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["payable_kind", "payable_id"]),
            models.Index(fields=["payer", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return f"{self.description} ({self.amount} paise, {self.status})"


class Refund(BaseModel):
    """One refund of (part of) a captured payment. ``refund_key`` makes asking twice for the same
    refund a no-op; the refund's own id is the gateway idempotency key, so a retried call can
    never refund twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        REFUNDED = "refunded", "Refunded"
        FAILED = "failed", "Failed"

    MAX_RETRIES = 3  # after the first attempt; then the refund is flagged for an admin

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    refund_key = models.CharField(max_length=120, unique=True)
    amount = models.PositiveBigIntegerField(help_text="paise")
    reason = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    gateway_refund_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    flagged = models.BooleanField(default=False, help_text="Needs an admin: retries exhausted or the gateway refused.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"refund {self.amount} paise of {self.payment_id} ({self.status})"


class RefundAuditEntry(BaseModel):
    """Who did what to a refund from the admin (trigger, retry), and why."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at"]


class LedgerEntry(BaseModel):
    """One movement of escrowed money. Balances are sums of entries, never stored. ``entry_key``
    names the business event (``held:<payment id>``...), so each is recorded exactly once."""

    class Kind(models.TextChoices):
        HELD = "held", "Payment held in escrow"
        REFUNDED = "refunded", "Released: refund"
        PAID_OUT = "paid_out", "Released: payout"
        FEE = "fee", "Platform fee earned"

    escrow_key = models.CharField(max_length=80, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(help_text="paise")
    entry_key = models.CharField(max_length=120, unique=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    refund = models.ForeignKey(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    reference = models.CharField(max_length=120, blank=True, help_text="payout or other source, by id")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["escrow_key", "kind"])]


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
