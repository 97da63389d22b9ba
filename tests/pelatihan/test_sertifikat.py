import io

from django.urls import reverse
from pypdf import PdfReader

from pelatihan import services


def passed(finished):
    services.peserta_decide(peserta=finished, lulus=True)
    finished.refresh_from_db()
    return finished


def test_the_certificate_pdf_reads_back_with_its_facts(login, cast, finished):
    peserta = passed(finished)
    response = login(cast.pegawai).get(reverse("pelatihan:sertifikat_pdf", args=[peserta.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    for fact in (
        peserta.sertifikat.nomor,
        "Budi Pegawai",
        peserta.pegawai.nip_tampil,
        "Sistem Informasi Kesehatan",
        "24 jam pelajaran",
        "02/03/2026",
        "06/03/2026",
        "BPSDM Provinsi Jambi",
    ):
        assert fact in text, fact
    # The printed verification address may wrap; its code may not.
    assert f"/verifikasi/{peserta.sertifikat.kode}/" in text.replace(" ", "")


def test_the_pengelola_may_download_it_an_outsider_may_not(login, cast, finished):
    peserta = passed(finished)
    url = reverse("pelatihan:sertifikat_pdf", args=[peserta.pk])
    assert login(cast.pengelola).get(url).status_code == 200
    assert login(cast.outsider).get(url).status_code == 404


def test_a_revoked_certificate_is_not_served(login, cast, finished):
    peserta = passed(finished)
    services.sertifikat_revoke(sertifikat=peserta.sertifikat, alasan="Data keliru")
    assert (
        login(cast.pegawai).get(reverse("pelatihan:sertifikat_pdf", args=[peserta.pk])).status_code
        == 404
    )


def test_the_public_page_confirms_a_genuine_certificate_with_name_and_training_only(
    client, cast, finished
):
    peserta = passed(finished)
    page = client.get(reverse("verifikasi", args=[peserta.sertifikat.kode]))
    html = page.content.decode()
    assert page.status_code == 200 and "Sertifikat sah" in html
    assert "Budi Pegawai" in html and "Sistem Informasi Kesehatan" in html
    assert peserta.pegawai.nip not in html and peserta.pegawai.nip_tampil not in html


def test_a_forged_code_is_called_unknown(client, db):
    page = client.get(reverse("verifikasi", args=["palsu-123"]))
    assert page.status_code == 404 and "tidak dikenal" in page.content.decode()


def test_a_revoked_certificate_says_so(client, cast, finished):
    peserta = passed(finished)
    services.sertifikat_revoke(sertifikat=peserta.sertifikat, alasan="Data keliru")
    html = client.get(reverse("verifikasi", args=[peserta.sertifikat.kode])).content.decode()
    assert "Sertifikat dicabut" in html and "Data keliru" in html


def test_hr_revokes_a_certificate_with_a_reason(login, cast, finished):
    peserta = passed(finished)
    url = reverse("pelatihan:sertifikat_revoke", args=[peserta.pk])
    assert login(cast.pegawai).post(url, {"alasan": "x"}).status_code == 403
    assert login(cast.outsider).post(url, {"alasan": "x"}).status_code == 404
    page = login(cast.pengelola).get(url)
    assert page.status_code == 200 and "Ya, cabut sertifikat" in page.content.decode()
    assert "20 JP" in page.content.decode() or "kepatuhan 20 JP" in page.content.decode()
    refused = login(cast.pengelola).post(url, {"alasan": ""})
    assert "Tuliskan alasan pencabutan." in refused.content.decode()
    peserta.sertifikat.refresh_from_db()
    assert not peserta.sertifikat.is_revoked
    login(cast.pengelola).post(url, {"alasan": "Peserta tidak memenuhi syarat administrasi"})
    peserta.sertifikat.refresh_from_db()
    assert peserta.sertifikat.is_revoked
