from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluasi import reports, services
from evaluasi.models import LaporanPascaPelatihan, ReaksiPeserta
from pelatihan import services as pelatihan_services
from tests import factories


@pytest.fixture
def selesai(cast):
    """A finished batch: the pegawai (pre 60, post 85) and another (pre 50, post 90) passed."""
    batch = factories.angkatan(kuota=5)
    other = factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai)
    people = [
        pelatihan_services.peserta_nominate(angkatan=batch, pegawai=p)
        for p in (cast.pegawai_pegawai, other)
    ]
    batch.status = "berjalan"
    batch.save()
    for sesi in batch.sesi.all():
        pelatihan_services.kehadiran_record(sesi=sesi, hadir={p.pk for p in people})
    for peserta, (pre, post) in zip(people, [(60, 85), (50, 90)], strict=True):
        peserta.nilai_pre, peserta.nilai_post = pre, post
        peserta.save()
        pelatihan_services.peserta_decide(peserta=peserta, lulus=True)
    batch.status = "selesai"
    batch.save()
    return batch


def test_a_participant_rates_a_finished_batch_once(login, cast, selesai):
    url = reverse("evaluasi:reaksi_create", args=[selesai.pk])
    data = {"materi": 5, "fasilitator": 4, "sarana": 3, "penyelenggaraan": 4, "komentar": "Praktis"}
    login(cast.pegawai).post(url, data)
    login(cast.pegawai).post(url, data | {"materi": 1})
    assert ReaksiPeserta.objects.get().materi == 5


def test_a_rating_outside_1_to_5_is_refused(login, cast, selesai):
    url = reverse("evaluasi:reaksi_create", args=[selesai.pk])
    response = login(cast.pegawai).post(
        url, {"materi": 9, "fasilitator": 4, "sarana": 3, "penyelenggaraan": 4}
    )
    assert "materi" in response.context["form"].errors and not ReaksiPeserta.objects.exists()


def test_only_participants_rate(login, cast, selesai):
    url = reverse("evaluasi:reaksi_create", args=[selesai.pk])
    assert login(cast.outsider).get(url).status_code == 403
    assert login(cast.pengelola).get(url).status_code == 403


def test_the_batch_evaluation_sums_up_l1_l2_and_l3(cast, selesai):
    ReaksiPeserta.objects.create(
        peserta=selesai.peserta.get(pegawai=cast.pegawai_pegawai),
        materi=5,
        fasilitator=4,
        sarana=3,
        penyelenggaraan=4,
    )
    services.laporan_sync()
    verified = LaporanPascaPelatihan.objects.get(pegawai=cast.pegawai_pegawai)
    LaporanPascaPelatihan.objects.filter(pk=verified.pk).update(
        status="diverifikasi", nilai_perubahan=4
    )
    result = reports.evaluasi_angkatan(selesai)
    assert result.reaksi["materi"] == 5 and result.jumlah_reaksi == 1
    assert (result.l2["pre"], result.l2["post"], result.l2["gain"]) == (
        Decimal(55),
        Decimal("87.5"),
        Decimal("32.5"),
    )
    assert [p.gain for p in result.l2_peserta] == [Decimal(40), Decimal(25)]
    assert (result.l3["jumlah"], result.l3["diverifikasi"], result.l3["rata_nilai"]) == (2, 1, 4)


def test_the_batch_evaluation_page_is_for_hr(login, cast, selesai):
    url = reverse("evaluasi:angkatan_evaluasi", args=[selesai.pk])
    assert login(cast.pengelola).get(url).status_code == 200
    assert login(cast.pegawai).get(url).status_code == 404  # as missing as a wrong id


def test_reactions_per_batch_and_per_training(login, cast, selesai):
    second = factories.angkatan(selesai.pelatihan, mulai=date(2026, 5, 4), selesai=date(2026, 5, 8))
    other = pelatihan_services.peserta_nominate(angkatan=second, pegawai=cast.atasan_pegawai)
    ReaksiPeserta.objects.create(
        peserta=selesai.peserta.get(pegawai=cast.pegawai_pegawai),
        materi=5,
        fasilitator=5,
        sarana=3,
        penyelenggaraan=4,
    )
    ReaksiPeserta.objects.create(
        peserta=other, materi=3, fasilitator=4, sarana=3, penyelenggaraan=4
    )
    page = login(cast.pengelola).get(
        reverse("evaluasi:pelatihan_evaluasi", args=[selesai.pelatihan_id])
    )
    rows = page.context["rows"]
    assert [(r["n"], r["materi"]) for r in rows] == [(1, 5), (1, 3), (2, 4)]
    assert (
        login(cast.pegawai)
        .get(reverse("evaluasi:pelatihan_evaluasi", args=[selesai.pelatihan_id]))
        .status_code
        == 403
    )


def test_the_reaction_form_offers_1_to_5_with_none_chosen(login, cast, selesai):
    url = reverse("evaluasi:reaksi_create", args=[selesai.pk])
    page = login(cast.pegawai).get(url).content.decode()
    assert "---------" not in page and " checked" not in page
    assert page.count('name="materi"') == 5
