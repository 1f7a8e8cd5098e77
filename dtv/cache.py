"""The shared cache: Redis when REDIS_URL (or CACHE_URL) is set, so that every web process and
worker reads and invalidates the same entries; local memory in the quick start.

A Redis outage must not take the pages down with it (tests/faults: the web keeps serving while
Redis is away). Django's RedisCache raises on a refused connection; this one treats a read as
a miss and a write as not done, and says so in the log. An invalidation lost that way is
bounded by the entries' timeouts (at most five minutes for the municipality list)."""

import logging
import uuid

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
_OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _OUTAGE as error:
            log.warning("cache unavailable, reading %s as a miss: %s", key, error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _OUTAGE as error:
            log.warning("cache unavailable, reading %d keys as misses: %s", len(keys), error)
            return {}

    def set(self, key, value, timeout=None, version=None):  # noqa: A003
        try:
            super().set(key, value, timeout, version)
        except _OUTAGE as error:
            log.warning("cache unavailable, %s not stored: %s", key, error)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except _OUTAGE as error:
            log.warning("cache unavailable, %s not added: %s", key, error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _OUTAGE as error:
            log.error("cache unavailable, %s not invalidated (expires by itself): %s", key, error)
            return False


def generation(name: str) -> str:
    """A token that changes whenever `bump(name)` is called: part of the keys of entries
    derived from data that can change (e.g. the rendered case filter form, which lists the
    officers), so that one write makes every process stop reading the old entries, without
    knowing their keys. An evicted token is replaced by a new one, which is also safe."""
    from django.core.cache import cache

    key = f"generation:{name}"
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, None)
        token = cache.get(key) or "none"
    return token


def bump(name: str) -> None:
    from django.core.cache import cache

    cache.set(f"generation:{name}", uuid.uuid4().hex, None)


def bump_after_commit(name: str) -> None:
    """bump(name) now and again once the transaction commits: a request that read the old
    rows between the two (and stored what it derived under the first new token) is dropped
    with that token. Outside a transaction the second bump runs at once."""
    from django.db import transaction

    bump(name)
    transaction.on_commit(lambda: bump(name))


def remembered(key: str, build, timeout: int = 300):
    """The entry under `key`, or `build()` stored there for `timeout` seconds. Keys of
    entries derived from data that can change carry that data's generation."""
    from django.core.cache import cache

    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value
