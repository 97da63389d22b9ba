"""L4 measured (pembinaan.dampak) at provincial scale, against its raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench .venv/bin/python bench/dampak.py
    ... bench/dampak.py --pegawai 2000      # a small run, on DATABASE_URL's database itself

On `<DATABASE_URL>_100k` (another size: DATABASE_URL's own database), seeded by seed_demo to N
pegawai, SQL fillers add eight closed quarterly periods (2024–2025), TRAININGS trainings of
BATCHES finished batches each with PESERTA passed participants drawn across the province, and a
rating in every period for every active pegawai with a supervisor (a third of the trainings lift
their participants by one predicate step after their batch). Then, in a fresh process: the
province-wide impact section of the monitoring report (dampak.peringkat, every finished batch)
against its heavy statement alone as raw SQL on the cursor (dampak.perubahan_per_sel: every
cell's changes per pair of quarters, so the floor is the statement without the lookups and the
arithmetic around it), each the median of N runs; the impact panel of one training
(dampak.dampak_pelatihan) with its query count; and EXPLAIN ANALYZE of the statement. Writes
its table to bench/out/.
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
from bench.run import OUT, prepare, publish, run_module, step_in  # noqa: E402

TRAININGS, BATCHES, PESERTA = 60, 5, 30
RUNS = 3

# Trainings 'Dampak benchmark NN', each with BATCHES finished batches between April 2024 and
# June 2025 and PESERTA passed participants per batch, spread over the province by a stride
# through the pegawai (so over every OPD and jabatan type).
BATCH_SQL = f"""
INSERT INTO pelatihan_pelatihan (nama, jenis, bidang, jp, penyelenggara_jenis, penyelenggara,
    deskripsi, created_at, wajib_aksi_perubahan)
SELECT 'Dampak benchmark ' || lpad(t::text, 2, '0'), 3, 'Benchmark', 24, 'internal', 'BPSDM',
    '', now(), false
FROM generate_series(1, {TRAININGS}) AS t
WHERE NOT EXISTS (SELECT 1 FROM pelatihan_pelatihan
                  WHERE nama = 'Dampak benchmark ' || lpad(t::text, 2, '0'));
INSERT INTO pelatihan_angkatan (pelatihan_id, nama, tanggal_mulai, tanggal_selesai, tempat,
    tautan_daring, kuota, fasilitator, status, ambang_kehadiran, nilai_lulus)
SELECT p.id, 'Dampak ' || s.seq, date '2024-04-01' + (s.seq * 37) % 450,
    date '2024-04-01' + (s.seq * 37) % 450 + 3, '', '', {PESERTA}, '', 'selesai', 80, 70
FROM pelatihan_pelatihan p
CROSS JOIN LATERAL (SELECT (substr(p.nama, 18)::int - 1) * {BATCHES} + b AS seq
                    FROM generate_series(0, {BATCHES - 1}) AS b) s
WHERE p.nama LIKE 'Dampak benchmark %'
  AND NOT EXISTS (SELECT 1 FROM pelatihan_angkatan a WHERE a.nama = 'Dampak ' || s.seq);
INSERT INTO pelatihan_peserta (angkatan_id, pegawai_id, status, alasan, nilai_pre, nilai_post,
    lulus, diputuskan_at, created_at, updated_at)
SELECT a.id, g.id, 'terdaftar', '', 55, 80, true, now(), now(), now()
FROM pelatihan_angkatan a
CROSS JOIN generate_series(0, {PESERTA - 1}) AS k
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS r FROM pegawai_pegawai WHERE aktif) g
  ON g.r = ((substr(a.nama, 8)::int * {PESERTA} + k) * 7919)
           % (SELECT count(*) FROM pegawai_pegawai WHERE aktif)
WHERE a.nama LIKE 'Dampak %'
ON CONFLICT DO NOTHING;
"""
# Eight closed quarters, 2024–2025, and a rating in each for every active pegawai with a
# supervisor: a per-pegawai level (3–5), some noise per quarter, and one step up once they
# passed a batch of a training whose number is a multiple of three.
RATING_SQL = """
INSERT INTO evaluasi_periodepenilaian (nama, jenis, tanggal_mulai, tanggal_selesai, status,
    dibuka_oleh_id, created_at)
SELECT 'Dampak triwulan ' || y || '-' || q, 'triwulan', make_date(y, q * 3 - 2, 1),
    (make_date(y, q * 3 - 2, 1) + interval '3 months - 1 day')::date, 'ditutup',
    (SELECT id FROM pegawai_user WHERE username = 'admin'), now()
FROM generate_series(2024, 2025) AS y CROSS JOIN generate_series(1, 4) AS q
WHERE NOT EXISTS (SELECT 1 FROM evaluasi_periodepenilaian
                  WHERE nama = 'Dampak triwulan ' || y || '-' || q);
INSERT INTO evaluasi_penilaiankinerja (periode_id, pegawai_id, penilai_id, hasil_kerja,
    perilaku_kerja, predikat, catatan, jabatan_id, dinilai_at, diketahui_at)
