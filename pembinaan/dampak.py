"""L4, measured: did a training change the participants' performance? (docs/dampak.md)

For every finished batch, the pegawai who passed it (peserta; a pass that still counts, as
Peserta.diakui says) are compared with pegawai of the same OPD and jabatan type who had not
taken the training by the time the change is read (pembanding). For each of them the
performance predicate, as an ordered score (SKOR_PREDIKAT), is read in the calendar slot
(quarter, by settings.DAMPAK_JENIS_PERIODE) before the one the batch began in, and in the slot
after the one it ended in; the change is after − before. The training's effect is the
difference in differences:

    selisih = mean change of the peserta − mean change of the pembanding

with a 95 % confidence interval by Welch's formula (unequal variances, t quantile by Welch–
Satterthwaite degrees of freedom from T_975). A training over several batches stacks them: each
batch brings its own peserta and pembanding (a pegawai may compare with more than one batch).
Either group under settings.DAMPAK_MIN_KELOMPOK pegawai is "belum cukup data".

Everything is count, Σ change and Σ change² per group: one SQL statement sums every pegawai's
change per cell (OPD, jabatan type) and pair of slots, a batch's pembanding are its
participants' cells less whoever took the training, and the rest is arithmetic. A training and the
needs analysis cost the same four queries (selisih_per_angkatan) whatever the number of pegawai
or batches; the province-wide monitoring report reads each batch's sums as stored every night
(selisih_tersimpan, models.DampakAngkatan; bench/RESULTS.md, issue 24)."""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr

from evaluasi import referensi as evaluasi_ref
from evaluasi.models import LaporanPascaPelatihan, PenilaianKinerja, PeriodePenilaian, ReaksiPeserta
from pegawai.models import Jabatan, Pegawai, UnitKerja
from pelatihan.models import Angkatan, Pelatihan, Peserta

from .lib.angka import angka

# The predicate as an ordered score: one step is one predicate up or down (the order of the
# functional-position credit percentages, PermenPANRB 6/2022: 150/100/75/50/25 %).
SKOR_PREDIKAT = {
    evaluasi_ref.SANGAT_BAIK: 5,
    evaluasi_ref.BAIK: 4,
    evaluasi_ref.BUTUH_PERBAIKAN: 3,
    evaluasi_ref.KURANG: 2,
    evaluasi_ref.SANGAT_KURANG: 1,
}

# Student's t, two-sided 95 % (the 0.975 quantile), by degrees of freedom. Between two rows the
# lower one is read (a slightly wider interval), above 120 the normal 1.960.
T_975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
    10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110,
    18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060,
    26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980,
}  # fmt: skip
T_TAK_HINGGA = 1.960

# What the analysis concludes, as the pages word it.
BERDAMPAK, NEGATIF, TIDAK_TERUKUR, BELUM_CUKUP = (
    "berdampak",
    "negatif",
    "tidak_terukur",
    "belum_cukup",
)
KESIMPULAN = {
    BERDAMPAK: "Dampak nyata",
    NEGATIF: "Dampak negatif",
    TIDAK_TERUKUR: "Tidak ada dampak terukur",
    BELUM_CUKUP: "Belum cukup data",
}
# A training is marked "no measurable effect" in the needs analysis only after this many
# finished batches contributed to its measurement (two cycles).
SIKLUS_MINIMAL = 2


def t_975(df: float) -> float:
    if df >= 121:
        return T_TAK_HINGGA
    whole = max(1, math.floor(df))
    return T_975[max(k for k in T_975 if k <= whole)]


def _cukup(n: int) -> bool:
    """Whether a figure over `n` pegawai may be shown (settings.DAMPAK_MIN_KELOMPOK)."""
    return n >= max(2, settings.DAMPAK_MIN_KELOMPOK)


@dataclass(frozen=True)
class Kelompok:
    """A group's changes (after − before, in predicate steps) as count, sum and sum of squares."""

    n: int = 0
    jumlah: int = 0
    kuadrat: int = 0

    def __add__(self, other: "Kelompok") -> "Kelompok":
        return Kelompok(self.n + other.n, self.jumlah + other.jumlah, self.kuadrat + other.kuadrat)

    def __sub__(self, other: "Kelompok") -> "Kelompok":
        return Kelompok(self.n - other.n, self.jumlah - other.jumlah, self.kuadrat - other.kuadrat)

    @property
    def rerata(self) -> Fraction | None:
        return Fraction(self.jumlah, self.n) if self.n else None

    @property
    def varians(self) -> Fraction | None:
        """The sample variance (n − 1)."""
        if self.n < 2:
            return None
        return (self.kuadrat - Fraction(self.jumlah**2, self.n)) / (self.n - 1)


