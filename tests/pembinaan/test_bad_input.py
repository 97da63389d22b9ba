"""Bad input from anyone, signed in or not, gets a 400 or 404 page in Indonesian, never a 500
(and so never an error mail to the admins)."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masyarakat.models import Masukan, UnitLayanan


@pytest.fixture
def admins_mailed_on_errors(settings):
    settings.ADMINS = [("Admin", "admin@example.org")]
    settings.DEBUG = False


@pytest.fixture
def masukan(cast):
    layanan = UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")
    return Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Lama sekali")


@pytest.mark.parametrize(
    "url",
    [
        "/masukan/AB%00CD/",
        "/warga/?kode=AB%00CD",
        "/pelatihan/?q=%00",
        "/masyarakat/masukan/?setelah=a%00",
        "/verifikasi/%00/",
        "/forum/%00/",
    ],
)
def test_a_nul_byte_in_the_path_or_query_is_a_400_page_in_indonesian(
    client, cast, admins_mailed_on_errors, url
):
    for user in (None, cast.admin):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 400
        assert "Permintaan tidak dapat dibaca" in response.content.decode()
    assert mail.outbox == []


def test_a_nul_byte_in_a_form_field_is_a_400_and_nothing_is_saved(client, masukan):
    response = client.post(
        reverse("masukan_create"),
        {"unit_layanan": masukan.unit_layanan_id, "kategori": "saran", "isi": "Antre\x00an"},
    )
    assert response.status_code == 400
    assert Masukan.objects.count() == 1


def test_a_nul_byte_in_a_cookie_is_a_400(client, cast):
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get(reverse("warga")).status_code == 400


def test_clean_requests_pass_through(client, masukan):
    assert client.get(f"{reverse('warga')}?kode=").status_code == 200


def test_a_request_django_finds_suspicious_is_a_400_without_mailing_the_admins(
    client, admins_mailed_on_errors, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post(reverse("masukan_create"), {f"f{i}": "x" for i in range(20)})
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()
    assert mail.outbox == []


def test_an_import_with_a_cell_over_the_csv_limit_names_the_file_error(client, cast, masukan):
    text = 'usia,jenis_kelamin\n34,"P\n' + "x" * 200_000
    client.force_login(cast.pengelola)
    response = client.post(
        reverse("survei_impor"),
        {"unit_layanan": masukan.unit_layanan_id, "tanggal": "2026-03-15",
         "file": SimpleUploadedFile("kertas.csv", text.encode())},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Baris 2 tidak dapat dibaca" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize("usia", ["²³", "٣٤", "9" * 30])
def test_an_import_with_odd_digits_for_an_age_names_the_row(client, cast, masukan, usia):
    header = "usia,jenis_kelamin,pendidikan,pekerjaan,u1,u2,u3,u4,u5,u6,u7,u8,u9,saran"
    row = f"{usia},P,s1,swasta,4,3,3,,4,4,4,3,3,"
    client.force_login(cast.pengelola)
    response = client.post(
        reverse("survei_impor"),
        {"unit_layanan": masukan.unit_layanan_id, "tanggal": "2026-03-15",
         "file": SimpleUploadedFile("kertas.csv", f"{header}\n{row}\n".encode())},
    )  # fmt: skip
    assert [(b, k) for b, k, _ in response.context["kesalahan"]] == [(2, "usia")]


def test_a_stored_file_missing_from_disk_is_a_404_that_says_so(
    client, cast, laporan, settings, tmp_path, admins_mailed_on_errors
):
    settings.MEDIA_ROOT = tmp_path
    laporan.lampiran.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
    url = reverse("evaluasi:laporan_lampiran", args=[laporan.pk])
    client.force_login(cast.pegawai)
    assert client.get(url).status_code == 200
    (tmp_path / laporan.lampiran.name).unlink()
    response = client.get(url)
    assert response.status_code == 404
    assert "tidak ditemukan di penyimpanan server" in response.content.decode()
    assert mail.outbox == []
