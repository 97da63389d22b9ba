"""The import's states, every step from every state, written out by hand: the check task acts
only on a job waiting to be checked, the save request only on a job ready to save, the save task
only on a job waiting to be saved; from any other state each does nothing."""

import pytest

from pegawai import services
from pegawai.models import ImporPegawai, Pegawai
from pegawai.tasks import impor_check_task, impor_commit_task
from tests.pegawai.test_impor import csv_file, row

STATES = [
    "menunggu_periksa", "diperiksa", "siap", "tidak_valid", "menunggu_simpan", "disimpan",
    "selesai", "gagal",
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
    if state in ("menunggu_simpan",):  # a job waiting to be saved was checked first
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
