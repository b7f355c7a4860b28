from cleanit.periodic import JobResult, periodic_job

from .services import notifications_purge


@periodic_job(name="notifications.purge_old", hour="2", minute="30",
              description="Delete notifications older than 90 days.")
def purge_old_notifications(now) -> JobResult:
    deleted = notifications_purge(now=now)
    return JobResult(summary=f"deleted {deleted} notifications older than 90 days")
