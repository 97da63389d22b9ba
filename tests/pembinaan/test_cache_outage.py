"""With the cache (Redis) unreachable every page still answers: what is cached is computed,
rate limits are not enforced, nothing is a 500."""

import pytest
from django.urls import reverse

from masyarakat.models import Masukan, UnitLayanan


@pytest.fixture
def unreachable_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }


def test_the_administrators_dashboard_is_computed(login, cast, unreachable_cache):
    page = login(cast.admin).get(reverse("beranda"))
    assert page.status_code == 200 and "manager" in page.context


def test_a_citizen_sends_feedback(client, cast, unreachable_cache):
    layanan = UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")
    assert client.get(reverse("masukan_create")).status_code == 200
    sent = client.post(
        reverse("masukan_create"),
        {"unit_layanan": layanan.pk, "kategori": "saran", "isi": "Mohon antrean dipercepat."},
    )
    assert sent.status_code == 200 and Masukan.objects.count() == 1


def test_a_wrong_password_is_refused_with_the_usual_message(client, cast, unreachable_cache):
    page = client.post(reverse("login"), {"username": "atasan", "password": "salah-sekali"})
    assert page.status_code == 200 and "kata sandi salah" in page.content.decode()
