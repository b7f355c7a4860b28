"""Job use-cases: creation from a funded campaign, claim (race-safe, limited), unclaim, complete
with photo evidence, admin verification, hourly auto-release with penalties, reminders, and the
payout callbacks that close the loop.

Every transition is a conditional update on ``status`` (see Job.TRANSITIONS) whose row count
decides who won; counters move with F() in the same transaction."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Campaign
from cleanit import errors
from cleanit.db import atomic, on_commit
from cleanit.geo import distance_metres
from cleanit.images import PhotoMetadata, phash_distance, process_image
from cleanit.money import format_inr
from cleanit.periodic import JobResult
from marketplace import selectors as marketplace_selectors
from marketplace import services as marketplace_services
from marketplace.models import CleanerKYC, Role
from notifications.models import Notification
from notifications.services import notify, notify_many
from payments import services as payment_services
from payments.models import LedgerEntry, Payout

from .models import CleanerJobStats, Job, JobReview, RejectionReason

logger = logging.getLogger(__name__)

CLEANER_SHARE_PERCENT = 95  # the platform keeps the rest (5%) as its fee
JOB_LIFETIME = timedelta(days=90)
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


class AlreadyClaimed(errors.Conflict):
    code = "already_claimed"
    default_message = "Another cleaner has already claimed this job."


class JobNotAvailable(errors.Conflict):
    code = "job_not_available"
    default_message = "This job is not open for claims."


class PreviouslyReleased(errors.NotAllowed):
    code = "previously_released"
    default_message = "You gave up or missed the deadline on this job, so another cleaner gets it now."


class ClaimLimit(errors.LimitExceeded):
    code = "claim_limit"
    default_message = f"You already have {MAX_ACTIVE_CLAIMS} active jobs. Complete one before claiming another."


class InvalidTransition(errors.Conflict):
    code = "invalid_transition"


def _link(job_id) -> str:
    return reverse("jobs:detail", args=[job_id])


def _admins():
    return get_user_model().objects.filter(is_staff=True, is_active=True)


# --- creation ------------------------------------------------------------------------------------

def split_amount(raised: int) -> tuple[int, int]:
    """(cleaner amount, platform fee): 95% / 5% of what was raised, the fee taking the rounding."""
    amount = raised * CLEANER_SHARE_PERCENT // 100
    return amount, raised - amount


def job_create_for_campaign(*, campaign: Campaign, now: datetime | None = None) -> Job | None:
    """Exactly one job per funded campaign (a second call, concurrent or not, returns the first)."""
    now = now or timezone.now()
    existing = Job.objects.filter(campaign=campaign).first()
    if existing or campaign.status != Campaign.Status.FUNDED:
        return existing
    amount, fee = split_amount(campaign.amount_raised)
    try:
        with atomic():
            job = Job.objects.create(campaign=campaign, amount=amount, platform_fee=fee,
                                     expires_at=(campaign.funded_at or now) + JOB_LIFETIME)
    except IntegrityError:
        return Job.objects.get(campaign=campaign)
    on_commit(_announce_jobs_soon)
    return job


def _announce_jobs_soon() -> None:
    from .tasks import announce_available_jobs

    announce_available_jobs.delay()


def jobs_announce(*, now: datetime | None = None) -> int:
    """Tell every active, KYC-verified cleaner (who has not muted jobs) that jobs are available: at
    most one such notification per cleaner per day (IST), whatever their location."""
    now = now or timezone.now()
    if not Job.objects.filter(status=Job.Status.AVAILABLE, needs_review=False, expires_at__gt=now).exists():
        return 0
    dedupe_key = f"job.available:{timezone.localtime(now).date().isoformat()}"
    # Cleaners told today are left out in the query, so repeated runs cost one query, not one per cleaner.
    cleaners = (get_user_model().objects.filter(role=Role.CLEANER, is_active=True,
                                                kyc__status=CleanerKYC.Status.VERIFIED)
                .exclude(pk__in=Notification.objects.filter(dedupe_key=dedupe_key).values("user_id")))
    return notify_many(users=cleaners, event="job.available", title="New cleanup jobs are available",
                       body="Community cleanups are funded and waiting for a cleaner. Claim one on the jobs board.",
                       link=reverse("jobs:board"), dedupe_key=dedupe_key)


def jobs_create_missing(*, now: datetime) -> int:
    """Safety net for a lost ``campaign_funded`` signal (a crash right after the commit)."""
    created = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.FUNDED, job__isnull=True):
        created += job_create_for_campaign(campaign=campaign, now=now) is not None
    return created


# --- claim / unclaim -----------------------------------------------------------------------------

def _check_may_claim(cleaner) -> None:
    if not cleaner.is_cleaner:
        raise errors.NotAllowed("Only cleaners can claim jobs.", code="not_a_cleaner")
    if cleaner.is_suspended or not cleaner.is_active:
        raise marketplace_services.AccountSuspended()
    if not marketplace_selectors.kyc_is_verified(user=cleaner):
        raise errors.NotAllowed("Your KYC must be verified before you can claim jobs.", code="kyc_required")


def job_claim(*, job: Job, cleaner, now: datetime | None = None) -> Job:
    """Take an available job: one winner among any number of concurrent claims (409 for the rest),
    at most 5 active claims per cleaner (429), never by the cleaner who last lost it."""
    now = now or timezone.now()
    _check_may_claim(cleaner)
    CleanerJobStats.objects.get_or_create(user=cleaner)
    with atomic():
        reserved = CleanerJobStats.objects.filter(user=cleaner, active_claims__lt=MAX_ACTIVE_CLAIMS).update(
            active_claims=F("active_claims") + 1, claims=F("claims") + 1)
        if not reserved:
            raise ClaimLimit()
        won = (Job.objects.filter(pk=job.pk, status=Job.Status.AVAILABLE, needs_review=False, expires_at__gt=now)
               .exclude(last_claimer=cleaner)
               .update(status=Job.Status.CLAIMED, claimed_by=cleaner, claimed_at=now,
                       completion_deadline=now + COMPLETION_TIME, claim_count=F("claim_count") + 1))
        if not won:
            job.refresh_from_db()
            if job.status == Job.Status.CLAIMED:
                raise AlreadyClaimed()
            if job.expires_at <= now:
                raise JobNotAvailable("This job has expired.", code="job_expired")
            if job.last_claimer_id == cleaner.pk:
                raise PreviouslyReleased()
            raise JobNotAvailable()
    job.refresh_from_db()
    creator = job.campaign.creator
    on_commit(lambda: notify(
        user=creator, event="job.claimed", title=f"A cleaner took on “{job.campaign.title}”",
        body=f"{cleaner.get_short_name()} will clean it by {timezone.localtime(job.completion_deadline):%d %b %Y}.",
        link=reverse("campaigns:detail", args=[job.campaign_id])))
    return job


def job_unclaim(*, job: Job, cleaner, reason: str, now: datetime | None = None) -> Job:
    """Give a claimed job back, with a reason, more than 24 hours before its deadline: no penalty."""
    now = now or timezone.now()
    reason = " ".join((reason or "").split())
    if job.claimed_by_id != cleaner.pk or job.status != Job.Status.CLAIMED:
        raise errors.NotAllowed("Only the cleaner who claimed this job can give it back.", code="not_claimer")
    if not reason:
        raise errors.ValidationFailed(fields={"reason": ["Tell us why you are giving this job back."]})
    if job.completion_deadline - now <= UNCLAIM_NOTICE:
        raise errors.Conflict("Less than 24 hours before the deadline a job can no longer be given back.",
                              code="unclaim_too_late")
    with atomic():
        released = Job.objects.filter(pk=job.pk, status=Job.Status.CLAIMED, claimed_by=cleaner).update(
            status=Job.Status.AVAILABLE, claimed_by=None, claimed_at=None, completion_deadline=None,
            last_claimer=cleaner, review_note=f"Given back: {reason}"[:255])
        if not released:
            raise InvalidTransition("This job is no longer claimed by you.")
        CleanerJobStats.objects.filter(user=cleaner, active_claims__gt=0).update(active_claims=F("active_claims") - 1)
    job.refresh_from_db()
    on_commit(_announce_jobs_soon)
    return job


# --- completion ----------------------------------------------------------------------------------

def _evidence_flags(*, job: Job, metadata: PhotoMetadata, phash: str, stats: CleanerJobStats) -> tuple[list[str], float | None]:
    flags: list[str] = []
    distance = None
    campaign = job.campaign
    if not metadata.has_gps:
        flags.append(Job.Flag.GPS_MISSING)
    else:
        distance = distance_metres(metadata.latitude, metadata.longitude, campaign.latitude, campaign.longitude)
        if distance > LOCATION_TOLERANCE_METRES:
            flags.append(Job.Flag.LOCATION_MISMATCH)
    if metadata.taken_at is not None and job.claimed_at and metadata.taken_at < job.claimed_at - CAMERA_CLOCK_TOLERANCE:
        flags.append(Job.Flag.TIMESTAMP_BEFORE_CLAIM)
    if _picture_seen_before(phash, job):
        flags.append(Job.Flag.PHOTO_REUSED)
    if stats.completion_rate is not None and stats.completion_rate < LOW_COMPLETION_RATE:
        flags.append(Job.Flag.LOW_COMPLETION_RATE)
    return [str(flag) for flag in flags], distance


def _picture_seen_before(phash: str, job: Job) -> bool:
    """Equal or near any earlier before-photo (any campaign, this one included) or after-photo
    (any other job). One column scan each; hashes are 16 hex digits."""
    earlier = Campaign.objects.exclude(photo_phash="").values_list("photo_phash", flat=True).iterator()
    if any(phash_distance(phash, other) <= SAME_PICTURE_MAX_DISTANCE for other in earlier):
        return True
    earlier = Job.objects.exclude(pk=job.pk).exclude(photo_phash="").values_list("photo_phash", flat=True).iterator()
    return any(phash_distance(phash, other) <= SAME_PICTURE_MAX_DISTANCE for other in earlier)


def job_complete(*, job: Job, cleaner, photo, now: datetime | None = None) -> Job:
    """The claimer proves the cleanup with an after-photo (JPG/PNG/WEBP, max 10 MB). Evidence is
    read from its EXIF before the stored copy keeps only GPS and time; flags go to the admin."""
    now = now or timezone.now()
    if job.claimed_by_id != cleaner.pk:
        raise errors.NotAllowed("Only the cleaner who claimed this job can complete it.", code="not_claimer")
    if job.status != Job.Status.CLAIMED:
        raise InvalidTransition("Only a claimed job can be completed.")
    image = process_image(photo, allowed_formats=PHOTO_FORMATS, max_bytes=PHOTO_MAX_BYTES, keep_gps_and_time=True)
    stats, _ = CleanerJobStats.objects.get_or_create(user=cleaner)
    stats.completions += 1  # this completion counts towards the rate it is judged by
    stats.active_claims -= 1
    flags, distance = _evidence_flags(job=job, metadata=image.metadata, phash=image.phash, stats=stats)
    first_time = stats.verified == 0
    job.after_photo.save(image.content.name, image.content, save=False)  # stored; the row follows below
    metadata = image.metadata
    with atomic():
        done = Job.objects.filter(pk=job.pk, status=Job.Status.CLAIMED, claimed_by=cleaner).update(
            status=Job.Status.COMPLETED, completed_at=now, after_photo=job.after_photo.name, photo_phash=image.phash,
            photo_latitude=metadata.latitude, photo_longitude=metadata.longitude, photo_taken_at=metadata.taken_at,
            distance_m=distance, flags=flags, first_time_cleaner=first_time)
        if not done:
            job.after_photo.delete(save=False)
            raise InvalidTransition("This job is no longer claimed by you.")
        CleanerJobStats.objects.filter(user=cleaner).update(
            active_claims=F("active_claims") - 1, completions=F("completions") + 1)
    job.refresh_from_db()
    title = job.campaign.title
    creator = job.campaign.creator
    flagged = f" Flags: {', '.join(flags)}." if flags else ""

    def announce():
        notify(user=creator, event="job.completed", title=f"Cleaned, waiting for verification: {title}",
               body="The cleaner sent an after-photo. An admin checks it before the cleaner is paid.",
               link=reverse("campaigns:detail", args=[job.campaign_id]))
        notify_many(users=_admins(), event="job.completed", title=f"Job to verify: {title}",
                    body=f"{format_inr(job.amount)} to {cleaner.name}.{flagged}",
                    link=reverse("admin:dashboard_verification_queue"))

    on_commit(announce)
    return job


# --- verification --------------------------------------------------------------------------------

def job_verify(*, job: Job, admin, action: str, reason: str = "", notes: str = "", allow_retry: bool = False,
               now: datetime | None = None) -> Job:
    """An admin's decision on a completed job (the admin queue and the API both call this).

    approve: verified; the platform fee is earned, the payout is scheduled 24 hours later, the
    campaign shows the after-photo. reject (with a reason): back to the cleaner (allow_retry) or
    failed, in which case everything raised for the campaign is refunded to its contributors.
    More than 3 rejections flag the cleaner; ``fake_completion`` suspends them."""
    now = now or timezone.now()
    notes = (notes or "").strip()
    if action not in JobReview.Action.values:
        raise errors.ValidationFailed(fields={"action": ["Choose approve or reject."]})
    if action == JobReview.Action.REJECT:
        if reason not in RejectionReason.values:
            raise errors.ValidationFailed(fields={"reason": [
                "Choose a reason: " + ", ".join(RejectionReason.values) + "."]})
        if reason == RejectionReason.OTHER and not notes:
            raise errors.ValidationFailed(fields={"notes": ["Describe the problem when the reason is “other”."]})
        if reason == RejectionReason.FAKE_COMPLETION:
            allow_retry = False  # the cleaner is suspended: there is nobody to retry
    if job.status != Job.Status.COMPLETED:
        raise InvalidTransition("Only a completed job waiting for verification can be verified or rejected.")
    if action == JobReview.Action.APPROVE:
        return _approve(job=job, admin=admin, notes=notes, now=now)
    return _reject(job=job, admin=admin, reason=reason, notes=notes, allow_retry=allow_retry, now=now)


def _decided(job: Job, now: datetime) -> int:
    return max(0, int((now - job.completed_at).total_seconds())) if job.completed_at else 0


def _approve(*, job: Job, admin, notes: str, now: datetime) -> Job:
    cleaner = job.claimed_by
    campaign = job.campaign
    with atomic():
        won = Job.objects.filter(pk=job.pk, status=Job.Status.COMPLETED).update(
            status=Job.Status.VERIFIED, verified_at=now, verified_by=admin, verify_seconds=_decided(job, now))
        if not won:
            raise InvalidTransition("This job was decided meanwhile.")
        JobReview.objects.create(job=job, admin=admin, cleaner=cleaner, action=JobReview.Action.APPROVE, notes=notes,
                                 after_photo=job.after_photo.name, flags=job.flags)
        CleanerJobStats.objects.filter(user=cleaner).update(verified=F("verified") + 1)
        if job.platform_fee:
            payment_services.ledger_record(escrow_key=campaign.escrow_key, kind=LedgerEntry.Kind.FEE,
                                           amount=job.platform_fee, entry_key=f"fee:job:{job.pk}",
                                           reference=f"job:{job.pk}")
        payment_services.payout_schedule(payee=cleaner, source_kind=PAYOUT_SOURCE, source_id=str(job.pk),
                                         escrow_key=campaign.escrow_key, amount=job.amount,
                                         description=f"Cleanup: {campaign.title}"[:200], due_at=now + PAYOUT_DELAY)
        campaign_services.campaign_mark_cleaned(campaign=campaign, after_photo_name=job.after_photo.name, now=now)
    job.refresh_from_db()
    on_commit(lambda: notify(
        user=cleaner, event="job.verified", title=f"Verified: {campaign.title}",
        body=f"Well done! {format_inr(job.amount)} will be paid out from "
             f"{timezone.localtime(now + PAYOUT_DELAY):%d %b %Y} (daily payouts at 10:00 IST).",
        link=reverse("marketplace:earnings")))
    return job


def _reject(*, job: Job, admin, reason: str, notes: str, allow_retry: bool, now: datetime) -> Job:
    cleaner = job.claimed_by
    campaign = job.campaign
    label = RejectionReason(reason).label
    with atomic():
        if allow_retry:
            deadline = max(job.completion_deadline or now, now + RETRY_TIME)
            won = Job.objects.filter(pk=job.pk, status=Job.Status.COMPLETED).update(
                status=Job.Status.CLAIMED, completion_deadline=deadline, rejection_count=F("rejection_count") + 1,
                last_rejection_reason=reason, last_rejection_notes=notes[:500], verify_seconds=_decided(job, now))
        else:
            won = Job.objects.filter(pk=job.pk, status=Job.Status.COMPLETED).update(
                status=Job.Status.FAILED, verified_at=now, verified_by=admin, rejection_count=F("rejection_count") + 1,
                last_rejection_reason=reason, last_rejection_notes=notes[:500], verify_seconds=_decided(job, now))
        if not won:
            raise InvalidTransition("This job was decided meanwhile.")
        JobReview.objects.create(job=job, admin=admin, cleaner=cleaner, action=JobReview.Action.REJECT, reason=reason,
                                 notes=notes[:500], allow_retry=allow_retry, after_photo=job.after_photo.name,
                                 flags=job.flags)
        CleanerJobStats.objects.filter(user=cleaner).update(
            rejections=F("rejections") + 1, active_claims=F("active_claims") + (1 if allow_retry else 0))
        newly_flagged = CleanerJobStats.objects.filter(user=cleaner, rejections__gt=MAX_REJECTIONS,
                                                       flagged=False).update(flagged=True)
        if reason == RejectionReason.FAKE_COMPLETION:
            marketplace_services.user_suspend(user=cleaner, reason="Fake job completion", now=now)
        if not allow_retry:
            campaign_services.campaign_cancel_by_admin(
                campaign=campaign, admin=admin, now=now,
                reason=f"The cleanup could not be verified ({label.lower()}).")
    job.refresh_from_db()
    detail = f"{label}{': ' + notes if notes else ''}."
    body = (f"{detail} Please redo it and send a new photo by "
            f"{timezone.localtime(job.completion_deadline):%d %b %Y, %H:%M} IST." if allow_retry
            else f"{detail} The job is closed and the contributors are refunded.")

    def announce():
        notify(user=cleaner, event="job.rejected", title=f"Not verified: {campaign.title}", body=body,
               link=_link(job.pk))
        if newly_flagged:
            notify_many(users=_admins(), event="job.cleaner_flagged", title=f"Cleaner flagged: {cleaner.name}",
                        body=f"More than {MAX_REJECTIONS} rejected jobs.",
                        link=reverse("admin:jobs_cleanerjobstats_changelist") + f"?q={cleaner.email}")

    on_commit(announce)
    return job


# --- admin handling of held-back jobs --------------------------------------------------------------

def job_reoffer(*, job: Job, admin, now: datetime | None = None) -> bool:
    """Put a job held for review (released too often, or expired) back on the board."""
    now = now or timezone.now()
    changed = Job.objects.filter(pk=job.pk, status=Job.Status.AVAILABLE, needs_review=True).update(
        needs_review=False, review_note=f"Re-offered by {admin.email}"[:255], release_count=0,
        expires_at=max(job.expires_at, now + timedelta(days=30)))
    if changed:
        on_commit(_announce_jobs_soon)
    return bool(changed)


def job_cancel(*, job: Job, admin, reason: str, now: datetime | None = None) -> bool:
    """Give up on an unclaimed job: its campaign is cancelled and every contribution refunded."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.ValidationFailed(fields={"reason": ["Give a reason: contributors will see it."]})
    with atomic():
        changed = Job.objects.filter(pk=job.pk, status=Job.Status.AVAILABLE).update(
            status=Job.Status.FAILED, needs_review=False, review_note=reason[:255])
        if not changed:
            raise InvalidTransition("Only a job nobody is working on can be cancelled.")
        campaign_services.campaign_cancel_by_admin(campaign=job.campaign, admin=admin, reason=reason, now=now)
    return True


