"""HR exports the pegawai list they filtered, someone corrects a pegawai in SIBINA afterwards, and
HR imports the stale export: the preview shows what would change and warns that SIBINA's data is
newer; that row is overwritten only once HR ticks it."""

import csv
import io
import time

import pytest

from pegawai.models import Pegawai
from pegawai.reports import EXPORT_HEADER

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def tasks_in_process(settings):
    """The import's check and save run in the server's process: in CI tasks otherwise go to
    Redis, where no worker of this test's database takes them."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda address: "/masuk/" not in address)


def test_hr_imports_a_stale_export_and_sees_that_sibina_is_newer(
    browser, page, live_server, cast, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    budi = cast.pegawai_pegawai
    log_in(page, live_server.url, "pengelola")
    page.goto(f"{live_server.url}/pegawai/")
    page.get_by_label("Cari nama atau NIP").fill("budi")
    page.locator("#hasil").get_by_text("1 pegawai cocok").wait_for()
    # The download links were swapped in with the filter: they export what the list shows.
    csv_link = page.locator("#ekspor-pegawai").get_by_role("link", name="CSV")
    assert "q=budi" in csv_link.get_attribute("href")
    with page.expect_download() as download:
        csv_link.click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["Budi Pegawai"]

    time.sleep(1.1)  # the export's time is written to the second
    admin = browser.new_context(locale="id-ID").new_page()
    log_in(admin, live_server.url, "admin")
    admin.goto(f"{live_server.url}/pegawai/{budi.pk}/ubah/")
    # One search box per searchable select, named by its label and with a placeholder.
    for name in ("jabatan", "unit"):
        boxes = admin.locator(f"input[type=search][aria-controls=id_{name}]")
        assert boxes.count() == 1 and boxes.get_attribute("placeholder")
    admin.get_by_label("Cari Jabatan", exact=True).fill("pengadministrasi")
    admin.get_by_label("Tempat lahir").fill("Muaro Jambi")
    admin.get_by_role("button", name="Simpan").click()
    admin.get_by_text("disimpan").first.wait_for()
    admin.context.close()

    rows[1][EXPORT_HEADER.index("telepon")] = "081200000000"
    stale = tmp_path / "pegawai-diedit.csv"
    with stale.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    page.goto(f"{live_server.url}/pegawai/impor/")
    page.set_input_files("input[type=file]", str(stale))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.get_by_text("Siap disimpan").wait_for()
    row = page.locator("tr", has_text="Budi Pegawai")
    assert row.get_by_text("data di SIBINA lebih baru").is_visible()
    assert "Muaro Jambi → Jambi" in row.inner_text()
    assert "Telepon" in row.inner_text()

    page.get_by_role("button", name="Simpan baris yang dicentang").click()
    page.get_by_text("Centang baris yang tetap ingin ditimpa").wait_for()
    assert Pegawai.objects.get(pk=budi.pk).tempat_lahir == "Muaro Jambi"

    page.get_by_label("Timpa dengan data berkas").check()
    page.get_by_role("button", name="Simpan baris yang dicentang").click()
    page.get_by_text("Impor selesai").wait_for()
    budi.refresh_from_db()
    assert (budi.telepon, budi.tempat_lahir) == ("081200000000", "Jambi")


def test_back_after_filtering_shows_the_form_the_list_and_the_downloads_agreeing(
    page, live_server, cast
):
    log_in(page, live_server.url, "pengelola")
    page.goto(f"{live_server.url}/pegawai/")
    search = page.get_by_label("Cari nama atau NIP")
    search.fill("budi")
    page.locator("#hasil").get_by_text("Budi Pegawai").wait_for()
    page.wait_for_url("**q=budi**")
    search.fill("siti")
    page.locator("#hasil").get_by_text("Siti Atasan").wait_for()
    page.wait_for_url("**q=siti**")
    page.go_back()
    page.wait_for_url("**q=budi**")
    page.locator("#hasil").get_by_text("Budi Pegawai").wait_for()
    assert page.get_by_label("Cari nama atau NIP").input_value() == "budi"
    assert "Siti Atasan" not in page.locator("#hasil").inner_text()
    href = page.locator("#ekspor-pegawai").get_by_role("link", name="CSV").get_attribute("href")
    assert "q=budi" in href


def test_a_too_short_search_says_so_while_typing(page, live_server, cast):
    log_in(page, live_server.url, "pengelola")
    page.goto(f"{live_server.url}/pegawai/")
    page.get_by_label("Cari nama atau NIP").fill("bu")
    page.locator("#pesan-cari").get_by_text("Ketik minimal 3 huruf").wait_for()
