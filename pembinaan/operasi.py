"""The operators' endpoints (README: Operations): /healthz/ for the proxy and the orchestrator,
/metrics for Prometheus.

Both are answered by `operasi_middleware`, near the top of the middleware chain: before the
host check (a probe asks for http://10.0.0.5:8000/healthz/, a name ALLOWED_HOSTS does not list),
the HTTPS redirect, sessions, the login and the second sign-in step. They read no session and
generate no link, so nothing the skipped middleware guards is at stake. Their URL patterns
(pembinaan.urls) serve reverse() and the access matrices.

/healthz/ answers 200 when every check is "ok" (or "tidak_berlaku": not part of this
deployment, e.g. Redis on a laptop's eager default), 503 otherwise, with one entry per check;
it says nothing of hosts, addresses or versions. `?cek=hidup` is the liveness answer: the process
serves requests, nothing else is asked.
"""

import os
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from kombu.transport.redis import Channel as RedisChannel
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from .access import can_read_metrik
from .lib import denyut
from .lib.client_address import client_address

OK, GAGAL, TIDAK_BERLAKU, TIDAK_DIKETAHUI = "ok", "gagal", "tidak_berlaku", "tidak_diketahui"
# kombu's Redis transport keeps a queue's messages of priority 0 under its name and those of
# the other priority steps (3, 6, 9 by default) under name + separator + step: its
# Channel._q_for_pri, which needs a connected channel, so the steps and the separator are read
# from the class and the layout is pinned with kombu's major version (pyproject.toml);
# tests/integration/test_operasi.py counts a priority-9 message sent through kombu.
_PRIORITAS = [""] + [f"{RedisChannel.sep}{step}" for step in RedisChannel.priority_steps if step]


def _check(fn) -> dict:
    try:
        return fn()
    except Exception:  # noqa: BLE001 - refused, hung past its timeout, misconfigured: all "down"
        return {"status": GAGAL, "keterangan": "tidak terjangkau"}


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # The next request (ours or another) opens a fresh connection.
        connection.close_if_unusable_or_obsolete()
        raise
    return {"status": OK}


def _ping(url: str) -> dict:
    denyut.client(url).ping()
    return {"status": OK}


def _heartbeat(kind: str, broker_up: bool) -> dict:
    """Whether beat sent (kind "beat") or a worker ran ("worker") the heartbeat within the limit."""
    limit = settings.DENYUT_BATAS_DETIK
    if not broker_up:
        return {"status": TIDAK_DIKETAHUI, "keterangan": "Redis tidak terjangkau"}
    seconds = denyut.age(kind)
    if seconds is None:
        return {"status": GAGAL, "keterangan": "belum pernah tercatat"}
    state = OK if seconds <= limit else GAGAL
    return {"status": state, "umur_detik": round(seconds), "batas_detik": limit}


def checks() -> dict[str, dict]:
    result = {"database": _check(_database)}
    if not settings.REDIS_URL:
        # The laptop default: no broker, tasks run eagerly in the web process, a local cache.
        eager = {"status": TIDAK_BERLAKU, "keterangan": "tanpa Redis: tugas dijalankan langsung"}
        return result | {"broker": eager, "cache": eager, "worker": eager, "beat": eager}
    result["broker"] = _check(lambda: _ping(settings.REDIS_URL))
    if settings.CACHE_URL:
        result["cache"] = _check(lambda: _ping(settings.CACHE_URL))
    else:
        result["cache"] = {"status": TIDAK_BERLAKU}
    broker_up = result["broker"]["status"] == OK
    for kind in ("worker", "beat"):
        result[kind] = _check(lambda kind=kind: _heartbeat(kind, broker_up))
    return result