@dataclass(frozen=True)
class Selisih:
    """The difference in differences of one batch, or of a training over its batches."""

    peserta: Kelompok = field(default_factory=Kelompok)
    pembanding: Kelompok = field(default_factory=Kelompok)
    angkatan: int = 0  # finished batches with at least one measured participant

    def __add__(self, other: "Selisih") -> "Selisih":
        return Selisih(
            self.peserta + other.peserta,
            self.pembanding + other.pembanding,
            self.angkatan + other.angkatan,
        )

    @property
    def cukup(self) -> bool:
        return _cukup(self.peserta.n) and _cukup(self.pembanding.n)

    @property
    def nilai(self) -> float | None:
        if not self.cukup:
            return None
        return float(self.peserta.rerata - self.pembanding.rerata)

    @property
    def galat_baku(self) -> float | None:
        if not self.cukup:
            return None
        return math.sqrt(self._a + self._b)

    @property
    def _a(self) -> Fraction:
        return self.peserta.varians / self.peserta.n

    @property
    def _b(self) -> Fraction:
        return self.pembanding.varians / self.pembanding.n

    @property
    def derajat_bebas(self) -> float | None:
        """Welch–Satterthwaite; with no spread in either group, n₁ + n₂ − 2 (it is not used)."""
        if not self.cukup:
            return None
        a, b = self._a, self._b
        below = a**2 / (self.peserta.n - 1) + b**2 / (self.pembanding.n - 1)
        if below == 0:
            return float(self.peserta.n + self.pembanding.n - 2)
        return float((a + b) ** 2 / below)

    @property
    def selang(self) -> tuple[float, float] | None:
        """The 95 % confidence interval of `nilai`."""
        if not self.cukup:
            return None
        half = t_975(self.derajat_bebas) * self.galat_baku
        return self.nilai - half, self.nilai + half

    @property
    def kesimpulan(self) -> str:
        if not self.cukup:
            return BELUM_CUKUP
        low, high = self.selang
        if low > 0:
            return BERDAMPAK
        if high < 0:
            return NEGATIF
        return TIDAK_TERUKUR

    @property
    def kesimpulan_label(self) -> str:
        return KESIMPULAN[self.kesimpulan]

    @property
    def tanpa_dampak_setelah_dua_siklus(self) -> bool:
        """The needs analysis' warning: measured over two batches or more, and no effect."""
        return self.angkatan >= SIKLUS_MINIMAL and self.kesimpulan in (TIDAK_TERUKUR, NEGATIF)

    @property
    def tanda(self) -> str:
        """What the needs analysis marks a training with, or "" when there is nothing to say."""
        if self.kesimpulan == BERDAMPAK:
            return self.kesimpulan_label
        if self.tanpa_dampak_setelah_dua_siklus:  # the table's words (KESIMPULAN), and when
            return f"{self.kesimpulan_label} setelah {self.angkatan} angkatan"
        return ""

    @property
    def teks(self) -> str:
        """ "+0,80 langkah predikat (95 %: +0,35 s.d. +1,25)", or why there is no figure."""
        if not self.cukup:
            return (
                f"Belum cukup data: {self.peserta.n} peserta dan {self.pembanding.n} pembanding "
                f"terukur, paling sedikit {settings.DAMPAK_MIN_KELOMPOK} per kelompok"
            )
        low, high = self.selang
        return f"{_signed(self.nilai)} langkah predikat (95 %: {_signed(low)} s.d. {_signed(high)})"


def _signed(value: float) -> str:
    """+0,83, −0,24 (the minus sign, as the docs write it), 0,00."""
    return angka(value, 2, tanda=True)


# --- The query ----------------------------------------------------------------------------------

# A period kind's length in months: the calendar slots ratings are read in.
BULAN_PERIODE = {"bulanan": 1, "triwulan": 3, "tahunan": 12}


