import csv
import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pelatihan import reports, services
from pelatihan.models import CatatanJP, KegiatanEksternal
from tests import factories
from tests.files import image_bytes, pdf_bytes

PDF = pdf_bytes()


pytestmark = pytest.mark.usefixtures("private_media")


def kegiatan_data(**overrides) -> dict:
    return {
        "nama": "Seminar Nasional Kesehatan Digital",
        "jenis": 9,
        "penyelenggara": "Unja",
        "tanggal_mulai": "2026-05-04",
        "tanggal_selesai": "2026-05-05",
        "skala": "internasional",
        "jp": "",
        "nomor_sertifikat": "SN/2026/1",
        "file": SimpleUploadedFile("sertifikat.pdf", PDF, content_type="application/pdf"),
    } | overrides


def test_a_pegawai_records_a_seminar_and_its_jp_is_converted(login, cast):
    response = login(cast.pegawai).post(reverse("pelatihan:kegiatan_create"), kegiatan_data())
    assert response.status_code == 302
    kegiatan = KegiatanEksternal.objects.get()
    assert kegiatan.pegawai == cast.pegawai_pegawai
    assert kegiatan.jp_diakui == 12  # 2 days × 6 JP, international


def test_an_activity_without_jp_that_cannot_be_converted_is_refused(login, cast):
    response = login(cast.pegawai).post(
        reverse("pelatihan:kegiatan_create"), kegiatan_data(jenis=11)
    )
    assert "jp" in response.context["form"].errors
    assert not KegiatanEksternal.objects.exists()


def test_a_file_is_judged_by_its_content_not_its_name(login, cast):
    fake = SimpleUploadedFile("sertifikat.pdf", b"MZ\x90\x00 not a pdf")
    response = login(cast.pegawai).post(
        reverse("pelatihan:kegiatan_create"), kegiatan_data(file=fake)
    )
    assert "bukan salah satunya" in response.context["form"].errors["file"][0]
    png = SimpleUploadedFile("scan.bin", image_bytes("PNG"))
    login(cast.pegawai).post(reverse("pelatihan:kegiatan_create"), kegiatan_data(file=png))
    assert KegiatanEksternal.objects.count() == 1


def test_a_file_over_5_mb_is_refused(login, cast):
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (5 * 1024 * 1024))
    response = login(cast.pegawai).post(
        reverse("pelatihan:kegiatan_create"), kegiatan_data(file=big)
    )
    assert "paling besar 5 MB" in response.context["form"].errors["file"][0]


def submitted(cast) -> KegiatanEksternal:
    return KegiatanEksternal.objects.create(
        pegawai=cast.pegawai_pegawai,
        nama="Workshop SIMRS",
        jenis=4,
        penyelenggara="Kemenkes",
        tanggal_mulai=date(2026, 6, 1),
        tanggal_selesai=date(2026, 6, 1),
        file="kegiatan/x.pdf",
    )


def test_hr_verifies_and_the_jp_enters_the_ledger(login, cast):
    kegiatan = submitted(cast)
    login(cast.pengelola).post(
        reverse("pelatihan:kegiatan_decide", args=[kegiatan.pk]), {"keputusan": "terima"}
    )
    entry = CatatanJP.objects.get(kegiatan=kegiatan)
    assert (entry.jp, entry.tahun, entry.pegawai) == (5, 2026, cast.pegawai_pegawai)


def test_a_rejection_needs_a_reason_and_counts_nothing(login, cast):
    kegiatan = submitted(cast)
    url = reverse("pelatihan:kegiatan_decide", args=[kegiatan.pk])
    login(cast.pengelola).post(url, {"keputusan": "tolak", "alasan": ""})
    kegiatan.refresh_from_db()
    assert kegiatan.status == "diajukan"
    login(cast.pengelola).post(url, {"keputusan": "tolak", "alasan": "Sertifikat tidak terbaca"})
    kegiatan.refresh_from_db()
    assert kegiatan.status == "ditolak" and not CatatanJP.objects.exists()


