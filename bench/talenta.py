"""The province's nine-box (talent management) at provincial scale, against its raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench .venv/bin/python bench/talenta.py
    ... bench/talenta.py --pegawai 2000      # a small run, on DATABASE_URL's database itself

On `<DATABASE_URL>_100k` (another size: DATABASE_URL's own database), seeded by seed_demo to N
pegawai, SQL fillers give every active pegawai a potential score and two annual predicates (the
two years the placement reads). Then, in a fresh process: the nightly job that places everyone
(pembinaan.services.penempatan_hitung) timed once; the nine-box counts of every OPD as the page
reads them (pembinaan.talenta.jumlah_per_opd, a GROUP BY of the stored placements) against the
same GROUP BY as raw SQL, each the median of 20 runs; and the page itself for the administrator
(Django's test client, median of 10) with its query count. Writes its table to bench/out/.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pembinaan import psql  # noqa: E402
from bench.run import prepare, publish, run_module, step_in  # noqa: E402

# Two closed annual periods (the years before this one) and a rating in each for every active
# pegawai with a supervisor, spread over the predicates; a potential score for every active
# pegawai, spread over 0–100.
FILL_SQL = """
INSERT INTO evaluasi_periodepenilaian (nama, jenis, tanggal_mulai, tanggal_selesai, status,
    dibuka_oleh_id, created_at)
SELECT 'Talenta ' || y, 'tahunan', make_date(y, 1, 1), make_date(y, 12, 31), 'ditutup',
    (SELECT id FROM pegawai_user WHERE username = 'admin'), now()
FROM (SELECT extract(year FROM now())::int - n AS y FROM generate_series(1, 2) AS n) years
WHERE NOT EXISTS (SELECT 1 FROM evaluasi_periodepenilaian WHERE nama = 'Talenta ' || y);
INSERT INTO evaluasi_penilaiankinerja (periode_id, pegawai_id, penilai_id, hasil_kerja,
    perilaku_kerja, predikat, catatan, jabatan_id, dinilai_at, diketahui_at)
SELECT r.id, p.id, p.atasan_id, m.hasil, m.perilaku, m.predikat, '', p.jabatan_id, now(), now()
FROM evaluasi_periodepenilaian r
JOIN pegawai_pegawai p ON p.atasan_id IS NOT NULL AND p.aktif
CROSS JOIN LATERAL (SELECT * FROM (VALUES
    ('sesuai', 'sesuai', 'baik'), ('di_atas', 'di_atas', 'sangat_baik'),
    ('di_atas', 'di_atas', 'sangat_baik'), ('di_bawah', 'sesuai', 'butuh_perbaikan'))
    AS m(hasil, perilaku, predikat) OFFSET (p.id / 3 + r.id) % 4 LIMIT 1) m
WHERE r.nama LIKE 'Talenta %'
ON CONFLICT DO NOTHING;
INSERT INTO pembinaan_potensial (pegawai_id, tanggal, sumber, skor, catatan, created_at)
SELECT p.id, make_date(extract(year FROM now())::int, 1, 15), 'assessment_center',
    (p.id * 37) % 101, '', now()
FROM pegawai_pegawai p WHERE p.aktif
ON CONFLICT DO NOTHING;
"""
RAW_SQL = "SELECT opd_id, kotak, count(*) FROM pembinaan_penempatantalenta GROUP BY opd_id, kotak"


def median_ms(run, times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def raw() -> None:
    """The nine-box counts per OPD as raw SQL: the floor of pembinaan.talenta.jumlah_per_opd."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL)
        cursor.fetchall()


def page_client():
    """The administrator's test client on the nine-box page, its caches (the unit tree) warm as
    on a running server: (client, url, the page's query count)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from pegawai.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="admin"))
    url = reverse("pembinaan:talenta_index")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return client, url, len(queries)  # read now: the log is a window that later requests empty


def measure() -> dict:
    from django.db import connection
    from django.utils import timezone

    from pembinaan import services, talenta

    started = time.perf_counter()
    placed = services.penempatan_hitung(today=timezone.localdate())
    job = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pembinaan_penempatantalenta")
    client, url, page_queries = page_client()
    return {
        "placed": placed,
        "job_s": job,
        "orm_ms": median_ms(talenta.jumlah_per_opd, 20),
        "raw_ms": median_ms(raw, 20),
        "page_ms": median_ms(lambda: client.get(url), 10),
        "page_queries": page_queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pegawai", type=int, default=100_000)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (its name is used as a prefix).")
    url = f"{base}_100k" if args.pegawai == 100_000 else base
    prepare(url, args.pegawai)
    psql(url, FILL_SQL)
    r = step_in(url, "bench.talenta", "measure")
    report = "\n".join([
        f"# Nine-box of the province, {args.pegawai:,} pegawai ({datetime.now():%Y-%m-%d %H:%M})",
        "",
        "| what | value |",
        "|---|---|",
        f"| pegawai placed by the nightly job | {r['placed']:,} |",
        f"| the job (penempatan_hitung, every pegawai) | {r['job_s']:.2f} s |",
        f"| nine-box counts per OPD, ORM (jumlah_per_opd) | {r['orm_ms']:.1f} ms |",
        f"| the same GROUP BY as raw SQL (floor) | {r['raw_ms']:.1f} ms |",
        f"| ratio ORM / raw SQL | {r['orm_ms'] / max(r['raw_ms'], 0.001):.2f} |",
        f"| /program/talenta/ for the administrator (test client) | {r['page_ms']:.1f} ms, "
        f"{r['page_queries']} queries |",
    ])  # fmt: skip
    publish("talenta", report)


if __name__ == "__main__":
    run_module(globals(), main)