def _slot(day: date, shift: int) -> tuple[date, date]:
    """The calendar slot (month, quarter or year, by settings.DAMPAK_JENIS_PERIODE) `shift`
    slots from the one that holds `day`: its first and last day."""
    months = BULAN_PERIODE[settings.DAMPAK_JENIS_PERIODE]
    first = (day.year * 12 + (day.month - 1) // months * months) + shift * months
    start = date(first // 12, first % 12 + 1, 1)
    after = first + months
    return start, date(after // 12, after % 12 + 1, 1) - timedelta(days=1)


def slot_sebelum(angkatan) -> tuple[date, date]:
    """The last slot that ended before the batch began."""
    return _slot(angkatan.tanggal_mulai, -1)


def slot_sesudah(angkatan) -> tuple[date, date]:
    """The first slot that began after the batch ended."""
    return _slot(angkatan.tanggal_selesai, 1)


def _skor_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{key}' THEN {score}" for key, score in SKOR_PREDIKAT.items())
    return f"CASE {column} {cases} END"


def perubahan_per_sel(
    pairs: list[tuple[tuple[date, date], tuple[date, date]]], sampai: date
) -> dict[tuple[int, str, str], Kelompok]:
    """Per pair of slots (before, after; by index in `pairs`) and cell (OPD path, jabatan type):
    the changes of every pegawai rated in both, the after-slot's period ended by `sampai`. One
    statement: a row per pegawai with their score in each slot, then per cell, for each pair,
    the count, sum and sum of squares of after − before (COUNT skips who lacks either)."""
    slots = sorted({slot for pair in pairs for slot in pair})
    index = {slot: i for i, slot in enumerate(slots)}
    score = _skor_sql("r.predikat")
    columns, params = [], []
    for i, (start, end) in enumerate(slots):
        columns.append(f"MAX(CASE WHEN pp.tanggal_selesai BETWEEN %s AND %s THEN {score} END) s{i}")
        params += [start, end]
    changes = [f"(s{index[after]} - s{index[before]})" for before, after in pairs]
    aggregates = ", ".join(f"COUNT({d}), SUM({d}), SUM({d} * {d})" for d in changes)
    params += [settings.DAMPAK_JENIS_PERIODE, slots[0][0], min(slots[-1][1], sampai)]
    opd = f"substr(u.path, 1, {UnitKerja.steplen})"
    sql = f"""
    WITH nilai AS (
        SELECT r.pegawai_id, {", ".join(columns)}
        FROM {PenilaianKinerja._meta.db_table} r
        JOIN {PeriodePenilaian._meta.db_table} pp ON pp.id = r.periode_id
        WHERE pp.jenis = %s AND pp.tanggal_selesai BETWEEN %s AND %s
        GROUP BY r.pegawai_id
    )
    SELECT {opd}, j.jenis, {aggregates}
    FROM nilai n
    JOIN {Pegawai._meta.db_table} g ON g.id = n.pegawai_id
    JOIN {UnitKerja._meta.db_table} u ON u.id = g.unit_id
    JOIN {Jabatan._meta.db_table} j ON j.id = g.jabatan_id
    GROUP BY {opd}, j.jenis
    """
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for cell_opd, jenis, *figures in cursor.fetchall():
            for k in range(len(pairs)):
                n, total, squares = figures[3 * k : 3 * k + 3]
                if n:
                    result[(k, cell_opd, jenis)] = Kelompok(int(n), int(total), int(squares))
    return result


def _skor_per_slot(pegawai_ids, slots: set[tuple[date, date]], sampai: date) -> dict:
    """(pegawai, slot) → their score there (the higher of two ratings in one slot)."""
    first, last = min(slots)[0], min(max(slots)[1], sampai)
    rows = PenilaianKinerja.objects.filter(
        pegawai_id__in=pegawai_ids,
        periode__jenis=settings.DAMPAK_JENIS_PERIODE,
        periode__tanggal_selesai__range=(first, last),
    ).values_list("pegawai_id", "periode__tanggal_selesai", "predikat")
    # Read in chunks (no cached copy of every row), and each slot kept once: the keys share
    # it. A few periods' end dates, each mapped to its slot once. (Issue 24: at 100,000 pegawai
    # this held ~800,000 ratings and their keys, 350 MB.)
    canonical = {slot: slot for slot in slots}
    slot_of: dict[date, tuple | None] = {}
    scores: dict = {}
    for pegawai_id, ended, predikat in rows.iterator(chunk_size=10_000):
        if ended not in slot_of:
            slot_of[ended] = canonical.get(_slot(ended, 0))
        slot = slot_of[ended]
        if slot is not None:
            key = (pegawai_id, slot)
            scores[key] = max(scores.get(key, 0), SKOR_PREDIKAT[predikat])
    return scores


def _change(scores: dict, pegawai_id: int, before, after) -> Kelompok:
    """One pegawai's change between two slots, as a group of one (or of none)."""
    a, b = scores.get((pegawai_id, before)), scores.get((pegawai_id, after))
    return Kelompok() if a is None or b is None else Kelompok(1, b - a, (b - a) ** 2)


def selisih_per_angkatan(
    *, sampai: date, pelatihan_ids: list[int] | None = None, dari: date | None = None
) -> dict[int, Selisih]:
    """Per finished batch (ended after `dari`, before `sampai`): its peserta and pembanding, from
    the ratings of periods that ended by `sampai`. `pelatihan_ids` None: every training.

    Four queries whatever the number of pegawai and batches: the batches; everyone registered
    in their trainings, with their cell; every cell's changes per pair of slots
    (perubahan_per_sel); and the scores of those registered. A batch's pembanding are its
    participants' cells less anyone registered in a batch of the training that began by the end
    of its after-slot."""
    if pelatihan_ids is not None and not pelatihan_ids:
        return {}
    batches = Angkatan.objects.filter(status=Angkatan.Status.SELESAI, tanggal_selesai__lt=sampai)
    if pelatihan_ids is not None:
        batches = batches.filter(pelatihan_id__in=pelatihan_ids)
    if dari is not None:
        batches = batches.filter(tanggal_selesai__gte=dari)
    batches = list(batches.only("pk", "pelatihan_id", "tanggal_mulai", "tanggal_selesai"))
    if not batches:
        return {}
    registered = Peserta.objects.filter(
        angkatan__pelatihan_id__in={b.pelatihan_id for b in batches},
        status=Peserta.Status.TERDAFTAR,
    )
    rows = list(
        registered.annotate(
            diakui=Exists(Peserta.objects.diakui().filter(pk=OuterRef("pk"))),
            opd=Substr("pegawai__unit__path", 1, UnitKerja.steplen),
        ).values_list(
            "pegawai_id", "angkatan_id", "angkatan__pelatihan_id", "angkatan__tanggal_mulai",
            "diakui", "opd", "pegawai__jabatan__jenis",
        )
    )  # fmt: skip
    pairs: dict[tuple, int] = {}
    for batch in batches:
        pairs.setdefault((slot_sebelum(batch), slot_sesudah(batch)), len(pairs))
    cells = perubahan_per_sel(list(pairs), sampai)
    slots = {slot for pair in pairs for slot in pair}
    scores = _skor_per_slot(registered.values("pegawai_id"), slots, sampai)
    by_training: dict[int, list] = {}
    for row in rows:
        by_training.setdefault(row[2], []).append(row)
    result = {}
    for batch in batches:
        before, after = slot_sebelum(batch), slot_sesudah(batch)
        k = pairs[(before, after)]

        own = [r for r in by_training.get(batch.pelatihan_id, []) if r[1] == batch.pk and r[4]]
        batch_cells = {(r[5], r[6]) for r in own}
        peserta = sum((_change(scores, r[0], before, after) for r in own), Kelompok())
        pembanding = sum((cells.get((k, *cell), Kelompok()) for cell in batch_cells), Kelompok())
        taken = {
            (r[0], (r[5], r[6]))
            for r in by_training.get(batch.pelatihan_id, [])
            if r[3] <= after[1]
        }
        for pegawai_id, cell in taken:
            if cell in batch_cells:
                pembanding = pembanding - _change(scores, pegawai_id, before, after)
        if peserta.n or pembanding.n:
            result[batch.pk] = Selisih(peserta, pembanding, 1 if peserta.n else 0)
    return result


def selisih_per_pelatihan(
    *,
    sampai: date,
    pelatihan_ids: list[int] | None = None,
    dari: date | None = None,
    per_angkatan: dict[int, Selisih] | None = None,
) -> dict[int, Selisih]:
    """Per training, its finished batches (those ended since `dari`) stacked. `per_angkatan`:
    the batches' figures already measured up to the same `sampai` (a batch's figures do not
    depend on which other batches are measured with it), so that a caller needing them with
    and without `dari` measures once (the monitoring report: its section and its indicator)."""
    if per_angkatan is None:
        per_angkatan = selisih_per_angkatan(sampai=sampai, pelatihan_ids=pelatihan_ids, dari=dari)
    batches = Angkatan.objects.filter(pk__in=per_angkatan)
    if dari is not None:
        batches = batches.filter(tanggal_selesai__gte=dari)
    owner = dict(batches.values_list("pk", "pelatihan_id"))
    result: dict[int, Selisih] = {}
    for angkatan_id, selisih in per_angkatan.items():
        if angkatan_id in owner:
            pelatihan_id = owner[angkatan_id]
            result[pelatihan_id] = result.get(pelatihan_id, Selisih()) + selisih
    return result


# --- L1–L3 beside it ----------------------------------------------------------------------------


@dataclass
class Evaluasi:
    """L1 mean, L2 gain and L3 (verified share, atasan's mean score) of a batch or a training,
    kept as sums and counts so that batches add up to their training."""

    l1_jumlah: float = 0
    l1_n: int = 0
    pre_jumlah: float = 0
    post_jumlah: float = 0
    l2_n: int = 0
    laporan: int = 0
    diverifikasi: int = 0
    nilai_jumlah: int = 0
    nilai_n: int = 0

    def tambah(self, other: "Evaluasi") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    # A figure over fewer than settings.DAMPAK_MIN_KELOMPOK pegawai is not shown: every HR
    # officer reads this panel, and two participants could read each other's scores in it.

    @property
    def l1(self) -> float | None:
        return self.l1_jumlah / self.l1_n if _cukup(self.l1_n) else None

    @property
    def l2(self) -> float | None:
        return (self.post_jumlah - self.pre_jumlah) / self.l2_n if _cukup(self.l2_n) else None

    @property
    def l3_persen(self) -> float | None:
        return 100 * self.diverifikasi / self.laporan if _cukup(self.laporan) else None

    @property
    def l3_nilai(self) -> float | None:
        return self.nilai_jumlah / self.nilai_n if _cukup(self.nilai_n) else None


def evaluasi_per_angkatan(angkatan_ids) -> dict[int, Evaluasi]:
    """Three grouped queries, whatever the number of batches."""
    result: dict[int, Evaluasi] = {pk: Evaluasi() for pk in angkatan_ids}
    aspects = ReaksiPeserta.ASPEK
    for row in (
        ReaksiPeserta.objects.filter(peserta__angkatan__in=angkatan_ids)
        .values("peserta__angkatan")
        .annotate(n=Count("pk"), **{a: Sum(a) for a in aspects})
        .order_by()
    ):
        e = result[row["peserta__angkatan"]]
        e.l1_jumlah = sum(row[a] for a in aspects) / len(aspects)
        e.l1_n = row["n"]
    for row in (
        Peserta.objects.filter(
            angkatan__in=angkatan_ids,
            status=Peserta.Status.TERDAFTAR,
            nilai_pre__isnull=False,
            nilai_post__isnull=False,
        )
        .values("angkatan")
        .annotate(n=Count("pk"), pre=Sum("nilai_pre"), post=Sum("nilai_post"))
        .order_by()
    ):
        e = result[row["angkatan"]]
        e.pre_jumlah, e.post_jumlah, e.l2_n = float(row["pre"]), float(row["post"]), row["n"]
    verified = Q(status=LaporanPascaPelatihan.Status.DIVERIFIKASI)
    for row in (
        LaporanPascaPelatihan.objects.filter(peserta__angkatan__in=angkatan_ids)
        .values("peserta__angkatan")
        .annotate(
            n=Count("pk"),
            diverifikasi=Count("pk", filter=verified),
            nilai=Sum("nilai_perubahan", filter=verified),
            nilai_n=Count("nilai_perubahan", filter=verified),
        )
        .order_by()
    ):
        e = result[row["peserta__angkatan"]]
        e.laporan, e.diverifikasi = row["n"], row["diverifikasi"]
        e.nilai_jumlah, e.nilai_n = row["nilai"] or 0, row["nilai_n"]
    return result


# --- A training's impact panel ------------------------------------------------------------------


@dataclass
class BarisAngkatan:
    angkatan: Angkatan
    selisih: Selisih
    evaluasi: Evaluasi
    # The last day of the quarter its change is read in, while that quarter has not ended.
    menunggu_sampai: date | None = None


@dataclass
class DampakPelatihan:
    pelatihan: Pelatihan
    selisih: Selisih
    evaluasi: Evaluasi
    angkatan: list[BarisAngkatan]


def dampak_pelatihan(pelatihan: Pelatihan, *, today: date) -> DampakPelatihan:
    """The training's impact over its finished batches and per batch: eight queries."""
    batches = list(
        pelatihan.angkatan.filter(status=Angkatan.Status.SELESAI).order_by("tanggal_mulai", "pk")
    )
    per_batch = selisih_per_angkatan(sampai=today, pelatihan_ids=[pelatihan.pk])
    evaluations = evaluasi_per_angkatan([b.pk for b in batches])
    total, overall = Selisih(), Evaluasi()
    rows = []
    for batch in batches:
        selisih = per_batch.get(batch.pk, Selisih())
        total += selisih
        overall.tambah(evaluations[batch.pk])
        after_end = slot_sesudah(batch)[1]
        waiting = after_end if after_end >= today else None
        rows.append(BarisAngkatan(batch, selisih, evaluations[batch.pk], waiting))
    return DampakPelatihan(pelatihan, total, overall, rows)


# --- Province-wide: the monitoring report and the program's indicator ---------------------------

PERINGKAT_LAPORAN = 5  # trainings with the largest and the smallest effects in the report


@dataclass
class PeringkatDampak:
    semua: list[tuple[Pelatihan, Selisih]]  # trainings with enough data, largest effect first
    belum_cukup: int  # trainings with a finished batch but not enough data

    @property
    def terbesar(self) -> list[tuple[Pelatihan, Selisih]]:
        return self.semua[:PERINGKAT_LAPORAN]

    @property
    def terkecil(self) -> list[tuple[Pelatihan, Selisih]]:
        """The bottom five, smallest first, never repeating one of the top five."""
        return self.semua[max(PERINGKAT_LAPORAN, len(self.semua) - PERINGKAT_LAPORAN) :][::-1]

    @property
    def berdampak(self) -> int:
        return sum(1 for _, s in self.semua if s.kesimpulan == BERDAMPAK)


def peringkat(
    *, sampai: date, dari: date | None = None, per_pelatihan: dict[int, Selisih] | None = None
) -> PeringkatDampak:
    """Every training with finished batches, ranked by its effect; and how many others have a
    finished batch but not enough data."""
    per_training = (
        selisih_per_pelatihan(sampai=sampai, dari=dari) if per_pelatihan is None else per_pelatihan
    )
    finished = Angkatan.objects.filter(status=Angkatan.Status.SELESAI, tanggal_selesai__lt=sampai)
    if dari is not None:
        finished = finished.filter(tanggal_selesai__gte=dari)
    trainings = finished.values("pelatihan_id").distinct().count()
    measured = {pk: s for pk, s in per_training.items() if s.cukup}
    names = Pelatihan.objects.in_bulk(list(measured))
    ranked = sorted(measured.items(), key=lambda item: (-item[1].nilai, item[0]))
    return PeringkatDampak(
        semua=[(names[pk], s) for pk, s in ranked],
        belum_cukup=trainings - len(measured),
    )


# --- Stored per batch: the province-wide reads --------------------------------------------------
#
# selisih_per_angkatan holds every registered participant of the trainings measured and their
# scores in Python: fine for one training, ~230 MB for the province at 100,000 pegawai and ten
# times that at 1,000,000 (bench/RESULTS.md, issue 24). A batch's figures no longer change with
# `sampai` once its after-slot has ended (every period read in it has ended then), so they are
# stored (models.DampakAngkatan) and the monitoring report reads a row per batch. The same sums
# are made here in SQL (selisih_sql), tested equal to the live computation.


def selisih_sql(batches: list, sampai: date) -> dict[int, Selisih]:
    """Per batch of `batches` (Angkatan with pk, pelatihan_id, tanggal_mulai, tanggal_selesai):
    its figures as selisih_per_angkatan makes them, summed in the database. Two statements
    (perubahan_per_sel for the cells, then one for the participants, each batch's cells and who
    took the training); the rows returned grow with the batches and their cells, never with the
    pegawai. A batch with neither a measured participant nor a measured comparison is absent."""
    if not batches:
        return {}
    jenis = settings.DAMPAK_JENIS_PERIODE
    pairs: dict[tuple, int] = {}
    for batch in batches:
        pairs.setdefault((slot_sebelum(batch), slot_sesudah(batch)), len(pairs))
    cells = perubahan_per_sel(list(pairs), sampai)
    slots = sorted({slot for pair in pairs for slot in pair})
    slot_rows = ", ".join(["(%s, %s)"] * len(slots))
    batch_rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batches))
    params: list = [value for slot in slots for value in slot]
    for batch in batches:
        before, after = slot_sebelum(batch), slot_sesudah(batch)
        params += [batch.pk, batch.pelatihan_id, before[0], after[0], after[1]]
    diakui, diakui_params = (
        Peserta.objects.diakui()
        .filter(angkatan_id__in=[b.pk for b in batches], status=Peserta.Status.TERDAFTAR)
        .values("pk")
        .query.sql_with_params()
    )
    score = _skor_sql("r.predikat")
    t = {
        "nilai": PenilaianKinerja._meta.db_table,
        "periode": PeriodePenilaian._meta.db_table,
        "pegawai": Pegawai._meta.db_table,
        "unit": UnitKerja._meta.db_table,
        "jabatan": Jabatan._meta.db_table,
        "angkatan": Angkatan._meta.db_table,
        "peserta": Peserta._meta.db_table,
    }
    change = "(sa.s - sb.s)"
    sums = f"COUNT({change}), SUM({change}), SUM({change} * {change})"
    scores_of = """
        JOIN batch b ON b.id = {row}.angkatan_id
        LEFT JOIN skor sb ON sb.pegawai_id = {row}.pegawai_id AND sb.slot = b.sebelum
        LEFT JOIN skor sa ON sa.pegawai_id = {row}.pegawai_id AND sa.slot = b.sesudah
    """
    sql = f"""
    WITH slot(mulai, selesai) AS (VALUES {slot_rows}),
    batch(id, pelatihan_id, sebelum, sesudah, sesudah_selesai) AS (VALUES {batch_rows}),
    skor AS (
        SELECT r.pegawai_id, sl.mulai AS slot, MAX({score}) AS s
        FROM {t["nilai"]} r
        JOIN {t["periode"]} pp ON pp.id = r.periode_id
        JOIN slot sl ON pp.tanggal_selesai BETWEEN sl.mulai AND sl.selesai
        WHERE pp.jenis = %s AND pp.tanggal_selesai BETWEEN %s AND %s
        GROUP BY r.pegawai_id, sl.mulai
    ),
    sel AS (
        SELECT g.id, substr(u.path, 1, {UnitKerja.steplen}) AS opd, j.jenis
        FROM {t["pegawai"]} g
        JOIN {t["unit"]} u ON u.id = g.unit_id
        JOIN {t["jabatan"]} j ON j.id = g.jabatan_id
    ),
    own AS (SELECT p.angkatan_id, p.pegawai_id FROM {t["peserta"]} p WHERE p.id IN ({diakui})),
    sel_angkatan AS (
        SELECT DISTINCT o.angkatan_id, s.opd, s.jenis FROM own o JOIN sel s ON s.id = o.pegawai_id
    ),
    taken AS (
        SELECT DISTINCT b.id AS angkatan_id, p.pegawai_id
        FROM batch b
        JOIN {t["angkatan"]} a
          ON a.pelatihan_id = b.pelatihan_id AND a.tanggal_mulai <= b.sesudah_selesai
        JOIN {t["peserta"]} p ON p.angkatan_id = a.id AND p.status = %s
    )
    SELECT 'peserta', o.angkatan_id, NULL, NULL, {sums}
    FROM own o {scores_of.format(row="o")}
    GROUP BY o.angkatan_id
    UNION ALL
    SELECT 'sel', angkatan_id, opd, jenis, 0, 0, 0 FROM sel_angkatan
    UNION ALL
    SELECT 'diambil', tk.angkatan_id, NULL, NULL, {sums}
    FROM taken tk
    JOIN sel s ON s.id = tk.pegawai_id
    JOIN sel_angkatan c ON c.angkatan_id = tk.angkatan_id AND c.opd = s.opd AND c.jenis = s.jenis
    {scores_of.format(row="tk")}
    GROUP BY tk.angkatan_id
    """  # noqa: S608 - identifiers from model metadata, values as parameters
    params += [jenis, slots[0][0], min(slots[-1][1], sampai), *diakui_params]
    params.append(Peserta.Status.TERDAFTAR)
    peserta: dict[int, Kelompok] = {}
    taken: dict[int, Kelompok] = {}
    batch_cells: dict[int, list] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, angkatan_id, opd, jabatan, n, total, squares in cursor.fetchall():
            if kind == "sel":
                batch_cells.setdefault(angkatan_id, []).append((opd, jabatan))
            else:
                group = Kelompok(int(n or 0), int(total or 0), int(squares or 0))
                (peserta if kind == "peserta" else taken)[angkatan_id] = group
    result = {}
    for batch in batches:
        k = pairs[(slot_sebelum(batch), slot_sesudah(batch))]
        mine = peserta.get(batch.pk, Kelompok())
        pembanding = sum(
            (cells.get((k, *cell), Kelompok()) for cell in batch_cells.get(batch.pk, [])),
            Kelompok(),
        )
        pembanding = pembanding - taken.get(batch.pk, Kelompok())
        if mine.n or pembanding.n:
            result[batch.pk] = Selisih(mine, pembanding, 1 if mine.n else 0)
    return result


def _finished(sampai: date, dari: date | None = None):
    batches = Angkatan.objects.filter(status=Angkatan.Status.SELESAI, tanggal_selesai__lt=sampai)
    if dari is not None:
        batches = batches.filter(tanggal_selesai__gte=dari)
    return batches.only("pk", "pelatihan_id", "tanggal_mulai", "tanggal_selesai")


def _store(batches: list, sampai: date) -> dict[int, Selisih]:
    """Measure these batches (their after-slots ended by `sampai`) and store their figures; a
    batch with nothing measured is stored as zeros, so that it is not measured again."""
    from django.utils import timezone

    from .models import DampakAngkatan

    measured = selisih_sql(batches, sampai)
    now, jenis = timezone.now(), settings.DAMPAK_JENIS_PERIODE
    rows = []
    for batch in batches:
        s = measured.get(batch.pk, Selisih())
        rows.append(
            DampakAngkatan(
                angkatan_id=batch.pk, jenis_periode=jenis, dihitung_at=now,
                peserta_n=s.peserta.n, peserta_jumlah=s.peserta.jumlah,
                peserta_kuadrat=s.peserta.kuadrat, pembanding_n=s.pembanding.n,
                pembanding_jumlah=s.pembanding.jumlah, pembanding_kuadrat=s.pembanding.kuadrat,
            )
        )  # fmt: skip
    DampakAngkatan.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["angkatan"],
        update_fields=[f.name for f in DampakAngkatan._meta.fields if f.name != "angkatan"],
    )
    return measured


