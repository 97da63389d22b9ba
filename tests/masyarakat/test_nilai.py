"""The citizen rates the unit's answer (1–5 and one line) on the tracking page, once; HR see the
ratings per service unit on the feedback list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from masyarakat.models import Masukan, UnitLayanan


@pytest.fixture
def layanan(cast_lengkap):
    return UnitLayanan.objects.create(unit=cast_lengkap.yankes, nama="Poli Umum", kode="poli")


def answered(layanan, **fields):
    return Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Antrean lama", status="ditanggapi",
        tanggapan="Loket kedua dibuka.", ditanggapi_at=timezone.now(), **fields,
    )  # fmt: skip


def rate(client, masukan, **data):
    return client.post(masukan.get_tracking_url(), {"tindakan": "nilai"} | data, follow=True)


def test_the_citizen_rates_the_answer_once(client, layanan):
    masukan = answered(layanan)
    assert "Nilai tanggapan unit" in client.get(masukan.get_tracking_url()).text
    page = rate(client, masukan, nilai="4", ulasan="  Cepat   ditangani  ")
    assert "Terima kasih atas penilaian Anda." in page.text
    masukan.refresh_from_db()
    assert (masukan.nilai_tanggapan, masukan.ulasan_tanggapan) == (4, "Cepat ditangani")
    assert "4 dari 5" in page.text and "Nilai tanggapan unit" not in page.text
    again = rate(client, masukan, nilai="1", ulasan="Berubah pikiran")
    assert "Anda sudah menilai tanggapan ini." in again.text
    masukan.refresh_from_db()
    assert (masukan.nilai_tanggapan, masukan.ulasan_tanggapan) == (4, "Cepat ditangani")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nilai": "7"}, "Pilih nilai 1 sampai 5."),
        ({"nilai": "0"}, "Pilih nilai 1 sampai 5."),
        ({"nilai": "lima"}, "Pilih nilai 1 sampai 5."),
        ({}, "Pilih nilai 1 sampai 5."),
        ({"nilai": "5", "ulasan": "x" * 201}, "Ulasan paling banyak 200 karakter"),
    ],
)
def test_an_invalid_rating_is_refused_in_indonesian_and_nothing_saved(client, layanan, data,
                                                                       message):  # fmt: skip
    masukan = answered(layanan)
    assert message in rate(client, masukan, **data).text
    masukan.refresh_from_db()
    assert masukan.nilai_tanggapan is None and masukan.dinilai_at is None


def test_feedback_not_yet_answered_cannot_be_rated(client, layanan):
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Lama", status="diteruskan"
    )
    assert "Nilai tanggapan unit" not in client.get(masukan.get_tracking_url()).text
    assert "tidak dapat dilakukan" in rate(client, masukan, nilai="5").text
    masukan.refresh_from_db()
    assert masukan.nilai_tanggapan is None


def test_hr_see_the_ratings_of_their_units_only(client, cast_lengkap, layanan):
    c = cast_lengkap
    other = UnitLayanan.objects.create(unit=c.bkd, nama="Loket BKD", kode="loket")
    for nilai in (5, 4, 2):
        rate(client, answered(layanan), nilai=str(nilai))
    answered(layanan)  # not rated: not counted
    rate(client, answered(other), nilai="1")
    client.force_login(c.pengelola)
    [row] = client.get(reverse("masyarakat:masukan_list")).context["nilai"]
    assert (row.nama, round(row.nilai_rata, 2), row.nilai_jumlah) == ("Poli Umum", 3.67, 3)
    page = client.get(reverse("masyarakat:masukan_list")).text
    assert "Penilaian warga atas tanggapan unit" in page and "Loket BKD" not in page
    client.force_login(c.pengelola_lain)
    [row] = client.get(reverse("masyarakat:masukan_list")).context["nilai"]
    assert (row.nama, row.nilai_jumlah) == ("Loket BKD", 1)


def test_a_rated_answer_can_no_longer_be_changed_by_the_unit(client, cast_lengkap, layanan):
    masukan = answered(layanan)
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    client.force_login(cast_lengkap.pengelola)
    page = client.post(url, {"tindakan": "tanggapi", "teks": "Loket kedua dan ketiga."},
                       follow=True)  # fmt: skip
    assert (
        f"Tanggapan atas masukan {masukan.kode} tersimpan." in page.text
    )  # corrected before the citizen rated it
    rate(client, masukan, nilai="2")
    page = client.post(url, {"tindakan": "tanggapi", "teks": "Jawaban diganti."}, follow=True)
    assert "Warga sudah menilai tanggapan ini" in page.text
    assert 'name="teks"' not in page.text  # no form to change it is offered
    masukan.refresh_from_db()
    assert (masukan.tanggapan, masukan.nilai_tanggapan) == ("Loket kedua dan ketiga.", 2)


def test_an_answer_longer_than_its_field_is_refused_not_cut(client, cast_lengkap, layanan):
    masukan = answered(layanan)
    client.force_login(cast_lengkap.pengelola)
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    page = client.post(url, {"tindakan": "tanggapi", "teks": "x" * 4001}, follow=True)
    assert "Tanggapan terlalu panjang: paling banyak 4.000 karakter, tertulis 4.001." in page.text
    masukan.refresh_from_db()
    assert masukan.tanggapan == "Loket kedua dibuka."
