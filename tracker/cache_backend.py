"""The shared cache's backend: Django's Redis cache, with one client per
connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every
cache operation, and each one fills a table of some 170 response callbacks.
Measured in-process on a cached public answer (two cache reads: the data
version and the response), that construction was a quarter of the CPU the
whole request cost. A `redis.Redis` holds no connection of its own: it
takes one from its pool for each command and gives it back, so one client
per pool serves every thread, and the pool itself drops the connections it
inherited across a fork (redis-py checks the process id)."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # Two threads may both build one the first time; either serves.
            client = self._client(connection_pool=self._pool_at(index))
            self._clients[index] = client
        return client

    def _pool_at(self, index: int):
        if index not in self._pools:
            self._pools[index] = self._pool_class.from_url(
                self._servers[index], **self._pool_options
            )
        return self._pools[index]


class TrackerRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
