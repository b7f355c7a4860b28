"""Test settings: the real settings with a fast hasher, eager Celery and rate limits off
(the rate-limit tests switch them on with override_settings)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("KYC_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWt5Yy1rZXktMDEyMzQ1Njc4OWFiY2Q=")
os.environ.setdefault("PAYMENT_GATEWAY", "simulator")
os.environ.setdefault("PAYMENT_SIMULATOR_ALLOWED", "true")
if os.environ.get("MONGODB_TEST_URI"):
    os.environ["DATABASE_URL"] = os.environ["MONGODB_TEST_URI"]

from cleanit.settings import *  # noqa: E402,F403
from cleanit.settings import STATIC_ROOT, VAR_DIR  # noqa: E402

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PAYMENT_SIMULATOR_WEBHOOK_DELIVERY = "inprocess"
API_RATE_LIMIT_PER_MINUTE = 0
RESPONSE_CACHE_SECONDS = 0  # tests read right after writing through services; the cache tests switch it on
AUTH_RATE_LIMIT_PER_15_MINUTES = 0
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
