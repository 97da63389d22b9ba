"""Cached values grouped under a version: moving the version on makes every value of the group
stale at once, without finding and deleting their keys. Knows no models.

A cache that cannot be reached costs speed, never a page: reads then compute, writes are skipped
and logged.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

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
    def __init__(self, name: str):
        self.name = name
        self.version_key = f"{name}:versi"

    def version(self) -> int:
        try:
            return cache.get_or_set(self.version_key, 1, timeout=None)
        except Exception:  # noqa: BLE001 - any cache outage; the value is computed instead
            logger.warning("cache %s unreachable; computing without it", self.name, exc_info=True)
            return 0

    def bump(self) -> None:
        """Everything cached so far in this group is stale from now on."""
        try:
            cache.incr(self.version_key)
        except ValueError:  # no version yet (a new or restarted cache): nothing is cached either
            write(self.version_key, 2, timeout=None)
        except Exception:  # noqa: BLE001
            logger.warning("cache %s unreachable; version not moved", self.name, exc_info=True)

    def get(self, key: str, compute: Callable[[], Any], timeout: int) -> Any:
        """The value of `key` as of the current version, computed and stored when missing or
        older. One round trip: the version and the value (stored with the version it was
        computed under) are read together."""
        full_key = f"{self.name}:{key}"
        try:
            found = cache.get_many([self.version_key, full_key])
        except Exception:  # noqa: BLE001
            logger.warning("cache %s unreachable; computing without it", self.name, exc_info=True)
            return compute()
        version = found.get(self.version_key) or self.version()  # none yet: start one
        stored = found.get(full_key)
        if version and stored is not None and stored[0] == version:
            return stored[1]
        value = compute()
        if version:
            write(full_key, (version, value), timeout)
        return value
