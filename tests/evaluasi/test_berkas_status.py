"""An evaluation PDF's states, the make step from every state, written out by hand: a waiting
row is made; a row in progress is taken over only once its worker's lease is over; a finished or
failed row is left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluasi.models import BerkasLaporan
from evaluasi.tasks import berkas_buat_task

# (state, claimed how long ago in seconds or None) → state after the make step.
MOVES = [
    ("menunggu", None, "selesai"),
    ("diproses", 10, "diproses"),  # its worker is still within the lease
    ("diproses", 10_000, "selesai"),  # its worker died: taken over
    ("selesai", None, "selesai"),
    ("gagal", None, "gagal"),
]


@pytest.mark.parametrize(("state", "claimed_ago", "after"), MOVES)
def test_the_make_step_from_each_state(cast, settings, tmp_path, state, claimed_ago, after):
    settings.MEDIA_ROOT = tmp_path
    settings.TASK_LEASE_SECONDS = 900
    berkas = BerkasLaporan.objects.create(
        jenis="pegawai", pegawai=cast.pegawai_pegawai, diminta_oleh=cast.pengelola
    )
    claimed_at = timezone.now() - timedelta(seconds=claimed_ago) if claimed_ago else None
    BerkasLaporan.objects.filter(pk=berkas.pk).update(status=state, diproses_at=claimed_at)
    berkas_buat_task(berkas.pk)
    berkas.refresh_from_db()
    assert berkas.status == after
    made = after == "selesai" and state != "selesai"
    assert bool(berkas.file) is made
    assert len(list(tmp_path.rglob("*.pdf"))) == (1 if made else 0)


def test_the_table_names_every_state():
    assert {state for state, _, _ in MOVES} == set(BerkasLaporan.Status.values)
