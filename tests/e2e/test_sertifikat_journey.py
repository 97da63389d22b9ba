"""Records that stay true (issue 20): HR revoke a certificate through its confirmation page with
a reason, the pegawai's page says so, HR issue a new one, and the public verification page shows
the old number revoked and the new one valid."""

import pytest

from pelatihan import services
from pelatihan.models import Sertifikat
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_revokes_a_certificate_with_a_reason_and_issues_a_new_one(
    page, browser, live_server, cast, finished
):
    services.peserta_decide(peserta=finished, lulus=True)
    old = Sertifikat.objects.get(peserta=finished)
    batch_url = f"{live_server.url}{finished.angkatan.get_absolute_url()}"

    sign_in(page, live_server, "pengelola")
    page.goto(batch_url)
    page.get_by_role("link", name="Cabut sertifikat…").click()
    page.get_by_role("heading", name=f"Cabut sertifikat {old.nomor}?").wait_for()
    page.get_by_label("Alasan pencabutan").fill("Peserta digantikan orang lain saat pelatihan")
    page.get_by_role("button", name="Ya, cabut sertifikat").click()
    page.get_by_text(f"Sertifikat {old.nomor} dicabut").wait_for()

    pegawai = browser.new_context().new_page()
    sign_in(pegawai, live_server, "pegawai")
    year = finished.angkatan.tanggal_selesai.year
    pegawai.goto(f"{live_server.url}/pelatihan/jp/?tahun={year}")
    result = pegawai.locator(f"#hasil-{finished.pk}")
    result.get_by_text("Lulus, sertifikat dicabut").wait_for()
    assert "Peserta digantikan orang lain saat pelatihan" in result.inner_text()
    assert "0 JP" in pegawai.content()

    page.goto(batch_url)
    page.get_by_role("button", name="Terbitkan sertifikat baru").click()
    page.get_by_text("yang lama tetap dicabut").wait_for()
    new = Sertifikat.objects.get(peserta=finished, dicabut_at__isnull=True)
    assert new.nomor != old.nomor

    pegawai.reload()
    assert "Lulus, sertifikat dicabut" not in pegawai.locator(f"#hasil-{finished.pk}").inner_text()
    assert "24 JP" in pegawai.content()

    verify = browser.new_context().new_page()  # anyone who scans either QR code
    verify.goto(f"{live_server.url}/verifikasi/{old.kode}/")
    verify.get_by_text("Sertifikat dicabut").wait_for()
    assert old.nomor in verify.content()
    verify.goto(f"{live_server.url}/verifikasi/{new.kode}/")
    verify.get_by_text("Sertifikat sah").wait_for()
    assert new.nomor in verify.content()
    pegawai.context.close()
    verify.context.close()
