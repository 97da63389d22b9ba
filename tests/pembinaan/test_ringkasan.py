"""The dashboards' per-unit figures, made by the half-hourly job, against hand-made data."""

from datetime import date

from evaluasi.models import LaporanPascaPelatihan
from masyarakat.models import Masukan, ResponSurvei, UnitLayanan
from pembinaan import reports, services
from pembinaan.models import RingkasanUnit
from pembinaan.tasks import ringkasan_task
from tests import factories

TODAY = date(2026, 6, 1)


def test_each_unit_counts_its_own_and_its_sub_units(cast):
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=2026)
    factories.catatan_jp(cast.atasan_pegawai, 19, year=2026)
    figures = reports.ringkasan_hitung(TODAY)
    yankes, dinkes, bkd = (figures[u.pk] for u in (cast.yankes, cast.dinkes, cast.bkd))
    assert (yankes["pegawai_aktif"], yankes["pns"], yankes["pns_patuh"]) == (2, 2, 1)
    assert (dinkes["pegawai_aktif"], dinkes["pns_patuh"]) == (2, 1)
    assert (bkd["pegawai_aktif"], bkd["pns_patuh"]) == (1, 0)


def test_self_reports_due_late_and_waiting(cast):
    for n, (due, status) in enumerate(
        (
            (date(2026, 5, 1), "belum_diisi"),  # late
            (date(2026, 6, 20), "draf"),  # due within 30 days
            (date(2026, 9, 1), "belum_diisi"),  # later
            (date(2026, 5, 1), "diajukan"),  # with the atasan
            (date(2026, 5, 1), "diverifikasi"),
        )
    ):
        batch = factories.angkatan(factories.pelatihan(nama=f"P{n}"))
        peserta = batch.peserta.create(pegawai=cast.pegawai_pegawai, status="terdaftar")
        LaporanPascaPelatihan.objects.create(
            peserta=peserta, pegawai=cast.pegawai_pegawai, status=status, jatuh_tempo=due,
            nilai_perubahan=3 if status == "diverifikasi" else None,
        )  # fmt: skip
    row = reports.ringkasan_hitung(TODAY)[cast.dinkes.pk]
    assert (row["laporan_terlambat"], row["laporan_segera"], row["laporan_menunggu_atasan"]) == (
        1, 1, 1,
    )  # fmt: skip


def test_feedback_waiting_predicates_and_ikm_land_on_the_service_units_unit(cast):
    layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=cast.yankes)
    for status in ("diterima", "diteruskan", "ditanggapi"):
        Masukan.objects.create(
            unit_layanan=layanan, kategori="keluhan", isi="Antrean lama sekali.", status=status
        )
    ResponSurvei.objects.create(
        unit_layanan=layanan, tanggal=date(2026, 3, 1), **{f"u{n}": 4 for n in range(1, 10)}
    )
    factories.periode(cast, rate=("di_atas", "di_atas"))
    row = reports.ringkasan_hitung(TODAY)[cast.dinkes.pk]
    assert row["masukan_menunggu"] == 2
    assert row["predikat"] == {"sangat_baik": 1}
    assert [(i["nama"], i["konversi"], i["mutu"]) for i in row["ikm"]] == [
        ("Poli Umum", "100.00", "A")
    ]


def test_the_job_replaces_the_rows(cast):
    assert ringkasan_task() == 3
    first = RingkasanUnit.objects.get(unit=cast.dinkes).dihitung_at
    factories.pegawai(cast.yankes)
    services.ringkasan_simpan(today=TODAY)
    row = RingkasanUnit.objects.get(unit=cast.dinkes)
    assert row.pegawai_aktif == 3 and row.dihitung_at > first
    assert RingkasanUnit.objects.count() == 3


def test_the_job_runs_every_half_hour(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["ringkasan-dashboard"]["schedule"]
    assert schedule.minute == {0, 30} and len(schedule.hour) == 24


def test_pppk_and_those_over_their_cap_are_counted_per_unit(cast):
    within, over = (factories.pegawai(cast.yankes, status="pppk") for _ in range(2))
    factories.catatan_jp(within, 24, year=2026)  # the cap itself is allowed
    factories.catatan_jp(over, 25, year=2026)
    dinkes = reports.ringkasan_hitung(TODAY)[cast.dinkes.pk]
    assert (dinkes["pppk"], dinkes["pppk_lebih"], dinkes["pns"]) == (2, 1, 2)
