"""The API's writes: an external activity with its evidence, and nominations by NIP. Both need
a token with write scope and a pegawai inside its units, validate as the pages validate, and
leave nothing behind when refused."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pelatihan.models import KegiatanEksternal, Peserta
from tests import factories
from tests.files import pdf_bytes

from .api_helpers import ApiClient, galat, token_for


@pytest.fixture
def tulis(cast):
    """A client of Dinas Kesehatan that may write."""
    return ApiClient(token_for(cast.admin, cast.dinkes, cakupan="tulis"))


def evidence(content: bytes | None = None, name: str = "sertifikat.pdf"):
    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


def kegiatan(nip: str, **overrides) -> dict:
    return {
        "nip": nip, "nama": "Coaching penyusunan SKP", "jenis": 14, "penyelenggara": "BKD",
        "tanggal_mulai": "2026-05-04", "tanggal_selesai": "2026-05-04", "jumlah": "2",
        "file": evidence(),
    } | overrides  # fmt: skip


def test_an_external_activity_is_recorded_waiting_for_its_verifier(cast, tulis):
    response = tulis.post(reverse("api:kegiatan_create"), kegiatan(cast.pegawai_pegawai.nip))
    assert response.status_code == 201, response.content
    body = response.json()
    saved = KegiatanEksternal.objects.get()
    assert body["id"] == saved.pk and body["status"] == "diajukan"
    assert saved.pegawai == cast.pegawai_pegawai and saved.file and saved.berkas_sha256
    # Coaching is non-classical and the pegawai's atasan has a login: the atasan verifies.
    assert body["verifikator"] == "atasan_langsung"
    assert saved.jp == body["jp"] and saved.jp > 0  # worked out by the form's rule
    record = saved.history.get()
    assert record.history_user is None
    assert record.history_change_reason == "Dicatat lewat API oleh Sistem uji"


def test_the_same_evidence_twice_is_refused_as_on_the_page(cast, tulis):
    content = pdf_bytes()
    first = kegiatan(cast.pegawai_pegawai.nip, file=evidence(content))
    assert tulis.post(reverse("api:kegiatan_create"), first).status_code == 201
    again = kegiatan(cast.atasan_pegawai.nip, file=evidence(content, "lagi.pdf"))
    response = tulis.post(reverse("api:kegiatan_create"), again)
    assert response.status_code == 400
    error = galat(response)
    assert error["kode"] == "data_tidak_valid"
    assert "file" in error["rincian"]["bidang"]
    assert KegiatanEksternal.objects.count() == 1


def test_invalid_fields_are_named_in_indonesian_and_nothing_is_saved(cast, tulis):
    data = kegiatan(cast.pegawai_pegawai.nip, tanggal_mulai="kemarin", nama="")
    del data["file"]
    response = tulis.post(reverse("api:kegiatan_create"), data)
    assert response.status_code == 400
    fields = galat(response)["rincian"]["bidang"]
    assert fields["nama"] == ["Bidang ini harus diisi."]
    assert fields["file"] == ["Bidang ini harus diisi."]
    assert fields["tanggal_mulai"] == ["Masukkan tanggal yang valid."]
    assert KegiatanEksternal.objects.count() == 0


def test_a_quantity_beyond_what_the_form_accepts_is_refused(cast, tulis):
    # More sessions than any one activity may count (KegiatanEksternal.jumlah's bound).
    data = kegiatan(cast.pegawai_pegawai.nip, jumlah="10001")
    response = tulis.post(reverse("api:kegiatan_create"), data)
    assert response.status_code == 400
    assert "jumlah" in galat(response)["rincian"]["bidang"]
    assert KegiatanEksternal.objects.count() == 0


def test_an_activity_of_another_opds_pegawai_is_not_found(cast, tulis):
    response = tulis.post(reverse("api:kegiatan_create"), kegiatan(cast.outsider_pegawai.nip))
    assert response.status_code == 404
    assert galat(response)["pesan"] == "NIP tidak ditemukan di unit kerja token ini."
    assert KegiatanEksternal.objects.count() == 0


def test_a_read_token_cannot_write(cast):
    baca = ApiClient(token_for(cast.admin, cast.dinkes, cakupan="baca"))
    response = baca.post(reverse("api:kegiatan_create"), kegiatan(cast.pegawai_pegawai.nip))
    assert response.status_code == 403
    assert galat(response)["kode"] == "ditolak"
    assert "hanya untuk membaca" in galat(response)["pesan"]
    angkatan = factories.angkatan(kuota=5)
    response = baca.post_json(
        reverse("api:nominasi_create", args=[angkatan.pk]), {"nip": [cast.pegawai_pegawai.nip]}
    )
    assert response.status_code == 403
    assert KegiatanEksternal.objects.count() == 0 and Peserta.objects.count() == 0


# --- Nominations --------------------------------------------------------------------------


def test_participants_are_registered_by_nip_each_with_its_result(cast, tulis):
    angkatan = factories.angkatan(kuota=1)
    nip = cast.pegawai_pegawai.nip
    grouped = f"{cast.atasan_pegawai.nip[:8]} {cast.atasan_pegawai.nip[8:]}"
    response = tulis.post_json(
        reverse("api:nominasi_create", args=[angkatan.pk]),
        {"nip": [nip, grouped, cast.outsider_pegawai.nip, "199001012015011999"]},
    )
    assert response.status_code == 200, response.content
    assert response.json() == [
        {"nip": nip, "hasil": "terdaftar", "alasan": ""},
        {"nip": cast.atasan_pegawai.nip, "hasil": "daftar_tunggu",
         "alasan": "Kuota penuh; masuk daftar tunggu."},
        {"nip": cast.outsider_pegawai.nip, "hasil": "ditolak",
         "alasan": "NIP tidak ditemukan di unit kerja token ini."},
        {"nip": "199001012015011999", "hasil": "ditolak",
         "alasan": "NIP tidak ditemukan di unit kerja token ini."},
    ]  # fmt: skip
    assert set(angkatan.peserta.values_list("pegawai__nip", "status")) == {
        (nip, "terdaftar"), (cast.atasan_pegawai.nip, "daftar_tunggu")
    }  # fmt: skip


def test_a_nomination_through_the_api_names_its_client_in_the_audit_log(cast, tulis):
    angkatan = factories.angkatan(kuota=1)
    tulis.post_json(
        reverse("api:nominasi_create", args=[angkatan.pk]),
        {"nip": [cast.pegawai_pegawai.nip, cast.atasan_pegawai.nip]},
    )
    records = Peserta.history.filter(angkatan=angkatan)
    assert records.count() == 2
    assert {r.history_change_reason for r in records} == {"Dicatat lewat API oleh Sistem uji"}
    page = Client()
    page.force_login(cast.admin)
    entries = page.get(reverse("pembinaan:audit_list")).context["page"].entries
    assert "Dicatat lewat API oleh Sistem uji" in {e.alasan for e in entries}


def test_a_token_for_unit_a_cannot_register_unit_bs_pegawai_in_bs_batch(cast):
    bkd_batch = factories.angkatan(
        factories.pelatihan("Manajemen Arsip", unit_penyelenggara=cast.bkd), kuota=5
    )
    tulis = ApiClient(token_for(cast.admin, cast.dinkes, cakupan="tulis"))
    response = tulis.post_json(
        reverse("api:nominasi_create", args=[bkd_batch.pk]), {"nip": [cast.outsider_pegawai.nip]}
    )
    assert response.json()[0]["hasil"] == "ditolak"
    assert Peserta.objects.count() == 0


def test_a_service_refusal_is_the_nips_reason(cast, tulis):
    angkatan = factories.angkatan(kuota=5, status="selesai")
    response = tulis.post_json(
        reverse("api:nominasi_create", args=[angkatan.pk]), {"nip": [cast.pegawai_pegawai.nip]}
    )
    row = response.json()[0]
    assert row["hasil"] == "ditolak" and "pendaftaran tidak dapat dilakukan" in row["alasan"]
    assert Peserta.objects.count() == 0


@pytest.mark.parametrize(
    "body,field_message",
    [
        ({}, "Wajib diisi."),
        ({"nip": []}, "Daftar NIP kosong."),
        ({"nip": "19700101"}, 'Kirim daftar NIP: {"nip": ["196608011988031001", …]}.'),
    ],
)
def test_a_malformed_nomination_is_a_validation_error(cast, tulis, body, field_message):
    angkatan = factories.angkatan(kuota=5)
    response = tulis.post_json(reverse("api:nominasi_create", args=[angkatan.pk]), body)
    assert response.status_code == 400
    assert galat(response)["rincian"]["bidang"]["nip"] == [field_message]
    assert Peserta.objects.count() == 0


def test_an_unknown_batch_is_not_found(cast, tulis):
    response = tulis.post_json(reverse("api:nominasi_create", args=[999999]), {"nip": ["1"]})
    assert response.status_code == 404 and galat(response)["kode"] == "tidak_ditemukan"


def test_broken_json_is_a_bad_request(cast, tulis):
    angkatan = factories.angkatan(kuota=5)
    response = tulis.post(
        reverse("api:nominasi_create", args=[angkatan.pk]), "{nip:", content_type="application/json"
    )
    assert response.status_code == 400 and galat(response)["kode"] == "permintaan_rusak"


def test_the_activity_date_cannot_be_in_the_future(cast, tulis):
    tomorrow = date.today().replace(year=date.today().year + 1).isoformat()
    data = kegiatan(cast.pegawai_pegawai.nip, tanggal_mulai=tomorrow, tanggal_selesai=tomorrow)
    response = tulis.post(reverse("api:kegiatan_create"), data)
    assert response.status_code == 400
    assert KegiatanEksternal.objects.count() == 0
