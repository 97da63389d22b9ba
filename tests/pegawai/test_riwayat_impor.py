"""Importing history rows from CSV or XLSX in SIASN's columns: every row or none, each error
with its row and column in Indonesian, the current values following the latest rows."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pegawai.impor_riwayat import KOLOM
from pegawai.models import Pegawai, RiwayatGolongan, RiwayatJabatan, RiwayatPendidikan
from tests import factories

URL = reverse("pegawai:riwayat_impor")


pytestmark = pytest.mark.usefixtures("private_media")


def csv_file(header: list[str], rows: list[list]) -> SimpleUploadedFile:
    lines = [",".join(header)] + [",".join(str(v) for v in r) for r in rows]
    return SimpleUploadedFile("riwayat.csv", "\n".join(lines).encode())


def post(client, jenis, file):
    return client.post(URL, {"jenis": jenis, "file": file})


def errors(response) -> list[tuple]:
    return [(e.baris, e.kolom) for e in response.context["hasil"].kesalahan]


GOLONGAN = ["nipBaru", "golonganId", "tmtGolongan", "skNomor", "skTanggal", "jenisKPNama"]


def test_a_golongan_file_adds_steps_and_the_latest_is_current(login, cast):
    nip = cast.pegawai_pegawai.nip
    file = csv_file(GOLONGAN, [
        [nip, "33", "01/04/2023", "800/1/2023", "15/03/2023", "Reguler"],
        [nip, "III/d", "01/04/2025", "800/2/2025", "", "Pilihan (jabatan struktural)"],
    ])  # fmt: skip
    response = post(login(cast.pengelola), "golongan", file)
    assert response.status_code == 302
    pegawai = Pegawai.objects.get(pk=cast.pegawai_pegawai.pk)
    assert (pegawai.golongan_id, pegawai.tmt_golongan) == (34, date(2025, 4, 1))
    row = RiwayatGolongan.objects.get(tmt=date(2023, 4, 1))
    assert (row.nomor_sk, row.tanggal_sk, row.jenis_kenaikan) == (
        "800/1/2023",
        date(2023, 3, 15),
        "reguler",
    )
    assert row.history.get().history_user == cast.pengelola


def test_one_wrong_row_saves_nothing_and_each_error_names_its_row_and_column(login, cast_lengkap):
    cast = cast_lengkap
    nip = cast.pegawai_pegawai.nip
    file = csv_file(GOLONGAN, [
        [nip, "33", "01/04/2023", "", "", ""],
        [nip, "99", "31/02/2024", "", "", "Naik sendiri"],
        ["199001012015031999", "33", "01/04/2023", "", "", ""],
        [cast.outsider_pegawai.nip, "33", "01/04/2023", "", "", ""],
        [nip, "33", "01/04/2023", "", "", ""],
    ])  # fmt: skip
    response = post(login(cast.pengelola), "golongan", file)
    assert response.status_code == 200
    assert errors(response) == [
        (3, "golonganId"), (3, "tmtGolongan"), (3, "jenisKPNama"), (4, "nipBaru"),
        (5, "nipBaru"), (6, ""),
    ]  # fmt: skip
    text = response.content.decode()
    assert "Tidak ada yang disimpan" in text and "di luar unit kelolaan Anda" in text
    assert not RiwayatGolongan.objects.exists()
    assert Pegawai.objects.get(pk=cast.pegawai_pegawai.pk).golongan_id == 32


def test_a_missing_column_or_an_unknown_one_is_named(login, cast):
    file = csv_file(["nipBaru", "golongan", "tmtGolongan"], [[cast.pegawai_pegawai.nip, 33, ""]])
    response = post(login(cast.pengelola), "golongan", file)
    assert errors(response) == [(1, "golonganId"), (1, "golongan")]


def test_a_jabatan_file_in_xlsx_corrects_an_existing_row_by_its_tmt(login, cast):
    pegawai = cast.pegawai_pegawai
    baru = factories.jabatan("Analis SDM Aparatur Ahli Muda", jenis="fungsional",
                             jenjang="ahli_muda")  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([k.key for k in KOLOM["jabatan"]])
    sheet.append([pegawai.nip, pegawai.jabatan.nama, "01/01/2020", "821/1/2020", "02/01/2020"])
    sheet.append([pegawai.nip, baru.nama.upper(), date(2025, 1, 2), "821/9/2025", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("jabatan.xlsx", buffer.getvalue())
    assert post(login(cast.pengelola), "jabatan", file).status_code == 302
    rows = RiwayatJabatan.objects.filter(pegawai=pegawai).order_by("tmt")
    assert [(r.tmt, r.jabatan_id, r.nomor_sk) for r in rows] == [
        (date(2020, 1, 1), pegawai.jabatan_id, "821/1/2020"),
        (date(2025, 1, 2), baru.pk, "821/9/2025"),
    ]
    assert Pegawai.objects.get(pk=pegawai.pk).jabatan == baru


def test_a_pendidikan_file_takes_siasn_level_codes_and_sets_the_highest(login, cast):
    nip = cast.pegawai_pegawai.nip
    file = csv_file([k.key for k in KOLOM["pendidikan"]], [
        [nip, "40", "Universitas Jambi", "Kesehatan Masyarakat", "2012", "UNJA/1"],
        [nip, "S-2", "Universitas Gadjah Mada", "Ilmu Kesehatan Masyarakat", "2020", ""],
    ])  # fmt: skip
    assert post(login(cast.pengelola), "pendidikan", file).status_code == 302
    assert Pegawai.objects.get(pk=cast.pegawai_pegawai.pk).pendidikan_terakhir == "s2"
    s1 = RiwayatPendidikan.objects.get(jenjang="s1")
    assert (s1.nama_sekolah, s1.tahun_lulus, s1.nomor_ijazah) == ("Universitas Jambi", 2012,
                                                                  "UNJA/1")  # fmt: skip


def test_one_cannot_import_ones_own_history(login, cast_lengkap):
    cast = cast_lengkap
    own = cast.pengelola_pegawai_pegawai.nip
    response = post(login(cast.pengelola_pegawai), "golongan",
                    csv_file(GOLONGAN, [[own, "33", "01/04/2023", "", "", ""]]))  # fmt: skip
    assert errors(response) == [(2, "nipBaru")]


def test_the_template_has_siasn_columns_and_its_example_row_is_skipped(login, cast):
    client = login(cast.pengelola)
    response = client.get(reverse("pegawai:riwayat_impor_template", args=["golongan"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header == [*GOLONGAN, "keterangan"]
    response = post(client, "golongan",
                    SimpleUploadedFile("templat.xlsx", response.content))  # fmt: skip
    assert "tidak berisi riwayat" in " ".join(e.pesan for e in response.context["hasil"].kesalahan)


def test_the_import_page_is_for_managers(login, cast):
    assert login(cast.pegawai).get(URL).status_code == 403
    assert login(cast.pengelola).get(URL).status_code == 200


def test_an_import_costs_the_same_queries_for_3_and_30_pegawai(login, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = [factories.pegawai(cast.yankes) for _ in range(30)]
    client = login(cast.pengelola)

    def run(people, tahun) -> int:
        rows = [[p.nip, "33", f"01/04/{tahun}", "", "", ""] for p in people]
        with CaptureQueriesContext(connection) as captured:
            assert post(client, "golongan", csv_file(GOLONGAN, rows)).status_code == 302
        return len(captured)

    few = run(staff[:3], 2023)
    assert run(staff, 2024) <= few
    assert RiwayatGolongan.objects.filter(tmt=date(2024, 4, 1)).count() == 30