def job_withdraw(*, campaign: Campaign, reason: str) -> bool:
    """The campaign was cancelled (its money is being refunded): its job, unless already verified,
    fails at once, frees the claimer's slot and tells them. Runs in the cancelling transaction."""
    job = Job.objects.filter(campaign=campaign).select_related("claimed_by").first()
    if job is None:
        return False
    note = f"Campaign cancelled: {reason}"[:255]
    if Job.objects.filter(pk=job.pk, status=Job.Status.CLAIMED).update(status=Job.Status.FAILED, review_note=note):
        CleanerJobStats.objects.filter(user_id=job.claimed_by_id, active_claims__gt=0).update(
            active_claims=F("active_claims") - 1)
    elif not Job.objects.filter(pk=job.pk, status__in=[Job.Status.AVAILABLE, Job.Status.COMPLETED]).update(
            status=Job.Status.FAILED, needs_review=False, review_note=note):
        return False
    if job.claimed_by_id and job.status in (Job.Status.CLAIMED, Job.Status.COMPLETED):
        cleaner, title = job.claimed_by, campaign.title
        on_commit(lambda: notify(user=cleaner, event="job.rejected", title=f"Job withdrawn: {title}",
                                 body=f"The campaign was cancelled ({reason}). There is nothing more to do.",
                                 link=_link(job.pk)))
    return True