def test_verification_is_for_the_pengelola_of_the_unit(login, cast):
    kegiatan = submitted(cast)
    url = reverse("pelatihan:kegiatan_decide", args=[kegiatan.pk])
    assert login(cast.atasan).post(url, {"keputusan": "terima"}).status_code == 403
    assert login(cast.outsider).post(url, {"keputusan": "terima"}).status_code == 404
    assert login(cast.pengelola).get(url).status_code == 405
    assert login(cast.pegawai).get(reverse("pelatihan:kegiatan_verifikasi")).status_code == 403


def test_the_certificate_file_is_served_only_to_those_who_see_the_pegawai(login, cast, settings):
    (settings.MEDIA_ROOT / "kegiatan").mkdir()
    (settings.MEDIA_ROOT / "kegiatan" / "x.pdf").write_bytes(PDF)
    kegiatan = submitted(cast)
    url = reverse("pelatihan:kegiatan_file", args=[kegiatan.pk])
    assert b"".join(login(cast.pengelola).get(url).streaming_content) == PDF
    assert login(cast.outsider).get(url).status_code == 404


ledger = factories.catatan_jp


def test_jp_saya_shows_only_the_years_counted_entries(login, cast):
    ledger(cast.pegawai_pegawai, 12, year=2026)
    ledger(cast.pegawai_pegawai, 10, year=2025)
    submitted(cast)  # not verified: counts nothing
    page = login(cast.pegawai).get(reverse("pelatihan:jp_saya"), {"tahun": 2026})
    assert page.context["total"] == 12 and page.context["target"]["jp"] == 20


def test_the_siasn_export_has_the_riwayat_kursus_fields(login, cast, finished):
    services.peserta_decide(peserta=finished, lulus=True)
    response = login(cast.pengelola).get(reverse("pelatihan:siasn_export"), {"tahun": 2026})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == reports.SIASN_HEADER
    assert row == [
        cast.pegawai_pegawai.nip,
        "Sistem Informasi Kesehatan",
        "3",
        "BPSDM Provinsi Jambi",
        "24",
        "02-03-2026",
        "06-03-2026",
        finished.sertifikat.nomor,
        "2026",
    ]


def test_a_real_pdf_is_stored_under_a_generated_name_and_served_inert(login, cast):
    login(cast.pegawai).post(reverse("pelatihan:kegiatan_create"), kegiatan_data())
    kegiatan = KegiatanEksternal.objects.get()
    assert re.fullmatch(r"kegiatan/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", kegiatan.file.name)
    response = login(cast.pegawai).get(reverse("pelatihan:kegiatan_file", args=[kegiatan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="sertifikat-{kegiatan.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    "name, content",
    [
        ("sertifikat.pdf", b"<html><body><script>alert(document.cookie)</script></body></html>"),
        ("sertifikat.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("sertifikat.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
)
def test_html_and_svg_are_refused_whatever_their_name(login, cast, name, content):
    response = login(cast.pegawai).post(
        reverse("pelatihan:kegiatan_create"), kegiatan_data(file=SimpleUploadedFile(name, content))
    )
    assert "bukan salah satunya" in response.context["form"].errors["file"][0]
    assert not KegiatanEksternal.objects.exists()


def test_the_siasn_export_covers_the_unit_chosen_on_the_20_jp_page(login, cast, finished):
    services.peserta_decide(peserta=finished, lulus=True)
    client = login(cast.admin)
    page = client.get(reverse("pembinaan:jp_kepatuhan"), {"tahun": 2026, "unit": cast.bkd.pk})
    link = re.search(r'href="([^"]*siasn\.csv[^"]*)"', page.content.decode())[1].replace(
        "&amp;", "&"
    )
    assert f"unit={cast.bkd.pk}" in link and "tahun=2026" in link

    def nips(**params) -> list[str]:
        response = client.get(reverse("pelatihan:siasn_export"), {"tahun": 2026} | params)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return [line[0] for line in list(csv.reader(io.StringIO(text)))[1:]]

    assert nips(unit=cast.bkd.pk) == []
    assert nips(unit=cast.dinkes.pk) == [cast.pegawai_pegawai.nip]
    assert nips() == [cast.pegawai_pegawai.nip]
