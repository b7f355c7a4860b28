"""Job use-cases, one module per subject: creation (from a funded campaign, and announcing jobs),
claims (race-safe, limited; unclaim), completion (photo evidence), verification (admin decision),
release (hourly auto-release with penalties; re-offer), cancellation (admin cancel; withdrawal when
the campaign is cancelled), reminders, payouts (callbacks). The public names are importable from
here; the numbers are in jobs.rules.

Every status change goes through cleanit.statemachine and Job.TRANSITIONS: the conditional
update's row count decides who won; counters move with F() in the same transaction."""

from .cancellation import job_cancel, job_withdraw, job_work_done
from .claims import job_claim, job_unclaim
from .completion import job_complete
from .creation import job_create_for_campaign, jobs_announce, jobs_create_missing, split_amount
from .payouts import on_payout_paid, on_payout_reversed
from .release import job_reoffer, jobs_auto_release
from .reminders import jobs_send_reminders
from .verification import job_verify

__all__ = [
    "job_cancel", "job_claim", "job_complete", "job_create_for_campaign", "job_reoffer",
    "job_unclaim", "job_verify", "job_withdraw", "job_work_done", "jobs_announce", "jobs_auto_release",
    "jobs_create_missing", "jobs_send_reminders", "on_payout_paid", "on_payout_reversed", "split_amount",
]
