"""With the cache (Redis) unreachable every page still answers: what is cached is computed,
rate limits are not enforced, nothing is a 500."""

from django.urls import reverse

from masyarakat.models import Masukan, UnitLayanan
from pegawai.models import Pegawai, User


def test_the_administrators_dashboard_is_computed(login, cast, unreachable_cache):
    page = login(cast.admin).get(reverse("beranda"))
    assert page.status_code == 200 and "manager" in page.context


def test_a_citizen_sends_feedback(client, cast, unreachable_cache):
    layanan = UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")
    assert client.get(reverse("masyarakat:masukan_create")).status_code == 200
    sent = client.post(
        reverse("masyarakat:masukan_create"),
        {"unit_layanan": layanan.pk, "kategori": "saran", "isi": "Mohon antrean dipercepat."},
    )
    assert sent.status_code == 302 and Masukan.objects.count() == 1
    assert Masukan.objects.get().kode in client.get(sent.url).content.decode()


def test_a_wrong_password_is_refused_with_the_usual_message(client, cast, unreachable_cache):
    page = client.post(reverse("login"), {"username": "atasan", "password": "salah-sekali"})
    assert page.status_code == 200 and "kata sandi salah" in page.content.decode()


def test_pages_work_without_a_reachable_cache(login, cast, unreachable_cache):
    client = login(cast.atasan)
    response = client.get(reverse("pegawai:list"))
    assert response.status_code == 200
    assert cast.pegawai_pegawai.nama in response.content.decode()
    assert User.objects.get(pk=cast.atasan.pk).is_atasan and Pegawai.objects.exists()


def test_signing_in_and_out_works_without_a_reachable_cache(client, cast, unreachable_cache):
    from django.contrib.sessions.models import Session

    login_page = client.post(
        reverse("login"), {"username": "atasan", "password": "rahasia-123"}, follow=True
    )
    assert login_page.status_code == 200 and Session.objects.count() == 1
    assert client.get(reverse("pegawai:list")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.exists()
    assert client.get(reverse("pegawai:list")).status_code == 302  # to the login page


def test_the_login_lockout_holds_without_a_reachable_cache(client, cast, unreachable_cache):
    for _ in range(5):
        client.post(reverse("login"), {"username": "atasan", "password": "salah-sekali"})
    locked = client.post(reverse("login"), {"username": "atasan", "password": "rahasia-123"})
    assert locked.status_code == 429 and "dikunci sementara" in locked.content.decode()