@login_not_required
def healthz(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if request.GET.get("cek") == "hidup":
        response = JsonResponse({"status": OK})
    else:
        found = checks()
        healthy = all(c["status"] in (OK, TIDAK_BERLAKU) for c in found.values())
        response = JsonResponse(
            {"status": OK if healthy else GAGAL, "checks": found}, status=200 if healthy else 503
        )
    response["Cache-Control"] = "no-store"
    return response


class Antrean:
    """Collected at each scrape: the length of each Celery queue in the broker, and the jobs
    (rows a worker makes: PDFs, reports, imports) waiting for a worker with the age of the oldest.
    A source that cannot be read gives sibina_sumber_metrik_up 0 and none of its gauges."""

    def collect(self):
        up = GaugeMetricFamily(
            "sibina_sumber_metrik_up", "Whether the source could be read (1) or not (0).",
            labels=["sumber"],
        )  # fmt: skip
        if settings.REDIS_URL:
            try:
                yield from self._broker()
                up.add_metric(["broker"], 1)
            except Exception:  # noqa: BLE001 - down or hanging: the scrape still answers
                up.add_metric(["broker"], 0)
        try:
            yield from self._jobs()
            up.add_metric(["database"], 1)
        except Exception:  # noqa: BLE001
            connection.close_if_unusable_or_obsolete()
            up.add_metric(["database"], 0)
        yield up

    def _broker(self):
        client = denyut.client(settings.REDIS_URL)
        pipe = client.pipeline(transaction=False)
        for queue in settings.ANTREAN:
            for suffix in _PRIORITAS:
                pipe.llen(queue + suffix)
        pipe.get(denyut.KEY.format("beat"))
        pipe.get(denyut.KEY.format("worker"))
        *lengths, beat, worker = pipe.execute()
        queues = GaugeMetricFamily(
            "sibina_celery_antrean_panjang", "Messages waiting in a Celery queue.",
            labels=["antrean"],
        )  # fmt: skip
        for i, queue in enumerate(settings.ANTREAN):
            step = len(_PRIORITAS)
            queues.add_metric([queue], sum(lengths[i * step : (i + 1) * step]))
        yield queues
        beats = GaugeMetricFamily(
            "sibina_denyut_umur_detik",
            "Seconds since beat sent (proses=beat) or a worker ran (proses=worker) the heartbeat.",
            labels=["proses"],
        )
        now = time.time()
        for kind, value in (("beat", beat), ("worker", worker)):
            if value is not None:
                beats.add_metric([kind], max(0.0, now - float(value)))
        yield beats

    def _jobs(self):
        from django.db.models import Count, Min

        from evaluasi.models import BerkasLaporan
        from pegawai.models import ImporPegawai

        from .models import LaporanMonitoring

        S = ImporPegawai.Status
        waiting = {
            "berkas_laporan": (
                BerkasLaporan.objects.filter(status=BerkasLaporan.Status.MENUNGGU),
                "created_at",
            ),
            "laporan_monitoring": (
                LaporanMonitoring.objects.filter(status=LaporanMonitoring.Status.MENUNGGU),
                "created_at",
            ),
            # An import waits twice: to be checked, then (after HR confirm) to be saved.
            "impor_pegawai": (
                ImporPegawai.objects.filter(status__in=[S.MENUNGGU_PERIKSA, S.MENUNGGU_SIMPAN]),
                "updated_at",
            ),
        }
        count = GaugeMetricFamily(
            "sibina_pekerjaan_menunggu", "Jobs waiting for a worker.", labels=["jenis"]
        )
        oldest = GaugeMetricFamily(
            "sibina_pekerjaan_tertua_detik",
            "Age in seconds of the oldest job waiting for a worker (0: none waits).",
            labels=["jenis"],
        )
        now = timezone.now()
        for kind, (rows, since) in waiting.items():
            found = rows.aggregate(n=Count("pk"), first=Min(since))
            count.add_metric([kind], found["n"])
            first = found["first"]
            oldest.add_metric([kind], (now - first).total_seconds() if first else 0)
        yield count
        yield oldest


@login_not_required
def metrics(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    verdict = can_read_metrik(client_address(request, strict=True))
    if not verdict:
        return HttpResponse(verdict.message, status=403, content_type="text/plain; charset=utf-8")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers: the counters of all of them, from their files.
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    ours = CollectorRegistry(auto_describe=False)
    ours.register(Antrean())
    body = generate_latest(registry) + generate_latest(ours)
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


ENDPOINTS = {"/healthz/": healthz, "/metrics": metrics}


def operasi_middleware(get_response):
    def middleware(request):
        view = ENDPOINTS.get(request.path_info)
        if view is not None:
            # Answered before SecurityMiddleware: its nosniff set here, and no cache keeps it.
            response = view(request)
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "no-store"
            return response
        return get_response(request)

    return middleware
