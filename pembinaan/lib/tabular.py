"""Reading and writing tables as CSV or XLSX, for imports and exports. Knows no models.

Every export is written by csv_lines or xlsx_bytes, and both write text that a spreadsheet would
take for a formula (it starts with =, +, -, @, a tab or a carriage return) as text: citizens and
uploaders write what ends up in HR's Excel. Every XLSX import is bounded by check_xlsx before
openpyxl reads it.
"""

import codecs
import csv
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

XLSX_MAGIC = b"PK\x03\x04"


class TableError(Exception):
    """The file cannot be read as a table; the message is for the user, in Indonesian."""


def read_table(file, *, max_rows: int) -> tuple[list[str], list[list]]:
    """The header (lower-cased, stripped) and the data rows of a CSV or XLSX file.

    The kind is told by the content, not by the name: an XLSX is a zip archive, anything else must
    be UTF-8 text. Rows that are entirely empty are kept as empty lists so that row numbers match
    what the user sees in the spreadsheet.
    """
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head == XLSX_MAGIC:
        check_xlsx(file, max_rows=max_rows)
        rows = _read_xlsx(file)
    else:
        rows = _read_csv(file)
    try:
        header = next(rows)
    except StopIteration:
        raise TableError("Berkas kosong: baris pertama harus berisi nama kolom.") from None
    header = [str(cell or "").strip().lower() for cell in header]
    data = []
    for row in rows:
        data.append(row)
        if len(data) > max_rows:
            raise _too_many_rows(max_rows)
    while data and not any(_filled(cell) for cell in data[-1]):
        data.pop()
    return header, data


def _too_many_rows(max_rows: int) -> TableError:
    return TableError(
        f"Berkas berisi lebih dari {max_rows:,} baris data; bagi menjadi beberapa berkas.".replace(
            ",", "."
        )
    )


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


# What a broken workbook raises while openpyxl reads it: its XML cut short or not well formed,
# a part missing, a value of the wrong kind.
_XLSX_ERRORS = (BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError,
                IndexError, ParseError, zlib.error, EOFError)  # fmt: skip
_BROKEN_XLSX = "Berkas XLSX rusak atau bukan berkas Excel yang sah."


def _read_xlsx(file) -> Iterator[list]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except _XLSX_ERRORS:
        raise TableError(_BROKEN_XLSX) from None
    try:
        sheet = workbook.worksheets[0]
        # check_xlsx bounded the declared width; a sheet that declares none is read this wide,
        # not as wide as its widest cell reference.
        for row in sheet.iter_rows(max_col=sheet.max_column or MAX_COLUMNS, values_only=True):
            yield list(row)
    except _XLSX_ERRORS:
        raise TableError(
            _BROKEN_XLSX + " Buka berkas di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi."
        ) from None
    finally:
        workbook.close()


# An import's workbook, unpacked: a 20,000-row sheet of pegawai is about 20 MB of XML.
XLSX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
# Wider than any import template (about 20 columns); a row is read this wide at most.
MAX_COLUMNS = 100
_SCAN_CHUNK = 1024 * 1024
# The tags that make a sheet large: rows, cells, and the size the sheet declares for itself;
# and a document type declaration, which no spreadsheet program writes: it is how XML defines
# entities (an external file, or a few bytes that expand to gigabytes).
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c|dimension)(?=[\s/>])([^>]*)>|<!(DOCTYPE|ENTITY)")
_REF = re.compile(rb'\bref="([^"]*)"')


