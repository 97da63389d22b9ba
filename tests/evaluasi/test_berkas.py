import io
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluasi import services
from evaluasi.models import BerkasLaporan
from evaluasi.tasks import berkas_buat_task
from tests import factories

pytestmark = pytest.mark.usefixtures("private_media")


@pytest.fixture
def periode(periode, cast):
    """The period of tests/evaluasi/conftest.py, with the cast's pegawai rated."""
    services.penilaian_save(
        periode=periode,
        pegawai=cast.pegawai_pegawai,
        penilai=cast.atasan_pegawai,
        hasil_kerja="di_atas",
        perilaku_kerja="di_atas",
    )
    return periode


def text_of(berkas) -> str:
    berkas.refresh_from_db()
    assert berkas.status == BerkasLaporan.Status.SELESAI, berkas.pesan_gagal
    with berkas.file.open("rb") as fh:
        pages = PdfReader(io.BytesIO(fh.read())).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def request_pdf(client, jenis, pk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("evaluasi:berkas_request", args=[jenis, pk]))
    berkas = BerkasLaporan.objects.latest("pk")
    assert response["Location"] == berkas.get_absolute_url() and len(callbacks) == 1
    berkas_buat_task(berkas.pk)  # what the worker runs
    return berkas


def test_the_unit_pdf_holds_the_units_figures(
    login, cast, periode, django_capture_on_commit_callbacks
):
    client = login(cast.pengelola)
    berkas = request_pdf(
        client, "unit", periode.periode_units.get().pk, django_capture_on_commit_callbacks
    )
    text = text_of(berkas)
    for fact in (
        "Dinas Kesehatan",
        "Triwulan III 2026",
        "1 dari 2 pegawai dinilai",
        "Sebaran predikat kinerja",
        "Bidang Pelayanan Kesehatan",  # per sub-unit; each pegawai is in the XLSX beside it
        "Sangat Baik",
        "Belum ada catatan JP 2026",  # nobody has a JP entry in this test
    ):
        assert fact in text, fact


def test_the_pegawai_pdf_holds_their_predicates(
    login, cast, periode, django_capture_on_commit_callbacks
):
    berkas = request_pdf(
        login(cast.pengelola),
        "pegawai",
        cast.pegawai_pegawai.pk,
        django_capture_on_commit_callbacks,
    )
    text = text_of(berkas)
    assert "Budi Pegawai" in text and cast.pegawai_pegawai.nip_tampil in text
    assert "Triwulan III 2026" in text and "Sangat Baik" in text


def test_the_batch_pdf_holds_l1_to_l3(login, cast, finished, django_capture_on_commit_callbacks):
    from pelatihan import services as pelatihan_services

    pelatihan_services.peserta_decide(peserta=finished, lulus=True)
    services.laporan_sync()
    berkas = request_pdf(
        login(cast.pengelola), "angkatan", finished.angkatan_id, django_capture_on_commit_callbacks
    )
    text = text_of(berkas)
    assert "L1 Reaksi" in text and "L2 Pembelajaran" in text and "0 dari 1 laporan" in text


def test_a_task_delivered_twice_makes_one_file(
    login, cast, periode, django_capture_on_commit_callbacks
):
    berkas = request_pdf(
        login(cast.pengelola),
        "unit",
        periode.periode_units.get().pk,
        django_capture_on_commit_callbacks,
    )
    berkas.refresh_from_db()
    first = berkas.file.name
    berkas_buat_task(berkas.pk)  # delivered again
    berkas.refresh_from_db()
    assert berkas.file.name == first
    folder = Path(berkas.file.storage.path(first)).parent
    made = sorted(Path(name).name for name in (first, berkas.lampiran.name))  # PDF and XLSX
    assert sorted(p.name for p in folder.iterdir()) == made


def test_a_worker_that_lost_its_claim_meanwhile_leaves_no_file_and_no_outcome(
    login, cast, periode, monkeypatch, tmp_path, django_capture_on_commit_callbacks
):
    """The worker was stopped past its lease while laying out the PDF, and another worker
    claimed the row: the late one's file is deleted, the row is left to the other."""
    real = services.render_pdf

    def taken_over_meanwhile(*args, **kwargs):
        content = real(*args, **kwargs)
        BerkasLaporan.objects.update(klaim="token-of-the-other-worker")
        return content

    monkeypatch.setattr(services, "render_pdf", taken_over_meanwhile)
    berkas = request_pdf(
        login(cast.pengelola),
        "unit",
        periode.periode_units.get().pk,
        django_capture_on_commit_callbacks,
    )
    berkas.refresh_from_db()
    assert (berkas.status, berkas.file.name) == (BerkasLaporan.Status.DIPROSES, "")
    assert berkas.klaim == "token-of-the-other-worker"
    assert list(tmp_path.rglob("*.pdf")) == list(tmp_path.rglob("*.xlsx")) == []


