"""The horizontal-deployment drill (issue 24, docs/deploy.md): two gunicorn instances and two
Celery workers on one PostgreSQL database and one Redis, behind nginx with the deploy's own
configuration (deploy/nginx.conf, TLS with a certificate made here), under wrk. In the middle of
the run one gunicorn (its master and its workers) and one worker are killed (SIGKILL), the
worker while it holds a mail job, and both are started again, while citizens keep sending
feedback through the public form. Each feedback is a real job chain: the feedback tells its
unit's HR (masukan_baru_task), whose notification is mailed by a task of its own
(notifikasi_surel_task) to the test's SMTP server.

Proven: wrk meets no error and no non-2xx/3xx answer; every feedback is mailed exactly once
(none lost, none doubled), the killed worker's job included, which Redis gives back to a live
worker after the visibility timeout (acks_late); nginx's X-Forwarded-For is believed: the
public-form limit counts each citizen's own address, not the proxy's.

The Redis is the test's own (tests/services.py private_redis), so that the suite's session
worker, on the shared Redis, takes none of these jobs. About two minutes on a loaded machine.
"""

import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address
from pathlib import Path
from urllib.parse import urlencode

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from masyarakat.models import Masukan, UnitLayanan
from pegawai.models import Notifikasi, User
from tests.services import free_port, needs_the_services
from tests.smtp import messages
from tests.workers import ROOT, database_url, start_worker, stop_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRK = shutil.which("wrk")
# A task taken by a killed worker is handed out again after this long (settings.py).
VISIBILITY_SECONDS = 8
# The mail server takes its time over each sender: a worker killed in a mail job is killed
# before the server has anything to deliver.
MAIL_DELAY = 1.0
# Feedback per citizen's address: under the public-form limit (PUBLIC_FORMS_PER_HOUR, 5).
PER_ADDRESS = 4


def self_signed(directory: Path) -> Path:
    """fullchain.pem and privkey.pem for 127.0.0.1 in `directory`, as deploy/nginx.conf reads
    them; the certificate is also the client's trust anchor."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    directory.mkdir()
    (directory / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return directory / "fullchain.pem"


def render(values: dict[str, str]) -> str:
    """deploy/nginx.conf with its ${NGINX_...} placeholders filled, as envsubst fills them in the
    nginx image; nginx's own $variables are left alone."""
    template = (ROOT / "deploy" / "nginx.conf").read_text()
    return re.sub(r"\$\{(NGINX_\w+)\}", lambda m: values[m.group(1)], template)


@dataclass
class Proxy:
    process: subprocess.Popen
    port: int
    http_port: int
    directory: Path
    context: ssl.SSLContext

    def request(self, method: str, path: str, *, source: str = "127.0.0.1", **kwargs):
        """(status, headers, body) of one HTTPS request through nginx, made from `source` (an
        address of the loopback: the client nginx sees)."""
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, timeout=60, source_address=(source, 0)
        )
        try:
            connection.request(method, path, **kwargs)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def access_log(self) -> list[dict[str, str]]:
        """Each request nginx passed on: its time, path, status and the replicas it went to."""
        pattern = re.compile(
            r'^\S+ \[(?P<time>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+)[^"]*" (?P<status>\d+) '
            r".*upstream=(?P<upstream>.*)/(?P<upstream_status>[^/]*) ut="
        )
        lines = (self.directory / "access.log").read_text().splitlines()
        return [m.groupdict() for m in map(pattern.match, lines) if m]


