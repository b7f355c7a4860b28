"""The catalogue of periodic jobs, defined in code.

Each app declares its jobs with :func:`periodic_job` in its ``tasks.py``. From this one list:
- Celery beat (django-celery-beat's DatabaseScheduler) gets one PeriodicTask per job, created
  after ``migrate`` when missing, so an admin may retime or disable it without a deploy;
- the single Celery task ``cleanit.run_periodic_job`` runs a job by name;
- ``manage.py run_periodic <name> [--at ...]`` runs it synchronously, as of any moment.

A job is a function ``(now) -> JobResult`` that calls services and is idempotent: running it
twice for the same moment changes nothing the second time."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

RUN_PERIODIC_TASK = "cleanit.run_periodic_job"


@dataclass
class JobResult:
    summary: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable[[datetime], JobResult]
    description: str
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"

    @property
    def schedule_text(self) -> str:
        return f"cron {self.minute} {self.hour} * * {self.day_of_week} (Asia/Kolkata)"


_REGISTRY: dict[str, PeriodicJob] = {}
_discovered = False


def periodic_job(*, name: str, description: str, minute: str = "0", hour: str = "*", day_of_week: str = "*"):
    """Register the decorated ``func(now) -> JobResult`` under ``name`` (times are Asia/Kolkata)."""

    def decorator(func):
        _REGISTRY[name] = PeriodicJob(name=name, func=func, description=description, minute=minute, hour=hour,
                                      day_of_week=day_of_week)
        return func

    return decorator


def all_jobs() -> dict[str, PeriodicJob]:
    global _discovered
    if not _discovered:
        autodiscover_modules("tasks")
        _discovered = True
    return dict(sorted(_REGISTRY.items()))


def run_job(name: str, *, at: datetime | None = None) -> JobResult:
    jobs = all_jobs()
    if name not in jobs:
        raise KeyError(name)
    now = at or timezone.now()
    result = jobs[name].func(now)
    log = logger.warning if result.problems else logger.info
    log("periodic job %s done: %s", name, result.summary, extra={"problems": result.problems})
    return result


def sync_schedule(using: str = "default") -> int:
    """Create the beat entry of every job that has none; existing entries (maybe retimed by an
    admin) are left alone. Returns how many were created."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = 0
    for job in all_jobs().values():
        if PeriodicTask.objects.using(using).filter(name=job.name).exists():
            continue
        schedule, _ = CrontabSchedule.objects.using(using).get_or_create(
            minute=job.minute, hour=job.hour, day_of_week=job.day_of_week, day_of_month="*",
            month_of_year="*", timezone="Asia/Kolkata",
        )
        PeriodicTask.objects.using(using).create(
            name=job.name, task=RUN_PERIODIC_TASK, args=json.dumps([job.name]), crontab=schedule,
            description=job.description,
        )
        created += 1
    return created


def sync_schedule_after_migrate(sender, using="default", **kwargs):
    sync_schedule(using=using)
