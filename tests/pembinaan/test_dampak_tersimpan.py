"""The stored per-batch impact sums (pembinaan.dampak.selisih_sql, ringkasan_simpan,
selisih_tersimpan, models.DampakAngkatan) give exactly the figures of the live computation
(selisih_per_angkatan) on a world with every case the live one distinguishes; a late rating is
taken in by the nightly job. Four tests, 45–55 s with the test database's setup (load ~6)."""

from datetime import date

import pytest
from django.utils import timezone

from pelatihan.models import Angkatan, Peserta, Sertifikat
from pembinaan import dampak
from pembinaan.models import DampakAngkatan
from pembinaan.tasks import dampak_ringkasan_task
from tests import factories

from .test_dampak import TODAY, World


@pytest.fixture
def world(cast, settings):
    settings.DAMPAK_MIN_KELOMPOK = 3
    settings.DAMPAK_JENIS_PERIODE = "triwulan"
    return World(cast)


def varied(world, cast) -> dict:
    """Two trainings, batches in different quarters, participants who failed, were revoked or
    reissued, who took the training again later, comparison pegawai in other OPDs and jabatan
    types, some without a rating before or after, a rating during, two ratings in one quarter."""
    fungsional = factories.jabatan("Perawat Ahli Pertama", "fungsional", "ahli_pertama")
    for i, (before, after) in enumerate([(3, 4), (3, 4), (4, 4), (4, 3), (4, 5), (3, 5), (5, 5)]):
        extra = {"jabatan": fungsional} if i % 3 == 0 else {}
        world.peserta(before, after, **extra)
    world.peserta(4, 5, lulus=False)
    revoked = world.peserta(4, 3)
    Sertifikat.objects.create(
        peserta=Peserta.objects.get(pegawai=revoked), nomor="X/1",
        dicabut_at=timezone.now(), alasan_cabut="Salah terbit",
    )  # fmt: skip
    world.peserta(4, None)
    world.peserta(None, 5)
    for i, change in enumerate([0, 1, -1, 0, 0, 1, -1, 0, 1, 0]):
        world.person(4, 4 + change, unit=cast.dinkes if i % 2 else cast.yankes)
    for change in [1, 0, -1, 1]:
        world.person(4, 4 + change, jabatan=fungsional)
    world.person(4, 3, unit=cast.bkd)
    world.person(4, 5, during=3)
    twice = world.person(3, 4)
    world.rate(twice, world.periode("Triwulan II 2026 (2)", date(2026, 4, 1), date(2026, 5, 31)), 5)
    # A second batch in the same quarters, and a later one whose after-quarter is Q3 2026.
    second = factories.angkatan(
        world.pelatihan, kuota=50, mulai=date(2026, 2, 16), selesai=date(2026, 2, 20),
        status=Angkatan.Status.SELESAI,
    )  # fmt: skip
    for change in [1, 0, 1]:
        world.peserta(4, 4 + change, batch=second)
    q3 = world.periode("Triwulan III 2026", date(2026, 7, 1), date(2026, 9, 30))
    later = factories.angkatan(
        world.pelatihan, kuota=50, mulai=date(2026, 5, 4), selesai=date(2026, 5, 8),
        status=Angkatan.Status.SELESAI,
    )  # fmt: skip
    # Its after-quarter has a period that ended early (10 August): read from then on.
    early = world.periode("Triwulan III 2026 (awal)", date(2026, 7, 1), date(2026, 8, 10))
    for before, after in [(3, 4), (4, 5), (4, 4), (5, 4)]:
        pegawai = world.person(None, None, during=before)
        world.rate(pegawai, q3, after)
        world.rate(pegawai, early, 4)
        Peserta.objects.create(angkatan=later, pegawai=pegawai, status="terdaftar", lulus=True)
    for pegawai in factories.Pegawai.objects.filter(unit=cast.yankes)[:6]:
        if not pegawai.penilaian_kinerja.filter(periode=q3).exists():
            world.rate(pegawai, q3, 4)
            world.rate(pegawai, early, 3)
            world.rate(pegawai, world.during, 4)
    # Another training of the same quarters.
    other = factories.angkatan(
        factories.pelatihan("Etika Pelayanan"), kuota=50, mulai=date(2026, 1, 12),
        selesai=date(2026, 1, 16), status=Angkatan.Status.SELESAI,
    )  # fmt: skip
    for change in [0, 1, 1, 1]:
        world.peserta(4, 4 + change, batch=other)
    return {"second": second, "later": later, "other": other, "q3": q3}


