"""Each program indicator against data made by hand, and the monthly actuals kept by the job."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluasi import services as evaluasi_services
from evaluasi.models import AksiPerubahan, LaporanPascaPelatihan, PutaranIklim, ReaksiPeserta
from masyarakat.models import Masukan, ResponSurvei, UnitLayanan
from pembinaan import indikator, services
from pembinaan.models import CapaianTarget
from pembinaan.tasks import capaian_task
from tests import factories

YEAR = 2026
END = date(2026, 12, 31)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def test_pns_20_jp_is_the_share_of_active_pns_reaching_20(cast):
    # The cast has three PNS: one with 20 JP, one with 19, one with none.
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=2026)
    factories.catatan_jp(cast.atasan_pegawai, 19, year=2026)
    assert indikator.hitung("pns_20_jp", YEAR, END) == Decimal("33.33")


def test_pns_20_jp_for_a_past_day_counts_only_jp_dated_up_to_that_day(cast):
    # 20 JP dated 5 January 2026: on 4 January nobody had reached them, on 5 January one of three.
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=2026)
    assert indikator.hitung("pns_20_jp", YEAR, date(2026, 1, 4)) == Decimal("0.00")
    assert indikator.hitung("pns_20_jp", YEAR, date(2026, 1, 5)) == Decimal("33.33")


def test_pegawai_trained_counts_each_pegawai_once_and_only_batches_ended_by_then(cast):
    for selesai in (date(2026, 3, 6), date(2026, 9, 4)):
        batch = factories.angkatan(
            factories.pelatihan(nama=f"P{selesai}"), mulai=selesai - timedelta(days=4),
            selesai=selesai,
        )  # fmt: skip
        batch.peserta.create(pegawai=cast.pegawai_pegawai, status="terdaftar", lulus=True)
        batch.peserta.create(pegawai=cast.atasan_pegawai, status="terdaftar", lulus=False)
    assert indikator.hitung("pegawai_dilatih", YEAR, END) == 1
    assert indikator.hitung("pegawai_dilatih", YEAR, date(2026, 2, 28)) == 0


@pytest.fixture
def reports(cast):
    """Four self-reports due in 2026: verified on time, verified late, waiting, and one overdue."""
    rows = []
    for n, (status, submitted) in enumerate(
        [("diverifikasi", 1), ("diverifikasi", 40), ("diajukan", 1), ("belum_diisi", None)]
    ):
        batch = factories.angkatan(factories.pelatihan(nama=f"L{n}"))
        peserta = batch.peserta.create(pegawai=cast.pegawai_pegawai, status="terdaftar")
        due = date(2026, 6, 1)
        rows.append(
            LaporanPascaPelatihan.objects.create(
                peserta=peserta, pegawai=cast.pegawai_pegawai, status=status, jatuh_tempo=due,
                diajukan_at=at(due - timedelta(days=30) + timedelta(days=submitted or 0))
                if submitted else None,
                nilai_perubahan={0: 4, 1: 2}.get(n), diputuskan_at=at(due) if n < 2 else None,
            )
        )  # fmt: skip
    return rows


def test_self_reports_verified_on_time_is_the_share_of_those_due(reports):
    assert indikator.hitung("laporan_tepat_waktu", YEAR, END) == Decimal("25.00")
    assert indikator.hitung("laporan_tepat_waktu", YEAR, date(2026, 5, 31)) is None


def test_mean_l3_is_the_mean_rating_of_verified_reports(reports):
    assert indikator.hitung("rerata_l3", YEAR, END) == Decimal("3.00")


def test_mean_l1_is_the_mean_of_the_four_aspects(cast):
    batch = factories.angkatan()
    for scores in ((5, 4, 3, 4), (3, 3, 3, 3)):
        peserta = batch.peserta.create(pegawai=factories.pegawai(cast.yankes), status="terdaftar")
        ReaksiPeserta.objects.create(
            peserta=peserta, **dict(zip(ReaksiPeserta.ASPEK, scores, strict=True))
        )
    # (4 + 3.5 + 3 + 3.5) / 4
    assert indikator.hitung("rerata_l1", timezone.localdate().year, date(2100, 1, 1)) == Decimal(
        "3.50"
    )


def test_ikm_uses_every_response_of_the_year(cast):
    unit = UnitLayanan.objects.create(nama="Loket RSUD", kode="rsud", unit=cast.dinkes)
    answers = {f"u{n}": 4 for n in range(1, 10)}
    ResponSurvei.objects.create(unit_layanan=unit, tanggal=date(2026, 4, 1), **answers)
    ResponSurvei.objects.create(
        unit_layanan=unit, tanggal=date(2026, 4, 2), **(answers | {"u1": 1, "u4": None})
    )
    ResponSurvei.objects.create(unit_layanan=unit, tanggal=date(2025, 4, 2), **answers)
    # NRR u1 = 2.5, the other eight 4: IKM = (2.5 + 32) / 9 = 3.8333…, × 25 = 95.83
    assert indikator.hitung("ikm", YEAR, END) == Decimal("95.83")


def test_feedback_answered_within_a_week_of_being_forwarded(cast):
    unit = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.dinkes)
    forwarded = at(date(2026, 3, 2))
    for status, answered in (("ditanggapi", 3), ("selesai", 9), ("diteruskan", None)):
        Masukan.objects.create(
            unit_layanan=unit, kategori="keluhan", isi="Antrean lama sekali.", status=status,
            dimoderasi_at=forwarded,
            ditanggapi_at=forwarded + timedelta(days=answered) if answered else None,
        )  # fmt: skip
    Masukan.objects.create(
        unit_layanan=unit, kategori="saran", isi="Spam spam.", status="spam",
        alasan_moderasi="Iklan", dimoderasi_at=forwarded,
    )  # fmt: skip
    assert indikator.hitung("masukan_tepat_waktu", YEAR, END) == Decimal("33.33")


def test_feedback_not_answered_before_its_deadline_is_not_counted_late_yet(cast):
    # Forwarded Monday 2 March 2026, due Monday the 9th: on the 6th one of two is answered (on
    # time) and the other may still be; on the 10th the other is late.
    unit = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.dinkes)
    forwarded = at(date(2026, 3, 2))
    Masukan.objects.create(
        unit_layanan=unit, kategori="keluhan", isi="Antrean lama sekali.", status="ditanggapi",
        dimoderasi_at=forwarded, ditanggapi_at=at(date(2026, 3, 4)),
    )  # fmt: skip
    Masukan.objects.create(
        unit_layanan=unit, kategori="keluhan", isi="Loket tutup.", status="diteruskan",
        dimoderasi_at=forwarded,
    )  # fmt: skip
    assert indikator.hitung("masukan_tepat_waktu", YEAR, date(2026, 3, 6)) == Decimal("100.00")
    assert indikator.hitung("masukan_tepat_waktu", YEAR, date(2026, 3, 10)) == Decimal("50.00")


def test_feedback_answered_after_the_christmas_holidays_is_still_on_time(cast):
    # Forwarded Thursday 17 December 2026: due Monday the 28th, past the cuti bersama of the
    # 24th and Christmas Day (shipped, pegawai.kalender), as the inbox counts it.
    unit = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.dinkes)
    forwarded = at(date(2026, 12, 17))
    for answered in (date(2026, 12, 28), date(2026, 12, 29)):
        Masukan.objects.create(
            unit_layanan=unit, kategori="keluhan", isi="Antrean lama sekali.",
            status="ditanggapi", dimoderasi_at=forwarded, ditanggapi_at=at(answered),
        )  # fmt: skip
    assert indikator.hitung("masukan_tepat_waktu", YEAR, END) == Decimal("50.00")


def test_change_projects_lasting_after_12_months(cast):
    aksi = evaluasi_services.aksi_register(
        aksi=AksiPerubahan(
            judul="J", masalah="m", layanan="l", inovasi="i", manfaat="m",
            mentor=cast.atasan_pegawai, tanggal_mulai=date(2025, 3, 1),
        ),
        by=cast.pegawai,
    )  # fmt: skip
    aksi.laporan_keberlanjutan.filter(bulan=12).update(
        masih_digunakan=True, uraian="u", dilaporkan_at=at(date(2026, 3, 5))
    )
    aksi.laporan_keberlanjutan.filter(bulan=6).update(
        masih_digunakan=True, uraian="u", dilaporkan_at=at(date(2026, 3, 5))
    )
    assert indikator.hitung("aksi_berlanjut", YEAR, END) == 1
    assert indikator.hitung("aksi_berlanjut", YEAR, date(2026, 3, 4)) == 0


def test_work_climate_score_is_the_latest_round_of_the_year(cast):
    for start, score in ((date(2026, 1, 5), 2), (date(2026, 7, 1), 4)):
        putaran = PutaranIklim.objects.create(
            nama=str(start), tanggal_mulai=start, tanggal_selesai=start + timedelta(days=60),
            dibuka_oleh=cast.pengelola,
        )  # fmt: skip
        putaran.units.set([cast.dinkes])
        evaluasi_services.iklim_answer(
            putaran=putaran, pegawai=cast.pegawai_pegawai,
            jawaban={f"p{n}": score for n in range(1, 13)} | {"p1": 5},
        )  # fmt: skip
    assert indikator.hitung("skor_iklim", YEAR, END) == Decimal("4.08")
    assert indikator.hitung("skor_iklim", YEAR, date(2026, 3, 1)) == Decimal("2.25")


def test_a_new_program_has_the_three_objectives_and_a_target_for_every_indicator(cast):
    program = services.program_create(tahun=YEAR, by=cast.admin)
    assert program.tujuan.count() == 3
    assert set(program.target.values_list("indikator", flat=True)) == set(indikator.REGISTRY)


def test_the_job_keeps_one_figure_per_target_and_month(cast, monkeypatch):
    program = services.program_create(tahun=YEAR, by=cast.admin)
    services.capaian_hitung(program=program, sampai=date(2026, 3, 10))
    factories.catatan_jp(cast.pegawai_pegawai, 24, year=2026)
    services.capaian_hitung(program=program, sampai=date(2026, 3, 11))
    jp = CapaianTarget.objects.filter(target__indikator="pns_20_jp")
    assert [(c.bulan, c.nilai) for c in jp] == [(date(2026, 3, 31), Decimal("33.33"))]
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 4, 1))
    capaian_task()
    assert [c.bulan for c in jp.order_by("bulan")] == [date(2026, 3, 31), date(2026, 4, 30)]


def test_the_job_is_in_the_daily_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["capaian-target-program"]
    assert entry["task"] == "pembinaan.tasks.capaian_task"
    assert entry["schedule"].hour == {5} and entry["schedule"].minute == {30}
