"""The atasan's recommendation on a scholarship application: only the applicant's direct atasan
gives it, once, before the province decides; the applicant and HR read it on the program's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pelatihan.models import PendaftaranBeasiswa, PerguruanTinggi, ProgramBeasiswa
from tests import factories


@pytest.fixture
def pendaftaran(cast_lengkap):
    today = timezone.localdate()
    program = ProgramBeasiswa.objects.create(
        nama="S2 Kesmas",
        perguruan_tinggi=PerguruanTinggi.objects.create(nama="Unja", kota="Jambi"),
        jenjang="s2", program_studi="Kesmas", jenis="tugas_belajar", kuota=2,
        pendaftaran_mulai=today - timedelta(days=5), pendaftaran_selesai=today + timedelta(days=9),
        lama_studi_bulan=24,
    )  # fmt: skip
    return PendaftaranBeasiswa.objects.create(
        program=program, pegawai=cast_lengkap.pegawai_pegawai, status="memenuhi_syarat",
        predikat_tahun_lalu="baik", predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True,
        dokumen="b.pdf",
    )  # fmt: skip


def url(pendaftaran) -> str:
    return reverse("pelatihan:pendaftaran_rekomendasi", args=[pendaftaran.pk])


def unchanged(pendaftaran) -> bool:
    pendaftaran.refresh_from_db()
    return pendaftaran.rekomendasi is None and pendaftaran.rekomendasi_at is None


def test_the_atasan_recommends_on_the_program_page(client, cast_lengkap, pendaftaran):
    c = cast_lengkap
    client.force_login(c.atasan)
    page = client.get(pendaftaran.program.get_absolute_url()).content.decode()
    assert "Pendaftaran bawahan Anda" in page and url(pendaftaran) in page
    response = client.post(url(pendaftaran), {"rekomendasi": "ya", "catatan": "Kinerja baik"})
    assert response.status_code == 302
    assert response["Location"] == pendaftaran.get_absolute_url()
    pendaftaran.refresh_from_db()
    assert pendaftaran.rekomendasi is True
    assert pendaftaran.rekomendasi_catatan == "Kinerja baik"
    assert pendaftaran.rekomendasi_oleh == c.atasan and pendaftaran.rekomendasi_at is not None
    # Given once: a second word changes nothing.
    client.post(url(pendaftaran), {"rekomendasi": "tidak", "catatan": "Berubah pikiran"})
    pendaftaran.refresh_from_db()
    assert pendaftaran.rekomendasi is True


def test_the_applicant_and_the_province_hr_read_the_recommendation(
    client, cast_lengkap, pendaftaran
):
    c = cast_lengkap
    client.force_login(c.atasan)
    client.post(url(pendaftaran), {"rekomendasi": "tidak", "catatan": "Sedang memimpin proyek"})
    for user in (c.pegawai, c.provinsi):
        client.force_login(user)
        page = client.get(pendaftaran.program.get_absolute_url()).content.decode()
        assert "Tidak direkomendasikan atasan" in page
        assert "Sedang memimpin proyek" in page
        assert url(pendaftaran) not in page  # no form for them


def test_not_recommending_needs_a_reason(client, cast_lengkap, pendaftaran):
    client.force_login(cast_lengkap.atasan)
    client.post(url(pendaftaran), {"rekomendasi": "tidak", "catatan": " "})
    assert unchanged(pendaftaran)


@pytest.mark.parametrize(
    ("role", "status"),
    [("rekan", 404), ("outsider", 404), ("pengelola_lain", 404), ("provinsi", 404),
     ("pengelola", 403), ("admin", 403), ("pegawai", 403)],
)  # fmt: skip
def test_nobody_but_the_direct_atasan_recommends(client, cast_lengkap, pendaftaran, role, status):
    client.force_login(getattr(cast_lengkap, role))
    response = client.post(url(pendaftaran), {"rekomendasi": "ya", "catatan": "x"})
    assert response.status_code == status
    assert unchanged(pendaftaran)


def test_another_atasan_is_refused(client, cast_lengkap, pendaftaran):
    c = cast_lengkap
    other = factories.user("atasan_lain")
    factories.pegawai(c.yankes, nama="Atasan Lain", user=other)
    factories.pegawai(c.yankes, nama="Bawahan Lain", atasan=other.pegawai_profil)
    client.force_login(other)
    assert client.post(url(pendaftaran), {"rekomendasi": "ya"}).status_code == 404
    assert unchanged(pendaftaran)


def test_an_atasan_does_not_recommend_their_own_application(client, cast_lengkap, pendaftaran):
    c = cast_lengkap
    own = PendaftaranBeasiswa.objects.create(
        program=pendaftaran.program, pegawai=c.atasan_pegawai, status="memenuhi_syarat",
        predikat_tahun_lalu="baik", predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True,
        dokumen="b.pdf",
    )  # fmt: skip
    client.force_login(c.atasan)
    assert client.post(url(own), {"rekomendasi": "ya"}).status_code == 403
    assert unchanged(own)


def test_a_decided_application_takes_no_recommendation(client, cast_lengkap, pendaftaran):
    PendaftaranBeasiswa.objects.filter(pk=pendaftaran.pk).update(status="ditolak")
    client.force_login(cast_lengkap.atasan)
    client.post(url(pendaftaran), {"rekomendasi": "ya"})
    assert unchanged(pendaftaran)


def test_get_is_not_allowed(client, cast_lengkap, pendaftaran):
    client.force_login(cast_lengkap.atasan)
    assert client.get(url(pendaftaran)).status_code == 405
    assert unchanged(pendaftaran)
