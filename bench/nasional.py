"""SIBINA at national scale: the provincial database grown tenfold with SQL, for
`make bench BENCH_ARGS="--pegawai 1000000"` (bench/provinsi.py).

seed_demo through the ORM takes minutes per 100,000 pegawai, so a database of N pegawai
(a multiple of 100,000) is seeded to 100,000 as bench/run.py does, then grown with SQL: the unit
trees of the province cloned N/100,000 - 1 times as further regions (an OPD keeps its size,
the country has more of them), every seeded pegawai cloned into the clone of their unit with a
new NIP, their supervisor the clone of theirs, with their history (golongan, jabatan, mutasi,
pendidikan) and discipline records, and the public service units of the cloned OPDs. The
proportional fillers of bench/provinsi.py then run over all of them (10 JP entries, 5 ratings,
2 self-reports per pegawai; 2 feedback items and a survey response per pegawai spread over the
service units), and the project's own rollups make the summary tables.

A clone's id is its original's plus `copy * OFFSET`, so every foreign key of a clone is its
original's moved by the same amount, and a second run inserts nothing (ON CONFLICT DO NOTHING;
the sequences are set past the clones, so rows added later are never taken for originals).
"""

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pembinaan import count, psql  # noqa: E402
from bench.run import manage, prepare, run_module, server_env  # noqa: E402

BASE = 100_000
OFFSET = 100_000_000  # above any id seed_demo makes; copy k of row `id` is id + k * OFFSET

