"""Non-classical learning (issue 21): a pegawai logs a coaching entry with its evidence and sees
the JP it converts to, their atasan verifies it from their list, and the pegawai's JP page shows
the JP added."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pelatihan.models import CatatanJP, KegiatanEksternal
from tests.e2e.test_journeys import sign_in
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pegawai_logs_coaching_the_atasan_verifies_and_the_jp_is_added(
    page, browser, live_server, cast, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = tmp_path / "catatan-coaching.pdf"
    evidence.write_bytes(pdf_bytes())
    ended = timezone.localdate() - timedelta(days=1)

    sign_in(page, live_server, "pegawai")
    page.goto(f"{live_server.url}/pelatihan/jp/?tahun={ended.year}")
    page.get_by_role("link", name="Catat kegiatan di luar SIBINA").click()
    page.get_by_label("Nama kegiatan").fill("Coaching penyusunan SKP")
    page.get_by_label("Jenis pengembangan").select_option(label="Coaching")
    page.get_by_label("Penyelenggara").fill("Seksi Pelayanan Kesehatan")
    page.get_by_label("Tanggal mulai").fill(f"{ended - timedelta(days=13):%Y-%m-%d}")
    page.get_by_label("Tanggal selesai").fill(f"{ended:%Y-%m-%d}")
    page.get_by_label("Jumlah", exact=True).fill("3")
    page.get_by_text("3 sesi × 2 JP = 6 JP").wait_for()  # the preview, before sending
    page.get_by_label("Berkas bukti").set_input_files(evidence)
    page.get_by_role("button", name="Kirim untuk verifikasi").click()
    page.get_by_text("6 JP diajukan, menunggu verifikasi atasan langsung Anda").wait_for()
    kegiatan = KegiatanEksternal.objects.get()
    assert not CatatanJP.objects.exists()

    atasan = browser.new_context().new_page()
    sign_in(atasan, live_server, "atasan")
    atasan.goto(f"{live_server.url}/pelatihan/kegiatan/verifikasi/")
    item = atasan.locator(f"#kegiatan-{kegiatan.pk}")
    assert "Budi Pegawai" in item.inner_text()
    item.get_by_role("button", name="Terima").click()
    atasan.get_by_text("Coaching penyusunan SKP diverifikasi.").wait_for()
    atasan.get_by_text("6 JP dikreditkan.").wait_for()

    page.goto(f"{live_server.url}/pelatihan/jp/?tahun={ended.year}")
    page.get_by_text("6 JP dikreditkan").wait_for()
    assert "6 JP dari hak minimal 20 JP" in page.content().replace("<strong>", "").replace(
        "</strong>", ""
    )
    atasan.context.close()
