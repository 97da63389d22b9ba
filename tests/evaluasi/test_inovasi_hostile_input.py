"""The innovation gallery's public response against generated hostile input (hypothesis): refused
or saved bounded and shown inert, never a server error."""

import secrets

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from evaluasi.models import ResponWargaAksi
from tests.evaluasi.test_aksi_views import aksi, media, published, tonggak  # noqa: F401
from tests.masyarakat.test_hostile_input import EXAMPLES, hostile_text


@pytest.fixture
def url(cast, aksi, tonggak):  # noqa: F811 - the imported fixtures
    published(cast, aksi, tonggak)
    return reverse("inovasi_detail", args=[aksi.pk])


@EXAMPLES
@given(
    merasakan=st.one_of(st.sampled_from(["ya", "tidak", "", "mungkin"]), st.text(max_size=10)),
    komentar=hostile_text,
)
def test_a_citizens_response_is_refused_or_saved_bounded_never_a_server_error(
    client, url, merasakan, komentar
):
    cache.clear()
    client.cookies.clear()  # each example from a device that has not answered
    before = ResponWargaAksi.objects.count()
    data = {"merasakan": merasakan, "komentar": komentar, "token": secrets.token_urlsafe(16)}
    response = client.post(url, data)
    saved = ResponWargaAksi.objects.count() - before
    if "\x00" in merasakan + komentar:  # refused before any form (pembinaan.middleware)
        assert response.status_code == 400 and saved == 0
        return
    valid = merasakan in ("ya", "tidak") and len(komentar.strip()) <= 200
    assert (response.status_code, saved) == ((302, 1) if valid else (200, 0))
    page = client.get(url).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
