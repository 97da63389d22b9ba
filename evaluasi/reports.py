"""Reads over performance evaluation: who a period covers, and how predicates are spread."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from pegawai import nip as nip_rules
from pegawai.models import Pegawai, UnitKerja, nama_lengkap, unit_jalur
from pelatihan.models import Angkatan, CatatanJP, Peserta
from pelatihan.reports import PNS_STATUSES, jp_tahun, kepatuhan_jp, with_jp
from pembinaan.lib.angka import persen, share
from pembinaan.lib.charts import bar_chart_svg

from . import referensi as ref
from .models import (
    AksiPerubahan,
    LaporanPascaPelatihan,
    PenilaianKinerja,
    PeriodePenilaian,
    PeriodeUnit,
    Predikat,
    PutaranIklim,
    ReaksiPeserta,
    ResponIklim,
)


def pegawai_dalam_periode(periode: PeriodePenilaian) -> QuerySet:
    """The active pegawai of the period's units and their sub-units."""
    paths = list(periode.periode_units.values_list("unit__path", flat=True))
    units = UnitKerja.objects.subtrees(paths).values_list("pk", flat=True)
    return Pegawai.objects.aktif().filter(unit_id__in=list(units))


def predikat_tahunan(*, pegawai: Pegawai, tahun: list[int]) -> dict[int, str]:
    """A pegawai's yearly performance predicate per year, where SIBINA holds it: their rating in
    an annual period that ends in that year (the latest such period, if there are several).
    Scholarship eligibility reads it (settings.PREDIKAT_KINERJA_TAHUNAN)."""
    rows = (
        PenilaianKinerja.objects.filter(
            pegawai=pegawai,
            periode__jenis=PeriodePenilaian.Jenis.TAHUNAN,
            periode__tanggal_selesai__year__in=tahun,
        )
        .order_by("periode__tanggal_selesai", "pk")
        .values_list("periode__tanggal_selesai__year", "predikat")
    )
    return dict(rows)  # the later period of a year overwrites the earlier


@dataclass
class Distribusi:
    periode_unit: PeriodeUnit
    jumlah_pegawai: int
    jumlah: dict[str, int] = field(default_factory=dict)
    peringatan: list[str] = field(default_factory=list)

    @property
    def dinilai(self) -> int:
        return sum(self.jumlah.values())

    def baris(self) -> list[tuple[str, int, float | None]]:
        """Per predicate: its label, how many, their share of those rated (None, shown "–",
        while nobody is rated: not 0 %)."""
        return [
            (label, self.jumlah.get(value, 0), share(self.jumlah.get(value, 0), self.dinilai))
            for value, label in Predikat.choices
        ]


