"""Who may call the API, how often, and how it says no: tokens (Bearer or Token), revoked ones
refused, the rate limit per token, one JSON shape for every error; the schema validates and its
page loads nothing from elsewhere."""

from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from pembinaan import services
from pembinaan.models import KlienApi

from .api_helpers import ApiClient, galat, token_for


def test_a_call_without_a_token_is_401_in_the_error_shape(cast):
    response = Client().get(reverse("api:pegawai_list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    error = galat(response)
    assert error["kode"] == "tanpa_token"
    assert "Authorization: Bearer" in error["pesan"]


def test_a_signed_in_session_is_no_token(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("api:pegawai_list")).status_code == 401


def test_an_unknown_token_is_401(cast):
    response = ApiClient("sibina_bukan-token-yang-diterbitkan").get(reverse("api:pegawai_list"))
    assert response.status_code == 401
    assert galat(response) == {
        "kode": "token_ditolak",
        "pesan": "Token tidak dikenal.",
        "rincian": {},
    }


def test_a_token_works_with_either_keyword(cast):
    token = token_for(cast.admin, cast.dinkes)
    for keyword in ["Bearer", "Token", "bearer"]:
        assert ApiClient(token, keyword).get(reverse("api:pegawai_list")).status_code == 200


def test_a_revoked_token_is_refused_from_the_next_call(cast):
    token = token_for(cast.admin, cast.dinkes)
    api = ApiClient(token)
    assert api.get(reverse("api:pegawai_list")).status_code == 200
    services.klien_api_revoke(klien=KlienApi.objects.get(), by=cast.admin)
    response = api.get(reverse("api:pegawai_list"))
    assert response.status_code == 401
    assert "dicabut" in galat(response)["pesan"]


def test_the_last_use_is_written_at_most_once_a_minute(cast):
    api = ApiClient(token_for(cast.admin, cast.dinkes))
    api.get(reverse("api:unit_kerja_list"))
    first = KlienApi.objects.get().terakhir_dipakai_at
    assert first is not None
    api.get(reverse("api:unit_kerja_list"))
    assert KlienApi.objects.get().terakhir_dipakai_at == first
    KlienApi.objects.update(terakhir_dipakai_at=timezone.now() - timedelta(minutes=2))
    api.get(reverse("api:unit_kerja_list"))
    assert KlienApi.objects.get().terakhir_dipakai_at > first


def test_calls_beyond_the_rate_are_429_with_the_wait(cast, settings):
    settings.API_RATE = "3/minute"
    api = ApiClient(token_for(cast.admin, cast.dinkes))
    other = ApiClient(token_for(cast.admin, cast.dinkes, nama="Sistem lain"))
    statuses = [api.get(reverse("api:unit_kerja_list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(reverse("api:unit_kerja_list"))
    error = galat(response)
    assert error["kode"] == "terlalu_banyak_permintaan"
    # What is left of the minute (test_the_wait_of_a_429_is_what_is_left_of_the_window).
    assert 50 <= error["rincian"]["coba_lagi_dalam_detik"] <= 60
    assert response["Retry-After"] == str(error["rincian"]["coba_lagi_dalam_detik"])
    # The limit is the token's own: another client is not slowed by this one.
    assert other.get(reverse("api:unit_kerja_list")).status_code == 200


def test_the_wait_of_a_429_is_what_is_left_of_the_window(cast, settings, time_machine):
    # The counts in a cache that expires them by the moved clock: Redis (under CI) expires keys
    # by its own clock, which time_machine does not move.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.API_RATE = "2/minute"
    time_machine.move_to("2026-05-04 09:00:00+07:00", tick=False)
    api = ApiClient(token_for(cast.admin, cast.dinkes))
    api.get(reverse("api:unit_kerja_list"))
    time_machine.shift(25)
    api.get(reverse("api:unit_kerja_list"))
    response = api.get(reverse("api:unit_kerja_list"))
    assert response.status_code == 429
    assert response["Retry-After"] == "35"
    assert galat(response)["rincian"] == {"coba_lagi_dalam_detik": 35}
    time_machine.shift(35)
    assert api.get(reverse("api:unit_kerja_list")).status_code == 200


def test_a_wrong_method_is_405_in_the_error_shape(cast):
    api = ApiClient(token_for(cast.admin, cast.dinkes))
    response = api.post(reverse("api:pegawai_list"), {})
    assert response.status_code == 405
    assert galat(response) == {
        "kode": "metode_tidak_diizinkan", "pesan": "Metode ini tidak didukung di sini.",
        "rincian": {"metode": "POST"},
    }  # fmt: skip


def test_an_unknown_path_under_the_api_is_a_json_404(cast):
    response = Client().get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert galat(response)["kode"] == "tidak_ditemukan"


def test_a_fault_of_ours_is_a_json_500_and_is_logged(cast, monkeypatch, caplog):
    from pelatihan import reports

    def broken(*args, **kwargs):
        raise RuntimeError("rusak")

    monkeypatch.setattr(reports, "kepatuhan_jp", broken)
    api = ApiClient(token_for(cast.admin, cast.dinkes))
    response = api.get(reverse("api:jp_kepatuhan"))
    assert response.status_code == 500
    assert galat(response)["kode"] == "galat_server"
    assert "rusak" in caplog.text


def test_api_answers_are_kept_by_no_cache(cast):
    response = ApiClient(token_for(cast.admin, cast.dinkes)).get(reverse("api:unit_kerja_list"))
    assert "no-store" in response["Cache-Control"]


# --- The schema and its page --------------------------------------------------------------


def test_the_schema_validates_against_openapi_3(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    validate(schema)
    assert "/api/v1/pegawai/{nip}/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["tokenKlien"]["scheme"] == "bearer"


def test_the_schema_and_its_page_are_public(db):
    assert Client().get(reverse("api:schema")).status_code == 200
    page = Client().get(reverse("api:docs"))
    assert page.status_code == 200


@pytest.mark.parametrize("attr", ["src", "href"])
def test_the_docs_page_loads_nothing_from_elsewhere(db, attr):
    import re

    html = Client().get(reverse("api:docs")).content.decode()
    urls = re.findall(rf'{attr}="([^"]+)"', html)
    assert urls, html
    assert all(u.startswith("/") for u in urls), urls
    assert "<script>" not in html  # no inline script: the CSP refuses it
    script = Client().get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
