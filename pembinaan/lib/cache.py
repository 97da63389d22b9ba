"""The one cache mechanism: values grouped under a generation (the djangoproject.com dashboard
pattern). A value is stored with `version=<the group's generation>`; a write to what the group is
made of moves the generation on once its transaction commits, and every value stored before is
never read again. Knows no models.

Three rules keep it true:
- the generation moves only after the commit (`stale()` inside a transaction defers it), so no
  process can store rows that may still be rolled back under a generation others read;
- a value is stored only when read outside any transaction: inside one it may include the
  transaction's own uncommitted rows;
- every value has a short timeout, so a move lost while the cache could not be reached (or a
  write that bypassed the signals) keeps old values for `timeout` seconds at most.

A cache that cannot be reached or answers too slowly (settings.CACHES OPTIONS: socket timeouts)
costs speed, never a page: the call is skipped, the cache left alone for a few seconds, and one
line is logged per minute. The rate limits (pembinaan.lib.ratelimit) go through `guarded` too.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, models, transaction

logger = logging.getLogger(__name__)

SKIP_SECONDS = 5  # after a failed call, the cache is not asked for this long
LOG_EVERY_SECONDS = 60
_skip_until = 0.0
_logged_at = 0.0


def guarded(call: Callable[[], Any], fallback: Any = None) -> Any:
    """`call()` on the cache, or `fallback` while the cache is out (failed in the last seconds)."""
    global _skip_until, _logged_at
    now = time.monotonic()
    if now < _skip_until:
        return fallback
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - any outage: refused, hung (timeout), full
        _skip_until = now + SKIP_SECONDS
        if now - _logged_at >= LOG_EVERY_SECONDS or _logged_at == 0.0:
            _logged_at = now
            logger.warning("cache unreachable (%s); working without it", error)
        return fallback


class Group:
    def __init__(self, name: str, *, timeout: int):
        self.name = name
        self.timeout = timeout
        self.generation_key = f"{name}:generasi"

    def generation(self) -> int | None:
        """The group's current generation; None while the cache is out. A `{% cache %}`
        fragment made of the group's values varies on it (masyarakat/views.py masukan_create)."""
        return guarded(lambda: cache.get_or_set(self.generation_key, 1, timeout=None))

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        """The value of `key` under the current generation, computed (and stored) when missing."""
        generation = self.generation()
        if generation is None:
            return compute()
        full_key = f"{self.name}:{key}"
        value = guarded(lambda: cache.get(full_key, version=generation))
        if value is None:
            value = compute()
            if not connection.in_atomic_block:
                guarded(lambda: cache.set(full_key, value, self.timeout, version=generation))
        return value

    def stale(self) -> None:
        """What the group holds changed: a new generation once the transaction commits (at once
        outside one; never when it rolls back)."""
        transaction.on_commit(self._next_generation)

    def _next_generation(self) -> None:
        def incr():
            try:
                cache.incr(self.generation_key)
            except ValueError:  # no generation stored (a new or emptied cache): none was read
                pass

        guarded(incr)


class StalingQuerySet(models.QuerySet):
    """A queryset whose bulk writes, which send no model signals, make `cache_group` stale."""

    cache_group: Group

    def update(self, **kwargs):
        self.cache_group.stale()
        return super().update(**kwargs)

    def bulk_create(self, *args, **kwargs):
        self.cache_group.stale()
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        self.cache_group.stale()
        return super().bulk_update(*args, **kwargs)
