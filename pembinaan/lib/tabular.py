"""Reading and writing tables as CSV or XLSX, for imports and exports. Knows no models."""

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
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
    rows = _read_xlsx(file) if head == XLSX_MAGIC else _read_csv(file)
    try:
        header = next(rows)
    except StopIteration:
        raise TableError("Berkas kosong: baris pertama harus berisi nama kolom.") from None
    header = [str(cell or "").strip().lower() for cell in header]
    data = []
    for row in rows:
        data.append(row)
        if len(data) > max_rows:
            raise TableError(
                f"Berkas berisi lebih dari {max_rows:,} baris data; bagi menjadi beberapa "
                "berkas.".replace(",", ".")
            )
    while data and not any(_filled(cell) for cell in data[-1]):
        data.pop()
    return header, data


def _filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def _read_xlsx(file) -> Iterator[list]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise TableError("Berkas XLSX rusak atau bukan berkas Excel yang sah.") from None
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield list(row)
    workbook.close()


def _read_csv(file) -> Iterator[list]:
    raw = file.read()
    if b"\x00" in raw:  # binary; and no database column can hold a NUL
        raise TableError("Berkas bukan CSV maupun XLSX. Gunakan templat yang disediakan.")
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
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    row_line = 1  # of the row being read, as the user's editor numbers it
    try:
        for row in reader:
            yield row
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


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_LINES_PER_CHUNK = 500  # ~60 KB: one write to the client per chunk, not per line


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV text in chunks of lines, for a StreamingHttpResponse; starts with a BOM for Excel.
    Memory stays flat; a line per chunk cost the server a write per row."""
    writer = csv.writer(_Echo())
    chunk = [codecs.BOM_UTF8.decode() + writer.writerow(header)]
    for row in rows:
        chunk.append(writer.writerow(["" if v is None else v for v in row]))
        if len(chunk) >= CSV_LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def xlsx_bytes(header: list[str], rows: Iterable[list], *, title: str) -> bytes:
    """An XLSX workbook of one sheet, written in constant memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
