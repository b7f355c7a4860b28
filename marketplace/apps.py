from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace and accounts"

    def ready(self):
        from django.core import checks

        from cleanit import crypto
        from notifications.catalogue import Category, register_event

        checks.register(crypto.check_keys)

        from . import schema, userdata  # noqa: F401  (OpenAPI auth scheme; the account's export section)

        for event in ("kyc.submitted", "kyc.verified", "kyc.rejected", "account.suspended"):
            register_event(event, Category.ACCOUNT, always=True)
