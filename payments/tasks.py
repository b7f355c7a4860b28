from celery import shared_task
from django.utils import timezone

from cleanit.periodic import JobResult, periodic_job

from . import services
from .simulator.tasks import deliver_simulator_webhook  # noqa: F401  (registers the simulator's task)


@shared_task(name="payments.process_refunds")
def process_refunds() -> str:
    return services.refunds_process(now=timezone.now()).summary


@periodic_job(name="payments.process_refunds", minute="*/5",
              description="Send pending refunds to the gateway (batches of 10, retries with backoff, then flag).")
def process_refunds_job(now) -> JobResult:
    return services.refunds_process(now=now)


@periodic_job(name="payments.retry_webhooks", minute="*/10",
              description="Process again webhook events that were stored but not processed.")
def retry_webhooks_job(now) -> JobResult:
    return services.webhooks_retry_unprocessed(now=now)


@shared_task(name="payments.process_payouts")
def process_payouts() -> str:
    return services.payouts_process(now=timezone.now()).summary


@periodic_job(name="payments.process_payouts", hour="10", minute="0",
              description="At 10:00 IST: send due payouts to KYC-verified payees through RazorpayX in batches "
                          "of 10 (idempotent; retries with backoff, then flag).")
def process_payouts_job(now) -> JobResult:
    return services.payouts_process(now=now)


@periodic_job(name="payments.reconcile", hour="6", minute="30",
              description="At 06:30 IST: compare every payment, refund and payout with the gateway's record; "
                          "mismatches are listed in the admin and make the run fail.")
def reconcile_job(now) -> JobResult:
    from .reconciliation import reconcile

    return reconcile(now=now)
