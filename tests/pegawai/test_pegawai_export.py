import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from pegawai import services
from pegawai.models import ImporPegawai, Pegawai
from pegawai.reports import EXPORT_HEADER
from tests import factories


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_holds_the_filtered_pegawai_of_the_managers_units(login, cast):
    response = login(cast.pengelola).get(reverse("pegawai:export_csv"), {"q": "budi"})
    rows = read_csv(response)
    assert rows[0] == EXPORT_HEADER
    assert [r[2] for r in rows[1:]] == ["Budi Pegawai"]
    assert "attachment" in response["Content-Disposition"]


def test_xlsx_export_reads_back_with_nips_intact(login, cast):
    response = login(cast.admin).get(reverse("pegawai:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    nips = sorted(str(r[0]) for r in sheet.iter_rows(min_row=2, values_only=True))
    expected = sorted(
        p.nip for p in (cast.atasan_pegawai, cast.pegawai_pegawai, cast.outsider_pegawai)
    )
    assert nips == expected


def test_an_xlsx_export_over_the_limit_asks_for_a_narrower_filter(login, cast, monkeypatch):
    monkeypatch.setattr("pegawai.views.XLSX_EXPORT_MAX_ROWS", 1)
    response = login(cast.admin).get(reverse("pegawai:export_xlsx"), follow=True)
    assert "persempit saringan" in response.content.decode()


def test_an_export_imports_back_unchanged(login, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = login(cast.pengelola).get(reverse("pegawai:export_csv"))
    content = b"".join(response.streaming_content)
    job = ImporPegawai(nama_berkas="ekspor.csv", diunggah_oleh=cast.pengelola)
    job.file.save("ekspor.csv", SimpleUploadedFile("ekspor.csv", content), save=False)
    job.save()
    services.impor_check(job=job)
    assert job.status == ImporPegawai.Status.TANPA_PERUBAHAN, job.kesalahan
    assert (job.jumlah_baru, job.jumlah_diubah, job.jumlah_tetap) == (0, 0, 2)


@pytest.mark.parametrize("who", ["pegawai", "atasan"])
def test_export_is_for_managers_only(login, cast, who):
    assert login(getattr(cast, who)).get(reverse("pegawai:export_csv")).status_code == 403


def test_anonymous_is_sent_to_login(client, cast):
    assert client.get(reverse("pegawai:export_xlsx")).status_code == 302


# Valid pegawai data that a spreadsheet would evaluate; a tab or a carriage return (the lib's
# tests) would not survive the importer's trimming of cells, which is older than this.
HOSTILE = {
    "gelar_depan": "=1+1",
    "tempat_lahir": '=HYPERLINK("http://jahat.example","Jambi")',
    "gelar_belakang": "@SUM(A1)",
    "email": "-1+2@jambiprov.go.id",
    "telepon": "+62812000111",
}


@pytest.fixture
def hostile(cast):
    Pegawai.objects.filter(pk=cast.pegawai_pegawai.pk).update(**HOSTILE)
    return {name: EXPORT_HEADER.index(name) for name in HOSTILE}


def test_the_csv_export_writes_formula_like_text_after_an_apostrophe(login, cast, hostile):
    rows = read_csv(login(cast.pengelola).get(reverse("pegawai:export_csv"), {"q": "budi"}))
    assert {name: rows[1][i] for name, i in hostile.items()} == {
        name: "'" + text for name, text in HOSTILE.items()
    }


def test_the_xlsx_export_writes_formula_like_text_as_text(login, cast, hostile):
    response = login(cast.pengelola).get(reverse("pegawai:export_xlsx"), {"q": "budi"})
    cells = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2))[0]
    assert {name: (cells[i].value, cells[i].data_type) for name, i in hostile.items()} == {
        name: (text, "s") for name, text in HOSTILE.items()
    }


def test_an_export_with_formula_like_text_imports_back_unchanged(
    login, cast, settings, tmp_path, hostile
):
    # The importer takes off the apostrophe the exporter added: nothing reads as changed.
    test_an_export_imports_back_unchanged(login, cast, settings, tmp_path)


def test_an_xlsx_export_imports_back_with_nothing_to_change(login, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = login(cast.pengelola).get(reverse("pegawai:export_xlsx")).content
    job = ImporPegawai(nama_berkas="ekspor.xlsx", diunggah_oleh=cast.pengelola)
    job.file.save("ekspor.xlsx", SimpleUploadedFile("ekspor.xlsx", content), save=False)
    job.save()
    services.impor_check(job=job)
    assert job.status == ImporPegawai.Status.TANPA_PERUBAHAN, job.kesalahan
    assert job.jumlah_tetap == 2


def test_the_export_holds_exactly_what_the_list_shows_a_subordinate_elsewhere_too(
    login, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    me = factories.pegawai(cast.dinkes, nama="Hendra Kepegawaian", user=cast.pengelola)
    Pegawai.objects.filter(pk=cast.outsider_pegawai.pk).update(atasan=me)
    client = login(cast.pengelola)
    assert "Rina Luar" in client.get(reverse("pegawai:list")).content.decode()
    response = client.get(reverse("pegawai:export_csv"))
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert sorted(r[2] for r in rows[1:]) == [
        "Budi Pegawai", "Hendra Kepegawaian", "Rina Luar", "Siti Atasan"
    ]  # fmt: skip
    # Imported back unchanged, the subordinate outside the units (and oneself) are no error.
    job = ImporPegawai(nama_berkas="ekspor.csv", diunggah_oleh=cast.pengelola)
    job.file.save("ekspor.csv", SimpleUploadedFile("ekspor.csv", content), save=False)
    job.save()
    services.impor_check(job=job)
    assert job.status == ImporPegawai.Status.TANPA_PERUBAHAN, job.kesalahan
