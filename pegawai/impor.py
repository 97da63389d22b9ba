"""Reading a pegawai import file into a plan of rows to create and update.

Every rule of one row is the model's (`Pegawai.clean_fields`, `Pegawai.identity_errors`); this
module only translates columns to fields and checks what spans rows: duplicate NIPs, supervisors
that exist and form no cycle, and the units the importing user may manage. Lookups are loaded once
per file, so that 10,000 rows cost a handful of queries rather than tens of thousands.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.text import capfirst
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from pembinaan.lib.tabular import cell_text, parse_date

from . import nip as nip_rules
from .models import (
    MAX_ATASAN_DEPTH,
    Golongan,
    Jabatan,
    Pegawai,
    UnitKerja,
    User,
    riwayat_conflicts,
    riwayat_terakhir,
)


@dataclass(frozen=True)
class Kolom:
    key: str
    keterangan: str
    contoh: str
    wajib: bool = True
    field: str | None = None  # the model field behind the column, when it is not `key`


KOLOM = [
    Kolom(
        "nip", "NIP (PNS/CPNS) atau NI PPPK, 18 digit, diketik sebagai teks", "198807212014021001"
    ),
    Kolom("gelar_depan", "Gelar di depan nama", "dr.", wajib=False),
    Kolom("nama", "Nama tanpa gelar", "Ahmad Fauzi"),
    Kolom("gelar_belakang", "Gelar di belakang nama", "M.Kes.", wajib=False),
    Kolom("status_kepegawaian", "PNS, CPNS atau PPPK", "PNS"),
    Kolom("jenis_kelamin", "L (laki-laki) atau P (perempuan)", "L"),
    Kolom("tempat_lahir", "Kota/kabupaten tempat lahir", "Jambi"),
    Kolom("tanggal_lahir", "DD/MM/YYYY, harus sama dengan digit 1–8 NIP", "21/07/1988"),
    Kolom("tmt_cpns", "DD/MM/YYYY; wajib untuk PNS dan CPNS", "01/02/2014", wajib=False),
    Kolom("tmt_pns", "DD/MM/YYYY; wajib untuk PNS", "01/02/2015", wajib=False),
    Kolom("golongan", "Golongan/ruang PNS (III/a) atau golongan PPPK (IX)", "III/b"),
    Kolom("tmt_golongan", "DD/MM/YYYY", "01/04/2019"),
    Kolom("jabatan", "Nama jabatan persis seperti di SIBINA", "Analis Kepegawaian Ahli Pertama"),
    Kolom("tmt_jabatan", "DD/MM/YYYY", "01/01/2022"),
    Kolom("kode_unit", "Kode unit kerja persis seperti di SIBINA", "DINKES", field="unit"),
    Kolom(
        "nip_atasan",
        "NIP atasan langsung (boleh pegawai di berkas ini)",
        "",
        wajib=False,
        field="atasan",
    ),
    Kolom("pendidikan_terakhir", "SD, SMP, SMA, D1, D2, D3, D4, S1, S2 atau S3", "S1"),
    Kolom("email", "Alamat email dinas", "ahmad.fauzi@jambiprov.go.id", wajib=False),
    Kolom("telepon", "Nomor telepon", "081234567890", wajib=False),
]
# Columns that an export adds for the reader; an edited export imports without removing them.
KOLOM_INFORMASI = ("aktif", "unit_kerja")
# When the export was made, on each of its rows (so that rows of several exports pasted into one
# file each keep their own): a pegawai changed in SIBINA after it is not overwritten unless HR
# says so for that row. Written as text with its zone, which no spreadsheet turns into a number.
KOLOM_EKSPOR = "diekspor_pada"
EKSPOR_FORMAT = "%d/%m/%Y %H:%M:%S"
# The template's note column: its example row says "CONTOH", and such a row is never imported.
KOLOM_KETERANGAN = "keterangan"
CONTOH_PENANDA = "CONTOH: baris ini tidak diimpor; tulis data Anda di baris berikutnya"
# The example row is also known by its NIP (used for nothing else), in case its note was cleared
# or its column deleted.
CONTOH_NIP = KOLOM[0].contoh
KOLOM_BY_FIELD = {k.field or k.key: k.key for k in KOLOM}
SIMPLE_TEXT = ["gelar_depan", "nama", "gelar_belakang", "tempat_lahir", "email", "telepon"]
DATE_FIELDS = ["tanggal_lahir", "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan"]
# Everything the import may change on an existing pegawai.
UPDATABLE_FIELDS = Pegawai.DATA_FIELDS
PENDIDIKAN_ALIASES = {
    "smk": "sma",
    "slta": "sma",
    "sltp": "smp",
    "d-i": "d1",
    "d-ii": "d2",
    "d-iii": "d3",
    "d-iv": "d4",
    "s-1": "s1",
    "s-2": "s2",
    "s-3": "s3",
}


@dataclass
class Kesalahan:
    baris: int
    kolom: str
    pesan: str

    def as_dict(self) -> dict:
        return {"baris": self.baris, "kolom": self.kolom, "pesan": self.pesan}


# The preview lists the first new rows, and the changed rows with each change up to this many
# (every row newer in SIBINA among them, since each needs HR's tick).
PRATINJAU_BARU = 20
PRATINJAU_UBAH = 1000


@dataclass
class Rencana:
    """What an import would do: pegawai to create, to update, and the errors that stop it.

    A row whose pegawai was changed in SIBINA after the file was exported is in `lebih_baru`
    and not written, unless its NIP is among those HR chose to overwrite (then in `diubah`)."""

    baru: list[Pegawai] = field(default_factory=list)
    diubah: list[Pegawai] = field(default_factory=list)
    lebih_baru: list[Pegawai] = field(default_factory=list)
    tetap: int = 0
    contoh: list[int] = field(default_factory=list)  # the template's example rows, skipped
    baris: int = 0  # the rows of data: neither empty nor the example
    atasan_nip: dict[str, str] = field(default_factory=dict)  # nip -> nip of the atasan
    kesalahan: list[Kesalahan] = field(default_factory=list)
    pratinjau: list[dict] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.kesalahan

    @property
    def has_changes(self) -> bool:
        """Whether saving would write anything, or could once HR ticks a newer row."""
        return bool(self.baru or self.diubah or self.lebih_baru)


TEXT_COLUMNS = ("nip", "nip_atasan", "telepon")


def template_xlsx() -> bytes:
    """The import template: the column row, an example row marked as one (greyed, and
    "CONTOH" in its note column: never imported), and a sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pegawai"
    sheet.append([k.key for k in KOLOM] + [KOLOM_KETERANGAN])
    sheet.append([k.contoh for k in KOLOM] + [CONTOH_PENANDA])
    example = Font(italic=True, color="6C757D")
    shade = PatternFill("solid", fgColor="F1F3F5")
    for cell in sheet[2]:
        cell.font, cell.fill = example, shade
    sheet.cell(row=2, column=1).comment = Comment(
        "Baris contoh: tidak pernah diimpor. Isi data pegawai mulai baris 3.", "SIBINA"
    )
    sheet.column_dimensions[get_column_letter(len(KOLOM) + 1)].width = 30
    sheet.freeze_panes = "A2"
    for position, kolom in enumerate(KOLOM, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(14, len(kolom.contoh) + 2)
        if kolom.key in TEXT_COLUMNS:
            # Typed as text: Excel would turn an 18-digit NIP into a float and lose digits.
            for row in range(2, 2001):
                sheet.cell(row=row, column=position).number_format = "@"
    guide = workbook.create_sheet("Petunjuk")
    guide.append(["kolom", "wajib", "keterangan", "contoh"])
    for k in KOLOM:
        guide.append([k.key, "ya" if k.wajib else "tidak", k.keterangan, k.contoh])
    guide.append([
        KOLOM_KETERANGAN, "tidak",
        "Catatan bebas. Baris yang keterangannya diawali CONTOH (seperti baris 2 lembar "
        "Pegawai) tidak diimpor.", "",
    ])  # fmt: skip
    guide.column_dimensions["C"].width = 70
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check_header(header: list[str]) -> list[Kesalahan]:
    missing = [k.key for k in KOLOM if k.wajib and k.key not in header]
    known = {k.key for k in KOLOM} | set(KOLOM_INFORMASI) | {KOLOM_EKSPOR, KOLOM_KETERANGAN}
    unknown = [h for h in header if h and h not in known]
    errors = [
        Kesalahan(1, key, f"Kolom wajib '{key}' tidak ada di baris judul.") for key in missing
    ]
    errors += [
        Kesalahan(1, h, f"Kolom '{h}' tidak dikenal; gunakan nama kolom dari templat.")
        for h in unknown
    ]
    if errors and not known & set(header):
        errors.insert(
            0,
            Kesalahan(
                1, "",
                "Baris 1 tidak berisi nama kolom templat. Data dibaca dari lembar pertama, dengan "
                "nama kolom (nip, nama, …) di baris 1: pindahkan lembar data ke urutan pertama "
                "dan hapus baris di atas baris judul.",
            ),
        )  # fmt: skip
    return errors


class _Lookups:
    """Reference rows loaded once per file."""

    def __init__(self, user: User):
        golongan = list(Golongan.objects.all())
        jabatan = list(Jabatan.objects.all())
        units = list(UnitKerja.objects.all())
        self.golongan = {(g.jenis, g.ruang.lower()): g for g in golongan}
        self.jabatan = {j.nama.lower(): j for j in jabatan}
        self.unit = {u.kode.upper(): u for u in units}
        self.managed_unit_ids = set(UnitKerja.objects.managed_by(user).values_list("pk", flat=True))
        # Names by id, for the preview's before and after.
        self.names = {
            "golongan_id": {g.pk: str(g) for g in golongan},
            "jabatan_id": {j.pk: j.nama for j in jabatan},
            "unit_id": {u.pk: u.nama for u in units},
        }


def build_plan(
    header: list[str],
    rows: Iterable[list],
    *,
    user: User,
    timpa: Iterable[str] = (),
    diperiksa_pada: datetime | None = None,
) -> Rencana:
    """The plan of a file. `timpa`: the NIPs whose newer data in SIBINA HR chose to overwrite.
    `diperiksa_pada`: when the preview HR saw was made (on saving): a pegawai changed after it
    is newer in SIBINA whatever the file says, and not overwritten, ticked or not, since HR
    never saw that change."""
    plan = Rencana(kesalahan=check_header(header))
    if plan.kesalahan:
        return plan
    index = {name: i for i, name in enumerate(header)}
    wanted = [k.key for k in KOLOM] + [KOLOM_EKSPOR, KOLOM_KETERANGAN]
    records = []
    for number, row in enumerate(rows, start=2):
        values = {
            key: row[index[key]] if key in index and index[key] < len(row) else None
            for key in wanted
        }
        if all(cell_text(values[k.key]) == "" for k in KOLOM):
            continue
        if (
            cell_text(values[KOLOM_KETERANGAN]).upper().startswith("CONTOH")
            or nip_rules.normalize(cell_text(values["nip"])) == CONTOH_NIP
        ):
            plan.contoh.append(number)
            plan.pratinjau.append({"baris": number, "aksi": "contoh"})
            continue
        records.append((number, values))
    plan.baris = len(records)
    if not records:
        plan.kesalahan.append(Kesalahan(2, "", _empty_message(plan)))
        return plan

    lookups = _Lookups(user)
    timpa = set(timpa)
    nips = [nip_rules.normalize(cell_text(values["nip"])) for _, values in records]
    existing = _existing_by_nip(nips)
    # A row may not take a pegawai back before their latest history rows (pegawai.models).
    terakhir = riwayat_terakhir([p.pk for p in existing.values()])
    seen: dict[str, int] = {}
    changed_rows: list[tuple[dict, str, str]] = []  # preview entry, atasan nip before and after
    for (number, values), nip in zip(records, nips, strict=True):
        errors: list[Kesalahan] = []
        if nip in seen:
            errors.append(Kesalahan(number, "nip", f"NIP {nip} sudah ada di baris {seen[nip]}."))
        seen.setdefault(nip, number)
        pegawai = existing.get(nip)
        try:
            exported_at = export_time(values[KOLOM_EKSPOR])
        except ValueError:
            exported_at = None
            errors.append(
                Kesalahan(
                    number, KOLOM_EKSPOR,
                    f"'{cell_text(values[KOLOM_EKSPOR])}' bukan waktu ekspor SIBINA; biarkan kolom "
                    "ini seperti saat diekspor, atau kosongkan.",
                )
            )  # fmt: skip
        target = pegawai or Pegawai(nip=nip)
        before = _snapshot(target) if pegawai else None
        errors += _fill(target, values, number, lookups)
        if pegawai is not None:
            conflicts = riwayat_conflicts(target, terakhir.get(pegawai.pk))
            errors += [Kesalahan(number, field, m) for field, m in conflicts.items()]
        atasan_nip = nip_rules.normalize(cell_text(values["nip_atasan"]))
        if atasan_nip:
            plan.atasan_nip[nip] = atasan_nip
        if errors:
            plan.kesalahan += errors
            continue
        entry = {
            "baris": number,
            "nip": target.nip_tampil,
            "nama": target.nama_lengkap,
            "unit": target.unit.nama,
        }
        if pegawai is None:
            plan.baru.append(target)
            if len(plan.baru) <= PRATINJAU_BARU:
                plan.pratinjau.append(entry | {"aksi": "baru"})
            continue
        perubahan = _perubahan(before, _snapshot(target), lookups)
        if not perubahan and _atasan_nip(pegawai) == atasan_nip:
            plan.tetap += 1
            continue
        if before["unit_id"] not in lookups.managed_unit_ids:
            # Shown in one's list (a subordinate in another unit) and so in its export: left as
            # it is, no change; changed, refused.
            plan.kesalahan.append(
                Kesalahan(number, "nip", "NIP ini milik pegawai di luar unit kelolaan Anda.")
            )
            continue
        if pegawai.user_id is not None and pegawai.user_id == user.pk:
            # Separation of duties (pegawai.access): one's own record is changed by another.
            # Left as it is, or as it was when exported (one's own later change is newer), the
            # row is no change at all.
            if exported_at is not None and _as_exported(pegawai, target, atasan_nip, exported_at):
                plan.tetap += 1
                continue
            plan.kesalahan.append(
                Kesalahan(
                    number, "nip",
                    "Ini data Anda sendiri; perubahannya dilakukan pengelola lain di unit Anda "
                    "atau administrator. Hapus baris ini dari berkas.",
                )
            )  # fmt: skip
            continue
        entry |= {"aksi": "ubah", "perubahan": perubahan}
        if diperiksa_pada is not None and pegawai.updated_at > diperiksa_pada:
            entry |= {
                "aksi": "lebih_baru",
                "diubah_pada": waktu_tampil(pegawai.updated_at),
                "alasan": f"Diubah di SIBINA {waktu_tampil(pegawai.updated_at)}, setelah "
                f"pratinjau {waktu_tampil(diperiksa_pada)}.",
                "timpa": False,
            }
            plan.lebih_baru.append(target)
        elif exported_at is not None and _changed_after(pegawai, exported_at):
            entry |= {
                "aksi": "lebih_baru",
                "diubah_pada": waktu_tampil(pegawai.updated_at),
                "diekspor_pada": waktu_tampil(exported_at),
                "timpa": nip in timpa,
            }
            (plan.diubah if nip in timpa else plan.lebih_baru).append(target)
        else:
            plan.diubah.append(target)
        if len(changed_rows) < PRATINJAU_UBAH:
            plan.pratinjau.append(entry)
            changed_rows.append((entry, _atasan_nip(pegawai), atasan_nip))
    numbers = {nip: number for (number, _), nip in zip(records, nips, strict=True)}
    plan.kesalahan += _atasan_errors(plan.atasan_nip, numbers, user=user)
    plan.kesalahan.sort(key=lambda e: e.baris)
    if plan.is_valid:
        _add_atasan_changes(changed_rows, plan.baru + plan.diubah + plan.lebih_baru, user=user)
    return plan


def _empty_message(plan: Rencana) -> str:
    if plan.contoh:
        return (
            "Berkas hanya berisi baris contoh templat, yang tidak diimpor. Tulis data pegawai "
            "di baris berikutnya, lalu unggah lagi."
        )
    return "Berkas tidak berisi data pegawai: isi satu pegawai per baris di bawah baris judul."


def export_stamp(moment: datetime) -> str:
    """The export time as an export writes it: WIB, to the second."""
    return timezone.localtime(moment).strftime(EKSPOR_FORMAT) + " WIB"


def export_time(cell) -> datetime | None:
    """The export time of a row (export_stamp's text, or a date cell a spreadsheet made of it);
    None when empty, ValueError when unreadable."""
    if isinstance(cell, datetime):
        return timezone.make_aware(cell) if timezone.is_naive(cell) else cell
    text = cell_text(cell).removesuffix("WIB").strip()
    if not text:
        return None
    return timezone.make_aware(datetime.strptime(text, EKSPOR_FORMAT))


def _as_exported(pegawai: Pegawai, target: Pegawai, atasan_nip: str, moment: datetime) -> bool:
    """Whether a row that differs from SIBINA holds the pegawai as they were when exported
    (`moment`): untouched in the file, only older than SIBINA. `target` holds the file's
    values."""
    if not _changed_after(pegawai, moment):
        return False  # SIBINA is as exported: the difference is the file's
    try:
        # To the end of the export's second, as _changed_after counts.
        then = pegawai.history.as_of(moment + timedelta(seconds=1) - timedelta(microseconds=1))
    except Pegawai.DoesNotExist:  # no history that old
        return False
    atasan_then = (
        Pegawai.objects.filter(pk=then.atasan_id).values_list("nip", flat=True).first() or ""
        if then.atasan_id
        else ""
    )
    return _snapshot(then) == _snapshot(target) and atasan_then == atasan_nip


def _changed_after(pegawai: Pegawai, exported_at: datetime) -> bool:
    """Whether SIBINA's record changed after the export. Compared to the second, as the export
    writes its time: a change within the export's own second counts as older."""
    return pegawai.updated_at.replace(microsecond=0) > exported_at


def waktu_tampil(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H.i") + " WIB"


def _perubahan(before: dict, after: dict, lookups: _Lookups) -> list[list[str]]:
    """Each field that differs: its label, the value in SIBINA and the file's, as shown."""
    return [
        [_label(name), _shown(name, before[name], lookups), _shown(name, value, lookups)]
        for name, value in after.items()
        if before[name] != value
    ]


def _label(attname: str) -> str:
    return capfirst(Pegawai._meta.get_field(attname).verbose_name)


def _shown(attname: str, value, lookups: _Lookups) -> str:
    if value in (None, ""):
        return "–"
    if attname in lookups.names:
        return lookups.names[attname].get(value, "–")
    choices = dict(Pegawai._meta.get_field(attname).flatchoices)
    if value in choices:
        return str(choices[value])
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return str(value)


def _add_atasan_changes(
    changed_rows: list[tuple[dict, str, str]], in_file: list[Pegawai], *, user: User
):
    """The supervisor's change on each previewed row, by name: from the file when the supervisor
    is in it, else from SIBINA (one query) when the user may see them (as the form: a NIP only
    for someone above or beside one's units)."""
    moved = [(entry, old, new) for entry, old, new in changed_rows if old != new]
    if not moved:
        return
    names = {p.nip: p.nama_lengkap for p in in_file}
    missing = {nip for _, old, new in moved for nip in (old, new) if nip and nip not in names}
    for p in (
        Pegawai.objects.visible_to(user)
        .filter(nip__in=missing)
        .only("nip", "gelar_depan", "nama", "gelar_belakang")
    ):
        names[p.nip] = p.nama_lengkap
    label = capfirst(Pegawai._meta.get_field("atasan").verbose_name)
    for entry, old, new in moved:
        entry["perubahan"].append([label, _atasan_shown(old, names), _atasan_shown(new, names)])


def _atasan_shown(nip: str, names: dict[str, str]) -> str:
    if not nip:
        return "–"
    shown = nip_rules.format_nip(nip)
    return f"{names[nip]} ({shown})" if nip in names else shown


def _snapshot(pegawai: Pegawai) -> dict:
    """The values the import compares, to leave unchanged rows (and their history) alone."""
    return {
        f.attname: getattr(pegawai, f.attname)
        for f in Pegawai._meta.concrete_fields
        if f.name in UPDATABLE_FIELDS and f.name != "atasan"
    }


def _atasan_nip(pegawai: Pegawai) -> str:
    return pegawai.atasan.nip if pegawai.atasan_id else ""


def _existing_by_nip(nips: list[str]) -> dict[str, Pegawai]:
    found = {}
    for start in range(0, len(nips), 2000):
        chunk = [n for n in nips[start : start + 2000] if n]
        for pegawai in Pegawai.objects.filter(nip__in=chunk).select_related("atasan", "unit"):
            found[pegawai.nip] = pegawai
    return found


def _fill(target: Pegawai, values: dict, number: int, lookups: _Lookups) -> list[Kesalahan]:
    errors: list[Kesalahan] = []

    def error(column: str, message: str) -> None:
        errors.append(Kesalahan(number, column, message))

    raw_nip = values["nip"]
    if isinstance(raw_nip, float):
        error(
            "nip", "NIP terbaca sebagai angka dan digit terakhirnya hilang; ketik NIP sebagai teks."
        )
    for name in SIMPLE_TEXT:
        setattr(target, name, cell_text(values[name]))
    status = cell_text(values["status_kepegawaian"]).lower()
    if status in Pegawai.StatusKepegawaian.values:
        target.status_kepegawaian = status
    else:
        error("status_kepegawaian", "Isi dengan PNS, CPNS atau PPPK.")
    gender = cell_text(values["jenis_kelamin"]).upper()[:1]
    if gender in Pegawai.JenisKelamin.values:
        target.jenis_kelamin = gender
    else:
        error("jenis_kelamin", "Isi dengan L (laki-laki) atau P (perempuan).")
    input_formats = get_format("DATE_INPUT_FORMATS")
    for name in DATE_FIELDS:
        cell = values[name]
        if cell_text(cell) == "":
            setattr(target, name, None)
            continue
        try:
            setattr(target, name, parse_date(cell, input_formats))
        except ValueError:
            error(name, f"'{cell_text(cell)}' bukan tanggal; tulis sebagai DD/MM/YYYY.")
    jenis = Golongan.Jenis.PPPK if status == "pppk" else Golongan.Jenis.PNS
    golongan = lookups.golongan.get((jenis, cell_text(values["golongan"]).lower()))
    if golongan:
        target.golongan = golongan
    else:
        error(
            "golongan",
            f"Golongan '{cell_text(values['golongan'])}' tidak dikenal untuk "
            f"{Golongan.Jenis(jenis).label}; contoh: III/a untuk PNS, IX untuk PPPK.",
        )
    jabatan = lookups.jabatan.get(cell_text(values["jabatan"]).lower())
    if jabatan:
        target.jabatan = jabatan
    else:
        error("jabatan", f"Jabatan '{cell_text(values['jabatan'])}' belum ada di SIBINA.")
    unit = lookups.unit.get(cell_text(values["kode_unit"]).upper())
    if unit is None:
        error("kode_unit", f"Kode unit '{cell_text(values['kode_unit'])}' tidak dikenal.")
    elif unit.pk not in lookups.managed_unit_ids and unit.pk != target.unit_id:
        # (An existing pegawai outside one's units, left in their unit, is refused only when
        # the row changes them: build_plan.)
        error("kode_unit", f"Unit {unit.nama} bukan unit kelolaan Anda.")
    else:
        target.unit = unit
    pendidikan = cell_text(values["pendidikan_terakhir"]).lower()
    pendidikan = PENDIDIKAN_ALIASES.get(pendidikan, pendidikan)
    if pendidikan in Pegawai.Pendidikan.values:
        target.pendidikan_terakhir = pendidikan
    else:
        error("pendidikan_terakhir", "Isi dengan SD, SMP, SMA, D1, D2, D3, D4, S1, S2 atau S3.")
    # The model's own rules, on the columns that were read without error.
    failed = {e.kolom for e in errors}
    checked = {"nama", "tempat_lahir", "gelar_depan", "gelar_belakang", "email", "telepon"}
    found: dict[str, list[str]] = {}
    try:
        target.clean_fields(exclude=[f.name for f in Pegawai._meta.fields if f.name not in checked])
    except ValidationError as invalid:
        found = invalid.message_dict
    for name, messages in (found | target.identity_errors()).items():
        column = KOLOM_BY_FIELD.get(name, name)
        if column not in failed:
            errors += [Kesalahan(number, column, m) for m in messages]
    return errors


def _atasan_errors(
    atasan_nip: dict[str, str], numbers: dict[str, int], *, user: User
) -> list[Kesalahan]:
    """Each named atasan exists (in the file or the database), is active (an import activates
    no one), and no chain loops back; as the form, an inactive one is named only to a user who
    may see them."""
    inactive = set(
        Pegawai.objects.filter(nip__in=set(atasan_nip.values()), aktif=False).values_list(
            "nip", flat=True
        )
    )
    inactive_names = {
        p.nip: p.nama_lengkap
        for p in Pegawai.objects.visible_to(user)
        .filter(nip__in=inactive)
        .only("nip", "gelar_depan", "nama", "gelar_belakang")
    }
    chain = dict(atasan_nip)
    unknown = {a for a in atasan_nip.values() if a not in numbers}
    known_in_db: set[str] = set()
    for _ in range(MAX_ATASAN_DEPTH):
        if not unknown:
            break
        rows = Pegawai.objects.filter(nip__in=unknown).values_list("nip", "atasan__nip")
        next_unknown = set()
        for nip, atasan in rows:
            known_in_db.add(nip)
            if nip not in chain and atasan:
                chain[nip] = atasan
                if atasan not in numbers and atasan not in known_in_db:
                    next_unknown.add(atasan)
        unknown = next_unknown
    errors = []
    for nip, atasan in atasan_nip.items():
        number = numbers[nip]
        if atasan == nip:
            errors.append(
                Kesalahan(
                    number, "nip_atasan", "Pegawai tidak dapat menjadi atasan dirinya sendiri."
                )
            )
        elif atasan not in numbers and atasan not in known_in_db:
            errors.append(
                Kesalahan(number, "nip_atasan", f"Atasan dengan NIP {atasan} tidak ditemukan.")
            )
        elif atasan in inactive:
            who = inactive_names.get(atasan, "Pegawai dengan NIP ini")
            errors.append(
                Kesalahan(number, "nip_atasan", f"{who} sudah nonaktif; pilih atasan lain.")
            )
        elif _loops(nip, chain):
            errors.append(
                Kesalahan(
                    number,
                    "nip_atasan",
                    "Rantai atasan melingkar: atasan ini adalah bawahan pegawai ini.",
                )
            )
    return errors


def _loops(start: str, chain: dict[str, str]) -> bool:
    current = chain.get(start)
    for _ in range(MAX_ATASAN_DEPTH):
        if current is None:
            return False
        if current == start:
            return True
        current = chain.get(current)
    return False
