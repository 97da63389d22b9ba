"""A development plan from draft to agreement and on to its first line done, in headless
Chromium (issue 21's journey): the pegawai drafts their plan from SIBINA's proposal, adds a
coaching line and submits it; their atasan agrees it with the date of the one-on-one; the plan
shows agreed, locked for the pegawai. Then the pegawai logs the coaching with its evidence, the
atasan verifies it: the JP is in the pegawai's ledger and the plan's coaching line is done."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from pelatihan.models import (
    CatatanJP,
    KegiatanEksternal,
    Kompetensi,
    KompetensiLevel,
    PelatihanKompetensi,
    PenilaianKompetensi,
    RencanaPengembangan,
    StandarKompetensi,
)
from pelatihan.referensi import kompetensi_ensure
from tests import factories
from tests.e2e.test_journeys import sign_in
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pegawai_drafts_and_submits_the_atasan_agrees_and_verified_coaching_closes_a_line(
    page, browser, live_server, cast, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    kompetensi_ensure(Kompetensi, KompetensiLevel)  # emptied by the previous transactional test
    m04 = Kompetensi.objects.get(kode="M.04")
    StandarKompetensi.objects.create(jabatan=cast.pegawai_pegawai.jabatan, kompetensi=m04, level=3)
    PenilaianKompetensi.objects.create(
        pegawai=cast.pegawai_pegawai, kompetensi=m04, level=2, tanggal=date(2026, 1, 5),
        sumber="uji_kompetensi",
    )  # fmt: skip
    training = factories.pelatihan(nama="Orientasi Hasil", jp=32)
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=m04, level=3)
    tahun = timezone.localdate().year

    sign_in(page, live_server, "pegawai")
    page.goto(f"{live_server.url}/pelatihan/rencana/?tahun={tahun}")
    page.get_by_text("Orientasi Hasil").wait_for()  # the proposal names the training
    page.get_by_role("button", name=f"Buat draf rencana {tahun} dari usulan").click()
    page.get_by_text("Draf rencana pengembangan").wait_for()
    page.locator("#id_kompetensi").select_option(label="M.03 Komunikasi")
    page.get_by_label("Level target").select_option("3")
    page.get_by_label("Bentuk pengembangan").select_option(label="Coaching")
    page.get_by_label("JP rencana").fill("8")
    page.get_by_role("button", name="Tambah baris").click()
    page.get_by_text("Baris rencana ditambahkan.").wait_for()
    page.get_by_role("button", name="Ajukan kepada atasan").click()
    page.get_by_text("Rencana diajukan kepada atasan langsung Anda.").wait_for()
    rencana = RencanaPengembangan.objects.get(pegawai=cast.pegawai_pegawai)
    assert rencana.status == "diajukan"
    assert sorted(rencana.baris.values_list("kompetensi__kode", "bentuk", "jp")) == [
        ("M.03", 14, 8), ("M.04", 3, 32),
    ]  # fmt: skip

    atasan = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    boss = atasan.new_page()
    sign_in(boss, live_server, "atasan")
    boss.goto(f"{live_server.url}/pelatihan/rencana/?tahun={tahun}")
    boss.get_by_role("link", name="Diajukan, menunggu atasan").click()
    boss.get_by_label("Setujui rencana").check()
    boss.get_by_label("Tanggal pertemuan empat mata").fill(timezone.localdate().isoformat())
    boss.get_by_label("Catatan atasan").fill("Sepakat; coaching tiap bulan.")
    boss.get_by_role("button", name="Simpan keputusan").click()
    boss.get_by_text("Rencana Budi Pegawai disetujui.").wait_for()
    assert boss.locator('[data-status="disetujui"]').inner_text() == "Disetujui atasan"
    atasan.close()

    rencana.refresh_from_db()
    assert (rencana.status, rencana.tanggal_pertemuan) == ("disetujui", timezone.localdate())
    page.reload()
    assert page.locator('[data-status="disetujui"]').inner_text() == "Disetujui atasan"
    assert page.get_by_role("button", name="Tambah baris").count() == 0  # locked

    # The coaching the plan names, done and logged with its evidence; ending today, so that it
    # belongs to this year's plan.
    evidence = tmp_path / "catatan-coaching.pdf"
    evidence.write_bytes(pdf_bytes())
    today = timezone.localdate()
    page.goto(f"{live_server.url}/pelatihan/kegiatan/tambah/")
    page.get_by_label("Nama kegiatan").fill("Coaching komunikasi pelayanan")
    page.get_by_label("Jenis pengembangan").select_option(label="Coaching")
    page.get_by_label("Penyelenggara").fill("Seksi Pelayanan Kesehatan")
    page.get_by_label("Tanggal mulai").fill(f"{today - timedelta(days=13):%Y-%m-%d}")
    page.get_by_label("Tanggal selesai").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Jumlah", exact=True).fill("4")
    page.get_by_text("4 sesi × 2 JP = 8 JP").wait_for()
    page.get_by_label("Berkas bukti").set_input_files(evidence)
    page.get_by_role("button", name="Kirim untuk verifikasi").click()
    page.get_by_text("8 JP diajukan, menunggu verifikasi atasan langsung Anda").wait_for()
    kegiatan = KegiatanEksternal.objects.get()
    assert not CatatanJP.objects.filter(kegiatan=kegiatan).exists()  # not before verification

    atasan = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    boss = atasan.new_page()
    sign_in(boss, live_server, "atasan")
    boss.goto(f"{live_server.url}/pelatihan/kegiatan/verifikasi/")
    boss.locator(f"#kegiatan-{kegiatan.pk}").get_by_role("button", name="Terima").click()
    boss.get_by_text("8 JP dikreditkan.").wait_for()
    atasan.close()

    assert CatatanJP.objects.get(kegiatan=kegiatan).jp == 8
    coaching = rencana.baris.get(bentuk=14)
    assert (coaching.status, coaching.ditutup_kegiatan_id) == ("selesai", kegiatan.pk)
    assert rencana.baris.get(bentuk=3).status == "terbuka"  # the training is still to come
    page.goto(f"{live_server.url}/pelatihan/rencana/{rencana.pk}/")
    row = page.locator("tr", has_text="M.03")
    assert "Terlaksana" in row.inner_text()
    assert "Coaching komunikasi pelayanan" in row.inner_text()
