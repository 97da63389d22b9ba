"""Work asked for while the broker is unreachable: the request succeeds, the row waits, and the
sweep sends it again; rows already sent or claimed are left alone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from evaluasi.models import BerkasLaporan
from evaluasi.tasks import berkas_buat_task
from pembinaan import services
from pembinaan.lib.queue import enqueue
from pembinaan.models import LaporanMonitoring
from pembinaan.tasks import antrean_sapu_task, laporan_buat_task


@pytest.fixture
def sent(monkeypatch):
    """The broker, recorded: each task's delay notes what it was asked to send."""
    calls = []
    for task in (laporan_buat_task, berkas_buat_task):
        monkeypatch.setattr(task, "delay", lambda *args, t=task: calls.append((t.name, args)))
    return calls


def test_an_unreachable_broker_does_not_fail_the_request(
    login, cast, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def down(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(laporan_buat_task, "delay", down)
    # Last year's program: its November has ended, as a report's period must have.
    program = services.program_create(tahun=timezone.localdate().year - 1, by=cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.admin).post(
            reverse("pembinaan:laporan_request", args=[program.pk]), {"periode": "bulan-11"}
        )
    laporan = LaporanMonitoring.objects.get()
    assert response.status_code == 302 and laporan.status == "menunggu"
    assert "broker is unreachable" in caplog.text
    assert enqueue(laporan_buat_task, laporan.pk) is False


def test_the_sweep_sends_what_waits_longer_than_two_minutes_and_nothing_else(cast, sent):
    program = services.program_create(tahun=2026, by=cast.admin)
    old = timezone.now() - timedelta(minutes=5)
    waiting = LaporanMonitoring.objects.create(
        program=program, periode_mulai="2026-10-01", periode_selesai="2026-10-31"
    )
    fresh = LaporanMonitoring.objects.create(
        program=program, periode_mulai="2026-11-01", periode_selesai="2026-11-30"
    )
    claimed = LaporanMonitoring.objects.create(
        program=program, periode_mulai="2026-09-01", periode_selesai="2026-09-30", status="diproses"
    )
    LaporanMonitoring.objects.filter(pk__in=[waiting.pk, claimed.pk]).update(created_at=old)
    berkas = BerkasLaporan.objects.create(
        jenis="pegawai", pegawai=cast.pegawai_pegawai, diminta_oleh=cast.pengelola
    )
    BerkasLaporan.objects.filter(pk=berkas.pk).update(created_at=old)
    assert antrean_sapu_task() == 2
    assert sorted(sent) == sorted(
        [(laporan_buat_task.name, (waiting.pk,)), (berkas_buat_task.name, (berkas.pk,))]
    )
    assert fresh.pk not in [args[0] for _, args in sent]


def test_the_sweep_runs_every_five_minutes(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["antrean-sapu"]["schedule"]
    assert schedule.minute == set(range(0, 60, 5))


def test_a_claim_holds_for_its_lease_and_then_may_be_taken_over(cast, settings, sent):
    from pembinaan.lib.claim import claim

    settings.TASK_LEASE_SECONDS = 60
    program = services.program_create(tahun=2026, by=cast.admin)
    laporan = LaporanMonitoring.objects.create(
        program=program, periode_mulai="2026-10-01", periode_selesai="2026-10-31"
    )
    rows, S = LaporanMonitoring.objects, LaporanMonitoring.Status
    assert claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    assert not claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    assert antrean_sapu_task() == 0  # its worker may still be at it
    rows.filter(pk=laporan.pk).update(diproses_at=timezone.now() - timedelta(seconds=61))
    assert antrean_sapu_task() == 1  # the worker died: send it again
    assert claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
    rows.filter(pk=laporan.pk).update(status=S.SELESAI, diproses_at=timezone.now() - timedelta(1))
    assert not claim(rows, laporan.pk, waiting=S.MENUNGGU, working=S.DIPROSES)
