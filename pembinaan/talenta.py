"""Talent management (manajemen talenta ASN, PermenPANRB 3/2020), its rules as data in one place:
the potential score's levels, the performance level from two years of annual predicates, the
nine boxes (kotak manajemen talenta) with their numbers, labels and recommended actions, and the
boxes of the talent pool. The reads over stored placements are here too; writes are in
pembinaan.services (penempatan_hitung and the rest).

Where the numbers come from (docs/talenta.md says the same for HR):
- The nine boxes, their numbering and the recommendations follow the annex of PermenPANRB 3/2020
  as it is reproduced by the instances' talent systems (two independent public implementations
  agree box for box; the regulation's own text was not in the searchable corpus): kinerja on the
  vertical axis, potensial on the horizontal; boxes 7, 8 and 9 form the "kelompok rencana
  suksesi" (the talent pool).
- The potential score's thresholds (0–100: below 60 rendah, 60 to below 80 menengah, from 80
  tinggi) are those the same systems use; the regulation leaves the scale to the instance, so
  they are configurable here.
- The performance level from predicates is SIBINA's rule (the regulation says "kinerja" from the
  SKP without fixing a formula): both years Sangat Baik → di atas ekspektasi; both years at least
  Baik → sesuai; any year below Baik → di bawah. A pegawai without both years' predicates is not
  placed (listed as such), never guessed.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import timezone

from evaluasi.referensi import BAIK, SANGAT_BAIK
from pegawai import nip as nip_rules
from pegawai.models import Pegawai, UnitKerja, unit_tree

from .lib.charts import nine_box_svg
from .lib.tabular import cell_text, parse_date


class LevelKinerja(models.TextChoices):
    DI_BAWAH = "di_bawah", "Di bawah ekspektasi"
    SESUAI = "sesuai", "Sesuai ekspektasi"
    DI_ATAS = "di_atas", "Di atas ekspektasi"


class LevelPotensial(models.TextChoices):
    RENDAH = "rendah", "Rendah"
    MENENGAH = "menengah", "Menengah"
    TINGGI = "tinggi", "Tinggi"


# A potential score (0–100) → its level: the lowest score of each level, highest first.
# Configurable: the score scale is the instance's (see the module's docstring).
AMBANG_POTENSIAL: tuple[tuple[Decimal, str], ...] = (
    (Decimal(80), LevelPotensial.TINGGI),
    (Decimal(60), LevelPotensial.MENENGAH),
    (Decimal(0), LevelPotensial.RENDAH),
)

# How many years of annual predicates make the performance level, the latest ending the year
# before the current one (an annual SKP of year Y is decided early in Y + 1).
TAHUN_KINERJA = 2

# The performance level from the predicates of those years: the first rule whose set holds
# every year's predicate; the last rule (None) takes the rest.
ATURAN_KINERJA: tuple[tuple[str, frozenset[str] | None, str], ...] = (
    (LevelKinerja.DI_ATAS, frozenset({SANGAT_BAIK}), "Sangat Baik pada kedua tahun"),
    (
        LevelKinerja.SESUAI,
        frozenset({SANGAT_BAIK, BAIK}),
        "sekurang-kurangnya Baik pada kedua tahun",
    ),
    (LevelKinerja.DI_BAWAH, None, "di bawah Baik pada salah satu tahun"),
)


@dataclass(frozen=True)
class Kotak:
    nomor: int
    kinerja: str
    potensial: str
    rekomendasi: tuple[str, ...]

    @property
    def label(self) -> str:
        kinerja = LevelKinerja(self.kinerja).label.lower()
        potensial = LevelPotensial(self.potensial).label.lower()
        return f"Kinerja {kinerja} dan potensial {potensial}"

    @property
    def is_pool(self) -> bool:
        return self.nomor in POOL


K, P = LevelKinerja, LevelPotensial
# PermenPANRB 3/2020, annex (kotak manajemen talenta): number, kinerja, potensial, actions.
KOTAK: dict[int, Kotak] = {
    k.nomor: k
    for k in [
        Kotak(1, K.DI_BAWAH, P.RENDAH, ("Diproses sesuai ketentuan peraturan perundang-undangan",)),
        Kotak(2, K.SESUAI, P.RENDAH,
              ("Bimbingan kinerja", "Pengembangan kompetensi", "Penempatan yang sesuai")),
        Kotak(3, K.DI_BAWAH, P.MENENGAH,
              ("Bimbingan kinerja", "Konseling kinerja", "Pengembangan kompetensi",
               "Penempatan yang sesuai")),
        Kotak(4, K.DI_ATAS, P.RENDAH, ("Rotasi", "Pengembangan kompetensi")),
        Kotak(5, K.SESUAI, P.MENENGAH,
              ("Penempatan yang sesuai", "Bimbingan kinerja", "Pengembangan kompetensi")),
        Kotak(6, K.DI_BAWAH, P.TINGGI,
              ("Penempatan yang sesuai", "Bimbingan kinerja", "Konseling kinerja")),
        Kotak(7, K.DI_ATAS, P.MENENGAH,
              ("Dipertahankan", "Masuk kelompok rencana suksesi instansi",
               "Rotasi/pengayaan jabatan", "Pengembangan kompetensi", "Tugas belajar")),
        Kotak(8, K.SESUAI, P.TINGGI,
              ("Dipertahankan", "Masuk kelompok rencana suksesi instansi",
               "Rotasi/perluasan jabatan", "Bimbingan kinerja")),
        Kotak(9, K.DI_ATAS, P.TINGGI,
              ("Dipromosikan dan dipertahankan",
               "Masuk kelompok rencana suksesi instansi/nasional", "Penghargaan")),
    ]
}  # fmt: skip
NOMOR_KOTAK = {(k.kinerja, k.potensial): k.nomor for k in KOTAK.values()}
# The talent pool (kelompok rencana suksesi): successors to critical positions come from here.
POOL = frozenset({7, 8, 9})
# The grid as drawn: kinerja from di atas (top) down, potensial from rendah (left) across.
BARIS_KINERJA = [K.DI_ATAS, K.SESUAI, K.DI_BAWAH]
KOLOM_POTENSIAL = [P.RENDAH, P.MENENGAH, P.TINGGI]


def level_potensial(skor: Decimal) -> str:
    for lowest, level in AMBANG_POTENSIAL:
        if skor >= lowest:
            return level
    return LevelPotensial.RENDAH


def level_kinerja(predikat: list[str]) -> str:
    """The performance level of the years' predicates (all TAHUN_KINERJA of them)."""
    for level, allowed, _ in ATURAN_KINERJA:
        if allowed is None or set(predikat) <= allowed:
            return level
    raise AssertionError("the last rule takes every predicate")


