from django.urls import reverse

from pegawai.models import Pegawai


def url(name, pegawai):
    return reverse(f"pegawai:{name}", args=[pegawai.pk])


def test_deactivating_keeps_the_row_and_closes_the_login(login, cast):
    pegawai = cast.pegawai_pegawai
    response = login(cast.pengelola).post(
        url("deactivate", pegawai), {"alasan": "pensiun", "tanggal": "2026-11-30"}
    )
    assert response.status_code == 302
    pegawai.refresh_from_db()
    cast.pegawai.refresh_from_db()
    assert not pegawai.aktif and pegawai.alasan_nonaktif == "pensiun"
    assert pegawai.tanggal_nonaktif.isoformat() == "2026-11-30"
    assert not cast.pegawai.is_active
    assert Pegawai.objects.filter(pk=pegawai.pk).exists()


def test_an_unknown_reason_changes_nothing(login, cast):
    login(cast.pengelola).post(url("deactivate", cast.pegawai_pegawai), {"alasan": "bosan"})
    cast.pegawai_pegawai.refresh_from_db()
    assert cast.pegawai_pegawai.aktif


def test_activating_again_reopens_the_login(login, cast):
    client = login(cast.pengelola)
    client.post(
        url("deactivate", cast.pegawai_pegawai), {"alasan": "pindah", "tanggal": "2026-11-30"}
    )
    client.post(url("activate", cast.pegawai_pegawai))
    cast.pegawai_pegawai.refresh_from_db()
    cast.pegawai.refresh_from_db()
    assert cast.pegawai_pegawai.aktif and cast.pegawai.is_active
    assert cast.pegawai_pegawai.alasan_nonaktif == ""


def test_get_is_not_allowed(login, cast):
    assert login(cast.pengelola).get(url("deactivate", cast.pegawai_pegawai)).status_code == 405
    assert login(cast.pengelola).get(url("activate", cast.pegawai_pegawai)).status_code == 405


def test_the_atasan_may_not_deactivate(login, cast):
    response = login(cast.atasan).post(
        url("deactivate", cast.pegawai_pegawai), {"alasan": "pensiun"}
    )
    assert response.status_code == 403


def test_an_outsider_gets_404(login, cast):
    response = login(cast.outsider).post(
        url("deactivate", cast.pegawai_pegawai), {"alasan": "pensiun"}
    )
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    assert client.post(url("deactivate", cast.pegawai_pegawai)).status_code == 302