# Treebeard paths: a root's first character is '0' in the province (24 OPDs, paths 0001…0010),
# copy k puts k there ('k001'…), so every copied subtree keeps its shape and sorts after the
# province. The OPD's code gets '-k' (DINKES-3.YANKES.1), its name the region's number.
# NIP: the last three digits (the sequence, under 100 in the seed) plus 100 * k.
GROW_SQL = """
SET maintenance_work_mem = '256MB';
INSERT INTO pegawai_unitkerja (id, path, depth, numchild, kode, nama, jenis)
SELECT u.id + k * %(offset)s, k::text || substr(u.path, 2), u.depth, u.numchild,
    regexp_replace(u.kode, '^([^.]+)', '\\1-' || k),
    CASE WHEN u.depth = 1 THEN u.nama || ' (Wilayah ' || (k + 1) || ')' ELSE u.nama END, u.jenis
FROM pegawai_unitkerja u CROSS JOIN generate_series(1, %(copies)s) AS k
WHERE u.id < %(offset)s AND u.path LIKE '0%%'
ON CONFLICT DO NOTHING;
INSERT INTO pegawai_pegawai (id, nip, gelar_depan, nama, gelar_belakang, status_kepegawaian,
    jenis_kelamin, tempat_lahir, tanggal_lahir, tmt_cpns, tmt_pns, tmt_golongan, tmt_jabatan,
    pendidikan_terakhir, email, telepon, aktif, alasan_nonaktif, tanggal_nonaktif, created_at,
    updated_at, atasan_id, golongan_id, jabatan_id, user_id, unit_id)
SELECT p.id + k * %(offset)s,
    left(p.nip, 15) || lpad((right(p.nip, 3)::int + 100 * k)::text, 3, '0'),
    p.gelar_depan, p.nama, p.gelar_belakang, p.status_kepegawaian, p.jenis_kelamin,
    p.tempat_lahir, p.tanggal_lahir, p.tmt_cpns, p.tmt_pns, p.tmt_golongan, p.tmt_jabatan,
    p.pendidikan_terakhir, p.email, p.telepon, p.aktif, p.alasan_nonaktif, p.tanggal_nonaktif,
    p.created_at, p.updated_at, p.atasan_id + k * %(offset)s, p.golongan_id, p.jabatan_id, NULL,
    p.unit_id + k * %(offset)s
FROM pegawai_pegawai p CROSS JOIN generate_series(1, %(copies)s) AS k
WHERE p.id < %(offset)s AND right(p.nip, 3)::int < 100 AND length(p.nip) = 18
ON CONFLICT DO NOTHING;
INSERT INTO pegawai_riwayatgolongan (id, tmt, nomor_sk, tanggal_sk, dokumen, created_at,
    updated_at, jenis_kenaikan, golongan_id, pegawai_id)
SELECT r.id + k * %(offset)s, r.tmt, r.nomor_sk, r.tanggal_sk, r.dokumen, r.created_at,
    r.updated_at, r.jenis_kenaikan, r.golongan_id, r.pegawai_id + k * %(offset)s
FROM pegawai_riwayatgolongan r CROSS JOIN generate_series(1, %(copies)s) AS k
WHERE r.id < %(offset)s AND r.pegawai_id < %(offset)s
  AND EXISTS (SELECT 1 FROM pegawai_pegawai p WHERE p.id = r.pegawai_id + k * %(offset)s)
ON CONFLICT DO NOTHING;
INSERT INTO pegawai_riwayatjabatan (id, tmt, nomor_sk, tanggal_sk, dokumen, created_at,
    updated_at, jabatan_id, pegawai_id)
SELECT r.id + k * %(offset)s, r.tmt, r.nomor_sk, r.tanggal_sk, r.dokumen, r.created_at,
    r.updated_at, r.jabatan_id, r.pegawai_id + k * %(offset)s
FROM pegawai_riwayatjabatan r CROSS JOIN generate_series(1, %(copies)s) AS k
WHERE r.id < %(offset)s AND r.pegawai_id < %(offset)s
  AND EXISTS (SELECT 1 FROM pegawai_pegawai p WHERE p.id = r.pegawai_id + k * %(offset)s)
ON CONFLICT DO NOTHING;
INSERT INTO pegawai_riwayatmutasi (id, tmt, nomor_sk, tanggal_sk, dokumen, created_at,
    updated_at, alasan, pegawai_id, unit_asal_id, unit_tujuan_id)
SELECT r.id + k * %(offset)s, r.tmt, r.nomor_sk, r.tanggal_sk, r.dokumen, r.created_at,
    r.updated_at, r.alasan, r.pegawai_id + k * %(offset)s, r.unit_asal_id + k * %(offset)s,
    r.unit_tujuan_id + k * %(offset)s
FROM pegawai_riwayatmutasi r CROSS JOIN generate_series(1, %(copies)s) AS k
WHERE r.id < %(offset)s AND r.pegawai_id < %(offset)s
  AND EXISTS (SELECT 1 FROM pegawai_pegawai p WHERE p.id = r.pegawai_id + k * %(offset)s)
ON CONFLICT DO NOTHING;
INSERT INTO pegawai_riwayatpendidikan (id, jenjang, nama_sekolah, jurusan, tahun_lulus,
    nomor_ijazah, dokumen, created_at, updated_at, pegawai_id)
SELECT r.id + k * %(offset)s, r.jenjang, r.nama_sekolah, r.jurusan, r.tahun_lulus,
    r.nomor_ijazah, r.dokumen, r.created_at, r.updated_at, r.pegawai_id + k * %(offset)s
FROM pegawai_riwayatpendidikan r CROSS JOIN generate_series(1, %(copies)s) AS k
WHERE r.id < %(offset)s AND r.pegawai_id < %(offset)s
  AND EXISTS (SELECT 1 FROM pegawai_pegawai p WHERE p.id = r.pegawai_id + k * %(offset)s)
ON CONFLICT DO NOTHING;
INSERT INTO pegawai_catatandisiplin (id, tingkat, jenis_hukuman, nomor_sk, tanggal_sk, tmt,
    tanggal_selesai, keterangan, created_at, updated_at, dicatat_oleh_id, pegawai_id)
SELECT r.id + k * %(offset)s, r.tingkat, r.jenis_hukuman, r.nomor_sk, r.tanggal_sk, r.tmt,
    r.tanggal_selesai, r.keterangan, r.created_at, r.updated_at, r.dicatat_oleh_id,
    r.pegawai_id + k * %(offset)s
FROM pegawai_catatandisiplin r CROSS JOIN generate_series(1, %(copies)s) AS k
WHERE r.id < %(offset)s AND r.pegawai_id < %(offset)s
  AND EXISTS (SELECT 1 FROM pegawai_pegawai p WHERE p.id = r.pegawai_id + k * %(offset)s)
ON CONFLICT DO NOTHING;
INSERT INTO masyarakat_unitlayanan (id, nama, kode, aktif, unit_id)
SELECT s.id + k * %(offset)s, s.nama || ' (Wilayah ' || (k + 1) || ')', s.kode || '-' || k,
    s.aktif, s.unit_id + k * %(offset)s
FROM masyarakat_unitlayanan s CROSS JOIN generate_series(1, %(copies)s) AS k
WHERE s.id < %(offset)s AND s.unit_id < %(offset)s
ON CONFLICT DO NOTHING;
SELECT setval(pg_get_serial_sequence(t, 'id'),
    greatest((SELECT last_value FROM pg_sequences WHERE sequencename = t || '_id_seq'), %(top)s))
FROM unnest(ARRAY['pegawai_unitkerja', 'pegawai_pegawai', 'pegawai_riwayatgolongan',
    'pegawai_riwayatjabatan', 'pegawai_riwayatmutasi', 'pegawai_riwayatpendidikan',
    'pegawai_catatandisiplin', 'masyarakat_unitlayanan']) AS t;
"""

