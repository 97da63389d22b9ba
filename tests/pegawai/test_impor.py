"""The bulk import: every bad row named, nothing written unless all rows are valid."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from pegawai import services
from pegawai.impor import KOLOM
from pegawai.models import ImporPegawai, Pegawai
from tests import factories

HEADER = [k.key for k in KOLOM]


def row(**values) -> dict:
    base = {
        "nip": "199003152015031002",
        "nama": "Ahmad Fauzi",
        "status_kepegawaian": "PNS",
        "jenis_kelamin": "L",
        "tempat_lahir": "Jambi",
        "tanggal_lahir": "15/03/1990",
        "tmt_cpns": "01/03/2015",
        "tmt_pns": "01/03/2016",
        "golongan": "III/b",
        "tmt_golongan": "01/04/2019",
        "jabatan": "Pengadministrasi Perkantoran",
        "tmt_jabatan": "01/01/2022",
        "kode_unit": "DINKES.YANKES",
        "pendidikan_terakhir": "S1",
    }
    return base | values


def csv_file(rows: list[dict], *, delimiter=",", header=HEADER) -> SimpleUploadedFile:
    lines = [delimiter.join(header)]
    lines += [delimiter.join(str(r.get(k, "")) for k in header) for r in rows]
    return SimpleUploadedFile("pegawai.csv", "\n".join(lines).encode())


def xlsx_file(rows: list[dict]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for r in rows:
        sheet.append([r.get(k) for k in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("pegawai.xlsx", buffer.getvalue())


def run_import(upload, user) -> ImporPegawai:
    job = ImporPegawai(nama_berkas=upload.name, diunggah_oleh=user)
    job.file.save(upload.name, upload, save=False)
    job.save()
    services.impor_check(job=job)
    if job.status == ImporPegawai.Status.SIAP:
        services.impor_commit(job=job)
    return job


def errors(job) -> list[tuple]:
    return [(e["baris"], e["kolom"]) for e in job.kesalahan]


pytestmark = pytest.mark.usefixtures("private_media")


def test_a_good_file_creates_new_pegawai_and_updates_existing_ones(cast):
    existing = cast.pegawai_pegawai
    updated = row(
        nip=existing.nip,
        nama=existing.nama,
        jenis_kelamin="L",
        tanggal_lahir=existing.tanggal_lahir.strftime("%d/%m/%Y"),
        tmt_cpns="01/01/2010",
        tmt_pns="01/01/2011",
        telepon="081211112222",
        nip_atasan=cast.atasan_pegawai.nip,
    )
    kepala = row(
        nip="198001012005011001",
        nama="Kepala Baru",
        tanggal_lahir="01/01/1980",
        tmt_cpns="01/01/2005",
        tmt_pns="01/01/2006",
        golongan="IV/a",
    )
    staf = row(nip_atasan="19800101 200501 1 001")  # a supervisor created by this same file
    job = run_import(csv_file([updated, kepala, staf]), cast.pengelola)
    assert job.status == ImporPegawai.Status.SELESAI, job.kesalahan
    assert (job.jumlah_baru, job.jumlah_diubah) == (2, 1)
    assert Pegawai.objects.get(nip="199003152015031002").atasan.nama == "Kepala Baru"
    existing.refresh_from_db()
    assert existing.telepon == "081211112222"
    record = existing.history.first()
    assert record.history_user == cast.pengelola
    assert record.history_change_reason == "Impor berkas pegawai.csv"


def test_every_bad_row_is_listed_and_nothing_is_saved(cast):
    before = Pegawai.objects.count()
    rows = [
        row(),  # valid, but must not be saved
        row(nip="199003152015031003", tanggal_lahir="16/03/1990"),
        row(nip="19900315201503100", golongan="V/z"),
        row(nip="199003152015031004", kode_unit="TIDAK.ADA", jenis_kelamin="X"),
        row(nip="199003152015031002"),  # the same NIP as row 2
        row(nip="199003152015031005", tanggal_lahir="31/02/1990", email="bukan-email"),
    ]
    job = run_import(csv_file(rows), cast.pengelola)
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert sorted(errors(job)) == [
        (3, "tanggal_lahir"),
        (4, "golongan"),
        (4, "nip"),
        (5, "jenis_kelamin"),
        (5, "kode_unit"),
        (6, "nip"),
        (7, "email"),
        (7, "tanggal_lahir"),
    ]
    assert Pegawai.objects.count() == before
    messages = " ".join(e["pesan"] for e in job.kesalahan)
    assert "sudah ada di baris 2" in messages and "tidak sesuai dengan NIP" in messages


def test_a_missing_required_column_is_reported_on_the_header_row(cast):
    header = [h for h in HEADER if h != "nama"] + ["kolom_aneh"]
    job = run_import(csv_file([row()], header=header), cast.pengelola)
    assert errors(job) == [(1, "nama"), (1, "kolom_aneh")]


def test_semicolon_separated_csv_from_indonesian_excel_is_read(cast):
    job = run_import(csv_file([row()], delimiter=";"), cast.pengelola)
    assert job.status == ImporPegawai.Status.SELESAI, job.kesalahan


def test_xlsx_with_real_date_cells_is_read(cast):
    job = run_import(
        xlsx_file([row(tanggal_lahir=datetime(1990, 3, 15), tmt_pns=datetime(2016, 3, 1))]),
        cast.pengelola,
    )
    assert job.status == ImporPegawai.Status.SELESAI, job.kesalahan


def test_a_nip_that_excel_turned_into_a_float_is_refused(cast):
    job = run_import(xlsx_file([row(nip=199003152015031002.0)]), cast.pengelola)
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "ketik NIP sebagai teks" in job.kesalahan[0]["pesan"]


def test_a_pengelola_cannot_import_into_another_unit_or_take_over_its_pegawai(cast):
    outsider = cast.outsider_pegawai
    rows = [
        row(kode_unit="BKD"),
        row(
            nip=outsider.nip,
            jenis_kelamin="P",
            tanggal_lahir=outsider.tanggal_lahir.strftime("%d/%m/%Y"),
            tmt_cpns="01/01/2010",
            tmt_pns="01/01/2011",
        ),
    ]
    job = run_import(csv_file(rows), cast.pengelola)
    assert (2, "kode_unit") in errors(job) and (3, "nip") in errors(job)


def test_a_cycle_of_supervisors_in_the_file_is_refused(cast):
    rows = [
        row(nip="199003152015031002", nip_atasan="199003152015031003"),
        row(nip="199003152015031003", nip_atasan="199003152015031002"),
    ]
    job = run_import(csv_file(rows), cast.pengelola)
    assert errors(job) == [(2, "nip_atasan"), (3, "nip_atasan")]


def test_a_cycle_through_the_database_is_refused(cast):
    # The atasan already supervises the pegawai; making the pegawai the atasan's atasan loops.
    atasan = cast.atasan_pegawai
    rows = [
        row(
            nip=atasan.nip,
            nama=atasan.nama,
            jenis_kelamin="P",
            tanggal_lahir=atasan.tanggal_lahir.strftime("%d/%m/%Y"),
            tmt_cpns="01/01/2010",
            tmt_pns="01/01/2011",
            nip_atasan=cast.pegawai_pegawai.nip,
        )
    ]
    job = run_import(csv_file(rows), cast.pengelola)
    assert "melingkar" in job.kesalahan[0]["pesan"]


def test_an_unknown_supervisor_is_refused(cast):
    job = run_import(csv_file([row(nip_atasan="197001012000011999")]), cast.pengelola)
    assert "tidak ditemukan" in job.kesalahan[0]["pesan"]


def test_rows_that_change_nothing_are_counted_and_leave_no_history(cast):
    job = run_import(csv_file([row()]), cast.pengelola)
    again = run_import(csv_file([row()]), cast.pengelola)
    assert (again.jumlah_baru, again.jumlah_diubah, again.jumlah_tetap) == (0, 0, 1)
    assert Pegawai.objects.get(nip="199003152015031002").history.count() == 1
    assert job.status == ImporPegawai.Status.SELESAI
    assert again.status == ImporPegawai.Status.TANPA_PERUBAHAN


def test_the_commit_checks_again_and_saves_nothing_when_the_data_changed_meanwhile(cast):
    upload = csv_file([row(), row(nip="199003152015031003", nip_atasan=cast.atasan_pegawai.nip)])
    job = ImporPegawai(nama_berkas="x.csv", diunggah_oleh=cast.pengelola)
    job.file.save("x.csv", upload, save=False)
    job.save()
    services.impor_check(job=job)
    assert job.status == ImporPegawai.Status.SIAP
    # Meanwhile someone else registers the first NIP by hand.
    services.pegawai_save(
        pegawai=factories.pegawai(
            cast.yankes,
            save=False,
            nip="199003152015031002",
            nama="Lebih Dulu",
            tanggal_lahir=date(1990, 3, 15),
            tmt_cpns=date(2015, 3, 1),
            tmt_pns=date(2016, 3, 1),
        ),
        user=cast.admin,
    )
    Pegawai.objects.filter(nip="199003152015031002").update(unit=cast.bkd)
    services.impor_commit(job=job)
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "di luar unit kelolaan" in job.kesalahan[0]["pesan"]
    assert not Pegawai.objects.filter(nip="199003152015031003").exists()


def test_junk_that_is_neither_csv_nor_xlsx_is_explained(cast):
    job = run_import(SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x01" * 100), cast.pengelola)
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert "bukan CSV" in job.kesalahan[0]["pesan"]


def test_a_file_over_the_row_limit_is_refused_whole(cast, settings):
    settings.IMPOR_MAX_ROWS = 2
    job = run_import(csv_file([row(), row(), row()]), cast.pengelola)
    assert "lebih dari 2 baris" in job.kesalahan[0]["pesan"]
