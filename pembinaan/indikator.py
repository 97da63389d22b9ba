"""The measures a program target may be set on, computed from the apps' own data for a year up to
a given day. Each returns a Decimal (or None when there is nothing to measure yet); each is one
aggregate query, so the monthly snapshot job and a target's page can afford them.

This module joins several apps (STYLE.md: pembinaan monitors everything); the apps know nothing of
it. pembinaan is the last installed app, so their models are loaded when this is imported."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, F, Q

from evaluasi.models import (
    LaporanKeberlanjutan,
    LaporanPascaPelatihan,
    PutaranIklim,
    ReaksiPeserta,
    ResponIklim,
)
from masyarakat.models import ResponSurvei
from masyarakat.reports import ikm_from, ikm_totals, tanggapan_per_layanan
from pegawai.models import Pegawai
from pelatihan.models import Peserta, StudiPegawai
from pelatihan.reports import Kepatuhan, kepatuhan_jp

from . import dampak
from .lib.angka import angka, persen

D2 = Decimal("0.01")


@dataclass(frozen=True)
class Indikator:
    """An indicator's one definition and one formatting: every page, chart, export and PDF
    writes its values through `tampil`, with the same decimals and unit."""

    key: str
    label: str
    satuan: str  # "%", "orang", "skor 1–5", ...
    compute: Callable[[int, date], Decimal | None]
    keterangan: str
    desimal: int = 2

    @property
    def skala(self) -> str:
        """The scale the values are on ("skor 1–5"), named beside the indicator; "" for a unit
        written after each value."""
        return self.satuan if self.satuan.startswith(("skor", "nilai")) else ""

    @property
    def batas(self) -> tuple[Decimal, Decimal | None]:
        """The values this indicator can take: a percentage 0–100, a score within its scale
        ("skor 1–5"), a count 0 or more (no upper bound)."""
        if self.satuan == "%":
            return Decimal(0), Decimal(100)
        if self.skala:
            low, high = self.skala.split()[-1].split("–")
            return Decimal(low), Decimal(high)
        return Decimal(0), None

    def galat_target(self, value) -> str:
        """Why `value` cannot be a target of this indicator, in words; "" when it can."""
        low, high = self.batas
        if high is None:
            return "" if value >= low else f"Target jumlah {self.satuan} tidak boleh negatif."
        if low <= value <= high:
            return ""
        scale = "persentase" if self.satuan == "%" else self.skala
        return f"Target {scale} harus antara {angka(low, 0)} dan {angka(high, 0)}."

    def tampil(self, value, *, tanda: bool = False) -> str:
        """A value of this indicator as people read it: "34,9 %", "500 orang", "3,80". A scale
        (skor, nilai) is named beside the indicator, not after each value. `tanda`: a change of
        it, signed (lib.angka): "+2,5 poin" (of a share: percentage points, not a percentage of
        it), "−0,25", "+12 orang"."""
        if value is None:
            return angka(None)
        if self.satuan == "%":
            return persen(value, self.desimal, tanda=tanda)
        if self.skala:
            return angka(value, self.desimal, tanda=tanda)
        return f"{angka(value, self.desimal, tanda=tanda)} {self.satuan}"

    def bulat(self, value) -> Decimal | None:
        """`value` rounded to this indicator's decimals, as `tampil` shows it: a number for an
        export (an XLSX cell shows its places)."""
        if value is None:
            return None
        step = Decimal(1).scaleb(-self.desimal)
        return Decimal(value).quantize(step, rounding=ROUND_HALF_UP)

    def tercapai(self, value, target) -> bool:
        """Whether `value` reaches `target` as both are shown: 79,96 % is shown "80,0 %" and
        meets a target of 80 %."""
        if value is None:
            return False
        step = Decimal(1).scaleb(-self.desimal)
        return Decimal(value).quantize(step, rounding=ROUND_HALF_UP) >= Decimal(target)


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(D2, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    return _decimal(Decimal(100) * part / whole) if whole else None


def pns_20_jp(tahun: int, sampai: date) -> Decimal | None:
    """The share of active PNS whose ledger entries of `tahun` dated up to `sampai` reach the
    target (a past month reads the JP earned by its end, not today's)."""
    return _decimal(kepatuhan_jp(Pegawai.objects.all(), tahun, sampai).persen_patuh)


def pegawai_dilatih(tahun: int, sampai: date) -> Decimal | None:

    passed = Peserta.objects.diakui().filter(
        angkatan__tanggal_selesai__year=tahun,
        angkatan__tanggal_selesai__lte=sampai,
    )
    return Decimal(passed.values("pegawai").distinct().count())


def laporan_tepat_waktu(tahun: int, sampai: date) -> Decimal | None:
    """Of the self-reports due this year by `sampai`: the share the atasan verified, submitted
    no later than the due date."""

    due = LaporanPascaPelatihan.objects.filter(jatuh_tempo__year=tahun, jatuh_tempo__lte=sampai)
    counts = due.aggregate(
        semua=Count("pk"),
        tepat=Count(
            "pk",
            filter=Q(status="diverifikasi", diajukan_at__date__lte=F("jatuh_tempo")),
        ),
    )
    return _percent(counts["tepat"], counts["semua"])


def rerata_l1(tahun: int, sampai: date) -> Decimal | None:

    rows = ReaksiPeserta.objects.filter(created_at__year=tahun, created_at__date__lte=sampai)
    aspects = rows.aggregate(**{a: Avg(a) for a in ReaksiPeserta.ASPEK})
    values = [v for v in aspects.values() if v is not None]
    return _decimal(sum(values) / len(values)) if values else None


def rerata_l3(tahun: int, sampai: date) -> Decimal | None:

    verified = LaporanPascaPelatihan.objects.filter(
        status="diverifikasi", diputuskan_at__year=tahun, diputuskan_at__date__lte=sampai
    )
    return _decimal(verified.aggregate(v=Avg("nilai_perubahan"))["v"])


def ikm_provinsi(tahun: int, sampai: date) -> Decimal | None:
    """The IKM konversi of every response of the year across the service units (each element's
    NRR over all who answered it), PermenPANRB 14/2017 arithmetic."""

    rows = ResponSurvei.objects.filter(tanggal__year=tahun, tanggal__lte=sampai)
    return ikm_from(rows.aggregate(**ikm_totals())).konversi


def penerima_beasiswa(tahun: int, sampai: date) -> Decimal | None:

    started = StudiPegawai.objects.filter(tanggal_mulai__year=tahun, tanggal_mulai__lte=sampai)
    return Decimal(started.count())


def masukan_tepat_waktu(tahun: int, sampai: date) -> Decimal | None:
    """Of the feedback forwarded to units this year: the share answered by its deadline, 5
    working days after the forwarding (masyarakat.services.tanggapan_deadline: weekends,
    national holidays and cuti bersama skipped), summed over the service units of
    masyarakat.reports.tanggapan_per_layanan, which the open data page reads per unit. Feedback
    not answered yet whose deadline has not passed is not late: it counts once it is answered
    or overdue, as on the open data page."""

    units = tanggapan_per_layanan(tahun, sampai).values()
    semua = sum(u.diteruskan - u.belum_jatuh_tempo for u in units)
    tepat = sum(u.tepat_waktu for u in units)
    return _percent(tepat, semua)


def aksi_berlanjut(tahun: int, sampai: date) -> Decimal | None:
    """Change projects whose 12-month report, filed this year, says the change is still used."""

    lasting = LaporanKeberlanjutan.objects.filter(
        bulan=12,
        masih_digunakan=True,
        dilaporkan_at__year=tahun,
        dilaporkan_at__date__lte=sampai,
    )
    return Decimal(lasting.count())


def skor_iklim(tahun: int, sampai: date) -> Decimal | None:
    """The mean of all twelve statements in the year's latest work-climate round so far."""

    latest = (
        PutaranIklim.objects.filter(tanggal_mulai__year=tahun, tanggal_mulai__lte=sampai)
        .order_by("-tanggal_mulai")
        .first()
    )
    if latest is None:
        return None
    keys = [f"p{n}" for n in range(1, 13)]
    means = ResponIklim.objects.filter(putaran=latest).aggregate(**{k: Avg(k) for k in keys})
    values = [v for v in means.values() if v is not None]
    return _decimal(sum(values) / len(values)) if values else None


def dampak_pelatihan(tahun: int, sampai: date, per_angkatan: dict | None = None) -> Decimal | None:
    """Of the trainings measured on batches that ended since the start of last year (a batch
    needs a rated period after it), the share with a clear positive effect (pembinaan.dampak).
    `per_angkatan`: every batch's figures measured up to `sampai`, when the caller has them."""
    dari = date(tahun - 1, 1, 1)
    per_pelatihan = None
    if per_angkatan is not None:
        per_pelatihan = dampak.selisih_per_pelatihan(
            sampai=sampai, dari=dari, per_angkatan=per_angkatan
        )
    ranking = dampak.peringkat(sampai=sampai, dari=dari, per_pelatihan=per_pelatihan)
    return _percent(ranking.berdampak, len(ranking.semua))


REGISTRY = {
    i.key: i
    for i in [
        Indikator(
            "pns_20_jp", "PNS dengan ≥ 20 JP", "%", pns_20_jp,
            f"Persentase PNS aktif yang mencapai {settings.JP_TARGET_PNS} JP tahun ini.", 1,
        ),
        Indikator(
            "pegawai_dilatih", "Pegawai yang lulus pelatihan", "orang", pegawai_dilatih,
            "Pegawai yang lulus paling sedikit satu pelatihan yang selesai tahun ini.", 0,
        ),
        Indikator(
            "laporan_tepat_waktu", "Laporan pasca pelatihan terverifikasi tepat waktu", "%",
            laporan_tepat_waktu,
            "Laporan jatuh tempo tahun ini yang diajukan sebelum jatuh tempo dan diverifikasi.", 1,
        ),
        Indikator(
            "rerata_l1", "Rata-rata reaksi peserta (L1)", "skor 1–5", rerata_l1,
            "Rata-rata empat aspek survei reaksi yang diisi tahun ini.",
        ),
        Indikator(
            "rerata_l3", "Rata-rata penilaian perubahan (L3)", "skor 1–4", rerata_l3,
            "Rata-rata penilaian atasan atas laporan yang diverifikasi tahun ini.",
        ),
        Indikator(
            "ikm", "IKM seluruh unit layanan", "nilai 25–100", ikm_provinsi,
            "IKM konversi seluruh respon survei tahun ini (PermenPANRB 14/2017).",
        ),
        Indikator(
            "penerima_beasiswa", "Penerima beasiswa yang mulai studi", "orang",
            penerima_beasiswa, "Tugas belajar dan izin belajar yang dimulai tahun ini.", 0,
        ),
        Indikator(
            "masukan_tepat_waktu", "Masukan masyarakat ditanggapi tepat waktu", "%",
            masukan_tepat_waktu,
            "Masukan yang diteruskan tahun ini dan ditanggapi unit dalam 5 hari kerja.", 1,
        ),
        Indikator(
            "aksi_berlanjut", "Aksi perubahan masih digunakan setelah 12 bulan", "proyek",
            aksi_berlanjut, "Laporan 12 bulan tahun ini yang menyatakan masih digunakan.", 0,
        ),
        Indikator(
            "dampak_pelatihan", "Pelatihan dengan dampak nyata pada kinerja", "%",
            dampak_pelatihan,
            "Pelatihan yang datanya cukup (angkatan selesai sejak awal tahun lalu) dengan selisih "
            "perubahan predikat peserta dan pembanding di atas nol pada selang kepercayaan 95 %.",
            1,
        ),
        Indikator(
            "skor_iklim", "Skor iklim kerja", "skor 1–5", skor_iklim,
            "Rata-rata dua belas pernyataan pada putaran survei iklim kerja terakhir tahun ini.",
        ),
    ]
}  # fmt: skip
CHOICES = [(key, i.label) for key, i in REGISTRY.items()]


def hitung(
    key: str,
    tahun: int,
    sampai: date,
    *,
    dampak_per_angkatan: dict | None = None,
    kepatuhan: Kepatuhan | None = None,
) -> Decimal | None:
    """A target's indicator for `tahun`, counting what happened up to and including `sampai`.
    `dampak_per_angkatan`: every batch's impact measured up to `sampai` (dampak), which the
    impact indicator then reads instead of measuring again, when it counts up to that day.
    `kepatuhan`: the province's 20 JP counts of active pegawai up to `sampai` (the monitoring
    report sums them per unit anyway), read by the 20 JP indicator of that year."""
    until = min(sampai, date(tahun, 12, 31))
    if key == "pns_20_jp" and kepatuhan is not None and (until, tahun) == (sampai, kepatuhan.tahun):
        return _decimal(kepatuhan.persen_patuh)
    if key == "dampak_pelatihan" and dampak_per_angkatan is not None and until == sampai:
        return dampak_pelatihan(tahun, until, dampak_per_angkatan)
    return REGISTRY[key].compute(tahun, until)