# Feedback and survey responses up to their national counts, spread over every service unit
# (a hash join on the unit's rank; the provincial fillers' OFFSET per row is quadratic in units).
MASUKAN_SQL = """
WITH u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM masyarakat_unitlayanan),
     c AS (SELECT count(*) AS jumlah FROM masyarakat_unitlayanan)
INSERT INTO masyarakat_masukan (kode, unit_layanan_id, kategori, isi, nama, kontak, anonim,
    rahasia, lapor_id, tanggapan_pegawai, status, alasan_moderasi, dimoderasi_at, tanggapan,
    ditanggapi_at, balasan, ditutup_otomatis, created_at, email, ulasan_tanggapan)
SELECT 'N' || lpad(n::text, 11, '0'), u.id,
    (ARRAY['keluhan', 'saran', 'apresiasi'])[1 + n %% 3], 'Masukan benchmark ' || n, '', '',
    false, false, '', '', st.status, '',
    CASE WHEN st.status <> 'diterima' THEN now() - interval '20 days' END,
    CASE WHEN st.status IN ('ditanggapi', 'selesai') THEN 'Ditanggapi' ELSE '' END,
    CASE WHEN st.status IN ('ditanggapi', 'selesai') THEN now() - interval '15 days' END,
    '', false, now() - (n %% 300) * interval '1 day', '', ''
FROM generate_series(1, %(count)s) AS n
CROSS JOIN c JOIN u ON u.i = n %% c.jumlah
CROSS JOIN LATERAL (SELECT (ARRAY['diterima', 'diteruskan', 'ditanggapi', 'selesai'])[1 + n %% 4]
    AS status) st
ON CONFLICT DO NOTHING;
"""
SURVEY_SQL = """
WITH u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM masyarakat_unitlayanan),
     c AS (SELECT count(*) AS jumlah FROM masyarakat_unitlayanan)
INSERT INTO masyarakat_responsurvei (unit_layanan_id, tanggal, usia, jenis_kelamin, pendidikan,
    pekerjaan, u1, u2, u3, u4, u5, u6, u7, u8, u9, saran, sumber, created_at)
SELECT u.id, make_date(2026, 1 + n %% 11, 1 + n %% 28), '30_39', 'P', 's1', 'swasta',
    2 + n %% 3, 3, 2 + (n / 3) %% 3, NULL, 3 + n %% 2, 2 + n %% 3, 3, 4, 2 + n %% 3, '', 'daring',
    now()
FROM generate_series(1, %(count)s) AS n CROSS JOIN c JOIN u ON u.i = n %% c.jumlah;
"""


