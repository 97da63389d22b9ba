"""The page where a service unit's HR assign the officers who answer its forwarded feedback
(masyarakat.views.layanan_petugas): by NIP, pegawai of the unit kerja's subtree only, refused
in Indonesian and nothing half-saved; another unit's HR find nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from masyarakat.models import UnitLayanan
from tests import factories


@pytest.fixture
def layanan(cast_lengkap):
    return UnitLayanan.objects.create(unit=cast_lengkap.yankes, nama="Poli Umum", kode="poli")


def url(layanan):
    return reverse("masyarakat:layanan_petugas", args=[layanan.pk])


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def assigned(layanan) -> set[str]:
    return set(layanan.petugas.values_list("nama", flat=True))


def test_hr_assign_an_officer_by_nip_written_grouped_and_see_them_listed(
    client, cast_lengkap, layanan
):
    c = cast_lengkap
    client.force_login(c.pengelola)
    grouped = (
        f"{c.pegawai_pegawai.nip[:8]} {c.pegawai_pegawai.nip[8:14]} {c.pegawai_pegawai.nip[14:]}"
    )
    response = client.post(url(layanan), {"tindakan": "tambah", "nip": grouped})
    assert response.status_code == 302
    assert "Budi Pegawai ditetapkan sebagai petugas Poli Umum" in said(response)
    assert assigned(layanan) == {"Budi Pegawai"}
    page = client.get(url(layanan)).text
    assert "Budi Pegawai" in page and "Hapus" in page


def test_hr_remove_an_officer(client, cast_lengkap, layanan):
    c = cast_lengkap
    layanan.petugas.add(c.pegawai_pegawai, c.rekan_pegawai)
    client.force_login(c.pengelola)
    response = client.post(url(layanan), {"tindakan": "hapus", "pegawai": c.pegawai_pegawai.pk})
    assert "tidak lagi menjadi petugas" in said(response)
    assert assigned(layanan) == {"Dedi Rekan"}


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("", "Isikan NIP pegawai"),
        ("199001012015011999", "tidak ditemukan"),
        ("outsider", "bukan pegawai Bidang Pelayanan Kesehatan atau unit di bawahnya"),
        ("pegawai", "sudah menjadi petugas"),
        ("nonaktif", "tidak aktif"),
    ],
)
def test_a_bad_nip_is_refused_in_indonesian_and_nothing_is_saved(
    client, cast_lengkap, layanan, nip, message
):
    c = cast_lengkap
    layanan.petugas.add(c.pegawai_pegawai)
    gone = factories.pegawai(c.yankes, nama="Pensiunan", aktif=False, alasan_nonaktif="pensiun")
    typed = {
        "outsider": c.outsider_pegawai.nip,  # Badan Kepegawaian Daerah: outside the unit
        "pegawai": c.pegawai_pegawai.nip,
        "nonaktif": gone.nip,
    }.get(nip, nip)
    client.force_login(c.pengelola)
    response = client.post(url(layanan), {"tindakan": "tambah", "nip": typed})
    assert response.status_code == 302 and message in said(response)
    assert assigned(layanan) == {"Budi Pegawai"}


def test_removing_somebody_who_is_not_an_officer_is_refused(client, cast_lengkap, layanan):
    c = cast_lengkap
    layanan.petugas.add(c.pegawai_pegawai)
    client.force_login(c.pengelola)
    for pegawai in (str(c.rekan_pegawai.pk), "", "abc"):
        response = client.post(url(layanan), {"tindakan": "hapus", "pegawai": pegawai})
        assert "bukan petugas layanan ini" in said(response)
    response = client.post(url(layanan), {"tindakan": "pecat"})
    assert "Tindakan tidak dikenal" in said(response)
    assert assigned(layanan) == {"Budi Pegawai"}


def test_another_units_hr_and_the_pegawai_change_nothing(client, cast_lengkap, layanan):
    c = cast_lengkap
    layanan.petugas.add(c.pegawai_pegawai)
    for user, status in ((c.pengelola_lain, 404), (c.atasan, 403), (c.pegawai, 403)):
        client.force_login(user)
        assert client.get(url(layanan)).status_code == status
        data = {"tindakan": "tambah", "nip": c.rekan_pegawai.nip}
        assert client.post(url(layanan), data).status_code == status
        data = {"tindakan": "hapus", "pegawai": c.pegawai_pegawai.pk}
        assert client.post(url(layanan), data).status_code == status
    assert assigned(layanan) == {"Budi Pegawai"}


def test_an_officer_assigned_on_the_page_is_told_of_forwarded_feedback_and_answers_it(
    client, cast_lengkap, layanan
):
    from masyarakat.models import Masukan
    from pegawai.models import Notifikasi

    c = cast_lengkap
    client.force_login(c.pengelola)
    client.post(url(layanan), {"tindakan": "tambah", "nip": c.rekan_pegawai.nip})
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Antre")
    detail = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    client.post(detail, {"tindakan": "teruskan"})
    told = Notifikasi.objects.filter(kunci=f"masyarakat:masukan:{masukan.pk}:diteruskan")
    assert set(told.values_list("penerima__username", flat=True)) == {"rekan"}
    client.force_login(c.rekan)
    client.post(detail, {"tindakan": "tanggapi", "teks": "Loket kedua dibuka."})
    masukan.refresh_from_db()
    assert masukan.status == "ditanggapi" and masukan.tanggapan == "Loket kedua dibuka."


def test_the_ikm_page_and_the_feedback_page_link_to_it(client, cast_lengkap, layanan):
    from masyarakat.models import Masukan

    client.force_login(cast_lengkap.pengelola)
    assert url(layanan) in client.get(reverse("masyarakat:ikm")).text
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Antre")
    page = client.get(reverse("masyarakat:masukan_detail", args=[masukan.pk])).text
    assert url(layanan) in page
