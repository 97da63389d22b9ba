"""Signed-in pages and downloads are kept by no browser cache or proxy; public pages are left
alone (pembinaan.middleware.private_no_store)."""

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from pelatihan import services as pelatihan_services
from pembinaan.middleware import private_no_store


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_signed_in_pages_and_downloads_are_private_and_not_stored(login, cast, finished):
    pelatihan_services.peserta_decide(peserta=finished, lulus=True)
    client = login(cast.pengelola)
    pages = [
        reverse("pegawai:list"),
        reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk]),
        reverse("pegawai:export_csv"),
        reverse("pegawai:export_xlsx"),
        reverse("pelatihan:sertifikat_pdf", args=[finished.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= directives(response), url
    assert client.get(pages[-1])["Content-Type"] == "application/pdf"


def test_a_public_page_is_not_forced_to_no_store(client, db):
    response = client.get(reverse("masyarakat:warga"))
    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_a_view_that_made_its_response_public_keeps_it(cast):
    request = RequestFactory().get("/")
    request.user = cast.pengelola

    def public_view(request):
        response = HttpResponse("Sama untuk semua")
        response["Cache-Control"] = "public, max-age=600"
        return response

    assert directives(private_no_store(public_view)(request)) == {"public", "max-age=600"}
    plain = private_no_store(lambda request: HttpResponse("Milik Anda"))(request)
    assert {"private", "no-store"} <= directives(plain)
