"""The IP ASN scored from a pegawai's records, dimension by dimension, against a hand-worked
example (PermenPANRB 38/2018, Perban BKN 8/2019; the tables in pembinaan/ip_asn.py)."""

from datetime import date

import pytest

from pegawai.models import Pegawai
from pembinaan import ip_asn, reports, services
from pembinaan.models import IndeksProfesionalitas
from tests import factories
from tests.pembinaan.ip_asn_data import hukuman, kegiatan, lulus, predikat

TAHUN = 2026


def _hasil(pegawai: Pegawai, tahun: int = TAHUN) -> ip_asn.Hasil:
    (found,) = ip_asn.diukur(Pegawai.objects.filter(pk=pegawai.pk), tahun)
    return ip_asn.skor(found.masukan)


@pytest.fixture
def administrator(cast):
    """An administrator (manajerial) with an S-2: a leadership training passed in 2024, in 2026
    a technical training of 24 JP and a seminar of 4 JP, predicate Baik, a written reprimand."""
    jabatan = factories.jabatan("Kepala Bidang Pelayanan", jenis="administrator")
    p = factories.pegawai(cast.yankes, nama="Administrator", jabatan=jabatan,
                          pendidikan_terakhir="s2", atasan=cast.atasan_pegawai)  # fmt: skip
    lulus(p, jenis=1, selesai=date(2024, 5, 10))  # Diklat Struktural (PIM III)
    lulus(p, jenis=3, selesai=date(2026, 3, 6), jp=24)  # Diklat Teknis
    kegiatan(p, jenis=9, tanggal=date(2026, 4, 2), jp=4)  # Seminar
    predikat(p, cast.atasan_pegawai, tahun=TAHUN, nilai="baik", by=cast.pengelola)
    hukuman(p, tingkat="ringan", jenis="teguran_tertulis", tmt=date(2026, 3, 1))
    return p


def test_an_administrator_scores_each_dimension_as_worked_by_hand(administrator):
    # Kualifikasi: S-2 → 20 of 25. Kompetensi: leadership training 15 + 28 JP ≥ 20 → 15 +
    # seminar 10 = 40 of 40. Kinerja: Baik → 25 of 30. Disiplin: ringan → 3 of 5. Total 88.
    hasil = _hasil(administrator)
    assert hasil.nilai == {"kualifikasi": 20, "kompetensi": 40, "kinerja": 25, "disiplin": 3}
    assert hasil.total == 88
    assert hasil.kategori == "tinggi"


def test_a_fungsional_reaching_exactly_20_jp_scores_the_technical_row(cast):
    # D-IV → 15; functional training 15 + exactly 20 JP → 15, no seminar → 30; Sangat Baik → 30;
    # no sanction → 5. Total 80: sedang, one point below tinggi.
    jabatan = factories.jabatan("Perawat Ahli Muda", jenis="fungsional", jenjang="ahli_muda")
    p = factories.pegawai(cast.yankes, jabatan=jabatan, pendidikan_terakhir="d4")
    lulus(p, jenis=2, selesai=date(2019, 8, 1))  # Diklat Fungsional, years before
    lulus(p, jenis=3, selesai=date(2026, 6, 5), jp=20)
    predikat(p, cast.atasan_pegawai, tahun=TAHUN, nilai="sangat_baik", by=cast.pengelola)
    hasil = _hasil(p)
    assert hasil.nilai == {"kualifikasi": 15, "kompetensi": 30, "kinerja": 30, "disiplin": 5}
    assert (hasil.total, hasil.kategori) == (80, "sedang")


def test_a_pelaksana_below_20_jp_without_predicate_under_a_moderate_sanction(cast):
    # SLTA → 5; pelaksana with 12 JP → 0, no seminar → 0; no annual predicate → 0; a moderate
    # sanction running from October 2025 to July 2026 → 1. Total 6: sangat rendah.
    p = factories.pegawai(cast.yankes, pendidikan_terakhir="sma")
    lulus(p, jenis=3, selesai=date(2026, 2, 2), jp=12)
    hukuman(p, tingkat="sedang", jenis="potong_tukin_9", tmt=date(2025, 10, 1),
            selesai=date(2026, 6, 30))  # fmt: skip
    hasil = _hasil(p)
    assert hasil.nilai == {"kualifikasi": 5, "kompetensi": 0, "kinerja": 0, "disiplin": 1}
    assert (hasil.total, hasil.kategori) == (6, "sangat_rendah")


def test_a_pelaksana_with_20_jp_and_a_course_reaches_the_full_competency_weight(cast):
    p = factories.pegawai(cast.yankes, pendidikan_terakhir="d3")
    kegiatan(p, jenis=11, tanggal=date(2026, 9, 1), jp=21)  # a course counts as both
    hasil = _hasil(p)
    assert hasil.nilai["kompetensi"] == 40  # 30 (pelaksana, ≥ 20 JP) + 10 (kursus)
    assert hasil.nilai["kualifikasi"] == 10


def test_a_leadership_training_does_not_count_for_a_pelaksana_nor_one_after_the_year(cast):
    manajer = factories.jabatan("Kepala Seksi", jenis="pengawas")
    p = factories.pegawai(cast.yankes, jabatan=manajer)
    lulus(p, jenis=5, selesai=date(2027, 2, 1))  # Pelatihan Manajerial, after 2026
    rows = {b.aturan: b.nilai for b in _hasil(p).baris}
    assert rows["Diklat kepemimpinan (jabatan manajerial)"] == 0
    assert _hasil(p, 2027).baris[1].nilai == 15


