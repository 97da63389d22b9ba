"""Reading SIASN's employee export (the "data pegawai" CSV an instansi's operator downloads from
SIASN) and comparing it with SIBINA's pegawai of one scope: a unit's subtree, or the province.

docs/siasn.md lists the columns and says how each field is matched. In short: the header is read
case-insensitively with spaces, hyphens and underscores alike (SIASN writes "NIP BARU", tools that
copy its web service write "NIP_BARU"); golongan by its SIASN code (GOL_AKHIR_ID, else the ruang
of GOL_AKHIR_NAMA, "III/c"), jabatan and unit by name with case and spacing ignored, birth date
by value. Everything of SIBINA is read in a fixed number of queries, whatever the file's size."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from pembinaan.lib.tabular import XLSX_MAGIC, TableError, cell_text, csv_lines, read_table

from . import nip as nip_rules
from .impor import Kolom  # a column of an upload: key, description, example, required
from .models import Pegawai, SelisihSiasn, UnitKerja, subtree_ids, unit_tree
from .referensi import golongan_ruang

# A province's export (a few tens of thousands of pegawai with SIASN's ~70 columns, about 600
# bytes a row) fits; it is read in the request, in about a second for 20,000 rows.
MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 30_000
# NIPs looked up outside the scope per query (an IN list; SQLite allows 32,766 parameters).
NIP_CHUNK = 5_000
# How many unreadable rows the result lists (the rest are counted).
MAX_KESALAHAN = 500
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d/%m/%y")
ENCODINGS = ("utf-8-sig", "cp1252")  # then latin-1, which reads any byte


KOLOM = [
    Kolom("NIP_BARU", "NIP 18 digit (PNS, CPNS) atau NI PPPK, sebaiknya sebagai teks",
          "199204082019032012"),
    Kolom("NAMA", "Nama tanpa gelar", "Rahmawati"),
    Kolom("TANGGAL_LAHIR", "DD-MM-YYYY seperti ekspor SIASN; juga DD/MM/YYYY atau YYYY-MM-DD",
          "08-04-1992"),
    Kolom("GOL_AKHIR_ID", "Kode golongan SIASN: 11 (I/a) … 45 (IV/e); wajib bila "
          "GOL_AKHIR_NAMA tidak ada", "32", wajib=False),
    Kolom("GOL_AKHIR_NAMA", "Golongan/ruang: III/b; PPPK: IX; wajib bila GOL_AKHIR_ID tidak ada",
          "III/b", wajib=False),
    Kolom("JABATAN_NAMA", "Nama jabatan", "Perawat Ahli Pertama"),
    Kolom("UNOR_NAMA", "Unit organisasi tempat pegawai bekerja", "Seksi Pelayanan Kesehatan "
          "Primer"),
    Kolom("UNOR_INDUK_NAMA", "Unit organisasi induk (OPD), hanya ditampilkan", "Dinas Kesehatan",
          wajib=False),
]  # fmt: skip
WAJIB = [k.key for k in KOLOM if k.wajib]
GOLONGAN_KOLOM = ("GOL_AKHIR_ID", "GOL_AKHIR_NAMA")
# Names some copies of the export use for the same column.
ALIAS = {"NIP": "NIP_BARU", "NIP_18": "NIP_BARU", "TGL_LAHIR": "TANGGAL_LAHIR",
         "UNOR": "UNOR_NAMA", "JABATAN": "JABATAN_NAMA", "GOLONGAN": "GOL_AKHIR_NAMA"}  # fmt: skip


class BerkasSalah(Exception):
    """The file as a whole cannot be reconciled; the message is for the user, in Indonesian."""


@dataclass
class BarisSiasn:
    baris: int
    nip: str
    nama: str
    tanggal_lahir: date | None
    golongan: int | None  # SIBINA's code (pegawai.models.Golongan.kode)
    golongan_teks: str
    jabatan: str
    unor: str
    unor_induk: str


@dataclass
class Hasil:
    """A file compared: the differences to store, the rows it could not read, and counts."""

    selisih: list[SelisihSiasn] = field(default_factory=list)
    kesalahan: list[dict] = field(default_factory=list)
    jumlah_baris: int = 0
    jumlah_pegawai: int = 0
    jumlah_cocok: int = 0


def normal(text: str) -> str:
    """A name as compared: case, repeated and surrounding spaces ignored."""
    return " ".join(str(text or "").casefold().split())


def header_key(name: str) -> str:
    key = re.sub(r"[\s\-_]+", "_", str(name or "").strip().upper()).strip("_")
    return ALIAS.get(key, key)


# --- Reading the file ---------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 (with or without Excel's BOM), else Windows-1252 (what Excel on
    Windows writes as "CSV"), else Latin-1."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read(file) -> tuple[list[BarisSiasn], list[dict], int]:
    """The rows of an uploaded export, the errors of the rows it could not read, and the number
    of data rows. BerkasSalah when the file as a whole is not an export SIBINA can read."""
    file.seek(0)
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise BerkasSalah(f"Berkas lebih dari {MAX_BYTES // 1_048_576} MB; bagi per unit.")
    table = BytesIO(raw if raw[:4] == XLSX_MAGIC else decode(raw).encode("utf-8"))
    try:
        header, data = read_table(table, max_rows=MAX_ROWS)
    except TableError as error:
        raise BerkasSalah(str(error)) from None
    index = {}
    for position, name in enumerate(header):
        index.setdefault(header_key(name), position)
    missing = [key for key in WAJIB if key not in index]
    if not any(key in index for key in GOLONGAN_KOLOM):
        missing.append(" atau ".join(GOLONGAN_KOLOM))
    if missing:
        found = ", ".join(h.upper() for h in header[:12] if h) or "(tidak ada)"
        raise BerkasSalah(
            f"Kolom wajib tidak ditemukan: {', '.join(missing)}. Kolom yang terbaca: {found}. "
            "Gunakan berkas data pegawai yang diunduh dari SIASN (baris pertama berisi nama "
            "kolom), dipisahkan koma atau titik koma."
        )
    rows, kesalahan, seen = [], [], {}
    count = 0
    for number, cells in enumerate(data, start=2):
        values = {key: cell_text(cells[i]) if i < len(cells) else "" for key, i in index.items()}
        if not any(values.values()):
            continue
        count += 1
        row, errors = _row(number, values, seen)
        kesalahan += errors
        if row is not None:
            rows.append(row)
    if not count:
        raise BerkasSalah("Berkas tidak berisi baris data di bawah baris nama kolom.")
    return rows, kesalahan, count


def _error(baris: int, kolom: str, pesan: str) -> dict:
    return {"baris": baris, "kolom": kolom, "pesan": pesan}


TIDAK_DIBANDINGKAN = " Kolom ini tidak dibandingkan untuk baris ini; kolom lainnya tetap."


def _row(number: int, values: dict, seen: dict) -> tuple[BarisSiasn | None, list[dict]]:
    errors = []
    raw_nip = values["NIP_BARU"].lstrip("'")
    nip = nip_rules.normalize(raw_nip)
    if re.fullmatch(r"\d(,\d+)?E\+\d+", raw_nip.upper().replace(".", ",")):
        return None, [_error(number, "NIP_BARU", f"NIP '{raw_nip}' ditulis Excel sebagai angka "
                             "dan digitnya hilang; simpan kolom NIP sebagai teks.")]  # fmt: skip
    if len(nip) != nip_rules.NIP_LENGTH or not nip.isdigit():
        return None, [_error(number, "NIP_BARU", f"NIP '{raw_nip}' bukan 18 digit.")]
    if nip in seen:
        return None, [_error(number, "NIP_BARU", f"NIP {nip} sudah ada di baris {seen[nip]}.")]
    seen[nip] = number
    tanggal = None
    text = values["TANGGAL_LAHIR"]
    if text:
        tanggal = _date(text)
        if tanggal is None:
            pesan = f"Tanggal '{text}' tidak dikenali; tulis DD-MM-YYYY."
            errors.append(_error(number, "TANGGAL_LAHIR", pesan + TIDAK_DIBANDINGKAN))
    golongan, golongan_teks = _golongan(values.get("GOL_AKHIR_ID", ""),
                                        values.get("GOL_AKHIR_NAMA", ""))  # fmt: skip
    if golongan is None and golongan_teks:
        pesan = f"Golongan '{golongan_teks}' tidak dikenal."
        errors.append(_error(number, "GOL_AKHIR_NAMA", pesan + TIDAK_DIBANDINGKAN))
    row = BarisSiasn(
        baris=number, nip=nip, nama=values["NAMA"][:200], tanggal_lahir=tanggal,
        golongan=golongan, golongan_teks=golongan_teks, jabatan=values["JABATAN_NAMA"],
        unor=values["UNOR_NAMA"], unor_induk=values.get("UNOR_INDUK_NAMA", ""),
    )  # fmt: skip
    return row, errors


def _date(text: str) -> date | None:
    text = text.split(" ")[0]  # "08-04-1992 00:00:00" from a spreadsheet's date cell
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


_KODE_BY_RUANG = {normal(ruang): kode for kode, ruang in golongan_ruang().items()}
_PNS_KODE = {kode for kode in golongan_ruang() if kode < 100}


def _golongan(kode_text: str, nama: str) -> tuple[int | None, str]:
    """SIBINA's golongan code of a row and the text to show: GOL_AKHIR_ID when it is a PNS code
    (SIASN and SIBINA share 11–45), else the ruang named by GOL_AKHIR_NAMA (III/c, or a PPPK
    grade, IX, whose SIASN ids SIBINA does not hold)."""
    if kode_text.isdigit() and int(kode_text) in _PNS_KODE:
        kode = int(kode_text)
        return kode, nama or golongan_ruang()[kode]
    shown = nama or kode_text
    return _KODE_BY_RUANG.get(normal(nama).replace(" ", "")), shown


# --- Comparing with SIBINA ----------------------------------------------------------------


def pegawai_in_scope(unit: UnitKerja | None) -> dict[str, Pegawai]:
    """Every pegawai (active or not) of the scope by NIP, with what is compared: one query."""
    people = Pegawai.objects.select_related("unit", "jabatan").only(
        "nip", "nama", "gelar_depan", "gelar_belakang", "aktif", "tanggal_lahir", "golongan_id",
        "unit__nama", "jabatan__nama",
    )  # fmt: skip
    if unit is not None:
        people = people.filter(unit_id__in=subtree_ids(unit_tree(), unit))
    return {p.nip: p for p in people}


def registered_elsewhere(nips: Iterable[str]) -> set[str]:
    """Which of these NIPs SIBINA holds (outside the scope): their NIPs only, nothing else."""
    nips = sorted(nips)
    found = set()
    for start in range(0, len(nips), NIP_CHUNK):
        chunk = nips[start : start + NIP_CHUNK]
        found.update(Pegawai.objects.filter(nip__in=chunk).values_list("nip", flat=True))
    return found


def compare(rows: list[BarisSiasn], unit: UnitKerja | None) -> Hasil:
    """The differences between SIASN's rows and SIBINA's pegawai of the scope, unsaved."""
    scope = pegawai_in_scope(unit)
    outside = [row.nip for row in rows if row.nip not in scope]
    elsewhere = registered_elsewhere(outside) if unit is not None and outside else set()
    ruang = golongan_ruang()
    hasil = Hasil(jumlah_pegawai=sum(1 for p in scope.values() if p.aktif))
    J = SelisihSiasn.Jenis

    def add(jenis, row, pegawai=None, sibina="", siasn=""):
        hasil.selisih.append(SelisihSiasn(
            jenis=jenis, nip=row.nip if row else pegawai.nip,
            nama=(row.nama if row else pegawai.nama_lengkap)[:200],
            pegawai=pegawai, baris=row.baris if row else None,
            nilai_sibina=str(sibina)[:300], nilai_siasn=str(siasn)[:300],
        ))  # fmt: skip

    for row in rows:
        pegawai = scope.get(row.nip)
        if pegawai is None:
            # Of a NIP in another unit, only that it is there: none of that unit's data.
            jenis = J.UNIT_LAIN if row.nip in elsewhere else J.TIDAK_DI_SIBINA
            add(jenis, row, siasn=_unor(row))
            continue
        hasil.jumlah_cocok += 1
        if not pegawai.aktif:
            add(J.NONAKTIF, row, pegawai, sibina="Nonaktif", siasn="Aktif (ada di ekspor)")
        if row.golongan is not None and row.golongan != pegawai.golongan_id:
            add(J.GOLONGAN, row, pegawai, ruang.get(pegawai.golongan_id, ""), row.golongan_teks)
        if normal(row.jabatan) != normal(pegawai.jabatan.nama):
            add(J.JABATAN, row, pegawai, pegawai.jabatan.nama, row.jabatan or "(kosong)")
        if normal(row.unor) != normal(pegawai.unit.nama):
            add(J.UNIT, row, pegawai, pegawai.unit.nama, _unor(row) or "(kosong)")
        if row.tanggal_lahir is not None and row.tanggal_lahir != pegawai.tanggal_lahir:
            add(J.TANGGAL_LAHIR, row, pegawai, f"{pegawai.tanggal_lahir:%d-%m-%Y}",
                f"{row.tanggal_lahir:%d-%m-%Y}")  # fmt: skip
    in_file = {row.nip for row in rows}
    for nip, pegawai in sorted(scope.items()):
        if pegawai.aktif and nip not in in_file:
            add(J.TIDAK_DI_SIASN, None, pegawai, sibina=pegawai.unit.nama)
    return hasil


def _unor(row: BarisSiasn) -> str:
    if row.unor_induk and normal(row.unor_induk) != normal(row.unor):
        return f"{row.unor} ({row.unor_induk})"
    return row.unor


def reconcile(file, unit: UnitKerja | None) -> Hasil:
    """Read and compare; BerkasSalah when the file cannot be read at all."""
    rows, kesalahan, count = read(file)
    hasil = compare(rows, unit)
    hasil.jumlah_baris = count
    hasil.kesalahan = kesalahan[:MAX_KESALAHAN]
    if len(kesalahan) > MAX_KESALAHAN:
        hasil.kesalahan.append(
            _error(0, "", f"… dan {len(kesalahan) - MAX_KESALAHAN} kesalahan lain.")
        )
    return hasil


def contoh_csv() -> str:
    """A file in the export's layout with one example row, for who has no export at hand."""
    return "".join(csv_lines([k.key for k in KOLOM], [[k.contoh for k in KOLOM]]))
