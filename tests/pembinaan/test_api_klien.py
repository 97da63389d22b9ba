"""The administrators' pages for API clients: a token is shown once, kept only as its SHA-256,
revoked by a POST; issuing and revoking are in the audit log, for administrators alone."""

import hashlib

import pytest
from django.urls import reverse

from pembinaan import audit
from pembinaan.models import KlienApi

from .api_helpers import ApiClient


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def issue(client, cast, cakupan="tulis"):
    return client.post(
        reverse("pembinaan:klien_api_create"),
        {"nama": "SIMPEG Dinkes", "units": [cast.dinkes.pk], "cakupan": cakupan},
    )


def test_a_token_is_shown_once_and_kept_only_as_its_hash(admin_client, cast):
    response = issue(admin_client, cast)
    assert response.status_code == 302
    assert response["Location"] == reverse("pembinaan:klien_api_token")
    response = admin_client.get(response["Location"])
    assert response.status_code == 200
    token = response.context["token"]
    assert token.startswith("sibina_") and len(token) > 40
    assert token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    klien = KlienApi.objects.get()
    assert klien.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(KlienApi.objects.values()))
    assert token not in str(list(KlienApi.history.values()))
    assert (klien.dibuat_oleh, klien.cakupan, list(klien.units.all())) == (
        cast.admin, "tulis", [cast.dinkes]
    )  # fmt: skip
    # The list shows its first characters only, never the token again.
    listing = admin_client.get(reverse("pembinaan:klien_api_list")).content.decode()
    assert klien.awalan in listing and token not in listing
    # And it works.
    assert ApiClient(token).get(reverse("api:pegawai_list")).status_code == 200


def test_reloading_the_token_page_shows_no_token_and_issues_no_other(admin_client, cast):
    shown = admin_client.get(issue(admin_client, cast)["Location"])
    token = shown.context["token"]
    again = admin_client.get(reverse("pembinaan:klien_api_token"))
    assert again.status_code == 200 and again.context["token"] is None
    text = again.content.decode()
    assert token not in text and "Token hanya ditampilkan sekali" in text
    assert KlienApi.objects.count() == 1


def test_a_form_without_units_issues_nothing(admin_client, cast):
    response = admin_client.post(
        reverse("pembinaan:klien_api_create"), {"nama": "Tanpa unit", "cakupan": "baca"}
    )
    assert response.status_code == 200
    assert "Pilih paling sedikit satu unit kerja." in response.content.decode()
    assert KlienApi.objects.count() == 0


def test_revoking_stops_the_token_and_records_who(admin_client, cast):
    token = admin_client.get(issue(admin_client, cast)["Location"]).context["token"]
    klien = KlienApi.objects.get()
    response = admin_client.post(reverse("pembinaan:klien_api_revoke", args=[klien.pk]))
    assert response.status_code == 302
    klien.refresh_from_db()
    assert klien.dicabut_at is not None and klien.dicabut_oleh == cast.admin
    assert ApiClient(token).get(reverse("api:pegawai_list")).status_code == 401
    # A second revocation changes nothing.
    admin_client.post(reverse("pembinaan:klien_api_revoke", args=[klien.pk]))
    assert KlienApi.objects.get().dicabut_at == klien.dicabut_at


def test_hr_cannot_issue_or_revoke(client, cast, admin_client):
    issue(admin_client, cast)
    klien = KlienApi.objects.get()
    client.force_login(cast.pengelola)
    assert issue(client, cast).status_code == 403
    assert client.post(reverse("pembinaan:klien_api_revoke", args=[klien.pk])).status_code == 403
    assert KlienApi.objects.count() == 1 and KlienApi.objects.get().dicabut_at is None


def test_issuing_and_revoking_are_in_the_audit_log_for_administrators(admin_client, cast):
    issue(admin_client, cast)
    klien = KlienApi.objects.get()
    admin_client.post(reverse("pembinaan:klien_api_revoke", args=[klien.pk]))
    page = admin_client.get(reverse("pembinaan:audit_list"), {"jenis": "klien_api"})
    text = page.content.decode()
    assert "Token klien API" in text and "SIMPEG Dinkes" in text
    assert [r.history_type for r in KlienApi.history.order_by("history_date")] == ["+", "~"]
    assert {r.history_user for r in KlienApi.history.all()} == {cast.admin}
    assert "klien_api" in audit.jenis_terbaca(cast.admin)
    assert "klien_api" not in audit.jenis_terbaca(cast.pengelola)


def test_the_issued_entry_of_the_audit_log_names_the_tokens_units(admin_client, cast):
    admin_client.post(
        reverse("pembinaan:klien_api_create"),
        {"nama": "Gudang data", "units": [cast.dinkes.pk, cast.bkd.pk], "cakupan": "baca"},
    )
    page = admin_client.get(reverse("pembinaan:audit_list"), {"jenis": "klien_api"})
    (entry,) = page.context["page"].entries
    units = "; ".join(sorted([cast.dinkes.nama, cast.bkd.nama]))
    assert ("unit kerja", "–", units) in {(c.field, c.old, c.new) for c in entry.perubahan}


def test_revoking_asks_first_and_the_question_revokes_nothing(admin_client, cast):
    issue(admin_client, cast)
    klien = KlienApi.objects.get()
    url = reverse("pembinaan:klien_api_revoke", args=[klien.pk])
    listing = admin_client.get(reverse("pembinaan:klien_api_list")).content.decode()
    assert f'href="{url}"' in listing
    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cabut token SIMPEG Dinkes?" in text
    assert "Sistem yang memakainya berhenti bisa memanggil API" in text
    klien.refresh_from_db()
    assert klien.dicabut_at is None
    assert admin_client.post(url).status_code == 302
    klien.refresh_from_db()
    assert klien.dicabut_at is not None
