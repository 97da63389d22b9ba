"""What a careful HR office found walking the import: a change made after the preview is not
overwritten, one's own row only stale is no error, the example row is known without its note,
an inactive supervisor is refused as in the form, and the counts and hints are true."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pegawai import services
from pegawai.models import ImporPegawai, Pegawai
from tests import factories
from tests.pegawai.test_impor import csv_file, row
from tests.pegawai.test_impor_pratinjau import as_upload, checked, commit, exported, later, set_cell

pytestmark = pytest.mark.usefixtures("private_media")


def test_a_change_made_after_the_preview_is_not_overwritten_and_the_page_says_why(login, cast):
    client = login(cast.pengelola)
    rows = exported(client, q="budi")
    budi = cast.pegawai_pegawai
    set_cell(rows, budi.nip, "diekspor_pada", "")  # a filled-in template carries no export time
    set_cell(rows, budi.nip, "tempat_lahir", "Kerinci")
    job = checked(client, as_upload(rows))
    assert (job.jumlah_diubah, job.jumlah_lebih_baru) == (1, 0)
    with later():  # an administrator corrects the telephone after HR saw the preview
        budi.telepon = "081299990000"
        services.pegawai_save(pegawai=budi, user=cast.admin, reason="Koreksi")
    with later(10):
        commit(client, job)
    budi.refresh_from_db()
    assert (budi.telepon, budi.tempat_lahir) == ("081299990000", "Jambi")
    assert job.jumlah_lebih_baru == 1
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Lebih baru di SIBINA, tidak ditimpa" in page
    assert "setelah pratinjau" in page


def test_an_officers_own_row_only_older_than_sibina_is_no_error(login, cast):
    me = factories.pegawai(cast.dinkes, nama="Hendra Kepegawaian", user=cast.pengelola)
    client = login(cast.pengelola)
    rows = exported(client)
    set_cell(rows, cast.pegawai_pegawai.nip, "telepon", "081200000000")
    with later():  # the officer's own telephone is corrected after the export
        me.telepon = "081311112222"
        services.pegawai_save(pegawai=me, user=cast.admin, reason="Koreksi")
    with later(10):
        job = checked(client, as_upload(rows))
        assert job.status == ImporPegawai.Status.SIAP, job.kesalahan
        commit(client, job)
    me.refresh_from_db()
    assert me.telepon == "081311112222"
    # An actual change to one's own row stays refused.
    set_cell(rows, me.nip, "tempat_lahir", "Bungo")
    with later(20):
        job = checked(client, as_upload(rows))
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "Ini data Anda sendiri" in job.kesalahan[0]["pesan"]


@pytest.mark.parametrize("note", ["deleted", "cleared"])
def test_the_example_row_is_known_by_its_nip_without_its_note(login, cast, note):
    client = login(cast.pengelola)
    template = load_workbook(io.BytesIO(client.get(reverse("pegawai:impor_template")).content))
    sheet = template["Pegawai"]
    header = [c.value for c in sheet[1]]
    column = header.index("keterangan") + 1
    if note == "deleted":
        sheet.delete_cols(column)
        header.pop()
    else:
        sheet.cell(row=2, column=column).value = None
    sheet.append([row(nip="198001012005011001", tanggal_lahir="01/01/1980").get(k) for k in header])
    buffer = io.BytesIO()
    template.save(buffer)
    job = checked(client, SimpleUploadedFile("isi.xlsx", buffer.getvalue()))
    assert job.status == ImporPegawai.Status.SIAP, job.kesalahan
    assert (job.jumlah_baru, job.baris_contoh, job.jumlah_baris) == (1, [2], 1)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Baris 2: contoh dari templat, tidak diimpor." in page


def test_an_inactive_supervisor_is_refused_and_named_only_when_visible(login, cast):
    client = login(cast.pengelola)
    gone = factories.pegawai(cast.yankes, nama="Joko Pensiun")
    gone_outside = factories.pegawai(cast.bkd, nama="Rudi Luar")
    Pegawai.objects.filter(pk__in=[gone.pk, gone_outside.pk]).update(
        aktif=False, alasan_nonaktif="pensiun"
    )
    job = checked(
        client,
        csv_file(
            [
                row(nip="198001012005011001", tanggal_lahir="01/01/1980", nip_atasan=gone.nip),
                row(
                    nip="198102022006011002",
                    tanggal_lahir="02/02/1981",
                    nip_atasan=gone_outside.nip,
                ),
            ]
        ),
    )
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert [e["pesan"] for e in job.kesalahan] == [
        "Joko Pensiun sudah nonaktif; pilih atasan lain.",
        "Pegawai dengan NIP ini sudah nonaktif; pilih atasan lain.",
    ]


def test_a_supervisor_outside_ones_units_is_shown_by_nip_only(login, cast):
    client = login(cast.pengelola)
    rows = exported(client, q="budi")
    set_cell(rows, cast.pegawai_pegawai.nip, "nip_atasan", cast.outsider_pegawai.nip)
    job = checked(client, as_upload(rows))
    [entry] = [r for r in job.pratinjau if r["aksi"] == "ubah"]
    assert ["Atasan langsung", f"Siti Atasan ({cast.atasan_pegawai.nip_tampil})",
            cast.outsider_pegawai.nip_tampil] in entry["perubahan"]  # fmt: skip
    assert "Rina Luar" not in str(job.pratinjau)


def test_a_header_not_on_the_first_row_of_the_first_sheet_gets_a_hint(login, cast):
    workbook = Workbook()
    workbook.active.append(["Daftar pegawai Dinas Kesehatan"])
    workbook.active.append(["nip", "nama"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = checked(login(cast.pengelola), SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "lembar pertama" in job.kesalahan[0]["pesan"]


def test_a_save_left_with_only_rows_changed_after_the_preview_says_nothing_was_saved(login, cast):
    client = login(cast.pengelola)
    rows = exported(client, q="budi")
    budi = cast.pegawai_pegawai
    set_cell(rows, budi.nip, "diekspor_pada", "")
    set_cell(rows, budi.nip, "tempat_lahir", "Kerinci")
    job = checked(client, as_upload(rows))
    with later():
        budi.telepon = "081299990000"
        services.pegawai_save(pegawai=budi, user=cast.admin, reason="Koreksi")
    with later(10):
        commit(client, job)
    assert job.status == ImporPegawai.Status.TANPA_PERUBAHAN
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tidak ada yang disimpan" in page and "Lebih baru di SIBINA, tidak ditimpa" in page
    assert Pegawai.objects.get(pk=budi.pk).tempat_lahir == "Jambi"
