import pytest

pytestmark = pytest.mark.django_db


def test_health_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert client.get("/health/").status_code == 200


def test_health_503_when_a_dependency_fails(client, monkeypatch):
    from cleanit import health

    def broken():
        raise ConnectionError("broker down")

    monkeypatch.setitem(health.CHECKS, "broker", broken)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["broker"] == "error" and response.json()["database"] == "ok"


def test_health_checks_broker_folder_is_writable(client, settings, tmp_path):
    settings.CELERY_BROKER_DIR = tmp_path / "missing"  # folders absent -> error
    assert client.get("/health").status_code == 503


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/health", HTTP_X_REQUEST_ID="abc12345-trace").headers["X-Request-ID"] == "abc12345-trace"
    generated = client.get("/health", HTTP_X_REQUEST_ID="bad id with spaces").headers["X-Request-ID"]
    assert generated != "bad id with spaces" and len(generated) == 32


def test_health_with_redis_when_available(client, settings):
    """Runs against the Redis that make test starts; tells why when there is none."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (make test starts one)")
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "cleanit.redis_cache.RedisCache", "LOCATION": url}}
    from cleanit.celery import app

    app.conf.broker_url = url
    try:
        response = client.get("/health")
    finally:
        app.conf.broker_url = "filesystem://"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_liveness_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_log_records_carry_the_request_id(client):
    import logging

    from cleanit.request_id import RequestIdLogFilter

    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect()
    handler.addFilter(RequestIdLogFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/api/v1/users/me", HTTP_X_REQUEST_ID="trace-12345678")
    finally:
        logger.removeHandler(handler)
    assert records and all(record.request_id == "trace-12345678" for record in records)
