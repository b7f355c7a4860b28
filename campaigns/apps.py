from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Community campaigns"

    def ready(self):
        from notifications.catalogue import Category, register_event
        from payments.registry import PayableType, register_payable

        from . import rules, services, userdata  # noqa: F401  (userdata registers the export and the anonymiser)

        register_payable(PayableType(kind=rules.PAYABLE_KIND, on_captured=services.on_contribution_captured,
                                     on_failed=services.on_contribution_failed,
                                     on_refunded=services.on_contribution_refunded,
                                     return_url=services.contribution_return_url,
                                     joined=services.CAPTURE_JOINS, annotations=services.capture_annotations))
        for event in ("campaign.created", "campaign.flagged", "campaign.approved", "campaign.contribution_received",
                      "campaign.funded", "campaign.expired", "campaign.cancelled", "campaign.completed"):
            register_event(event, Category.CAMPAIGNS)

