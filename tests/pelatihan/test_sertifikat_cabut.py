"""Revoking a certificate withdraws what the pass counted for (the JP ledger, the 20 JP
compliance, the competencies it recorded, the SIASN riwayat kursus export) and shows on the
pegawai's pages; re-issuing makes a new certificate with a new number and the old one stays
revoked on the public verification page."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pegawai.models import Notifikasi
from pelatihan import reports, services
from pelatihan.models import (
    CatatanJP,
    Kompetensi,
    PelatihanKompetensi,
    PenilaianKompetensi,
    Peserta,
    Sertifikat,
    StandarKompetensi,
)
from pembinaan import services as pembinaan_services
from pembinaan.models import RingkasanUnit


@pytest.fixture
def kompetensi(finished):
    """The training brings M.05 to level 3; the pegawai's jabatan requires 3 and they were
    assessed at 2."""
    k = Kompetensi.objects.get(kode="M.05")
    PelatihanKompetensi.objects.create(pelatihan=finished.angkatan.pelatihan, kompetensi=k, level=3)
    StandarKompetensi.objects.create(jabatan=finished.pegawai.jabatan, kompetensi=k, level=3)
    PenilaianKompetensi.objects.create(
        pegawai=finished.pegawai, kompetensi=k, level=2, tanggal=date(2025, 6, 1),
        sumber="uji_kompetensi",
    )  # fmt: skip
    return k


@pytest.fixture
def passed(finished, kompetensi):
    services.peserta_decide(peserta=finished, lulus=True)
    return Peserta.objects.get(pk=finished.pk)


def year(peserta) -> int:
    return peserta.angkatan.tanggal_selesai.year


def siasn(client, peserta) -> list[dict]:
    response = client.get(reverse("pelatihan:siasn_export"), {"tahun": year(peserta)})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def revoke(cast, peserta, alasan="Peserta digantikan orang lain saat pelatihan"):
    return services.sertifikat_revoke(
        sertifikat=peserta.sertifikat, alasan=alasan, by=cast.pengelola
    )


def test_revoking_takes_the_jp_out_of_the_ledger_and_the_20_jp_compliance(cast, passed):
    pegawai = passed.pegawai
    assert reports.jp_tahun(pegawai, year(passed)) == 24
    before = reports.kepatuhan_jp(pegawai.__class__.objects.filter(pk=pegawai.pk), year(passed))
    assert before.pns_patuh == 1
    revoke(cast, passed)
    assert reports.jp_tahun(pegawai, year(passed)) == 0
    assert not CatatanJP.objects.filter(peserta=passed).exists()
    after = reports.kepatuhan_jp(pegawai.__class__.objects.filter(pk=pegawai.pk), year(passed))
    assert (after.pns, after.pns_patuh) == (1, 0)


def test_the_dashboards_stored_figures_count_without_the_revoked_jp_once_recomputed(cast, passed):
    on = date(year(passed), 12, 1)
    pembinaan_services.ringkasan_simpan(today=on)
    assert RingkasanUnit.objects.get(unit=cast.yankes).pns_patuh == 1
    revoke(cast, passed)
    pembinaan_services.ringkasan_simpan(today=on)
    assert RingkasanUnit.objects.get(unit=cast.yankes).pns_patuh == 0


def test_revoking_leaves_the_course_out_of_the_siasn_export_until_reissued(login, cast, passed):
    client = login(cast.pengelola)
    [row] = siasn(client, passed)
    assert row["nomorSertipikat"] == passed.sertifikat.nomor
    revoke(cast, passed)
    assert siasn(client, passed) == []
    new = services.sertifikat_reissue(peserta=passed, by=cast.pengelola)
    [row] = siasn(client, passed)
    assert row["nomorSertipikat"] == new.nomor and row["jumlahJam"] == "24"


def test_revoking_withdraws_the_competency_the_pass_recorded(cast, passed, kompetensi):
    gap = {g.kompetensi.kode: g for g in reports.kesenjangan_pegawai(passed.pegawai)}["M.05"]
    assert (gap.dinilai, gap.gap) == (3, 0)
    revoke(cast, passed)
    gap = {g.kompetensi.kode: g for g in reports.kesenjangan_pegawai(passed.pegawai)}["M.05"]
    assert (gap.dinilai, gap.gap) == (2, 1)
    assert not PenilaianKompetensi.objects.filter(sumber="pelatihan").exists()


def test_hr_revokes_through_the_confirmation_page_and_the_pegawai_sees_it(
    login, cast, passed, client
):
    url = reverse("pelatihan:sertifikat_revoke", args=[passed.pk])
    hr = login(cast.pengelola)
    page = hr.get(url).content.decode()
    assert passed.sertifikat.nomor in page and "SIASN" in page
    response = hr.post(url, {"alasan": "Peserta digantikan orang lain"})
    assert response.status_code == 302
    certificate = Sertifikat.objects.get(peserta=passed)
    assert certificate.is_revoked and certificate.dicabut_oleh == cast.pengelola
    assert certificate.alasan_cabut == "Peserta digantikan orang lain"
    # The pegawai: told, and their pages say the participation no longer counts.
    assert Notifikasi.objects.filter(penerima=cast.pegawai, judul__startswith="Sertifikat dicabut")
    me = login(cast.pegawai)
    jp_page = me.get(reverse("pelatihan:jp_saya"), {"tahun": year(passed)}).content.decode()
    assert "Lulus, sertifikat dicabut" in jp_page and "Peserta digantikan orang lain" in jp_page
    assert reverse("pelatihan:sertifikat_pdf", args=[passed.pk]) not in jp_page
    batch_page = me.get(passed.angkatan.get_absolute_url()).content.decode()
    assert "Lulus, sertifikat dicabut" in batch_page and "Unduh sertifikat" not in batch_page


def test_a_revocation_without_a_reason_changes_nothing(login, cast, passed):
    url = reverse("pelatihan:sertifikat_revoke", args=[passed.pk])
    page = login(cast.pengelola).post(url, {"alasan": "  "})
    assert page.status_code == 200 and "Tuliskan alasan pencabutan." in page.content.decode()
    assert not Sertifikat.objects.get(peserta=passed).is_revoked
    assert reports.jp_tahun(passed.pegawai, year(passed)) == 24
    with pytest.raises(ValidationError):
        revoke(cast, passed, alasan="")


def test_reissuing_gives_a_new_number_and_the_old_one_stays_revoked(login, cast, passed, client):
    old = passed.sertifikat
    revoke(cast, passed)
    response = login(cast.pengelola).post(reverse("pelatihan:sertifikat_reissue", args=[passed.pk]))
    assert response.status_code == 302
    new = Sertifikat.objects.get(peserta=passed, dicabut_at__isnull=True)
    assert new.nomor != old.nomor and new.kode != old.kode
    assert new.diterbitkan_oleh == cast.pengelola
    assert passed.sertifikat == new
    # What the pass counts for is back.
    assert reports.jp_tahun(passed.pegawai, year(passed)) == 24
    assert PenilaianKompetensi.objects.filter(peserta=passed, level=3).exists()
    client.logout()
    old_page = client.get(reverse("verifikasi", args=[old.kode])).content.decode()
    new_page = client.get(reverse("verifikasi", args=[new.kode])).content.decode()
    assert "Sertifikat dicabut" in old_page and old.nomor in old_page
    assert "Sertifikat sah" in new_page and new.nomor in new_page


def test_a_valid_certificate_is_not_issued_twice(cast, passed):
    with pytest.raises(ValidationError, match="sudah memiliki sertifikat yang berlaku"):
        services.sertifikat_reissue(peserta=passed, by=cast.pengelola)
    assert Sertifikat.objects.filter(peserta=passed).count() == 1


def test_a_failed_participant_gets_no_certificate_again(cast, passed):
    services.peserta_decide(peserta=passed, lulus=False)
    with pytest.raises(ValidationError, match="tidak lulus"):
        services.sertifikat_reissue(peserta=passed, by=cast.pengelola)
    assert not Sertifikat.objects.filter(peserta=passed, dicabut_at__isnull=True).exists()


def test_saving_the_same_pass_again_does_not_undo_a_revocation(cast, passed):
    revoke(cast, passed)
    services.peserta_scores_save(
        peserta=passed, nilai_pre=None, nilai_post=90, lulus=True, by=cast.pengelola
    )
    assert not Sertifikat.objects.filter(peserta=passed, dicabut_at__isnull=True).exists()
    assert reports.jp_tahun(passed.pegawai, year(passed)) == 0
