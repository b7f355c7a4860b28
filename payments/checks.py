from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def simulator_not_in_production(app_configs, **kwargs):
    if settings.PAYMENT_GATEWAY == "simulator" and not settings.DEBUG:
        return [checks.Error("The payment simulator is enabled with DEBUG off.",
                             hint="Set PAYMENT_GATEWAY=razorpay and real RAZORPAY_* keys in production.",
                             id="payments.E001")]
    return []
