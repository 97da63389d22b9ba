from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluasi import reports, services
from evaluasi.models import PenilaianKinerja, PeriodePenilaian, predikat_for
from pegawai.models import Jabatan
from tests import factories

MATRIX = [
    ("di_atas", "di_atas", "sangat_baik"),
    ("di_atas", "sesuai", "baik"),
    ("di_atas", "di_bawah", "kurang"),
    ("sesuai", "di_atas", "baik"),
    ("sesuai", "sesuai", "baik"),
    ("sesuai", "di_bawah", "kurang"),
    ("di_bawah", "di_atas", "butuh_perbaikan"),
    ("di_bawah", "sesuai", "butuh_perbaikan"),
    ("di_bawah", "di_bawah", "sangat_kurang"),
]


@pytest.mark.parametrize(("hasil", "perilaku", "predikat"), MATRIX)
def test_the_predicate_follows_the_permenpanrb_matrix(hasil, perilaku, predikat):
    assert predikat_for(hasil, perilaku) == predikat


@pytest.fixture
def periode(cast):
    periode = PeriodePenilaian(
        nama="Triwulan III 2026",
        jenis="triwulan",
        tanggal_mulai=date(2026, 7, 1),
        tanggal_selesai=date(2026, 9, 30),
    )
    return services.periode_open(periode=periode, units=[cast.dinkes], by=cast.pengelola)


def rate(cast, periode, hasil="sesuai", perilaku="sesuai", pegawai=None):
    return services.penilaian_save(
        periode=periode,
        pegawai=pegawai or cast.pegawai_pegawai,
        penilai=cast.atasan_pegawai,
        hasil_kerja=hasil,
        perilaku_kerja=perilaku,
    )


def test_a_pengelola_opens_a_period_only_for_their_units(cast):
    periode = PeriodePenilaian(
        nama="X",
        jenis="tahunan",
        tanggal_mulai=date(2026, 1, 1),
        tanggal_selesai=date(2026, 12, 31),
    )
    with pytest.raises(ValidationError, match="bukan unit kelolaan"):
        services.periode_open(periode=periode, units=[cast.bkd], by=cast.pengelola)


def test_only_the_direct_atasan_rates(cast, periode):
    with pytest.raises(ValidationError, match="atasan langsung"):
        services.penilaian_save(
            periode=periode,
            pegawai=cast.pegawai_pegawai,
            penilai=cast.outsider_pegawai,
            hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
        )


def test_a_closed_period_takes_no_rating(cast, periode):
    services.periode_close(periode=periode)
    with pytest.raises(ValidationError, match="ditutup"):
        rate(cast, periode)


def test_rating_again_replaces_and_asks_for_acknowledgement_anew(cast, periode):
    first = rate(cast, periode)
    services.penilaian_acknowledge(penilaian=first)
    again = rate(cast, periode, hasil="di_atas", perilaku="di_atas")
    assert again.pk == first.pk and again.predikat == "sangat_baik" and again.diketahui_at is None


def test_credit_points_for_a_functional_position_are_pro_rata(cast, periode):
    perawat = Jabatan.objects.create(
        nama="Perawat Ahli Muda", jenis="fungsional", jenjang="ahli_muda"
    )
    cast.pegawai_pegawai.jabatan = perawat
    cast.pegawai_pegawai.save()
    rating = rate(cast, periode, hasil="di_atas", perilaku="di_atas")
    # Ahli Muda 25 a year × 150 % (Sangat Baik) × 3/12 months.
    assert rating.angka_kredit == Decimal("9.375")
    assert rate(cast, periode).angka_kredit == Decimal("6.250")


def test_a_non_functional_position_earns_no_credit(cast, periode):
    assert rate(cast, periode).angka_kredit is None


def test_the_distribution_warns_when_the_organisation_predicate_is_broken(cast, periode):
    others = [factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai) for _ in range(3)]
    for person in [cast.pegawai_pegawai, *others]:
        rate(cast, periode, pegawai=person)  # all Baik
    periode_unit = periode.periode_units.get()
    result = reports.distribusi(periode_unit)
    assert result.jumlah == {"baik": 4} and result.jumlah_pegawai == 5  # the atasan is unrated
    assert any("70 % Baik" in w for w in result.peringatan)
    assert any("Butuh Perbaikan atau Kurang" in w for w in result.peringatan)
    rate(cast, periode, pegawai=others[0], hasil="di_bawah")
    rate(cast, periode, pegawai=others[1], hasil="di_atas", perilaku="di_atas")
    assert reports.distribusi(periode_unit).peringatan == []


def test_hr_sees_the_distribution_of_their_units(login, cast, periode):
    rate(cast, periode)
    page = login(cast.pengelola).get(periode.get_absolute_url())
    assert page.status_code == 200 and page.context["distribusi"][0][0].dinilai == 1
    assert login(cast.atasan).get(periode.get_absolute_url()).status_code == 403
    other = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(other)
    assert login(other).get(periode.get_absolute_url()).status_code == 403