def check_xlsx(file, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> None:
    """Refuse a workbook larger than an import may be, before openpyxl reads it; TableError in
    Indonesian otherwise nothing. Read straight from the zip, in chunks: the unpacked size of
    every member (a zip bomb), then in every member the size a sheet declares
    (`<dimension ref="A1:XFD1048576"/>`, which openpyxl would pad every row to), the number of
    rows and the cells in each row. A member is never unpacked past the size it declares
    (zipfile stops there), so the first check bounds all the reading that follows."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > XLSX_MAX_UNCOMPRESSED:
                raise TableError(
                    f"Isi berkas XLSX lebih dari {XLSX_MAX_UNCOMPRESSED // 1_048_576} MB setelah "
                    "dibuka; bagi menjadi beberapa berkas atau simpan sebagai CSV."
                )
            for member in members:
                with archive.open(member) as stream:
                    _check_sheet(
                        stream, max_rows=max_rows, max_columns=max_columns,
                        # An image (an SVG may declare its type) is not read as XML by openpyxl.
                        xml=member.filename.endswith((".xml", ".rels")),
                    )  # fmt: skip
    except (BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error):
        raise TableError("Berkas XLSX rusak atau bukan berkas Excel yang sah.") from None
    finally:
        file.seek(0)


def _check_sheet(stream, *, max_rows: int, max_columns: int, xml: bool = True) -> None:
    rows = cells = 0
    tail = b""
    while chunk := stream.read(_SCAN_CHUNK):
        data = tail + chunk
        # A tag cut by the chunk's end is read whole with the next chunk.
        cut = data.rfind(b"<")
        if cut != -1 and data.find(b">", cut) == -1 and len(data) - cut < 4096:
            data, tail = data[:cut], data[cut:]
        else:
            tail = b""
        for match in _SHEET_TAG.finditer(data):
            name = match[1]
            if match[3]:
                if not xml:
                    continue
                raise TableError(
                    "Berkas XLSX memuat deklarasi DOCTYPE/ENTITY yang tidak pernah ditulis Excel "
                    "dan tidak diterima SIBINA. Buka berkas di Excel, simpan ulang sebagai .xlsx, "
                    "lalu unggah lagi."
                )
            if name == b"c":
                cells += 1
                if cells > max_columns:
                    raise _too_wide(max_columns)
            elif name == b"row":
                rows, cells = rows + 1, 0
                if rows > max_rows + 1:  # the column row and max_rows rows of data
                    raise _too_many_rows(max_rows)
            else:
                _check_dimension(match[2], max_rows=max_rows, max_columns=max_columns)


def _check_dimension(attributes: bytes, *, max_rows: int, max_columns: int) -> None:
    ref = _REF.search(attributes)
    if ref is None:
        return
    try:
        _, _, last_column, last_row = range_boundaries(ref[1].decode("ascii").split(":")[-1])
    except (ValueError, UnicodeDecodeError):
        raise TableError("Berkas XLSX rusak atau bukan berkas Excel yang sah.") from None
    too_wide = last_column is None or last_column > max_columns
    if too_wide or last_row is None or last_row > max_rows + 1:
        raise TableError(
            f"Lembar kerja menyatakan ukuran {ref[1].decode()}; paling banyak {max_rows:,} baris "
            f"data dan {max_columns} kolom.".replace(",", ".")
            + " Salin hanya baris dan kolom berisi data ke berkas baru, lalu unggah lagi."
        )


def _too_wide(max_columns: int) -> TableError:
    return TableError(
        f"Lembar kerja lebih lebar dari {max_columns} kolom. Salin hanya kolom templat yang "
        "berisi data ke berkas baru, lalu unggah lagi."
    )


def _read_csv(file) -> Iterator[list]:
    raw = file.read()
    if b"\x00" in raw:  # binary; and no database column can hold a NUL
        raise TableError(
            "Berkas bukan CSV maupun XLSX. Gunakan templat atau contoh berkas di halaman unggah."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(
            "Berkas CSV harus berenkode UTF-8. Di Excel pilih Simpan Sebagai → "
            "'CSV UTF-8 (dipisahkan koma)'."
        ) from None
    first_line = text.split("\n", 1)[0]
    # Excel with Indonesian regional settings writes semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # Before parsing: a line of a million separators costs the parser a million cells (and
    # hundreds of megabytes); no table SIBINA reads has anywhere near MAX_COLUMNS columns.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(delimiter) >= MAX_COLUMNS:
            raise TableError(
                f"Baris {number} berisi lebih dari {MAX_COLUMNS} kolom; periksa pemisah kolomnya "
                "(koma atau titik koma)."
            )
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    row_line = 1  # of the row being read, as the user's editor numbers it
    try:
        for row in reader:
            yield [_csv_uncell(cell) for cell in row]
            row_line = reader.line_num + 1
    except csv.Error:
        # A cell over the parser's limit (128 KB), mostly an unclosed quote swallowing the rest.
        raise TableError(
            f"Baris {row_line} tidak dapat dibaca: sebuah sel terlalu panjang, biasanya "
            'karena tanda kutip (") yang tidak ditutup. Perbaiki sel itu lalu unggah lagi.'
        ) from None


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_date(cell, input_formats: Iterable[str]) -> date:
    """A date from an XLSX date cell or text in one of the formats; ValueError otherwise."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    for fmt in input_formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# What makes Excel, LibreOffice or Google Sheets read a typed or imported cell as a formula (OWASP
# "CSV injection"): "=HYPERLINK(...)" in a citizen's complaint must reach HR as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Whether a spreadsheet would evaluate `value`: text starting with FORMULA_STARTS. Numbers,
    negative ones too, are never formulas."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """`value` as a CSV export writes it: None empty, a decimal number with a comma (3,5),
    formula-like text after an apostrophe (Excel then shows it as text). Text that starts with
    an apostrophe gets one more, so that read_table takes exactly one off again and an export
    imports back unchanged."""
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        # A decimal number as the pages write it (3,5), so that the file reads as Indonesian.
        return str(value).replace(".", ",")
    if is_formula_like(value) or (isinstance(value, str) and value.startswith("'")):
        return "'" + value
    return value


def _csv_uncell(text: str) -> str:
    """The inverse of csv_cell, for imports: the apostrophe it added is taken off."""
    if text.startswith("'") and (is_formula_like(text[1:]) or text.startswith("''")):
        return text[1:]
    return text


def xlsx_cell(sheet, value):
    """`value` as xlsx_bytes writes it into `sheet`: formula-like text as a string cell (openpyxl
    would write "=..." as a formula), a Decimal as a number shown with its own places (85.10 →
    "#,##0.00", which Excel shows 85,10 in an Indonesian locale), everything else as it is. The
    text stays unchanged: a string cell is never evaluated."""
    if isinstance(value, Decimal) and value.is_finite():
        places = max(-value.as_tuple().exponent, 0)
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "#,##0" + ("." + "0" * places if places else "")
        return cell
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_LINES_PER_CHUNK = 500  # ~60 KB: one write to the client per chunk, not per line


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV text in chunks of lines, for a StreamingHttpResponse; starts with a BOM for Excel.
    Memory stays flat; a line per chunk cost the server a write per row."""
    writer = csv.writer(_Echo())
    chunk = [codecs.BOM_UTF8.decode() + writer.writerow([csv_cell(v) for v in header])]
    for row in rows:
        chunk.append(writer.writerow([csv_cell(v) for v in row]))
        if len(chunk) >= CSV_LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


class XlsxSheet:
    """An XLSX workbook of one sheet, written row by row in constant memory (openpyxl's
    write-only mode: each row goes to a temporary file as it is appended)."""

    def __init__(
        self,
        header: list[str],
        *,
        title: str,
        widths: list[int] | None = None,
        heading: list[str] = (),
        workbook: Workbook | None = None,
    ):
        """`heading`: lines above the header (what the sheet is, when it was made), each in the
        first cell of its row. The header is bold and stays in view as the rows scroll.
        `workbook`: another sheet's, to add this one to it (add_sheet)."""
        self.workbook = workbook or Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title=title[:31])
        for index, width in enumerate(widths or [], start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        # Set before the first row: a write-only sheet writes its view settings first.
        self.sheet.freeze_panes = f"A{len(heading) + 2}"
        for line in heading:
            self.append([line])
        self.append([self._bold(value) for value in header])

    def _bold(self, value):
        cell = xlsx_cell(self.sheet, value)
        if cell is value:  # a plain value, not a cell yet
            cell = WriteOnlyCell(self.sheet, value)
        cell.font = Font(bold=True)
        return cell

    def add_sheet(self, header: list[str], *, title: str, widths=None, heading=()) -> "XlsxSheet":
        """A further sheet of the same workbook, after this one; either's getvalue() saves both.
        Rows may be appended to each in any order."""
        return XlsxSheet(
            header, title=title, widths=widths, heading=heading, workbook=self.workbook
        )

    def append(self, row: list) -> None:
        self.sheet.append([xlsx_cell(self.sheet, v) for v in row])

    def getvalue(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    def close(self) -> None:
        """Let go of the temporary file of a workbook that will not be saved (after an error)."""
        if not self.sheet.closed:
            self.sheet.close()


def xlsx_bytes(header: list[str], rows: Iterable[list], *, title: str) -> bytes:
    """An XLSX workbook of one sheet, written in constant memory."""
    sheet = XlsxSheet(header, title=title)
    for row in rows:
        sheet.append(row)
    return sheet.getvalue()


EXPORT_FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 50_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportTooLarge(Exception):
    """More rows than an XLSX export holds; the message is for the user, in Indonesian."""


def export_response(fmt: str, *, name: str, header: list[str], rows: Iterable[list]):
    """A list as a download: CSV streamed row by row, or an XLSX of at most XLSX_MAX_ROWS rows
    (ExportTooLarge beyond, so that the user narrows the list or takes the CSV)."""
    from django.http import HttpResponse, StreamingHttpResponse
    from django.utils import timezone

    filename = f"{name}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        rows = list(itertools.islice(rows, XLSX_MAX_ROWS + 1))
        if len(rows) > XLSX_MAX_ROWS:
            raise ExportTooLarge(
                f"Ekspor XLSX paling banyak {XLSX_MAX_ROWS:,} baris".replace(",", ".")
                + "; persempit daftarnya atau unduh CSV."
            )
        response = HttpResponse(xlsx_bytes(header, rows, title=name), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def list_export(request, *, name: str, header: list[str], rows: Callable[[], Iterable[list]]):
    """The list page's download when `?format=csv|xlsx` asks for one, else None. `rows` is
    called only then; an XLSX that would be too large sends the user back with the reason."""
    fmt = request.GET.get("format")
    if fmt not in EXPORT_FORMATS:
        return None
    try:
        return export_response(fmt, name=name, header=header, rows=rows())
    except ExportTooLarge as error:
        from django.contrib import messages
        from django.shortcuts import redirect

        messages.error(request, str(error))
        params = request.GET.copy()
        params.pop("format")
        return redirect(f"{request.path}?{params.urlencode()}")
