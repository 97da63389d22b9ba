"""Reading a file of career history rows (golongan, jabatan or education) in SIASN's column
layout into rows to create or correct: all of them, or none when any row is wrong.

The column names are those of SIASN's riwayat services as their clients read them
(docs/impor-riwayat.md says where they come from). SIASN refers to jabatan and study programs by
BKN's reference ids, which SIBINA does not hold: a jabatan is named as in SIBINA, a study
program written out. The parsing helpers are the pegawai import's (pegawai.impor)."""

from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pembinaan.lib.tabular import cell_text, parse_date

from . import nip as nip_rules
from .impor import CONTOH_PENANDA, KOLOM_KETERANGAN, Kesalahan, Kolom
from .models import (
    Golongan,
    Jabatan,
    Pegawai,
    RiwayatGolongan,
    RiwayatJabatan,
    RiwayatPendidikan,
    UnitKerja,
    User,
)

# A history file is read in the request: this many rows at most (a unit's whole history).
MAX_ROWS = 5_000
CONTOH_NIP = "198807212014021001"

NIP = Kolom("nipBaru", "NIP baru (18 digit), diketik sebagai teks", CONTOH_NIP)
KOLOM: dict[str, list[Kolom]] = {
    "golongan": [
        NIP,
        Kolom("golonganId", "Kode golongan SIASN (11–45; PPPK 101–117) atau ruang (III/b)", "32"),
        Kolom("tmtGolongan", "TMT golongan, DD/MM/YYYY", "01/04/2019"),
        Kolom("skNomor", "Nomor SK kenaikan pangkat", "823.4/123/BKD/2019", wajib=False),
        Kolom("skTanggal", "Tanggal SK, DD/MM/YYYY", "15/03/2019", wajib=False),
        Kolom("jenisKPNama", "Jenis kenaikan pangkat: Reguler, Pilihan (jabatan struktural), "
              "Pilihan (jabatan fungsional tertentu), …", "Reguler", wajib=False),
    ],
    "jabatan": [
        NIP,
        Kolom("jabatanNama", "Nama jabatan persis seperti di SIBINA",
              "Analis Kepegawaian Ahli Pertama"),
        Kolom("tmtJabatan", "TMT jabatan, DD/MM/YYYY", "01/01/2022"),
        Kolom("nomorSk", "Nomor SK jabatan", "821.2/45/BKD/2021", wajib=False),
        Kolom("tanggalSk", "Tanggal SK, DD/MM/YYYY", "20/12/2021", wajib=False),
    ],
    "pendidikan": [
        NIP,
        Kolom("tkPendidikanId", "Tingkat pendidikan: kode SIASN (05 SD … 40 S-1, 45 S-2, 50 S-3) "
              "atau SD, SMP, SMA, D1–D4, S1–S3", "40"),
        Kolom("namaSekolah", "Nama sekolah atau perguruan tinggi", "Universitas Jambi",
              wajib=False),
        Kolom("pendidikanNama", "Jurusan atau program studi", "Ilmu Administrasi Negara",
              wajib=False),
        Kolom("tahunLulus", "Tahun lulus, 4 digit", "2010"),
        Kolom("nomorIjasah", "Nomor ijazah", "UNJA/2010/00123", wajib=False),
    ],
}  # fmt: skip

# SIASN's tkPendidikanId (tingkat pendidikan); 30 "Diploma III/Sarjana Muda" is confirmed in
# SIASN responses quoted publicly, the rest follow BKN's reference table as commonly reproduced.
TINGKAT_SIASN = {
    "05": "sd", "10": "smp", "12": "smp", "15": "sma", "17": "sma", "18": "sma", "20": "d1",
    "25": "d2", "30": "d3", "35": "d4", "40": "s1", "45": "s2", "50": "s3",
}  # fmt: skip
JENJANG_ALIAS = {
    "smk": "sma", "slta": "sma", "sltp": "smp", "d-i": "d1", "d-ii": "d2", "d-iii": "d3",
    "d-iv": "d4", "s-1": "s1", "s-2": "s2", "s-3": "s3",
}  # fmt: skip