def test_the_stored_sums_equal_the_live_computation(world, cast):
    made = varied(world, cast)
    for sampai in [TODAY, date(2026, 8, 15), date(2026, 7, 1)]:
        DampakAngkatan.objects.all().delete()
        live = dampak.selisih_per_angkatan(sampai=sampai)
        batches = list(dampak._finished(sampai))
        assert dampak.selisih_sql(batches, sampai) == live, sampai
        assert dampak.selisih_tersimpan(sampai=sampai) == live, sampai
    live = dampak.selisih_per_angkatan(sampai=TODAY)
    assert {world.batch.pk, made["second"].pk, made["later"].pk, made["other"].pk} == set(live)
    assert live[world.batch.pk].peserta.n == 7 and live[world.batch.pk].pembanding.n > 10
    assert dampak.selisih_per_angkatan(sampai=date(2026, 8, 15))[made["later"].pk].peserta.n == 4
    # What the report reads: stored rows for the batches whose after-quarter has ended.
    assert dampak_ringkasan_task() == 4  # today is after TODAY: every batch's quarter ended
    assert DampakAngkatan.objects.count() == 4
    assert dampak.selisih_tersimpan(sampai=TODAY) == live
    assert dampak.selisih_tersimpan(sampai=TODAY, dari=date(2026, 2, 1)) == (
        dampak.selisih_per_angkatan(sampai=TODAY, dari=date(2026, 2, 1))
    )


def test_a_late_rating_is_taken_in_by_the_nightly_run(world, cast):
    world.changes(peserta=[1] * 4, pembanding=[0] * 4)
    dampak_ringkasan_task()
    stored = dampak.selisih_tersimpan(sampai=TODAY)
    assert stored[world.batch.pk].peserta.n == 4
    late = world.peserta(4, None)
    world.rate(late, world.after, 5)  # rated after the quarter ended and the figures were stored
    assert dampak.selisih_tersimpan(sampai=TODAY) == stored  # as of the last run
    dampak_ringkasan_task()
    assert dampak.selisih_tersimpan(sampai=TODAY) == dampak.selisih_per_angkatan(sampai=TODAY)
    assert dampak.selisih_tersimpan(sampai=TODAY)[world.batch.pk].peserta.n == 5


def test_a_missing_row_is_measured_and_stored_and_another_period_kind_is_not_read(
    world, cast, settings
):
    world.changes(peserta=[1] * 4, pembanding=[0] * 4)
    assert not DampakAngkatan.objects.exists()
    live = dampak.selisih_per_angkatan(sampai=TODAY)
    assert dampak.selisih_tersimpan(sampai=TODAY) == live
    assert DampakAngkatan.objects.get().peserta_n == 4
    # By month the batch's slots are January and March 2026: no monthly period, nothing measured;
    # the quarterly row is not read, the batch measured anew and stored as measured.
    settings.DAMPAK_JENIS_PERIODE = "bulanan"
    assert dampak.selisih_tersimpan(sampai=TODAY) == dampak.selisih_per_angkatan(sampai=TODAY)
    assert dampak.selisih_tersimpan(sampai=TODAY) == {}
    row = DampakAngkatan.objects.get()
    assert (row.jenis_periode, row.peserta_n, row.pembanding_n) == ("bulanan", 0, 0)


def test_the_nightly_job_is_scheduled_on_the_summaries_queue(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["dampak-ringkasan"]
    assert entry["task"] == "pembinaan.tasks.dampak_ringkasan_task"
    route = settings.CELERY_TASK_ROUTES["pembinaan.tasks.dampak_ringkasan_task"]
    assert route == {"queue": "ringkasan"}