def nomor_kotak(kinerja: str, potensial: str) -> int:
    return NOMOR_KOTAK[(kinerja, potensial)]


def tahun_kinerja(today) -> list[int]:
    """The years whose annual predicates count, oldest first."""
    last = today.year - 1
    return list(range(last - TAHUN_KINERJA + 1, last + 1))


def grid(counts: dict[int, int]) -> list[list[tuple[int, str, int]]]:
    """The nine boxes as drawn, row by row: (number, label, count)."""
    return [
        [
            (n, KOTAK[n].label, counts.get(n, 0))
            for n in (nomor_kotak(kinerja, potensial) for potensial in KOLOM_POTENSIAL)
        ]
        for kinerja in BARIS_KINERJA
    ]


def pool_text() -> str:
    numbers = sorted(POOL)
    return ", ".join(str(n) for n in numbers[:-1]) + f" dan {numbers[-1]}"


def opd_of_units() -> dict[int, int]:
    """Each unit's OPD (its top-level unit), from the cached unit tree."""
    tree = unit_tree()
    top = {u.path: u.pk for u in tree if u.depth == 1}
    return {u.pk: top[u.path[: UnitKerja.steplen]] for u in tree}


# --- Reads over the stored placements -------------------------------------------------------


def jumlah_per_opd(opd_ids: list[int] | None = None) -> dict[int, dict[int, int]]:
    """OPD → box → pegawai placed there: one GROUP BY over the placements."""
    from .models import PenempatanTalenta

    rows = PenempatanTalenta.objects.all()
    if opd_ids is not None:
        rows = rows.filter(opd_id__in=opd_ids)
    result: dict[int, dict[int, int]] = {}
    for opd_id, kotak, n in (
        rows.values_list("opd_id", "kotak").annotate(n=models.Count("pk")).order_by()
    ):
        result.setdefault(opd_id, {})[kotak] = n
    return result


def jumlah_total(per_opd: dict[int, dict[int, int]]) -> dict[int, int]:
    total: dict[int, int] = {}
    for counts in per_opd.values():
        for kotak, n in counts.items():
            total[kotak] = total.get(kotak, 0) + n
    return total


