from cleanit.periodic import JobResult, periodic_job

from . import services


@periodic_job(name="campaigns.expire", hour="0", minute="0",
              description="At 00:00 IST: campaigns past expiry with >= 80% raised become funded, "
                          "the rest expire and every contribution is refunded.")
def expire_campaigns(now) -> JobResult:
    return services.campaigns_expire(now=now)
