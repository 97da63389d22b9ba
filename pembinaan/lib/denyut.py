"""The heartbeat that shows beat and a worker alive (pembinaan.tasks.denyut_task, /healthz/).
Knows no models.

Beat sends the heartbeat task every DENYUT_DETIK seconds; as it is sent, the sending process (beat)
writes "beat sent at" (pembinaan.celery, before_task_publish), and the worker that runs it writes
"worker ran at". Both are Unix times in the broker's Redis database, under keys of their own: not
in the cache, which an operator may empty and whose keys change with each release. /healthz/
reads their ages.
"""

import time

import redis
from django.conf import settings

KEY = "sibina:denyut:{}"  # "beat" or "worker"
# Short: /healthz/ is polled every few seconds and must answer even when Redis hangs.
TIMEOUT_SECONDS = 0.5

_clients: dict[str, redis.Redis] = {}


def client(url: str) -> redis.Redis:
    """A Redis client on `url` with short timeouts; one connection pool per URL and process."""
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
    return _clients[url]


def stamp(kind: str, at: float | None = None) -> None:
    """Write that `kind` ("beat" or "worker") was alive at `at` (now). Nothing without Redis."""
    if settings.REDIS_URL:
        client(settings.REDIS_URL).set(KEY.format(kind), at if at is not None else time.time())


def age(kind: str) -> float | None:
    """Seconds since `kind` was last alive; None when it never was (or the key was lost)."""
    value = client(settings.REDIS_URL).get(KEY.format(kind))
    if value is None:
        return None
    return max(0.0, time.time() - float(value))
