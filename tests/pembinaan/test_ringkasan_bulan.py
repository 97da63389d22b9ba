"""The monitoring report's stored data (issue 24): the figures per unit at a month's end
(RingkasanBulan) and every OPD's evidence of training needs (RingkasanKebutuhan), made by the
nightly job, are exactly what the live computation gives at several cut-offs; the report reads
them only when they were made after its period ended, and then gives the same report."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook

from evaluasi.models import LaporanPascaPelatihan
from pegawai.models import UnitKerja
from pelatihan.models import CatatanJP
from pembinaan import kebutuhan, reports, services
from pembinaan.models import LaporanMonitoring, RingkasanBulan, RingkasanKebutuhan
from pembinaan.tasks import laporan_buat_task, ringkasan_bulan_task
from tests import factories
from tests.pembinaan.test_kebutuhan import evidence  # noqa: F401 - the fixture
from tests.queries import cold_queries

YEAR = 2026


def jp_on(pegawai, jp: int, day: date) -> None:
    entry = factories.catatan_jp(pegawai, jp, year=day.year)
    CatatanJP.objects.filter(pk=entry.pk).update(tanggal=day)


@pytest.fixture
def month_data(cast):
    """JP earned over the year (the cast's pegawai reaches 20 JP in June, the atasan never),
    self-reports due in several months, a rated period of Dinas Kesehatan."""
    jp_on(cast.pegawai_pegawai, 12, date(YEAR, 2, 10))
    jp_on(cast.pegawai_pegawai, 8, date(YEAR, 6, 15))
    jp_on(cast.atasan_pegawai, 19, date(YEAR, 3, 1))
    for n, (due, status) in enumerate(
        [
            (date(YEAR, 3, 1), "belum_diisi"),
            (date(YEAR, 7, 1), "draf"),
            (date(YEAR, 5, 1), "diajukan"),
        ]
    ):
        batch = factories.angkatan(factories.pelatihan(nama=f"P{n}"))
        peserta = batch.peserta.create(pegawai=cast.pegawai_pegawai, status="terdaftar")
        LaporanPascaPelatihan.objects.create(
            peserta=peserta, pegawai=cast.pegawai_pegawai, status=status, jatuh_tempo=due
        )
    factories.periode(cast, rate=("di_atas", "sesuai"))


@pytest.mark.parametrize(
    "sampai", [date(YEAR, 1, 31), date(YEAR, 2, 28), date(YEAR, 6, 30), date(YEAR, 11, 30)]
)
def test_the_stored_month_end_figures_are_the_live_ones(cast, month_data, sampai):
    services.ringkasan_bulan_simpan(today=sampai + timedelta(days=1))
    stored = reports.ringkasan_akhir_periode(sampai)
    assert stored.per is not None  # read from the table
    assert stored.figures == reports.ringkasan_hitung(sampai)
    assert stored.periode_predikat == reports.periode_predikat_terakhir()


def test_the_figures_are_read_from_the_table_without_the_ledger(cast, month_data):
    sampai = date(YEAR, 6, 30)
    services.ringkasan_bulan_simpan(today=date(YEAR, 7, 15))
    jp_on(cast.atasan_pegawai, 5, date(YEAR, 6, 1))  # recorded late, after the night's run
    assert reports.ringkasan_akhir_periode(sampai).figures[cast.dinkes.pk]["pns_patuh"] == 1
    assert reports.ringkasan_hitung(sampai)[cast.dinkes.pk]["pns_patuh"] == 2
    services.ringkasan_bulan_simpan(today=date(YEAR, 7, 16))  # the next night takes it in
    assert reports.ringkasan_akhir_periode(sampai).figures[cast.dinkes.pk]["pns_patuh"] == 2


def test_figures_made_before_the_period_ended_are_not_read(cast, month_data):
    sampai = date(YEAR, 6, 30)
    services.ringkasan_bulan_simpan(today=date(YEAR, 7, 1))
    made_that_day = timezone.make_aware(datetime(YEAR, 6, 30, 23, 0))
    RingkasanBulan.objects.update(dihitung_at=made_that_day, pegawai_aktif=999)
    akhir = reports.ringkasan_akhir_periode(sampai)
    assert akhir.per is None and akhir.figures == reports.ringkasan_hitung(sampai)
    # A period that does not end a month has no stored row: computed live.
    assert reports.ringkasan_akhir_periode(date(YEAR, 6, 29)).per is None


def test_the_job_keeps_one_set_of_rows_per_month(cast, month_data):
    services.ringkasan_bulan_simpan(today=date(YEAR, 7, 1))
    first = RingkasanBulan.objects.count()
    services.ringkasan_bulan_simpan(today=date(YEAR, 7, 2))
    assert RingkasanBulan.objects.count() == first
    services.ringkasan_bulan_simpan(today=date(YEAR, 8, 1))
    assert set(RingkasanBulan.objects.values_list("sampai", flat=True)) == {
        date(YEAR, 6, 30),
        date(YEAR, 7, 31),
    }


def test_the_stored_needs_evidence_is_the_live_one(cast, evidence):  # noqa: F811
    year = timezone.localdate().year
    assert kebutuhan.bukti_simpan(tahun=year) == UnitKerja.objects.filter(depth=1).count()
    opds = list(UnitKerja.objects.filter(depth=1).order_by("path"))
    stored, _ = kebutuhan.bukti_tersimpan(opds, tahun=year, sejak=date(year, 1, 1))
    live = kebutuhan.bukti_opd(opds, tahun=year, iklim=kebutuhan.iklim_groups(year))
    assert stored[cast.dinkes.pk]  # there is evidence to compare
    assert stored == live
    # Not after the period: computed live instead.
    assert kebutuhan.bukti_tersimpan(opds, tahun=year, sejak=timezone.localdate()) is None
    # An OPD without its row (made since): computed live.
    RingkasanKebutuhan.objects.filter(unit=cast.bkd).delete()
    assert kebutuhan.bukti_tersimpan(opds, tahun=year, sejak=date(year, 1, 1)) is None


@pytest.fixture
def program(cast):
    return services.program_create(tahun=YEAR, by=cast.admin)


def test_the_report_from_the_stored_data_is_the_live_report(cast, month_data, program, evidence):  # noqa: F811
    services.capaian_hitung(program=program, sampai=date(YEAR, 11, 30))  # as on 1 December
    laporan = LaporanMonitoring.objects.create(
        program=program, periode_mulai=date(YEAR, 11, 1), periode_selesai=date(YEAR, 11, 30)
    )
    with cold_queries() as live_queries:
        live = reports.konteks_monitoring(laporan)
    services.ringkasan_bulan_simpan(today=date(YEAR, 12, 1))
    with cold_queries() as stored_queries:
        stored = reports.konteks_monitoring(laporan)
    assert stored["angka_per"] is not None and live["angka_per"] is None
    assert stored["angka"] == live["angka"]
    assert stored["units"] == live["units"]
    assert [(u, [(r.kompetensi, r.skor, r.bukti, r.angkatan, r.pelatihan) for r in rows])
            for u, rows in stored["kebutuhan"]] == [
        (u, [(r.kompetensi, r.skor, r.bukti, r.angkatan, r.pelatihan) for r in rows])
        for u, rows in live["kebutuhan"]
    ]  # fmt: skip
    assert stored["grafik_predikat"] == live["grafik_predikat"]
    assert len(stored_queries) <= len(live_queries)


def test_the_task_stores_the_month_that_ended_last(cast, month_data):
    made = ringkasan_bulan_task()
    last_month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    assert made == RingkasanBulan.objects.filter(sampai=last_month_end).count() > 0
    assert RingkasanKebutuhan.objects.filter(tahun=last_month_end.year).exists()


def test_the_nightly_job_is_scheduled_on_the_summaries_queue():
    schedule = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "pembinaan.tasks.ringkasan_bulan_task" in schedule
    assert settings.CELERY_TASK_ROUTES["pembinaan.tasks.ringkasan_bulan_task"] == {
        "queue": "ringkasan"
    }


def _data_rows(content: bytes) -> list[list[list]]:
    """Every sheet's header and rows, without the title lines (which say when the data was read)."""
    book = load_workbook(io.BytesIO(content))
    return [[list(r) for r in sheet.iter_rows(min_row=3, values_only=True)] for sheet in book]


def test_the_worker_makes_the_workbook_from_the_stored_data_equal_to_the_live_one(
    cast,
    month_data,
    program,
    evidence,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    services.capaian_hitung(program=program, sampai=date(YEAR, 11, 30))
    laporan = LaporanMonitoring.objects.create(
        program=program, periode_mulai=date(YEAR, 11, 1), periode_selesai=date(YEAR, 11, 30)
    )
    live_context = reports.konteks_monitoring(laporan)
    live = reports.lampiran_monitoring(live_context, dibuat=timezone.localtime())
    services.ringkasan_bulan_simpan(today=date(YEAR, 12, 1))  # the nightly job, at 02:00
    RingkasanBulan.objects.update(dihitung_at=timezone.make_aware(datetime(YEAR, 12, 1, 2, 0)))
    laporan_buat_task(laporan.pk)  # the worker, reading what the night stored
    laporan.refresh_from_db()
    assert laporan.status == "selesai" and laporan.file and laporan.lampiran
    with laporan.lampiran.open("rb") as fh:
        stored = fh.read()
    opds, needs = _data_rows(stored)
    assert _data_rows(stored) == _data_rows(live)
    assert len(opds) - 1 == len(live_context["units"]) and len(needs) > 1
    assert "data per 1 Desember 2026" in load_workbook(io.BytesIO(stored)).active["A2"].value
