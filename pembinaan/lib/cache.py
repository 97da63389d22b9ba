"""Cached values grouped under a version: moving the version on makes every value of the group
stale at once, without finding and deleting their keys. Knows no models.

A cache that cannot be reached costs speed, never a page: reads then compute, writes are skipped
and logged.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.core.cache.backends import redis as redis_backend
from django.db import transaction

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


# The version key of every group, and inside versions_per_request the versions read so far.
_VERSION_KEYS: set[str] = set()
_request_versions: ContextVar[dict[str, int] | None] = ContextVar("versions", default=None)


@contextmanager
def versions_per_request() -> Iterator[None]:
    """Inside, each group's version is read from the cache once: the first read takes the
    versions of every group along in its round trip, and later reads of any group ask for their
    value alone, or for nothing when it is an in-process copy. A request is served as of the
    versions it started with, its own bumps included (a page read the unit tree four times, in
    four round trips). Outside (tasks, the shell), every read asks for the version."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


class VersionedCache:
    """With `in_process`, each process also keeps its own copy of the values it read: a read
    then asks the cache for the version alone and, while that has not moved, returns the copy
    without transferring and unpickling it again. For a few large values read on most pages (the
    unit tree); a copy is kept no longer than the value's timeout, as in the cache."""

    def __init__(self, name: str, *, in_process: bool = False):
        self.name = name
        self.version_key = f"{name}:versi"
        self._copies: dict[str, tuple[int, float, Any]] | None = {} if in_process else None
        _VERSION_KEYS.add(self.version_key)

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
            version = cache.incr(self.version_key)
        except ValueError:  # no version yet (a new or restarted cache): nothing is cached either
            version = time.time_ns()
            write(self.version_key, version, timeout=None)
        except Exception:  # noqa: BLE001
            logger.warning("cache %s unreachable; version not moved", self.name, exc_info=True)
            version = None
        memo = _request_versions.get()
        if memo is not None:
            memo.pop(self.version_key, None)
            if version:
                memo[self.version_key] = version

    def stale(self) -> None:
        """For a writer inside a transaction (a model's signal): bumped now, for the rest of the
        transaction, and again after the commit, so that a request that read the old rows
        meanwhile cannot leave them cached under the new version."""
        self.bump()
        transaction.on_commit(self.bump)

    def get(self, key: str, compute: Callable[[], Any], timeout: int) -> Any:
        """The value of `key` as of the current version, computed and stored when missing or
        older. One round trip: the version and the value (stored with the version it was
        computed under) are read together; with an in-process copy, the version alone."""
        full_key = f"{self.name}:{key}"
        in_process = self._copies is not None
        try:
            version, stored = self._version_and(None if in_process else full_key)
        except Exception:  # noqa: BLE001
            logger.warning("cache %s unreachable; computing without it", self.name, exc_info=True)
            return compute()
        if not version:  # unreachable: no way to know whether anything kept is current
            return compute()
        if not in_process:
            return self._current(full_key, version, stored, compute, timeout)
        copy = self._copies.get(full_key)
        if copy is not None and copy[0] == version and copy[1] > time.monotonic():
            return copy[2]
        value = self._current(full_key, version, read(full_key), compute, timeout)
        self._copies[full_key] = (version, time.monotonic() + timeout, value)
        return value

    def _version_and(self, key: str | None) -> tuple[int, Any]:
        """This group's version and the value stored under `key` (when given), in one round
        trip; within versions_per_request, the version as first read there."""
        memo = _request_versions.get()
        if memo is not None and self.version_key in memo:
            return memo[self.version_key], (read(key) if key else None)
        keys = [self.version_key, *([key] if key else [])]
        if memo is not None:
            keys += sorted(_VERSION_KEYS - memo.keys() - {self.version_key})
        found = cache.get_many(keys)
        version = found.get(self.version_key) or self.version()  # none yet: start one
        if memo is not None:
            memo.update({k: v for k, v in found.items() if k in _VERSION_KEYS})
            if version:
                memo[self.version_key] = version
        return version, found.get(key) if key else None

    @staticmethod
    def _current(full_key: str, version: int, stored, compute, timeout: int) -> Any:
        """The stored value when it was computed under `version`, else computed and stored."""
        if stored is not None and stored[0] == version:
            return stored[1]
        value = compute()
        write(full_key, (version, value), timeout)
        return value


# A rate limit's counter: counted, and given its window on the first count, in one step.
_COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""


class RedisCache(redis_backend.RedisCache):
    """Django's Redis cache with one redis-py client per connection pool, not one per call:
    building a client copies its table of response callbacks, about a third of a cache read
    here. Django keeps a cache object per thread, so each client serves one thread."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool

    def count_in_window(self, key: str, window_seconds: int) -> int:
        """Add one to the counter `key` and return it; the counter lasts `window_seconds` from
        its first count. One round trip, atomic (a script: Redis runs it whole), where the cache
        API's add-then-incr takes three (incr asks whether the key exists first). A script, not
        EXPIRE's NX flag, so that a Redis older than 7 counts too (an error here would leave
        the limits unenforced)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        return client.eval(_COUNT_IN_WINDOW, 1, key, window_seconds)


class _ClientPerPool(redis_backend.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]
