import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluasi import services
from evaluasi.models import BerkasLaporan, PeriodePenilaian
from tests.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_makes_the_unit_pdf(cast, celery_worker_process, settings):
    settings.MEDIA_ROOT = celery_worker_process
    periode = services.periode_open(
        periode=PeriodePenilaian(
            nama="Tahunan 2026",
            jenis="tahunan",
            tanggal_mulai=date(2026, 1, 1),
            tanggal_selesai=date(2026, 12, 31),
        ),
        units=[cast.dinkes],
        by=cast.pengelola,
    )
    services.penilaian_save(
        periode=periode,
        pegawai=cast.pegawai_pegawai,
        penilai=cast.atasan_pegawai,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
    )
    berkas = services.berkas_request(
        berkas=BerkasLaporan(
            jenis="unit", diminta_oleh=cast.pengelola, periode_unit=periode.periode_units.get()
        )
    )

    def done():
        berkas.refresh_from_db()
        return berkas.status in (BerkasLaporan.Status.SELESAI, BerkasLaporan.Status.GAGAL)

    wait_for(done, seconds=90, what="the PDF")
    assert berkas.status == BerkasLaporan.Status.SELESAI, berkas.pesan_gagal
    with berkas.file.open("rb") as fh:
        text = " ".join(PdfReader(io.BytesIO(fh.read())).pages[0].extract_text().split())
    assert "Dinas Kesehatan" in text and "Tahunan 2026" in text
    # The per-pegawai list is the workbook made beside it by the same job.
    with berkas.lampiran.open("rb") as fh:
        rows = list(load_workbook(io.BytesIO(fh.read()), read_only=True).active.values)
    assert any("Budi Pegawai" in row for row in rows)