def test_a_revoked_certificate_takes_the_training_out_of_the_score(cast):
    from django.utils import timezone

    from pelatihan.models import Sertifikat

    manajer = factories.jabatan("Kepala Seksi", jenis="pengawas")
    p = factories.pegawai(cast.yankes, jabatan=manajer)
    peserta = lulus(p, jenis=1, selesai=date(2025, 5, 1))
    assert _hasil(p).baris[1].nilai == 15
    Sertifikat.objects.create(
        peserta=peserta, nomor="X/1", dicabut_at=timezone.now(), alasan_cabut="Palsu"
    )
    assert _hasil(p).baris[1].nilai == 0


def test_the_heaviest_sanction_of_the_year_counts_and_one_over_before_the_year_does_not(cast):
    p = factories.pegawai(cast.yankes)
    hukuman(p, tingkat="berat", jenis="penurunan_jabatan", tmt=date(2024, 1, 1),
            selesai=date(2024, 12, 31))  # fmt: skip
    hukuman(p, tingkat="ringan", jenis="teguran_lisan", tmt=date(2026, 1, 5))
    hukuman(p, tingkat="sedang", jenis="potong_tukin_6", tmt=date(2026, 2, 1),
            selesai=date(2026, 7, 31))  # fmt: skip
    assert _hasil(p).nilai["disiplin"] == 1  # sedang
    assert _hasil(p, 2024).nilai["disiplin"] == 0  # berat
    assert _hasil(p, 2025).nilai["disiplin"] == 5  # none ran in 2025


@pytest.mark.parametrize(
    "total, band",
    [(60, "sangat_rendah"), (61, "rendah"), (70, "rendah"), (71, "sedang"), (80, "sedang"),
     (81, "tinggi"), (90, "tinggi"), (91, "sangat_tinggi"), (100, "sangat_tinggi"),
     (0, "sangat_rendah"), (90.5, "tinggi")],
)  # fmt: skip
def test_the_bands_meet_at_the_regulations_edges(total, band):
    assert ip_asn.kategori(total) == band


def test_the_weights_add_up_to_100_and_each_dimension_can_reach_its_weight():
    assert sum(ip_asn.BOBOT.values()) == 100
    best = ip_asn.Masukan("s3", "administrator", True, False, 40, True, "sangat_baik", "")
    assert ip_asn.skor(best).total == 100
    pelaksana = ip_asn.Masukan("s3", "pelaksana", False, False, 40, True, "sangat_baik", "")
    assert ip_asn.skor(pelaksana).nilai["kompetensi"] == 40


def test_pppk_and_inactive_pegawai_are_not_measured(cast):
    factories.pegawai(cast.yankes, status="pppk")
    gone = factories.pegawai(cast.yankes)
    Pegawai.objects.filter(pk=gone.pk).update(
        aktif=False, alasan_nonaktif="pensiun", tanggal_nonaktif=date(2026, 1, 1)
    )
    measured = {d.pegawai_id for d in ip_asn.diukur(Pegawai.objects.all(), TAHUN)}
    assert measured == {cast.atasan_pegawai.pk, cast.pegawai_pegawai.pk, cast.outsider_pegawai.pk}


def test_the_yearly_job_stores_each_pegawai_and_the_trend_is_grouped_by_year(cast, administrator):
    assert services.ip_asn_simpan(tahun=2025) == 4
    assert services.ip_asn_simpan(tahun=TAHUN) == 4
    assert services.ip_asn_simpan(tahun=TAHUN) == 4  # again: replaced, not doubled
    stored = IndeksProfesionalitas.objects.get(pegawai=administrator, tahun=TAHUN)
    assert (stored.total, stored.kategori, stored.opd_id) == (88, "tinggi", cast.dinkes.pk)
    tren = reports.ip_asn_tren()
    assert [(r["tahun"], r["jumlah"]) for r in tren] == [(2025, 4), (TAHUN, 4)]
    per_opd = {r["opd_id"]: r["jumlah"] for r in reports.ip_asn_per_opd(TAHUN)}
    assert per_opd == {cast.dinkes.pk: 3, cast.bkd.pk: 1}


def test_the_task_stores_this_year(cast, settings):
    from pembinaan.tasks import ip_asn_task

    assert ip_asn_task() >= 3
    assert IndeksProfesionalitas.objects.filter(pegawai=cast.pegawai_pegawai).exists()


def test_a_past_year_scores_the_education_graduated_by_then(cast):
    # An S-2 finished in 2025 (pegawai.RiwayatPendidikan): 2024's kualifikasi is the S-1's 15,
    # 2026's the S-2's 20; a pegawai without dated history keeps their current level.
    from pegawai.models import RiwayatPendidikan

    p = factories.pegawai(cast.yankes, pendidikan_terakhir="s2")
    RiwayatPendidikan.objects.create(pegawai=p, jenjang="s1", nama_sekolah="UNJA", tahun_lulus=2010)
    RiwayatPendidikan.objects.create(pegawai=p, jenjang="s2", nama_sekolah="UGM", tahun_lulus=2025)
    assert _hasil(p, 2024).nilai["kualifikasi"] == 15
    assert _hasil(p, 2026).nilai["kualifikasi"] == 20
    tanpa = factories.pegawai(cast.yankes, pendidikan_terakhir="d3")
    assert _hasil(tanpa, 2024).nilai["kualifikasi"] == 10
