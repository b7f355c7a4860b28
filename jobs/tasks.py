from celery import shared_task

from cleanit.periodic import JobResult, periodic_job

from . import services


@shared_task(name="jobs.announce_available")
def announce_available_jobs() -> int:
    return services.jobs_announce()


@periodic_job(name="jobs.auto_release", minute="5",
              description="Hourly: overdue claims go back to the board with a penalty (3 suspend); jobs released "
                          "3 times or past 90 days are held for an admin; funded campaigns without a job get one.")
def auto_release(now) -> JobResult:
    created = services.jobs_create_missing(now=now)
    result = services.jobs_auto_release(now=now)
    return JobResult(summary=f"{result.summary}; {created} missing jobs created", problems=result.problems)


@periodic_job(name="jobs.deadline_reminders", minute="*/15",
              description="Every 15 minutes: remind cleaners 24 hours and 1 hour before a job's deadline.")
def deadline_reminders(now) -> JobResult:
    return services.jobs_send_reminders(now=now)
