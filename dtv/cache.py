"""The shared cache: Redis when REDIS_URL (or CACHE_URL) is set, so that every web process and
worker reads and invalidates the same entries; local memory in the quick start.

A Redis outage must not take the pages down with it (tests/faults: the web keeps serving while
Redis is away). Django's RedisCache raises on a refused connection; this one treats a read as
a miss and a write as not done, and says so in the log. An invalidation lost that way is
bounded by the entries' timeouts (at most five minutes for the municipality list)."""

import logging

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
