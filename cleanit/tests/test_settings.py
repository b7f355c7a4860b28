"""Checks on the real settings module (not the test settings), each in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(code: str = "", *args, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
                   and not k.startswith(("PAYMENT_", "RAZORPAY"))}
    environment.update({"DJANGO_SETTINGS_MODULE": "cleanit.settings", **env})
    command = [sys.executable, *(["-c", code] if code else []), *args]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_real_settings_hash_with_bcrypt_cost_12():
    result = run(
        "import django; django.setup();"
        "from django.contrib.auth.hashers import make_password, identify_hasher;"
        "h = make_password('Str0ng!Pass'); hasher = identify_hasher(h);"
        "print(hasher.algorithm, hasher.decode(h)['work_factor'])",
        DEBUG="true", SECRET_KEY=DEV_SECRET_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["bcrypt_sha256", "12"]


PRODUCTION_KYC_KEY = "q7Qy8n0m3VwS9eZk2GQy5O6fW8cX1dR4tU7iB0aLhNs="
DEV_SECRET_KEY = "y" * 50
RAZORPAY_LIVE = dict(RAZORPAY_KEY_ID="rzp_live_OwnKey", RAZORPAY_KEY_SECRET="own-key-secret-0123456789",
                     RAZORPAY_WEBHOOK_SECRET="own-webhook-secret-0123456789", RAZORPAYX_ACCOUNT_NUMBER="7878780080316316")
PRODUCTION = dict(DEBUG="false", SECRET_KEY="x" * 20 + "-production-secret-with-enough-entropy-0123456789",
                  ALLOWED_HOSTS="cleanit.in", KYC_ENCRYPTION_KEYS=PRODUCTION_KYC_KEY, **RAZORPAY_LIVE)


def test_production_settings_need_a_secret_key():
    result = run("import django; django.setup()", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_need_a_kyc_encryption_key():
    result = run("import django; django.setup()", DEBUG="false", SECRET_KEY="x" * 50, KYC_ENCRYPTION_KEYS="",
                 **RAZORPAY_LIVE)
    assert result.returncode != 0 and "KYC_ENCRYPTION_KEYS" in result.stderr


def test_development_settings_have_no_built_in_secret_key():
    result = run("import django; django.setup()", DEBUG="true", SECRET_KEY="")
    assert result.returncode != 0 and "make run" in result.stderr


@pytest.mark.parametrize("missing", ["RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET", "RAZORPAYX_ACCOUNT_NUMBER"])
@pytest.mark.parametrize("value", ["", "published"])
def test_the_real_gateway_refuses_to_start_without_its_own_secrets(missing, value):
    from django.conf import settings

    environment = {**PRODUCTION, missing: settings.SIMULATOR_CREDENTIALS[missing] if value else ""}
    result = run("import django; django.setup()", PAYMENT_GATEWAY="razorpay", **environment)
    assert result.returncode != 0 and missing in result.stderr


@pytest.mark.parametrize("name, value", [("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
                                         ("JWT_SIGNING_KEY", "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"),
                                         ("KYC_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWt5Yy1rZXktMDEyMzQ1Njc4OWFiY2Q=")])
def test_check_deploy_fails_on_a_published_secret(name, value):
    result = run("", "manage.py", "check", "--deploy", **{**PRODUCTION, name: value})
    assert result.returncode != 0 and "cleanit.E001" in result.stdout + result.stderr and name in result.stderr


def test_simulator_is_refused_in_production():
    production = {key: value for key, value in PRODUCTION.items() if not key.startswith("RAZORPAY")}
    refused = run("import django; django.setup()", PAYMENT_GATEWAY="simulator", **production)
    assert refused.returncode != 0 and "simulator" in refused.stderr
    opted_in = run("", "manage.py", "check", "--deploy", PAYMENT_GATEWAY="simulator", PAYMENT_SIMULATOR_ALLOWED="true",
                   **production)
    assert opted_in.returncode != 0 and "payments.E001" in opted_in.stderr + opted_in.stdout


def test_check_deploy_reports_nothing():
    result = run("", "manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_mongodb_settings_pass_checks_and_migrations_are_current():
    env = {"DEBUG": "true", "SECRET_KEY": DEV_SECRET_KEY, "DATABASE_URL": "mongodb://127.0.0.1:27017/cleanit"}
    check = run("", "manage.py", "check", **env)
    assert check.returncode == 0, check.stderr
    makemigrations = run("", "manage.py", "mongo_makemigrations", "--check", "--dry-run", **env)
    assert makemigrations.returncode == 0, makemigrations.stdout + makemigrations.stderr


def test_mongodb_settings_switch_engine_auto_field_and_migrations():
    result = run(
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.DATABASES['default']['ENGINE'], s.DEFAULT_AUTO_FIELD, "
        "s.MIGRATION_MODULES['auth'], 'cleanit.mongo_apps.MongoAuthConfig' in s.INSTALLED_APPS]))",
        DEBUG="true", SECRET_KEY=DEV_SECRET_KEY, DATABASE_URL="mongodb://db.example:27017/cleanit",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["django_mongodb_backend", "django_mongodb_backend.fields.ObjectIdAutoField",
                                         "mongo_migrations.auth", True]


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_refused_without_debug(settings):
    from django.core.management import CommandError, call_command

    from marketplace.models import User

    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    demo = User.objects.filter(email__endswith="@demo.cleanit.in")
    assert demo.count() == 8  # admin, customer, three cleaners and three backers
    from campaigns.models import Campaign
    from jobs.models import Job
    from marketplace.models import CleanerKYC
    from payments import ledger
    from payments.models import Payout
    from payments.reconciliation import reconcile

    assert set(Campaign.objects.values_list("status", flat=True)) >= {"draft", "active", "funded", "expired",
                                                                      "cancelled", "completed", "closed"}
    assert Campaign.objects.count() == 16 and not ledger.check().violations
    assert set(Job.objects.values_list("status", flat=True)) == {"available", "claimed", "completed", "verified",
                                                                 "paid"}
    flagged = Job.objects.filter(status="completed").exclude(flags=[])
    assert Job.objects.filter(status="completed").count() == 3 and flagged.count() == 2
    assert set(Payout.objects.values_list("status", flat=True)) == {"pending", "paid", "failed"}
    assert set(CleanerKYC.objects.values_list("status", flat=True)) == {"verified", "pending", "rejected"}
    assert reconcile().problems == []
    assert User.objects.get(email="admin@demo.cleanit.in").is_staff
    assert User.objects.get(email="cleaner@demo.cleanit.in").check_password(settings.DEMO_PASSWORD)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")


def test_docker_compose_file_is_valid():
    import shutil

    if not shutil.which("docker-compose"):
        pytest.skip("docker-compose is not installed (make test installs Debian's package)")
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=ROOT, env=environment, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_env_example_documents_every_variable():
    import re

    read = set()
    for module in ("cleanit/settings.py", "cleanit/settings_test.py"):
        source = (ROOT / module).read_text()
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
        read |= set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z_]+)"', source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read -= {"DJANGO_SETTINGS_MODULE"}
    assert read, "no variables found"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_collectstatic_with_the_production_storage(tmp_path):
    """The manifest storage fails on any asset that references a missing file (e.g. a source map)."""
    result = run("", "manage.py", "collectstatic", "--noinput", "-v", "0", **PRODUCTION,
                 STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_the_embedded_broker_polls_often_enough_for_prompt_tasks():
    """At kombu's default of one look a second, a 50-task burst waited 12 s median (docs/benchmarks.md)."""
    result = run("from django.conf import settings as s; print(s.CELERY_BROKER_TRANSPORT_OPTIONS['polling_interval'])",
                 DEBUG="true", SECRET_KEY=DEV_SECRET_KEY, REDIS_URL="")
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) <= 0.2


def test_sign_in_limit_is_higher_in_development_and_strict_in_production():
    code = "from django.conf import settings as s; print(s.AUTH_RATE_LIMIT_PER_15_MINUTES)"
    development = run(code, DEBUG="true", SECRET_KEY=DEV_SECRET_KEY)
    production = run(code, **PRODUCTION)
    assert development.returncode == 0 and production.returncode == 0, development.stderr + production.stderr
    assert int(development.stdout) >= 50 and int(production.stdout) == 5


@pytest.mark.django_db
def test_demo_data_and_the_banner_list_every_demo_account_of_the_readme(settings):
    import io
    import re

    from django.core.management import call_command

    settings.DEBUG = True
    output = io.StringIO()
    call_command("load_demo_data", stdout=output)
    readme = set(re.findall(r"`([a-z]+@demo\.cleanit\.in)`", (ROOT / "README.md").read_text()))
    banner = (ROOT / "scripts" / "run.sh").read_text()
    assert len(readme) == 5
    for email in readme:
        assert email in output.getvalue() and email in banner, email
