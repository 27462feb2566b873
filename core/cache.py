"""The Redis cache backend: Django's, with one redis-py client per connection pool."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's Redis cache client, keeping the redis-py client of each connection pool.

    Django builds a new `redis.Redis` around the pool on every cache call; since redis-py 6 its
    constructor checks its arguments for deprecated ones through `inspect`, which made a lesson
    view's seven cache calls cost about 0.4 ms of CPU in building clients (py-spy, 2026-12-05). A
    client holds no connection of its own (it borrows one from the pool for each command) and
    redis-py documents it as safe to share between threads, so one per pool does the same work.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id(pool) -> client; the pools live as long as this object

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    """`django.core.cache.backends.redis.RedisCache` with the client above (settings.CACHES)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
