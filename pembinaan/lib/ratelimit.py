"""A fixed-window rate limit in the cache (Redis in production). Knows no models.

While the cache cannot be reached the limits are not enforced (logged): public forms keep working
through a Redis outage, with the honeypots and the validation still in place. (Failed logins are
counted by django-axes in the database: pembinaan.lockout.)"""

import logging

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches

from .cache import RedisCache
from .client_address import client_address

logger = logging.getLogger(__name__)


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`; False once more than `limit` fall in the current window."""
    cache_key = f"ratelimit:{key}"
    try:
        return _count(cache_key, window_seconds) <= limit
    except Exception:  # noqa: BLE001 - any cache outage
        logger.warning("rate limit %s not enforced: cache unreachable", key, exc_info=True)
        return True


def _count(cache_key: str, window_seconds: int) -> int:
    """This attempt's number in its window: in one round trip on Redis (production), by the
    cache API elsewhere (the laptop's local memory)."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return backend.count_in_window(cache_key, window_seconds)
    if cache.add(cache_key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return 1


def allow_public_form(request, form: str) -> bool:
    """Count one submission of a public form from this address; False past the hourly bound
    (PUBLIC_FORMS_PER_HOUR)."""
    from django.conf import settings

    return allow(
        f"{form}:{client_address(request)}",
        limit=settings.PUBLIC_FORMS_PER_HOUR,
        window_seconds=3600,
    )
