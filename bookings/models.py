"""Bookings of a cleaner's service package: the request, its answer, payment, the work, and what follows
(reviews, messages, disputes, a cleaner's cancellations). See docs/bookings.md for the whole lifecycle.

Status changes go through cleanit.statemachine (``status`` reads TRANSITIONS, ``payment_status`` reads
PAYMENT_STATUS_TRANSITIONS). Two bookings of one cleaner can never overlap: each live booking holds its
time as SlotHold cells, unique per cleaner and start."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cleanit.dates import format_datetime
from cleanit.models import BaseModel
from marketplace.models import ServicePackage

from . import rules


class Party(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    CLEANER = "cleaner", "Cleaner"
    SYSTEM = "system", "Cleanit"
    ADMIN = "admin", "Admin"


class Booking(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the cleaner"
        CONFIRMED = "confirmed", "Confirmed"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    TRANSITIONS = {
        Status.PENDING: {Status.CONFIRMED, Status.CANCELLED},
        Status.CONFIRMED: {Status.IN_PROGRESS, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.COMPLETED, Status.CANCELLED},
    }
    LIVE = (Status.PENDING, Status.CONFIRMED, Status.IN_PROGRESS)  # holding the cleaner's time

    class PaymentStatus(models.TextChoices):
        PENDING = "pending", "Not paid"
        PAID = "paid", "Paid"
        PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"
        REFUNDED = "refunded", "Refunded"

    PAYMENT_STATUS_TRANSITIONS = {
        PaymentStatus.PENDING: {PaymentStatus.PAID},
        PaymentStatus.PAID: {PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED},
        PaymentStatus.PARTIALLY_REFUNDED: {PaymentStatus.REFUNDED},
    }

    # When the customer asked: the clock of the 24-hour answer window, set by booking_create (its ``now``).
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    cleaner = models.ForeignKey("marketplace.CleanerProfile", on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey("marketplace.ServicePackage", on_delete=models.PROTECT, related_name="bookings")
    # The package as booked: later edits of the package never change a booking.
    service_name = models.CharField(max_length=100)
    service_type = models.CharField(max_length=20, choices=ServicePackage.ServiceType.choices)
    duration_minutes = models.PositiveIntegerField()
    service_price = models.PositiveBigIntegerField(help_text="paise, the package's price when booked")
    platform_fee = models.PositiveBigIntegerField(help_text=f"paise, {rules.PLATFORM_FEE_PERCENT}% of the price")
    total_price = models.PositiveBigIntegerField(help_text="paise, price + fee: what the customer pays")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=60)
    state = models.CharField(max_length=60)
    pincode = models.CharField(max_length=6)
    special_instructions = models.CharField(max_length=rules.SPECIAL_INSTRUCTIONS_MAX, blank=True)
    # Where the customer is, when they said (the point they searched from or "use my location"): for the
    # admin's coverage figure (verified cleaners near customers). Optional; never shown to the cleaner.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    payment_status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    payment = models.ForeignKey("payments.Payment", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", help_text="the payment that paid it (the latest one opened)")
    paid_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=Party.choices, blank=True)
    cancellation_reason = models.CharField(max_length=rules.CANCELLATION_REASON_MAX, blank=True)
    refund_amount = models.PositiveBigIntegerField(default=0, help_text="paise given back to the customer")
    cleaner_amount = models.PositiveBigIntegerField(
        default=0, help_text="paise the cleaner is paid (set when the money is split: completion or cancellation)")
    fee_amount = models.PositiveBigIntegerField(default=0, help_text="paise the platform keeps")
    payout_due_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                         help_text="the cleaner's share is paid out from then (unless disputed)")
    payout_scheduled = models.BooleanField(default=False)
    reminders_sent = models.JSONField(default=list, blank=True, help_text="keys of the reminders sent (once each)")
    calendar_sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: bumped by each change")

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["customer", "starts_at"]),
            models.Index(fields=["cleaner", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_price=models.F("service_price") + models.F("platform_fee")),
                                   name="booking_total_is_price_plus_fee"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"),
            models.CheckConstraint(condition=models.Q(refund_amount__lte=models.F("total_price")),
                                   name="booking_refund_at_most_total"),
        ]

    def __str__(self):
        return f"{self.service_name} on {format_datetime(self.starts_at)} ({self.get_status_display()})"

    @property
    def escrow_key(self) -> str:
        return f"booking:{self.pk}"

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at)

    @property
    def booking_date(self):
        return self.local_start.date()

    @property
    def start_time(self) -> str:
        return self.local_start.strftime("%H:%M")

    @property
    def end_time(self) -> str:
        end = self.local_end
        return "24:00" if end.date() > self.booking_date and end.hour == 0 and end.minute == 0 \
            else end.strftime("%H:%M")

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.CANCELLED)

    @property
    def contact_visible(self) -> bool:
        """Phones and the street pass between the parties only while the booking is on (confirmed or in
        progress): the API, the pages and the calendar feed all read this."""
        return self.status in (self.Status.CONFIRMED, self.Status.IN_PROGRESS)

    @property
    def answer_by(self):
        """When a pending request expires unanswered: PENDING_ANSWER_WITHIN after it was made, or its start."""
        return min(self.created_at + rules.PENDING_ANSWER_WITHIN, self.starts_at)


class SlotHold(BaseModel):
    """One CELL_MINUTES cell of a cleaner's time held by a live booking. Unique per cleaner and start:
    the insert of an overlapping booking's cells fails, whichever store, however many race."""

    cleaner = models.ForeignKey("marketplace.CleanerProfile", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="holds")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cleaner", "starts_at"], name="one_booking_per_cleaner_cell")]
        indexes = [models.Index(fields=["booking"])]

    def __str__(self):
        return f"{self.cleaner_id} at {format_datetime(self.starts_at)}"


