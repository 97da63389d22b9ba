"""Reads over citizens' input: the IKM of a service unit over a period."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from pegawai.models import tanggal_libur
from pembinaan.lib.charts import bar_chart_svg
from pembinaan.lib.dates import add_working_days, working_days_between

from .ikm import HasilIKM, hitung
from .models import Masukan, RekapIKM, ResponSurvei, UnitLayanan
from .referensi import KEYS, UNSUR

PERIODE = {"triwulan": 3, "semester": 6, "tahun": 12}


def rentang(jenis: str, tahun: int, ke: int) -> tuple[date, date]:
    """The dates of the ke-th triwulan or semester of a year, or of the whole year."""
    months = PERIODE[jenis]
    start = date(tahun, (ke - 1) * months + 1, 1)
    next_month = (ke - 1) * months + 1 + months
    following = date(tahun + 1, 1, 1) if next_month > 12 else date(tahun, next_month, 1)
    return start, following - timedelta(days=1)


ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}


class Triwulan(NamedTuple):
    """A calendar quarter: what service volumes are entered for and impact is compared by."""

    tahun: int
    ke: int

    @classmethod
    def dari(cls, day: date) -> "Triwulan":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        return f"Triwulan {ROMAWI[self.ke]} {self.tahun}"

    @property
    def mulai(self) -> date:
        return rentang("triwulan", self.tahun, self.ke)[0]

    @property
    def akhir(self) -> date:
        return rentang("triwulan", self.tahun, self.ke)[1]

    def geser(self, quarters: int) -> "Triwulan":
        """The quarter `quarters` later (earlier when negative)."""
        index = self.tahun * 4 + self.ke - 1 + quarters
        return Triwulan(index // 4, index % 4 + 1)


def ikm_totals() -> dict:
    """The aggregates IKM is computed from: the respondents, and each element's sum and answer
    count. For `aggregate()` over some responses, or `annotate()` per group of them."""
    return {
        "responden": Count("pk"),
        **{f"{k}_sum": Sum(k) for k in KEYS},
        **{f"{k}_n": Count(k) for k in KEYS},
    }


def ikm_from(totals: dict) -> HasilIKM:
    """The IKM of one row of ikm_totals()."""
    sums = {k: totals[f"{k}_sum"] or 0 for k in KEYS}
    counts = {k: totals[f"{k}_n"] for k in KEYS}
    return hitung(sums, counts, totals["responden"])


def ikm_unit(unit: UnitLayanan, start: date, end: date) -> HasilIKM:
    """The IKM of a unit over whole months (every period the pages offer) from the monthly
    rollup, a dozen rows a year; over any other dates from the responses themselves."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = RekapIKM.objects.filter(unit_layanan=unit, bulan__range=(start, end))
        totals = months.aggregate(**{c: Sum(c) for c in RekapIKM.KOLOM})
        return ikm_from({c: v or 0 for c, v in totals.items()})
    rows = ResponSurvei.objects.filter(unit_layanan=unit, tanggal__range=(start, end))
    return ikm_from(rows.aggregate(**ikm_totals()))


@dataclass
class Tanggapan:
    """Feedback forwarded to a service unit: how many, how many the unit answered, how many by
    the deadline, how many are unanswered but not yet due (still within their deadline on the
    day counted), and the working days its answers took in all."""

    diteruskan: int = 0
    belum_jatuh_tempo: int = 0
    ditanggapi: int = 0
    tepat_waktu: int = 0
    hari_kerja: int = 0


def tanggapan_per_layanan(tahun: int, sampai: date) -> dict[int, Tanggapan]:
    """Per service unit, the feedback forwarded to it in `tahun` up to `sampai` and its answers
    against the deadline, 5 working days after the forwarding (services.tanggapan_deadline:
    weekends, national holidays and cuti bersama skipped). Counted per service unit and pair of
    WIB days, forwarded and answered, so the rows read are a few thousand a year whatever the
    feedback, and the deadlines are worked out once per day. Two queries (the holidays)."""
    forwarded = Masukan.objects.filter(
        dimoderasi_at__year=tahun,
        dimoderasi_at__date__lte=sampai,
        status__in=["diteruskan", "ditanggapi", "selesai"],
    )
    wib = timezone.get_current_timezone()
    pairs = (
        forwarded.values(
            "unit_layanan",
            diteruskan=TruncDate("dimoderasi_at", tzinfo=wib),
            ditanggapi=TruncDate("ditanggapi_at", tzinfo=wib),
        )
        .annotate(jumlah=Count("pk"))
        .order_by()
    )
    libur = tanggal_libur()
    per_unit: dict[int, Tanggapan] = defaultdict(Tanggapan)
    for pair in pairs:
        row = per_unit[pair["unit_layanan"]]
        n = pair["jumlah"]
        row.diteruskan += n
        deadline = add_working_days(pair["diteruskan"], Masukan.HARI_TANGGAPAN, libur=libur)
        if pair["ditanggapi"] is None:
            if deadline >= sampai:  # the unit may still answer on time
                row.belum_jatuh_tempo += n
            continue
        row.ditanggapi += n
        row.hari_kerja += n * working_days_between(
            pair["diteruskan"], pair["ditanggapi"], libur=libur
        )
        if pair["ditanggapi"] <= deadline:
            row.tepat_waktu += n
    return dict(per_unit)


MASUKAN_HEADER = ["Kode", "Diterima", "Kategori", "Unit layanan", "Status", "Tenggat", "Isi"]


def masukan_rows(masukan: QuerySet, today: date, libur: Collection[date]):
    from .services import terlambat

    for m in masukan.iterator(chunk_size=2000):
        yield [
            m.kode, timezone.localtime(m.created_at).strftime("%d/%m/%Y %H:%M"),
            m.get_kategori_display(), m.unit_layanan.nama, m.get_status_display(),
            terlambat(m, today, libur=libur) or "", m.isi,
        ]  # fmt: skip


FORUM_HEADER = ["Topik", "Waktu", "Format", "Unit layanan", "Kapasitas", "Status"]


def forum_rows(forums: QuerySet):
    for f in forums.iterator(chunk_size=2000):
        yield [
            f.topik, timezone.localtime(f.waktu).strftime("%d/%m/%Y %H:%M"), f.get_format_display(),
            f.unit_layanan.nama, f.kapasitas, f.get_status_display(),
        ]  # fmt: skip


def grafik_unsur(hasil: HasilIKM) -> str:
    """NRR per element, the three lowest marked with an arrow."""
    answered = sorted((v, k) for k, v in hasil.nrr.items() if v is not None)
    lowest = {k for _, k in answered[:3]}
    items = [
        (f"{'▼ ' if key in lowest else ''}{key.upper()} {nama}", float(hasil.nrr_tampil(key) or 0))
        for key, nama, *_ in UNSUR
    ]
    return bar_chart_svg(
        items, title="Nilai rata-rata per unsur (NRR, skala 1–4)", width=640, desimal=2
    )


def nilai_tanggapan(units: QuerySet) -> list[UnitLayanan]:
    """The citizens' ratings of the units' responses, per service unit that has any: their
    average (1–5) and number, in one query."""
    rated = Q(masukan__nilai_tanggapan__isnull=False)
    return list(
        units.annotate(
            nilai_rata=Avg("masukan__nilai_tanggapan", filter=rated),
            nilai_jumlah=Count("masukan", filter=rated),
        )
        .filter(nilai_jumlah__gt=0)
        .order_by("nama")
    )
