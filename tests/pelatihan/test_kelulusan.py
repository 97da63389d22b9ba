"""Passing a training at each boundary: the batch's attendance threshold and its post-test pass
mark, both on their value (passes) and just below it (refused, nothing recorded)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pelatihan import services
from pelatihan.models import CatatanJP
from tests import factories


@pytest.fixture
def peserta(cast):
    """Five sessions (20 % each), threshold 80 %, pass mark 70."""
    batch = factories.angkatan(kuota=5, sesi=5)
    participant = services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    batch.status = "berjalan"
    batch.save()
    return participant


def attend(peserta, days: int) -> None:
    for sesi in peserta.angkatan.sesi.order_by("tanggal")[:days]:
        services.kehadiran_record(sesi=sesi, hadir={peserta.pk})


def post_test(peserta, nilai) -> None:
    peserta.nilai_post = Decimal(nilai)
    peserta.save()


def test_attendance_on_the_threshold_and_the_pass_mark_pass(peserta):
    attend(peserta, 4)  # 80 %
    post_test(peserta, "70")
    assert services.peserta_decide(peserta=peserta, lulus=True).lulus is True
    assert CatatanJP.objects.filter(pegawai=peserta.pegawai).exists()


def test_attendance_below_the_threshold_is_refused(peserta):
    attend(peserta, 3)  # 60 %
    post_test(peserta, "90")
    with pytest.raises(ValidationError, match="di bawah ambang 80 %"):
        services.peserta_decide(peserta=peserta, lulus=True)
    peserta.refresh_from_db()
    assert peserta.lulus is None
    assert not CatatanJP.objects.exists()


def test_a_post_test_just_below_the_pass_mark_is_refused(peserta):
    attend(peserta, 5)
    post_test(peserta, "69.99")
    with pytest.raises(ValidationError, match="nilai lulus 70"):
        services.peserta_decide(peserta=peserta, lulus=True)
    peserta.refresh_from_db()
    assert peserta.lulus is None


def test_no_post_test_is_refused(peserta):
    attend(peserta, 5)
    with pytest.raises(ValidationError, match="nilai lulus"):
        services.peserta_decide(peserta=peserta, lulus=True)


def test_a_batch_threshold_of_its_own_is_used(peserta):
    batch = peserta.angkatan
    batch.refresh_from_db()
    batch.ambang_kehadiran, batch.nilai_lulus = 60, Decimal("85")
    batch.save()
    attend(peserta, 3)  # 60 %
    post_test(peserta, "85")
    assert services.peserta_decide(peserta=peserta, lulus=True).lulus is True


def test_failing_needs_neither(peserta):
    assert services.peserta_decide(peserta=peserta, lulus=False).lulus is False


def test_a_post_test_above_the_pass_mark_passes(peserta):
    attend(peserta, 5)
    post_test(peserta, "95")
    assert services.peserta_decide(peserta=peserta, lulus=True).lulus is True


def test_attendance_is_the_share_of_the_batchs_sessions_attended(peserta):
    attend(peserta, 3)
    assert services.persentase_kehadiran(peserta) == 60.0  # 3 of 5 sessions


def test_a_batch_without_sessions_counts_no_attendance(cast):
    batch = factories.angkatan(kuota=1, sesi=0)
    participant = services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    assert services.persentase_kehadiran(participant) == 0.0
