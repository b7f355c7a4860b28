"""The bookings app's periodic jobs (cleanit.periodic: Celery beat runs them, ``manage.py run_periodic
<name> --at ...`` runs one as of any moment). Each calls one service and is idempotent."""

from cleanit.periodic import JobResult, periodic_job

from . import notices, rules, services


@periodic_job(name="bookings.expire", minute="*/5",
              description=f"Every 5 minutes: pending bookings unanswered {notices.duration(rules.PENDING_ANSWER_WITHIN)} after the "
                          "request or at their start, and confirmed bookings unpaid at their start, are cancelled "
                          "(slot freed, both parties told, the customer pointed to other cleaners).")
def expire_bookings(now) -> JobResult:
    return services.bookings_expire_due(now=now)


@periodic_job(name="bookings.send_reminders", minute="*/5",
              description="Every 5 minutes: reminders before confirmed bookings ("
                          + ", ".join(f"{key} to the {' and '.join(parties)}" for key, _, parties in rules.REMINDERS)
                          + "), each once, none after the start.")
def send_reminders(now) -> JobResult:
    return services.reminders_send_due(now=now)


@periodic_job(name="bookings.release_payouts", minute="15",
              description=f"Hourly: the cleaner's share of bookings completed {notices.duration(rules.PAYOUT_AFTER_COMPLETION)} ago "
                          "(and not reviewed or disputed meanwhile) is scheduled for the payout batch, once.")
def release_payouts(now) -> JobResult:
    return services.payouts_release_due(now=now)


@periodic_job(name="bookings.end_search_suspensions", minute="10",
              description="Hourly: cleaners whose search suspension (too many cancellations) has ended are "
                          "found in searches again.")
def end_search_suspensions(now) -> JobResult:
    return services.search_suspensions_end(now=now)
