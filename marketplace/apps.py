from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace and accounts"

    def ready(self):
        from . import schema, userdata  # noqa: F401  (OpenAPI auth scheme; the account's export section)
