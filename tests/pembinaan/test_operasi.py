"""The operators' side (README: Operations) that needs no Redis: /healthz/ on the laptop default,
who may read /metrics, the waiting jobs' gauges, JSON log lines (the application and gunicorn,
read back from real processes) and Sentry's events as a local ingest server receives them.
The checks against real PostgreSQL, Redis, a worker and beat are tests/integration/test_operasi.py.
"""

import gzip
import ipaddress
import json
import os
import subprocess
import sys
import threading
import zlib
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from evaluasi.models import BerkasLaporan
from pembinaan import services
from pembinaan.lib.telemetri import mask, mask_path
from pembinaan.models import LaporanMonitoring
from tests.metrics import samples
from tests.services import Server, free_port
from tests.workers import ROOT, stop_process, wait_for

NIP = "199001012015031002"
NIP_GROUPED = "1988.0314.2012.01.2.015"
PHONE = "0812-3456-7890"
TOKEN = "tokenRahasiaWarga42"

pytestmark = pytest.mark.django_db


@pytest.fixture
def laptop(settings):
    """The laptop default: no Redis, tasks run eagerly, a local cache."""
    settings.REDIS_URL = ""
    settings.CACHE_URL = ""


def test_healthz_on_the_laptop_default_says_redis_worker_and_beat_do_not_apply(client, laptop):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    for check in ("broker", "cache", "worker", "beat"):
        assert body["checks"][check]["status"] == "tidak_berlaku"
    assert response["Cache-Control"] == "no-store"


def test_healthz_tells_no_host_address_or_version(client, laptop, settings):
    from django import VERSION as DJANGO

    text = client.get("/healthz/").content.decode()
    database = settings.DATABASES["default"]
    for secret in [str(database["NAME"]), "127.0.0.1", "localhost", "redis://", "postgres"]:
        assert secret not in text
    assert ".".join(map(str, DJANGO[:2])) not in text


def test_the_liveness_answer_asks_nothing(client, settings):
    # Nothing listens on port 1: a readiness answer would fail, the liveness one does not ask.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHE_URL = "redis://127.0.0.1:1/1"
    assert client.get("/healthz/?cek=hidup").json() == {"status": "ok"}
    readiness = client.get("/healthz/")
    assert readiness.status_code == 503
    assert readiness.json()["checks"]["broker"]["status"] == "gagal"


