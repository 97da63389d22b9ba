"""Whatever a client sends that Django or DRF refuses before a view runs (a body too big, too
many fields, a NUL, broken JSON) is answered in the API's JSON error shape, in Indonesian."""

import json

import pytest
from django.urls import reverse

from tests import factories

from .api_helpers import ApiClient, galat, token_for


@pytest.fixture
def tulis(cast):
    return ApiClient(token_for(cast.admin, cast.dinkes, cakupan="tulis"))


def test_a_json_body_over_the_upload_limit_is_413(cast, tulis, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    angkatan = factories.angkatan(kuota=5)
    body = json.dumps({"nip": ["196608011988031001"] * 60_000})
    response = tulis.post(
        reverse("api:nominasi_create", args=[angkatan.pk]), body, content_type="application/json"
    )
    assert response.status_code == 413
    assert galat(response) == {
        "kode": "isi_terlalu_besar",
        "pesan": "Isi permintaan melebihi batas 1 MB (di luar berkas unggahan).",
        "rincian": {},
    }


def test_a_multipart_field_over_the_limit_is_413_in_json(cast, tulis, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = tulis.post(reverse("api:kegiatan_create"), {"nama": "x" * 1_200_000})
    assert response.status_code == 413 and galat(response)["kode"] == "isi_terlalu_besar"


def test_too_many_multipart_fields_are_400_in_json(cast, tulis, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = tulis.post(reverse("api:kegiatan_create"), {f"f{i}": "1" for i in range(20)})
    assert response.status_code == 400
    assert galat(response)["pesan"] == "Permintaan memuat lebih dari 10 bidang."


def test_multipart_without_a_boundary_is_400_in_json(cast, tulis):
    response = tulis.post(
        reverse("api:kegiatan_create"), b"abc", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert galat(response)["kode"] == "permintaan_rusak"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/pegawai/", {"nip": "\x00"}),
        ("/api/v1/pegawai/", {"kursor": "\x00"}),
        ("/api/v1/pegawai/%00/", {}),
    ],
)
def test_a_nul_under_the_api_is_a_json_400(cast, tulis, path, params):
    response = tulis.get(path, params)
    assert response.status_code == 400
    assert galat(response) == {
        "kode": "permintaan_rusak",
        "pesan": "Permintaan memuat karakter NUL; hapus karakter itu.",
        "rincian": {},
    }


def test_a_nul_on_a_page_is_still_the_sites_html_400(client, cast):
    response = client.get("/", {"q": "\x00"})
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()


# --- Indonesian throughout ----------------------------------------------------------------


def test_broken_json_is_explained_in_indonesian(cast, tulis):
    angkatan = factories.angkatan(kuota=5)
    url = reverse("api:nominasi_create", args=[angkatan.pk])
    response = tulis.post(url, "{nip:", content_type="application/json")
    assert response.status_code == 400
    assert galat(response)["pesan"] == (
        "Isi permintaan bukan JSON yang sah; periksa tanda kutip, koma dan kurungnya."
    )


@pytest.mark.parametrize("name", ["nominasi_create", "kegiatan_create"])
@pytest.mark.parametrize("body", ["[1]", '"196608011988031001"', "7"])
def test_a_json_body_that_is_no_object_is_refused_in_indonesian(cast, tulis, name, body):
    args = [factories.angkatan(kuota=5).pk] if name == "nominasi_create" else []
    response = tulis.post(reverse(f"api:{name}", args=args), body, content_type="application/json")
    assert response.status_code == 400
    assert galat(response)["rincian"]["bidang"]["non_field_errors"] == [
        'Isi permintaan harus berupa objek JSON, mis. {"nip": …}, bukan daftar atau nilai.'
    ]


@pytest.mark.parametrize(("path", "fmt"), [("/api/v1/pegawai/", "api"), ("/api/schema/", "xml")])
def test_an_unknown_format_is_said_to_be_unavailable(cast, tulis, path, fmt):
    response = tulis.get(path, {"format": fmt})
    assert response.status_code == 404
    assert f"Format \u201c{fmt}\u201d tidak tersedia" in response.content.decode()
    assert "cakupan token" not in response.content.decode()


def test_a_period_number_for_a_whole_year_is_explained(cast, tulis):
    response = tulis.get(reverse("api:ikm_list"), {"jenis": "tahun", "ke": "2"})
    assert response.status_code == 400
    assert galat(response)["rincian"]["bidang"]["ke"] == [
        "Periode tahun hanya satu; kosongkan ke (ke dipakai untuk triwulan dan semester)."
    ]
    assert tulis.get(reverse("api:ikm_list"), {"jenis": "tahun", "ke": "1"}).status_code == 200
