"""Jobs: the paid work a funded campaign becomes. One job per campaign; cleaners claim it,
complete it with an after-photo, an admin verifies it and the cleaner is paid from the
campaign's escrow."""

from django.conf import settings
from django.db import models

from cleanit.dates import format_datetime
from cleanit.models import BaseModel

from . import rules


class RejectionReason(models.TextChoices):
    POOR_QUALITY = "poor_quality", "Poor quality"
    WRONG_LOCATION = "wrong_location", "Wrong location"
    FAKE_COMPLETION = "fake_completion", "Fake completion"
    PHOTO_ISSUES = "photo_issues", "Photo issues"
    OTHER = "other", "Other"


class Job(BaseModel):
    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        CLAIMED = "claimed", "Claimed"
        COMPLETED = "completed", "Waiting for verification"
        VERIFIED = "verified", "Verified"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"

    # The state machine: every transition is a conditional update from one of these sources.
    # To failed: from available when an admin cancels the job or its campaign is cancelled, from
    # claimed when its campaign is cancelled, from completed when rejected without retry.
    TRANSITIONS = {
        Status.AVAILABLE: {Status.CLAIMED, Status.FAILED},
        Status.CLAIMED: {Status.AVAILABLE, Status.COMPLETED, Status.FAILED},
        Status.COMPLETED: {Status.VERIFIED, Status.CLAIMED, Status.FAILED},
        Status.VERIFIED: {Status.PAID},
        Status.PAID: {Status.VERIFIED},  # only when the bank reverses the payout
    }

    class Flag(models.TextChoices):
        GPS_MISSING = "gps_missing", "No GPS position in the photo"
        LOCATION_MISMATCH = ("location_mismatch",
                             f"Photo taken more than {rules.LOCATION_TOLERANCE_METRES} m from the campaign")
        TIMESTAMP_BEFORE_CLAIM = "timestamp_before_claim", "Photo taken before the job was claimed"
        PHOTO_REUSED = "photo_reused", "Same picture as an earlier photo"
        LOW_COMPLETION_RATE = ("low_completion_rate",
                               f"Cleaner completes under {rules.LOW_COMPLETION_RATE:.0%} of claims")

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.PROTECT, related_name="job")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    amount = models.PositiveBigIntegerField(help_text="paise, paid to the cleaner (95% of the amount raised)")
    platform_fee = models.PositiveBigIntegerField(help_text="paise (5% of the amount raised)")
    expires_at = models.DateTimeField(db_index=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="jobs")
    claimed_at = models.DateTimeField(null=True, blank=True)
    completion_deadline = models.DateTimeField(null=True, blank=True)
    last_claimer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="the cleaner who last lost or gave up the job")
    claim_count = models.PositiveIntegerField(default=0)
    release_count = models.PositiveIntegerField(default=0, help_text="automatic releases for missed deadlines")
    completed_at = models.DateTimeField(null=True, blank=True)
    after_photo = models.ImageField(upload_to="jobs/after/", max_length=200, blank=True)
    photo_latitude = models.FloatField(null=True, blank=True)
    photo_longitude = models.FloatField(null=True, blank=True)
    photo_taken_at = models.DateTimeField(null=True, blank=True)
    photo_phash = models.CharField(max_length=16, blank=True)
    distance_m = models.FloatField(null=True, blank=True, help_text="photo position to the campaign, metres")
    flags = models.JSONField(default=list, blank=True)
    first_time_cleaner = models.BooleanField(default=False, help_text="the cleaner had no verified job yet")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    verify_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="completion to decision")
    rejection_count = models.PositiveIntegerField(default=0)
    last_rejection_reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    last_rejection_notes = models.CharField(max_length=500, blank=True)
    needs_review = models.BooleanField(default=False, help_text="held back from the board for an admin")
    review_note = models.CharField(max_length=255, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    # Set on the board's results from a point (jobs.selectors), None elsewhere; distance_m is the photo's.
    distance_km: float | None = None

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "needs_review", "created_at"]),
            # The board's usual orders (jobs.selectors.SORTS: newest, highest pay). Django writes
            # needs_review=False as "NOT needs_review", which SQLite cannot look up in the index above: it sorted
            # every available job for each page (8 ms of a 22 ms board at 2,000 jobs); with these it reads the
            # page in order. No index for "expiring": SQLite then takes it for the expires_at range of every
            # board query and sorts again (EXPLAIN QUERY PLAN showed it).
            models.Index(fields=["status", "created_at"], name="job_board_newest"),
            models.Index(fields=["status", "amount", "created_at"], name="job_board_amount"),
            models.Index(fields=["status", "completed_at"]),
            models.Index(fields=["status", "completion_deadline"]),
            models.Index(fields=["claimed_by", "status"]),
        ]

    def __str__(self):
        return f"Job: {self.campaign.title}" if self.campaign_id else "Job"

    @property
    def deadline_running(self) -> bool:
        """Only a claimed job is on the clock: once the photo is sent the deadline is met, and no page
        shows time left."""
        return self.status == self.Status.CLAIMED and self.completion_deadline is not None


class CleanerJobStats(BaseModel):
    """A cleaner's record with jobs. ``active_claims`` is the race-safe claim limit: a claim
    reserves a slot with a conditional increment (``active_claims < 5``) in the same transaction
    that takes the job."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_stats")
    active_claims = models.PositiveIntegerField(default=0)
    claims = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    rejections = models.PositiveIntegerField(default=0)
    releases = models.PositiveIntegerField(default=0)
    penalties = models.PositiveIntegerField(default=0)
    flagged = models.BooleanField(default=False, help_text="more than 3 rejections")

    class Meta:
        verbose_name_plural = "cleaner job stats"

    def __str__(self):
        return f"job record of {self.user}"

    @property
    def completion_rate(self) -> float | None:
        """Completed share of the claims that are over (completed, missed or given back); claims still
        running do not count against it. None before the first one is over."""
        finished = self.claims - self.active_claims
        return min(1.0, self.completions / finished) if finished > 0 else None


class JobReview(BaseModel):
    """An admin's decision on a completed job, kept as history."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="reviews")
    admin = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleaner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    allow_retry = models.BooleanField(default=False)
    after_photo = models.CharField(max_length=200, blank=True, help_text="the photo decided on")
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        reason = f" ({self.get_reason_display().lower()})" if self.reason else ""
        return f"{self.get_action_display()}{reason} on {format_datetime(self.created_at)}"
