from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments and escrow"

    def ready(self):
        from . import catalogue, checks, userdata  # noqa: F401  (events; deploy check; export section)
