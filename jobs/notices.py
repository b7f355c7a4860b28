"""Every text jobs show people: notifications, refusals, notes kept on records, flash messages and
form help. Numbers and durations come from jobs.rules, the same constants the services enforce."""

from __future__ import annotations

from django.urls import reverse

from campaigns.notices import whole_rupees
from cleanit.dates import format_date, format_datetime
from cleanit.money import format_inr

from . import rules


def job_link(job_id) -> str:
    return reverse("jobs:detail", args=[job_id])


# --- refusals ----------------------------------------------------------------------------------------

FOR_CLEANERS = "The jobs board is for cleaners."
JOB_NOT_FOUND = "Job not found."
ONLY_CLEANERS_CLAIM = "Only cleaners can claim jobs."
ONLY_CLAIMER_GIVES_BACK = "Only the cleaner who claimed this job can give it back."
ONLY_CLAIMER_COMPLETES = "Only the cleaner who claimed this job can complete it."
NO_LONGER_YOURS = "This job is no longer claimed by you."
ONLY_CLAIMED_COMPLETES = "Only a claimed job can be completed."
ONLY_COMPLETED_VERIFIED = "Only a completed job waiting for verification can be verified or rejected."
DECIDED_MEANWHILE = "This job was decided meanwhile."
ONLY_UNCLAIMED_CANCELLED = "Only a job nobody is working on can be cancelled."
UNCLAIM_REASON_REQUIRED = "Tell us why you are giving this job back."
CANCEL_REASON_REQUIRED = "Give a reason: contributors will see it."
CHOOSE_ACTION = "Choose approve or reject."
DESCRIBE_OTHER = "Describe the problem when the reason is “other”."


def claim_limit() -> str:
    return (f"You already have {rules.MAX_ACTIVE_CLAIMS} active jobs. "
            "Complete one before claiming another.")


def unclaim_too_late() -> str:
    return (f"Less than {rules.duration(rules.UNCLAIM_NOTICE)} before the deadline a job can no longer "
            "be given back.")


def choose_reason(labels) -> str:
    """'Choose a reason: poor quality, wrong location or other.' (the labels people pick from, not codes)"""
    *others, last = [str(label).lower() for label in labels]
    return f"Choose a reason: {', '.join(others)} or {last}."


# --- notes kept on records ---------------------------------------------------------------------------

BANK_RETURNED_PAYOUT = "The bank returned the payout"


def given_back(reason: str) -> str:
    return f"Given back: {reason}"


def reoffered_by(admin) -> str:
    return f"Re-offered by {admin.email}"


def withdrawn_note(reason: str) -> str:
    return f"Campaign cancelled: {reason}"


def held_after_releases() -> str:
    return f"Released {rules.MAX_RELEASES} times for missed deadlines"


def expired_note() -> str:
    return f"Not completed within {rules.duration(rules.JOB_LIFETIME)}"


def suspended_for_missed_deadlines() -> str:
    return f"{rules.MAX_PENALTIES} job deadlines missed"


SUSPENDED_FOR_FAKE_COMPLETION = "Fake job completion"


def not_verified_reason(label: str) -> str:
    return f"The cleanup could not be verified ({label.lower()})."


def payout_description(campaign) -> str:
    return f"Cleanup: {campaign.title}"


# --- flash messages and form help (pages) ------------------------------------------------------------

GIVEN_BACK = "You gave the job back. Thank you for letting us know early."
COMPLETED_THANKS = "Thank you! An admin will verify the photo; you are paid after approval."


def claimed_yours() -> str:
    return f"The job is yours. Complete it within {rules.duration(rules.COMPLETION_TIME)}."


def help_photo() -> str:
    formats = ", ".join(rules.PHOTO_FORMATS[:-1]) + " or " + rules.PHOTO_FORMATS[-1]
    return (f"Take it at the site with location on: {formats.replace('JPEG', 'JPG')}, "
            f"at most {rules.PHOTO_MAX_BYTES // (1024 * 1024)} MB.")


