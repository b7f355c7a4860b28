from celery import shared_task
from django.utils.dateparse import parse_datetime

from . import periodic


@shared_task(name=periodic.RUN_PERIODIC_TASK)
def run_periodic_job(name: str, at: str | None = None) -> str:
    result = periodic.run_job(name, at=parse_datetime(at) if at else None)
    return result.summary