def test_healthz_and_metrics_answer_any_host_and_no_https_redirect_a_probe(client, settings):
    # A probe asks by the container's address; the site's name is all ALLOWED_HOSTS lists.
    settings.ALLOWED_HOSTS = ["sibina.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = settings.CACHE_URL = ""
    assert client.get("/healthz/", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/metrics", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/warga/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert client.post("/healthz/").status_code == 405


def test_healthz_and_metrics_are_not_sniffed_or_cached(client, settings):
    settings.REDIS_URL = settings.CACHE_URL = ""
    for response in (
        client.get("/healthz/"),
        client.get("/metrics"),
        client.get("/metrics", REMOTE_ADDR="192.0.2.1"),
        client.post("/healthz/"),
    ):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "no-store"


def test_metrics_are_read_from_the_allowed_networks_only(client, settings):
    settings.REDIS_URL = settings.CACHE_URL = ""
    # By default the loopback only.
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.7").status_code == 403
    settings.METRIKA_IZIN = [ipaddress.ip_network("10.0.0.0/24")]
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    # Through the trusted proxy the client is the one it names: inside the network or not.
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("172.28.0.1/32")]
    through = {"REMOTE_ADDR": "172.28.0.1"}
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9", **through).status_code == 403
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.0.0.9", **through).status_code == 200
    # A chain that cannot be read is nobody's, not the proxy's (which is inside the network).
    settings.METRIKA_IZIN = [ipaddress.ip_network("172.28.0.0/24")]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="172.28.0.1", **through).status_code == 200
    unreadable = client.get("/metrics", HTTP_X_FORWARDED_FOR="8.8.8.8, rusak", **through)
    assert unreadable.status_code == 403
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="rusak", **through).status_code == 403
    settings.METRIKA_IZIN = [ipaddress.ip_network("10.0.0.0/24")]
    # Signed in as an administrator changes nothing: the address decides.
    refused = client.get("/metrics", REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 403 and b"sibina_" not in refused.content


def test_metrics_give_the_waiting_jobs_and_the_age_of_the_oldest(client, cast, settings):
    settings.REDIS_URL = settings.CACHE_URL = ""
    program = services.program_create(tahun=timezone.localdate().year - 1, by=cast.admin)
    old = LaporanMonitoring.objects.create(
        program=program, periode_mulai="2026-10-01", periode_selesai="2026-10-31"
    )
    LaporanMonitoring.objects.create(
        program=program, periode_mulai="2026-09-01", periode_selesai="2026-09-30", status="selesai"
    )
    LaporanMonitoring.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    for pegawai in (cast.pegawai_pegawai, cast.atasan_pegawai):
        BerkasLaporan.objects.create(jenis="pegawai", pegawai=pegawai, diminta_oleh=cast.pengelola)
    found = samples(client.get("/metrics").content.decode())
    assert found[("sibina_pekerjaan_menunggu", (("jenis", "laporan_monitoring"),))] == 1
    assert found[("sibina_pekerjaan_menunggu", (("jenis", "berkas_laporan"),))] == 2
    assert found[("sibina_pekerjaan_menunggu", (("jenis", "impor_pegawai"),))] == 0
    age = found[("sibina_pekerjaan_tertua_detik", (("jenis", "laporan_monitoring"),))]
    assert 600 <= age < 3600
    assert found[("sibina_pekerjaan_tertua_detik", (("jenis", "impor_pegawai"),))] == 0
    assert found[("sibina_sumber_metrik_up", (("sumber", "database"),))] == 1
    # django-prometheus's own, counted by its first middleware (this very request among them).
    assert found[("django_http_requests_before_middlewares_total", ())] >= 1


def alone(tmp_path) -> dict[str, str]:
    """The environment of a process of these tests: a database file of its own and no Redis, so
    that nothing it does reaches the suite's database or broker (where the session's worker
    would take it)."""
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'sendiri.sqlite3'}", "REDIS_URL": "",
            "CACHE_URL": ""}  # fmt: skip


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_log_format_json_makes_every_line_of_the_application_a_json_object(tmp_path):
    script = (
        "import logging\n"
        "logging.getLogger('pembinaan.uji').warning('antrean %s penuh', 'pdf')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n"
        "    logging.getLogger('pembinaan.uji').exception('gagal')\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT,
        env=os.environ | alone(tmp_path) | {"LOG_FORMAT": "json"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = json_lines(result.stderr)  # every line parses, or this raises
    ours = [line for line in lines if line["logger"] == "pembinaan.uji"]
    assert ours[0]["message"] == "antrean pdf penuh" and ours[0]["level"] == "WARNING"
    assert {"time", "level", "logger", "message"} <= set(ours[0])
    assert ours[1]["level"] == "ERROR" and "ZeroDivisionError" in ours[1]["exc_info"]
    # The default stays the plain message.
    plain = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT,
        env=os.environ | alone(tmp_path) | {"LOG_FORMAT": ""},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "antrean pdf penuh\n" in plain.stderr and '"logger"' not in plain.stderr


def test_gunicorn_with_its_config_logs_json_lines_with_the_access_fields(tmp_path):
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:pembinaan.gunicorn_conf",
         "pembinaan.wsgi:application", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env=os.environ | alone(tmp_path) | {"LOG_FORMAT": "json", "DEBUG": "1"},
    )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_for(lambda: server.status("/healthz/?cek=hidup") == 200 or process.poll() is not None,
                 seconds=60, what="gunicorn")  # fmt: skip
        assert server.status(f"/healthz/?cek=hidup&cari={NIP}") == 200
        # Logged by Django too ("Not Found: /tidak-ada/"), with the request attached.
        assert server.status(f"/tidak-ada/?cari={NIP}") in (404, 500)
        assert server.status(f"/kalender/{TOKEN}.ics") in (404, 500)  # a secret in the path
    finally:
        stop_process(process)
        log.close()
    lines = json_lines((tmp_path / "gunicorn.log").read_text())
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    health = [line for line in access if line["path"] == "/healthz/"]
    assert health[-1]["status"] == 200 and health[-1]["method"] == "GET"
    assert health[-1]["duration_ms"] >= 0 and health[-1]["remote"] == "127.0.0.1"
    assert NIP not in (tmp_path / "gunicorn.log").read_text()  # the query string is not logged
    assert TOKEN not in (tmp_path / "gunicorn.log").read_text()  # nor a path's secret
    assert any(line.get("path") == "/kalender/[rahasia].ics" for line in access)
    assert any(line["logger"] == "django.request" for line in lines)
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # "Booting worker" and such


@pytest.mark.parametrize(
    "path, logged",
    [
        ("/kalender/abc_DEF-1.ics", "/kalender/[rahasia].ics"),
        ("/forum/batal/abc/", "/forum/batal/[rahasia]/"),
        ("/warga/berhenti/abc/?nip=1", "/warga/berhenti/[rahasia]/"),
        ("/masukan/AB12CD/", "/masukan/[rahasia]/"),
        ("/masukan/petugas/", "/masukan/petugas/"),
        ("/masyarakat/masukan/5/", "/masyarakat/masukan/5/"),
        ("/verifikasi/K0DE/", "/verifikasi/[rahasia]/"),
        ("https://sibina.test/akun/atur-sandi/MQ/c4-x9/", "https://sibina.test/akun/atur-sandi/MQ/[rahasia]/"),
        ("/api/v1/pegawai/199001012015031002/", "/api/v1/pegawai/[disamarkan]/"),
        ("/survei/kepuasan-2025/", "/survei/kepuasan-2025/"),
    ],
)  # fmt: skip
def test_mask_path_hides_the_secret_segment_and_the_query(path, logged):
    assert mask_path(path) == logged


@pytest.mark.parametrize("number", [NIP, NIP_GROUPED, PHONE, "0812 3456 7890", "+62 812-3456-7890"])
def test_mask_hides_numbers_of_nine_digits_or_more_with_single_separators(number):
    assert mask(f"dicari {number}.") == "dicari [disamarkan]."
    assert mask("angkatan 12345678, 2025-01-31") == "angkatan 12345678, 2025-01-31"


class Ingest(BaseHTTPRequestHandler):
    """A Sentry ingest endpoint: keeps the envelopes it is sent."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":  # sentry-sdk's choice when brotli is installed (WeasyPrint's)
            import brotli

            body = brotli.decompress(body)
        elif encoding:
            raise AssertionError(f"unexpected encoding {encoding}")
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def envelope_items(raw: bytes) -> list[tuple[dict, dict]]:
    """(item header, payload) of each JSON item of an envelope."""
    lines = raw.split(b"\n")
    items = []
    i = 1  # line 0 is the envelope's header
    while i < len(lines) - 1:
        header = json.loads(lines[i])
        payload = lines[i + 1]
        items.append((header, json.loads(payload) if payload.startswith(b"{") else {}))
        i += 2
    return items


SENTRY_SCRIPT = f"""
import logging, sentry_sdk
from django.test import Client, override_settings
from pembinaan.tasks import capaian_program_task

with override_settings(ROOT_URLCONF="tests.pembinaan.sentry_urls", ALLOWED_HOSTS=["*"]):
    client = Client(raise_request_exception=False)
    form = {{"isi": "keluhan warga", "surel": "budi@example.go.id", "telepon": "{PHONE}"}}
    headers = {{"HTTP_USER_AGENT": "Peramban Budi", "HTTP_FORWARDED": "for=203.0.113.5"}}
    status = client.post("/forum/batal/{TOKEN}/?nip={NIP_GROUPED}", form, **headers).status_code
    assert status == 500, status
# Django's security logger at ERROR, with the request (its text: the path and the query) in extra.
with override_settings(ROOT_URLCONF="tests.pembinaan.sentry_urls", ALLOWED_HOSTS=["*"],
                       DATA_UPLOAD_MAX_NUMBER_FIELDS=2):
    client = Client(raise_request_exception=False)
    status = client.post("/forum/batal/{TOKEN}/?nip={NIP}", form).status_code
    assert status == 400, status
# A Host header ALLOWED_HOSTS does not list: logged as well, but no event.
with override_settings(ROOT_URLCONF="tests.pembinaan.sentry_urls", ALLOWED_HOSTS=["sibina.test"]):
    client = Client(raise_request_exception=False)
    status = client.get("/forum/batal/{TOKEN}/?nip={NIP}", HTTP_HOST="rumah-budi.test").status_code
    assert status == 400, status
try:
    capaian_program_task.apply(args=[987654]).get()
except Exception:
    pass

# Beat applying two entries of the settings' schedule, as it does when they fall due.
from celery.beat import Scheduler
from django.conf import settings
from pembinaan.celery import app

scheduler = Scheduler(app=app, lazy=True)
for name in ("laporan-monitoring-bulanan", "denyut"):
    entry = scheduler.Entry(name=name, app=app, **settings.CELERY_BEAT_SCHEDULE[name])
    try:
        scheduler.apply_entry(entry)
    except Exception:
        pass
sentry_sdk.flush(timeout=10)
"""


def test_sentry_receives_the_error_with_release_and_environment_and_no_personal_data(tmp_path):
    Ingest.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dsn = f"http://kuncipublik@127.0.0.1:{server.server_address[1]}/42"
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SENTRY_SCRIPT], cwd=ROOT,
            env=os.environ | alone(tmp_path) | {"SENTRY_DSN": dsn, "RELEASE": "9.9.9+uji",
                                                "SENTRY_ENVIRONMENT": "uji", "DEBUG": "1"},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    raw = b"".join(Ingest.received)
    assert NIP.encode() not in raw and b"budi@example.go.id" not in raw
    for private in (NIP_GROUPED, PHONE, TOKEN, "Peramban Budi", "203.0.113.5"):
        assert private.encode() not in raw, private
    assert b"server_name" not in raw  # not the machine's name
    events = [p for envelope in Ingest.received for h, p in envelope_items(envelope)
              if h.get("type") == "event"]  # fmt: skip

    def mechanism(event):
        return event["exception"]["values"][-1]["mechanism"]["type"]

    view = [e for e in events if mechanism(e) == "django"]
    assert len(view) == 1
    event = view[0]
    assert event["release"] == "9.9.9+uji" and event["environment"] == "uji"
    exception = event["exception"]["values"][-1]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == (
        "NIP [disamarkan] tidak cocok; kabari [disamarkan] atau [disamarkan]"
    )
    assert "query_string" not in event["request"] and "data" not in event["request"]
    # (The URL is set by the WSGI integration, not under the test client: mask_path's test.)
    assert "url" not in event["request"]
    assert set(event["request"]["headers"]) <= {"Content-Type"}
    assert "modules" not in event  # the installed packages are not sent
    security = [e for e in events if e.get("logger", "").startswith("django.security")]
    assert [e["logger"] for e in security] == ["django.security.TooManyFieldsSent"]
    assert security[0]["extra"]["request"] == "POST /forum/batal/[rahasia]/"
    assert "user" not in event or "ip_address" not in event["user"]
    assert all("vars" not in f for f in exception["stacktrace"]["frames"])
    assert b"keluhan warga" not in raw  # the request's body is never sent
    # A Celery task's failure too (CeleryIntegration).
    task = [e for e in events if mechanism(e) == "celery"]
    assert task and task[0]["release"] == "9.9.9+uji"
    # Beat's entries are cron monitors (Sentry Crons), with their schedule in WIB; the 30-second
    # heartbeat is not (Sentry Crons takes whole minutes; /healthz/ watches it).
    checkins = [p for envelope in Ingest.received for h, p in envelope_items(envelope)
                if h.get("type") == "check_in"]  # fmt: skip
    slugs = {c["monitor_slug"] for c in checkins}
    assert slugs == {"laporan-monitoring-bulanan"}, slugs
    monthly = [c for c in checkins if c["status"] == "in_progress"][0]
    assert monthly["monitor_config"]["schedule"] == {"type": "crontab", "value": "0 6 1 * *"}
    assert monthly["monitor_config"]["timezone"] == "Asia/Jakarta"