# --- periodic work -------------------------------------------------------------------------------

def jobs_auto_release(*, now: datetime) -> JobResult:
    """Hourly: overdue claims go back to the board (remembering who lost them) with a penalty for
    the cleaner (3 suspend); a job released 3 times, or past its 90 days, is held for an admin.
    Every step is a conditional update, so a second run changes nothing."""
    released = held = suspended = 0
    overdue = Job.objects.filter(status=Job.Status.CLAIMED, completion_deadline__lt=now).values_list(
        "pk", "claimed_by_id", "completion_deadline")
    for job_id, cleaner_id, deadline in list(overdue):
        with atomic():
            done = Job.objects.filter(pk=job_id, status=Job.Status.CLAIMED, claimed_by_id=cleaner_id,
                                      completion_deadline=deadline).update(
                status=Job.Status.AVAILABLE, claimed_by=None, claimed_at=None, completion_deadline=None,
                last_claimer_id=cleaner_id, release_count=F("release_count") + 1)
            if not done:
                continue
            released += 1
            if Job.objects.filter(pk=job_id, release_count__gte=MAX_RELEASES).update(
                    needs_review=True, review_note=f"Released {MAX_RELEASES} times for missed deadlines"):
                held += 1
            CleanerJobStats.objects.filter(user_id=cleaner_id).update(
                active_claims=F("active_claims") - 1, releases=F("releases") + 1, penalties=F("penalties") + 1)
            cleaner = get_user_model().objects.get(pk=cleaner_id)
            penalties = CleanerJobStats.objects.filter(user_id=cleaner_id).values_list("penalties", flat=True).first()
            if penalties and penalties >= MAX_PENALTIES and not cleaner.is_suspended:
                suspended += marketplace_services.user_suspend(
                    user=cleaner, reason=f"{MAX_PENALTIES} job deadlines missed", now=now)
            job = Job.objects.select_related("campaign").get(pk=job_id)
            on_commit(lambda c=cleaner, j=job, p=penalties: notify(
                user=c, event="job.auto_released", title=f"Deadline missed: {j.campaign.title}",
                body=f"The job went back to the board and you received a penalty ({p} of {MAX_PENALTIES}).",
                link=_link(j.pk)))
    expired = Job.objects.filter(status=Job.Status.AVAILABLE, needs_review=False, expires_at__lte=now).update(
        needs_review=True, review_note="Not completed within 90 days")
    if released - held > 0:
        on_commit(_announce_jobs_soon)
    if held or expired:
        on_commit(lambda: notify_many(
            users=_admins(), event="job.needs_review", title="Jobs held back for review",
            body=f"{held} released {MAX_RELEASES} times, {expired} past 90 days.",
            link=reverse("admin:jobs_job_changelist") + "?needs_review__exact=1"))
    return JobResult(summary=f"released {released} overdue claims ({held} held for review, {suspended} cleaners "
                             f"suspended); {expired} expired jobs flagged")