def start_nginx(directory: Path, upstreams: list[int]) -> Proxy:
    """nginx in the foreground with the deploy's configuration, its files all in `directory`."""
    directory.mkdir()
    certificate = self_signed(directory / "certs")
    port, http_port = free_port(), free_port()
    (directory / "sibina.conf").write_text(
        render(
            {
                "NGINX_SERVER_NAME": "127.0.0.1",
                "NGINX_HTTP_LISTEN": f"127.0.0.1:{http_port}",
                "NGINX_HTTPS_LISTEN": f"127.0.0.1:{port}",
                "NGINX_CERT_DIR": str(directory / "certs"),
                "NGINX_ACME_ROOT": str(directory / "acme"),
                "NGINX_UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in upstreams),
                "NGINX_RESOLVER": "127.0.0.1",
                "NGINX_ACCESS_LOG": str(directory / "access.log"),
            }
        )
    )
    temp = "".join(
        f"{kind}_temp_path {directory / kind};\n" for kind in ("client_body", "proxy", "fastcgi",
                                                                "uwsgi", "scgi")
    )  # fmt: skip
    # As root, nginx's workers would run as nobody, who cannot enter pytest's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = directory / "nginx.conf"
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'} warn;\nevents {{ worker_connections 512; }}\n"
        f"http {{\n{temp}include {directory / 'sibina.conf'};\n}}\n"
    )
    command = [NGINX, "-p", str(directory), "-e", str(directory / "error.log"), "-c", str(main)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    context = ssl.create_default_context(cafile=str(certificate))
    proxy = Proxy(process, port, http_port, directory, context)

    def answers() -> bool:
        assert process.poll() is None, (directory / "error.log").read_text()
        try:
            return proxy.request("GET", "/warga/")[0] == 200
        except OSError:
            return False

    try:
        wait_for(answers, seconds=30, what="nginx")
    except BaseException:
        process.terminate()  # not left running by a test that failed here
        process.wait(timeout=30)
        raise
    return proxy


WRK_SCRIPT = """
-- GETs over a mix of SIBINA's pages, signed in as an administrator; each status counted.
local paths = {paths}
local i = 0
counts = {{}}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {{["Cookie"] = "{cookie}"}})
end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local statuses = {{}}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      statuses[tostring(status)] = (statuses[tostring(status)] or 0) + n
    end
  end
  local parts = {{}}
  for status, n in pairs(statuses) do table.insert(parts, '"' .. status .. '": ' .. n) end
  local e = summary.errors
  local out = io.open("{out}", "w")
  out:write(string.format(
    '{{"requests": %d, "seconds": %.1f, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "status_errors": %d, "p50_ms": %.0f, "p99_ms": %.0f, "statuses": {{%s}}}}',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(parts, ", ")))
  out:close()
end
"""


@dataclass
class Citizens:
    """Citizens sending feedback through nginx, one after another, a few from each address of
    127.0.1.0/24 (the client nginx sees and passes on in X-Forwarded-For). A send that nginx
    answers 502 (its replica was killed with the request in hand; nginx passes no POST on) or
    that loses its connection is sent again as a browser's user would, the same form: its token
    makes the second send meet the first, never a second feedback."""

    proxy: Proxy
    layanan: int
    codes: list[str] = field(default_factory=list)
    resent: Counter = field(default_factory=Counter)  # what each repeated send had met
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def send(self, n: int, source: str, headers: dict[str, str] | None = None) -> int:
        """Send feedback number `n` from `source`; its final status (302: accepted)."""
        status, answer, page = self.proxy.request("GET", "/masukan/", source=source)
        assert status == 200, f"the form: {status}"
        cookies = "; ".join(answer.get_all("Set-Cookie") or [])
        csrf = re.search(r"csrftoken=([^;]+)", cookies).group(1)
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"', page))
        body = urlencode(
            fields
            | {"unit_layanan": self.layanan, "kategori": "keluhan", "nama": f"Warga {n}",
               "isi": f"Antrean loket nomor {n} terlalu lama", "situs_web": ""}
        )  # fmt: skip
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"https://127.0.0.1:{self.proxy.port}/masukan/",
        } | (headers or {})
        for attempt in range(5):
            try:
                status, answer, page = self.proxy.request(
                    "POST", "/masukan/", source=source, body=body, headers=headers
                )
            except OSError as error:
                status = 0
                self.resent[type(error).__name__] += 1
            else:
                if status != 502:
                    break
                self.resent["502"] += 1
            time.sleep(0.5 * (attempt + 1))
        if status == 302:
            self.codes.append(re.fullmatch(r"/masukan/(\w+)/\?baru=1", answer["Location"])[1])
        return status

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            try:
                status = self.send(n, f"127.0.1.{1 + n // PER_ADDRESS}")
                if status != 302:
                    self.failures.append(f"feedback {n}: {status}")
            except Exception as error:  # noqa: BLE001 - reported by the test
                self.failures.append(f"feedback {n}: {error!r}")
            n += 1
            time.sleep(0.3)


