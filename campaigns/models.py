from django.conf import settings
from django.db import models
from django.utils import timezone

from cleanit.db import parse_uuid
from cleanit.models import BaseModel
from cleanit.money import format_inr

ESCROW_KEY_PREFIX = "campaign:"  # a campaign's escrow account: "campaign:<id>"


class Campaign(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Waiting for approval"
        ACTIVE = "active", "Raising funds"
        FUNDED = "funded", "Funded"
        COMPLETED = "completed", "Cleaned"
        CLOSED = "closed", "Closed"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"

    # The state machine: every transition is a conditional update from one of these sources.
    TRANSITIONS = {
        Status.DRAFT: {Status.ACTIVE, Status.CANCELLED},
        Status.ACTIVE: {Status.FUNDED, Status.EXPIRED, Status.CANCELLED},
        Status.FUNDED: {Status.COMPLETED, Status.CANCELLED},
        Status.COMPLETED: {Status.CLOSED},
        Status.CLOSED: {Status.COMPLETED},  # only when the bank reverses the cleaner's payout
    }
    OPEN_STATUSES = (Status.DRAFT, Status.ACTIVE)
    RUNNING_STATUSES = (Status.DRAFT, Status.ACTIVE, Status.FUNDED)  # not ended, not yet cleaned

    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(max_length=100)
    description = models.TextField(max_length=1000)
    target_amount = models.PositiveBigIntegerField(help_text="paise")
    amount_raised = models.PositiveBigIntegerField(default=0, help_text="paise")
    contributor_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    address = models.CharField(max_length=255)
    city = models.CharField(max_length=60, blank=True, help_text="town or city, as people name it (list filter)")
    photo = models.ImageField(upload_to="campaigns/", max_length=200)
    photo_phash = models.CharField(max_length=16, blank=True, help_text="perceptual hash of the photo")
    after_photo = models.ImageField(upload_to="campaigns/after/", max_length=200, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, help_text="the cleanup was verified")
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    funded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="expired, cancelled or closed")
    cancel_reason = models.CharField(max_length=255, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    flagged_spam = models.BooleanField(default=False)
    spam_note = models.CharField(max_length=255, blank=True)

    # Set on the results of a search from a point (campaigns.selectors), None elsewhere.
    distance_km: float | None = None

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["creator", "created_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def escrow_key(self) -> str:
        return f"{ESCROW_KEY_PREFIX}{self.pk}"

    @staticmethod
    def id_in_escrow_key(escrow_key: str):
        """The id of the campaign whose escrow account ``escrow_key`` names; None for another account."""
        return parse_uuid(escrow_key.removeprefix(ESCROW_KEY_PREFIX)) if escrow_key.startswith(ESCROW_KEY_PREFIX) \
            else None

    @property
    def progress_percent(self) -> int:
        if not self.target_amount:
            return 0
        return min(100, int(self.amount_raised * 100 / self.target_amount))

    @property
    def days_left(self) -> int | None:
        if self.status != self.Status.ACTIVE or not self.expires_at:
            return None
        return max(0, (self.expires_at - timezone.now()).days)

    @property
    def remaining_amount(self) -> int:
        return max(0, self.target_amount - self.amount_raised)


class Contribution(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        CREDITED = "credited", "Credited"
        FAILED = "failed", "Payment failed"
        REFUNDING = "refunding", "Refund on its way"
        REFUNDED = "refunded", "Refunded"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="contributions")
    contributor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions")
    amount = models.PositiveBigIntegerField(help_text="paise")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    payment = models.OneToOneField("payments.Payment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="contribution")
    credited_at = models.DateTimeField(null=True, blank=True)
    refund_reason = models.CharField(max_length=255, blank=True)
    counts_backer = models.BooleanField(
        default=False, help_text="The credited contribution that counts its contributor among the campaign's backers "
                                 "(one a person: a unique constraint decides it, so contributor_count is race-safe)")

    # The state machine: credited once the gateway confirms (a failed payment may still be captured
    # late); a credited contribution is refunded through the gateway (refunding), or straight to
    # refunded when a refund of its payment is settled without passing through refunding (admin refund).
    TRANSITIONS = {
        Status.PENDING: {Status.CREDITED, Status.FAILED},
        Status.FAILED: {Status.CREDITED},
        Status.CREDITED: {Status.REFUNDING, Status.REFUNDED},
        Status.REFUNDING: {Status.REFUNDED},
    }

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["contributor", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "contributor"], condition=models.Q(counts_backer=True),
                                    name="one_backer_contribution_per_person"),
        ]

    def __str__(self):
        return f"Contribution {format_inr(self.amount)} to {self.campaign.title}"

    @property
    def refunded_at(self):
        """When the refund of a refunded contribution was settled (from its payment's refunds: the
        selectors that show it prefetch them)."""
        if self.status != self.Status.REFUNDED or self.payment is None:
            return None
        return max((refund.refunded_at for refund in self.payment.refunds.all() if refund.refunded_at), default=None)