def ringkasan_simpan(*, today: date) -> int:
    """The nightly job: every finished batch whose after-slot has ended, measured anew and
    stored (a late rating, a revoked certificate or a pegawai who moved since is taken in); the
    rows of batches no longer finished removed. How many batches were stored."""
    from .models import DampakAngkatan

    closed = [b for b in _finished(today) if slot_sesudah(b)[1] < today]
    _store(closed, today)
    DampakAngkatan.objects.exclude(angkatan__in=[b.pk for b in closed]).delete()
    return len(closed)


def selisih_tersimpan(*, sampai: date, dari: date | None = None) -> dict[int, Selisih]:
    """selisih_per_angkatan for every training, read from the stored figures where a batch's
    after-slot ended by `sampai` (those missing are measured and stored now), measured in SQL
    for the few whose after-slot has begun but not ended. As of the last nightly run
    (ringkasan_simpan) for the stored ones: a few queries and a row per batch, whatever the
    number of pegawai."""
    from .models import DampakAngkatan

    jenis = settings.DAMPAK_JENIS_PERIODE
    batches = list(_finished(sampai, dari))
    closed = [b for b in batches if slot_sesudah(b)[1] <= sampai]
    stored = list(
        DampakAngkatan.objects.filter(angkatan__in=[b.pk for b in closed], jenis_periode=jenis)
    )
    result = {}
    for row in stored:
        peserta = Kelompok(row.peserta_n, row.peserta_jumlah, row.peserta_kuadrat)
        pembanding = Kelompok(row.pembanding_n, row.pembanding_jumlah, row.pembanding_kuadrat)
        if peserta.n or pembanding.n:
            result[row.angkatan_id] = Selisih(peserta, pembanding, 1 if peserta.n else 0)
    known = {row.angkatan_id for row in stored}
    missing = [b for b in closed if b.pk not in known]
    if missing:
        result.update(_store(missing, sampai))
    # A batch whose after-slot has not ended: measured only when a period of it has ended by
    # `sampai` (without one, nobody has an after-score and the batch has no figures).
    running = [b for b in batches if slot_sesudah(b)[1] > sampai]
    if running:
        ended = set(
            PeriodePenilaian.objects.filter(
                jenis=jenis,
                tanggal_selesai__range=(min(slot_sesudah(b)[0] for b in running), sampai),
            ).values_list("tanggal_selesai", flat=True)
        )
        running = [b for b in running if any(slot_sesudah(b)[0] <= day <= sampai for day in ended)]
        result.update(selisih_sql(running, sampai))
    return result
