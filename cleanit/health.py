"""GET /health: database, cache and broker, each "ok" or "error"; 200 when all are ok, else 503."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> None:
    from django.contrib.contenttypes.models import ContentType

    connection.ensure_connection()
    ContentType.objects.exists()


def _check_cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache read-back failed")
    cache.delete(key)


def _check_broker() -> None:
    from cleanit.celery import app

    if settings.REDIS_URL:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return
    for folder in ("queue", "processed"):
        path = settings.CELERY_BROKER_DIR / folder
        probe = path / f".health-{uuid.uuid4().hex}"
        probe.write_text("ok")
        probe.unlink()


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
@require_GET
def health(request):
    body = {}
    for name, check in CHECKS.items():
        try:
            check()
            body[name] = "ok"
        except Exception:  # any failure of a dependency is reported, never raised
            logger.exception("health check failed: %s", name)
            body[name] = "error"
    healthy = all(value == "ok" for value in body.values())
    return JsonResponse({"status": "ok" if healthy else "error", **body}, status=200 if healthy else 503)


@never_cache
@require_GET
def live(request):
    """Liveness: the process answers. No dependency is touched (for orchestrators, and the
    benchmark's reference endpoint: the full middleware stack with no work behind it)."""
    return JsonResponse({"status": "ok"})
