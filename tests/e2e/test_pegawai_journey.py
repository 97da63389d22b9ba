"""An HR officer on a phone: logs in with their NIP, finds a pegawai, opens the profile."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_pengelola_logs_in_by_nip_searches_and_opens_a_profile(page, live_server, cast):
    profil = factories.pegawai(cast.dinkes, nama="Hendra Kepegawaian", user=cast.pengelola)
    page.goto(f"{live_server.url}/pegawai/")
    assert "/masuk/" in page.url
    page.get_by_label("Nama pengguna atau NIP").fill(profil.nip_tampil)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/pegawai/")

    page.get_by_label("Cari nama atau NIP").fill("budi peg")
    # htmx replaces the table after a short pause in typing.
    page.locator("#hasil").get_by_text("1 pegawai cocok").wait_for()
    assert page.locator("#hasil tbody tr").count() == 1
    page.get_by_role("link", name="Budi Pegawai").click()
    page.get_by_role("heading", name="Budi Pegawai").wait_for()
    assert cast.pegawai_pegawai.nip_tampil in page.content()
    assert page.get_by_text("Riwayat perubahan data").is_visible()


def test_the_sidebar_opens_on_a_phone_and_offers_what_the_role_may_use(page, live_server, cast):
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill("pegawai")
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Buka menu").click()
    menu = page.locator("#sidebar")
    menu.get_by_role("link", name="Profil saya").wait_for(state="visible")
    assert menu.get_by_role("link", name="Impor pegawai").count() == 0
