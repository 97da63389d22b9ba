"""Indeks Profesionalitas ASN (IP ASN): PermenPANRB 38/2018 and its guideline, Peraturan BKN
8/2019. The regulation's tables are data here, in one place, each with its source; the score of
a pegawai for a year is computed from them, set-based (six queries for a whole OPD, whatever
its size), and the same rules explain each score row by row (the breakdown pages show).

What each value rests on (verified with the search tool, December 2026):
- The four dimensions and their weights, kualifikasi 25 % and kompetensi 40 %: Perban BKN 8/2019
  (kualifikasi: lelemuku.com 12-06-2019; kompetensi: Pasal 8 ayat 2 on pasal.id, and
  bkpsdm.kuduskab.go.id). Kinerja 30 % and disiplin 5 %: domain.md §10, and what is left of 100
  after the two confirmed; the articles' text was not retrieved: configurable.
- The bands 91–100 sangat tinggi … ≤ 60 sangat rendah: Perban BKN 8/2019 (kontan.co.id).
- Kualifikasi: the rows (S-3; S-2; S-1/D-IV; D-III; D-II/D-I/SLTA; SLTP ke bawah) from BKN's
  IP ASN form (Surat Edaran pengukuran IP ASN 2020); S-3 = 25 and S-2 = 20 from the regulation;
  the lower values (15, 10, 5, 1) were cut off in the retrieved text: configurable.
- Kompetensi: Pasal 8 ayat (4)–(6): leadership training fitting the position 15 (JPT,
  administrator, pengawas), functional training 15 (fungsional), technical training of at least
  20 JP 15 for those positions. The pelaksana's technical value (30) and the seminar/workshop/
  magang/kursus value (10) were cut off in the retrieved text: configurable, chosen so that every
  kind of position can reach the dimension's 40.
- Kinerja: the form's rows (91–100 sangat baik, 76–90 baik, 61–75 cukup, 51–60 kurang, < 51
  buruk) belong to the old PP 46/2011 scores; SIBINA holds PermenPANRB 6/2022 predicates, mapped
  one to one in order. The points 30/25/20/15/5: configurable.
- Disiplin: the form's rows (tidak pernah; ringan; sedang; berat); the points 5/3/1/0:
  configurable.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from evaluasi.models import PenilaianKinerja, PeriodePenilaian, Predikat
from pegawai.models import (
    JENJANG_URUT,
    CatatanDisiplin,
    Jabatan,
    Pegawai,
    RiwayatPendidikan,
    unit_tree,
)
from pelatihan.models import CatatanJP, JenisPengembangan, Peserta

J = JenisPengembangan

# --- The tables -----------------------------------------------------------------------------

DIMENSI = ["kualifikasi", "kompetensi", "kinerja", "disiplin"]
DIMENSI_LABEL = {
    "kualifikasi": "Kualifikasi",
    "kompetensi": "Kompetensi",
    "kinerja": "Kinerja",
    "disiplin": "Disiplin",
}
# The weight of each dimension: its greatest points, of 100 (see the module's notes).
BOBOT = {"kualifikasi": 25, "kompetensi": 40, "kinerja": 30, "disiplin": 5}

# Kualifikasi: the education levels of Pegawai.pendidikan_terakhir per row of the form.
KUALIFIKASI = [
    (("s3",), "S-3", 25),
    (("s2",), "S-2", 20),
    (("s1", "d4"), "S-1 atau D-IV", 15),
    (("d3",), "D-III", 10),
    (("d2", "d1", "sma"), "D-II, D-I atau SLTA/SMK", 5),
    (("smp", "sd"), "SLTP ke bawah", 1),
]

# Kompetensi. Which trainings count as what (Pelatihan.jenis, SIASN jenisDiklat): leadership
# training is Diklat Struktural (the old Diklatpim) or Pelatihan Manajerial (PKA, PKP, PKN);
# whether its level fits the position held is not recorded: any counts (configurable).
DIKLAT_KEPEMIMPINAN = (J.DIKLAT_STRUKTURAL, J.PELATIHAN_MANAJERIAL)
DIKLAT_FUNGSIONAL = (J.DIKLAT_FUNGSIONAL,)
SEMINAR_SEJENIS = (J.SEMINAR, J.WORKSHOP, J.MAGANG, J.KURSUS)
# The technical training of the year is read from the JP ledger (CatatanJP): at least this many
# JP in the year (Pasal 8 ayat 6, "paling sedikit 20 JP").
JP_TEKNIS_MINIMAL = 20
NILAI_KEPEMIMPINAN = 15  # JPT, administrator, pengawas (Pasal 8 ayat 4)
NILAI_FUNGSIONAL = 15  # fungsional (Pasal 8 ayat 5)
NILAI_TEKNIS = 15  # JPT, administrator, pengawas, fungsional (Pasal 8 ayat 6)
NILAI_TEKNIS_PELAKSANA = 30  # configurable
NILAI_SEMINAR = 10  # configurable

# Kinerja: the year's annual predicate (PermenPANRB 6/2022) → the form's row and its points.
KINERJA = {
    "sangat_baik": ("Sangat Baik (91–100)", 30),
    "baik": ("Baik (76–90)", 25),
    "butuh_perbaikan": ("Cukup (61–75)", 20),
    "kurang": ("Kurang (51–60)", 15),
    "sangat_kurang": ("Buruk (< 51)", 5),
}
KINERJA_KOSONG = ("Belum ada predikat tahunan", 0)

# Disiplin: the heaviest sanction that ran during the year (CatatanDisiplin.berlaku_pada_tahun).
DISIPLIN = {
    "": ("Tidak pernah dijatuhi hukuman disiplin", 5),
    "ringan": ("Hukuman disiplin ringan", 3),
    "sedang": ("Hukuman disiplin sedang", 1),
    "berat": ("Hukuman disiplin berat", 0),
}
DISIPLIN_URUT = ["", "ringan", "sedang", "berat"]  # lightest first

# The bands of the total (Perban BKN 8/2019): the lowest score of each, highest first. An OPD's
# average can fall between two integers (90,5): it takes the band whose lowest score it reaches.
KATEGORI = [
    (91, "sangat_tinggi", "Sangat Tinggi"),
    (81, "tinggi", "Tinggi"),
    (71, "sedang", "Sedang"),
    (61, "rendah", "Rendah"),
    (0, "sangat_rendah", "Sangat Rendah"),
]
KATEGORI_LABEL = {key: label for _, key, label in KATEGORI}

# Who is measured: the regulation measures PNS; a CPNS is on the way to it. PPPK are left out
# (configurable).
STATUS_DIUKUR = (Pegawai.StatusKepegawaian.PNS, Pegawai.StatusKepegawaian.CPNS)


def kategori(total: float) -> str:
    return next(key for low, key, _ in KATEGORI if total >= low)


# --- One pegawai's inputs and score ----------------------------------------------------------


@dataclass(frozen=True)
class Masukan:
    """What a pegawai's score for a year is computed from (and what is stored with it)."""

    pendidikan: str
    jenis_jabatan: str
    kepemimpinan: bool = False
    fungsional: bool = False
    jp: int = 0
    seminar: bool = False
    predikat: str = ""
    disiplin: str = ""


