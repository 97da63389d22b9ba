"""Benchmark of the pegawai pages at 1,000 and 100,000 pegawai, each against a floor.

For each size it seeds a PostgreSQL database (`<name>_1k`, `<name>_100k`, reused when already
seeded) and serves SIBINA on it with its own gunicorn (2 sync workers, persistent connections,
DEBUG off), both at once; it measures every page from a second process with wrk (throughput,
median and 95th percentile), at one size right after the other, so that the machine's drift does
not pass for growth. In the same run it measures the floor, a bare view that renders base.html,
anonymous and for the signed-in administrator (the pages' own floor: their session, login, roles
and sidebar), before and after the pages (their mean). Query counts come from Django's test
client on the same database. Then it times a 10,000-row import.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench .venv/bin/python bench/run.py

Needs wrk (apt-get install wrk). Prints a table and writes it to bench/out/.
"""

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack
from datetime import datetime
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
PORT = 8765
WRK_SCRIPT = """
%(request)s
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f %d %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.errors.status, summary.requests))
end
"""
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdefghij"


def server_env(database_url: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        # The application with the benchmark's floors and reference (bench/urls.py).
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        # The pages are measured, not the sign-in: without this the administrator's pages would
        # answer with the redirect to the second sign-in step (DUA_FAKTOR_WAJIB, issue 20).
        "DUA_FAKTOR_WAJIB": "0",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def prepare(database_url: str, size: int) -> None:
    parts = urllib.parse.urlparse(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    exists = subprocess.run(
        ["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    env = server_env(database_url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    started = time.monotonic()
    manage(env, "seed_demo", "--pegawai", str(size))
    print(f"  seeded {name} to {size:,} pegawai in {time.monotonic() - started:.1f} s", flush=True)
    subprocess.run(["psql", database_url, "-qc", "VACUUM ANALYZE"], check=True)


class Server:
    def __init__(self, database_url: str, port: int = PORT):
        self.env = server_env(database_url)
        self.port = port

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "pembinaan.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_bench/lantai/", timeout=2)
                return self
            except OSError:
                time.sleep(0.2)
        self.process.terminate()  # no __exit__ follows a failed __enter__
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def session_cookie(username: str, port: int = PORT) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"http://127.0.0.1:{port}/masuk/"
    page = opener.open(login).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": "sibina-demo", "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(login, data=data, headers={"Referer": login}))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"could not log in as {username}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def wrk(
    path: str,
    cookie: str | None,
    *,
    seconds: int,
    connections: int,
    form: str | None = None,
    port: int = PORT,
) -> dict:
    """Throughput and latency of `path`; with `form` (urlencoded), of POSTing it."""
    request = ""
    if form is not None:
        request = (
            f'wrk.method = "POST"\nwrk.body = "{form}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"'
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.replace("%(request)s", request))
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        script.name,
        f"http://127.0.0.1:{port}{path}",
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps, p50, p95, errors, requests = re.search(
        r"RESULT (\S+) (\S+) (\S+) (\d+) (\d+)", output
    ).groups()
    if int(errors):
        raise RuntimeError(f"{path}: {errors} of {requests} responses were not 2xx/3xx")
    return {"rps": float(rps), "p50": float(p50), "p95": float(p95)}


def averaged(first: dict, second: dict) -> dict:
    """A floor measured before and after the pages it is compared with: their mean, so that the
    machine's drift during a run (±20 % here) weighs on both sides of each ratio alike."""
    return first | {key: (first[key] + second[key]) / 2 for key in ("rps", "p50", "p95")}


def publish(name: str, report: str) -> None:
    """Print a benchmark's table and keep it as bench/out/<name>-<when>.md."""
    print("\n" + report)
    OUT.mkdir(exist_ok=True)
    (OUT / f"{name}-{datetime.now():%Y%m%d-%H%M}.md").write_text(report + "\n")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pembinaan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pages() -> tuple[list[dict], dict]:
    """The pages to measure, with their query counts (Django test client, same database)."""
    setup_django()
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pegawai.models import Pegawai, UnitKerja, User
    from pembinaan.lib.pagination import encode_cursor

    total = Pegawai.objects.count()
    deep = Pegawai.objects.order_by("nama", "pk").values_list("nama", "pk")[int(total * 0.98)]
    dinkes = UnitKerja.objects.get(kode="DINKES")
    small_opd = UnitKerja.objects.get(kode="BPBD")
    detail = Pegawai.objects.filter(user__username="pegawai").values_list("pk", flat=True).get()
    nip_prefix = Pegawai.objects.order_by("pk").values_list("nip", flat=True)[total // 2][:10]
    specs = [
        ("floor: bare base.html", "/_bench/lantai/", None),
        ("floor, signed in: bare base.html", "/_bench/lantai/", "admin"),
        ("reference: plain Django ListView", "/_bench/daftar-polos/", "admin"),
        ("list, admin", "/pegawai/", "admin"),
        ("list, pengelola (OPD scope)", "/pegawai/", "pengelola"),
        ("list, name part 'santo'", "/pegawai/?q=santo", "admin"),
        ("list, NIP prefix", f"/pegawai/?q={nip_prefix}", "admin"),
        ("list, OPD subtree filter", f"/pegawai/?unit={dinkes.pk}", "admin"),
        ("list, deep page (98 %)", f"/pegawai/?setelah={encode_cursor(list(deep))}", "admin"),
        ("detail", f"/pegawai/{detail}/", "admin"),
        ("export CSV, one OPD", f"/pegawai/ekspor.csv?unit={small_opd.pk}", "admin"),
    ]
    result = []
    for label, path, user in specs:
        client = Client(HTTP_HOST="127.0.0.1")
        if user:
            client.force_login(User.objects.get(username=user))
        client.get(path)  # the login's roles and the unit tree cached, as between real pages
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, (path, response.status_code)
        result.append({"label": label, "path": path, "user": user, "queries": len(queries)})
    export_rows = Pegawai.objects.di_unit(small_opd).count()
    connections.close_all()
    return result, {"total": total, "export_rows": export_rows}


def run_sizes(urls: dict[int, str], seconds: int) -> tuple[dict[int, list[dict]], dict]:
    """Every page at each size, served side by side (a gunicorn per database), the sizes of one
    page measured one right after the other: the machine drifts by a fifth within minutes here,
    and two runs minutes apart put that drift into the growth. The floors again at the end."""
    measured, facts = {}, {}
    for size, url in urls.items():
        prepare(url, size)
        measured[size], facts[size] = step(url, "pages")
    ports = {size: PORT + index for index, size in enumerate(urls)}
    with ExitStack() as servers:
        for size, url in urls.items():
            servers.enter_context(Server(url, port=ports[size]))
        cookies = {
            size: {u: session_cookie(u, ports[size]) for u in {s["user"] for s in specs} if u}
            for size, specs in measured.items()
        }

        def measure(size: int, spec: dict) -> dict:
            connections = 4 if spec["path"].startswith("/pegawai/ekspor") else 16
            return wrk(spec["path"], cookies[size].get(spec["user"]), seconds=seconds,
                       connections=connections, port=ports[size])  # fmt: skip

        for size in urls:  # warm up both workers of each
            wrk("/_bench/lantai/", None, seconds=2, connections=16, port=ports[size])
        for index in range(len(measured[min(urls)])):
            for size in urls:
                spec = measured[size][index]
                spec |= measure(size, spec)
                print(
                    f"  {size:>7,} {spec['label']:<32} {spec['rps']:8.1f} req/s  "
                    f"p50 {spec['p50']:7.1f} ms  p95 {spec['p95']:7.1f} ms  "
                    f"{spec['queries']} queries",
                    flush=True,
                )
        for size in urls:  # the floors again, after the pages
            for spec in measured[size][:2]:
                spec |= averaged(spec, measure(size, spec))
    return measured, facts


def provincial_database() -> str:
    """The `<DATABASE_URL>_100k` database, seeded to 100,000 pegawai if it is not yet."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (its name is used as a prefix).")
    url = f"{base}_100k"
    prepare(url, 100_000)
    return url


def run_module(namespace: dict, main) -> None:
    """A bench module's entry: `--step NAME` runs its function NAME inside Django and prints the
    JSON it returns (see step_in); anything else runs main()."""
    if len(sys.argv) == 3 and sys.argv[1] == "--step":
        setup_django()
        print("JSON" + json.dumps(namespace[sys.argv[2]]()))
    else:
        main()


def step(database_url: str, name: str) -> dict | list:
    """Run one in-process step (`pages`, `import`) in a fresh interpreter on that database."""
    return step_in(database_url, "bench.run", name)


def step_in(database_url: str, module: str, name: str) -> dict | list:
    """Run `name` of a bench module with Django set up, in a fresh interpreter on that database,
    and return what it printed after "JSON"."""
    script = ROOT / (module.replace(".", "/") + ".py")
    result = subprocess.run(
        [sys.executable, str(script), "--step", name],
        cwd=ROOT,
        env=server_env(database_url),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"step {name} failed:\n{result.stderr}")
    return json.loads(result.stdout.split("JSON", 1)[1])


def timed_import(rows: int = 10_000) -> dict:
    """Check and commit an import of `rows` new pegawai, as the Celery tasks would, then roll it
    back so that every run measures the same database."""
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from pegawai import services
    from pegawai.models import ImporPegawai, User

    with transaction.atomic():
        job = ImporPegawai(
            nama_berkas="bench.csv", diunggah_oleh=User.objects.get(username="admin")
        )
        job.file.save("bench.csv", SimpleUploadedFile("bench.csv", import_file(rows)), save=False)
        job.save()
        started = time.monotonic()
        services.impor_check(job=job)
        checked = time.monotonic()
        services.impor_commit(job=job)
        done = time.monotonic()
        transaction.set_rollback(True)
    return {
        "status": job.status,
        "baru": job.jumlah_baru,
        "check_s": round(checked - started, 2),
        "commit_s": round(done - checked, 2),
    }


def import_file(rows: int) -> bytes:
    """A CSV of `rows` new pegawai with valid NIPs, every other one reporting to the first."""
    from datetime import date

    from pegawai.impor import KOLOM

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([k.key for k in KOLOM])
    run = int(time.time()) // 60 % 60  # a TMT month per run, so that each run's NIPs are new
    tmt = date(2015 + run // 12, 1 + run % 12, 1)
    first = None
    for i in range(rows):
        born = date(1970 + i % 25, 1 + i // 25 % 12, 1 + i // 300 % 28)
        nip = f"{born:%Y%m%d}{tmt:%Y%m}1{1 + i // 8400:03d}"
        first = first or nip
        writer.writerow(
            [
                nip,
                "",
                f"Impor {i:05d}",
                "S.E.",
                "PNS",
                "L",
                "Jambi",
                f"{born:%d/%m/%Y}",
                f"{tmt:%d/%m/%Y}",
                f"{tmt.replace(year=tmt.year + 1):%d/%m/%Y}",
                "III/a",
                "01/04/2021",
                "Pengadministrasi Perkantoran",
                "01/01/2022",
                "BKD.MUTASI.1",
                first if i % 2 else "",
                "S1",
                "",
                "",
            ]
        )
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--step", choices=["pages", "import"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        result = pages() if args.step == "pages" else timed_import()
        print("JSON" + json.dumps(result))
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (its name is used as a prefix).")
    sizes = [int(s) for s in args.sizes.split(",")]
    urls = {size: f"{base}_{size // 1000}k" for size in sorted(sizes)}
    print("\n" + ", ".join(f"{size:,} pegawai ({url})" for size, url in urls.items()), flush=True)
    results, all_facts = run_sizes(urls, args.seconds)
    for size in sizes:
        results[size].append({"facts": all_facts[size]})
    largest, smallest = max(sizes), min(sizes)
    imported = step(f"{base}_{largest // 1000}k", "import")
    lines = [
        f"SIBINA pegawai benchmark, {datetime.now():%Y-%m-%d %H:%M}, wrk -t2 -c16 "
        f"-d{args.seconds}s, gunicorn 2 sync workers, PostgreSQL, all on this machine",
        "",
        f"| page ({largest:,} pegawai) | req/s | p50 ms | p95 ms | queries | "
        f"p50 / anonymous floor | p50 / signed-in floor | p50 / same page at {smallest:,}, "
        f"measured right before it |",
        "|---|---|---|---|---|---|---|---|",
    ]
    big = [r for r in results[largest] if "label" in r]
    small = {r["label"]: r for r in results[smallest] if "label" in r}
    floor, signed_in = big[0], big[1]
    for row in big:
        lines.append(
            f"| {row['label']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['queries']} | {row['p50'] / floor['p50']:.2f}× | "
            f"{row['p50'] / signed_in['p50']:.2f}× | "
            f"{row['p50'] / small[row['label']]['p50']:.2f}× |"
        )
    facts = results[largest][-1]["facts"]
    lines += [
        "",
        f"Export CSV of one OPD: {facts['export_rows']:,} rows.",
        f"Import of 10,000 new rows into {largest:,}: check {imported['check_s']} s, "
        f"commit {imported['commit_s']} s ({imported['status']}, {imported['baru']:,} new).",
    ]
    publish("pegawai", "\n".join(lines))


if __name__ == "__main__":
    main()