def test_a_pdf_asked_for_twice_while_in_the_making_is_one_row_and_one_task(
    login, cast, periode, django_capture_on_commit_callbacks
):
    """A double click on "minta PDF": the second request answers with the first."""
    client = login(cast.pengelola)
    url = reverse("evaluasi:berkas_request", args=["unit", periode.periode_units.get().pk])
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(url)
        second = client.post(url)
    berkas = BerkasLaporan.objects.get()
    assert first["Location"] == second["Location"] == berkas.get_absolute_url()
    assert len(callbacks) == 1
    berkas_buat_task(berkas.pk)
    with django_capture_on_commit_callbacks() as callbacks:  # made: asked again, made anew
        again = client.post(url)
    assert BerkasLaporan.objects.count() == 2 and len(callbacks) == 1
    assert again["Location"] == BerkasLaporan.objects.latest("pk").get_absolute_url()


def test_the_pdf_in_the_making_is_one_per_requester_and_subject(cast, periode):
    periode_unit = periode.periode_units.get()
    asked = [
        services.berkas_request(berkas=BerkasLaporan(jenis=jenis, diminta_oleh=user, **subject))
        for jenis, subject in [
            ("unit", {"periode_unit": periode_unit}),
            ("pegawai", {"pegawai": cast.pegawai_pegawai}),
            ("pegawai", {"pegawai": cast.atasan_pegawai}),
        ]
        for user in (cast.pengelola, cast.admin)
    ]
    assert len({b.pk for b in asked}) == BerkasLaporan.objects.count() == 6
    again = services.berkas_request(
        berkas=BerkasLaporan(jenis="pegawai", diminta_oleh=cast.admin, pegawai=cast.atasan_pegawai)
    )
    assert again.pk == asked[-1].pk and BerkasLaporan.objects.count() == 6


