"""The holiday calendar (pegawai.HariLibur): the official lists shipped by the migrations, and the
pages where administrators keep it (nobody else may), with bad input refused in Indonesian."""

from datetime import date

import pytest
from django.urls import reverse

from pegawai.models import HariLibur, tanggal_libur

LIBUR, CUTI = HariLibur.Jenis.LIBUR_NASIONAL, HariLibur.Jenis.CUTI_BERSAMA


def days(year, jenis):
    return set(
        HariLibur.objects.filter(tanggal__year=year, jenis=jenis).values_list("tanggal", flat=True)
    )


def test_the_2026_skb_is_shipped_17_holidays_and_8_days_of_cuti_bersama(db):
    libur, cuti = days(2026, LIBUR), days(2026, CUTI)
    assert len(libur) == 17 and len(cuti) == 8
    assert {date(2026, 3, 21), date(2026, 3, 22), date(2026, 8, 17), date(2026, 12, 25)} <= libur
    assert cuti == {
        date(2026, 2, 16), date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23),
        date(2026, 3, 24), date(2026, 5, 15), date(2026, 5, 28), date(2026, 12, 24),
    }  # fmt: skip
    assert HariLibur.objects.get(tanggal=date(2026, 3, 21)).nama == "Idul Fitri 1447 Hijriah"


def test_2027_ships_the_holidays_whose_date_the_keppres_fixes(db):
    assert days(2027, LIBUR) == {
        date(2027, 1, 1), date(2027, 5, 1), date(2027, 6, 1), date(2027, 8, 17),
        date(2027, 12, 25),
    }  # fmt: skip
    assert days(2027, CUTI) == set()  # its SKB was not available: nothing guessed


def test_the_loader_reads_every_day_in_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        libur = tanggal_libur()
    assert date(2026, 12, 24) in libur and date(2026, 12, 23) not in libur


def test_an_administrator_sees_a_years_list_with_its_counts(login, cast):
    client = login(cast.admin)
    page = client.get(reverse("hari_libur:list"), {"tahun": "2026"}).content.decode()
    assert "17 hari libur nasional · 8 hari cuti bersama" in page
    assert "Senin, 17 Agustus 2026" in page and "Proklamasi Kemerdekaan" in page
    assert "Belum ada cuti bersama" not in page
    page = client.get(reverse("hari_libur:list"), {"tahun": "2027"}).content.decode()
    assert "5 hari libur nasional · 0 hari cuti bersama" in page
    assert "Belum ada cuti bersama untuk tahun 2027" in page
    assert "Idul Fitri" not in page


def test_a_year_typed_wrong_shows_this_year(login, cast):
    response = login(cast.admin).get(reverse("hari_libur:list"), {"tahun": "²⁰²⁶"})
    assert response.status_code == 200 and response.context["tahun"] >= 2026


def test_an_administrator_adds_a_day_and_its_author_is_kept(login, cast):
    response = login(cast.admin).post(
        reverse("hari_libur:create"),
        {"tanggal": "2027-03-10", "jenis": "libur_nasional", "nama": "Hari Suci Nyepi",
         "dasar": "SKB 2027"},
    )  # fmt: skip
    assert response.status_code == 302 and response.url.endswith("?tahun=2027")
    added = HariLibur.objects.get(tanggal=date(2027, 3, 10))
    assert added.nama == "Hari Suci Nyepi" and added.jenis == LIBUR
    assert added.history.get().history_user == cast.admin


def test_an_administrator_changes_and_deletes_a_day(login, cast):
    client = login(cast.admin)
    day = HariLibur.objects.get(tanggal=date(2026, 12, 24))
    client.post(
        reverse("hari_libur:update", args=[day.pk]),
        {"tanggal": "2026-12-24", "jenis": "libur_nasional", "nama": "Malam Natal"},
    )
    day.refresh_from_db()
    assert day.nama == "Malam Natal" and day.jenis == LIBUR
    confirm = client.get(reverse("hari_libur:delete", args=[day.pk])).content.decode()
    assert "Hapus Malam Natal?" in confirm and HariLibur.objects.filter(pk=day.pk).exists()
    client.post(reverse("hari_libur:delete", args=[day.pk]))
    assert not HariLibur.objects.filter(pk=day.pk).exists()
    assert date(2026, 12, 24) not in tanggal_libur()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"tanggal": "2026-08-17", "jenis": "libur_nasional", "nama": "Ganda"},
         "Tanggal ini sudah ada di daftar hari libur"),
        ({"tanggal": "", "jenis": "libur_nasional", "nama": "Tanpa tanggal"},
         "Isi tanggal hari libur."),
        ({"tanggal": "31/02/2027", "jenis": "libur_nasional", "nama": "Tidak ada"},
         "Tanggal tidak dikenal"),
        ({"tanggal": "1999-01-01", "jenis": "libur_nasional", "nama": "Dulu"},
         "Tahun hari libur harus antara 2000 dan 2100."),
        ({"tanggal": "2027-03-10", "jenis": "libur_daerah", "nama": "Lain"},
         "Pilih libur nasional atau cuti bersama."),
        ({"tanggal": "2027-03-10", "jenis": "libur_nasional", "nama": "   "},
         "Isi keterangan"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_an_indonesian_message_and_nothing_saved(
    login, cast, data, message
):
    before = list(HariLibur.objects.values_list("pk", "tanggal", "nama", "jenis"))
    response = login(cast.admin).post(reverse("hari_libur:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(HariLibur.objects.values_list("pk", "tanggal", "nama", "jenis")) == before


@pytest.mark.parametrize("who", ["pengelola", "provinsi", "atasan", "pegawai"])
def test_nobody_but_an_administrator_may_change_the_calendar(login, cast_lengkap, who):
    client = login(getattr(cast_lengkap, who))
    day = HariLibur.objects.get(tanggal=date(2026, 8, 17))
    before = list(HariLibur.objects.values_list("pk", "tanggal", "nama", "jenis"))
    assert client.get(reverse("hari_libur:list")).status_code == 403
    data = {"tanggal": "2026-08-17", "jenis": "cuti_bersama", "nama": "Diubah"}
    assert client.post(reverse("hari_libur:update", args=[day.pk]), data).status_code == 403
    assert client.post(reverse("hari_libur:delete", args=[day.pk])).status_code == 403
    data = {"tanggal": "2026-11-18", "jenis": "libur_nasional", "nama": "Baru"}
    response = client.post(reverse("hari_libur:create"), data)
    assert response.status_code == 403
    assert "dikelola oleh administrator" in response.content.decode()
    assert list(HariLibur.objects.values_list("pk", "tanggal", "nama", "jenis")) == before


def test_the_calendar_is_in_the_administrators_sidebar_only(login, cast):
    url = reverse("hari_libur:list")
    assert url in login(cast.admin).get("/").content.decode()
    assert url not in login(cast.pengelola).get("/").content.decode()
