"""Work reaches the people who must act (issue 19): a pegawai's training request travels through
the atasan's and HR's task inboxes, each acting from there, and the decision reaches the pegawai
as a notification."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from pelatihan.models import Peserta
from tests import factories
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_training_request_goes_from_the_pegawai_through_both_inboxes_to_a_notification(
    page, browser, live_server, cast
):
    today = timezone.localdate()
    angkatan = factories.angkatan(
        kuota=10, mulai=today + timedelta(days=21), selesai=today + timedelta(days=23)
    )
    sign_in(page, live_server, "pegawai")
    page.goto(f"{live_server.url}{angkatan.get_absolute_url()}")
    page.get_by_role("button", name="Ajukan diri ikut angkatan ini").click()
    page.get_by_text("Atasan Anda").first.wait_for()
    peserta = Peserta.objects.get(angkatan=angkatan, pegawai=cast.pegawai_pegawai)

    atasan = browser.new_context(locale="id-ID").new_page()
    sign_in(atasan, live_server, "atasan")
    top_bar = atasan.locator("#tugas-saya")
    assert top_bar.locator('[aria-label="1 tugas menunggu"]').inner_text() == "1"
    top_bar.click()
    atasan.wait_for_url(f"{live_server.url}/tugas/")
    item = atasan.locator("li", has_text="Budi Pegawai")
    item.get_by_role("button", name="Setujui").click()
    atasan.get_by_text("Pengajuan disetujui.").wait_for()
    assert atasan.url == f"{live_server.url}/tugas/"
    assert atasan.get_by_text("Budi Pegawai").count() == 0  # done: gone from the inbox
    peserta.refresh_from_db()
    assert peserta.status == Peserta.Status.DISETUJUI_ATASAN

    hr = browser.new_context(locale="id-ID").new_page()
    sign_in(hr, live_server, "pengelola")
    hr.goto(f"{live_server.url}/tugas/")
    hr.locator("li", has_text="Budi Pegawai").get_by_role("button", name="Konfirmasi").click()
    hr.get_by_text("Budi Pegawai dikonfirmasi dan terdaftar.").wait_for()
    peserta.refresh_from_db()
    assert peserta.status == Peserta.Status.TERDAFTAR

    page.goto(f"{live_server.url}/notifikasi/")
    text = page.locator("main").inner_text()
    assert re.search(r"Terdaftar: .*Angkatan I", text)
    assert "Pengajuan disetujui atasan" in text
    atasan.context.close()
    hr.context.close()
