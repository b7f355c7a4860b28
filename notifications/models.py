from django.conf import settings
from django.db import models

from cleanit.models import BaseModel

from .catalogue import Category


class Notification(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    category = models.CharField(max_length=16, choices=Category.choices)
    event = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    is_read = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by senders that must not repeat themselves (a retried task, "one per day" rules).
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "is_read", "created_at"]),
            models.Index(fields=["user", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_unique_dedupe_key_per_user"),
        ]

    def __str__(self):
        return f"{self.title} (to {self.user})"


class NotificationPreference(BaseModel):
    """Per-category switches. A user without a row gets everything (the defaults below)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    bookings = models.BooleanField(default=True)
    campaigns = models.BooleanField(default=True)
    jobs = models.BooleanField(default=True)
    payments = models.BooleanField(default=True)

    def __str__(self):
        return f"Notification settings of {self.user}"

    def allows(self, category: str) -> bool:
        return getattr(self, category, True)
