"""The Redis cache backend (core.cache) against a real Redis: it stores and reads as Django's
does, while every call, from any thread, goes through the one redis-py client of its pool."""

import threading

from core.cache import RedisCache
from tests.operations.processes import redis_flushed, redis_test_url


def test_redis_cache_reuses_one_client_per_pool_across_calls_and_threads():
    url = redis_test_url()
    redis_flushed(url)
    cache = RedisCache(url, {})
    cache.set("lesson", {"title": "Etika ASN"}, 60)
    first = cache._cache.get_client(write=True)

    clients, values = [], []

    def read():
        clients.append(cache._cache.get_client())
        values.append(cache.get("lesson"))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert values == [{"title": "Etika ASN"}] * 4
    assert all(client is first for client in clients)
    assert first.connection_pool is cache._cache._get_connection_pool(write=True)
    assert cache.get_many(["lesson", "missing"]) == {"lesson": {"title": "Etika ASN"}}
    cache.delete("lesson")
    assert cache.get("lesson") is None
