"""The hourly sweep of overdue claims (back to the board, with penalties that suspend) and of
expired jobs (held for an admin), and the admin putting a held job back on the board."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cleanit.db import atomic, chunks, on_commit
from cleanit.periodic import JobResult
from cleanit.statemachine import try_transition
from jobs import notices, rules
from jobs.models import CleanerJobStats, Job
from marketplace import services as marketplace_services
from notifications.services import notify_batch, notify_staff

from .creation import announce_jobs_soon

RELEASE_CHUNK = 500  # overdue claims read (and their notices sent) together


def jobs_auto_release(*, now: datetime) -> JobResult:
    """Overdue claims go back to the board (remembering who lost them) with a penalty for the
    cleaner (MAX_PENALTIES suspend); a job released MAX_RELEASES times, or past its lifetime, is held
    for an admin. Every step is a conditional update, so a second run changes nothing. The claims
    are read RELEASE_CHUNK at a time; each is released in its own transaction, and the chunk's
    notices are sent together once those have committed."""
    released = held = 0
    suspended: set = set()  # cleaners this run suspended: their later releases are not announced to them
    overdue = Job.objects.filter(status=Job.Status.CLAIMED, completion_deadline__lt=now) \
        .select_related("campaign", "claimed_by")
    for chunk in chunks(overdue, RELEASE_CHUNK):
        messages = []
        for job in chunk:
            outcome = _release_overdue(job, now=now, suspended=suspended)
            if outcome is None:
                continue
            released += 1
            held += outcome["held"]
            if outcome["message"]:
                messages.append(outcome["message"])
        if messages:
            on_commit(lambda m=messages: notify_batch(m))
    expired = Job.objects.filter(status=Job.Status.AVAILABLE, needs_review=False, expires_at__lte=now).update(
        needs_review=True, review_note=notices.expired_note())
    if released - held > 0:
        on_commit(announce_jobs_soon)
    if held or expired:
        on_commit(lambda: notify_staff(
            event="job.needs_review", link=reverse("admin:jobs_job_changelist") + "?needs_review__exact=1",
            **notices.held_for_review(held, expired)))
    return JobResult(summary=f"released {released} overdue claims ({held} held for review, {len(suspended)} "
                             f"cleaners suspended); {expired} expired jobs flagged")


def _release_overdue(job: Job, *, now: datetime, suspended: set) -> dict | None:
    """One overdue claim back to the board, the penalty counted, in one transaction: the job's
    conditional update (which also holds it for an admin at MAX_RELEASES), the cleaner's counters,
    and the suspension at MAX_PENALTIES. None when another run released it first."""
    cleaner = job.claimed_by
    releases = job.release_count + 1
    hold = releases >= rules.MAX_RELEASES
    with atomic():
        if not try_transition(job, Job.Status.AVAILABLE,
                              where={"claimed_by": cleaner, "completion_deadline": job.completion_deadline,
                                     "release_count": job.release_count},
                              claimed_by=None, claimed_at=None, completion_deadline=None, last_claimer=cleaner,
                              release_count=releases,
                              **({"needs_review": True, "review_note": notices.held_after_releases()} if hold else {})):
            return None
        CleanerJobStats.objects.filter(user=cleaner).update(
            active_claims=F("active_claims") - 1, releases=F("releases") + 1, penalties=F("penalties") + 1)
        penalties = CleanerJobStats.objects.filter(user=cleaner).values_list("penalties", flat=True).first()
        already_suspended = cleaner.pk in suspended
        # user_suspend is itself conditional: a suspension by someone else meanwhile is not repeated.
        if penalties and penalties >= rules.MAX_PENALTIES and not already_suspended and not cleaner.is_suspended \
                and marketplace_services.user_suspend(user=cleaner, reason=notices.suspended_for_missed_deadlines(),
                                                      now=now):
            suspended.add(cleaner.pk)
    # The notice goes by notify's rules at sending time: the cleaner just suspended (cleaner was
    # refreshed by user_suspend) gets only the suspension's own notice.
    message = None if already_suspended else {
        "user": cleaner, "event": "job.auto_released", "link": notices.job_link(job.pk),
        **notices.auto_released(job, penalties)}
    return {"held": hold, "message": message}


def job_reoffer(*, job: Job, admin, now: datetime | None = None) -> bool:
    """Put a job held for review (released too often, or expired) back on the board."""
    now = now or timezone.now()
    changed = Job.objects.filter(pk=job.pk, status=Job.Status.AVAILABLE, needs_review=True).update(
        needs_review=False, review_note=notices.reoffered_by(admin)[:255], release_count=0,
        expires_at=max(job.expires_at, now + rules.REOFFER_LIFETIME))
    if changed:
        on_commit(announce_jobs_soon)
    return bool(changed)
