"""Celery queues by kind of work (settings.CELERY_TASK_ROUTES, docs/scaling.md): every task of
the project has a deliberate queue, and a worker started without -Q consumes them all."""

import pytest
from django.conf import settings

from pembinaan.celery import app
from pembinaan.tasks import _waiting

PROJECT_APPS = ("pegawai.", "pelatihan.", "evaluasi.", "masyarakat.", "pembinaan.")


def project_tasks() -> list[str]:
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    return sorted(name for name in app.tasks if name.startswith(PROJECT_APPS))


def queue_of(name: str) -> str:
    """The queue a task is sent to, as Celery's router decides it when the task is sent."""
    return app.amqp.router.route({}, name)["queue"].name


def test_every_task_of_the_project_has_a_deliberate_route_to_one_of_the_five_queues():
    tasks = project_tasks()
    assert len(tasks) >= 25
    unrouted = [name for name in tasks if name not in settings.CELERY_TASK_ROUTES]
    assert unrouted == [], "give each new task a queue in settings.CELERY_TASK_ROUTES"
    assert {queue_of(name) for name in tasks} == set(settings.ANTREAN)
    # No route for a task that no longer exists (a renamed task would go to the default).
    assert sorted(settings.CELERY_TASK_ROUTES) == tasks


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("pegawai.tasks.notifikasi_surel_task", "surel"),
        ("pegawai.tasks.akun_undangan_send_task", "surel"),
        ("masyarakat.tasks.surel_warga_task", "surel"),
        ("evaluasi.tasks.berkas_buat_task", "pdf"),
        ("pembinaan.tasks.laporan_buat_task", "pdf"),
        ("pegawai.tasks.impor_check_task", "impor"),
        ("pegawai.tasks.impor_commit_task", "impor"),
        ("pembinaan.tasks.ringkasan_task", "ringkasan"),
        ("pembinaan.tasks.ringkasan_segarkan_task", "ringkasan"),
        ("pembinaan.tasks.penempatan_talenta_task", "ringkasan"),
        ("pembinaan.tasks.antrean_sapu_task", "celery"),
    ],
)
def test_each_kind_of_work_goes_to_its_queue(task, queue):
    assert queue_of(task) == queue


def test_mail_tasks_go_to_the_mail_queue():
    mail = [n for n in project_tasks() if "surel" in n or "notifikasi" in n or "undangan" in n]
    assert len(mail) >= 6
    assert {queue_of(name) for name in mail} == {"surel"}


def test_the_sweep_sends_each_waiting_job_to_its_own_queue():
    assert {task.name: queue_of(task.name) for _, task in _waiting()} == {
        "evaluasi.tasks.berkas_buat_task": "pdf",
        "pembinaan.tasks.laporan_buat_task": "pdf",
        "pegawai.tasks.impor_check_task": "impor",
        "pegawai.tasks.impor_commit_task": "impor",
    }


def test_a_worker_without_queues_named_consumes_every_queue():
    """What `celery worker` without -Q listens on: the queues of CELERY_TASK_QUEUES, all five."""
    assert sorted(app.amqp.queues) == sorted(settings.ANTREAN)
    assert settings.CELERY_TASK_DEFAULT_QUEUE in settings.ANTREAN