def mail_in_hand(log: Path) -> str | None:
    """The id of the notification mail task a (solo) worker has received and not yet ended."""
    text = log.read_text()
    received = re.findall(r"Task pegawai\.tasks\.notifikasi_surel_task\[(\S+)\] received", text)
    ended = set(re.findall(r"Task \S+\[(\S+)\] (?:succeeded|raised|retry)", text))
    waiting = [task for task in received if task not in ended]
    return waiting[-1] if waiting else None


def kill_in_a_mail(worker, log: Path) -> str:
    """Kill the worker (SIGKILL) in the middle of a notification mail; the task's id."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        task = mail_in_hand(log)
        if task is not None:
            time.sleep(0.3)  # into its talk with the mail server, which takes MAIL_DELAY
            if mail_in_hand(log) == task:
                os.kill(worker.process.pid, signal.SIGKILL)
                worker.process.wait(timeout=10)
                return task
        time.sleep(0.02)
    raise AssertionError("the worker to be killed never held a mail job")


def served_by(entries: list[dict[str, str]], port: int, since: datetime) -> int:
    return sum(
        1
        for e in entries
        if e["upstream"].endswith(f":{port}") and datetime.fromisoformat(e["time"]) >= since
    )


def needs_nginx_and_wrk() -> None:
    """Skipped without them on a laptop; CI installs both (.ci/run) and must run the drill."""
    if WRK is None or not Path(NGINX).exists():
        reason = "the drill needs nginx and wrk (apt-get install nginx-light wrk)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run it", pytrace=False)
        pytest.skip(reason)


def test_two_instances_and_two_workers_lose_and_double_nothing_while_one_of_each_is_killed(
    cast, client, private_redis, start_server, smtp, tmp_path
):
    needs_the_services()
    needs_nginx_and_wrk()
    smtp.refuse, smtp.mail_delay = False, MAIL_DELAY
    layanan = UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")
    # The one HR officer of the unit, mailed each notification at once.
    User.objects.filter(pk=cast.pengelola.pk).update(
        email="pengelola@jambiprov.go.id", surel_notifikasi=User.Surel.SEGERA
    )
    media = tmp_path / "media"
    media.mkdir()
    common = {
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(media),
        "TASK_VISIBILITY_SECONDS": str(VISIBILITY_SECONDS),
        "RINGKASAN_SEGERA": "0",
    }
    common |= private_redis.env()
    web = common | {"TRUSTED_PROXIES": "127.0.0.1", "BEHIND_TLS_PROXY": "1"}
    workers = common | smtp.env()
    options = {"gunicorn_args": ("--workers", "2", "--timeout", "60"), "own_group": True}

    servers = [start_server(web, **options), start_server(web, **options)]
    ports = [int(s.url.rsplit(":", 1)[1]) for s in servers]
    doomed = start_worker(media, "drill-a", workers)
    running = [doomed, start_worker(media, "drill-b", workers)]
    proxy = None
    wrk = None
    citizens = None
    try:
        proxy = start_nginx(tmp_path / "nginx", ports)
        # Plain HTTP only moves to HTTPS.
        plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=30)
        plain.request("GET", "/warga/")
        moved = plain.getresponse()
        assert (moved.status, moved.headers["Location"]) == (301, "https://127.0.0.1/warga/")
        plain.close()

        # A body above client_max_body_size is refused by nginx, with its Indonesian page.
        big = http.client.HTTPSConnection("127.0.0.1", proxy.port, context=proxy.context,
                                          timeout=30)  # fmt: skip
        big.putrequest("POST", "/masukan/")
        big.putheader("Content-Length", str(30 * 1024 * 1024))
        big.endheaders()
        refused = big.getresponse()
        assert refused.status == 413 and "Berkas terlalu besar" in refused.read().decode()
        big.close()

        client.force_login(cast.admin)  # the servers read the session from the database
        pages = ["/", "/warga/", "/masukan/", "/pegawai/", "/pelatihan/", "/masyarakat/masukan/",
                 "/program/", "/static/css/sibina.css"]  # fmt: skip
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        for page in pages:  # each page answers, signed in, before the load
            assert proxy.request("GET", page, headers={"Cookie": cookie})[0] == 200, page
        figures = tmp_path / "wrk.json"
        script = tmp_path / "drill.lua"
        script.write_text(
            WRK_SCRIPT.format(
                paths="{" + ", ".join(f'"{p}"' for p in pages) + "}", cookie=cookie, out=figures
            )
        )
        wrk = subprocess.Popen(
            [WRK, "-t2", "-c8", "-d300s", "--timeout", "30s", "-s", str(script),
             f"https://127.0.0.1:{proxy.port}/"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        citizens = Citizens(proxy, layanan.pk)
        stream = threading.Thread(target=citizens.run, daemon=True)
        stream.start()
        time.sleep(8)  # the load on both instances, jobs on both workers

        # One instance killed, master and workers, with requests in hand.
        os.killpg(servers[0].process.pid, signal.SIGKILL)
        servers[0].process.wait(timeout=10)
        # One worker killed in the middle of a mail job.
        lost_task = kill_in_a_mail(doomed, media / "drill-a.log")
        running.remove(doomed)
        stop_worker(doomed)
        time.sleep(2)
        servers[0] = start_server(web, port=ports[0], **options)
        back = datetime.now().astimezone()
        running.append(start_worker(media, "drill-a-again", workers))
        # The restarted instance takes its share of the load again.
        wait_for(lambda: served_by(proxy.access_log(), ports[0], back) >= 50, seconds=90,
                 what="nginx to send requests to the restarted instance")  # fmt: skip
        wrk.send_signal(signal.SIGINT)  # wrk stops, then reports
        output, _ = wrk.communicate(timeout=60)
        citizens.stop.set()
        stream.join(timeout=120)

        # X-Forwarded-For from nginx is believed: every address above sent 4 (the limit is 5 an
        # hour), many more in all. One more from the first address is its fifth; the sixth is
        # refused, also when it names another address itself (nginx replaces it).
        assert len(citizens.codes) > 2 * PER_ADDRESS, citizens.failures
        first = "127.0.1.1"
        assert citizens.send(9001, first) == 302
        assert citizens.send(9002, first) == 429
        assert citizens.send(9003, first, {"X-Forwarded-For": "203.0.113.9"}) == 429
        assert citizens.send(9004, "127.0.3.1") == 302  # another citizen

        result = json.loads(figures.read_text())
        codes = citizens.codes

        # The killed worker's job is given back by Redis after the visibility timeout.
        def all_mailed() -> bool:
            return not Notifikasi.objects.filter(disurelkan_at__isnull=True).exists() and len(
                smtp.received
            ) >= len(codes)

        wait_for(all_mailed, seconds=180, every=1, what="every feedback to be mailed")
        time.sleep(VISIBILITY_SECONDS + 3)  # time for a doubled job to show
    finally:
        if citizens is not None:
            citizens.stop.set()
        if wrk is not None and wrk.poll() is None:
            wrk.kill()
            wrk.wait(timeout=10)
        if proxy is not None:
            proxy.process.terminate()
            proxy.process.wait(timeout=30)
        for worker in running:
            stop_worker(worker)

    entries = proxy.access_log()
    passed_on = sum(", " in e["upstream"] for e in entries)
    mailed = Counter(
        re.search(r"Masukan baru (\w+) ", str(m["Subject"]))[1] for m in messages(smtp)
    )
    redelivered = any(
        f"[{lost_task}] received" in (media / f"{name}.log").read_text()
        for name in ("drill-b", "drill-a-again")
    )
    print(
        f"\ndrill: wrk {result}\nnginx: {len(entries)} requests, {passed_on} passed on to the "
        f"other instance; per instance {Counter(e['upstream'] for e in entries).most_common(4)}\n"
        f"jobs: {len(codes)} feedback, sends repeated after {dict(citizens.resent) or 'nothing'},"
        f" {sum(mailed.values())} mails; killed mail job {lost_task} "
        f"handed out again: {redelivered}\n{output}"
    )
    assert not citizens.failures, citizens.failures
    # No error: no refused, reset or timed-out connection, no answer outside 2xx/3xx.
    assert result["requests"] > 0
    errors = {k: result[k] for k in ("connect", "read", "write", "timeout", "status_errors")}
    assert errors == dict.fromkeys(errors, 0), result
    assert all(200 <= int(status) < 400 for status in result["statuses"]), result
    # Every feedback made once (a repeated send met the first) and mailed exactly once.
    assert Masukan.objects.count() == len(codes) == len(set(codes))
    assert Notifikasi.objects.filter(penerima=cast.pengelola).count() == len(codes)
    assert mailed == dict.fromkeys(codes, 1)
    assert redelivered, "the killed worker's mail job was not handed out again"


class Answers200(BaseHTTPRequestHandler):
    """A stand-in for the application behind nginx: 200 to every GET."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_the_proxy_hides_metrics_and_secrets_redirects_to_its_name_and_refuses_weak_ciphers(
    tmp_path,
):
    """deploy/nginx.conf alone, in front of a stand-in application (a few seconds)."""
    if not Path(NGINX).exists():
        needs_nginx_and_wrk()
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Answers200)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    proxy = None
    try:
        proxy = start_nginx(tmp_path / "nginx", [upstream.server_address[1]])
        # /metrics is for the monitoring system inside, never through the public proxy.
        assert proxy.request("GET", "/metrics")[0] == 404
        assert proxy.request("GET", "/metrics/")[0] == 404
        assert proxy.request("GET", "/metrics?x=1")[0] == 404
        # The access log names no query string and no path's secret.
        assert proxy.request("GET", "/kalender/tokenRahasia42.ics?nip=199001012015031002")[0] == 200
        assert proxy.request("GET", "/masukan/KODE77/")[0] == 200
        assert proxy.request("GET", "/masukan/petugas/")[0] == 200
        # nginx writes a request's line after its answer: wait for the last one.
        wait_for(lambda: "/masukan/petugas/" in (proxy.directory / "access.log").read_text(),
                 seconds=30, what="nginx's access log")  # fmt: skip
        log = (proxy.directory / "access.log").read_text()
        for secret in ("tokenRahasia42", "199001012015031002", "KODE77"):
            assert secret not in log
        assert '"GET /kalender/[rahasia].ics HTTP/1.1"' in log
        assert '"GET /masukan/[rahasia]/ HTTP/1.1"' in log
        assert '"GET /masukan/petugas/ HTTP/1.1"' in log
        # Plain HTTP moves to this server's name, whatever Host the client sent.
        plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=30)
        plain.request("GET", "/warga/", headers={"Host": "penipu.test"})
        moved = plain.getresponse()
        assert (moved.status, moved.headers["Location"]) == (301, "https://127.0.0.1/warga/")
        plain.close()
        # TLS 1.2 without forward secrecy or with CBC (in nginx's default list) is refused.
        weak = ssl.create_default_context(cafile=str(proxy.directory / "certs" / "fullchain.pem"))
        weak.maximum_version = ssl.TLSVersion.TLSv1_2
        weak.set_ciphers("ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384")
        with pytest.raises(ssl.SSLError):
            connection = http.client.HTTPSConnection(
                "127.0.0.1", proxy.port, context=weak, timeout=30
            )
            connection.request("GET", "/warga/")
        strong = ssl.create_default_context(cafile=str(proxy.directory / "certs" / "fullchain.pem"))
        strong.maximum_version = ssl.TLSVersion.TLSv1_2
        connection = http.client.HTTPSConnection(
            "127.0.0.1", proxy.port, context=strong, timeout=30
        )
        connection.request("GET", "/warga/")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        if proxy is not None:
            proxy.process.terminate()
            proxy.process.wait(timeout=30)
        upstream.shutdown()
        upstream.server_close()