@dataclass(frozen=True)
class Baris:
    """One row of a breakdown: the input, the rule row applied, the points, of how many."""

    dimensi: str
    masukan: str
    aturan: str
    nilai: int
    maks: int


@dataclass(frozen=True)
class Hasil:
    nilai: dict[str, int]  # points per dimension
    baris: list[Baris]

    @property
    def total(self) -> int:
        return sum(self.nilai.values())

    @property
    def kategori(self) -> str:
        return kategori(self.total)

    @property
    def kategori_label(self) -> str:
        return KATEGORI_LABEL[self.kategori]


def _kualifikasi(m: Masukan, pendidikan_label: str) -> Baris:
    for levels, label, nilai in KUALIFIKASI:
        if m.pendidikan in levels:
            return Baris("kualifikasi", pendidikan_label, label, nilai, BOBOT["kualifikasi"])
    return Baris("kualifikasi", pendidikan_label or "–", "Tidak dikenal", 0, BOBOT["kualifikasi"])


def _kompetensi(m: Masukan) -> list[Baris]:
    manajerial = m.jenis_jabatan in Jabatan.MANAJERIAL
    fungsional = m.jenis_jabatan == Jabatan.Jenis.FUNGSIONAL
    rows = []
    if manajerial:
        rows.append(
            Baris(
                "kompetensi",
                "Sudah mengikuti" if m.kepemimpinan else "Belum mengikuti",
                "Diklat kepemimpinan (jabatan manajerial)",
                NILAI_KEPEMIMPINAN if m.kepemimpinan else 0,
                NILAI_KEPEMIMPINAN,
            )
        )
    if fungsional:
        rows.append(
            Baris(
                "kompetensi",
                "Sudah mengikuti" if m.fungsional else "Belum mengikuti",
                "Diklat fungsional (jabatan fungsional)",
                NILAI_FUNGSIONAL if m.fungsional else 0,
                NILAI_FUNGSIONAL,
            )
        )
    teknis = NILAI_TEKNIS if manajerial or fungsional else NILAI_TEKNIS_PELAKSANA
    cukup = m.jp >= JP_TEKNIS_MINIMAL
    rows.append(
        Baris(
            "kompetensi",
            f"{m.jp} JP pada tahun itu",
            f"Diklat teknis paling sedikit {JP_TEKNIS_MINIMAL} JP setahun"
            + ("" if manajerial or fungsional else " (jabatan pelaksana)"),
            teknis if cukup else 0,
            teknis,
        )
    )
    rows.append(
        Baris(
            "kompetensi",
            "Ada" if m.seminar else "Tidak ada",
            "Seminar, workshop, magang atau kursus pada tahun itu",
            NILAI_SEMINAR if m.seminar else 0,
            NILAI_SEMINAR,
        )
    )
    return rows