class BookingEvent(BaseModel):
    """The booking's timeline: each move, who made it, and a note (a reason, a refund)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    party = models.CharField(max_length=10, choices=Party.choices)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["booking", "created_at"])]

    def __str__(self):
        return f"{self.action} by {self.party} on {format_datetime(self.created_at)}"


class Review(BaseModel):
    """A customer's review of a completed booking (one per booking). Hidden reviews (an admin's decision,
    with a reason) leave the cleaner's rating and the lists."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="review")
    cleaner = models.ForeignKey("marketplace.CleanerProfile", on_delete=models.PROTECT, related_name="reviews")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written")
    rating = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=rules.REVIEW_COMMENT_MAX, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cleaner", "hidden_at", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=rules.REVIEW_RATING_RANGE[0],
                                                      rating__lte=rules.REVIEW_RATING_RANGE[1]),
                                   name="review_rating_in_range"),
        ]

    def __str__(self):
        return f"{self.rating}★ for {self.booking.service_name}"


class Message(BaseModel):
    """A text message between the two parties of a booking."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(max_length=rules.MESSAGE_MAX)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["booking", "created_at"])]

    def __str__(self):
        return f"{self.sender} on {format_datetime(self.created_at)}"


class Dispute(BaseModel):
    """A customer's report of a problem with a completed booking (within DISPUTE_WINDOW): the payout waits
    until an admin decides."""

    class Category(models.TextChoices):
        NOT_DONE = "not_done", "The work was not done"
        POOR_QUALITY = "poor_quality", "Poor quality"
        DAMAGE = "damage", "Damage or loss"
        LATE = "late", "Late or left early"
        CONDUCT = "conduct", "Behaviour"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Decided"

    TRANSITIONS = {Status.OPEN: {Status.RESOLVED}}

    class Outcome(models.TextChoices):
        FULL_REFUND = "full_refund", "Full refund to the customer"
        PARTIAL_REFUND = "partial_refund", "Partial refund to the customer"
        RELEASE = "release", "Paid to the cleaner"

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="dispute")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.CharField(max_length=rules.DISPUTE_TEXT_MAX)
    photos = models.JSONField(default=list, blank=True, help_text="stored photo names")
    cleaner_response = models.CharField(max_length=rules.DISPUTE_TEXT_MAX, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    refund_amount = models.PositiveBigIntegerField(default=0, help_text="paise refunded by the decision")
    decision_note = models.CharField(max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_category_display()}: {self.booking}"


class CleanerCancellation(BaseModel):
    """A penalty on a cleaner's record: they cancelled (or rejected after payment) a booking."""

    cleaner = models.ForeignKey("marketplace.CleanerProfile", on_delete=models.PROTECT,
                                related_name="cancellation_records")
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="cleaner_cancellation")
    reason = models.CharField(max_length=rules.CANCELLATION_REASON_MAX, blank=True)
    led_to_suspension = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cleaner", "created_at"])]

    def __str__(self):
        return f"{self.cleaner} cancelled {self.booking}"


class CalendarFeed(BaseModel):
    """A cleaner's private iCalendar address: the token in the URL is the only key (a new one revokes
    the old)."""

    cleaner = models.OneToOneField("marketplace.CleanerProfile", on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return f"Calendar of {self.cleaner}"
