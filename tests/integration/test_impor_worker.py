import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pegawai import services
from pegawai.models import ImporPegawai, Pegawai
from tests.pegawai.test_impor import csv_file, row
from tests.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def status_of(job) -> str:
    return ImporPegawai.objects.values_list("status", flat=True).get(pk=job.pk)


def test_an_import_is_checked_and_saved_by_a_real_worker(cast, celery_worker_process, settings):
    settings.MEDIA_ROOT = celery_worker_process
    rows = [row(), row(nip="199003152015031003", nip_atasan=cast.atasan_pegawai.nip)]
    job = services.impor_request(file=csv_file(rows), user=cast.pengelola)

    wait_for(lambda: status_of(job) == ImporPegawai.Status.SIAP, what="the check")
    assert not Pegawai.objects.filter(nip="199003152015031002").exists()

    assert services.impor_commit_request(job=job)
    wait_for(lambda: status_of(job) == ImporPegawai.Status.SELESAI, what="the commit")
    saved = Pegawai.objects.get(nip="199003152015031003")
    assert saved.atasan == cast.atasan_pegawai
    assert saved.history.get().history_user == cast.pengelola


def test_a_bad_file_ends_with_its_errors_and_writes_nothing(cast, celery_worker_process, settings):
    settings.MEDIA_ROOT = celery_worker_process
    job = services.impor_request(
        file=SimpleUploadedFile("x.csv", b"nip,nama\n1,A\n"), user=cast.pengelola
    )
    wait_for(lambda: status_of(job) == ImporPegawai.Status.TIDAK_VALID, what="the check")
    job.refresh_from_db()
    assert {e["kolom"] for e in job.kesalahan} >= {"status_kepegawaian", "golongan"}
