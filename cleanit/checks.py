"""`manage.py check --deploy` refuses every secret that has ever been printed in this repository:
a published value protects nothing, whoever set it."""

from django.conf import settings
from django.core import checks

# Keys and secrets that appear in the repository (test settings, the old development fallback, the
# simulator's credentials in the README and .env.example).
PUBLISHED_SECRETS = frozenset({
    "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz",
    "dGVzdC1vbmx5LWt5Yy1rZXktMDEyMzQ1Njc4OWFiY2Q=",
})


@checks.register(checks.Tags.security, deploy=True)
def no_published_secrets(app_configs, **kwargs):
    published = PUBLISHED_SECRETS | set(settings.SIMULATOR_CREDENTIALS.values())
    values = {
        "SECRET_KEY": [settings.SECRET_KEY],
        "JWT_SIGNING_KEY": [settings.SIMPLE_JWT["SIGNING_KEY"]],
        "KYC_ENCRYPTION_KEYS": list(settings.KYC_ENCRYPTION_KEYS),
        "RAZORPAY_KEY_SECRET": [settings.RAZORPAY_KEY_SECRET],
        "RAZORPAY_WEBHOOK_SECRET": [settings.RAZORPAY_WEBHOOK_SECRET],
        "RAZORPAYX_ACCOUNT_NUMBER": [settings.RAZORPAYX_ACCOUNT_NUMBER],
    }
    return [
        checks.Error(f"{name} is a published value from this repository.",
                     hint="Generate your own secret and set it in the environment.", id="cleanit.E001")
        for name, candidates in values.items() if any(value in published for value in candidates)
    ]
