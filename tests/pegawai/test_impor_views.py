import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from pegawai.impor import KOLOM
from pegawai.models import ImporPegawai, Pegawai
from pegawai.tasks import impor_check_task, impor_commit_task
from tests.files import xlsx_by_hand, xlsx_row
from tests.pegawai.test_impor import csv_file, row

CREATE = reverse("pegawai:impor_create")


pytestmark = pytest.mark.usefixtures("private_media")


def upload(client, file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(CREATE, {"file": file})
    return response, callbacks


def test_upload_check_preview_and_commit(login, cast, django_capture_on_commit_callbacks):
    client = login(cast.pengelola)
    response, callbacks = upload(client, csv_file([row()]), django_capture_on_commit_callbacks)
    job = ImporPegawai.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert len(callbacks) == 1  # the check is queued once the upload is committed
    impor_check_task(job.pk)  # what the worker runs
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Siap disimpan" in page and "Ahmad Fauzi" in page
    assert not Pegawai.objects.filter(nip="199003152015031002").exists()

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("pegawai:impor_commit", args=[job.pk]))
    assert len(callbacks) == 1
    impor_commit_task(job.pk)
    job.refresh_from_db()
    assert job.status == ImporPegawai.Status.SELESAI
    assert Pegawai.objects.filter(nip="199003152015031002").exists()


def test_a_task_run_twice_does_the_work_once(login, cast, django_capture_on_commit_callbacks):
    client = login(cast.pengelola)
    upload(client, csv_file([row()]), django_capture_on_commit_callbacks)
    job = ImporPegawai.objects.get()
    impor_check_task(job.pk)
    client.post(reverse("pegawai:impor_commit", args=[job.pk]))
    impor_commit_task(job.pk)
    impor_commit_task(job.pk)
    assert Pegawai.objects.get(nip="199003152015031002").history.count() == 1


def test_committing_an_invalid_import_is_refused(login, cast, django_capture_on_commit_callbacks):
    client = login(cast.pengelola)
    upload(client, csv_file([row(golongan="Z")]), django_capture_on_commit_callbacks)
    job = ImporPegawai.objects.get()
    impor_check_task(job.pk)
    response = client.post(reverse("pegawai:impor_commit", args=[job.pk]), follow=True)
    assert "tidak dalam keadaan siap" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImporPegawai.Status.TIDAK_VALID


def test_the_status_fragment_polls_while_in_progress(
    login, cast, django_capture_on_commit_callbacks
):
    client = login(cast.pengelola)
    upload(client, csv_file([row()]), django_capture_on_commit_callbacks)
    job = ImporPegawai.objects.get()
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment


def test_an_oversized_file_is_refused_before_anything_is_stored(login, cast, settings):
    settings.IMPOR_MAX_BYTES = 100
    response = login(cast.pengelola).post(CREATE, {"file": csv_file([row(), row(), row()])})
    assert "terlalu besar" in response.context["form"].errors["file"][0]
    assert not ImporPegawai.objects.exists()


def test_a_binary_file_is_refused_by_its_content(login, cast):
    junk = csv_file([])
    junk.file = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    junk.size = 11
    response = login(cast.pengelola).post(CREATE, {"file": junk})
    assert "bukan keduanya" in response.context["form"].errors["file"][0]


def test_another_users_import_is_not_found(login, cast, django_capture_on_commit_callbacks):
    upload(login(cast.pengelola), csv_file([row()]), django_capture_on_commit_callbacks)
    job = ImporPegawai.objects.get()
    other = cast.admin.__class__.objects.create_user("pengelola2", password="x")
    cast.bkd.pengelola.add(other)
    assert login(other).get(job.get_absolute_url()).status_code == 404
    assert login(cast.admin).get(job.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["pegawai", "atasan"])
def test_import_pages_are_for_managers_only(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(CREATE).status_code == 403
    assert client.get(reverse("pegawai:impor_template")).status_code == 403


def test_anonymous_is_sent_to_login(client, cast):
    assert client.get(CREATE).status_code == 302


def test_commit_needs_post(login, cast):
    assert login(cast.pengelola).get(reverse("pegawai:impor_commit", args=[1])).status_code == 405


def test_the_template_has_the_columns_and_a_guide(login, cast):
    response = login(cast.pengelola).get(reverse("pegawai:impor_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in workbook["Pegawai"][1]]
    assert header == [k.key for k in KOLOM] + ["keterangan"]
    assert workbook["Petunjuk"].max_row == len(KOLOM) + 2


def test_a_workbook_declaring_the_whole_sheet_is_refused_at_upload(login, cast, monkeypatch):
    monkeypatch.setattr("pembinaan.lib.tabular.load_workbook", None)  # never reached
    bomb = SimpleUploadedFile(
        "pegawai.xlsx", xlsx_by_hand(xlsx_row(1, "nip", "nama"), dimension="A1:XFD1048576")
    )
    response = login(cast.pengelola).post(CREATE, {"file": bomb})
    assert "menyatakan ukuran A1:XFD1048576" in response.context["form"].errors["file"][0]
    assert not ImporPegawai.objects.exists()


def test_the_upload_is_stored_under_a_generated_name(
    login, cast, django_capture_on_commit_callbacks
):
    upload(login(cast.pengelola), csv_file([row()]), django_capture_on_commit_callbacks)
    job = ImporPegawai.objects.get()
    assert re.fullmatch(r"impor/\d{4}/\d{2}/[0-9a-f]{32}\.csv", job.file.name)
    assert job.nama_berkas == "pegawai.csv"