def skor(m: Masukan) -> Hasil:
    """The score and its breakdown, row by row, from the tables above."""
    pendidikan = dict(Pegawai.Pendidikan.choices).get(m.pendidikan, m.pendidikan)
    predikat_label, predikat_nilai = KINERJA.get(m.predikat, KINERJA_KOSONG)
    disiplin_label, disiplin_nilai = DISIPLIN[m.disiplin]
    predikat_input = dict(Predikat.choices).get(m.predikat, "–")
    rows = [
        _kualifikasi(m, pendidikan),
        *_kompetensi(m),
        Baris("kinerja", predikat_input, predikat_label, predikat_nilai, BOBOT["kinerja"]),
        Baris(
            "disiplin",
            disiplin_label if m.disiplin else "Tidak ada",
            disiplin_label,
            disiplin_nilai,
            BOBOT["disiplin"],
        ),
    ]
    nilai = {d: min(sum(r.nilai for r in rows if r.dimensi == d), BOBOT[d]) for d in DIMENSI}
    return Hasil(nilai=nilai, baris=rows)


# --- Many pegawai at once ---------------------------------------------------------------------


@dataclass(frozen=True)
class Diukur:
    """A measured pegawai: who, where, and the inputs of the year."""

    pegawai_id: int
    nama: str
    nip: str
    unit_id: int
    opd_id: int | None
    masukan: Masukan


