import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from pembinaan.lib import tabular
from pembinaan.lib.tabular import (
    TableError,
    csv_lines,
    list_export,
    parse_date,
    read_table,
    xlsx_bytes,
)


def test_it_reads_a_utf8_csv_with_a_bom_and_lower_cases_the_header():
    header, rows = read_table(io.BytesIO("\ufeffNIP,Nama\n1,Siti Aisyah\n".encode()), max_rows=10)
    assert header == ["nip", "nama"] and rows == [["1", "Siti Aisyah"]]


def test_it_reads_semicolons_and_drops_trailing_empty_rows():
    header, rows = read_table(io.BytesIO(b"nip;nama\n1;A\n;\n\n"), max_rows=10)
    assert header == ["nip", "nama"] and rows == [["1", "A"]]


def test_it_refuses_csv_that_is_not_utf8():
    with pytest.raises(TableError, match="UTF-8"):
        read_table(io.BytesIO("nama\nS\xe9ri\n".encode("latin-1")), max_rows=10)


def test_it_refuses_an_empty_file():
    with pytest.raises(TableError, match="kosong"):
        read_table(io.BytesIO(b""), max_rows=10)


def test_it_reads_xlsx_by_content_whatever_the_name():
    workbook = Workbook()
    workbook.active.append(["nip", "tanggal"])
    workbook.active.append(["1", datetime(2020, 1, 2)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    header, rows = read_table(io.BytesIO(buffer.getvalue()), max_rows=10)
    assert header == ["nip", "tanggal"] and rows == [["1", datetime(2020, 1, 2)]]


def test_a_corrupt_xlsx_is_explained():
    with pytest.raises(TableError, match="rusak"):
        read_table(io.BytesIO(b"PK\x03\x04garbage"), max_rows=10)


def test_parse_date_takes_cells_and_text():
    formats = ["%d/%m/%Y", "%Y-%m-%d"]
    assert parse_date(datetime(2020, 1, 2, 0, 0), formats) == date(2020, 1, 2)
    assert parse_date("02/01/2020", formats) == date(2020, 1, 2)
    with pytest.raises(ValueError):
        parse_date("2 Januari", formats)


def test_csv_lines_start_with_a_bom_for_excel():
    text = "".join(csv_lines(["a", "b"], [[1, None]]))
    assert text == "\ufeffa,b\r\n1,\r\n"


def test_xlsx_bytes_writes_a_readable_sheet():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["a"], [["x"]], title="Data"))).active
    assert sheet.title == "Data" and sheet["A2"].value == "x"


def test_a_list_exports_as_csv_or_xlsx_and_only_when_asked(rf, monkeypatch):
    rows = [["19660801 198803 1 001", "Siti", 3.5, date(2026, 1, 2)]]
    header = ["NIP", "Nama", "Skor", "Tanggal"]
    assert list_export(rf.get("/daftar/"), name="x", header=header, rows=lambda: 1 / 0) is None
    csv = list_export(
        rf.get("/daftar/?format=csv"), name="daftar", header=header, rows=lambda: rows
    )
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        "NIP,Nama,Skor,Tanggal",
        "19660801 198803 1 001,Siti,3.5,2026-01-02",
    ]
    assert csv["Content-Disposition"].startswith('attachment; filename="daftar-')
    xlsx = list_export(
        rf.get("/daftar/?format=xlsx"), name="daftar", header=header, rows=lambda: rows
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][:2] == ["19660801 198803 1 001", "Siti"]


def test_an_xlsx_too_large_sends_the_user_back_with_the_reason(rf, monkeypatch):
    from django.contrib.messages.storage.fallback import FallbackStorage

    monkeypatch.setattr(tabular, "XLSX_MAX_ROWS", 2)
    request = rf.get("/daftar/?status=x&format=xlsx")
    request.session = {}
    request._messages = FallbackStorage(request)
    response = list_export(request, name="d", header=["a"], rows=lambda: ([n] for n in range(3)))
    assert response.status_code == 302 and response.url == "/daftar/?status=x"
    assert "paling banyak 2 baris" in [str(m) for m in request._messages][0]


def test_csv_lines_come_in_chunks_of_lines_and_join_to_every_row():
    from pembinaan.lib.tabular import CSV_LINES_PER_CHUNK

    rows = [[n, f"baris {n}"] for n in range(2 * CSV_LINES_PER_CHUNK + 1)]
    chunks = list(csv_lines(["n", "teks"], rows))
    assert len(chunks) == 3  # header and rows 0-498, then 499-998, then the rest
    lines = "".join(chunks).lstrip("\ufeff").splitlines()
    assert lines[0] == "n,teks" and lines[-1] == f"{len(rows) - 1},baris {len(rows) - 1}"
    assert len(lines) == len(rows) + 1


def test_a_cell_over_the_csv_parsers_limit_is_a_readable_error_with_its_row():
    text = 'nama,unit\nSiti,"a\n' + "x" * 200_000 + "\n"  # a quote never closed
    with pytest.raises(TableError, match="Baris 2 .*tanda kutip"):
        read_table(io.BytesIO(text.encode()), max_rows=10)


def test_a_nul_byte_anywhere_in_a_csv_is_refused():
    text = "nama\n" + "Siti\n" * 2000 + "Bu\x00di\n"  # beyond the first 4 KB
    with pytest.raises(TableError, match="bukan CSV"):
        read_table(io.BytesIO(text.encode()), max_rows=5000)
