"""Reads of jobs for the board, a cleaner's own jobs, one job, and the admin verification queue
with its SLA figures. List queries use a fixed number of queries whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Case, IntegerField, Value, When
from django.utils import timezone

from cleanit import errors, geo
from cleanit.db import get_by_id

from . import notices
from .models import CleanerJobStats, Job
from .rules import HIGH_VALUE, SLA_ALERT_QUEUE_LENGTH, SLA_WINDOW, URGENT_AFTER, WAITING_LONG_AFTER

SORTS = {"newest": ("-created_at",), "amount": ("-amount", "-created_at"), "expiring": ("expires_at",)}
# Sorting by distance needs a point (see board_filters); it is done on the candidates, not in the database.
BOARD_SORTS = [*SORTS, geo.DISTANCE_SORT]


def board_filters(*, sort=None, lat=None, lng=None, radius_km=None) -> dict:
    """The board's query, from the page or the API, as jobs_board's arguments. An unknown sort falls back
    to newest; a point, radius or distance sort that cannot be used is a ValidationFailed."""
    near = geo.near_from_query(lat=lat, lng=lng, radius_km=radius_km, sort=sort)
    return {"sort": sort if sort in BOARD_SORTS else "newest", "near": near}


def jobs_board(*, now: datetime | None = None, sort: str = "newest", near: geo.Near | None = None):
    """Available jobs; from a point, a list of those within the radius of their campaign's place, each
    with its ``distance_km`` (nearest first with sort=distance). One query, whatever the page."""
    now = now or timezone.now()
    queryset = (Job.objects.filter(status=Job.Status.AVAILABLE, needs_review=False, expires_at__gt=now)
                .select_related("campaign").order_by(*SORTS.get(sort, SORTS["newest"])))
    if near is None:
        return queryset
    candidates = queryset.filter(**geo.box_lookups(near, latitude="campaign__latitude",
                                                   longitude="campaign__longitude"))
    found = []
    for job, metres in geo.within(candidates, near, position=lambda j: (j.campaign.latitude, j.campaign.longitude)):
        job.distance_km = round(metres / 1000, 2)
        found.append(job)
    if sort == geo.DISTANCE_SORT:
        found.sort(key=lambda j: j.distance_km)
    return found


def jobs_of_cleaner(*, cleaner):
    return (Job.objects.filter(claimed_by=cleaner).select_related("campaign")
            .order_by(Case(When(status=Job.Status.CLAIMED, then=Value(0)),
                           When(status=Job.Status.COMPLETED, then=Value(1)), default=Value(2),
                           output_field=IntegerField()), "completion_deadline", "-completed_at"))


def job_get(*, job_id) -> Job:
    """Any job by id (for actions whose service decides who may act): 404 only if none."""
    return get_by_id(Job.objects.select_related("campaign", "claimed_by"), job_id, not_found=notices.JOB_NOT_FOUND)


def job_for_viewer(*, viewer, job_id) -> Job:
    """A cleaner sees the jobs on the board and their own; anyone else: 404. The page and the API
    both use this; staff look at jobs in the admin."""
    job = job_get(job_id=job_id)
    if not getattr(viewer, "is_cleaner", False):
        raise errors.NotFound(notices.JOB_NOT_FOUND)
    if job.claimed_by_id == viewer.pk or job.status == Job.Status.AVAILABLE or job.last_claimer_id == viewer.pk:
        return job
    raise errors.NotFound(notices.JOB_NOT_FOUND)


def verification_queue(*, now: datetime | None = None):
    """Completed jobs, most pressing first: waiting over URGENT_AFTER, then worth over HIGH_VALUE, then from a
    cleaner's first job, then oldest. Cleaner and campaign come along (no per-row queries)."""
    now = now or timezone.now()
    priority = Case(When(completed_at__lt=now - URGENT_AFTER, then=Value(0)),
                    When(amount__gt=HIGH_VALUE, then=Value(1)),
                    When(first_time_cleaner=True, then=Value(2)),
                    default=Value(3), output_field=IntegerField())
    return (Job.objects.filter(status=Job.Status.COMPLETED).annotate(priority=priority)
            .select_related("campaign", "claimed_by", "claimed_by__job_stats")
            .order_by("priority", "completed_at"))


PRIORITY_LABELS = {0: "urgent", 1: "high_value", 2: "first_time_cleaner", 3: "normal"}


@dataclass(frozen=True)
class SLA:
    queue_length: int
    waiting_over_24h: int
    waiting_over_48h: int
    average_verify_seconds: int | None
    alert: bool

    @property
    def average_verify_hours(self) -> float | None:
        return None if self.average_verify_seconds is None else round(self.average_verify_seconds / 3600, 1)


def verification_sla(*, now: datetime | None = None, window: timedelta = SLA_WINDOW) -> SLA:
    now = now or timezone.now()
    waiting = Job.objects.filter(status=Job.Status.COMPLETED)
    average = (Job.objects.filter(verified_at__gte=now - window, verify_seconds__isnull=False)
               .aggregate(avg=Avg("verify_seconds"))["avg"])
    length = waiting.count()
    return SLA(queue_length=length,
               waiting_over_24h=waiting.filter(completed_at__lt=now - WAITING_LONG_AFTER).count(),
               waiting_over_48h=waiting.filter(completed_at__lt=now - URGENT_AFTER).count(),
               average_verify_seconds=None if average is None else int(average),
               alert=length > SLA_ALERT_QUEUE_LENGTH)


def cleaner_stats(*, cleaner) -> CleanerJobStats:
    return CleanerJobStats.objects.filter(user=cleaner).first() or CleanerJobStats(user=cleaner)
