"""Benchmark of the per-unit evaluation PDF for an OPD of 2,000 pegawai: wall time and peak memory
of making it (and the workbook beside it), as the Celery task does, in a process of its own, on
the `<name>_100k` database of bench/run.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench .venv/bin/python bench/evaluasi.py
"""

import os
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import provincial_database, publish, run_module, step_in  # noqa: E402


def prepare_unit() -> dict:
    """Inside Django: an OPD of exactly 2,000 pegawai, all but the head rated in one period (made
    once), and a fresh request for its PDF; returns the request's id."""
    from evaluasi import reports, services
    from evaluasi.models import (
        BerkasLaporan,
        PenilaianKinerja,
        PeriodePenilaian,
        PeriodeUnit,
        predikat_for,
    )
    from pegawai.demo import seed_unit
    from pegawai.models import User

    admin = User.objects.get(username="admin")
    unit = seed_unit(kode="BENCH2000", nama="OPD Benchmark 2.000 Pegawai", jumlah=2000)
    periode = PeriodePenilaian.objects.filter(
        nama="Benchmark 2026", periode_units__unit=unit
    ).first()
    if periode is None:
        periode = services.periode_open(
            periode=PeriodePenilaian(
                nama="Benchmark 2026",
                jenis="tahunan",
                tanggal_mulai=date(2026, 1, 1),
                tanggal_selesai=date(2026, 12, 31),
            ),
            units=[unit],
            by=admin,
        )
        rng = random.Random(5)
        scope = reports.pegawai_dalam_periode(periode).filter(atasan__isnull=False)
        cells = [
            ("di_atas", "di_atas"),
            ("sesuai", "sesuai"),
            ("sesuai", "di_atas"),
            ("di_bawah", "sesuai"),
        ]
        rows = []
        for p in scope.only("pk", "atasan_id", "jabatan_id"):
            hasil, perilaku = rng.choice(cells)
            rating = PenilaianKinerja(
                periode=periode,
                pegawai_id=p.pk,
                penilai_id=p.atasan_id,
                jabatan_id=p.jabatan_id,
                hasil_kerja=hasil,
                perilaku_kerja=perilaku,
            )
            rating.predikat = predikat_for(hasil, perilaku)
            rows.append(rating)
        PenilaianKinerja.objects.bulk_create(rows, batch_size=2000)
    periode_unit = PeriodeUnit.objects.get(periode=periode)
    berkas = BerkasLaporan.objects.create(
        jenis="unit", diminta_oleh=admin, periode_unit=periode_unit, status="diproses"
    )
    return {"berkas": berkas.pk}


def render_pdf() -> dict:
    """Inside Django, in a fresh process as a worker's task: the requested PDF (and its workbook)
    made, with its wall time and the process's peak resident memory."""
    from django.db.models import Count
    from pypdf import PdfReader

    from evaluasi import reports, services
    from evaluasi.models import BerkasLaporan

    berkas = BerkasLaporan.objects.select_related(
        "periode_unit__unit", "periode_unit__periode"
    ).get(pk=int(os.environ["BENCH_BERKAS"]))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    services.berkas_render(berkas=berkas)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    periode = berkas.periode_unit.periode
    scope = reports.pegawai_dalam_periode(periode)
    ratings = periode.penilaian.filter(pegawai__in=scope.values("pk"))  # the unit's alone
    pegawai, rated = scope.count(), ratings.count()
    with berkas.file.open("rb") as fh:
        pages = len(PdfReader(fh).pages)
    lampiran = getattr(berkas, "lampiran", None)  # the workbook (issue 24); none before
    return {
        "unit": berkas.periode_unit.unit.nama,
        "pegawai": pegawai,
        "dinilai": rated,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak / 1024),
        "growth_mb": round((peak - before) / 1024),
        "bytes": berkas.file.size,
        "pages": pages,
        "xlsx_bytes": lampiran.size if lampiran else None,
        "counts": dict(ratings.values_list("predikat").annotate(n=Count("pk")).order_by()),
    }


def make_pdf() -> dict:
    """The unit prepared in one process, its PDF made in another (the peak memory is the
    making's alone, as in a worker), on the database of DATABASE_URL."""
    url = os.environ["DATABASE_URL"]
    berkas = step_in(url, "bench.evaluasi", "prepare_unit")["berkas"]
    os.environ["BENCH_BERKAS"] = str(berkas)
    return step_in(url, "bench.evaluasi", "render_pdf")


def main() -> None:
    url = provincial_database()
    result = step_in(url, "bench.evaluasi", "make_pdf")
    workbook = (
        f" and its workbook of one row per pegawai, {result['xlsx_bytes'] / 1024:.0f} KB"
        if result["xlsx_bytes"]
        else ""
    )
    report = (
        f"SIBINA evaluasi benchmark: the per-unit PDF of {result['unit']} "
        f"({result['pegawai']:,} active pegawai, {result['dinilai']:,} rated) took "
        f"{result['seconds']} s and a peak of {result['peak_mb']} MB resident "
        f"({result['growth_mb']} MB added while making it); {result['pages']} pages, "
        f"{result['bytes'] / 1024:.0f} KB{workbook}. Goal (issue 24): under 4 s and 150 MB."
    )
    publish("evaluasi", report)


if __name__ == "__main__":
    run_module(globals(), main)
