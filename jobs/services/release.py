"""The hourly sweep of overdue claims (back to the board, with penalties that suspend) and of
expired jobs (held for an admin), and the admin putting a held job back on the board."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cleanit.db import atomic, on_commit
from cleanit.periodic import JobResult
from cleanit.statemachine import try_transition
from jobs import notices, rules
from jobs.models import CleanerJobStats, Job
from marketplace import services as marketplace_services
from notifications.services import notify, notify_staff

from .creation import announce_jobs_soon


def jobs_auto_release(*, now: datetime) -> JobResult:
    """Overdue claims go back to the board (remembering who lost them) with a penalty for the
    cleaner (MAX_PENALTIES suspend); a job released MAX_RELEASES times, or past its lifetime, is held
    for an admin. Every step is a conditional update, so a second run changes nothing."""
    released = held = suspended = 0
    overdue = Job.objects.filter(status=Job.Status.CLAIMED, completion_deadline__lt=now) \
        .select_related("campaign", "claimed_by")
    for job in list(overdue):
        cleaner = job.claimed_by
        with atomic():
            if not try_transition(job, Job.Status.AVAILABLE,
                                  where={"claimed_by": cleaner, "completion_deadline": job.completion_deadline},
                                  claimed_by=None, claimed_at=None, completion_deadline=None, last_claimer=cleaner,
                                  release_count=F("release_count") + 1):
                continue
            released += 1
            if Job.objects.filter(pk=job.pk, release_count__gte=rules.MAX_RELEASES).update(
                    needs_review=True, review_note=notices.held_after_releases()):
                held += 1
            CleanerJobStats.objects.filter(user=cleaner).update(
                active_claims=F("active_claims") - 1, releases=F("releases") + 1, penalties=F("penalties") + 1)
            penalties = CleanerJobStats.objects.filter(user=cleaner).values_list("penalties", flat=True).first()
            cleaner.refresh_from_db()  # an earlier overdue job of this run may have suspended them
            if penalties and penalties >= rules.MAX_PENALTIES and not cleaner.is_suspended:
                suspended += marketplace_services.user_suspend(
                    user=cleaner, reason=notices.suspended_for_missed_deadlines(), now=now)
            on_commit(lambda c=cleaner, j=job, p=penalties: notify(
                user=c, event="job.auto_released", link=notices.job_link(j.pk), **notices.auto_released(j, p)))
    expired = Job.objects.filter(status=Job.Status.AVAILABLE, needs_review=False, expires_at__lte=now).update(
        needs_review=True, review_note=notices.expired_note())
    if released - held > 0:
        on_commit(announce_jobs_soon)
    if held or expired:
        on_commit(lambda: notify_staff(
            event="job.needs_review", link=reverse("admin:jobs_job_changelist") + "?needs_review__exact=1",
            **notices.held_for_review(held, expired)))
    return JobResult(summary=f"released {released} overdue claims ({held} held for review, {suspended} cleaners "
                             f"suspended); {expired} expired jobs flagged")


def job_reoffer(*, job: Job, admin, now: datetime | None = None) -> bool:
    """Put a job held for review (released too often, or expired) back on the board."""
    now = now or timezone.now()
    changed = Job.objects.filter(pk=job.pk, status=Job.Status.AVAILABLE, needs_review=True).update(
        needs_review=False, review_note=notices.reoffered_by(admin)[:255], release_count=0,
        expires_at=max(job.expires_at, now + rules.REOFFER_LIFETIME))
    if changed:
        on_commit(announce_jobs_soon)
    return bool(changed)