def nine_box(counts: dict[int, int], *, title: str) -> str:
    """The nine boxes with their counts, drawn as SVG (the same in the page and the PDF)."""
    return nine_box_svg(
        grid(counts), title=title, pool=POOL,
        rows=[LevelKinerja(k).label for k in BARIS_KINERJA],
        columns=[LevelPotensial(p).label for p in KOLOM_POTENSIAL],
        y_label="Kinerja", x_label="Potensial",
    )  # fmt: skip


# --- Import of potential scores (CSV or XLSX) ------------------------------------------------

# The columns, in the template's order (docs/talenta.md): NIP, the assessment's date, its source
# (a key of Potensial.Sumber or its label), the score 0–100, and a note (optional).
KOLOM_IMPOR = ["nip", "tanggal", "sumber", "skor", "catatan"]
CONTOH_IMPOR = ["19660801 198803 1 001", "15/03/2026", "assessment_center", "82,5", ""]
FORMAT_TANGGAL = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]


@dataclass
class HasilImpor:
    rows: list  # Potensial, unsaved, when every row is valid
    kesalahan: list[tuple[int, str]]  # (row number as the spreadsheet shows it, message)


def baca_impor(header: list[str], data: list[list], *, sendiri: int | None = None) -> HasilImpor:
    """Every row checked: a pegawai known by NIP (and active), not the importer themselves
    (`sendiri`, their pegawai id: nobody scores themselves), a real date not in the future, a
    known source, a score from 0 to 100, the same assessment not twice. Every error named with
    its row; no row kept when one is wrong."""
    from .models import Potensial

    missing = [k for k in KOLOM_IMPOR if k != "catatan" and k not in header]
    if missing:
        names = ", ".join(missing)
        return HasilImpor([], [(1, f"Kolom {names} tidak ada di baris judul. Kolom yang "
                                   f"diperlukan: {', '.join(KOLOM_IMPOR)}.")])  # fmt: skip
    index = {name: i for i, name in enumerate(header)}

    def cell(row, name) -> object:
        i = index.get(name)
        return row[i] if i is not None and i < len(row) else None

    sumber = {key: key for key in Potensial.Sumber.values} | {
        label.lower(): key for key, label in Potensial.Sumber.choices
    }
    nips = {nip_rules.normalize(cell_text(cell(row, "nip"))) for row in data}
    pegawai = dict(Pegawai.objects.aktif().filter(nip__in=nips).values_list("nip", "pk"))
    today = timezone.localdate()
    rows, errors, seen = [], [], set()
    for number, row in enumerate(data, start=2):
        if not any(cell_text(c) for c in row):
            continue
        problems = []
        nip = nip_rules.normalize(cell_text(cell(row, "nip")))
        if nip not in pegawai:
            problems.append(f"NIP {nip or '(kosong)'} bukan pegawai aktif yang terdaftar")
        elif sendiri is not None and pegawai[nip] == sendiri:
            problems.append(
                "ini potensial Anda sendiri: dicatat pengelola provinsi lain atau administrator"
            )
        try:
            tanggal = parse_date(cell(row, "tanggal"), FORMAT_TANGGAL)
        except ValueError:
            tanggal = None
            problems.append("tanggal harus berformat dd/mm/yyyy, mis. 15/03/2026")
        else:
            if tanggal > today:
                problems.append("tanggal asesmen tidak boleh di masa depan")
        kind = sumber.get(cell_text(cell(row, "sumber")).lower())
        if kind is None:
            problems.append("sumber harus salah satu dari: " + ", ".join(Potensial.Sumber.values))
        skor = _skor(cell(row, "skor"))
        if skor is None:
            problems.append("skor harus angka 0 sampai 100, mis. 82,5")
        catatan = cell_text(cell(row, "catatan"))
        if len(catatan) > 300:
            problems.append("catatan paling panjang 300 karakter")
        key = (nip, tanggal, kind)
        if not problems and key in seen:
            problems.append("baris yang sama (NIP, tanggal, sumber) sudah ada di atasnya")
        if problems:
            errors.append((number, "; ".join(problems) + "."))
            continue
        seen.add(key)
        potensial = Potensial(
            pegawai_id=pegawai[nip], tanggal=tanggal, sumber=kind, skor=skor, catatan=catatan
        )
        potensial.baris = number
        rows.append(potensial)
    if rows and not errors:
        errors = _already_recorded(rows)
    return HasilImpor([] if errors else rows, errors)