def jobs_send_reminders(*, now: datetime) -> JobResult:
    """Deadline reminders 24 hours and 1 hour before; each once per deadline (dedupe key)."""
    sent = 0
    soon = Job.objects.filter(status=Job.Status.CLAIMED, completion_deadline__gt=now,
                              completion_deadline__lte=now + timedelta(hours=24)).select_related("campaign",
                                                                                                  "claimed_by")
    for job in soon:
        left = job.completion_deadline - now
        which = "1h" if left <= timedelta(hours=1) else "24h"
        deadline = timezone.localtime(job.completion_deadline)
        sent += notify(
            user=job.claimed_by, event="job.deadline_reminder",
            title=f"{'1 hour' if which == '1h' else '24 hours'} left: {job.campaign.title}",
            body=f"Send the after-photo by {deadline:%d %b %Y, %H:%M} IST, or the job goes back to the board "
                 f"with a penalty.", link=_link(job.pk),
            dedupe_key=f"job.reminder.{which}:{job.pk}:{job.completion_deadline.isoformat()}") is not None
    return JobResult(summary=f"sent {sent} deadline reminders")


# --- payouts (callbacks from payments) --------------------------------------------------------------

def on_payout_paid(payout: Payout) -> None:
    job = Job.objects.select_related("campaign").get(pk=payout.source_id)
    if Job.objects.filter(pk=job.pk, status=Job.Status.VERIFIED).update(status=Job.Status.PAID,
                                                                         paid_at=payout.paid_at):
        campaign_services.campaign_close(campaign=job.campaign, now=payout.paid_at)


def on_payout_reversed(payout: Payout) -> None:
    job = Job.objects.select_related("campaign").get(pk=payout.source_id)
    if Job.objects.filter(pk=job.pk, status=Job.Status.PAID).update(
            status=Job.Status.VERIFIED, paid_at=None, review_note="The bank returned the payout"):
        campaign_services.campaign_reopen_after_reversal(campaign=job.campaign)
