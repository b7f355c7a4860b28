from celery import shared_task
from django.utils import timezone

from cleanit.periodic import JobResult, periodic_job

from . import services
from .models import Payout, Refund
from .simulator.tasks import deliver_simulator_webhook  # noqa: F401  (registers the simulator's task)

PAYOUTS_AT = (10, 0)  # hour, minute (IST)
RECONCILE_AT = (6, 30)


def _clock(at: tuple[int, int]) -> str:
    return f"{at[0]:02d}:{at[1]:02d} IST"


@shared_task(name="payments.process_refunds")
def process_refunds() -> str:
    return services.refunds_process(now=timezone.now()).summary


@periodic_job(name="payments.process_refunds", minute="*/5",
              description=f"Send pending refunds to the gateway (batches of {services.REFUND_BATCH_SIZE}, "
                          f"{Refund.MAX_RETRIES} retries with backoff, then flag).")
def process_refunds_job(now) -> JobResult:
    return services.refunds_process(now=now)


@periodic_job(name="payments.retry_webhooks", minute="*/10",
              description="Process again webhook events that were stored but not processed.")
def retry_webhooks_job(now) -> JobResult:
    return services.webhooks_retry_unprocessed(now=now)


@shared_task(name="payments.process_payouts")
def process_payouts() -> str:
    return services.payouts_process(now=timezone.now()).summary


@periodic_job(name="payments.process_payouts", hour=str(PAYOUTS_AT[0]), minute=str(PAYOUTS_AT[1]),
              description=f"At {_clock(PAYOUTS_AT)}: send due payouts to KYC-verified payees through RazorpayX "
                          f"in batches of {services.PAYOUT_BATCH_SIZE} (idempotent; {Payout.MAX_RETRIES} retries with backoff, "
                          f"then flag).")
def process_payouts_job(now) -> JobResult:
    return services.payouts_process(now=now)


@periodic_job(name="payments.reconcile", hour=str(RECONCILE_AT[0]), minute=str(RECONCILE_AT[1]),
              description=f"At {_clock(RECONCILE_AT)}: compare every payment, refund and payout with the "
                          "gateway's record; mismatches are listed in the admin and make the run fail.")
def reconcile_job(now) -> JobResult:
    from .reconciliation import reconcile

    return reconcile(now=now)
