"""The numbers jobs live by. Services and selectors enforce them and notices quote them, from here."""

from __future__ import annotations

from datetime import timedelta

CLEANER_SHARE_PERCENT = 95  # the platform keeps the rest (5%) as its fee
JOB_LIFETIME = timedelta(days=90)
REOFFER_LIFETIME = timedelta(days=30)  # at least this long on the board again when an admin re-offers a job
COMPLETION_TIME = timedelta(days=7)
UNCLAIM_NOTICE = timedelta(hours=24)
RETRY_TIME = timedelta(days=2)  # at least this long to redo a job rejected with retry
MAX_ACTIVE_CLAIMS = 5
MAX_RELEASES = 3  # a job auto-released this often goes to an admin instead of the board
MAX_PENALTIES = 3  # missed deadlines before a cleaner is suspended
MAX_REJECTIONS = 3  # more than this flags the cleaner
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
LOCATION_TOLERANCE_METRES = 500
# EXIF times have whole seconds and phone clocks drift: "before the claim" means clearly before.
CAMERA_CLOCK_TOLERANCE = timedelta(minutes=5)
SAME_PICTURE_MAX_DISTANCE = 6  # of 64 perceptual-hash bits: re-encoded, resized or lightly edited copies
LOW_COMPLETION_RATE = 0.6
PAYOUT_DELAY = timedelta(hours=24)
PAYOUT_SOURCE = "job"
# Deadline reminders, each sent once per deadline: (name in the dedupe key, how long before the deadline).
REMINDERS = (("1h", timedelta(hours=1)), ("24h", timedelta(hours=24)))
# The verification queue's order and the SLA figures.
URGENT_AFTER = timedelta(hours=48)
WAITING_LONG_AFTER = timedelta(hours=24)
HIGH_VALUE = 5_000_00  # ₹5,000 in paise
SLA_ALERT_QUEUE_LENGTH = 20
SLA_WINDOW = timedelta(days=30)


def duration(value: timedelta) -> str:
    """'7 days', '24 hours', '1 hour', '5 minutes': how notices quote a rule's duration."""
    seconds = int(value.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0 and seconds >= size and not (unit == "day" and seconds <= 2 * 86400):
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"