def sql(template: str, **values) -> str:
    return template % {key: str(value) for key, value in values.items()}


def scalar(url: str, query: str) -> str:
    out = subprocess.run(["psql", url, "-tAc", query], capture_output=True, text=True, check=True)
    return out.stdout.strip()


# Written when a seeding finished: a second run finds it and only migrates (the fillers' ON
# CONFLICT would otherwise try millions of rows again to insert none).
DONE_SQL = """
CREATE TABLE IF NOT EXISTS bench_disemai (pegawai integer PRIMARY KEY, detik real NOT NULL);
INSERT INTO bench_disemai VALUES (%(size)s, %(seconds)s) ON CONFLICT DO NOTHING;
"""


def counts(url: str) -> dict:
    """The provincial row counts (bench/provinsi.py) and the units, which grow here too."""
    from bench.provinsi import TABLES, counts

    return counts(url, {"pegawai": TABLES["pegawai"], "units": "pegawai_unitkerja"} | TABLES)


def seed(url: str, size: int) -> dict:
    """Seed `url` to `size` pegawai (a multiple of 100,000 above it) and everything in
    proportion; returns the seconds of each stage. Idempotent: a finished seeding is kept, an
    interrupted one completed (each stage is one transaction, and checks what is there)."""
    from bench.pelatihan import fill_ledger
    from bench.provinsi import fill
    from bench.talenta import FILL_SQL as TALENTA_SQL

    copies = size // BASE - 1
    times = {}
    started = time.monotonic()
    server, name = url.rsplit("/", 1)
    exists = scalar(f"{server}/postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if exists and scalar(url, "SELECT to_regclass('bench_disemai') IS NOT NULL") == "t":
        done = scalar(url, f"SELECT detik FROM bench_disemai WHERE pegawai = {size}")
        if done:
            manage(server_env(url), "migrate", "--no-input", "-v0")
            return {"seconds": {"total": float(done), "kept": True}, "rows": counts(url)}
    grown = exists and scalar(url, f"SELECT 1 FROM pegawai_pegawai WHERE id >= {OFFSET} LIMIT 1")
    if grown:
        manage(server_env(url), "migrate", "--no-input", "-v0")
    else:
        prepare(url, BASE)  # seed_demo through the ORM, then VACUUM ANALYZE
    times["seed_demo_100k"] = time.monotonic() - started
    mark = time.monotonic()
    if copies and not grown:  # one transaction (psql -c): the clones are all there or none
        top = (copies + 1) * OFFSET
        psql(url, sql(GROW_SQL, offset=OFFSET, copies=copies, top=top))
        psql(url, "VACUUM ANALYZE")
    times["grow_sql"] = time.monotonic() - mark
    mark = time.monotonic()
    fill_ledger(url, 10 * size)
    times["ledger"] = time.monotonic() - mark
    mark = time.monotonic()
    missing = 2 * size - count(url, "masyarakat_masukan")
    if missing > 0:
        psql(url, sql(MASUKAN_SQL, count=missing))
    missing = size - count(url, "masyarakat_responsurvei")
    if missing > 0:
        psql(url, sql(SURVEY_SQL, count=missing))
    fill(url, size)  # self-reports, ratings; rekap_ikm; VACUUM ANALYZE
    psql(url, TALENTA_SQL)
    rows = counts(url)
    times["fillers"] = time.monotonic() - mark
    times["total"] = time.monotonic() - started
    psql(url, sql(DONE_SQL, size=size, seconds=round(times["total"])))
    return {"seconds": times, "rows": rows}


def kepatuhan() -> dict:
    """Inside Django, in a fresh process: the province's 20 JP compliance summary as the page
    and the report make it (pelatihan.reports.kepatuhan_jp), against its own SQL raw (median of
    3 each), and the process's peak resident memory."""
    import resource
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pegawai.models import Pegawai
    from pelatihan.reports import kepatuhan_jp

    def median_s(run) -> float:
        samples = []
        for _ in range(3):
            started = time.perf_counter()
            run()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    with CaptureQueriesContext(connection) as captured:
        kepatuhan_jp(Pegawai.objects.all(), 2026)
    raw_sql = captured.captured_queries[-1]["sql"]

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(raw_sql)
            cursor.fetchall()

    return {
        "orm_s": median_s(lambda: kepatuhan_jp(Pegawai.objects.all(), 2026)),
        "raw_s": median_s(raw),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def penempatan() -> dict:
    """The nightly nine-box placement job over every active pegawai, in a fresh process: its
    time and peak resident memory."""
    import resource

    from django.db import connection
    from django.utils import timezone

    from pembinaan import services

    started = time.perf_counter()
    placed = services.penempatan_hitung(today=timezone.localdate())
    job = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pembinaan_penempatantalenta")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"placed": placed, "job_s": job, "peak_mb": peak}


def talenta() -> dict:
    """The nine-box as the page reads it (pembinaan.talenta.jumlah_per_opd, a GROUP BY of the
    stored placements) against the same GROUP BY raw (median of 20 each, bench/talenta.py),
    and the page for the administrator, in a fresh process after the job's: its peak memory."""
    import resource

    from bench.talenta import median_ms, page_client, raw
    from pembinaan import talenta

    client, url, page_queries = page_client()
    return {
        "orm_ms": median_ms(talenta.jumlah_per_opd, 20),
        "raw_ms": median_ms(raw, 20),
        "page_ms": median_ms(lambda: client.get(url), 5),
        "page_queries": page_queries,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def in_process() -> dict:
    """Inside Django, in a fresh process: each signed-in page of page_specs through the test client
    (after a warm-up request), its median time of 5 and its size in bytes. wrk's figures move by
    ±40 % when other work shares the two cores; the page's own time in one process moves less."""
    import statistics

    from django.test import Client

    from bench.provinsi import page_specs, targets
    from pegawai.models import User

    ids = targets()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="admin"))
    pages = {}
    for label, path, user, _ in page_specs(ids)[1:]:
        if not user:
            continue
        size = len(client.get(path).content)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        pages[label] = {"ms": statistics.median(times), "bytes": size}
    return pages


def compare(base: str, size: int, seconds: int) -> None:
    """bench/provinsi.py --pegawai SIZE: the provincial database (100,000) and one of SIZE,
    both seeded, both served at once; every page measured at one size right after the other,
    then the jobs at each size against their raw SQL. Writes bench/out/nasional-*.md."""
    import os
    from contextlib import ExitStack

    from bench.pembinaan import psql as run_sql
    from bench.provinsi import WRITE_TABLE_SQL, page_specs, wrk_feedback_post
    from bench.run import PORT, Server, averaged, session_cookie, step_in, wrk

    load = {"before": os.getloadavg()}
    small = f"{base}_100k"
    rows = {BASE: seed(small, BASE)["rows"]}
    big = f"{base}_{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{base}_{size // 1000}k"
    seeded = seed(big, size)
    print(f"  seeded {big}: {json.dumps(seeded)}", flush=True)
    rows[size] = seeded["rows"]
    urls = {BASE: small, size: big}
    ids, figures = {}, {}
    for n, url in urls.items():
        run_sql(url, WRITE_TABLE_SQL)
        ids[n] = step_in(url, "bench.provinsi", "targets")
        figures[n] = step_in(url, "bench.pembinaan", "prepare_figures")
    ports = {n: PORT + i for i, n in enumerate(urls)}
    measured = {n: [] for n in urls}
    os.environ["PUBLIC_FORMS_PER_HOUR"] = "100000000"
    with ExitStack() as servers:
        for n, url in urls.items():
            servers.enter_context(Server(url, port=ports[n]))
        cookies = {n: session_cookie("admin", ports[n]) for n in urls}
        for n in urls:
            wrk("/_bench/lantai/", None, seconds=2, connections=16, port=ports[n])
        specs = {n: page_specs(ids[n]) for n in urls}
        for index in range(len(specs[BASE]) + 1):
            for n in urls:
                if index < len(specs[n]):
                    label, path, user, connections = specs[n][index]
                    result = wrk(path, cookies[n] if user else None, seconds=seconds,
                                 connections=connections, port=ports[n])  # fmt: skip
                else:
                    label = "public feedback form, POST"
                    result = wrk_feedback_post(ids[n]["layanan"], seconds, port=ports[n])
                result |= {"label": label, "queries": ids[n]["queries"].get(label)}
                measured[n].append(result)
                print(f"  {n:>9,} {label:<36} {result['rps']:8.1f} req/s  "
                      f"p50 {result['p50']:7.1f} ms", flush=True)  # fmt: skip
        for n in urls:  # the floors again, after the pages
            for spec, (_, path, user, connections) in zip(measured[n], specs[n][:2], strict=False):
                again = wrk(path, cookies[n] if user else None, seconds=seconds,
                            connections=connections, port=ports[n])  # fmt: skip
                spec |= averaged(spec, again)
    del os.environ["PUBLIC_FORMS_PER_HOUR"]
    jobs = {}
    for n, url in urls.items():
        jobs[n] = {  # the nightly month-end store first: the report reads what it stored
            "stored": step_in(url, "bench.pembinaan", "store_monthly"),
            "report": step_in(url, "bench.pembinaan", "make_report"),
            "kepatuhan": step_in(url, "bench.nasional", "kepatuhan"),
            "penempatan": step_in(url, "bench.nasional", "penempatan"),
            "talenta": step_in(url, "bench.nasional", "talenta"),
        }
        print(f"  {n:>9,} jobs: {json.dumps(jobs[n])}", flush=True)
    # Each signed-in page in-process too, the sizes alternating over three rounds; the best
    # median of each size is kept (the one least disturbed by other work on the machine).
    rounds = {n: [] for n in urls}
    for _ in range(3):
        for n, url in urls.items():
            rounds[n].append(step_in(url, "bench.nasional", "in_process"))
    inside = {n: {label: min((r[label] for r in rounds[n]), key=lambda m: m["ms"])
                  for label in rounds[n][0]} for n in urls}  # fmt: skip
    load["after"] = os.getloadavg()
    write(urls, rows, seeded, measured, figures, jobs, load, seconds, inside)


def write(urls, rows, seeded, measured, figures, jobs, load, seconds, inside) -> None:
    from datetime import datetime

    from bench.run import publish

    small, big = list(urls)
    t = seeded["seconds"]
    lines = [
        f"SIBINA at {small:,} and {big:,} pegawai, {datetime.now():%Y-%m-%d %H:%M}, both served "
        f"at once (gunicorn 2 sync workers each), wrk -t2 -c16 -d{seconds}s, each page at one "
        f"size right after the other; load average before {load['before'][0]:.1f}, after "
        f"{load['after'][0]:.1f} (2 cores shared with other engineers' tests)",
        "",
        f"Data: {json.dumps(rows)}",
        "",
        f"Seeding {big:,} (bench/nasional.py): kept from an earlier run, which took "
        f"{t['total'] / 60:.1f} min."
        if t.get("kept")
        else f"Seeding {big:,} (bench/nasional.py): seed_demo to 100,000 "
        f"{t['seed_demo_100k']:.0f} s, grown by SQL {t['grow_sql']:.0f} s, JP ledger "
        f"{t['ledger']:.0f} s, other fillers and rollups {t['fillers']:.0f} s; total "
        f"{t['total'] / 60:.1f} min.",
        "",
        f"| page | req/s {small:,} | p50 ms | p95 ms | req/s {big:,} | p50 ms | p95 ms | "
        f"p50 {big:,} / {small:,} | queries {small:,} / {big:,} |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for a, b in zip(measured[small], measured[big], strict=True):
        lines.append(
            f"| {a['label']} | {a['rps']:.1f} | {a['p50']:.1f} | {a['p95']:.1f} | "
            f"{b['rps']:.1f} | {b['p50']:.1f} | {b['p95']:.1f} | {b['p50'] / a['p50']:.2f}× | "
            f"{'' if a['queries'] is None else a['queries']} / "
            f"{'' if b['queries'] is None else b['queries']} |"
        )
    lines += [
        "",
        "In-process (Django test client, median of 5, best of 3 rounds alternating the sizes):",
        "",
        f"| page | ms {small:,} | KB {small:,} | ms {big:,} | KB {big:,} | {big:,} / {small:,} |",
        "|---|---|---|---|---|---|",
    ]
    for label, a in inside[small].items():
        b = inside[big][label]
        lines.append(
            f"| {label} | {a['ms']:.1f} | {a['bytes'] / 1024:.0f} | {b['ms']:.1f} | "
            f"{b['bytes'] / 1024:.0f} | {b['ms'] / a['ms']:.2f}× |"
        )
    lines += ["", "| job | " + " | ".join(f"{n:,}" for n in urls) + " |", "|---|---|---|"]

    def row(label, value):
        lines.append(f"| {label} | " + " | ".join(value(jobs[n], n) for n in urls) + " |")

    def report(j, n):
        r = j["report"]
        floor = r["sql_floor"] + r["pdf_floor"]
        return (f"{r['seconds']:.2f} s vs floor {floor:.2f} s (SQL {r['sql_floor']:.2f} + "
                f"WeasyPrint {r['pdf_floor']:.2f}) = {r['seconds'] / floor:.2f}×, "
                f"{r['peak_mb']:.0f} MB")  # fmt: skip

    def kep(j, n):
        k = j["kepatuhan"]
        return (f"{k['orm_s'] * 1000:.0f} ms vs raw {k['raw_s'] * 1000:.0f} ms = "
                f"{k['orm_s'] / k['raw_s']:.2f}×, {k['peak_mb']:.0f} MB")  # fmt: skip

    def nine(j, n):
        k = j["talenta"]
        return (f"{k['orm_ms']:.0f} ms vs raw {k['raw_ms']:.0f} ms = "
                f"{k['orm_ms'] / max(k['raw_ms'], 0.001):.2f}×, {k['peak_mb']:.0f} MB")  # fmt: skip

    row(
        "nightly month-end store (ringkasan_bulan_simpan); peak RSS",
        lambda j, n: (
            f"{j['stored']['seconds']:.1f} s, {j['stored']['queries']} queries, "
            f"{j['stored']['peak_mb']:.0f} MB"
        ),
    )
    row("monitoring report job (November), vs its SQL raw + WeasyPrint; peak RSS", report)
    row("20 JP compliance, province (kepatuhan_jp) vs its SQL raw; peak RSS", kep)
    row("nine-box counts per OPD (jumlah_per_opd) vs raw GROUP BY; peak RSS", nine)
    row(
        "nightly nine-box placement job (penempatan_hitung); peak RSS",
        lambda j, n: (
            f"{j['penempatan']['job_s']:.1f} s, {j['penempatan']['placed']:,} placed, "
            f"{j['penempatan']['peak_mb']:.0f} MB"
        ),
    )
    row(
        "dashboard figures job (ringkasan_simpan)",
        lambda j, n: f"{figures[n]['ringkasan_s']:.1f} s, {figures[n]['ringkasan_rows']:,} rows",
    )
    row(
        "nine-box page, admin (test client)",
        lambda j, n: f"{j['talenta']['page_ms']:.0f} ms, {j['talenta']['page_queries']} queries",
    )
    publish("nasional", "\n".join(lines))


def main() -> None:
    sys.exit('Run `make bench BENCH_ARGS="--pegawai 1000000"` (bench/provinsi.py).')


if __name__ == "__main__":
    run_module(globals(), main)
