"""Bad input from anyone, signed in or not, gets a 400 or 404 page in Indonesian, never a 500
(and so never an error mail to the admins)."""

import pytest
from django.core import mail
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
