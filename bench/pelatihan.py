"""Benchmark of the 20 JP compliance page and of one certificate PDF, at 100,000 pegawai and
1,000,000 JP ledger entries on PostgreSQL, against the bare-view floor of the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench .venv/bin/python bench/pelatihan.py

Uses the `<name>_100k` database of bench/run.py (seeding it if needed), adds the demo trainings
and fills the ledger to a million entries with SQL (ten verified activities per pegawai over three
years), then measures with wrk. Writes its table to bench/out/.
"""

import argparse
import subprocess
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import Server, provincial_database, publish, run_module, session_cookie, step_in, wrk  # noqa: E402

# One statement: the ledger rows come from the activities' RETURNING, so the 10 million new
# activities are not scanned again (an anti-join on kegiatan_id took a third of the filler).
LEDGER_SQL = """
WITH kegiatan AS (
    INSERT INTO pelatihan_kegiataneksternal
        (pegawai_id, nama, jenis, penyelenggara, tanggal_mulai, tanggal_selesai, skala, jp,
         nomor_sertifikat, file, berkas_sha256, status, alasan_tolak, created_at, diverifikasi_at,
         keterangan_kredit)
    SELECT p.id, 'Kegiatan benchmark ' || n, 11, 'Penyelenggara benchmark', d, d, 'nasional',
           1 + (p.id * 7 + n * 3) %% 6, '', 'kegiatan/bench.pdf', '', 'diverifikasi', '', now(),
           now(), ''
    FROM pegawai_pegawai p CROSS JOIN generate_series(1, %(per)s) AS n
    CROSS JOIN LATERAL
        (SELECT make_date(2024 + n %% 3, (1 + (p.id + n) %% 12)::int, 1 + n) AS d) AS day
    RETURNING id, pegawai_id, tanggal_selesai, jp, nama
)
INSERT INTO pelatihan_catatanjp (pegawai_id, tahun, tanggal, jp, uraian, kegiatan_id)
SELECT pegawai_id, extract(year FROM tanggal_selesai), tanggal_selesai, jp, nama, id
FROM kegiatan;
"""


def fill_ledger(database_url: str, entries: int) -> int:
    count = int(
        subprocess.run(
            ["psql", database_url, "-tAc", "SELECT count(*) FROM pelatihan_catatanjp"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    if count >= entries:
        return count
    pegawai = int(
        subprocess.run(
            ["psql", database_url, "-tAc", "SELECT count(*) FROM pegawai_pegawai"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    # Top up to the target, not past it: ten rows per pegawai at most per run.
    per = max(1, min(10, round((entries - count) / pegawai)))
    sql = LEDGER_SQL.replace("%(per)s", str(per)).replace("%%", "%")
    subprocess.run(["psql", database_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)
    # The visibility map lets the ledger index answer without visiting the table.
    subprocess.run(["psql", database_url, "-qc", "VACUUM ANALYZE pelatihan_catatanjp"], check=True)
    return int(
        subprocess.run(
            ["psql", database_url, "-tAc", "SELECT count(*) FROM pelatihan_catatanjp"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


def targets() -> dict:
    """Ids the measured URLs need: run inside Django (see bench.run.step_in)."""
    from pegawai.models import UnitKerja
    from pelatihan.models import Peserta

    passed = (
        Peserta.objects.filter(lulus=True, sertifikat_semua__isnull=False).order_by("pk").first()
    )
    return {"dinkes": UnitKerja.objects.get(kode="DINKES").pk, "peserta": passed.pk}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    url = provincial_database()
    entries = fill_ledger(url, args.entries)
    print(f"  ledger: {entries:,} entries", flush=True)
    ids = step_in(url, "bench.pelatihan", "targets")
    pages = [
        ("floor: bare base.html", "/_bench/lantai/", None, 16),
        (
            "20 JP compliance, one OPD (Dinkes)",
            f"/program/kepatuhan-jp/?tahun=2026&unit={ids['dinkes']}",
            "admin",
            16,
        ),
        (
            "20 JP compliance, pengelola's scope",
            "/program/kepatuhan-jp/?tahun=2026",
            "pengelola",
            16,
        ),
        ("20 JP compliance, whole province", "/program/kepatuhan-jp/?tahun=2026", "admin", 4),
        (
            "certificate PDF, one at a time",
            f"/pelatihan/peserta/{ids['peserta']}/sertifikat.pdf",
            "admin",
            1,
        ),
    ]
    rows = []
    with Server(url):
        cookies = {u: session_cookie(u) for u in ("admin", "pengelola")}
        wrk("/_bench/lantai/", None, seconds=2, connections=16)
        for label, path, user, connections in pages:
            result = wrk(path, cookies.get(user), seconds=args.seconds, connections=connections)
            rows.append({"label": label, "connections": connections, **result})
            print(
                f"  {label:<40} {result['rps']:7.1f} req/s  p50 {result['p50']:7.1f} ms  "
                f"p95 {result['p95']:7.1f} ms",
                flush=True,
            )
    floor = rows[0]
    lines = [
        f"SIBINA pelatihan benchmark, {datetime.now():%Y-%m-%d %H:%M}, 100,000 pegawai, "
        f"{entries:,} JP entries, gunicorn 2 sync workers, wrk -t2 -d{args.seconds}s",
        "",
        "| page | connections | req/s | p50 ms | p95 ms | p50 / floor |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | {row['connections']} | {row['rps']:.1f} | {row['p50']:.1f} | "
            f"{row['p95']:.1f} | {row['p50'] / floor['p50']:.1f}× |"
        )
    publish("pelatihan", "\n".join(lines))


if __name__ == "__main__":
    run_module(globals(), main)
