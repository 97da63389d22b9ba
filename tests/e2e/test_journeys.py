"""The main journeys in headless Chromium against a live server, and an accessibility check of the
main pages (axe-core: no serious or critical violation). Screenshots of a failing journey are
saved by tests/e2e/conftest.py."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from masyarakat.models import ForumDialog, Masukan, UnitLayanan
from tests import factories
from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def layanan(cast):
    return UnitLayanan.objects.create(nama="Poli Umum RSUD", kode="poli-umum", unit=cast.yankes)


def test_a_citizen_registers_for_a_forum_sends_feedback_and_follows_it_to_the_response(
    page, browser, live_server, cast, layanan
):
    next_week = timezone.localtime() + timedelta(days=7)  # /warga/ lists future forums only
    forum = ForumDialog.objects.create(
        topik="Antrean poli umum", unit_layanan=layanan,
        waktu=next_week.replace(hour=9, minute=0, second=0, microsecond=0), format="luring",
        kapasitas=30, pendaftaran_dibuka=True,
    )  # fmt: skip
    page.goto(f"{live_server.url}/warga/")
    page.get_by_role("link", name=re.compile("Antrean poli umum")).click()
    page.get_by_label("Nama").fill("Rahmah")
    page.get_by_label("Telepon atau email").fill("0812000111")
    page.get_by_role("button", name="Daftar").click()
    page.get_by_text("Kode pendaftaran Anda").wait_for()
    assert forum.pendaftar.get().nama == "Rahmah"

    page.goto(f"{live_server.url}/masukan/")
    page.get_by_label("Unit layanan").select_option(str(layanan.pk))
    page.get_by_label("Kategori").select_option("keluhan")
    page.get_by_label("Isi masukan").fill("Antrean pendaftaran poli umum lebih dari dua jam.")
    officer = page.locator("#id_pegawai_dilayani")  # loaded for the chosen unit (htmx)
    officer.locator("option", has_text="Budi Pegawai").wait_for(state="attached")
    officer.select_option(label="Budi Pegawai")
    page.get_by_role("button", name="Kirim masukan").click()
    page.get_by_text("Simpan kode pelacakan ini").wait_for()
    kode = Masukan.objects.get().kode
    assert Masukan.objects.get().pegawai_dilayani == cast.pegawai_pegawai
    assert kode in page.content()

    hr = browser.new_context().new_page()  # the unit's HR answers meanwhile
    sign_in(hr, live_server, "pengelola")
    hr.goto(f"{live_server.url}/masyarakat/masukan/{Masukan.objects.get().pk}/")
    hr.get_by_role("button", name="Verifikasi dan teruskan ke unit").click()
    hr.get_by_label("Tanggapan unit (terlihat oleh warga)").fill(
        "Mulai Februari pendaftaran dibuka pukul 06.30 dengan dua loket tambahan."
    )
    hr.get_by_role("button", name="Simpan tanggapan").click()
    hr.get_by_text("Ditanggapi unit").first.wait_for()
    hr.context.close()

    page.goto(f"{live_server.url}/warga/")
    page.get_by_label("Lacak masukan").fill(kode)
    page.get_by_role("button", name="Lihat").click()
    page.get_by_text("dua loket tambahan").wait_for()
    assert "Ditanggapi unit" in page.content()


def test_a_self_report_is_returned_revised_and_verified(page, browser, live_server, cast, laporan):
    sign_in(page, live_server, "pegawai")
    page.goto(f"{live_server.url}/evaluasi/laporan/{laporan.pk}/")
    page.get_by_label(re.compile("apa yang berubah", re.I)).fill("Rekam medis kini di SIMRS.")
    page.get_by_label(re.compile("contoh konkret", re.I)).fill("Rujukan dikirim elektronik.")
    page.get_by_label(re.compile("dampak bagi pelayanan", re.I)).fill("Antrean lebih pendek.")
    page.get_by_role("button", name="Ajukan ke atasan").click()
    page.get_by_text("Laporan diajukan ke atasan").wait_for()

    atasan = browser.new_context().new_page()
    sign_in(atasan, live_server, "atasan")
    atasan.goto(f"{live_server.url}/evaluasi/laporan/{laporan.pk}/")
    atasan.get_by_label("Komentar").fill("Sertakan data waktu tunggu sebelum dan sesudah.")
    atasan.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    atasan.get_by_text("Laporan dikembalikan kepada pegawai").wait_for()

    page.reload()
    page.get_by_text("Sertakan data waktu tunggu").wait_for()
    page.get_by_label(re.compile("dampak bagi pelayanan", re.I)).fill(
        "Waktu tunggu turun dari 45 menjadi 15 menit."
    )
    page.get_by_role("button", name="Ajukan ke atasan").click()
    page.get_by_text("Laporan diajukan ke atasan").wait_for()

    atasan.reload()
    atasan.get_by_label("Penilaian perubahan").select_option("3")
    atasan.get_by_role("button", name="Verifikasi", exact=True).click()
    atasan.get_by_text("Laporan diverifikasi").wait_for()
    atasan.context.close()
    laporan.refresh_from_db()
    assert laporan.status == "diverifikasi" and laporan.nilai_perubahan == 3
    assert laporan.dampak == "Waktu tunggu turun dari 45 menjadi 15 menit."


MAIN_PAGES = {
    None: ["/warga/", "/masukan/", "/inovasi/", "/masuk/"],
    "pengelola": ["/", "/pegawai/", "/masyarakat/masukan/", "/evaluasi/aksi/",
                  "/program/kebutuhan/", "/pelatihan/", "/evaluasi/laporan/"],
    "pegawai": ["/", "/evaluasi/laporan/", "/pelatihan/jp/"],
}  # fmt: skip


@pytest.mark.parametrize("username", list(MAIN_PAGES))
def test_the_main_pages_have_no_serious_accessibility_violation(
    page, live_server, cast, layanan, username
):
    if username:
        sign_in(page, live_server, username)
    assert serious_violations(page, live_server.url, MAIN_PAGES[username]) == {}


def test_hr_runs_a_training_and_its_participant_downloads_a_certificate_that_verifies(
    page, browser, live_server, cast
):
    from pelatihan.models import Angkatan, Peserta

    sign_in(page, live_server, "pengelola")
    page.goto(f"{live_server.url}/pelatihan/tambah/")
    page.get_by_label("Nama pelatihan").fill("TIK untuk Pelayanan Kesehatan")
    page.get_by_label("Jenis pengembangan").select_option("3")
    page.get_by_label("Bidang").fill("Kesehatan")
    page.get_by_label("Jumlah JP").fill("24")
    page.get_by_label("Jenis penyelenggara").select_option("internal")
    page.get_by_label("Nama penyelenggara").fill("BPSDM Provinsi Jambi")
    page.locator("select#id_unit_penyelenggara").select_option(str(cast.dinkes.pk))
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Pelatihan TIK untuk Pelayanan Kesehatan disimpan").wait_for()

    page.goto(page.url + "angkatan/tambah/")
    page.get_by_label("Nama angkatan").fill("Angkatan I")
    page.get_by_label("Tanggal mulai").fill("2026-03-02")  # a Monday: one working day
    page.get_by_label("Tanggal selesai").fill("2026-03-02")
    page.get_by_label("Tempat", exact=True).fill("Aula BPSDM Provinsi Jambi")
    page.get_by_label("Kuota peserta").fill("10")
    page.get_by_label("Status").select_option("pendaftaran")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("heading", name="Angkatan I").wait_for()
    angkatan = Angkatan.objects.get(nama="Angkatan I")

    page.get_by_label("NIP pegawai").fill(cast.pegawai_pegawai.nip_tampil)
    page.get_by_role("button", name="Daftarkan").click()
    page.get_by_text("Budi Pegawai").first.wait_for()
    assert Peserta.objects.get(angkatan=angkatan).status == "terdaftar"

    page.goto(f"{live_server.url}/pelatihan/angkatan/{angkatan.pk}/ubah/")
    page.get_by_label("Status").select_option("berjalan")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("link", name="Presensi").click()
    page.get_by_label(re.compile("Budi Pegawai")).check()
    page.get_by_role("button", name="Simpan presensi").click()
    page.goto(f"{live_server.url}/pelatihan/angkatan/{angkatan.pk}/")
    page.get_by_label("Nilai pre-test").fill("60")
    page.get_by_label("Nilai post-test").fill("88,5")
    page.get_by_label("Keputusan").select_option("lulus")
    page.get_by_role("button", name="Simpan", exact=True).first.click()
    page.get_by_role("link", name="Sertifikat", exact=True).wait_for()
    sertifikat = Peserta.objects.get(angkatan=angkatan).sertifikat

    pegawai = browser.new_context().new_page()
    sign_in(pegawai, live_server, "pegawai")
    pegawai.goto(f"{live_server.url}/pelatihan/angkatan/{angkatan.pk}/")
    href = pegawai.get_by_role("link", name="Unduh sertifikat").get_attribute("href")
    pdf = pegawai.request.get(f"{live_server.url}{href}")  # with the pegawai's session
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    verify = browser.new_context().new_page()  # anyone who scans the QR code
    verify.goto(f"{live_server.url}/verifikasi/{sertifikat.kode}/")
    text = verify.content()
    assert "TIK untuk Pelayanan Kesehatan" in text and "Budi Pegawai" in text
    pegawai.context.close()
    verify.context.close()


def test_an_administrator_gets_the_unit_evaluation_pdf_with_its_figures(
    page, live_server, cast, settings, tmp_path, request
):
    """With Redis (CI) a real worker makes the PDF while the page follows its status; on the
    SQLite default the task runs in the request."""
    import io
    import os

    from pypdf import PdfReader

    settings.MEDIA_ROOT = (
        request.getfixturevalue("celery_worker_process")
        if os.environ.get("REDIS_URL")
        else tmp_path
    )
    periode = factories.periode(cast, nama="Triwulan I 2026", rate=("di_atas", "di_atas"))
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/evaluasi/periode/{periode.pk}/")
    page.get_by_role("button", name="Buat PDF unit ini").click()
    link = page.get_by_role("link", name="Unduh PDF")
    link.wait_for(timeout=90_000)  # htmx polls the status every two seconds
    pdf = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split()
    )
    assert "Dinas Kesehatan" in text and "Triwulan I 2026" in text and "Sangat Baik" in text
    # The per-pegawai list is the workbook beside the summary, downloaded from the same page.
    from openpyxl import load_workbook

    xlsx = page.get_by_role("link", name="Unduh daftar per pegawai (XLSX)")
    workbook = page.request.get(f"{live_server.url}{xlsx.get_attribute('href')}")
    rows = list(load_workbook(io.BytesIO(workbook.body()), read_only=True).active.values)
    assert any("Budi Pegawai" in row and "Sangat Baik" in row for row in rows)
