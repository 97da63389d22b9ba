"""Career history in a browser: an HR officer adds a golongan step with its SK scan and the
pegawai's page shows it as their current golongan; then moves the pegawai to another unit, after
which the other unit's HR find them and the first officer only reads their history."""

import pytest

from tests import factories
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/masuk/" not in url)


def test_hr_add_a_golongan_step_with_its_sk_then_move_the_pegawai_to_another_unit(
    page, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    lain = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(lain)
    pegawai = cast.pegawai_pegawai
    profile = f"{live_server.url}/pegawai/{pegawai.pk}/"

    sign_in(page, live_server, "pengelola")
    page.goto(profile)
    page.get_by_role("link", name="Tambah riwayat golongan").click()
    page.locator("select#id_golongan").select_option("33")
    page.locator("#id_tmt").fill("2024-04-01")
    page.locator("select#id_jenis_kenaikan").select_option("reguler")
    page.locator("#id_nomor_sk").fill("823.3/KP/115/BKD/2024")
    scan = tmp_path / "SK kenaikan pangkat.pdf"
    scan.write_bytes(pdf_bytes())
    page.set_input_files("#id_dokumen", str(scan))
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(f"{profile}#riwayat-golongan")
    assert "III/c – Penata" in page.locator("dl").first.inner_text()
    assert "823.3/KP/115/BKD/2024" in page.locator("#riwayat-golongan").inner_text()
    assert page.locator("#riwayat-golongan a[title='Unduh berkas SK']").count() == 1

    page.get_by_role("link", name="Mutasi").click()
    page.locator("select#id_unit_tujuan").select_option(str(cast.bkd.pk))
    page.locator("#id_nomor_sk").fill("821.2/MUT/9/2026")
    page.get_by_role("button", name="Mutasikan").click()
    page.wait_for_url(f"{live_server.url}/pegawai/{pegawai.pk}/riwayat/")
    assert "telah dimutasi dari unit Anda" in page.content()
    page.goto(f"{live_server.url}/pegawai/")
    assert "Budi Pegawai" not in page.locator("main").inner_text()

    sign_in(page, live_server, "pengelola_bkd")
    page.goto(f"{live_server.url}/pegawai/")
    page.get_by_role("link", name="Budi Pegawai").click()
    page.get_by_role("heading", name="Budi Pegawai").wait_for()
    assert "Badan Kepegawaian Daerah" in page.locator("dl").first.inner_text()
    assert "III/c – Penata" in page.locator("dl").first.inner_text()
