"""Benchmark of the dashboard and of the monthly monitoring report at provincial scale, each
against floors measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench .venv/bin/python bench/pembinaan.py

On the `<name>_100k` database of bench/run.py (seeded if needed): 100,000 pegawai, the JP ledger
filled to 1,000,000 entries (bench/pelatihan.py), 200,000 post-training self-reports and 100,000
citizen feedback items added with SQL. Measures with wrk the bare-view floor and the
administrator's dashboard (and its queries); then makes a monitoring report as the Celery task
does, in a fresh process, for its wall time and peak memory, and the report's floor: the raw SQL
its aggregates ran, executed again, plus WeasyPrint rendering its finished HTML. Writes its table
to bench/out/.
"""

import argparse
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pelatihan import fill_ledger  # noqa: E402
from bench.run import Server, provincial_database, publish, run_module, session_cookie, step_in, wrk  # noqa: E402

# Two passed participations per pegawai in four benchmark batches, each with its self-report in
# a spread of states; verified ones carry a rating, as the database requires.
LAPORAN_SQL = """
INSERT INTO pelatihan_pelatihan (nama, jenis, bidang, jp, penyelenggara_jenis, penyelenggara,
    deskripsi, created_at, wajib_aksi_perubahan)
SELECT 'Pelatihan benchmark', 3, 'Benchmark', 24, 'internal', 'BPSDM', '', now(), false
WHERE NOT EXISTS (SELECT 1 FROM pelatihan_pelatihan WHERE nama = 'Pelatihan benchmark');
INSERT INTO pelatihan_angkatan (pelatihan_id, nama, tanggal_mulai, tanggal_selesai, tempat,
    tautan_daring, kuota, fasilitator, status, ambang_kehadiran, nilai_lulus)
SELECT p.id, 'Benchmark ' || n, make_date(2026, n * 2, 1), make_date(2026, n * 2, 5), '', '',
    30000, '', 'selesai', 80, 70
FROM pelatihan_pelatihan p CROSS JOIN generate_series(1, 4) AS n
WHERE p.nama = 'Pelatihan benchmark'
  AND NOT EXISTS (SELECT 1 FROM pelatihan_angkatan a WHERE a.nama = 'Benchmark ' || n);
INSERT INTO pelatihan_peserta (angkatan_id, pegawai_id, status, alasan, nilai_pre, nilai_post,
    lulus, diputuskan_at, created_at, updated_at)
SELECT a.id, g.id, 'terdaftar', '', 55, 60 + g.id % 40, true, now(), now(), now()
FROM (SELECT id, row_number() OVER (ORDER BY id) AS r FROM pegawai_pegawai) g
JOIN pelatihan_angkatan a
  ON a.nama IN ('Benchmark ' || (1 + g.r % 2), 'Benchmark ' || (3 + g.r % 2))
WHERE g.r <= %(pegawai)s
ON CONFLICT DO NOTHING;
INSERT INTO evaluasi_laporanpascapelatihan (peserta_id, pegawai_id, status, jatuh_tempo,
    perubahan, contoh, dampak, kendala, kebutuhan, lampiran, diajukan_at, nilai_perubahan,
    komentar_atasan, diputuskan_at, updated_at)
SELECT s.id, s.pegawai_id, st.status, a.tanggal_selesai + 90, 'x', 'x', 'x', '', '', '',
    CASE WHEN st.status IN ('diajukan', 'diverifikasi') THEN now() END,
    CASE WHEN st.status = 'diverifikasi' THEN 1 + s.id % 4 END, '',
    CASE WHEN st.status = 'diverifikasi' THEN now() END, now()
FROM pelatihan_peserta s JOIN pelatihan_angkatan a ON a.id = s.angkatan_id
CROSS JOIN LATERAL (SELECT (ARRAY['belum_diisi', 'draf', 'diajukan', 'diverifikasi',
    'diverifikasi'])[1 + s.id % 5] AS status) st
WHERE a.nama LIKE 'Benchmark %%'
  AND NOT EXISTS (SELECT 1 FROM evaluasi_laporanpascapelatihan l WHERE l.peserta_id = s.id);
"""
MASUKAN_SQL = """
INSERT INTO masyarakat_masukan (kode, unit_layanan_id, kategori, isi, nama, kontak, anonim,
    rahasia, lapor_id, tanggapan_pegawai, status, alasan_moderasi, dimoderasi_at, tanggapan,
    ditanggapi_at, balasan, ditutup_otomatis, created_at, email, ulasan_tanggapan)
SELECT 'B' || lpad(n::text, 11, '0'), u.id,
    (ARRAY['keluhan', 'saran', 'apresiasi'])[1 + n % 3], 'Masukan benchmark ' || n, '', '',
    false, false, '', '', st.status, '',
    CASE WHEN st.status <> 'diterima' THEN now() - interval '20 days' END,
    CASE WHEN st.status IN ('ditanggapi', 'selesai') THEN 'Ditanggapi' ELSE '' END,
    CASE WHEN st.status IN ('ditanggapi', 'selesai') THEN now() - interval '15 days' END,
    '', false, now() - (n % 300) * interval '1 day', '', ''
FROM generate_series(1, %(count)s) AS n
CROSS JOIN LATERAL (SELECT id FROM masyarakat_unitlayanan ORDER BY id
    OFFSET n %% (SELECT count(*) FROM masyarakat_unitlayanan) LIMIT 1) u
CROSS JOIN LATERAL (SELECT (ARRAY['diterima', 'diteruskan', 'ditanggapi', 'selesai'])[1 + n %% 4]
    AS status) st
WHERE NOT EXISTS (SELECT 1 FROM masyarakat_masukan m WHERE m.kode = 'B00000000001');
"""


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def count(url: str, table: str) -> int:
    out = subprocess.run(
        ["psql", url, "-tAc", f"SELECT count(*) FROM {table}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


def fill(url: str) -> dict:
    psql(url, LAPORAN_SQL.replace("%(pegawai)s", "100000").replace("%%", "%"))
    psql(url, MASUKAN_SQL.replace("%(count)s", "100000").replace("%%", "%"))
    psql(url, "VACUUM ANALYZE")
    return {
        "laporan": count(url, "evaluasi_laporanpascapelatihan"),
        "masukan": count(url, "masyarakat_masukan"),
        "jp": count(url, "pelatihan_catatanjp"),
        "pegawai": count(url, "pegawai_pegawai"),
    }


def prepare_figures() -> dict:
    """Inside Django: the precomputed figures the dashboard reads (the half-hourly job), timed,
    and the dashboard's query count for an administrator."""
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pegawai.models import User
    from pembinaan import services

    started = time.monotonic()
    rows = services.ringkasan_simpan(today=timezone.localdate())
    job = time.monotonic() - started
    counts = {}
    for username in ("admin", "pengelola"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        with CaptureQueriesContext(connection) as cold:
            status = client.get("/").status_code
        with CaptureQueriesContext(connection) as warm:
            client.get("/")
        counts[username] = {"status": status, "cold": len(cold), "warm": len(warm)}
    return {"ringkasan_s": job, "ringkasan_rows": rows, "queries": counts}


def make_report() -> dict:
    """Inside Django, in a fresh process: a monitoring report made as the task does, its wall time
    and peak memory; then its floor, the same SQL run again raw plus WeasyPrint alone."""
    import resource
    import time
    from datetime import date

    import weasyprint
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pembinaan import reports, services
    from pembinaan.models import LaporanMonitoring, ProgramPembinaan

    program = ProgramPembinaan.objects.get(tahun=timezone.localdate().year)
    LaporanMonitoring.objects.filter(program=program, periode_mulai=date(2026, 11, 1)).delete()
    laporan = LaporanMonitoring.objects.create(
        program=program, periode_mulai=date(2026, 11, 1), periode_selesai=date(2026, 11, 30),
        status="diproses",
    )  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Each stage the job reports (its progress messages): when it began, the peak so far.
    stages, progress = [], services._progress

    def timed(laporan, progres, tahap):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stages.append([tahap, round(time.monotonic() - started, 2), round(peak)])
        progress(laporan, progres, tahap)

    services._progress = timed
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        services.laporan_render(laporan=laporan)
    total = time.monotonic() - started
    services._progress = progress
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    laporan.refresh_from_db()
    with laporan.file.open("rb") as fh:
        from pypdf import PdfReader

        pages = len(PdfReader(fh).pages)
    # The floor: the report's own SQL, executed raw, and WeasyPrint on its finished HTML.
    selects = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("SELECT", "WITH"))
    ]
    started = time.monotonic()
    with connection.cursor() as cursor:
        for sql in selects:
            cursor.execute(sql)
            cursor.fetchall()
    sql_floor = time.monotonic() - started
    context = reports.konteks_monitoring(laporan) | {"dibuat": timezone.localtime()}
    html = render_to_string("pdf/monitoring.html", context)
    started = time.monotonic()
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    pdf_floor = time.monotonic() - started
    return {
        "seconds": total,
        "peak_mb": peak,
        "before_mb": before,
        "queries": len(queries),
        "pages": pages,
        "stages": stages,
        "sql_floor": sql_floor,
        "pdf_floor": pdf_floor,
    }


def store_monthly() -> dict:
    """Inside Django, in a fresh process: the nightly job that stores the monitoring report's data
    of the month that ended last (ringkasan_bulan_task), its wall time and peak memory; and the
    daily job's actuals of that month as it stores them on the first (capaian_task)."""
    import resource
    import time
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pembinaan import services
    from pembinaan.models import ProgramPembinaan

    today = timezone.localdate()
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        rows = services.ringkasan_bulan_simpan(today=today)
    job = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    month_end = today.replace(day=1) - timedelta(days=1)
    started = time.monotonic()
    for program in ProgramPembinaan.objects.filter(tahun=month_end.year):
        services.capaian_hitung(program=program, sampai=month_end)
    capaian = time.monotonic() - started
    return {
        "seconds": job,
        "rows": rows,
        "queries": len(queries),
        "peak_mb": peak,
        "capaian_seconds": capaian,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    url = provincial_database()
    fill_ledger(url, 1_000_000)
    sizes = fill(url)
    print(f"  data: {json.dumps(sizes)}", flush=True)
    figures = step_in(url, "bench.pembinaan", "prepare_figures")
    print(f"  figures: {json.dumps(figures)}", flush=True)
    rows = []
    with Server(url):
        admin = session_cookie("admin")
        pengelola = session_cookie("pengelola")
        wrk("/_bench/lantai/", None, seconds=2, connections=16)
        for label, path, cookie in [
            ("floor: bare base.html", "/_bench/lantai/", None),
            ("dashboard, admin (every OPD)", "/", admin),
            ("dashboard, pengelola (Dinkes)", "/", pengelola),
        ]:
            result = wrk(path, cookie, seconds=args.seconds, connections=16)
            rows.append({"label": label, **result})
            print(
                f"  {label:<34} {result['rps']:7.1f} req/s  p50 {result['p50']:7.1f} ms", flush=True
            )
    report = step_in(url, "bench.pembinaan", "make_report")
    print(f"  report: {json.dumps(report)}", flush=True)
    floor = rows[0]
    report_floor = report["sql_floor"] + report["pdf_floor"]
    lines = [
        f"SIBINA pembinaan benchmark, {datetime.now():%Y-%m-%d %H:%M}: {sizes['pegawai']:,} "
        f"pegawai, {sizes['jp']:,} JP entries, {sizes['laporan']:,} self-reports, "
        f"{sizes['masukan']:,} feedback items; gunicorn 2 sync workers, wrk -t2 -c16 "
        f"-d{args.seconds}s",
        "",
        "| what | req/s | p50 ms | p95 ms | queries (panel cached; first render) | p50 / floor |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        counted = figures["queries"]["admin" if "admin" in row["label"] else "pengelola"]
        queries = "0" if row is floor else f"{counted['warm']} (first {counted['cold']})"
        lines.append(
            f"| {row['label']} | {row['rps']:.1f} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{queries} | {row['p50'] / floor['p50']:.2f}× |"
        )
    lines += [
        "",
        f"- Dashboard figures precomputed by the half-hourly job: {figures['ringkasan_rows']:,} "
        f"unit rows in {figures['ringkasan_s']:.2f} s.",
        f"- Monitoring report (November, as the task makes it): {report['seconds']:.2f} s, "
        f"{report['queries']} queries, peak resident {report['peak_mb']:.0f} MB "
        f"({report['before_mb']:.0f} MB before).",
        f"- Its stages (name, started at s, peak MB so far): {report['stages']}; "
        f"{report['pages']} pages. Goal (issue 24): under 4 s and 150 MB.",
        f"- Its floor: the same SQL raw {report['sql_floor']:.2f} s + WeasyPrint on the finished "
        f"HTML {report['pdf_floor']:.2f} s = {report_floor:.2f} s; the report is "
        f"{report['seconds'] / report_floor:.2f}× its floor.",
    ]
    publish("pembinaan", "\n".join(lines))


if __name__ == "__main__":
    run_module(globals(), main)
