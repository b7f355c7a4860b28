"""Cleanit settings. Everything that differs between machines comes from the environment
(see .env.example); the defaults are the embedded, server-free setup."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# Variables already in the environment win over the file.
environ.Env.read_env(env.str("CLEANIT_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # No built-in key, even in development: a published key would let anyone forge sessions and
    # tokens. `make run` writes a random one into .env on the first run.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY is not set: run `make run` once (it writes a development .env with a "
                               "random key) or set SECRET_KEY in the environment.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- store -----------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
USING_MONGODB = DATABASE_URL.startswith(("mongodb://", "mongodb+srv://"))

if USING_MONGODB:
    from pymongo.uri_parser import parse_uri as _parse_mongo_uri

    _mongo_db_name = env.str("MONGODB_NAME", default="") or _parse_mongo_uri(DATABASE_URL, validate=False)[
        "database"
    ] or "cleanit"
    DATABASES = {
        "default": {
            "ENGINE": "django_mongodb_backend",
            "HOST": DATABASE_URL,
            "NAME": _mongo_db_name,
            "OPTIONS": {"serverSelectionTimeoutMS": env.int("MONGODB_TIMEOUT_MS", default=5000)},
            "TEST": {"NAME": f"test_{_mongo_db_name}"},
        }
    }
    DEFAULT_AUTO_FIELD = "django_mongodb_backend.fields.ObjectIdAutoField"
else:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # WAL + IMMEDIATE transactions: concurrent writers (gunicorn workers, Celery, race tests)
        # queue on the write lock instead of failing with "database is locked"; the threads of one process
        # queue on a Python lock first (cleanit/sqlite/base.py: SQLite's busy handler sleeps in steps).
        DATABASES["default"]["ENGINE"] = "cleanit.sqlite"
        DATABASES["default"]["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
        # Keep each thread's connection between requests: opening one (and its PRAGMAs) on every request was
        # 4% of a web worker's samples under load (py-spy). MongoDB's backend pools its client itself.
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- apps ------------------------------------------------------------------------------------
if USING_MONGODB:
    _CONTRIB_APPS = [
        "cleanit.mongo_apps.MongoAdminConfig",
        "cleanit.mongo_apps.MongoAuthConfig",
        "cleanit.mongo_apps.MongoContentTypesConfig",
    ]
    _BEAT_APP = "cleanit.mongo_apps.MongoBeatConfig"
else:
    _CONTRIB_APPS = ["cleanit.admin_site.CleanitAdminConfig", "django.contrib.auth", "django.contrib.contenttypes"]
    _BEAT_APP = "django_celery_beat"

CLEANIT_APPS = ["notifications", "payments", "marketplace", "bookings", "campaigns", "jobs"]
INSTALLED_APPS = [
    *_CONTRIB_APPS,
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    _BEAT_APP,
    "cleanit",
    *CLEANIT_APPS,
]

if USING_MONGODB:
    # The MongoDB migration tree: same models, ObjectIdAutoField wherever Django adds an auto key.
    MIGRATION_MODULES = {
        label: f"mongo_migrations.{label}"
        for label in ("admin", "auth", "contenttypes", "sessions", "django_celery_beat", *CLEANIT_APPS)
    }

MIDDLEWARE = [
    "cleanit.middleware.RequestIdMiddleware",
    "cleanit.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cleanit.middleware.ApiRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cleanit.response_cache.RecentWriterMiddleware",
]

ROOT_URLCONF = "cleanit.urls"
WSGI_APPLICATION = "cleanit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "marketplace.User"
AUTHENTICATION_BACKENDS = ["marketplace.backends.LockoutAwareBackend"]
LOGIN_URL = "marketplace:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",  # cost 12 (Django's default rounds)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "marketplace.validators.PasswordCharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

TERMS_VERSION = env.str("TERMS_VERSION", default="2026-01")
LOGIN_LOCKOUT_THRESHOLD = 5
LOGIN_LOCKOUT_DURATION = timedelta(minutes=15)
PASSWORD_RESET_TOKEN_TTL = timedelta(hours=1)
EMAIL_VERIFICATION_TOKEN_TTL = timedelta(days=2)
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Cleanit@2026")

# --- API ------------------------------------------------------------------------------------
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=100)
# 5 in production (domain.md). In development a person signs in as each demo account in turn, and a
# test run signs up and in many times from one address: a higher default there.
AUTH_RATE_LIMIT_PER_15_MINUTES = env.int("AUTH_RATE_LIMIT_PER_15_MINUTES", default=100 if DEBUG else 5)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # API_RATE_LIMIT_PER_MINUTE is enforced for all of /api/ by cleanit.middleware.ApiRateLimitMiddleware.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "cleanit.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cleanit.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": [
        "cleanit.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cleanit API",
    "DESCRIPTION": "Home cleaning marketplace and community cleanups. Errors use the envelope "
    '`{"error": {"code", "message", "fields"}}`; money is integer paise.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "JobStatusEnum": "jobs.models.Job.Status",
        "BookingStatusEnum": "bookings.models.Booking.Status",
        "BookingPaymentStatusEnum": "bookings.models.Booking.PaymentStatus",
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cleanit.api.schema.strip_trailing_slashes",
        "cleanit.api.schema.add_error_catalogue",
    ],
}

# --- cache, broker, e-mail -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "cleanit.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cleanit"}}
# Kept answers of the public pages and lists and of each person's own lists (cleanit/response_cache.py): at most
# this old for others, always fresh for the person who just wrote. 0 turns them off. The writer's mark lives in
# the cache, so the web processes must share one: Redis, or the local-memory cache with one web process (the
# Procfile's single gunicorn worker).
RESPONSE_CACHE_SECONDS = env.int("RESPONSE_CACHE_SECONDS", default=5)

CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        # kombu polls the folder once a second by default and the worker's loop adds its own waits: queued
        # tasks (after-commit work, simulator webhooks) waited seconds. A listing every 0.1 s is cheap.
        "polling_interval": env.float("CELERY_BROKER_POLLING_SECONDS", default=0.1),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Kolkata"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cleanit <no-reply@cleanit.in>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- i18n, time ------------------------------------------------------------------------------
LANGUAGE_CODE = "en-in"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["cleanit.formats"]  # en-IN dates ("25 Nov 2026, 6:23 PM IST") on pages and in the admin

# --- static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the form, not the cookie; kept default-compatible
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_REDIRECT_EXEMPT = [r"^health"]
# Request bodies: JSON and forms fit in 256 KiB (the largest real ones, gateway webhooks, are a few KiB);
# multipart uploads carry one photo (at most 10 MB) plus a few fields. Larger bodies get 413 before
# anything reads them (cleanit.middleware.RequestSizeLimitMiddleware).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=256 * 1024)
UPLOAD_BODY_MAX_BYTES = env.int("UPLOAD_BODY_MAX_BYTES", default=11 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES

# --- logging ---------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cleanit.request_id.RequestIdLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",  # with the offset: the process's zone is TIME_ZONE
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler (DEBUG only) would print each of its records a second time, unformatted.
        "django": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
        # The filesystem:// transport has no host; kombu warns about it on every connection.
        "kombu.connection": {"level": "ERROR"},
    },
}

# Media (uploaded photos) are served by the app itself only when asked; production puts them
# behind the web server or object storage.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
CSRF_FAILURE_VIEW = "cleanit.views.csrf_failure"

# How often an open page's notification bell asks for the unread count.
NOTIFICATION_POLL_SECONDS = env.int("NOTIFICATION_POLL_SECONDS", default=30)

# --- encryption at rest (cleaner KYC: ID and bank details) ----------------------------------------
# Comma-separated AES-256-GCM keys, 32 random bytes each in url-safe base64
# (`python -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"`);
# the first encrypts, all decrypt: rotate by putting a new key first, then `manage.py kyc_reencrypt`.
KYC_ENCRYPTION_KEYS = env.list("KYC_ENCRYPTION_KEYS", default=[])
if not KYC_ENCRYPTION_KEYS:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("KYC_ENCRYPTION_KEYS must be set when DEBUG is off.")
    import base64
    import hashlib

    # Development only: a key derived from the (development) SECRET_KEY, so `make run` needs no setup.
    KYC_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(f"kyc:{SECRET_KEY}".encode()).digest()).decode()]

# --- payments --------------------------------------------------------------------------------
# "simulator": the built-in stand-in for Razorpay (orders, checkout page, refunds, payouts, signed
# webhooks), reached through the real razorpay client. "razorpay": the real gateway.
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="simulator" if DEBUG else "razorpay")
# The simulator's own keys: published (README, .env.example), so they are used only by the simulator
# and refused for the real gateway (at start-up here, and by `check --deploy`).
SIMULATOR_CREDENTIALS = {
    "RAZORPAY_KEY_ID": "rzp_test_CleanitSimulator",
    "RAZORPAY_KEY_SECRET": "simulator_key_secret",
    "RAZORPAY_WEBHOOK_SECRET": "simulator_webhook_secret",
    "RAZORPAYX_ACCOUNT_NUMBER": "2323230000000000",
}
_simulated = PAYMENT_GATEWAY == "simulator"
# An empty value (as in a copied .env.example) counts as unset.
RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET, RAZORPAYX_ACCOUNT_NUMBER = (
    env.str(name, default="") or (SIMULATOR_CREDENTIALS[name] if _simulated else "")
    for name in ("RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET", "RAZORPAYX_ACCOUNT_NUMBER"))
RAZORPAY_TIMEOUT_SECONDS = env.float("RAZORPAY_TIMEOUT_SECONDS", default=10.0)
# The simulator never runs in production: with DEBUG off it needs this explicit, documented
# opt-in (load tests only), and `check --deploy` reports it.
PAYMENT_SIMULATOR_ALLOWED = env.bool("PAYMENT_SIMULATOR_ALLOWED", default=DEBUG)
if PAYMENT_GATEWAY not in ("simulator", "razorpay"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PAYMENT_GATEWAY must be 'simulator' or 'razorpay'.")
if PAYMENT_GATEWAY == "simulator" and not PAYMENT_SIMULATOR_ALLOWED:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The payment simulator is refused with DEBUG off; set PAYMENT_GATEWAY=razorpay.")
if not _simulated:
    _unsafe = [name for name, published in SIMULATOR_CREDENTIALS.items() if globals()[name] in ("", published)]
    if _unsafe:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"The Razorpay gateway needs your own {', '.join(_unsafe)} (unset or the "
                                   "simulator's published value).")
PAYMENT_SIMULATOR_FAILURE_RATE = env.float("PAYMENT_SIMULATOR_FAILURE_RATE", default=0.0)
PAYMENT_SIMULATOR_FAILURE_MODE = env.str("PAYMENT_SIMULATOR_FAILURE_MODE", default="error")
PAYMENT_SIMULATOR_WEBHOOK_DELIVERY = env.str("PAYMENT_SIMULATOR_WEBHOOK_DELIVERY", default="http")
PAYMENT_SIMULATOR_WEBHOOK_URL = env.str("PAYMENT_SIMULATOR_WEBHOOK_URL", default=f"{SITE_URL}/api/v1/payments/webhook")
