from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments and escrow"

    def ready(self):
        from . import catalogue, checks  # noqa: F401  (notification events; deploy check for the simulator)
