"""Passing a training raises the competencies it targets: the pass records an assessment at the
training's level (source "pelatihan"), so the gap closes and the training is no longer
recommended; a failed decision withdraws it."""

from datetime import date

import pytest
from django.urls import reverse

from pegawai.models import Pegawai
from pelatihan import reports, services
from pelatihan.models import (
    Kompetensi,
    PelatihanKompetensi,
    PenilaianKompetensi,
    StandarKompetensi,
)
from tests import factories


@pytest.fixture
def m05(finished):
    """M.05 required at level 3 of the pegawai's jabatan, assessed at 1; the training brings it
    to 3. Another training that targets it too has an open batch."""
    k = Kompetensi.objects.get(kode="M.05")
    StandarKompetensi.objects.create(jabatan=finished.pegawai.jabatan, kompetensi=k, level=3)
    PenilaianKompetensi.objects.create(
        pegawai=finished.pegawai, kompetensi=k, level=1, tanggal=date(2025, 6, 1),
        sumber="assessment_center",
    )  # fmt: skip
    PelatihanKompetensi.objects.create(pelatihan=finished.angkatan.pelatihan, kompetensi=k, level=3)
    return k


def gap(pegawai, kode="M.05"):
    return {g.kompetensi.kode: g for g in reports.kesenjangan_pegawai(pegawai)}[kode]


def recommended(pegawai) -> set[str]:
    return {r.pelatihan.nama for r in reports.rekomendasi_pelatihan(pegawai)}


def test_a_pass_records_the_target_level_and_closes_the_gap(cast, finished, m05):
    pegawai = finished.pegawai
    assert (gap(pegawai).dinilai, gap(pegawai).gap) == (1, 2)
    assert "Sistem Informasi Kesehatan" in recommended(pegawai)
    services.peserta_decide(peserta=finished, lulus=True, by=cast.pengelola)
    record = PenilaianKompetensi.objects.get(pegawai=pegawai, sumber="pelatihan")
    assert (record.kompetensi, record.level, record.peserta_id) == (m05, 3, finished.pk)
    assert record.tanggal == finished.angkatan.tanggal_selesai
    assert (gap(pegawai).dinilai, gap(pegawai).gap) == (3, 0)
    assert "Sistem Informasi Kesehatan" not in recommended(pegawai)


def test_the_gap_page_no_longer_proposes_the_completed_training(login, cast, finished, m05):
    url = reverse("pelatihan:kompetensi_pegawai", args=[finished.pegawai_id])
    before = login(cast.pengelola).get(url).context["rekomendasi"]
    assert [r.pelatihan.pk for r in before] == [finished.angkatan.pelatihan_id]
    services.peserta_decide(peserta=finished, lulus=True)
    assert login(cast.pengelola).get(url).context["rekomendasi"] == []


def test_the_unit_gaps_count_the_pegawai_as_meeting_the_standard(cast, finished, m05):
    def row():
        rows = reports.kesenjangan_unit(Pegawai.objects.filter(pk=finished.pegawai_id))
        return {r["kompetensi__kode"]: r for r in rows}["M.05"]

    assert (row()["kurang"], row()["memenuhi"]) == (1, 0)
    services.peserta_decide(peserta=finished, lulus=True)
    assert (row()["kurang"], row()["memenuhi"]) == (0, 1)


def test_a_higher_level_already_assessed_is_not_lowered(cast, finished, m05):
    PenilaianKompetensi.objects.create(
        pegawai=finished.pegawai, kompetensi=m05, level=4, tanggal=date(2025, 12, 1),
        sumber="uji_kompetensi",
    )  # fmt: skip
    services.peserta_decide(peserta=finished, lulus=True)
    assert not PenilaianKompetensi.objects.filter(sumber="pelatihan").exists()
    assert gap(finished.pegawai).dinilai == 4


def test_a_decision_changed_to_failed_withdraws_the_assessment(cast, finished, m05):
    services.peserta_decide(peserta=finished, lulus=True)
    services.peserta_decide(peserta=finished, lulus=False)
    assert not PenilaianKompetensi.objects.filter(sumber="pelatihan").exists()
    assert gap(finished.pegawai).dinilai == 1


def test_a_completed_training_is_not_proposed_again_after_a_lower_assessment(cast, finished, m05):
    services.peserta_decide(peserta=finished, lulus=True)
    PenilaianKompetensi.objects.create(
        pegawai=finished.pegawai, kompetensi=m05, level=2, tanggal=date(2026, 11, 1),
        sumber="assessment_center",
    )  # fmt: skip
    other = factories.pelatihan(nama="Pelayanan Prima")
    PelatihanKompetensi.objects.create(pelatihan=other, kompetensi=m05, level=3)
    assert recommended(finished.pegawai) == {"Pelayanan Prima"}
