"""The payout callbacks from payments that close the loop: paid, or returned by the bank."""

from __future__ import annotations

from campaigns import services as campaign_services
from campaigns.models import Campaign
from cleanit.statemachine import transition_rows, try_transition
from jobs import notices
from jobs.models import Job
from payments.models import Payout


def on_payout_paid(payout: Payout) -> None:
    """The job is paid and its campaign closed, without reading them: a job's payout is paid from its
    campaign's escrow (job_verify schedules it so), and the job's conditional update checks that the
    campaign named by the escrow key is the job's own."""
    campaign_id = Campaign.id_in_escrow_key(payout.escrow_key)
    if transition_rows(Job.objects.filter(pk=payout.source_id, campaign_id=campaign_id), Job.Status.PAID,
                       paid_at=payout.paid_at):
        campaign_services.campaign_close(campaign=Campaign(pk=campaign_id), now=payout.paid_at)


def on_payout_reversed(payout: Payout) -> None:
    job = Job.objects.select_related("campaign").get(pk=payout.source_id)
    if try_transition(job, Job.Status.VERIFIED, sources=[Job.Status.PAID], paid_at=None,
                      review_note=notices.BANK_RETURNED_PAYOUT):
        campaign_services.campaign_reopen_after_reversal(campaign=job.campaign)
