"""The import's states, every step from every state, written out by hand: the check task acts
only on a job waiting to be checked, the save request only on a job ready to save, the save task
only on a job waiting to be saved; from any other state each does nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pegawai import services
from pegawai.models import ImporPegawai, Pegawai
from pegawai.tasks import impor_check_task, impor_commit_task
from pembinaan.tasks import antrean_sapu_task
from tests.pegawai.test_impor import csv_file, row

STATES = [
    "menunggu_periksa", "diperiksa", "siap", "tidak_valid", "menunggu_simpan", "disimpan",
    "selesai", "tanpa_perubahan", "gagal",
]  # fmt: skip
# step → {from state: to state} for a valid file of one new pegawai; absent: nothing happens.
MOVES = {
    "check": {"menunggu_periksa": "siap"},
    "commit_request": {"siap": "menunggu_simpan"},
    "commit": {"menunggu_simpan": "selesai"},
}


@pytest.fixture
def job(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = False  # steps are called one at a time below
    upload = csv_file([row()])
    job = ImporPegawai(nama_berkas=upload.name, diunggah_oleh=cast.pengelola)
    job.file.save(upload.name, upload, save=False)
    job.save()
    return job


def step(name: str, job: ImporPegawai) -> None:
    if name == "check":
        impor_check_task(job.pk)
    elif name == "commit_request":
        services.impor_commit_request(job=job)
    else:
        impor_commit_task(job.pk)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", list(MOVES))
def test_each_step_from_each_state(job, name, state):
    ImporPegawai.objects.filter(pk=job.pk).update(status=state)
    if state in ("siap", "menunggu_simpan"):  # a job ready or waiting to be saved was checked
        services.impor_check(job=job)
        ImporPegawai.objects.filter(pk=job.pk).update(status=state)
    before = Pegawai.objects.count()
    step(name, job)
    job.refresh_from_db()
    assert job.status == MOVES[name].get(state, state)
    saved = 1 if (name, state) == ("commit", "menunggu_simpan") else 0
    assert Pegawai.objects.count() - before == saved


def test_the_table_names_every_state():
    assert set(STATES) == set(ImporPegawai.Status.values)


@pytest.fixture
def sent(monkeypatch):
    """The broker, recorded: what the sweep sends."""
    calls = []
    for task in (impor_check_task, impor_commit_task):
        monkeypatch.setattr(task, "delay", lambda *args, t=task: calls.append((t, args)))
    return calls


def claimed_ago(job, state: str, seconds: int) -> None:
    """As left by a worker that claimed the job `seconds` ago and then died."""
    ImporPegawai.objects.filter(pk=job.pk).update(
        status=state, klaim="token-of-a-dead-worker",
        diproses_at=timezone.now() - timedelta(seconds=seconds),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("state", "task", "after"),
    [("diperiksa", impor_check_task, "siap"), ("disimpan", impor_commit_task, "selesai")],
)
def test_a_job_whose_worker_died_checking_or_saving_is_taken_over_once_after_its_lease(
    job, settings, sent, state, task, after
):
    settings.TASK_LEASE_SECONDS = 60
    services.impor_check(job=job)  # checked, for the save
    before = Pegawai.objects.count()
    claimed_ago(job, state, 30)  # its worker may still be at it
    assert antrean_sapu_task() == 0 and sent == []
    task(job.pk)
    assert ImporPegawai.objects.get(pk=job.pk).status == state
    claimed_ago(job, state, 61)  # the lease is over: the worker is gone
    assert antrean_sapu_task() == 1 and sent == [(task, (job.pk,))]
    task(job.pk)
    task(job.pk)  # sent twice: done once
    job.refresh_from_db()
    assert job.status == after and job.klaim != "token-of-a-dead-worker"
    assert Pegawai.objects.count() - before == (1 if after == "selesai" else 0)


@pytest.mark.parametrize(
    ("state", "task"),
    [("menunggu_periksa", impor_check_task), ("menunggu_simpan", impor_commit_task)],
)
def test_a_worker_that_lost_its_claim_meanwhile_writes_nothing(job, monkeypatch, state, task):
    """The worker was stopped past its lease while reading the file, and another worker claimed
    the job: the late one writes neither pegawai nor the job's outcome."""
    services.impor_check(job=job)
    ImporPegawai.objects.filter(pk=job.pk).update(status=state)
    real = services._plan_for

    def taken_over_meanwhile(job, **options):
        plan = real(job, **options)
        ImporPegawai.objects.filter(pk=job.pk).update(klaim="token-of-the-other-worker")
        return plan

    monkeypatch.setattr(services, "_plan_for", taken_over_meanwhile)
    before = Pegawai.objects.count()
    task(job.pk)
    job.refresh_from_db()
    assert job.klaim == "token-of-the-other-worker"
    assert job.status == {"menunggu_periksa": "diperiksa", "menunggu_simpan": "disimpan"}[state]
    assert Pegawai.objects.count() == before and not Pegawai.history.filter(nip=row()["nip"])