def _skor(value) -> Decimal | None:
    text = cell_text(value).replace(",", ".") if not isinstance(value, int | float) else value
    try:
        skor = Decimal(str(text))
    except InvalidOperation:
        return None
    if not skor.is_finite() or not Decimal(0) <= skor <= Decimal(100):
        return None
    return skor.quantize(Decimal("0.01"))


def _already_recorded(rows: list) -> list[tuple[int, str]]:
    """The rows whose assessment SIBINA holds already (one query)."""
    from .models import Potensial

    stored = set(
        Potensial.objects.filter(pegawai_id__in={r.pegawai_id for r in rows}).values_list(
            "pegawai_id", "tanggal", "sumber"
        )
    )
    return [
        (r.baris, "Hasil asesmen ini (NIP, tanggal, sumber) sudah tercatat.")
        for r in rows
        if (r.pegawai_id, r.tanggal, r.sumber) in stored
    ]


# --- Exports (the layouts docs/talenta.md describes) -----------------------------------------

EKSPOR_PENEMPATAN = [
    "NIP", "Nama", "OPD", "Unit kerja", "Jabatan", "Tahun kinerja", "Predikat tahunan",
    "Kinerja", "Skor potensial", "Potensial", "Kotak hasil hitung", "Kotak kalibrasi",
    "Kotak", "Label kotak", "Talent pool", "Alasan kalibrasi", "Dihitung (WIB)",
]  # fmt: skip
EKSPOR_SUKSESI = [
    "Jabatan kritikal", "Unit", "Alasan kritikal", "NIP kandidat", "Nama kandidat",
    "Unit kerja kandidat", "Kotak", "Kesiapan", "Kompetensi", "Level target",
    "Bentuk pengembangan", "JP", "Catatan", "Tahun rencana", "Status baris rencana",
]  # fmt: skip
EKSPOR_CHUNK = 2000


def ekspor_penempatan(placed) -> Iterator[list]:
    units = {u.pk: u.nama for u in unit_tree()}
    rows = placed.select_related("pegawai__jabatan").order_by("pegawai__nama", "pk")
    for p in rows.iterator(chunk_size=EKSPOR_CHUNK):
        pegawai = p.pegawai
        yield [
            nip_rules.format_nip(pegawai.nip), pegawai.nama_lengkap, units.get(p.opd_id, ""),
            units.get(pegawai.unit_id, ""), pegawai.jabatan.nama, p.tahun_kinerja, p.predikat,
            p.get_kinerja_display(), p.skor_potensial, p.get_potensial_display(),
            p.kotak_hitung, p.kotak_kalibrasi or "", p.kotak, KOTAK[p.kotak].label,
            "ya" if p.kotak in POOL else "tidak", p.alasan_kalibrasi,
            timezone.localtime(p.dihitung_at).strftime("%d/%m/%Y %H:%M"),
        ]  # fmt: skip


def ekspor_suksesi() -> Iterator[list]:
    from .models import KandidatSuksesi, PenempatanTalenta

    units = {u.pk: u.nama for u in unit_tree()}
    kandidat = KandidatSuksesi.objects.select_related(
        "jabatan_kritikal__jabatan", "pegawai", "kompetensi", "baris_rencana__rencana"
    ).order_by(
        "jabatan_kritikal__jabatan__nama", "jabatan_kritikal_id",
        KandidatSuksesi.readiest_first(), "pk",
    )  # fmt: skip
    boxes = dict(PenempatanTalenta.objects.filter(
        pegawai_id__in=kandidat.values("pegawai_id")).values_list("pegawai_id", "kotak")
    )  # fmt: skip
    for k in kandidat.iterator(chunk_size=EKSPOR_CHUNK):
        kritikal = k.jabatan_kritikal
        yield [
            kritikal.jabatan.nama, units.get(kritikal.unit_id, "Semua unit"), kritikal.alasan,
            nip_rules.format_nip(k.pegawai.nip), k.pegawai.nama_lengkap,
            units.get(k.pegawai.unit_id, ""), boxes.get(k.pegawai_id, ""),
            k.get_kesiapan_display(), f"{k.kompetensi.kode} {k.kompetensi.nama}",
            k.level_target, k.get_bentuk_display(), k.jp, k.catatan,
            k.baris_rencana.rencana.tahun if k.baris_rencana else "",
            k.baris_rencana.get_status_display() if k.baris_rencana else "",
        ]  # fmt: skip
