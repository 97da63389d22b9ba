"""A unit's HR officer signs in for the first time since two-factor sign-in is required: the
password leads to enrolment, the key read off the page goes into an authenticator (here: the
RFC 6238 computation an app makes), its code confirms it, the recovery codes are shown once, and
the HR page asked for opens. Next time, without the phone, a recovery code lets them in once."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from pegawai.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def app_code(key_text: str) -> str:
    """What an authenticator app shows for the key typed in as printed (groups of four)."""
    key = key_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(b32decode(key)):06d}"


def test_hr_enrols_with_the_key_on_the_page_and_reaches_the_hr_page(
    page, live_server, cast, settings
):
    settings.DUA_FAKTOR_WAJIB = True

    page.goto(f"{live_server.url}/pegawai/")
    page.get_by_label("Nama pengguna atau NIP").fill("pengelola")
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()

    page.get_by_role("heading", name="Daftarkan verifikasi dua langkah").wait_for()
    assert page.locator("figure svg").count() == 1  # the QR code, drawn by SIBINA
    key_text = page.locator("#kunci-totp").inner_text()
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(app_code(key_text))
    page.get_by_role("button", name="Pastikan dan aktifkan").click()

    page.get_by_role("heading", name="Kode cadangan").wait_for()
    codes = page.locator("#kode-cadangan li").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh (.txt)").click()
    assert codes[0] in open(download.value.path(), encoding="utf-8").read()
    page.get_by_role("button", name="Sudah saya simpan, lanjutkan").click()

    page.wait_for_url(f"{live_server.url}/pegawai/")
    page.get_by_role("heading", name="Data pegawai").wait_for()
    assert User.objects.get(username="pengelola").totpdevice_set.get().confirmed

    # Next time, without the phone: a recovery code, spent once used.
    page.get_by_role("button", name="pengelola").click()
    page.get_by_role("button", name="Keluar").click()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill("pengelola")
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Verifikasi dua langkah").wait_for()
    page.get_by_label("Kode dari aplikasi autentikator atau kode cadangan").fill(codes[0])
    page.get_by_role("button", name="Lanjutkan").click()
    page.get_by_text("Satu kode cadangan terpakai; sisa 9").wait_for()