MODELS = {"golongan": RiwayatGolongan, "jabatan": RiwayatJabatan, "pendidikan": RiwayatPendidikan}


@dataclass
class Hasil:
    """What a file would write: rows to create and rows it corrects, or the errors."""

    baru: list = field(default_factory=list)
    diubah: list = field(default_factory=list)
    kesalahan: list[Kesalahan] = field(default_factory=list)

    @property
    def pegawai_ids(self) -> set[int]:
        return {row.pegawai_id for row in self.baru + self.diubah}


def template_xlsx(jenis: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Riwayat {jenis}"
    kolom = KOLOM[jenis]
    sheet.append([k.key for k in kolom] + [KOLOM_KETERANGAN])
    sheet.append([k.contoh for k in kolom] + [CONTOH_PENANDA])
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="6C757D")
    for position, k in enumerate(kolom, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(14, len(k.contoh) + 2)
        for row in range(2, MAX_ROWS + 2):  # NIP and codes as text: Excel would drop digits
            sheet.cell(row=row, column=position).number_format = "@"
    guide = workbook.create_sheet("Petunjuk")
    guide.append(["kolom", "wajib", "keterangan", "contoh"])
    for k in kolom:
        guide.append([k.key, "ya" if k.wajib else "tidak", k.keterangan, k.contoh])
    guide.column_dimensions["C"].width = 70
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_header(jenis: str, header: list[str]) -> list[Kesalahan]:
    # Read case-insensitively (read_table lower-cases the header).
    wanted = {k.key.lower(): k for k in KOLOM[jenis]}
    errors = [
        Kesalahan(1, k.key, f"Kolom wajib '{k.key}' tidak ada di baris judul.")
        for key, k in wanted.items()
        if k.wajib and key not in header
    ]
    errors += [
        Kesalahan(1, h, f"Kolom '{h}' tidak dikenal untuk riwayat {jenis}; gunakan templat.")
        for h in header
        if h and h not in wanted and h != KOLOM_KETERANGAN
    ]
    return errors


class _Lookups:
    def __init__(self, nips: set[str], user: User):
        self.pegawai = {}
        chunk = sorted(nips)
        for start in range(0, len(chunk), 2000):
            for p in Pegawai.objects.filter(nip__in=chunk[start : start + 2000]):
                self.pegawai[p.nip] = p
        self.managed = set(UnitKerja.objects.managed_by(user).values_list("pk", flat=True))
        golongan = list(Golongan.objects.all())
        self.golongan = {str(g.kode): g for g in golongan} | {
            (g.jenis, g.ruang.lower()): g for g in golongan
        }
        self.jabatan = {j.nama.lower(): j for j in Jabatan.objects.all()}
        self.existing: dict[tuple, object] = {}

    def load_existing(self, model, ids: list[int]) -> None:
        key = ("jenjang", "tahun_lulus") if model is RiwayatPendidikan else ("tmt",)
        for start in range(0, len(ids), 2000):
            for row in model.objects.filter(pegawai_id__in=ids[start : start + 2000]):
                self.existing[(row.pegawai_id, *(getattr(row, k) for k in key))] = row


def build(jenis: str, header: list[str], rows: list[list], *, user: User) -> Hasil:
    """Every row checked, each error with its row and column; the rows to write when none."""
    hasil = Hasil(kesalahan=_check_header(jenis, header))
    if hasil.kesalahan:
        return hasil
    index = {name: i for i, name in enumerate(header)}
    keys = [k.key for k in KOLOM[jenis]] + [KOLOM_KETERANGAN]

    def value(row, key):
        i = index.get(key.lower())
        return row[i] if i is not None and i < len(row) else None

    records = []
    for number, row in enumerate(rows, start=2):
        values = {key: value(row, key) for key in keys}
        if all(cell_text(values[k.key]) == "" for k in KOLOM[jenis]):
            continue
        nip = nip_rules.normalize(cell_text(values["nipBaru"]))
        if cell_text(values[KOLOM_KETERANGAN]).upper().startswith("CONTOH") or nip == CONTOH_NIP:
            continue
        records.append((number, nip, values))
    if not records:
        hasil.kesalahan.append(
            Kesalahan(2, "", "Berkas tidak berisi riwayat: isi satu riwayat per baris.")
        )
        return hasil
    lookups = _Lookups({nip for _, nip, _ in records}, user)
    model = MODELS[jenis]
    lookups.load_existing(model, sorted({p.pk for p in lookups.pegawai.values()}))
    seen: dict[tuple, int] = {}
    for number, nip, values in records:
        errors: list[Kesalahan] = []
        pegawai = lookups.pegawai.get(nip)
        if isinstance(values["nipBaru"], float):
            errors.append(Kesalahan(number, "nipBaru", "NIP terbaca sebagai angka; ketik NIP "
                                    "sebagai teks."))  # fmt: skip
        elif pegawai is None:
            errors.append(Kesalahan(number, "nipBaru", f"Tidak ada pegawai dengan NIP {nip}."))
        elif pegawai.unit_id not in lookups.managed:
            errors.append(
                Kesalahan(number, "nipBaru", "NIP ini milik pegawai di luar unit kelolaan Anda.")
            )
        elif pegawai.user_id is not None and pegawai.user_id == user.pk:
            errors.append(Kesalahan(number, "nipBaru", "Ini riwayat Anda sendiri; yang "
                                    "mengisinya pengelola lain atau administrator."))  # fmt: skip
        if errors:
            hasil.kesalahan += errors
            continue
        fill = {"golongan": _golongan, "jabatan": _jabatan, "pendidikan": _pendidikan}[jenis]
        key, fields, errors = fill(pegawai, values, number, lookups)
        if errors:
            hasil.kesalahan += errors
            continue
        full_key = (pegawai.pk, *key)
        if full_key in seen:
            hasil.kesalahan.append(
                Kesalahan(number, "", f"Riwayat yang sama sudah ada di baris {seen[full_key]}.")
            )
            continue
        seen[full_key] = number
        row = lookups.existing.get(full_key)
        if row is None and jenis == "pendidikan":
            # The level's row without a year (made from the pegawai record) gets one.
            row = lookups.existing.pop((pegawai.pk, key[0], None), None)
        is_new = row is None
        row = row or model(pegawai=pegawai)
        row.pegawai = pegawai
        before = _plain(row, fields)
        for name, v in fields.items():
            setattr(row, name, v)
        try:
            # The related rows come from the lookups: not checked again, one query each.
            row.full_clean(
                exclude=["pegawai", "golongan", "jabatan"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as invalid:
            for name, messages in invalid.message_dict.items():
                column = COLUMN_OF.get(name, "")
                hasil.kesalahan += [Kesalahan(number, column, m) for m in messages]
            continue
        if is_new:
            hasil.baru.append(row)
        elif before != _plain(row, fields):
            hasil.diubah.append(row)
    hasil.kesalahan.sort(key=lambda e: e.baris)
    return hasil


def _plain(row, fields: dict) -> dict:
    """The row's values of these fields, related rows by id (read without a query)."""
    return {name: getattr(row, row._meta.get_field(name).attname) for name in fields}


COLUMN_OF = {
    "golongan": "golonganId", "tmt": "", "tanggal_sk": "", "tahun_lulus": "tahunLulus",
    "jenjang": "tkPendidikanId", "nama_sekolah": "namaSekolah", "jurusan": "pendidikanNama",
    "nomor_ijazah": "nomorIjasah", "jabatan": "jabatanNama",
}  # fmt: skip


def _date(values, column, number, errors, *, required: bool):
    text = cell_text(values[column])
    if not text:
        if required:
            errors.append(Kesalahan(number, column, "Wajib diisi, DD/MM/YYYY."))
        return None
    try:
        return parse_date(values[column], get_format("DATE_INPUT_FORMATS"))
    except ValueError:
        errors.append(Kesalahan(number, column, f"'{text}' bukan tanggal; tulis DD/MM/YYYY."))
        return None


JENIS_KP = {label.lower(): value for value, label in RiwayatGolongan.JenisKenaikan.choices} | {
    value: value for value in RiwayatGolongan.JenisKenaikan.values
}


def _golongan(pegawai, values, number, lookups):
    errors: list[Kesalahan] = []
    text = cell_text(values["golonganId"])
    jenis = Golongan.Jenis.PPPK if pegawai.is_pppk else Golongan.Jenis.PNS
    golongan = lookups.golongan.get(text) or lookups.golongan.get((jenis, text.lower()))
    if golongan is None:
        errors.append(Kesalahan(number, "golonganId", f"Golongan '{text}' tidak dikenal; "
                                "tulis kode SIASN (32) atau ruang (III/b)."))  # fmt: skip
    tmt = _date(values, "tmtGolongan", number, errors, required=True)
    tanggal_sk = _date(values, "skTanggal", number, errors, required=False)
    kp_text = cell_text(values["jenisKPNama"])
    jenis_kp = JENIS_KP.get(kp_text.lower(), None) if kp_text else ""
    if jenis_kp is None:
        errors.append(Kesalahan(number, "jenisKPNama", f"Jenis kenaikan pangkat '{kp_text}' "
                                "tidak dikenal; lihat lembar Petunjuk."))  # fmt: skip
    fields = {
        "golongan": golongan, "tmt": tmt, "nomor_sk": cell_text(values["skNomor"])[:100],
        "tanggal_sk": tanggal_sk, "jenis_kenaikan": jenis_kp,
    }  # fmt: skip
    return (tmt,), fields, errors


def _jabatan(pegawai, values, number, lookups):
    errors: list[Kesalahan] = []
    text = cell_text(values["jabatanNama"])
    jabatan = lookups.jabatan.get(text.lower())
    if jabatan is None:
        errors.append(Kesalahan(number, "jabatanNama", f"Jabatan '{text}' belum ada di SIBINA."))
    tmt = _date(values, "tmtJabatan", number, errors, required=True)
    tanggal_sk = _date(values, "tanggalSk", number, errors, required=False)
    fields = {
        "jabatan": jabatan, "tmt": tmt, "nomor_sk": cell_text(values["nomorSk"])[:100],
        "tanggal_sk": tanggal_sk,
    }  # fmt: skip
    return (tmt,), fields, errors


def _pendidikan(pegawai, values, number, lookups):
    errors: list[Kesalahan] = []
    text = cell_text(values["tkPendidikanId"])
    code = text.zfill(2) if text.isdigit() else text.lower()
    jenjang = TINGKAT_SIASN.get(code) or JENJANG_ALIAS.get(code, code)
    if jenjang not in Pegawai.Pendidikan.values:
        errors.append(Kesalahan(number, "tkPendidikanId", f"Tingkat pendidikan '{text}' tidak "
                                "dikenal; lihat lembar Petunjuk."))  # fmt: skip
    year_text = cell_text(values["tahunLulus"])
    tahun = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    if tahun is None:
        errors.append(Kesalahan(number, "tahunLulus", "Tulis tahun lulus 4 digit, misalnya 2010."))
    fields = {
        "jenjang": jenjang, "tahun_lulus": tahun,
        "nama_sekolah": cell_text(values["namaSekolah"])[:200],
        "jurusan": cell_text(values["pendidikanNama"])[:200],
        "nomor_ijazah": cell_text(values["nomorIjasah"])[:100],
    }  # fmt: skip
    return (jenjang, tahun), fields, errors
