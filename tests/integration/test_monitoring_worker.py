import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from pembinaan import services
from pembinaan.models import LaporanMonitoring
from tests.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_makes_the_monitoring_report_and_the_page_shows_it_done(
    cast, celery_worker_process, settings, client
):
    settings.MEDIA_ROOT = celery_worker_process
    # Last year's program: its November has ended, as a report's period must have.
    program = services.program_create(tahun=timezone.localdate().year - 1, by=cast.admin)
    client.force_login(cast.admin)
    response = client.post(
        reverse("pembinaan:laporan_request", args=[program.pk]), {"periode": "bulan-11"}
    )
    laporan = LaporanMonitoring.objects.get()
    assert response.url == laporan.get_absolute_url()

    def done():
        laporan.refresh_from_db()
        return laporan.status in (LaporanMonitoring.Status.SELESAI, LaporanMonitoring.Status.GAGAL)

    wait_for(done, seconds=90, what="the monitoring report")
    assert laporan.status == LaporanMonitoring.Status.SELESAI, laporan.pesan_gagal
    assert (laporan.periode_mulai, laporan.periode_selesai) == (
        date(program.tahun, 11, 1),
        date(program.tahun, 11, 30),
    )
    page = client.get(laporan.get_absolute_url()).content.decode()
    assert "Selesai" in page and "Unduh PDF" in page
    assert reverse("pembinaan:laporan_download_xlsx", args=[laporan.pk]) in page
    # The workbook beside it, made by the same worker: a row per OPD under its title and header.
    with laporan.lampiran.open("rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read())).worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)] == [
        "Dinas Kesehatan",
        "Badan Kepegawaian Daerah",
    ]
    with laporan.file.open("rb") as fh:
        text = " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages).split()
        )
    assert "Laporan Monitoring" in text and "Dinas Kesehatan" in text