def test_the_atasan_rates_through_the_page(login, cast, periode):
    client = login(cast.atasan)
    page = client.get(reverse("evaluasi:penilaian_bawahan", args=[periode.pk]))
    assert [r["pegawai"] for r in page.context["rows"]] == [cast.pegawai_pegawai]
    url = reverse("evaluasi:penilaian_save", args=[periode.pk, cast.pegawai_pegawai.pk])
    prefix = f"p{cast.pegawai_pegawai.pk}"
    client.post(url, {f"{prefix}-hasil_kerja": "di_bawah", f"{prefix}-perilaku_kerja": "di_bawah"})
    assert PenilaianKinerja.objects.get().predikat == "sangat_kurang"


def test_an_invalid_rating_saves_nothing(login, cast, periode):
    url = reverse("evaluasi:penilaian_save", args=[periode.pk, cast.pegawai_pegawai.pk])
    prefix = f"p{cast.pegawai_pegawai.pk}"
    login(cast.atasan).post(
        url, {f"{prefix}-hasil_kerja": "luar_biasa", f"{prefix}-perilaku_kerja": "sesuai"}
    )
    assert not PenilaianKinerja.objects.exists()


def test_others_cannot_rate(login, cast, periode):
    url = reverse("evaluasi:penilaian_save", args=[periode.pk, cast.pegawai_pegawai.pk])
    data = {
        f"p{cast.pegawai_pegawai.pk}-hasil_kerja": "sesuai",
        f"p{cast.pegawai_pegawai.pk}-perilaku_kerja": "sesuai",
    }
    assert login(cast.pengelola).post(url, data).status_code == 403
    assert login(cast.outsider).post(url, data).status_code == 404
    assert login(cast.atasan).get(url).status_code == 405


def test_the_pegawai_sees_and_acknowledges_their_own_predicates_only(login, cast, periode):
    rating = rate(cast, periode)
    client = login(cast.pegawai)
    page = client.get(reverse("evaluasi:kinerja_pegawai", args=[cast.pegawai_pegawai.pk]))
    assert list(page.context["penilaian"]) == [rating]
    client.post(reverse("evaluasi:penilaian_acknowledge", args=[rating.pk]))
    rating.refresh_from_db()
    assert rating.diketahui_at is not None
    assert (
        login(cast.atasan)
        .post(reverse("evaluasi:penilaian_acknowledge", args=[rating.pk]))
        .status_code
        == 403
    )
    assert (
        login(cast.outsider)
        .get(reverse("evaluasi:kinerja_pegawai", args=[cast.pegawai_pegawai.pk]))
        .status_code
        == 404
    )


def test_hr_opens_a_period_through_the_form(login, cast):
    data = {
        "nama": "Tahunan 2026",
        "jenis": "tahunan",
        "tanggal_mulai": "2026-01-01",
        "tanggal_selesai": "2026-12-31",
        "units": [cast.dinkes.pk],
    }
    response = login(cast.pengelola).post(reverse("evaluasi:periode_create"), data)
    periode = PeriodePenilaian.objects.get()
    assert response["Location"] == periode.get_absolute_url()
    assert login(cast.pegawai).get(reverse("evaluasi:periode_create")).status_code == 403


@pytest.mark.parametrize("who", ["pegawai", "atasan", "pengelola", "admin"])
def test_the_evaluation_home_page_is_for_every_user(login, cast, who):
    assert login(getattr(cast, who)).get(reverse("evaluasi:index")).status_code == 200


def test_hr_closes_a_period_and_nobody_else_may(login, cast, periode):
    url = reverse("evaluasi:periode_close", args=[periode.pk])
    assert login(cast.atasan).post(url).status_code == 403
    assert login(cast.pengelola).get(url).status_code == 405
    login(cast.pengelola).post(url)
    periode.refresh_from_db()
    assert not periode.is_open


def test_hr_sets_the_organisation_predicate_that_bounds_the_spread(login, cast, periode):
    periode_unit = periode.periode_units.get()
    url = reverse("evaluasi:periode_unit_update", args=[periode_unit.pk])
    assert login(cast.pegawai).post(url, {"predikat_organisasi": "istimewa"}).status_code == 403
    login(cast.pengelola).post(url, {"predikat_organisasi": "bukan-predikat"})
    periode_unit.refresh_from_db()
    assert periode_unit.predikat_organisasi == "baik"
    login(cast.pengelola).post(url, {"predikat_organisasi": "istimewa"})
    periode_unit.refresh_from_db()
    assert periode_unit.predikat_organisasi == "istimewa"


def test_the_rating_page_is_for_atasan_and_shows_only_their_subordinates(login, cast, periode):
    url = reverse("evaluasi:penilaian_bawahan", args=[periode.pk])
    assert login(cast.pengelola).get(url).status_code == 403  # no pegawai of their own
    assert list(login(cast.pegawai).get(url).context["rows"]) == []
    assert login(cast.atasan).get(url).status_code == 200
