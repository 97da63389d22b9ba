"""A citizen kept informed, in headless Chromium against a live server: feedback left with an
email; HR assign the service unit's officer, verify and forward it; the officer answers from
their inbox; the citizen's mail, read from the loopback SMTP server, links to the tracking page,
which shows the answer and takes a rating."""

import re

import pytest

from masyarakat.models import Masukan, UnitLayanan
from tests.e2e.test_journeys import sign_in
from tests.smtp import body, messages

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_citizens_mail_leads_to_the_answer_on_the_tracking_page(
    page, browser, live_server, cast, smtp, settings
):
    smtp.refuse = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = live_server.url
    layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli-umum", unit=cast.yankes)

    page.goto(f"{live_server.url}/masukan/")
    page.get_by_label("Unit layanan").select_option(str(layanan.pk))
    page.get_by_label("Kategori").select_option("keluhan")
    page.get_by_label("Isi masukan").fill("Antrean pendaftaran poli umum lebih dari dua jam.")
    page.get_by_label("Email untuk kabar tindak lanjut (opsional)").fill("rahmah@contoh.id")
    page.get_by_role("button", name="Kirim masukan").click()
    page.get_by_text("Simpan kode pelacakan ini").wait_for()
    masukan = Masukan.objects.get()
    assert masukan.email == "rahmah@contoh.id"

    hr = browser.new_context().new_page()
    sign_in(hr, live_server, "pengelola")
    hr.goto(f"{live_server.url}/tugas/")  # the feedback waits in HR's inbox
    hr.get_by_role("link", name=re.compile(f"Verifikasi masukan {masukan.kode}")).click()
    # HR name the service unit's officer first (the link beside its name), by NIP.
    hr.get_by_role("link", name="petugas").click()
    hr.get_by_label(re.compile("Tambah petugas")).fill(cast.pegawai_pegawai.nip)
    hr.get_by_role("button", name="Tambah").click()
    hr.get_by_text("Budi Pegawai ditetapkan sebagai petugas Poli Umum").wait_for()
    hr.goto(f"{live_server.url}/masyarakat/masukan/{masukan.pk}/")
    hr.get_by_role("button", name="Verifikasi dan teruskan ke unit").click()
    hr.get_by_text(f"Masukan {masukan.kode} diverifikasi dan diteruskan").wait_for()
    hr.context.close()

    officer = browser.new_context().new_page()  # the officer answers for the unit
    sign_in(officer, live_server, "pegawai")
    officer.goto(f"{live_server.url}/tugas/")
    officer.get_by_role("link", name=re.compile(f"Tanggapi masukan {masukan.kode}")).click()
    officer.get_by_label("Tanggapan unit (terlihat oleh warga)").fill(
        "Mulai bulan depan pendaftaran dibuka pukul 06.30 dengan dua loket tambahan."
    )
    officer.get_by_role("button", name="Simpan tanggapan").click()
    officer.get_by_text("Ditanggapi unit").first.wait_for()
    officer.context.close()

    sent = messages(smtp)
    assert [m["To"] for m in sent] == ["rahmah@contoh.id"] * 2  # forwarded, answered
    assert "sudah ditanggapi" in sent[-1]["Subject"]
    link = re.search(rf"{re.escape(live_server.url)}/masukan/\S+", body(sent[-1])).group(0)

    page.goto(link)
    page.get_by_text("dua loket tambahan").wait_for()
    assert "Ditanggapi unit" in page.content()
    page.get_by_label("5").check()
    page.get_by_label("Satu kalimat tentang tanggapan ini (opsional)").fill("Jelas dan cepat.")
    page.get_by_role("button", name="Kirim penilaian").click()
    page.get_by_text("Terima kasih atas penilaian Anda.").wait_for()
    masukan.refresh_from_db()
    assert (masukan.nilai_tanggapan, masukan.ulasan_tanggapan) == (5, "Jelas dan cepat.")
