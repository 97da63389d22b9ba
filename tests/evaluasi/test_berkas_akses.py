"""Who reaches a made evaluation file (the PDF, the XLSX beside it, the status page): its
requester while the subject is still within their rights, and administrators. Rights are read
anew on every request, so a withdrawn unit assignment or a pegawai moved out of the requester's
units closes the file at once; every refusal is a 404, so that no id is confirmed to exist."""

import pytest
from django.urls import reverse

from evaluasi.models import BerkasLaporan
from evaluasi.tasks import berkas_buat_task
from pegawai.models import Pegawai
from tests import factories

pytestmark = pytest.mark.usefixtures("private_media")


def made(client, jenis, pk, django_capture_on_commit_callbacks) -> BerkasLaporan:
    with django_capture_on_commit_callbacks():
        client.post(reverse("evaluasi:berkas_request", args=[jenis, pk]))
    berkas = BerkasLaporan.objects.latest("pk")
    berkas_buat_task(berkas.pk)  # what the worker runs
    berkas.refresh_from_db()
    assert berkas.status == BerkasLaporan.Status.SELESAI, berkas.pesan_gagal
    return berkas


def urls(berkas) -> list[str]:
    return [
        reverse("evaluasi:berkas_detail", args=[berkas.pk]),
        reverse("evaluasi:berkas_download", args=[berkas.pk]),
        reverse("evaluasi:berkas_download_xlsx", args=[berkas.pk]),
    ]


def statuses(client, berkas, **headers) -> list[int]:
    return [client.get(url, **headers).status_code for url in urls(berkas)]


def test_a_pengelola_whose_unit_is_withdrawn_no_longer_reaches_the_unit_files(
    login, cast, periode, django_capture_on_commit_callbacks
):
    client = login(cast.pengelola)
    berkas = made(
        client, "unit", periode.periode_units.get().pk, django_capture_on_commit_callbacks
    )
    assert berkas.lampiran
    assert statuses(client, berkas) == [200, 200, 200]
    cast.dinkes.pengelola.remove(cast.pengelola)
    assert statuses(client, berkas) == [404, 404, 404]
    assert statuses(client, berkas, HTTP_HX_REQUEST="true")[0] == 404  # the status poll
    assert statuses(login(cast.admin), berkas) == [200, 200, 200]


def test_a_pegawai_moved_out_of_the_requesters_units_closes_their_pdf(
    login, cast, periode, django_capture_on_commit_callbacks
):
    client = login(cast.pengelola)
    berkas = made(client, "pegawai", cast.pegawai_pegawai.pk, django_capture_on_commit_callbacks)
    detail, pdf, _ = urls(berkas)
    assert [client.get(detail).status_code, client.get(pdf).status_code] == [200, 200]
    Pegawai.objects.filter(pk=cast.pegawai_pegawai.pk).update(unit=cast.bkd)
    assert [client.get(detail).status_code, client.get(pdf).status_code] == [404, 404]


def test_a_batch_pdf_closes_when_its_requester_no_longer_organises_the_training(
    login, cast, finished, django_capture_on_commit_callbacks
):
    client = login(cast.pengelola)
    berkas = made(client, "angkatan", finished.angkatan_id, django_capture_on_commit_callbacks)
    detail, pdf, _ = urls(berkas)
    assert [client.get(detail).status_code, client.get(pdf).status_code] == [200, 200]
    cast.dinkes.pengelola.remove(cast.pengelola)  # the training's organising unit
    assert [client.get(detail).status_code, client.get(pdf).status_code] == [404, 404]


def test_another_pengelola_of_the_same_unit_or_another_gets_404(
    login, cast, periode, django_capture_on_commit_callbacks
):
    berkas = made(
        login(cast.pengelola), "unit", periode.periode_units.get().pk,
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    colleague = factories.user("pengelola_dua")
    cast.dinkes.pengelola.add(colleague)
    stranger = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(stranger)
    for user in (colleague, stranger, cast.pegawai, cast.atasan):
        assert statuses(login(user), berkas) == [404, 404, 404], user.username
    missing = BerkasLaporan.objects.latest("pk").pk + 1  # the same answer as for no row at all
    assert login(cast.pengelola).get(
        reverse("evaluasi:berkas_detail", args=[missing])
    ).status_code == 404  # fmt: skip


def test_a_post_to_the_file_urls_is_refused_and_changes_nothing(
    login, cast, periode, tmp_path, django_capture_on_commit_callbacks
):
    client = login(cast.pengelola)
    berkas = made(
        client, "unit", periode.periode_units.get().pk, django_capture_on_commit_callbacks
    )
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    before = list(BerkasLaporan.objects.values())
    for user in (cast.pengelola, cast.admin):
        client = login(user)
        with django_capture_on_commit_callbacks() as callbacks:
            assert [client.post(url).status_code for url in urls(berkas)] == [405, 405, 405]
        assert callbacks == []
    assert list(BerkasLaporan.objects.values()) == before
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == files


def test_the_period_page_offers_a_unit_file_only_to_who_may_make_it(login, cast_lengkap, periode):
    """The province's HR see every unit's period page but make files of their own units only:
    no button that would answer 404 (a reviewer's finding); the unit's pengelola has it."""
    url = reverse("evaluasi:periode_detail", args=[periode.pk])
    button = "Buat PDF unit ini"
    province = login(cast_lengkap.provinsi).get(url)
    assert province.status_code == 200 and button not in province.content.decode()
    assert button in login(cast_lengkap.pengelola).get(url).content.decode()