def page_texts() -> dict:
    """The rules the job pages quote."""
    return {"completion_time": rules.duration(rules.COMPLETION_TIME),
            "unclaim_notice": rules.duration(rules.UNCLAIM_NOTICE),
            "max_active_claims": rules.MAX_ACTIVE_CLAIMS, "max_penalties": rules.MAX_PENALTIES}


def _hours(value) -> str:
    return f"{value.total_seconds() / 3600:.0f} h"


def priority_display() -> dict[int, str]:
    """The verification queue's badges, by priority (see selectors.verification_queue)."""
    return {0: f"Urgent: waiting over {_hours(rules.URGENT_AFTER)}",
            1: f"High value: over {whole_rupees(rules.HIGH_VALUE)}", 2: "First-time cleaner"}


def sla_texts() -> dict[str, str]:
    """The labels of the SLA figures (admin queue and dashboard)."""
    return {"waiting_long": f"Waiting > {_hours(rules.WAITING_LONG_AFTER)}",
            "waiting_urgent": f"Waiting > {_hours(rules.URGENT_AFTER)}",
            "waiting_both": f"… waiting over {_hours(rules.WAITING_LONG_AFTER)} / over {_hours(rules.URGENT_AFTER)}",
            "average": f"Average time to verify ({rules.duration(rules.SLA_WINDOW)})",
            "alert_limit": str(rules.SLA_ALERT_QUEUE_LENGTH)}


def decided(title: str, action: str) -> str:
    return f"{title}: {'approved' if action == 'approve' else 'rejected'}."


# --- notifications (each returns the title and body for notify) --------------------------------------

def jobs_available() -> dict:
    return {"title": "New cleanup jobs are available",
            "body": "Community cleanups are funded and waiting for a cleaner. Claim one on the jobs board."}


def claimed(job, cleaner) -> dict:
    return {"title": f"A cleaner took on “{job.campaign.title}”",
            "body": f"{cleaner.get_short_name()} will clean it by {format_date(job.completion_deadline)}."}


def completed_for_creator(title: str) -> dict:
    return {"title": f"Cleaned, waiting for verification: {title}",
            "body": "The cleaner sent an after-photo. An admin checks it before the cleaner is paid."}


def completed_for_staff(job, title: str, cleaner, flags: list[str]) -> dict:
    flagged = f" Flags: {', '.join(flags)}." if flags else ""
    return {"title": f"Job to verify: {title}", "body": f"{format_inr(job.amount)} to {cleaner.name}.{flagged}"}


def verified(job, campaign, now) -> dict:
    return {"title": f"Verified: {campaign.title}",
            "body": f"Well done! {format_inr(job.amount)} will be paid out from "
                    f"{format_date(now + rules.PAYOUT_DELAY)} (daily payouts at 10:00 IST)."}


def rejected(job, campaign, label: str, notes: str, allow_retry: bool) -> dict:
    detail = f"{label}{': ' + notes if notes else ''}."
    body = (f"{detail} Please redo it and send a new photo by {format_datetime(job.completion_deadline)}."
            if allow_retry else f"{detail} The job is closed and the contributors are refunded.")
    return {"title": f"Not verified: {campaign.title}", "body": body}


def cleaner_flagged(cleaner) -> dict:
    return {"title": f"Cleaner flagged: {cleaner.name}", "body": f"More than {rules.MAX_REJECTIONS} rejected jobs."}


def withdrawn(title: str, reason: str) -> dict:
    return {"title": f"Job withdrawn: {title}",
            "body": f"The campaign was cancelled ({reason}). There is nothing more to do."}


def auto_released(job, penalties: int) -> dict:
    return {"title": f"Deadline missed: {job.campaign.title}",
            "body": f"The job went back to the board and you received a penalty ({penalties} of "
                    f"{rules.MAX_PENALTIES})."}


def held_for_review(held: int, expired: int) -> dict:
    return {"title": "Jobs held back for review",
            "body": f"{held} released {rules.MAX_RELEASES} times, {expired} past "
                    f"{rules.duration(rules.JOB_LIFETIME)}."}


def deadline_reminder(job, before) -> dict:
    return {"title": f"{rules.duration(before)} left: {job.campaign.title}",
            "body": f"Send the after-photo by {format_datetime(job.completion_deadline)}, or the job goes back to the "
                    "board with a penalty."}
