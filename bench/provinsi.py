"""SIBINA at provincial scale: one run that seeds everything on PostgreSQL and measures the main
pages, the monitoring report job, an evaluation PDF and a 10,000-row import, each against its
floor, and writes the table to bench/out/. This is `make bench`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench make bench

Data on `<name>_100k`: 100,000 pegawai (seed_demo), 1,000,000 JP entries, 500,000 performance
ratings, 200,000 post-training self-reports, 200,000 citizen feedback items and 100,000 survey
responses (SQL fillers, idempotent). Floors of the same run: a bare Django view rendering
base.html, anonymous and for the signed-in administrator, each page measured between two runs
of the floor of its kind and its goal a ratio to their mean (GOALS: every page but the public
form carries a session, a login, its roles and the sidebar), and the raw SQL of the heaviest
aggregate, the province's 20 JP compliance; the report job has its own (its SQL raw plus
WeasyPrint alone, bench/pembinaan.py).
"""

import argparse
import json
import os
import re
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pelatihan import fill_ledger  # noqa: E402
from bench.pembinaan import LAPORAN_SQL, MASUKAN_SQL, count, psql  # noqa: E402
from bench.run import (
    PORT,
    Server,
    averaged,
    manage,
    provincial_database,
    publish,
    run_module,
    server_env,
    session_cookie,
    step_in,
    wrk,
)  # noqa: E402

RATINGS_SQL = """
INSERT INTO evaluasi_periodepenilaian (nama, jenis, tanggal_mulai, tanggal_selesai, status,
    dibuka_oleh_id, created_at)
SELECT 'Benchmark ' || n, 'bulanan', make_date(2025, n, 1),
    (make_date(2025, n, 1) + interval '1 month - 1 day')::date, 'ditutup',
    (SELECT id FROM pegawai_user WHERE username = 'admin'), now()
FROM generate_series(1, 5) AS n
WHERE NOT EXISTS (SELECT 1 FROM evaluasi_periodepenilaian WHERE nama = 'Benchmark ' || n);
INSERT INTO evaluasi_penilaiankinerja (periode_id, pegawai_id, penilai_id, hasil_kerja,
    perilaku_kerja, predikat, catatan, jabatan_id, dinilai_at, diketahui_at)
SELECT r.id, p.id, p.atasan_id, m.hasil, m.perilaku, m.predikat, '', p.jabatan_id, now(), now()
FROM evaluasi_periodepenilaian r
JOIN pegawai_pegawai p ON p.atasan_id IS NOT NULL
CROSS JOIN LATERAL (SELECT * FROM (VALUES
    ('sesuai', 'sesuai', 'baik'), ('di_atas', 'di_atas', 'sangat_baik'),
    ('di_atas', 'sesuai', 'baik'), ('di_bawah', 'sesuai', 'butuh_perbaikan'))
    AS m(hasil, perilaku, predikat) OFFSET (p.id + r.id) % 4 LIMIT 1) m
WHERE r.nama IN ('Benchmark 1', 'Benchmark 2', 'Benchmark 3', 'Benchmark 4', 'Benchmark 5')
ON CONFLICT DO NOTHING;
"""
SURVEY_SQL = """
INSERT INTO masyarakat_responsurvei (unit_layanan_id, tanggal, usia, jenis_kelamin, pendidikan,
    pekerjaan, u1, u2, u3, u4, u5, u6, u7, u8, u9, saran, sumber, created_at)
SELECT u.id, make_date(2026, 1 + n % 11, 1 + n % 28), '30_39', 'P', 's1', 'swasta',
    2 + n % 3, 3, 2 + (n / 3) % 3, NULL, 3 + n % 2, 2 + n % 3, 3, 4, 2 + n % 3, '', 'daring', now()
FROM generate_series(1, %(count)s) AS n
CROSS JOIN LATERAL (SELECT id FROM masyarakat_unitlayanan ORDER BY id
    OFFSET n %% (SELECT count(*) FROM masyarakat_unitlayanan) LIMIT 1) u;
"""
FEEDBACK = 200_000
SURVEYS = 100_000


