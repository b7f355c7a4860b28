from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace and accounts"

    def ready(self):
        from . import userdata  # noqa: F401  (registers the account's own export section)
