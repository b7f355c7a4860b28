"""The Redis cache keeps one redis client per connection pool (Django's builds one per call): the same
answers, one client. Runs against the Redis that make test starts; tells why when there is none."""

import pytest
import redis

from cleanit.redis_cache import RedisCache

URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (make test starts one)")
    cache = RedisCache(URL, {"KEY_PREFIX": "test-redis-cache"})
    cache.clear()
    yield cache
    cache.clear()


def clients_built(cache, monkeypatch) -> list:
    """The redis clients built from now on, for every call made on ``cache``."""
    built = []
    real = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    return built


def test_one_client_serves_every_call_with_the_same_answers(cache, monkeypatch):
    built = clients_built(cache, monkeypatch)  # the fixture's clear() built the one client
    cache.set("answer", (200, b"<html>", [("Content-Type", "text/html")]), timeout=5)
    cache.set("count", 1, timeout=5)
    assert cache.get("answer") == (200, b"<html>", [("Content-Type", "text/html")])
    assert cache.get_many(["answer", "count", "missing"]) == {"answer": (200, b"<html>", [("Content-Type", "text/html")]),
                                                              "count": 1}
    assert cache.incr("count") == 2 and cache.get("missing", "default") == "default"
    cache.delete("answer")
    assert cache.get("answer") is None
    assert built == []


def test_djangos_own_backend_builds_a_client_per_call(cache, monkeypatch):
    from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

    theirs = DjangoRedisCache(URL, {"KEY_PREFIX": "test-redis-cache"})
    built = clients_built(theirs, monkeypatch)
    theirs.set("count", 1, timeout=5)
    assert theirs.get("count") == 1 and theirs.get_many(["count"]) == {"count": 1}
    assert len(built) == 3  # what cleanit.redis_cache saves


def test_a_read_server_gets_its_own_client(cache):
    many = RedisCache(f"{URL},{URL}", {"KEY_PREFIX": "test-redis-cache"})
    client = many._cache
    assert client.get_client(write=True) is client.get_client(write=True)
    assert client.get_client(write=False) is client.get_client(write=False)  # the one read server
    assert client.get_client(write=False) is not client.get_client(write=True)


def test_each_read_server_keeps_a_client_on_its_own_pool(cache):
    servers = [f"{URL}?replica={n}" for n in range(3)]  # three addresses of the one test Redis
    many = RedisCache(",".join(servers), {"KEY_PREFIX": "test-redis-cache"})
    client = many._cache
    for _ in range(30):
        client.get_client(write=False)
    client.get_client(write=True)
    for index, redis_client in client._clients.items():
        assert redis_client.connection_pool is client._pools[index]
    assert sorted(client._clients) == [0, 1, 2]  # both read servers were used, each with its own client
