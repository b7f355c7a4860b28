"""The payout callbacks from payments that close the loop: paid, or returned by the bank."""

from __future__ import annotations

from campaigns import services as campaign_services
from cleanit.statemachine import try_transition
from jobs import notices
from jobs.models import Job
from payments.models import Payout


def on_payout_paid(payout: Payout) -> None:
    job = Job.objects.select_related("campaign").get(pk=payout.source_id)
    if try_transition(job, Job.Status.PAID, paid_at=payout.paid_at):
        campaign_services.campaign_close(campaign=job.campaign, now=payout.paid_at)


def on_payout_reversed(payout: Payout) -> None:
    job = Job.objects.select_related("campaign").get(pk=payout.source_id)
    if try_transition(job, Job.Status.VERIFIED, sources=[Job.Status.PAID], paid_at=None,
                      review_note=notices.BANK_RETURNED_PAYOUT):
        campaign_services.campaign_reopen_after_reversal(campaign=job.campaign)