def test_a_failure_is_recorded_with_a_reason(
    login, cast, periode, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("evaluasi.services.render_pdf", lambda *a, **k: broken())
    berkas = request_pdf(
        login(cast.pengelola),
        "unit",
        periode.periode_units.get().pk,
        django_capture_on_commit_callbacks,
    )
    berkas.refresh_from_db()
    assert berkas.status == BerkasLaporan.Status.GAGAL and "minta ulang" in berkas.pesan_gagal


def test_the_status_page_polls_and_offers_the_download_when_done(
    login, cast, periode, django_capture_on_commit_callbacks
):
    client = login(cast.pengelola)
    with django_capture_on_commit_callbacks():
        client.post(
            reverse("evaluasi:berkas_request", args=["unit", periode.periode_units.get().pk])
        )
    berkas = BerkasLaporan.objects.get()
    waiting = client.get(berkas.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    assert client.get(reverse("evaluasi:berkas_download", args=[berkas.pk])).status_code == 403
    berkas_buat_task(berkas.pk)
    download = client.get(reverse("evaluasi:berkas_download", args=[berkas.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_who_may_request_and_fetch(login, cast, periode, django_capture_on_commit_callbacks):
    unit_url = reverse("evaluasi:berkas_request", args=["unit", periode.periode_units.get().pk])
    assert login(cast.atasan).post(unit_url).status_code == 403
    other = cast.admin.__class__.objects.create_user("pengelola_bkd", password="x")
    cast.bkd.pengelola.add(other)
    assert login(other).post(unit_url).status_code == 404  # as missing as a wrong id
    pegawai_url = reverse("evaluasi:berkas_request", args=["pegawai", cast.pegawai_pegawai.pk])
    assert login(other).post(pegawai_url).status_code == 404
    assert login(cast.pengelola).get(unit_url).status_code == 405
    with django_capture_on_commit_callbacks():
        login(cast.pengelola).post(unit_url)
    berkas = BerkasLaporan.objects.get()
    assert login(other).get(berkas.get_absolute_url()).status_code == 404
    assert login(cast.admin).get(berkas.get_absolute_url()).status_code == 200


def test_each_page_offers_its_pdf_to_hr_only(login, cast, periode):
    url = reverse("evaluasi:kinerja_pegawai", args=[cast.pegawai_pegawai.pk])
    request_url = reverse("evaluasi:berkas_request", args=["pegawai", cast.pegawai_pegawai.pk])
    assert request_url in login(cast.pengelola).get(url).content.decode()
    assert request_url not in login(cast.pegawai).get(url).content.decode()
    unit_request = reverse("evaluasi:berkas_request", args=["unit", periode.periode_units.get().pk])
    assert unit_request in login(cast.pengelola).get(periode.get_absolute_url()).content.decode()


def test_the_period_page_lists_the_files_made_of_it_for_whoever_may_fetch_them(
    login, cast, periode, django_capture_on_commit_callbacks
):
    unit_request = reverse("evaluasi:berkas_request", args=["unit", periode.periode_units.get().pk])
    client = login(cast.pengelola)
    with django_capture_on_commit_callbacks():
        client.post(unit_request)
    waiting = BerkasLaporan.objects.get()
    page = client.get(periode.get_absolute_url()).content.decode()
    assert waiting.get_absolute_url() in page and "Menunggu" in page
    berkas_buat_task(waiting.pk)
    with django_capture_on_commit_callbacks():
        client.post(unit_request)  # made again later: listed first
    latest = BerkasLaporan.objects.latest("pk")
    page = client.get(periode.get_absolute_url()).content.decode()
    pdf = reverse("evaluasi:berkas_download", args=[waiting.pk])
    xlsx = reverse("evaluasi:berkas_download_xlsx", args=[waiting.pk])
    assert pdf in page and xlsx in page and "Selesai" in page
    assert page.index(latest.get_absolute_url()) < page.index(pdf)
    assert pdf in login(cast.admin).get(periode.get_absolute_url()).content.decode()
    colleague = cast.admin.__class__.objects.create_user("pengelola_dua", password="x")
    cast.dinkes.pengelola.add(colleague)  # sees the period, not the files another asked for
    page = login(colleague).get(periode.get_absolute_url()).content.decode()
    assert "Buat PDF unit ini" in page and pdf not in page


def test_the_message_after_a_request_tells_the_files_real_state(
    login, cast, periode, monkeypatch, django_capture_on_commit_callbacks
):
    """Tasks run eagerly (no Redis): the file is made before the page shows, and the message
    says so; with a worker it is still waiting, and the message says that instead."""
    url = reverse("evaluasi:berkas_request", args=["unit", periode.periode_units.get().pk])
    client = login(cast.pengelola)
    with django_capture_on_commit_callbacks():
        waiting = client.post(url, follow=True).content.decode()
    assert "sedang dibuat" in waiting and "Menunggu" in waiting
    BerkasLaporan.objects.all().delete()
    # What eager mode does once the row is committed: the task runs at once.
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, *args: task(*args))
    done = client.post(url, follow=True).content.decode()
    assert BerkasLaporan.objects.get().status == BerkasLaporan.Status.SELESAI
    assert "sedang dibuat" not in done and "Berkas selesai dibuat dan siap diunduh" in done


@pytest.mark.parametrize("jenis", ["pegawai", "angkatan"])
def test_the_subjects_page_lists_its_files_for_whoever_may_fetch_them(
    login, cast, jenis, django_capture_on_commit_callbacks
):
    """A pegawai's or a batch's PDF is found again on the page it was asked from."""
    if jenis == "pegawai":
        subject = cast.pegawai_pegawai
        page_url = reverse("evaluasi:kinerja_pegawai", args=[subject.pk])
    else:
        subject = factories.angkatan()
        page_url = reverse("evaluasi:angkatan_evaluasi", args=[subject.pk])
    client = login(cast.pengelola)
    with django_capture_on_commit_callbacks():
        client.post(reverse("evaluasi:berkas_request", args=[jenis, subject.pk]))
    berkas = BerkasLaporan.objects.get()
    berkas_buat_task(berkas.pk)
    page = client.get(page_url).content.decode()
    pdf = reverse("evaluasi:berkas_download", args=[berkas.pk])
    assert berkas.get_absolute_url() in page and pdf in page and "Selesai" in page
    assert pdf in login(cast.admin).get(page_url).content.decode()
    colleague = cast.admin.__class__.objects.create_user("pengelola_dua", password="x")
    cast.dinkes.pengelola.add(colleague)  # sees the page, not the files another asked for
    response = login(colleague).get(page_url)
    assert response.status_code == 200 and pdf not in response.content.decode()