SELECT r.id, p.id, p.atasan_id, m.hasil, m.perilaku, m.predikat, '', p.jabatan_id, now(), now()
FROM evaluasi_periodepenilaian r
JOIN pegawai_pegawai p ON p.atasan_id IS NOT NULL AND p.aktif
CROSS JOIN LATERAL (SELECT greatest(1, least(5,
    (ARRAY[3, 4, 4, 4, 5])[1 + p.id % 5]
    + (ARRAY[0, 0, 0, 0, 0, 0, 1, -1])[1 + (p.id * 31 + r.id * 17) % 8]
    + CASE WHEN EXISTS (
        SELECT 1 FROM pelatihan_peserta s
        JOIN pelatihan_angkatan a ON a.id = s.angkatan_id
        JOIN pelatihan_pelatihan t ON t.id = a.pelatihan_id
        WHERE s.pegawai_id = p.id AND s.lulus AND a.tanggal_selesai < r.tanggal_mulai
          AND t.nama LIKE 'Dampak benchmark %' AND t.id % 3 = 0) THEN 1 ELSE 0 END)) AS skor) k
CROSS JOIN LATERAL (SELECT * FROM (VALUES
    (5, 'di_atas', 'di_atas', 'sangat_baik'), (4, 'sesuai', 'sesuai', 'baik'),
    (3, 'di_bawah', 'sesuai', 'butuh_perbaikan'), (2, 'sesuai', 'di_bawah', 'kurang'),
    (1, 'di_bawah', 'di_bawah', 'sangat_kurang')) AS v(skor, hasil, perilaku, predikat)
    WHERE v.skor = k.skor) m
WHERE r.nama LIKE 'Dampak triwulan %'
ON CONFLICT DO NOTHING;
"""


def median_ms(run, times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pelatihan.models import Angkatan, Pelatihan
    from pembinaan import dampak

    today = timezone.localdate()
    batches = list(Angkatan.objects.filter(status="selesai", tanggal_selesai__lt=today))
    pairs = list(dict.fromkeys((dampak.slot_sebelum(b), dampak.slot_sesudah(b)) for b in batches))

    def raw():
        """The heavy part alone: every cell's changes per pair of slots, one statement."""
        return dampak.perubahan_per_sel(pairs, today)

    raw()  # warm: the tables in the buffer cache, as on a running server
    with CaptureQueriesContext(connection) as queries:
        ranking = dampak.peringkat(sampai=today)
    ranking_queries = len(queries)
    sql = queries.captured_queries[2]["sql"]  # the cells' statement, as it ran
    big = Pelatihan.objects.filter(nama__startswith="Dampak benchmark").order_by("nama").first()
    with CaptureQueriesContext(connection) as queries:
        panel = dampak.dampak_pelatihan(big, today=today)
    panel_queries = len(queries)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    return {
        "batches": len(batches),
        "pairs": len(pairs),
        "terukur": len(ranking.semua),
        "berdampak": ranking.berdampak,
        "peserta": sum(s.peserta.n for _, s in ranking.semua),
        "pembanding": sum(s.pembanding.n for _, s in ranking.semua),
        "top": [(p.nama, s.teks) for p, s in ranking.terbesar[:3]],
        "orm_ms": median_ms(lambda: dampak.peringkat(sampai=today), RUNS),
        "orm_queries": ranking_queries,
        "raw_ms": median_ms(raw, RUNS),
        "panel_ms": median_ms(lambda: dampak.dampak_pelatihan(big, today=today), RUNS),
        "panel_queries": panel_queries,
        "panel_name": big.nama,
        "panel_batches": len(panel.angkatan),
        "panel_teks": panel.selisih.teks,
        "plan": plan,
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
    started = time.monotonic()
    psql(url, BATCH_SQL)
    psql(url, RATING_SQL)
    psql(url, "VACUUM ANALYZE")
    filled = time.monotonic() - started
    r = step_in(url, "bench.dampak", "measure")
    OUT.mkdir(exist_ok=True)
    (OUT / f"dampak-explain-{datetime.now():%Y%m%d-%H%M}.txt").write_text(r["plan"] + "\n")
    when = f"{datetime.now():%Y-%m-%d %H:%M}"
    report = "\n".join([
        f"# Impact (L4) of the province, {args.pegawai:,} pegawai ({when})",
        "",
        "| what | value |",
        "|---|---|",
        f"| fillers (idempotent; a second run only checks) | {filled:.1f} s |",
        f"| finished batches / their pairs of quarters (before, after) | "
        f"{r['batches']:,} / {r['pairs']} |",
        f"| trainings measured / with a clear effect | {r['terukur']} / {r['berdampak']} |",
        f"| observations: peserta / pembanding (a pegawai once per batch) | "
        f"{r['peserta']:,} / {r['pembanding']:,} |",
        f"| province-wide ranking, dampak.peringkat (median of {RUNS}) | "
        f"{r['orm_ms']:.0f} ms, {r['orm_queries']} queries |",
        f"| its heavy statement alone, raw SQL on the cursor (perubahan_per_sel) | "
        f"{r['raw_ms']:.0f} ms |",
        f"| ratio peringkat / raw SQL | {r['orm_ms'] / max(r['raw_ms'], 0.001):.2f} |",
        f"| impact panel of '{r['panel_name']}' ({r['panel_batches']} batches), "
        f"dampak_pelatihan | {r['panel_ms']:.0f} ms, {r['panel_queries']} queries |",
        "",
        f"Largest effects: {'; '.join(f'{n}: {t}' for n, t in r['top'])}.",
        "EXPLAIN ANALYZE of the cells' statement: bench/out/dampak-explain-*.txt.",
    ])  # fmt: skip
    publish("dampak", report)


if __name__ == "__main__":
    run_module(globals(), main)
