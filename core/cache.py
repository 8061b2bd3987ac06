"""A Redis cache that keeps the site up when Redis is down.

Django's RedisCache raises on every call when the server is unreachable, and the cache is
read on every page (the working-day calendar's version, the dashboard). With this backend
a failed call is logged and behaves like a miss: reads return the default, writes do
nothing, so pages, logging progress and sign-off keep working without Redis.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

# After a failure, skip Redis for a few seconds instead of waiting for a timeout on every call.
_BACKOFF_SECONDS = 5.0


# {server locations: monotonic time until which they are taken as down}, shared by threads.
_down_until: dict[tuple, float] = {}


class ResilientRedisCache(RedisCache):
    def _is_down(self) -> bool:
        return time.monotonic() < _down_until.get(tuple(self._servers), 0.0)

    def _mark_down(self):
        _down_until[tuple(self._servers)] = time.monotonic() + _BACKOFF_SECONDS

    def _call(self, name, default, *args, **kwargs):
        if self._is_down():
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except ERRORS as exc:
            self._mark_down()
            logger.warning("cache unavailable (%s failed: %s); carrying on without it", name, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        if self._is_down():
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        try:
            return super().incr(key, delta, version)
        except ERRORS as exc:
            self._mark_down()
            logger.warning("cache unavailable (incr failed: %s)", exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def clear(self):
        return self._call("clear", False)
