"""Cached values grouped under a version: moving the version on makes every value of the group
stale at once, without finding and deleting their keys. Knows no models.

A cache that cannot be reached costs speed, never a page: reads then compute, writes are skipped
and logged.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.cache.backends import redis as redis_backend

logger = logging.getLogger(__name__)
_MISSING = object()


def read(key: str, default: Any = None) -> Any:
    """cache.get, or `default` while the cache cannot be reached."""
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 - any cache outage
        logger.warning("cache unreachable; %s not read", key, exc_info=True)
        return default


def write(key: str, value: Any, timeout: int | None) -> None:
    """cache.set, skipped while the cache cannot be reached."""
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("cache unreachable; %s not stored", key, exc_info=True)


def add(key: str, value: Any, timeout: int | None) -> bool:
    """cache.add; False while the cache cannot be reached."""
    try:
        return cache.add(key, value, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("cache unreachable; %s not added", key, exc_info=True)
        return False


def delete(key: str) -> None:
    """cache.delete, skipped while the cache cannot be reached."""
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001
        logger.warning("cache unreachable; %s not deleted", key, exc_info=True)


class VersionedCache:
    """With `in_process`, each process also keeps its own copy of the values it read: a read
    then asks the cache for the version alone and, while that has not moved, returns the copy
    without transferring and unpickling it again. For a few large values read on most pages (the
    unit tree); a copy is kept no longer than the value's timeout, as in the cache."""

    def __init__(self, name: str, *, in_process: bool = False):
        self.name = name
        self.version_key = f"{name}:versi"
        self._copies: dict[str, tuple[int, float, Any]] | None = {} if in_process else None

    def version(self) -> int:
        # A new version starts at the clock, not at 1, so that a cache emptied or restarted
        # never gives again a version an in-process copy was taken under.
        try:
            return cache.get_or_set(self.version_key, time.time_ns, timeout=None)
        except Exception:  # noqa: BLE001 - any cache outage; the value is computed instead
            logger.warning("cache %s unreachable; computing without it", self.name, exc_info=True)
            return 0

    def bump(self) -> None:
        """Everything cached so far in this group is stale from now on."""
        try:
            cache.incr(self.version_key)
        except ValueError:  # no version yet (a new or restarted cache): nothing is cached either
            write(self.version_key, time.time_ns(), timeout=None)
        except Exception:  # noqa: BLE001
            logger.warning("cache %s unreachable; version not moved", self.name, exc_info=True)

    def get(self, key: str, compute: Callable[[], Any], timeout: int) -> Any:
        """The value of `key` as of the current version, computed and stored when missing or
        older. One round trip: the version and the value (stored with the version it was
        computed under) are read together."""
        full_key = f"{self.name}:{key}"
        if self._copies is not None:
            return self._get_with_copy(full_key, compute, timeout)
        try:
            found = cache.get_many([self.version_key, full_key])
        except Exception:  # noqa: BLE001
            logger.warning("cache %s unreachable; computing without it", self.name, exc_info=True)
            return compute()
        version = found.get(self.version_key) or self.version()  # none yet: start one
        if not version:
            return compute()
        return self._current(full_key, version, found.get(full_key), compute, timeout)

    def _get_with_copy(self, full_key: str, compute: Callable[[], Any], timeout: int) -> Any:
        version = self.version()
        if not version:  # the cache is unreachable: no way to know whether a copy is current
            return compute()
        copy = self._copies.get(full_key)
        if copy is not None and copy[0] == version and copy[1] > time.monotonic():
            return copy[2]
        value = self._current(full_key, version, read(full_key), compute, timeout)
        self._copies[full_key] = (version, time.monotonic() + timeout, value)
        return value

    @staticmethod
    def _current(full_key: str, version: int, stored, compute, timeout: int) -> Any:
        """The stored value when it was computed under `version`, else computed and stored."""
        if stored is not None and stored[0] == version:
            return stored[1]
        value = compute()
        write(full_key, (version, value), timeout)
        return value


class RedisCache(redis_backend.RedisCache):
    """Django's Redis cache with one redis-py client per connection pool, not one per call:
    building a client copies its table of response callbacks, about a third of a cache read
    here. Django keeps a cache object per thread, so each client serves one thread."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool


class _ClientPerPool(redis_backend.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]