def distribusi(periode_unit: PeriodeUnit) -> Distribusi:
    """How the unit's predicates are spread, with a warning for each rule of its organisation
    predicate that the spread breaks (domain.md §4: check and warn, never block).

    Counted over the unit's active pegawai (its sub-units included) as they are now, the same
    population as the per-unit PDF's summary and its workbook: a rating of somebody who has
    since left or moved counts neither here nor there, so "x dari y dinilai" never exceeds y."""
    units = UnitKerja.objects.subtrees([periode_unit.unit.path]).values_list("pk", flat=True)
    units = list(units)
    counts = dict(
        PenilaianKinerja.objects.filter(
            periode=periode_unit.periode, pegawai__unit_id__in=units, pegawai__aktif=True
        )
        .values_list("predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = Distribusi(
        periode_unit=periode_unit,
        jumlah_pegawai=Pegawai.objects.aktif().filter(unit_id__in=units).count(),
        jumlah=counts,
    )
    result.peringatan = peringatan(counts, periode_unit.predikat_organisasi)
    return result


def peringatan(counts: dict[str, int], predikat_organisasi: str) -> list[str]:
    total = sum(counts.values())
    if not total:
        return []
    broken = []
    for predicates, kind, percent, text in ref.DISTRIBUSI.get(predikat_organisasi, []):
        share = 100.0 * sum(counts.get(p, 0) for p in predicates) / total
        if (
            (kind == "max" and share > percent)
            or (kind == "min" and share < percent)
            or (kind == "min_one" and share == 0)
        ):
            broken.append(
                f"Predikat organisasi {predikat_organisasi.replace('_', ' ')} meminta "
                f"{text}; sekarang {persen(share, 0)}."
            )
    return broken


@dataclass
class EvaluasiAngkatan:
    """L1–L3 of one batch: reactions, test gains, self-reports."""

    angkatan: Angkatan
    reaksi: dict
    jumlah_reaksi: int
    komentar: list[str]
    l2: dict
    l2_peserta: list
    l3: dict


def evaluasi_angkatan(angkatan) -> EvaluasiAngkatan:
    reactions = ReaksiPeserta.objects.filter(peserta__angkatan=angkatan)
    averages = reactions.aggregate(**{a: Avg(a) for a in ReaksiPeserta.ASPEK}, n=Count("pk"))
    registered = Peserta.objects.filter(angkatan=angkatan, status=Peserta.Status.TERDAFTAR)
    tested = registered.filter(nilai_pre__isnull=False, nilai_post__isnull=False)
    l2 = tested.aggregate(pre=Avg("nilai_pre"), post=Avg("nilai_post"), n=Count("pk"))
    l2["gain"] = (l2["post"] - l2["pre"]) if l2["n"] else None
    laporan_qs = LaporanPascaPelatihan.objects.filter(peserta__angkatan=angkatan)
    counts = dict(laporan_qs.values_list("status").annotate(n=Count("pk")).order_by())
    l3 = {
        "jumlah": sum(counts.values()),
        "diverifikasi": counts.get(LaporanPascaPelatihan.Status.DIVERIFIKASI, 0),
        "per_status": counts,
        "rata_nilai": laporan_qs.filter(nilai_perubahan__isnull=False).aggregate(
            v=Avg("nilai_perubahan")
        )["v"],
    }
    return EvaluasiAngkatan(
        angkatan=angkatan,
        reaksi={a: averages[a] for a in ReaksiPeserta.ASPEK},
        jumlah_reaksi=averages["n"],
        komentar=[
            c for c in reactions.exclude(komentar="").values_list("komentar", flat=True)[:50]
        ],
        l2=l2,
        l2_peserta=list(
            tested.select_related("pegawai")
            .annotate(gain=F("nilai_post") - F("nilai_pre"))
            .order_by("-gain")
        ),
        l3=l3,
    )


def grafik_predikat(distribution: Distribusi) -> str:
    return bar_chart_svg(
        [(value.label, distribution.jumlah.get(value, 0)) for value in Predikat],
        title="Sebaran predikat kinerja",
        unit=" org",
    )


def konteks_pegawai(pegawai: Pegawai) -> dict:
    """What the per-pegawai PDF shows: profile, this year's JP, trainings with L1–L3, the
    self-reports with the atasan's verdicts, and the predicates."""
    year = timezone.localdate().year
    participations = (
        Peserta.objects.filter(pegawai=pegawai, status=Peserta.Status.TERDAFTAR)
        .select_related("angkatan__pelatihan", "reaksi", "laporan")
        .prefetch_related("sertifikat_semua")
        .order_by("-angkatan__tanggal_mulai")
    )
    return {
        "pegawai": pegawai,
        "tahun": year,
        "jp": jp_tahun(pegawai, year),
        "keikutsertaan": participations,
        "penilaian": pegawai.penilaian_kinerja.select_related("periode").order_by(
            "-periode__tanggal_mulai"
        ),
    }


# The per-unit PDF names at most this many pegawai who need attention; the rest are counted,
# and every pegawai is in the workbook made beside it.
PERHATIAN_MAKS = 25
PREDIKAT_PERHATIAN = (Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG)
# The year's JP of the unit's active pegawai in bands; the last is the PNS target (20 JP).
# Each band by its highest JP (None: no limit).
KELOMPOK_JP = ((0, "0 JP"), (9, "1–9 JP"), (19, "10–19 JP"), (None, "20 JP atau lebih"))
KOLOM_UNIT = ["Nama", "NIP", "Jabatan", "Unit kerja", "Status", "Predikat", "JP"]


def _kelompok_jp(jp: int) -> int:
    """The index of the KELOMPOK_JP band that holds `jp`."""
    return next(i for i, (high, _) in enumerate(KELOMPOK_JP) if high is None or jp <= high)


@dataclass
class SubUnit:
    """The figures of one sub-unit (or of those placed in the unit itself) in the per-unit PDF."""

    nama: str
    pegawai: int = 0
    dinilai: int = 0
    perhatian: int = 0
    pns: int = 0
    pns_patuh: int = 0

    @property
    def persen_patuh(self) -> float | None:
        return share(self.pns_patuh, self.pns)


def jp_sampai(periode: PeriodePenilaian) -> date:
    """The last day whose JP entries a period's unit file counts: the period's end, or today
    while it runs (as the monitoring report cuts at its period's end)."""
    return min(periode.tanggal_selesai, timezone.localdate())


def baris_unit(periode_unit: PeriodeUnit, year: int):
    """The unit's active pegawai (its sub-units included), by name, each with their predicate of
    the period and their JP of the year up to jp_sampai: one query, read in chunks (constant
    memory)."""
    units = UnitKerja.objects.subtrees([periode_unit.unit.path]).values_list("pk", flat=True)
    rating = PenilaianKinerja.objects.filter(
        periode=periode_unit.periode, pegawai=OuterRef("pk")
    ).values("predikat")[:1]
    rows = (
        with_jp(
            Pegawai.objects.aktif().filter(unit_id__in=list(units)),
            year,
            jp_sampai(periode_unit.periode),
        )
        .annotate(predikat=Subquery(rating))
        .order_by("nama", "pk")
        .values_list(
            "gelar_depan", "nama", "gelar_belakang", "nip", "jabatan__nama", "unit_id",
            "status_kepegawaian", "predikat", "jp_tahun",
        )
    )  # fmt: skip
    return rows.iterator(chunk_size=2000)


def konteks_unit(periode_unit: PeriodeUnit, *, tulis_baris=None) -> dict:
    """What the per-unit PDF shows, a summary whatever the unit's size: the spread of predicates
    (with its chart and warnings), the 20 JP compliance of the period's year and its bands, the
    figures per sub-unit, the self-report completion, and by name (at most PERHATIAN_MAKS) who
    was rated below Baik. Every pegawai's row (KOLOM_UNIT) goes to `tulis_baris`, as it is read:
    the task writes them to the workbook beside the PDF."""
    distribution = distribusi(periode_unit)
    year = periode_unit.periode.tanggal_selesai.year
    unit = periode_unit.unit
    tree = list(UnitKerja.objects.subtrees([unit.path]).values_list("pk", "path", "nama"))
    units = [pk for pk, _, _ in tree]
    scope = Pegawai.objects.filter(unit_id__in=units)
    periode = periode_unit.periode
    # The self-reports of the period: those due within its span (L3, domain.md §4), of the
    # same active pegawai as every other figure of the file.
    self_reports = dict(
        LaporanPascaPelatihan.objects.filter(
            pegawai__in=scope.filter(aktif=True).values("pk"),
            jatuh_tempo__range=(periode.tanggal_mulai, periode.tanggal_selesai),
        )
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Each unit of the tree counts under the sub-unit right below the unit (or the unit itself).
    depth = len(unit.path) + UnitKerja.steplen
    names = {path: nama for _, path, nama in tree}
    subunits = {path: SubUnit(nama) for path, nama in names.items() if len(path) == depth}
    sendiri = SubUnit(f"{unit.nama} (langsung)")
    under = {pk: subunits.get(path[:depth], sendiri) for pk, path, _ in tree}
    names_of = {pk: nama for pk, _, nama in tree}
    labels, status_labels = dict(Predikat.choices), dict(Pegawai.StatusKepegawaian.choices)
    bands = [0] * len(KELOMPOK_JP)
    perhatian, belum = [], 0
    for depan, nama, belakang, nip, jabatan, unit_id, status, predikat, jp in baris_unit(
        periode_unit, year
    ):
        row = under[unit_id]
        row.pegawai += 1
        row.dinilai += predikat is not None
        belum += predikat is None
        if status in PNS_STATUSES:
            row.pns += 1
            row.pns_patuh += jp >= settings.JP_TARGET_PNS
        bands[_kelompok_jp(jp)] += 1
        name = nama_lengkap(depan, nama, belakang)
        if predikat in PREDIKAT_PERHATIAN:
            row.perhatian += 1
            if len(perhatian) < PERHATIAN_MAKS:
                perhatian.append(
                    (name, nip_rules.format_nip(nip), names_of[unit_id], labels[predikat])
                )
        if tulis_baris is not None:
            tulis_baris(
                [name, nip, jabatan, names_of[unit_id], status_labels.get(status, status),
                 labels.get(predikat, "Belum dinilai"), jp]
            )  # fmt: skip
    rows = [r for r in [sendiri, *sorted(subunits.values(), key=lambda r: r.nama)] if r.pegawai]
    total = sum(bands)
    # A year without a single JP entry (as in pembinaan.data_terbuka): today's headcount beside
    # nobody's JP would read as 0 % reaching 20 JP. Asked only when nobody here has any JP.
    sampai = jp_sampai(periode)
    ada_catatan_jp = (
        bands[0] < total or CatatanJP.objects.filter(tahun=year, tanggal__lte=sampai).exists()
    )
    return {
        "periode_unit": periode_unit,
        "distribusi": distribution,
        "sebaran": distribution.baris(),
        "grafik": grafik_predikat(distribution),
        "kepatuhan": kepatuhan_jp(scope, year, sampai),
        "kelompok_jp": [
            (label, n, share(n, total)) for (_, label), n in zip(KELOMPOK_JP, bands, strict=True)
        ],
        "sub_unit": rows,
        "laporan": [
            (label, self_reports.get(value, 0))
            for value, label in LaporanPascaPelatihan.Status.choices
        ],
        "dinilai": total - belum,
        "belum_dinilai": belum,
        "perhatian": perhatian,
        "perhatian_jumlah": sum(r.perhatian for r in rows),
        "perhatian_lainnya": sum(r.perhatian for r in rows) - len(perhatian),
        "jumlah_baris": total,
        "tahun": year,
        "ada_catatan_jp": ada_catatan_jp,
        "jp_sampai": sampai,
    }


def reaksi_pelatihan(pelatihan) -> list[dict]:
    """L1 per batch of a training, then the training overall: the mean of each aspect."""
    aspects = {a: Avg(a) for a in ReaksiPeserta.ASPEK}
    rows = list(
        ReaksiPeserta.objects.filter(peserta__angkatan__pelatihan=pelatihan)
        .values("peserta__angkatan", "peserta__angkatan__nama")
        .annotate(n=Count("pk"), **aspects)
        .order_by("peserta__angkatan__tanggal_mulai")
    )
    overall = ReaksiPeserta.objects.filter(peserta__angkatan__pelatihan=pelatihan).aggregate(
        n=Count("pk"), **aspects
    )
    return rows + [{"peserta__angkatan__nama": "Seluruh angkatan", **overall}]


@dataclass
class KelompokIklim:
    unit: UnitKerja
    digabung: list[UnitKerja]
    responden: int
    skor: dict[str, float]
    perubahan: dict[str, float | None] = field(default_factory=dict)
    teks: list[str] = field(default_factory=list)

    @property
    def terendah(self) -> list[str]:
        return [key for key, _ in sorted(self.skor.items(), key=lambda item: item[1])[:2]]

    @property
    def usulan(self) -> list[dict]:
        """The development each of the two lowest dimensions asks for (referensi)."""
        labels = dict(ref.DIMENSI_IKLIM)
        rows = []
        for key in self.terendah:
            sasaran, uraian, jenis, kompetensi = ref.PENGEMBANGAN_IKLIM[key]
            rows.append(
                {
                    "dimensi": key,
                    "label": labels[key],
                    "skor": self.skor[key],
                    "sasaran": sasaran,
                    "uraian": uraian,
                    "jenis": jenis,
                    "kompetensi": kompetensi,
                }
            )
        return rows


def kelompok_iklim(putaran: PutaranIklim) -> tuple[list[KelompokIklim], int]:
    """Groups of at least five respondents: a unit with fewer merges into its parent, and so on
    up; what stays under five at the top is not shown. Returns the groups and the hidden count."""
    keys = [k for k, *_ in ref.PERNYATAAN_IKLIM]
    rows = {
        r["unit"]: r
        for r in ResponIklim.objects.filter(putaran=putaran)
        .values("unit")
        .annotate(n=Count("pk"), **{k: Sum(k) for k in keys})
        .order_by()
    }
    if not rows:
        return [], 0
    ancestors = set()
    units = {u.pk: u for u in UnitKerja.objects.filter(pk__in=rows)}
    for unit in list(units.values()):
        ancestors.update(
            unit.path[:i] for i in range(UnitKerja.steplen, len(unit.path), UnitKerja.steplen)
        )
    by_path = {u.path: u for u in UnitKerja.objects.filter(path__in=ancestors)} | {
        u.path: u for u in units.values()
    }
    totals = {path: {"n": 0, **dict.fromkeys(keys, 0), "members": []} for path in by_path}
    for unit_id, row in rows.items():
        total = totals[units[unit_id].path]
        total["n"] += row["n"]
        for k in keys:
            total[k] += row[k]
        total["members"].append(unit_id)
    hidden = 0
    for path in sorted(totals, key=len, reverse=True):  # deepest first
        total = totals[path]
        if 0 < total["n"] < ref.MIN_KELOMPOK_IKLIM:
            parent = path[: -UnitKerja.steplen]
            if parent in totals:
                into = totals[parent]
                into["n"] += total["n"]
                for k in keys:
                    into[k] += total[k]
                into["members"] += total["members"]
            else:
                hidden += total["n"]
            total["n"] = 0
    groups = []
    dimension_of = {k: d for k, d, _ in ref.PERNYATAAN_IKLIM}
    for path, total in totals.items():
        if total["n"] < ref.MIN_KELOMPOK_IKLIM:
            continue
        sums: dict[str, list[int]] = {}
        for k in keys:
            sums.setdefault(dimension_of[k], []).append(total[k])
        skor = {d: round(sum(v) / (len(v) * total["n"]), 2) for d, v in sums.items()}
        merged = [units[m] for m in total["members"] if units[m].path != path]
        groups.append(
            KelompokIklim(unit=by_path[path], digabung=merged, responden=total["n"], skor=skor)
        )
    groups.sort(key=lambda g: g.unit.path)
    return groups, hidden


def hasil_iklim(putaran: PutaranIklim) -> tuple[list[KelompokIklim], int]:
    """The round's groups with their dimension scores, the change since the previous round for the
    same group, and the free text of each group (only groups of five or more exist)."""
    groups, hidden = kelompok_iklim(putaran)
    previous = (
        PutaranIklim.objects.filter(tanggal_mulai__lt=putaran.tanggal_mulai)
        .order_by("-tanggal_mulai")
        .first()
    )
    before = {g.unit.pk: g for g in kelompok_iklim(previous)[0]} if previous else {}
    for group in groups:
        old = before.get(group.unit.pk)
        group.perubahan = {
            d: round(v - old.skor[d], 2) if old else None for d, v in group.skor.items()
        }
        members = [group.unit.pk, *[u.pk for u in group.digabung]]
        group.teks = list(
            ResponIklim.objects.filter(putaran=putaran, unit_id__in=members)
            .exclude(teks="")
            .values_list("teks", flat=True)[:100]
        )
    return groups, hidden


PENILAIAN_HEADER = ["NIP", "Nama", "Unit kerja", "Hasil kerja", "Perilaku kerja", "Predikat",
                    "Penilai", "Diketahui"]  # fmt: skip


def penilaian_rows(penilaian: QuerySet):
    jalur = unit_jalur()  # each unit with its OPD, read once (not per row)
    for p in penilaian.iterator(chunk_size=2000):
        yield [
            p.pegawai.nip, p.pegawai.nama_lengkap, jalur.get(p.pegawai.unit_id, ""),
            p.get_hasil_kerja_display(), p.get_perilaku_kerja_display(), p.get_predikat_display(),
            p.penilai.nama_lengkap,
            "ya" if p.diketahui_at else "belum",
        ]  # fmt: skip


LAPORAN_HEADER = ["NIP", "Nama", "Unit kerja", "Pelatihan", "Angkatan", "Jatuh tempo", "Status"]


def laporan_rows(laporan: QuerySet):
    jalur = unit_jalur()
    for item in laporan.iterator(chunk_size=2000):
        angkatan = item.peserta.angkatan
        yield [
            item.pegawai.nip, item.pegawai.nama_lengkap, jalur.get(item.pegawai.unit_id, ""),
            angkatan.pelatihan.nama, angkatan.nama, item.jatuh_tempo, item.get_status_display(),
        ]  # fmt: skip


AKSI_HEADER = ["Judul", "Pelaksana", "NIP", "Unit kerja", "Layanan", "Status", "Di galeri"]


def aksi_rows(aksi: QuerySet):
    jalur = unit_jalur()
    for a in aksi.iterator(chunk_size=2000):
        yield [
            a.judul, a.pegawai.nama_lengkap, a.pegawai.nip, jalur.get(a.unit_id, ""), a.layanan,
            a.get_status_display(), "ya" if a.is_published else "tidak",
        ]  # fmt: skip


@dataclass
class RekapAksi:
    unit: UnitKerja
    terdaftar: int
    dimulai: int
    selesai: int
    berlanjut_12_bulan: int


def rekap_aksi(user) -> list[RekapAksi]:
    """Per OPD that the user manages: change projects registered, started, completed, and still
    in use after 12 months (a 12-month sustainability report that says so). One query."""
    steplen = UnitKerja.steplen
    rows = (
        AksiPerubahan.objects.filter(unit__in=UnitKerja.objects.managed_by(user))
        .annotate(opd_path=Substr("unit__path", 1, steplen))
        .values("opd_path")
        .annotate(
            # distinct: the join to the two sustainability reports doubles each project's row.
            terdaftar=Count("pk", distinct=True),
            dimulai=Count("pk", distinct=True, filter=Q(dimulai_at__isnull=False)),
            selesai=Count("pk", distinct=True, filter=Q(selesai_at__isnull=False)),
            berlanjut_12_bulan=Count(
                "pk",
                distinct=True,
                filter=Q(
                    laporan_keberlanjutan__bulan=12, laporan_keberlanjutan__masih_digunakan=True
                ),
            ),
        )
        .order_by("opd_path")
    )
    rows = list(rows)
    opd = UnitKerja.objects.in_bulk([r["opd_path"] for r in rows], field_name="path")
    return [
        RekapAksi(
            unit=opd[r["opd_path"]],
            terdaftar=r["terdaftar"],
            dimulai=r["dimulai"],
            selesai=r["selesai"],
            berlanjut_12_bulan=r["berlanjut_12_bulan"],
        )
        for r in rows
    ]
