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
    # Outside one's rights a period is as missing as a wrong id (404).
    assert login(cast.atasan).get(periode.get_absolute_url()).status_code == 404
    other = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(other)
    assert login(other).get(periode.get_absolute_url()).status_code == 404


def test_the_atasan_rates_through_the_page(login, cast, periode):
    client = login(cast.atasan)
    page = client.get(reverse("evaluasi:penilaian_bawahan", args=[periode.pk]))
    assert [f.pegawai for f in page.context["forms"]] == [cast.pegawai_pegawai]
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
    assert login(cast.atasan).post(url).status_code == 404
    assert login(cast.pengelola).get(url).status_code == 405
    login(cast.pengelola).post(url)
    periode.refresh_from_db()
    assert not periode.is_open


def test_hr_sets_the_organisation_predicate_that_bounds_the_spread(login, cast, periode):
    periode_unit = periode.periode_units.get()
    url = reverse("evaluasi:periode_unit_update", args=[periode_unit.pk])
    assert login(cast.pegawai).post(url, {"predikat_organisasi": "istimewa"}).status_code == 404
    login(cast.pengelola).post(url, {"predikat_organisasi": "bukan-predikat"})
    periode_unit.refresh_from_db()
    assert periode_unit.predikat_organisasi == "baik"
    login(cast.pengelola).post(url, {"predikat_organisasi": "istimewa"})
    periode_unit.refresh_from_db()
    assert periode_unit.predikat_organisasi == "istimewa"


def test_the_rating_page_is_for_atasan_and_shows_only_their_subordinates(login, cast, periode):
    url = reverse("evaluasi:penilaian_bawahan", args=[periode.pk])
    assert login(cast.pengelola).get(url).status_code == 403  # no pegawai of their own
    assert list(login(cast.pegawai).get(url).context["forms"]) == []
    assert login(cast.atasan).get(url).status_code == 200


# --- The atasan's page: nothing chosen until chosen, all rows saved at once or none -----------


@pytest.fixture
def bawahan(cast):
    """The atasan's five direct subordinates: the cast's pegawai and four more."""
    more = [
        factories.pegawai(cast.yankes, nama=nama, atasan=cast.atasan_pegawai)
        for nama in ["Ani Satu", "Citra Dua", "Dodi Tiga", "Eka Empat"]
    ]
    return [cast.pegawai_pegawai, *more]


def row_data(person, hasil="", perilaku="", catatan="") -> dict:
    prefix = f"p{person.pk}"
    return {
        f"{prefix}-hasil_kerja": hasil,
        f"{prefix}-perilaku_kerja": perilaku,
        f"{prefix}-catatan": catatan,
    }


def page_url(periode):
    return reverse("evaluasi:penilaian_bawahan", args=[periode.pk])


def test_the_rating_page_starts_with_no_predicate_chosen(login, cast, periode, bawahan):
    page = login(cast.atasan).get(page_url(periode))
    forms = page.context["forms"]
    assert [f.pegawai for f in forms] == sorted(bawahan, key=lambda p: p.nama)
    assert all(f["hasil_kerja"].value() in (None, "") for f in forms)
    html = page.content.decode()
    assert 'value="sesuai" selected' not in html
    assert html.count('value="" selected') == 2 * len(bawahan)


def test_a_rated_row_shows_its_saved_choice(login, cast, periode, bawahan):
    rate(cast, periode, hasil="di_atas", perilaku="sesuai")
    forms = login(cast.atasan).get(page_url(periode)).context["forms"]
    mine = next(f for f in forms if f.pegawai == cast.pegawai_pegawai)
    assert (mine["hasil_kerja"].value(), mine["perilaku_kerja"].value()) == ("di_atas", "sesuai")


def test_save_all_saves_every_chosen_row_and_leaves_the_empty_ones_unrated(
    login, cast, periode, bawahan
):
    data = {}
    for person in bawahan[:4]:
        data |= row_data(person, "di_atas", "di_atas")
    data |= row_data(bawahan[4])  # left empty: not rated
    response = login(cast.atasan).post(page_url(periode), data)
    assert response.status_code == 302
    rated = PenilaianKinerja.objects.filter(periode=periode)
    assert sorted(r.pegawai_id for r in rated) == sorted(p.pk for p in bawahan[:4])
    assert {r.predikat for r in rated} == {"sangat_baik"}


def test_a_bad_row_saves_nothing_and_names_its_pegawai(login, cast, periode, bawahan):
    data = {}
    for person in bawahan[:4]:
        data |= row_data(person, "sesuai", "di_atas", catatan=f"Catatan {person.nama}")
    data |= row_data(bawahan[4], "di_bawah", "")  # half a rating
    response = login(cast.atasan).post(page_url(periode), data)
    assert response.status_code == 200
    assert not PenilaianKinerja.objects.exists()
    assert response.context["errors"] == [
        f"{bawahan[4].nama_lengkap}: Pilih hasil kerja dan perilaku kerja, keduanya."
    ]
    # The choices typed into the other rows are still there to save again.
    kept = {f.pegawai: f["hasil_kerja"].value() for f in response.context["forms"]}
    assert all(kept[p] == "sesuai" for p in bawahan[:4])
    assert f"Catatan {bawahan[0].nama}" in response.content.decode()


