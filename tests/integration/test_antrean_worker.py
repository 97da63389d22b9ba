"""Queues by kind on a real Redis with real workers: a worker consumes only the queues it was
started with (-Q), and one started without -Q consumes every queue. On a Redis of the test's own,
so that the session's worker (which listens on every queue) takes nothing. About 40 s here
(two workers started and stopped)."""

import time

import pytest
import redis
from celery import Celery

from tests.workers import start_worker, stop_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# One task per queue that finds nothing to do with pk 0 (no such row), chosen by kind.
ONE_PER_QUEUE = {
    "surel": ("pegawai.tasks.notifikasi_surel_task", [0]),
    "pdf": ("evaluasi.tasks.berkas_buat_task", [0]),
    "impor": ("pegawai.tasks.impor_check_task", [0]),
    "ringkasan": ("pembinaan.tasks.ringkasan_segarkan_task", []),
    "celery": ("pembinaan.tasks.antrean_sapu_task", []),
}


@pytest.fixture
def sender(private_redis):
    """A Celery app with the project's settings (its routes) on the test's own Redis."""
    app = Celery("sibina-uji", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = private_redis.url
    try:
        yield app
    finally:
        app.close()


def received(worker, task: str) -> bool:
    return f"Task {task}[" in open(worker.log.name).read()


def test_a_pdf_task_is_consumed_by_a_pdf_worker_and_not_by_a_mail_worker(
    private_redis, sender, tmp_path
):
    task, args = ONE_PER_QUEUE["pdf"]
    broker = redis.Redis.from_url(private_redis.url)
    mail = start_worker(tmp_path, "sibina-surel", private_redis.env(), queues=["surel"])
    try:
        sender.send_task(task, args=args)  # routed by name, as every sending is
        assert broker.llen("pdf") == 1
        time.sleep(3)  # the mail worker polls its queue several times meanwhile
        assert broker.llen("pdf") == 1 and not received(mail, task)
        pdf = start_worker(tmp_path, "sibina-pdf", private_redis.env(), queues=["pdf"])
        try:
            wait_for(lambda: received(pdf, task), seconds=60, what="the pdf worker")
            assert broker.llen("pdf") == 0
            assert not received(mail, task)
        finally:
            stop_worker(pdf)
    finally:
        stop_worker(mail)
        broker.close()


def test_a_worker_started_without_queues_consumes_every_queue(private_redis, sender, tmp_path):
    broker = redis.Redis.from_url(private_redis.url)
    for task, args in ONE_PER_QUEUE.values():
        sender.send_task(task, args=args)
    try:
        assert {queue: broker.llen(queue) for queue in ONE_PER_QUEUE} == dict.fromkeys(
            ONE_PER_QUEUE, 1
        )
        worker = start_worker(tmp_path, "sibina-semua", private_redis.env())
        try:
            for task, _ in ONE_PER_QUEUE.values():
                wait_for(lambda t=task: received(worker, t), seconds=60, what=task)
            assert sum(broker.llen(queue) for queue in ONE_PER_QUEUE) == 0
        finally:
            stop_worker(worker)
    finally:
        broker.close()
