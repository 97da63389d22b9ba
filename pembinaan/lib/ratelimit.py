"""A fixed-window rate limit in the cache (Redis in production), and the page of a public form
past its bound. Knows no models.

While the cache cannot be reached the limits are not enforced (pembinaan.lib.cache.guarded logs
it): public forms keep working through a Redis outage, with the honeypots and the validation
still in place. (Failed logins are counted by django-axes in the database: pembinaan.lockout.)"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

from .cache import guarded
from .client_address import client_address


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`; False once more than `limit` fall in the current window."""
    count = guarded(lambda: _count(f"ratelimit:{key}", window_seconds), fallback=0)
    return count <= limit


def seconds_left(key: str, *, window_seconds: int) -> int:
    """Seconds until `key`'s current window ends and its count starts again (at least 1); the
    whole window when its start is not known (the cache out, or no attempt yet)."""
    start = guarded(lambda: cache.get(f"ratelimit:{key}:mulai"), fallback=None)
    if start is None:
        return window_seconds
    return min(window_seconds, max(1, math.ceil(start + window_seconds - time.time())))


def _count(cache_key: str, window_seconds: int) -> int:
    """This attempt's number in its window (the window starts with its first attempt, whose
    time is kept beside the count: seconds_left)."""
    if _start(cache_key, window_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # the window ended between add and incr
        _start(cache_key, window_seconds)
        return 1


def _start(cache_key: str, window_seconds: int) -> bool:
    if not cache.add(cache_key, 1, timeout=window_seconds):
        return False
    cache.set(f"{cache_key}:mulai", time.time(), timeout=window_seconds)
    return True


def allow_public_form(request, form: str) -> bool:
    """Count one submission of a public form from this address; False past the hourly bound
    (PUBLIC_FORMS_PER_HOUR)."""
    return allow(
        f"{form}:{client_address(request)}",
        limit=settings.PUBLIC_FORMS_PER_HOUR,
        window_seconds=3600,
    )


def public_form_wait(request, form: str) -> int:
    """Seconds until this address may send public form `form` again (allow_public_form)."""
    return seconds_left(f"{form}:{client_address(request)}", window_seconds=3600)


def batas_pesan(request, form: str, kiriman: str) -> str:
    """What a public form past its hourly bound says: the minutes until it is open again."""
    menit = math.ceil(public_form_wait(request, form) / 60)
    # Counted per address, which a counter's tablet or a carrier's customers may share.
    return (
        f"Terlalu banyak {kiriman} dari perangkat atau jaringan Anda dalam satu jam; "
        f"isian ini belum terkirim. Silakan coba lagi dalam {menit} menit."
    )


def batas_tolak(request, form: str, template: str, context: dict) -> HttpResponse:
    """The form's page again, status 429 with Retry-After (the seconds to wait)."""
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(public_form_wait(request, form))
    return response


def first_use(kind: str, token: str) -> bool:
    """True the first time a public form's one-time `token` is sent (a double click or a
    replayed request is then not counted again); always True while the cache is out."""
    return guarded(lambda: cache.add(f"{kind}:respon:{token}", 1, timeout=24 * 3600), fallback=True)
