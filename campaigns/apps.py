from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Community campaigns"

    def ready(self):
        from notifications.catalogue import Category, register_event
        from payments.registry import PayableType, register_payable

        from . import services, userdata  # noqa: F401  (userdata registers the export section)

        register_payable(PayableType(kind=services.PAYABLE_KIND, on_captured=services._on_captured,
                                     on_failed=services._on_failed, on_refunded=services._on_refunded,
                                     return_url=services._return_url))
        for event in ("campaign.created", "campaign.flagged", "campaign.approved", "campaign.contribution_received",
                      "campaign.funded", "campaign.expired", "campaign.cancelled", "campaign.completed"):
            register_event(event, Category.CAMPAIGNS)
