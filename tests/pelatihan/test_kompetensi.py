from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pelatihan import reports
from pelatihan.models import (
    Kompetensi,
    PelatihanKompetensi,
    PenilaianKompetensi,
    StandarKompetensi,
)
from tests import factories


def k(kode):
    return Kompetensi.objects.get(kode=kode)


@pytest.fixture
def standard(cast):
    """The pegawai's jabatan requires M.07 at 3 and M.05 at 2; they were assessed M.07 = 1 (then
    2, later) and never on M.05."""
    jabatan = cast.pegawai_pegawai.jabatan
    StandarKompetensi.objects.create(jabatan=jabatan, kompetensi=k("M.07"), level=3)
    StandarKompetensi.objects.create(jabatan=jabatan, kompetensi=k("M.05"), level=2)
    for level, day in ((1, date(2024, 1, 1)), (2, date(2025, 6, 1))):
        PenilaianKompetensi.objects.create(
            pegawai=cast.pegawai_pegawai,
            kompetensi=k("M.07"),
            level=level,
            tanggal=day,
            sumber="uji_kompetensi",
        )
    return jabatan


def test_the_dictionary_is_seeded_with_managerial_and_socio_cultural_competencies(db):
    codes = set(Kompetensi.objects.values_list("kode", flat=True))
    assert {f"M.0{i}" for i in range(1, 9)} | {"SK.01"} <= codes
    assert k("M.01").levels.count() == 5


def test_the_gap_uses_the_latest_assessment(cast, standard):
    gaps = reports.kesenjangan_pegawai(cast.pegawai_pegawai)
    assert [(g.kompetensi.kode, g.standar, g.dinilai, g.gap) for g in gaps] == [
        ("M.07", 3, 2, 1),
        ("M.05", 2, None, None),
    ]


def test_the_unit_table_counts_who_lacks_what(cast, standard):
    other = factories.pegawai(cast.yankes)  # same jabatan: meets M.07, not assessed on M.05
    PenilaianKompetensi.objects.create(
        pegawai=other,
        kompetensi=k("M.07"),
        level=4,
        tanggal=date(2025, 1, 1),
        sumber="assessment_center",
    )
    rows = {
        r["kompetensi__kode"]: r
        for r in reports.kesenjangan_unit(cast.dinkes.pegawai.model.objects.di_unit(cast.dinkes))
    }
    assert (rows["M.07"]["kurang"], rows["M.07"]["memenuhi"]) == (1, 1)
    assert rows["M.05"]["belum"] == 3  # the cast's atasan shares the jabatan too


def test_recommendations_put_open_batches_first_with_the_reason(cast, standard):
    closed = factories.pelatihan(nama="Manajemen Perubahan Dasar")
    PelatihanKompetensi.objects.create(pelatihan=closed, kompetensi=k("M.07"), level=3)
    open_training = factories.pelatihan(nama="Kepemimpinan Perubahan")
    PelatihanKompetensi.objects.create(pelatihan=open_training, kompetensi=k("M.07"), level=3)
    start = timezone.localdate() + timedelta(days=30)
    factories.angkatan(open_training, mulai=start, selesai=start + timedelta(days=2))
    useless = factories.pelatihan(nama="Perubahan Tingkat Awal")
    PelatihanKompetensi.objects.create(pelatihan=useless, kompetensi=k("M.07"), level=2)

    advice = reports.rekomendasi_pelatihan(cast.pegawai_pegawai)
    assert [r.pelatihan.nama for r in advice] == [
        "Kepemimpinan Perubahan",
        "Manajemen Perubahan Dasar",
    ]
    assert "level 2, standar jabatan 3" in advice[0].alasan and "dibuka" in advice[0].alasan


@pytest.mark.parametrize("who", ["pegawai", "atasan", "pengelola", "admin"])
def test_the_gap_page_is_for_those_who_see_the_pegawai(login, cast, standard, who):
    page = login(getattr(cast, who)).get(
        reverse("pelatihan:kompetensi_pegawai", args=[cast.pegawai_pegawai.pk])
    )
    assert page.status_code == 200 and "kurang 1" in page.content.decode()
    assert (page.context["form"] is not None) == (who in ("pengelola", "admin"))


def test_an_outsider_gets_404_on_the_gap_page(login, cast):
    url = reverse("pelatihan:kompetensi_pegawai", args=[cast.pegawai_pegawai.pk])
    assert login(cast.outsider).get(url).status_code == 404


def test_the_pengelola_records_an_assessment_and_the_pegawai_cannot(login, cast, standard):
    url = reverse("pelatihan:kompetensi_pegawai", args=[cast.pegawai_pegawai.pk])
    data = {
        "kompetensi": k("M.05").pk,
        "level": 2,
        "tanggal": "2026-02-01",
        "sumber": "penilaian_atasan",
    }
    assert login(cast.pegawai).post(url, data).status_code == 403
    login(cast.pengelola).post(url, data)
    assert reports.kesenjangan_pegawai(cast.pegawai_pegawai)[1].gap == 0


def test_a_level_outside_1_to_5_is_refused(login, cast, standard):
    url = reverse("pelatihan:kompetensi_pegawai", args=[cast.pegawai_pegawai.pk])
    data = {
        "kompetensi": k("M.05").pk,
        "level": 7,
        "tanggal": "2026-02-01",
        "sumber": "uji_kompetensi",
    }
    response = login(cast.pengelola).post(url, data)
    assert "level" in response.context["form"].errors
    assert not PenilaianKompetensi.objects.filter(kompetensi=k("M.05")).exists()


def test_hr_adds_a_technical_competency_with_five_levels(login, cast_lengkap):
    cast = cast_lengkap
    data = {
        "kode": "T.KES.01",
        "nama": "Sistem Informasi Kesehatan",
        "deskripsi": "SIMRS, SATUSEHAT",
        "levels-TOTAL_FORMS": 5,
        "levels-INITIAL_FORMS": 0,
    }
    for i in range(5):
        data |= {f"levels-{i}-level": i + 1, f"levels-{i}-deskripsi": f"Level {i + 1}"}
    login(cast.provinsi).post(reverse("pelatihan:kompetensi_create"), data)
    created = Kompetensi.objects.get(kode="T.KES.01")
    assert created.jenis == "teknis" and created.levels.count() == 5


def test_hr_sets_a_jabatan_standard(login, cast_lengkap):
    cast = cast_lengkap
    jabatan = cast.pegawai_pegawai.jabatan
    data = {
        "standar_kompetensi-TOTAL_FORMS": 1,
        "standar_kompetensi-INITIAL_FORMS": 0,
        "standar_kompetensi-0-kompetensi": k("M.01").pk,
        "standar_kompetensi-0-level": 3,
    }
    login(cast.provinsi).post(reverse("pelatihan:standar_update", args=[jabatan.pk]), data)
    assert StandarKompetensi.objects.get(jabatan=jabatan).level == 3


def test_the_unit_gaps_are_for_managers(login, cast):
    assert login(cast.pegawai).get(reverse("pelatihan:kompetensi_unit")).status_code == 403
    assert login(cast.pengelola).get(reverse("pelatihan:kompetensi_unit")).status_code == 200


def test_the_competency_dictionary_is_changed_by_the_province_only(login, cast_lengkap):
    cast = cast_lengkap
    url = reverse("pelatihan:kompetensi_create")
    assert login(cast.pegawai).get(url).status_code == 403
    assert login(cast.pengelola).get(url).status_code == 403
    assert login(cast.provinsi).get(url).status_code == 200
