"""Django's Redis cache, with one redis client per connection pool instead of one per cache call.

Django's RedisCacheClient.get_client() builds a new ``redis.Redis`` for every get, set or get_many, and its
constructor fills ~170 response callbacks: about 0.2 ms of CPU a call, which was a third of a kept answer's
whole cost (docs/benchmarks.md, issue 12). A ``redis.Redis`` is safe to reuse (its connections come from the
pool, which also starts afresh in a forked process), and each thread has its own cache object in Django,
so keeping the one built first is enough."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

__all__ = ["RedisCache"]


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # The server is picked once (a random read server when there are several) and the client kept for it is
        # the one built on that server's own pool (Django's _get_connection_pool() would pick again).
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