def diukur(pegawai: QuerySet, tahun: int) -> list[Diukur]:
    """The inputs of these pegawai (the active PNS/CPNS among them) for a year, in six
    queries whatever their number: the pegawai, their leadership and functional trainings, the
    year's JP and seminars, the year's predicates, the year's sanctions, the education they had
    graduated by the year's end."""
    scope = pegawai.filter(aktif=True, status_kepegawaian__in=STATUS_DIUKUR)
    rows = list(
        scope.order_by("nama", "pk").values_list(
            "pk", "nama", "nip", "pendidikan_terakhir", "jabatan__jenis", "unit_id"
        )
    )
    if not rows:
        return []
    ids = scope.values("pk")
    akhir_tahun = date(tahun, 12, 31)
    trainings = set(
        Peserta.objects.diakui()
        .filter(
            pegawai__in=ids,
            angkatan__pelatihan__jenis__in=[*DIKLAT_KEPEMIMPINAN, *DIKLAT_FUNGSIONAL],
            angkatan__tanggal_selesai__lte=akhir_tahun,
        )
        .values_list("pegawai_id", "angkatan__pelatihan__jenis")
        .distinct()
    )
    seminar = Q(peserta__angkatan__pelatihan__jenis__in=SEMINAR_SEJENIS) | Q(
        kegiatan__jenis__in=SEMINAR_SEJENIS
    )
    jp = {
        r["pegawai_id"]: (r["jp"], r["seminar"])
        for r in CatatanJP.objects.filter(tahun=tahun, pegawai__in=ids)
        .order_by()
        .values("pegawai_id")
        .annotate(jp=Sum("jp"), seminar=Count("pk", filter=seminar))
    }
    predikat = dict(
        PenilaianKinerja.objects.filter(
            pegawai__in=ids,
            periode__jenis=PeriodePenilaian.Jenis.TAHUNAN,
            periode__tanggal_selesai__year=tahun,
        )
        .order_by("periode__tanggal_selesai", "pk")
        .values_list("pegawai_id", "predikat")
    )  # the later annual period of a year overwrites the earlier
    disiplin: dict[int, str] = {}
    sanctions = CatatanDisiplin.objects.filter(pegawai__in=ids, tmt__year__lte=tahun).filter(
        Q(tanggal_selesai__year__gte=tahun) | Q(tanggal_selesai__isnull=True, tmt__year=tahun)
    )
    for pegawai_id, tingkat in sanctions.values_list("pegawai_id", "tingkat"):
        previous = disiplin.get(pegawai_id, "")
        if DISIPLIN_URUT.index(tingkat) > DISIPLIN_URUT.index(previous):
            disiplin[pegawai_id] = tingkat
    # The education held at the year's end (pegawai.RiwayatPendidikan): the highest level
    # graduated by then; the current value where the history holds no dated row by then.
    lulus: dict[int, str] = {}
    graduated = RiwayatPendidikan.objects.filter(pegawai__in=ids, tahun_lulus__lte=tahun)
    for pegawai_id, jenjang in graduated.values_list("pegawai_id", "jenjang"):
        if pegawai_id not in lulus or JENJANG_URUT[jenjang] > JENJANG_URUT[lulus[pegawai_id]]:
            lulus[pegawai_id] = jenjang
    opd = _opd_of()
    result = []
    for pk, nama, nip, pendidikan, jenis, unit_id in rows:
        pendidikan = lulus.get(pk, pendidikan)
        total_jp, seminars = jp.get(pk, (0, 0))
        result.append(
            Diukur(
                pegawai_id=pk,
                nama=nama,
                nip=nip,
                unit_id=unit_id,
                opd_id=opd.get(unit_id),
                masukan=Masukan(
                    pendidikan=pendidikan,
                    jenis_jabatan=jenis,
                    kepemimpinan=any((pk, j) in trainings for j in DIKLAT_KEPEMIMPINAN),
                    fungsional=any((pk, j) in trainings for j in DIKLAT_FUNGSIONAL),
                    jp=total_jp or 0,
                    seminar=bool(seminars),
                    predikat=predikat.get(pk, ""),
                    disiplin=disiplin.get(pk, ""),
                ),
            )
        )
    return result


def _opd_of() -> dict[int, int]:
    """Each unit's OPD (its top unit), from the cached tree."""
    tree = unit_tree()
    top = {u.path: u.pk for u in tree if u.depth == 1}
    return {u.pk: top.get(u.path[:4]) for u in tree}


@dataclass
class Ringkasan:
    """A group's IP ASN: how many, the average total and per dimension, the count per band."""

    jumlah: int
    rata_rata: float | None
    rata_dimensi: dict[str, float]
    per_kategori: list[tuple[str, str, int]]  # key, label, count

    @property
    def kategori_label(self) -> str:
        return "" if self.rata_rata is None else KATEGORI_LABEL[kategori(self.rata_rata)]


def ringkas(hasil: Iterable[Hasil]) -> Ringkasan:
    hasil = list(hasil)
    n = len(hasil)
    counts = {key: 0 for _, key, _ in KATEGORI}
    for h in hasil:
        counts[h.kategori] += 1
    return Ringkasan(
        jumlah=n,
        rata_rata=sum(h.total for h in hasil) / n if n else None,
        rata_dimensi={d: sum(h.nilai[d] for h in hasil) / n if n else 0 for d in DIMENSI},
        per_kategori=[(key, label, counts[key]) for _, key, label in KATEGORI],
    )
