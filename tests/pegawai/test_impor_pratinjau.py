"""The import preview says what will change: each field before and after, by name; a row whose
pegawai changed in SIBINA after the export is flagged and left alone unless HR ticks it; the
template's example row is never imported; a file that changes nothing cannot be saved."""

import csv
import io
import zipfile
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pegawai import impor, services
from pegawai.models import ImporPegawai, Pegawai
from pegawai.reports import EXPORT_HEADER
from pegawai.tasks import impor_check_task, impor_commit_task
from tests import factories
from tests.files import _XLSX_PARTS
from tests.pegawai.test_impor import HEADER, csv_file, row

pytestmark = pytest.mark.usefixtures("private_media")


def exported(client, **params) -> list[list[str]]:
    response = client.get(reverse("pegawai:export_csv"), params)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def as_upload(rows: list[list[str]], name="ekspor.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode())


def checked(client, upload) -> ImporPegawai:
    client.post(reverse("pegawai:impor_create"), {"file": upload})
    job = ImporPegawai.objects.latest("pk")
    impor_check_task(job.pk)
    job.refresh_from_db()
    return job


def commit(client, job, **data):
    response = client.post(reverse("pegawai:impor_commit", args=[job.pk]), data, follow=True)
    impor_commit_task(job.pk)
    job.refresh_from_db()
    return response.content.decode()


def set_cell(rows, nip: str, column: str, value: str) -> None:
    line = next(r for r in rows if r[0] == nip)
    line[EXPORT_HEADER.index(column)] = value


def later(minutes: int = 5):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def test_the_preview_lists_each_changed_field_before_and_after_by_name(login, cast):
    factories.jabatan("Analis Kepegawaian Ahli Muda", "fungsional", "ahli_muda")
    client = login(cast.pengelola)
    rows = exported(client, q="budi")
    budi = cast.pegawai_pegawai
    set_cell(rows, budi.nip, "jabatan", "Analis Kepegawaian Ahli Muda")
    set_cell(rows, budi.nip, "golongan", "III/c")
    set_cell(rows, budi.nip, "kode_unit", "DINKES")
    set_cell(rows, budi.nip, "tmt_jabatan", "01/07/2026")
    set_cell(rows, budi.nip, "nip_atasan", "")
    job = checked(client, as_upload(rows))
    assert job.status == ImporPegawai.Status.SIAP, job.kesalahan
    assert (job.jumlah_diubah, job.jumlah_lebih_baru) == (1, 0)
    [entry] = [r for r in job.pratinjau if r["aksi"] == "ubah"]
    assert sorted(entry["perubahan"]) == sorted(
        [
            ["Jabatan", "Pengadministrasi Perkantoran", "Analis Kepegawaian Ahli Muda"],
            ["Golongan", "III/b – Penata Muda Tingkat I", "III/c – Penata"],
            ["Unit kerja", "Bidang Pelayanan Kesehatan", "Dinas Kesehatan"],
            ["TMT jabatan", "1 Januari 2020", "1 Juli 2026"],
            ["Atasan langsung", f"Siti Atasan ({cast.atasan_pegawai.nip_tampil})", "–"],
        ]
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "<del>Pengadministrasi Perkantoran</del> → <ins>Analis Kepegawaian Ahli Muda</ins>" in (
        page
    )
    assert "Simpan 1 pegawai" in page


def test_the_export_carries_its_time_in_wib_on_every_row(login, cast):
    moment = datetime(2026, 12, 3, 7, 15, 42, tzinfo=timezone.get_fixed_timezone(0))
    with time_machine.travel(moment, tick=False):
        rows = exported(login(cast.pengelola))
    column = EXPORT_HEADER.index("diekspor_pada")
    assert rows[0][column] == "diekspor_pada"
    assert {r[column] for r in rows[1:]} == {"03/12/2026 14:15:42 WIB"}
    assert impor.export_time(rows[1][column]) == moment


def test_a_row_changed_in_sibina_after_the_export_is_flagged_and_kept_unless_ticked(login, cast):
    client = login(cast.pengelola)
    rows = exported(client)
    budi, siti = cast.pegawai_pegawai, cast.atasan_pegawai
    for p in (budi, siti):
        set_cell(rows, p.nip, "telepon", "081200000000")
    with later():  # someone corrects both in SIBINA after the export
        for p in (budi, siti):
            p.tempat_lahir = "Muaro Jambi"
            services.pegawai_save(pegawai=p, user=cast.admin, reason="Koreksi")
    with later(10):
        job = checked(client, as_upload(rows))
    assert job.status == ImporPegawai.Status.SIAP
    assert (job.jumlah_diubah, job.jumlah_lebih_baru) == (0, 2)
    flagged = {r["nama"]: r for r in job.pratinjau if r["aksi"] == "lebih_baru"}
    assert set(flagged) == {budi.nama_lengkap, siti.nama_lengkap}
    # The file would also put back the old birthplace: the preview shows it.
    assert ["Tempat lahir", "Muaro Jambi", "Jambi"] in flagged[budi.nama_lengkap]["perubahan"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert page.count("data di SIBINA lebih baru") >= 2
    assert "Simpan baris yang dicentang" in page and "Simpan 0" not in page

    with later(15):
        commit(client, job, timpa=[budi.nip_tampil])
    assert job.status == ImporPegawai.Status.SELESAI
    assert (job.jumlah_diubah, job.jumlah_lebih_baru) == (1, 1)
    budi.refresh_from_db()
    siti.refresh_from_db()
    assert (budi.telepon, budi.tempat_lahir) == ("081200000000", "Jambi")  # ticked: overwritten
    assert (siti.telepon, siti.tempat_lahir) == ("", "Muaro Jambi")  # not ticked: as in SIBINA


def test_newer_rows_left_unticked_save_nothing_and_say_why(login, cast):
    client = login(cast.pengelola)
    rows = exported(client, q="budi")
    set_cell(rows, cast.pegawai_pegawai.nip, "telepon", "081200000000")
    with later():
        Pegawai.objects.filter(pk=cast.pegawai_pegawai.pk).update(
            tempat_lahir="Muaro Jambi", updated_at=timezone.now()
        )
    job = checked(client, as_upload(rows))
    page = commit(client, job)
    assert "Centang baris yang tetap ingin ditimpa" in page
    # A tick sent for a row the preview did not flag counts for nothing.
    assert "Centang baris" in commit(client, job, timpa=[cast.atasan_pegawai.nip])
    assert job.status == ImporPegawai.Status.SIAP
    assert Pegawai.objects.get(pk=cast.pegawai_pegawai.pk).telepon == ""


def test_a_row_unchanged_in_sibina_since_the_export_is_updated_without_a_tick(login, cast):
    client = login(cast.pengelola)
    rows = exported(client, q="budi")
    set_cell(rows, cast.pegawai_pegawai.nip, "telepon", "081200000000")
    with later():
        job = checked(client, as_upload(rows))
        assert (job.jumlah_diubah, job.jumlah_lebih_baru) == (1, 0)
        commit(client, job)
    assert job.status == ImporPegawai.Status.SELESAI
    assert Pegawai.objects.get(pk=cast.pegawai_pegawai.pk).telepon == "081200000000"


def test_an_unreadable_export_time_is_named_as_the_rows_error(login, cast):
    client = login(cast.pengelola)
    rows = exported(client, q="budi")
    set_cell(rows, cast.pegawai_pegawai.nip, "diekspor_pada", "kemarin sore")
    job = checked(client, as_upload(rows))
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert [(e["baris"], e["kolom"]) for e in job.kesalahan] == [(2, "diekspor_pada")]


def test_the_templates_example_row_is_marked_and_never_imported(login, cast):
    client = login(cast.pengelola)
    template = load_workbook(io.BytesIO(client.get(reverse("pegawai:impor_template")).content))
    sheet = template["Pegawai"]
    header = [c.value for c in sheet[1]]
    example = [c.value for c in sheet[2]]
    assert example[header.index("keterangan")].startswith("CONTOH")
    sheet.append([row(nip="198001012005011001", tanggal_lahir="01/01/1980").get(k) for k in header])
    buffer = io.BytesIO()
    template.save(buffer)
    job = checked(client, SimpleUploadedFile("isi.xlsx", buffer.getvalue()))
    assert job.status == ImporPegawai.Status.SIAP, job.kesalahan
    assert (job.jumlah_baru, job.baris_contoh) == (1, [2])
    assert "Baris 2: contoh dari templat, tidak diimpor." in (
        client.get(job.get_absolute_url()).content.decode()
    )
    commit(client, job)
    assert Pegawai.objects.filter(nip="198001012005011001").exists()
    assert not Pegawai.objects.filter(nip=example[0]).exists()


def test_a_file_of_only_the_example_row_is_refused_with_the_reason(login, cast):
    client = login(cast.pengelola)
    upload = SimpleUploadedFile("t.xlsx", client.get(reverse("pegawai:impor_template")).content)
    job = checked(client, upload)
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "hanya berisi baris contoh" in job.kesalahan[0]["pesan"]


def test_an_empty_file_cannot_be_saved(login, cast):
    job = checked(login(cast.pengelola), csv_file([]))
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "tidak berisi data pegawai" in job.kesalahan[0]["pesan"]


def test_a_file_with_nothing_to_change_says_so_and_a_save_writes_nothing(login, cast):
    client = login(cast.pengelola)
    job = checked(client, as_upload(exported(client)))
    assert job.status == ImporPegawai.Status.TANPA_PERUBAHAN
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tidak ada perubahan" in page and "Simpan" not in page
    history = Pegawai.history.count()
    page = commit(client, job)
    assert "tidak dalam keadaan siap" in page
    assert job.status == ImporPegawai.Status.TANPA_PERUBAHAN
    assert Pegawai.history.count() == history


def test_a_file_saved_meanwhile_by_another_import_ends_with_nothing_to_change(login, cast):
    client = login(cast.pengelola)
    first = checked(client, csv_file([row()]))
    second = checked(client, csv_file([row()]))
    commit(client, first)
    commit(client, second)
    assert (first.status, second.status) == ("selesai", "tanpa_perubahan")
    assert Pegawai.objects.get(nip=row()["nip"]).history.count() == 1


def _xlsx(sheet_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


SHEET = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_an_xlsx_declaring_an_external_entity_is_refused_in_indonesian_at_upload(login, cast):
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'{SHEET}<sheetData><row r="1"><c t="inlineStr"><is><t>&e;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    upload = SimpleUploadedFile("jahat.xlsx", _xlsx(sheet))
    response = login(cast.pengelola).post(reverse("pegawai:impor_create"), {"file": upload})
    assert "DOCTYPE/ENTITY" in response.context["form"].errors["file"][0]
    assert not ImporPegawai.objects.exists()


def test_a_malformed_xlsx_ends_as_invalid_with_a_clear_message_not_a_system_error(cast):
    cells = "".join(f'<c t="inlineStr"><is><t>{k}</t></is></c>' for k in HEADER)
    sheet = f'<?xml version="1.0"?>{SHEET}<sheetData><row r="1">{cells}</row><row r="2"><c t="in'
    job = ImporPegawai(nama_berkas="rusak.xlsx", diunggah_oleh=cast.pengelola)
    job.file.save("rusak.xlsx", SimpleUploadedFile("rusak.xlsx", _xlsx(sheet)), save=False)
    job.save()
    impor_check_task(job.pk)
    job.refresh_from_db()
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "rusak" in job.kesalahan[0]["pesan"] and not job.pesan_gagal


def test_an_officers_own_unchanged_row_in_an_export_of_their_unit_is_no_error(login, cast):
    me = factories.pegawai(cast.dinkes, nama="Hendra Kepegawaian", user=cast.pengelola)
    client = login(cast.pengelola)
    rows = exported(client)
    assert me.nip in [r[0] for r in rows]
    job = checked(client, as_upload(rows))
    assert job.status == ImporPegawai.Status.TANPA_PERUBAHAN, job.kesalahan
    set_cell(rows, me.nip, "telepon", "081200000000")
    job = checked(client, as_upload(rows))
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "Ini data Anda sendiri" in job.kesalahan[0]["pesan"]
