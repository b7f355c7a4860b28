"""Completing a claimed job with an after-photo: evidence read from its EXIF, flags for the admin."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.geo import distance_metres
from cleanit.images import PhotoMetadata, phash_distance, process_image
from cleanit.statemachine import transition
from jobs import errors as job_errors
from jobs import notices, rules
from jobs.models import CleanerJobStats, Job
from notifications.services import notify, notify_staff


def _evidence_flags(*, job: Job, metadata: PhotoMetadata, phash: str,
                    stats: CleanerJobStats) -> tuple[list[str], float | None]:
    flags: list[str] = []
    distance = None
    campaign = job.campaign
    if not metadata.has_gps:
        flags.append(Job.Flag.GPS_MISSING)
    else:
        distance = distance_metres(metadata.latitude, metadata.longitude, campaign.latitude, campaign.longitude)
        if distance > rules.LOCATION_TOLERANCE_METRES:
            flags.append(Job.Flag.LOCATION_MISMATCH)
    if metadata.taken_at is not None and job.claimed_at \
            and metadata.taken_at < job.claimed_at - rules.CAMERA_CLOCK_TOLERANCE:
        flags.append(Job.Flag.TIMESTAMP_BEFORE_CLAIM)
    if _picture_seen_before(phash, job):
        flags.append(Job.Flag.PHOTO_REUSED)
    if stats.completion_rate is not None and stats.completion_rate < rules.LOW_COMPLETION_RATE:
        flags.append(Job.Flag.LOW_COMPLETION_RATE)
    return [str(flag) for flag in flags], distance


def _picture_seen_before(phash: str, job: Job) -> bool:
    """Equal or near any earlier before-photo (any campaign, this one included) or after-photo
    (any other job). One column scan each; hashes are 16 hex digits."""
    earlier = Campaign.objects.exclude(photo_phash="").values_list("photo_phash", flat=True).iterator()
    if any(phash_distance(phash, other) <= rules.SAME_PICTURE_MAX_DISTANCE for other in earlier):
        return True
    earlier = Job.objects.exclude(pk=job.pk).exclude(photo_phash="").values_list("photo_phash", flat=True).iterator()
    return any(phash_distance(phash, other) <= rules.SAME_PICTURE_MAX_DISTANCE for other in earlier)


def job_complete(*, job: Job, cleaner, photo, now: datetime | None = None) -> Job:
    """The claimer proves the cleanup with an after-photo (PHOTO_FORMATS, at most PHOTO_MAX_BYTES).
    Evidence is read from its EXIF before the stored copy keeps only GPS and time; flags go to the admin."""
    now = now or timezone.now()
    if job.claimed_by_id != cleaner.pk:
        raise job_errors.NotClaimer(notices.ONLY_CLAIMER_COMPLETES)
    if job.status != Job.Status.CLAIMED:
        raise errors.InvalidTransition(notices.ONLY_CLAIMED_COMPLETES)
    image = process_image(photo, allowed_formats=rules.PHOTO_FORMATS, max_bytes=rules.PHOTO_MAX_BYTES,
                          keep_gps_and_time=True)
    stats, _ = CleanerJobStats.objects.get_or_create(user=cleaner)
    stats.completions += 1  # this completion counts towards the rate it is judged by
    stats.active_claims -= 1
    flags, distance = _evidence_flags(job=job, metadata=image.metadata, phash=image.phash, stats=stats)
    first_time = stats.verified == 0
    job.after_photo.save(image.content.name, image.content, save=False)  # stored; the row follows below
    metadata = image.metadata
    with atomic():
        try:
            transition(job, Job.Status.COMPLETED, sources=[Job.Status.CLAIMED], where={"claimed_by": cleaner},
                       completed_at=now, after_photo=job.after_photo.name, photo_phash=image.phash,
                       photo_latitude=metadata.latitude, photo_longitude=metadata.longitude,
                       photo_taken_at=metadata.taken_at, distance_m=distance, flags=flags,
                       first_time_cleaner=first_time)
        except errors.InvalidTransition:
            job.after_photo.delete(save=False)
            raise errors.InvalidTransition(notices.NO_LONGER_YOURS) from None
        CleanerJobStats.objects.filter(user=cleaner).update(
            active_claims=F("active_claims") - 1, completions=F("completions") + 1)
    job.refresh_from_db()
    title = job.campaign.title
    creator = job.campaign.creator

    def announce():
        notify(user=creator, event="job.completed", link=reverse("campaigns:detail", args=[job.campaign_id]),
               **notices.completed_for_creator(title))
        notify_staff(event="job.completed", link=reverse("admin:dashboard_verification_queue"),
                     **notices.completed_for_staff(job, title, cleaner, flags))

    on_commit(announce)
    return job
