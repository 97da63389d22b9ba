from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error


def test_a_missing_page_explains_itself_in_indonesian(login, cast):
    response = login(cast.pegawai).get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_a_forbidden_page_says_why(login, cast):
    response = login(cast.atasan).get(reverse("pegawai:update", args=[cast.pegawai_pegawai.pk]))
    assert response.status_code == 403
    assert "Hanya pengelola unit pegawai ini" in response.content.decode()
    assert "hubungi pengelola kepegawaian unit Anda" in response.content.decode()


def test_a_refused_unit_hr_is_not_told_to_ask_the_unit_hr(login, cast):
    """Whom the 403 page names: the province's HR for a unit's HR, the administrator for the
    province's HR."""
    refused = login(cast.pengelola).get(reverse("akun:list")).content.decode()
    assert "hubungi pengelola kepegawaian provinsi (BKD/BPSDM)" in refused
    assert "pengelola kepegawaian unit Anda" not in refused


def test_the_500_page_needs_nothing_from_the_database(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "terjadi kesalahan" in response.content.decode()


def test_a_missing_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.pengelola)
    response = client.post(reverse("pegawai:deactivate", args=[cast.pegawai_pegawai.pk]))
    assert response.status_code == 403


def test_a_form_sent_from_an_expired_page_gets_an_indonesian_page_with_a_reload(cast, settings):
    settings.DEBUG = False
    citizen = Client(enforce_csrf_checks=True)
    url = reverse("masyarakat:masukan_create")
    response = citizen.post(url, {"isi": "Antrean lama"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "sudah kedaluwarsa" in html and f'href="{url}">Muat ulang</a>' in html
    assert 'href="/warga/">Ke layanan warga' in html and "DEBUG" not in html
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(cast.pengelola)
    html = staff.post(reverse("pegawai:deactivate", args=[cast.pegawai_pegawai.pk])).content
    assert f'href="{reverse("beranda")}">Ke beranda'.encode() in html
