from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Cleanup jobs"

    def ready(self):
        from campaigns.signals import campaign_cancelled, campaign_funded, campaign_work_done
        from notifications.catalogue import Category, register_event
        from payments.registry import PayoutSource, register_payout_source

        from . import rules, services, userdata  # noqa: F401  (userdata registers the export section)

        campaign_funded.connect(_on_campaign_funded, dispatch_uid="jobs.create_on_funded")
        campaign_cancelled.connect(_on_campaign_cancelled, dispatch_uid="jobs.withdraw_on_cancelled")
        campaign_work_done.connect(_on_campaign_work_done, dispatch_uid="jobs.work_done")
        register_payout_source(PayoutSource(kind=rules.PAYOUT_SOURCE, on_paid=services.on_payout_paid,
                                            on_reversed=services.on_payout_reversed))
        for event in ("job.available", "job.claimed", "job.completed", "job.verified", "job.rejected",
                      "job.auto_released", "job.deadline_reminder", "job.needs_review", "job.cleaner_flagged"):
            register_event(event, Category.JOBS)


def _on_campaign_funded(sender, campaign, **kwargs):
    from . import services

    services.job_create_for_campaign(campaign=campaign)


def _on_campaign_cancelled(sender, campaign, reason, **kwargs):
    from . import services

    services.job_withdraw(campaign=campaign, reason=reason)


def _on_campaign_work_done(sender, campaign, **kwargs) -> bool:
    from . import services

    return services.job_work_done(campaign=campaign)
