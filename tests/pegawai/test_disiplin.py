"""Disciplinary records (PP 94/2021): kept by the HR of the pegawai's unit, never about
themselves, read by the pegawai; bad input saves nothing; every change is in the audit log."""

from datetime import date

import pytest
from django.urls import reverse

from pegawai.models import CatatanDisiplin
from pembinaan import audit

DATA = {
    "tingkat": "sedang", "jenis_hukuman": "potong_tukin_6", "nomor_sk": "800/7/BKD/2026",
    "tanggal_sk": "2026-05-04", "tmt": "2026-06-01", "tanggal_selesai": "2026-11-30",
    "keterangan": "Tidak masuk kerja 11 hari",
}  # fmt: skip


def _create(client, cast_lengkap, pegawai=None, **changes):
    pegawai = pegawai or cast_lengkap.pegawai_pegawai
    url = reverse("pegawai:disiplin_create", args=[pegawai.pk])
    return client.post(url, DATA | changes)


def test_hr_of_the_unit_records_a_sanction_with_its_author_in_the_history(client, cast_lengkap):
    client.force_login(cast_lengkap.pengelola)
    response = _create(client, cast_lengkap)
    assert response.status_code == 302
    catatan = CatatanDisiplin.objects.get()
    assert (catatan.pegawai, catatan.tingkat, catatan.tmt) == (
        cast_lengkap.pegawai_pegawai,
        "sedang",
        date(2026, 6, 1),
    )
    assert catatan.dicatat_oleh == cast_lengkap.pengelola
    assert catatan.history.get().history_user == cast_lengkap.pengelola


def test_a_correction_is_kept_in_the_audit_log(client, cast_lengkap):
    client.force_login(cast_lengkap.pengelola)
    _create(client, cast_lengkap)
    catatan = CatatanDisiplin.objects.get()
    url = reverse("pegawai:disiplin_update", args=[catatan.pk])
    assert client.post(url, DATA | {"jenis_hukuman": "potong_tukin_9"}).status_code == 302
    catatan.refresh_from_db()
    assert catatan.jenis_hukuman == "potong_tukin_9"
    page = audit.audit_page(cast_lengkap.pengelola, audit.Filter(jenis="disiplin"))
    assert [e.tindakan for e in page.entries] == ["diubah", "dibuat"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"jenis_hukuman": "teguran_lisan"}, "bukan hukuman disiplin sedang"),
        ({"tmt": "2026-04-01"}, "TMT hukuman tidak boleh sebelum tanggal SK."),
        ({"tanggal_selesai": "2026-05-30"}, "Tanggal berakhir tidak boleh sebelum TMT hukuman."),
        ({"nomor_sk": ""}, "Isi nomor SK hukuman disiplin."),
        ({"tingkat": "sangat_berat"}, "Pilih tingkat hukuman: ringan, sedang atau berat."),
        ({"tmt": "31/02/2026"}, "Tanggal tidak dikenal"),
        (
            {"tanggal_sk": "2099-11-01", "tmt": "2099-11-01"},
            "Tanggal SK tidak boleh setelah hari ini.",
        ),
    ],
)
def test_bad_input_gives_the_form_again_and_saves_nothing(client, cast_lengkap, changes, message):
    client.force_login(cast_lengkap.pengelola)
    response = _create(client, cast_lengkap, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CatatanDisiplin.objects.exists()


def test_hr_may_not_record_a_sanction_about_themselves(client, cast_lengkap):
    client.force_login(cast_lengkap.pengelola_pegawai)
    response = _create(client, cast_lengkap, pegawai=cast_lengkap.pengelola_pegawai_pegawai)
    assert response.status_code == 403
    assert not CatatanDisiplin.objects.exists()


REFUSED = [("pengelola_lain", 404), ("provinsi", 404), ("rekan", 404), ("atasan", 403),
           ("pegawai", 403)]  # fmt: skip


@pytest.mark.parametrize("role, status", REFUSED)
def test_only_hr_of_the_unit_may_record(client, cast_lengkap, role, status):
    client.force_login(getattr(cast_lengkap, role))
    assert _create(client, cast_lengkap).status_code == status
    assert not CatatanDisiplin.objects.exists()


def test_the_pegawai_reads_their_own_record_without_a_way_to_change_it(client, cast_lengkap):
    client.force_login(cast_lengkap.pengelola)
    _create(client, cast_lengkap)
    catatan = CatatanDisiplin.objects.get()
    client.force_login(cast_lengkap.pegawai)
    url = reverse("pegawai:disiplin_list", args=[cast_lengkap.pegawai_pegawai.pk])
    page = client.get(url).content.decode()
    assert "Pemotongan tunjangan kinerja 25% selama 6 bulan" in page
    assert reverse("pegawai:disiplin_update", args=[catatan.pk]) not in page
    assert reverse("pegawai:disiplin_create", args=[cast_lengkap.pegawai_pegawai.pk]) not in page
    assert client.get(reverse("pegawai:disiplin_update", args=[catatan.pk])).status_code == 403


@pytest.mark.parametrize("role, status", [("rekan", 404), ("pengelola_lain", 404), ("atasan", 403)])
def test_colleagues_other_hr_and_the_atasan_do_not_read_the_record(client, cast_lengkap, role,
                                                                   status):  # fmt: skip
    client.force_login(getattr(cast_lengkap, role))
    url = reverse("pegawai:disiplin_list", args=[cast_lengkap.pegawai_pegawai.pk])
    assert client.get(url).status_code == status