def test_the_service_saves_all_rows_or_none(cast, periode, bawahan):
    stranger = factories.pegawai(cast.bkd, nama="Orang Lain")
    ratings = [(p, {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai"}) for p in bawahan]
    with pytest.raises(ValidationError) as refused:
        services.penilaian_save_many(
            periode=periode,
            penilai=cast.atasan_pegawai,
            ratings=[*ratings, (stranger, ratings[0][1])],
        )
    assert refused.value.messages == [
        f"{stranger.nama_lengkap}: Hanya atasan langsung yang dapat menilai pegawai ini."
    ]
    assert not PenilaianKinerja.objects.exists()
    saved = services.penilaian_save_many(
        periode=periode, penilai=cast.atasan_pegawai, ratings=ratings
    )
    assert len(saved) == PenilaianKinerja.objects.count() == 5


def test_saving_all_does_not_rate_an_unchanged_row_again(login, cast, periode, bawahan):
    first = rate(cast, periode)
    services.penilaian_acknowledge(penilaian=first)
    data = row_data(cast.pegawai_pegawai, "sesuai", "sesuai") | row_data(
        bawahan[1], "di_atas", "sesuai"
    )
    login(cast.atasan).post(page_url(periode), data)
    first.refresh_from_db()
    assert first.diketahui_at is not None  # not asked to acknowledge again
    assert PenilaianKinerja.objects.get(pegawai=bawahan[1]).predikat == "baik"


def test_a_saved_rating_cannot_be_emptied(login, cast, periode, bawahan):
    rate(cast, periode)
    response = login(cast.atasan).post(page_url(periode), row_data(cast.pegawai_pegawai))
    assert (
        response.status_code == 200 and "tidak dapat dikosongkan" in response.context["errors"][0]
    )
    assert PenilaianKinerja.objects.get().predikat == "baik"


def test_a_closed_period_saves_nothing_from_the_page(login, cast, periode, bawahan):
    services.periode_close(periode=periode)
    login(cast.atasan).post(page_url(periode), row_data(bawahan[0], "sesuai", "sesuai"))
    assert not PenilaianKinerja.objects.exists()


def test_a_row_saved_alone_through_htmx_answers_that_row_only(login, cast, periode, bawahan):
    url = reverse("evaluasi:penilaian_save", args=[periode.pk, bawahan[2].pk])
    # htmx sends the whole form; only the row's own fields count.
    data = row_data(bawahan[2], "di_bawah", "sesuai") | row_data(bawahan[3], "di_atas", "di_atas")
    response = login(cast.atasan).post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "evaluasi/_penilaian_baris.html"
    assert "Tersimpan: Butuh Perbaikan" in response.content.decode()
    assert [r.pegawai for r in PenilaianKinerja.objects.all()] == [bawahan[2]]


def test_a_half_row_saved_alone_through_htmx_saves_nothing(login, cast, periode, bawahan):
    url = reverse("evaluasi:penilaian_save", args=[periode.pk, bawahan[2].pk])
    response = login(cast.atasan).post(
        url, row_data(bawahan[2], "di_bawah", ""), headers={"HX-Request": "true"}
    )
    assert response.content.decode().count("keduanya") == 1  # said once
    assert not PenilaianKinerja.objects.exists()


def test_a_row_with_a_too_long_note_says_so_once_and_saves_nothing(login, cast, periode, bawahan):
    url = reverse("evaluasi:penilaian_save", args=[periode.pk, bawahan[2].pk])
    data = row_data(bawahan[2], "sesuai", "sesuai") | {f"p{bawahan[2].pk}-catatan": "x" * 2001}
    page = login(cast.atasan).post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert page.count("Catatan: Pastikan") == 1
    assert "Pilih hasil kerja" not in page
    assert not PenilaianKinerja.objects.exists()


def test_the_rating_page_costs_the_same_queries_for_one_or_five_subordinates(
    login, cast, periode, django_assert_max_num_queries
):
    client = login(cast.atasan)
    rate(cast, periode)
    with django_assert_max_num_queries(40) as one:
        client.get(page_url(periode))
    for nama in ["Ani Satu", "Citra Dua", "Dodi Tiga", "Eka Empat"]:
        rate(cast, periode, pegawai=factories.pegawai(cast.yankes, nama=nama,
                                                      atasan=cast.atasan_pegawai))  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(page_url(periode))
