"""A scholarship study finished with a degree: the graduate's unit HR record it, the study is
closed, and the degree joins the pegawai's education history (pegawai.services), which sets
their pendidikan terakhir."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pegawai.models import Pegawai, RiwayatPendidikan
from pelatihan import services
from pelatihan.models import PendaftaranBeasiswa, PerguruanTinggi, ProgramBeasiswa, StudiPegawai


@pytest.fixture
def studi(cast) -> StudiPegawai:
    unja = PerguruanTinggi.objects.create(nama="Universitas Jambi", singkatan="Unja", kota="Jambi")
    program = ProgramBeasiswa.objects.create(
        nama="S2 Kesmas 2024", perguruan_tinggi=unja, jenjang="s2",
        program_studi="Magister Kesehatan Masyarakat", jenis="tugas_belajar", kuota=2,
        pendaftaran_mulai=date(2024, 1, 1), pendaftaran_selesai=date(2024, 1, 31),
        lama_studi_bulan=24, usia_maks=60,
    )  # fmt: skip
    pendaftaran = PendaftaranBeasiswa.objects.create(
        program=program, pegawai=cast.pegawai_pegawai, status="memenuhi_syarat",
        predikat_tahun_lalu="baik", predikat_dua_tahun_lalu="baik",
        tanpa_hukuman_disiplin=True, dokumen="b.pdf",
    )  # fmt: skip
    return services.beasiswa_accept(pendaftaran=pendaftaran, tanggal_mulai=date(2024, 2, 1))


def test_the_unit_hr_record_the_graduation_and_the_degree_joins_the_education_history(
    login, cast, studi
):
    url = reverse("pelatihan:studi_lulus", args=[studi.pk])
    lulus = timezone.localdate() - timedelta(days=3)
    response = login(cast.pengelola).post(url, {"tanggal_lulus": lulus.isoformat()})
    assert response.status_code == 302
    studi.refresh_from_db()
    assert studi.status == StudiPegawai.Status.LULUS
    row = RiwayatPendidikan.objects.get(pegawai=cast.pegawai_pegawai, jenjang="s2")
    assert (row.nama_sekolah, row.jurusan, row.tahun_lulus) == (
        "Universitas Jambi", "Magister Kesehatan Masyarakat", lulus.year
    )  # fmt: skip
    assert Pegawai.objects.get(pk=cast.pegawai_pegawai.pk).pendidikan_terakhir == "s2"
    assert row.history.get().history_user == cast.pengelola


def test_the_graduate_may_not_record_their_own_graduation(login, cast, studi):
    url = reverse("pelatihan:studi_lulus", args=[studi.pk])
    response = login(cast.pegawai).post(url, {"tanggal_lulus": timezone.localdate().isoformat()})
    assert response.status_code == 403
    assert not RiwayatPendidikan.objects.filter(jenjang="s2").exists()


def test_a_study_is_closed_once_and_not_before_it_started(cast, studi):
    with pytest.raises(ValidationError, match="di antara"):
        services.studi_lulus(studi=studi, tanggal_lulus=date(2023, 1, 1), by=cast.pengelola)
    services.studi_lulus(studi=studi, tanggal_lulus=timezone.localdate(), by=cast.pengelola)
    with pytest.raises(ValidationError, match="sudah berstatus lulus"):
        services.studi_lulus(studi=studi, tanggal_lulus=timezone.localdate(), by=cast.pengelola)
    assert RiwayatPendidikan.objects.filter(jenjang="s2").count() == 1


def test_the_study_page_offers_the_form_to_hr_only(login, cast, studi):
    assert login(cast.pengelola).get(studi.get_absolute_url()).context["lulus_form"] is not None
    assert login(cast.pegawai).get(studi.get_absolute_url()).context["lulus_form"] is None


def test_hr_reach_the_study_from_the_scholarship_page(login, cast, studi):
    page = login(cast.pengelola).get(
        reverse("pelatihan:beasiswa_detail", args=[studi.pendaftaran.program_id])
    )
    assert reverse("pelatihan:studi_detail", args=[studi.pk]) in page.content.decode()
