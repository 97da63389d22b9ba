"""pembinaan.lib.claim: a claim writes a fresh token; a worker's writes after it hold only while
its token is on the row; a heartbeat keeps the claim alive while the job runs, and only that
long. Shown on a monitoring report's row (any job row with status, klaim and diproses_at)."""

import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from pembinaan.lib.claim import claim, claimed, heartbeat, lease_expired, save_if_held
from pembinaan.models import LaporanMonitoring, ProgramPembinaan

S = LaporanMonitoring.Status
rows = LaporanMonitoring.objects


def report() -> LaporanMonitoring:
    program = ProgramPembinaan.objects.create(tahun=2026, nama="Program 2026")
    return rows.create(
        program=program, periode_mulai=date(2026, 10, 1), periode_selesai=date(2026, 10, 31)
    )


def lapse(laporan, seconds: int = 61) -> None:
    """As if its worker had not renewed the claim for `seconds`."""
    rows.filter(pk=laporan.pk).update(diproses_at=timezone.now() - timedelta(seconds=seconds))


@pytest.mark.django_db
def test_each_claim_writes_a_new_token_and_only_one_worker_holds_it(settings):
    settings.TASK_LEASE_SECONDS = 60
    laporan = report()
    first = claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    assert first and rows.get().klaim == first
    assert claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES) is None
    lapse(laporan)
    second = claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    assert second and second != first and rows.get().klaim == second


@pytest.mark.django_db
def test_a_worker_whose_claim_was_taken_over_writes_nothing(settings):
    settings.TASK_LEASE_SECONDS = 60
    laporan = report()
    token = claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    mine = rows.get(klaim=token)
    lapse(laporan)  # stopped past its lease: another worker claims the row
    claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    mine.status, mine.tahap = S.SELESAI, "Selesai"
    assert save_if_held(mine, update_fields=["status", "tahap"]) is False
    assert rows.values_list("status", "tahap").get() == (S.DIPROSES, "")
    theirs = rows.get()
    theirs.status = S.SELESAI
    assert save_if_held(theirs, update_fields=["status"]) is True
    assert rows.get().status == S.SELESAI


@pytest.mark.django_db
def test_the_row_given_to_the_block_is_none_when_another_worker_has_it(settings):
    settings.TASK_LEASE_SECONDS = 60
    laporan = report()
    with claimed(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES) as mine:
        assert mine.klaim == rows.get().klaim
        with claimed(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES) as theirs:
            assert theirs is None


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_long_job_claimed_and_stops_with_it(settings):
    """A lease of 1.5 s, a job of 3 s: renewed every half second, the claim never lapses."""
    settings.TASK_LEASE_SECONDS = 1.5
    laporan = report()
    token = claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    with heartbeat(rows, laporan.pk, token):
        for _ in range(6):
            time.sleep(0.5)
            assert not rows.filter(lease_expired()).exists()
            assert claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES) is None
    time.sleep(2)  # the job is over: nothing renews its claim any more
    assert rows.filter(lease_expired()).exists()


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_stops_renewing_a_claim_another_worker_took(settings):
    settings.TASK_LEASE_SECONDS = 1.5
    laporan = report()
    token = claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    with heartbeat(rows, laporan.pk, token):
        rows.update(klaim="another-worker", diproses_at=timezone.now() - timedelta(hours=1))
        time.sleep(1.5)
        # Not renewed for the other worker's token: its own heartbeat does that.
        assert rows.filter(lease_expired()).exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_stuck_beyond_task_max_seconds_lets_its_lease_run_out(settings):
    settings.TASK_LEASE_SECONDS = 1.5
    settings.TASK_MAX_SECONDS = 1
    laporan = report()
    token = claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    with heartbeat(rows, laporan.pk, token):
        time.sleep(3)
        assert rows.filter(lease_expired()).exists()
        assert claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
