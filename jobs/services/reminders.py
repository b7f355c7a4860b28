"""Deadline reminders to the claimer, each once per deadline."""

from __future__ import annotations

from datetime import datetime

from cleanit.periodic import JobResult
from jobs import notices, rules
from jobs.models import Job
from notifications.services import notify


def jobs_send_reminders(*, now: datetime) -> JobResult:
    """A reminder at each of rules.REMINDERS before the deadline; each once per deadline (dedupe key)."""
    sent = 0
    window = max(before for _, before in rules.REMINDERS)
    soon = Job.objects.filter(status=Job.Status.CLAIMED, completion_deadline__gt=now,
                              completion_deadline__lte=now + window).select_related("campaign", "claimed_by")
    for job in soon:
        left = job.completion_deadline - now
        which, before = min(((name, before) for name, before in rules.REMINDERS if left <= before),
                            key=lambda reminder: reminder[1])
        sent += notify(user=job.claimed_by, event="job.deadline_reminder", link=notices.job_link(job.pk),
                       dedupe_key=f"job.reminder.{which}:{job.pk}:{job.completion_deadline.isoformat()}",
                       **notices.deadline_reminder(job, before)) is not None
    return JobResult(summary=f"sent {sent} deadline reminders")
