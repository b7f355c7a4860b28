"""The gateway simulator's own records, standing in for Razorpay's side of the world. The app
never reads these: it sees them only through the razorpay client and signed webhooks."""

from django.db import models


class SimOrder(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    receipt = models.CharField(max_length=40, blank=True)
    notes = models.JSONField(default=dict)
    status = models.CharField(max_length=16, default="created")  # created | attempted | paid
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)


class SimPayment(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    order = models.ForeignKey(SimOrder, on_delete=models.CASCADE, related_name="payments")
    amount = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16)  # captured | failed
    amount_refunded = models.PositiveBigIntegerField(default=0)
    error_description = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class SimRefund(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    payment = models.ForeignKey(SimPayment, on_delete=models.CASCADE, related_name="refunds")
    amount = models.PositiveBigIntegerField()
    idempotency_key = models.CharField(max_length=64, unique=True)
    notes = models.JSONField(default=dict)
    receipt = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=16, default="processed")
    created_at = models.DateTimeField(auto_now_add=True)


class SimPayout(models.Model):
    id = models.CharField(primary_key=True, max_length=40)
    idempotency_key = models.CharField(max_length=64, unique=True)
    fund_account_id = models.CharField(max_length=40)
    amount = models.PositiveBigIntegerField()
    mode = models.CharField(max_length=8)
    purpose = models.CharField(max_length=32)
    reference_id = models.CharField(max_length=40, blank=True)
    narration = models.CharField(max_length=30, blank=True)
    notes = models.JSONField(default=dict)
    status = models.CharField(max_length=16, default="processing")
    utr = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class SimWebhook(models.Model):
    """Outbox of webhooks the simulator owes the app; delivered (and retried) by a Celery task."""

    event_id = models.CharField(primary_key=True, max_length=40)
    event_type = models.CharField(max_length=40)
    body = models.TextField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