def fill(url: str, size: int = 100_000) -> dict:
    """The provincial fillers; at a larger size (bench/nasional.py) the feedback and survey
    responses are already there, and the self-reports and ratings follow the pegawai."""
    psql(url, LAPORAN_SQL.replace("%(pegawai)s", str(size)).replace("%%", "%"))
    if count(url, "masyarakat_masukan") < FEEDBACK:
        # Two batches of the pembinaan filler under distinct codes: 200,000 in all.
        for prefix in ("B", "C"):
            sql = MASUKAN_SQL.replace("'B' || lpad", f"'{prefix}' || lpad")
            sql = sql.replace("'B00000000001'", f"'{prefix}00000000001'")
            psql(url, sql.replace("%(count)s", str(FEEDBACK // 2)).replace("%%", "%"))
    psql(url, RATINGS_SQL)
    missing = SURVEYS - count(url, "masyarakat_responsurvei")
    if missing > 0:
        psql(url, SURVEY_SQL.replace("%(count)s", str(missing)).replace("%%", "%"))
    manage(server_env(url), "rekap_ikm")  # the SQL filler bypasses the monthly IKM rollup
    psql(url, "VACUUM ANALYZE")
    return counts(url)


# The rows the filled database holds, as the results' "Data:" line shows them.
TABLES = {
    "pegawai": "pegawai_pegawai",
    "jp": "pelatihan_catatanjp",
    "ratings": "evaluasi_penilaiankinerja",
    "laporan": "evaluasi_laporanpascapelatihan",
    "masukan": "masyarakat_masukan",
    "survei": "masyarakat_responsurvei",
}


def counts(url: str, tables: dict[str, str] = TABLES) -> dict[str, int]:
    return {key: count(url, table) for key, table in tables.items()}


def targets() -> dict:
    """Inside Django: the ids the measured URLs need, the query count of each page, and the raw
    SQL floor of the heaviest aggregate."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from masyarakat.models import Masukan, UnitLayanan
    from pegawai.models import Pegawai, UnitKerja, User
    from pelatihan.reports import kepatuhan_jp

    dinkes = UnitKerja.objects.get(kode="DINKES")
    layanan = UnitLayanan.objects.filter(aktif=True).order_by("pk").first()
    pegawai = Pegawai.objects.get(user__username="pegawai")
    kode = Masukan.objects.order_by("pk").values_list("kode", flat=True).first()
    ids = {"dinkes": dinkes.pk, "layanan": layanan.pk, "pegawai": pegawai.pk, "kode": kode}
    pages = page_specs(ids)
    queries = {}
    for label, path, user, _ in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if user:
            client.force_login(User.objects.get(username=user))
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[label] = len(captured)
    with CaptureQueriesContext(connection) as captured:
        kepatuhan_jp(Pegawai.objects.all(), 2026)
    sql = captured.captured_queries[-1]["sql"]
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.fetchall()
    return ids | {"queries": queries, "sql_floor_ms": (time.monotonic() - started) * 1000}


def page_specs(ids: dict) -> list[tuple[str, str, str | None, int]]:
    """(label, path, user, connections) of every measured page."""
    return [
        ("floor: bare base.html", "/_bench/lantai/", None, 16),
        ("floor, signed in: bare base.html", "/_bench/lantai/", "admin", 16),
        ("reference: plain Django ListView", "/_bench/daftar-polos/", "admin", 16),
        ("pegawai list", "/pegawai/", "admin", 16),
        ("pegawai list, name search", "/pegawai/?q=santo", "admin", 16),
        ("pegawai list, OPD filter", f"/pegawai/?unit={ids['dinkes']}", "admin", 16),
        ("pegawai page", f"/pegawai/{ids['pegawai']}/", "admin", 16),
        ("dashboard (admin)", "/", "admin", 16),
        ("20 JP compliance, one OPD", f"/program/kepatuhan-jp/?unit={ids['dinkes']}",
         "admin", 16),
        ("IKM page, one service unit", f"/masyarakat/ikm/?unit={ids['layanan']}&jenis=tahun",
         "admin", 16),
        ("public feedback form, GET", "/masukan/", None, 16),
        # where a sent feedback is answered (a redirect): the citizen's next request
        ("public tracking page", f"/masukan/{ids['kode']}/", None, 16),
    ]  # fmt: skip


def wrk_public_post(path: str, fields: dict, seconds: int, port: int = PORT) -> dict:
    """A public form sent by citizens: a CSRF cookie and token from the feedback page, then
    real submissions of `fields` to `path`."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/masukan/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields})
    return wrk(path, cookie, seconds=seconds, connections=16, form=body, port=port)


FEEDBACK_TEXT = "Mohon loket pendaftaran dibuka lebih pagi."


def wrk_feedback_post(layanan: int, seconds: int, port: int = PORT) -> dict:
    """The public feedback form's submissions, each saved with a tracking code."""
    fields = {"unit_layanan": layanan, "kategori": "saran", "isi": FEEDBACK_TEXT, "situs_web": ""}
    return wrk_public_post("/masukan/", fields, seconds, port)


# The floor of a public POST: the CSRF check and one row of the same text committed, then
# base.html (bench.views.bench_write_floor). Not the goal's floor: the issue sets the
# public form against the anonymous bare page; this one says what a durable write costs here.
WRITE_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_tulis (id bigserial PRIMARY KEY, isi text NOT NULL)"
)


def wrk_write_floor(seconds: int) -> dict:
    return wrk_public_post("/_bench/tulis/", {"isi": FEEDBACK_TEXT}, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--pegawai",
        type=int,
        default=100_000,
        help="above 100000 (a multiple of it): that size beside 100,000 (bench/nasional.py)",
    )
    args = parser.parse_args()
    if args.pegawai != 100_000:
        from bench.nasional import compare

        return compare(os.environ.get("DATABASE_URL", ""), args.pegawai, args.seconds)
    url = provincial_database()
    fill_ledger(url, 1_000_000)
    sizes = fill(url)
    print(f"  data: {json.dumps(sizes)}", flush=True)
    ids = step_in(url, "bench.provinsi", "targets")
    step_in(url, "bench.pembinaan", "prepare_figures")  # the dashboard's half-hourly job
    os.environ["PUBLIC_FORMS_PER_HOUR"] = "100000000"  # the benchmark is one address
    psql(url, WRITE_TABLE_SQL)
    with Server(url):
        cookie = session_cookie("admin")
        wrk("/_bench/lantai/", None, seconds=2, connections=16)

        def measure(path: str, user: str | None):
            return lambda: wrk(path, cookie if user else None, seconds=args.seconds,
                               connections=16)  # fmt: skip

        specs = page_specs(ids)
        floors = {  # in this order: the write floor measured next to the POST
            "anonymous": measure(*specs[0][1:3]),
            "write": lambda: wrk_write_floor(args.seconds),
            "signed in": measure(*specs[1][1:3]),
        }
        pages = [(label, measure(path, user), "signed in" if user else "anonymous")
                 for label, path, user, _ in specs[2:]]  # fmt: skip
        post = lambda: wrk_feedback_post(ids["layanan"], args.seconds)  # noqa: E731
        pages.append(("public feedback form, POST", post, "anonymous"))
        floor_rows, rows = beside_floors(pages, floors)
    labels = {"anonymous": specs[0][0], "signed in": specs[1][0], "write": WRITE_FLOOR_LABEL}
    floor_rows = [floor_rows[kind] | {"label": label} for kind, label in labels.items()]
    rows = floor_rows + rows
    for row in rows:
        row["queries"] = ids["queries"].get(row["label"])
    del os.environ["PUBLIC_FORMS_PER_HOUR"]
    report = step_in(url, "bench.pembinaan", "make_report")
    print(f"  report: {json.dumps(report)}", flush=True)
    pdf = step_in(url, "bench.evaluasi", "make_pdf")
    print(f"  evaluation PDF: {json.dumps(pdf)}", flush=True)
    imported = step_in(url, "bench.run", "import")
    print(f"  import: {json.dumps(imported)}", flush=True)
    write(rows, sizes, ids, report, pdf, imported, args.seconds)


def beside_floors(pages, floors) -> tuple[dict, list[dict]]:
    """Each page measured between two measurements of the floor of its kind, and its ratio
    taken to their mean: the machine drifts by a quarter within a run here, and a floor measured
    once put that drift into every ratio. Returns each floor's mean over the run and the pages."""
    seen, rows = {}, []
    for kind, floor in floors.items():  # the pages of one kind in a row, sharing their floors
        seen[kind] = [floor()]
        for label, measure, page_kind in pages:
            if page_kind != kind:
                continue
            result = measure()
            seen[kind].append(floor())
            beside = averaged(seen[kind][-2], seen[kind][-1])
            rows.append({"label": label, "kind": kind, "floor_p50": beside["p50"], **result})
            print(f"  {label:<34} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
                  f"its floor {beside['p50']:6.1f} ms", flush=True)  # fmt: skip
    means = {
        kind: {key: sum(r[key] for r in runs) / len(runs) for key in ("rps", "p50", "p95")}
        for kind, runs in seen.items()
    }
    return means, rows


# Each goal is a ratio, at the median, to the bare view under the same conditions as the page:
# signed in as the same administrator for the pages behind the login (the session, the login,
# its roles, the sidebar and the CSRF token are the floor of every such page), anonymous for the
# public form. Issue 8: list and detail pages 4x, the dashboard 10x, the public form 2x.
GOALS = {
    "dashboard (admin)": (10, "signed in"),
    "public feedback form, GET": (2, "anonymous"),
    "public feedback form, POST": (2, "anonymous"),
    "public tracking page": (4, "anonymous"),  # a detail page, public
}
DEFAULT_GOAL = (4, "signed in")


WRITE_FLOOR_LABEL = "floor, anonymous write: one row committed"


def write(rows, sizes, ids, report, pdf, imported, seconds) -> None:
    floor, signed_in, write_floor = rows[0], rows[1], rows[2]
    post = next(r for r in rows if r["label"] == "public feedback form, POST")
    lines = [
        f"SIBINA at provincial scale, {datetime.now():%Y-%m-%d %H:%M}: {sizes['pegawai']:,} "
        f"pegawai, {sizes['jp']:,} JP entries, {sizes['ratings']:,} ratings, "
        f"{sizes['laporan']:,} self-reports, {sizes['masukan']:,} feedback items, "
        f"{sizes['survei']:,} survey responses; gunicorn 2 sync workers, wrk -t2 -c16 -d{seconds}s",
        "",
        "| what | req/s | p50 ms | p95 ms | queries | p50 / its floor, measured beside it | "
        "p50 / anonymous floor (run's mean) | goal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        verdict, own = "", ""
        if row is write_floor:
            own = "1.00× (write)"
        elif row is not floor and row is not signed_in:
            ratio = row["p50"] / row["floor_p50"]
            own = f"{ratio:.2f}× ({row['kind']})"
            if not row["label"].startswith("reference"):
                goal, against = GOALS.get(row["label"], DEFAULT_GOAL)
                assert against == row["kind"], row["label"]
                verdict = f"≤ {goal}×: {'met' if ratio <= goal else 'not met'}"
        elif row is signed_in:
            own = "1.00× (signed in)"
        queries = "" if row["queries"] is None else row["queries"]
        lines.append(
            f"| {row['label']} | {row['rps']:.1f} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{queries} | {own} | {row['p50'] / floor['p50']:.2f}× | {verdict} |"
        )
    report_floor = report["sql_floor"] + report["pdf_floor"]
    lines += [
        "",
        f"- The public POST (answered with a redirect to its tracking page, measured above) over "
        f"the write floor (a durable commit, which no bare GET makes): "
        f"{post['p50'] / write_floor['p50']:.2f}×.",
        f"- Floor of the heaviest aggregate, the province's 20 JP compliance as raw SQL: "
        f"{ids['sql_floor_ms']:.0f} ms.",
        f"- Monitoring report job: {report['seconds']:.2f} s, peak {report['peak_mb']:.0f} MB; "
        f"its floor (its SQL raw {report['sql_floor']:.2f} s + WeasyPrint "
        f"{report['pdf_floor']:.2f} s) {report_floor:.2f} s: "
        f"{report['seconds'] / report_floor:.2f}× (goal ≤ 2×).",
        f"- Evaluation PDF of an OPD of 2,000 pegawai: {json.dumps(pdf)}.",
        f"- Import of 10,000 rows: {json.dumps(imported)}.",
    ]
    publish("provinsi", "\n".join(lines))


if __name__ == "__main__":
    run_module(globals(), main)
