from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from cleanit.periodic import JobResult, periodic_job


@shared_task(name="marketplace.send_account_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_account_email(*, recipient: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])


@periodic_job(name="accounts.purge_expired_refresh_tokens", hour="3", minute="15",
              description="Delete refresh-token records past their expiry (they can no longer be used anyway).")
def purge_expired_refresh_tokens(now) -> JobResult:
    from .services import refresh_tokens_purge

    deleted = refresh_tokens_purge(now=now or timezone.now())
    return JobResult(summary=f"deleted {deleted} expired refresh-token records")
