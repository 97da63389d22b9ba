"""Benchmark of the IKM page for a service unit with 50,000 survey responses, on the
`<name>_100k` database of bench/run.py, against the bare-view floor of the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench \
        .venv/bin/python bench/masyarakat.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import Server, provincial_database, publish, run_module, session_cookie, step_in, wrk  # noqa: E402

RESPONSES = 50_000


def fill() -> dict:
    """Inside Django: a service unit of Dinas Kesehatan with 50,000 responses over one year."""
    import random
    from datetime import date, timedelta

    from masyarakat import rekap
    from masyarakat.models import ResponSurvei, UnitLayanan
    from masyarakat.referensi import KEYS
    from pegawai.models import UnitKerja

    layanan, _ = UnitLayanan.objects.get_or_create(
        kode="bench-50000",
        defaults={"unit": UnitKerja.objects.get(kode="DINKES"), "nama": "Benchmark"},
    )
    missing = RESPONSES - layanan.respon.count()
    rng = random.Random(1)
    rows = [
        ResponSurvei(
            unit_layanan=layanan,
            tanggal=date(2026, 1, 1) + timedelta(days=rng.randrange(365)),
            usia="30_39",
            jenis_kelamin="P",
            pendidikan="s1",
            pekerjaan="swasta",
            **{k: rng.choice([2, 3, 3, 4, 4]) for k in KEYS},
        )
        for _ in range(max(missing, 0))
    ]
    ResponSurvei.objects.bulk_create(rows, batch_size=5000)
    rekap.tambah(rows)
    return {"pk": layanan.pk, "responses": layanan.respon.count()}


def main() -> None:
    url = provincial_database()
    target = step_in(url, "bench.masyarakat", "fill")
    with Server(url):
        cookie = session_cookie("admin")
        wrk("/_bench/lantai/", None, seconds=2, connections=16)
        floor = wrk("/_bench/lantai/", None, seconds=10, connections=16)
        year = wrk(
            f"/masyarakat/ikm/?unit={target['pk']}&jenis=tahun&tahun=2026&ke=1&populasi=100000",
            cookie,
            seconds=10,
            connections=16,
        )
        quarter = wrk(
            f"/masyarakat/ikm/?unit={target['pk']}&jenis=triwulan&tahun=2026&ke=2",
            cookie,
            seconds=10,
            connections=16,
        )
    lines = [
        f"SIBINA IKM benchmark, {time.strftime('%Y-%m-%d %H:%M')}, a unit with "
        f"{target['responses']:,} responses, wrk -t2 -c16 -d10s, gunicorn 2 sync workers",
        "",
        "| page | req/s | p50 ms | p95 ms | p50 / floor |",
        "|---|---|---|---|---|",
    ]
    for label, row in (
        ("floor: bare base.html", floor),
        ("IKM, whole year (50,000)", year),
        ("IKM, one quarter (~12,500)", quarter),
    ):
        lines.append(
            f"| {label} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['p50'] / floor['p50']:.1f}× |"
        )
    publish("masyarakat", "\n".join(lines))


if __name__ == "__main__":
    run_module(globals(), main)
