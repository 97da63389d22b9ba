"""Measured impact (L4) on a service unit: its IKM per element and complaints per 1.000 services
in the quarters before and after its officers passed a training that targets the competencies
those IKM elements call for (kebutuhan.IKM_KOMPETENSI, the mapping the needs analysis uses).

An event is (service unit, training): at least one of the unit's officers (UnitLayanan.petugas,
as assigned today) passed (status terdaftar, lulus, the pass not revoked: Peserta.diakui) a
finished batch of a training with a target competency that an IKM element maps to.
Before: the DAMPAK_KUARTAL quarters ending before the quarter in which the first such batch
began. After: the DAMPAK_KUARTAL quarters starting after the quarter in which the last such
batch ended, as far as they have ended by `today`.

Per quarter: the IKM from the monthly rollup (RekapIKM), the service volume HR entered
(VolumeLayanan), its Krejcie–Morgan minimum sample, and the complaints (Masukan kategori keluhan,
received in the quarter by WIB date, not rejected as unprocessable or spam: those are not
complaints about the service). A side's IKM pools all its quarters' answers (the same arithmetic
as one longer survey period); its complaints per 1.000 count only the quarters with a volume.

Every read is set-based: a fixed number of queries whatever the number of units, trainings,
officers or quarters.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property

from django.conf import settings
from django.db.models import Count, DateField, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from masyarakat.ikm import HasilIKM, hitung, sampel_minimal
from masyarakat.models import Masukan, RekapIKM, UnitLayanan, VolumeLayanan
from masyarakat.referensi import KEYS, UNSUR
from masyarakat.reports import Triwulan
from pegawai.models import nama_lengkap
from pelatihan.models import Angkatan, Pelatihan, PelatihanKompetensi, Peserta

from .kebutuhan import IKM_KOMPETENSI

NAMA_UNSUR = {key: nama for key, nama, *_ in UNSUR}
KODE_IKM = sorted({kode for kodes in IKM_KOMPETENSI.values() for kode in kodes})
# Complaints that are not about the service: a moderator found them unprocessable or spam.
KELUHAN_TIDAK_DIHITUNG = [Masukan.Status.DITOLAK, Masukan.Status.SPAM]

MEMADAI = "memadai"
BELUM_MEMADAI = "sampel belum memadai"
TANPA_VOLUME = "volume belum diisi"
VOLUME_JANGGAL = "volume lebih kecil dari jumlah responden"


def _dua_desimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _per_seribu(keluhan: int, volume: int) -> Decimal | None:
    return _dua_desimal(Fraction(keluhan * 1000, volume)) if volume else None


def _selisih(sesudah: Decimal | None, sebelum: Decimal | None) -> Decimal | None:
    return None if sesudah is None or sebelum is None else sesudah - sebelum


@dataclass
class Kuartal:
    """One quarter of a service unit: the rollup's sums, the volume, the complaints."""

    triwulan: Triwulan
    totals: dict[str, int]
    volume: int | None
    keluhan: int
    unsur: list[str]  # the elements the training targets

    @cached_property
    def hasil(self) -> HasilIKM:
        return _ikm(self.totals)

    @property
    def nrr_disasar(self) -> list[Decimal | None]:
        return [self.hasil.nrr_tampil(key) for key in self.unsur]

    @property
    def responden(self) -> int:
        return self.totals["responden"]

    @property
    def minimum(self) -> int | None:
        return sampel_minimal(self.volume) if self.volume else None

    @property
    def kecukupan(self) -> str:
        if self.volume is None:
            return TANPA_VOLUME
        if self.volume < self.responden:  # more answers than services: a volume mistyped
            return VOLUME_JANGGAL
        return MEMADAI if self.responden >= self.minimum else BELUM_MEMADAI

    @property
    def per_seribu(self) -> Decimal | None:
        return _per_seribu(self.keluhan, self.volume) if self.volume else None


def _ikm(totals: dict[str, int]) -> HasilIKM:
    return hitung(
        {k: totals[f"{k}_sum"] for k in KEYS},
        {k: totals[f"{k}_n"] for k in KEYS},
        totals["responden"],
    )


@dataclass
class Sisi:
    """The quarters before (or after) a training, and their pooled result."""

    kuartal: list[Kuartal]
    kosong: str  # what to say when there is no quarter yet
    unsur: list[str]

    @property
    def nrr_disasar(self) -> list[Decimal | None]:
        return [self.hasil.nrr_tampil(key) for key in self.unsur]

    @cached_property
    def hasil(self) -> HasilIKM:
        pooled = dict.fromkeys(RekapIKM.KOLOM, 0)
        for k in self.kuartal:
            for column, value in k.totals.items():
                pooled[column] += value
        return _ikm(pooled)

    @property
    def volume(self) -> int:
        return sum(k.volume for k in self.kuartal if k.volume)

    @property
    def keluhan(self) -> int:
        """The complaints of the quarters with a volume: what the rate per 1.000 counts."""
        return sum(k.keluhan for k in self.kuartal if k.volume)

    @property
    def per_seribu(self) -> Decimal | None:
        return _per_seribu(self.keluhan, self.volume)

    @property
    def catatan(self) -> list[str]:
        """Why this side's figures should be read with care."""
        if not self.kuartal:
            return [self.kosong]
        notes = []
        if len(self.kuartal) < settings.DAMPAK_KUARTAL:
            notes.append(
                f"baru {len(self.kuartal)} dari {settings.DAMPAK_KUARTAL} triwulan yang sudah "
                "berakhir"
            )
        if any(k.kecukupan == BELUM_MEMADAI for k in self.kuartal):
            notes.append(BELUM_MEMADAI)
        if any(k.volume is None for k in self.kuartal):
            notes.append(TANPA_VOLUME)
        if any(k.kecukupan == VOLUME_JANGGAL for k in self.kuartal):
            notes.append(VOLUME_JANGGAL)
        return notes


@dataclass
class Peristiwa:
    """A training whose batch some of a service unit's officers passed, with the unit's quarters
    before and after it."""

    unit_layanan: UnitLayanan
    pelatihan: Pelatihan
    unsur: list[str]  # the IKM element keys the training targets
    petugas: list[str]
    mulai: date  # the first such batch's start
    selesai: date  # the last such batch's end
    sebelum: Sisi = field(default=None)
    sesudah: Sisi = field(default=None)

    @property
    def sisi(self) -> list[tuple[str, Sisi]]:
        return [("Sebelum pelatihan", self.sebelum), ("Sesudah pelatihan", self.sesudah)]

    @property
    def kolom(self) -> int:
        """The columns of its table: seven, and one per targeted element."""
        return 7 + len(self.unsur)

    @property
    def unsur_nama(self) -> list[tuple[str, str]]:
        return [(key, NAMA_UNSUR[key]) for key in self.unsur]

    @property
    def selisih_konversi(self) -> Decimal | None:
        return _selisih(self.sesudah.hasil.konversi, self.sebelum.hasil.konversi)

    @property
    def nrr(self) -> list[tuple[str, str, Decimal | None, Decimal | None, Decimal | None]]:
        """Per targeted element: key, name, NRR before, after, and the difference (2 places)."""
        before, after = self.sebelum.hasil, self.sesudah.hasil
        rows = []
        for key, nama in self.unsur_nama:
            b, a = before.nrr_tampil(key), after.nrr_tampil(key)
            rows.append((key, nama, b, a, _selisih(a, b)))
        return rows

    @property
    def selisih_per_seribu(self) -> Decimal | None:
        return _selisih(self.sesudah.per_seribu, self.sebelum.per_seribu)


def dampak_unit_layanan(unit_layanan: UnitLayanan, today: date) -> list[Peristiwa]:
    """Every event of one service unit, the latest training first."""
    lulus = _lulus().filter(pegawai__unit_layanan_petugas=unit_layanan)
    return _peristiwa(lulus, {unit_layanan.pk: unit_layanan}, today)


def dampak_layanan_pelatihan(
    pelatihan: Pelatihan, today: date, unit_layanan_qs: QuerySet[UnitLayanan]
) -> list[Peristiwa]:
    """The service units (of those given: what the user may see) where this training is an
    event, by name."""
    lulus = _lulus().filter(
        angkatan__pelatihan=pelatihan, pegawai__unit_layanan_petugas__in=unit_layanan_qs
    )
    units = unit_layanan_qs.filter(pk__in=lulus.values("pegawai__unit_layanan_petugas"))
    units = {u.pk: u for u in units}
    found = _peristiwa(lulus, units, today)
    return sorted(found, key=lambda p: (p.unit_layanan.nama, p.unit_layanan.pk))


def _lulus() -> QuerySet[Peserta]:
    """Passes that count, in finished batches of trainings that target an element's competency."""
    targets = PelatihanKompetensi.objects.filter(
        pelatihan=OuterRef("angkatan__pelatihan"), kompetensi__kode__in=KODE_IKM
    )
    return (
        Peserta.objects.diakui()
        .filter(status=Peserta.Status.TERDAFTAR, angkatan__status=Angkatan.Status.SELESAI)
        .filter(Exists(targets))
    )


def _peristiwa(lulus: QuerySet[Peserta], units: dict, today: date) -> list[Peristiwa]:
    rows = lulus.values(
        "pegawai__unit_layanan_petugas", "angkatan__pelatihan", "angkatan__tanggal_mulai",
        "angkatan__tanggal_selesai", "pegawai__gelar_depan", "pegawai__nama",
        "pegawai__gelar_belakang",
    ).order_by("pegawai__nama", "pegawai")  # fmt: skip
    events: dict[tuple[int, int], dict] = {}
    for row in rows:
        key = (row["pegawai__unit_layanan_petugas"], row["angkatan__pelatihan"])
        if key[0] not in units:
            continue
        event = events.setdefault(key, {"petugas": [], "mulai": [], "selesai": []})
        name = nama_lengkap(
            row["pegawai__gelar_depan"], row["pegawai__nama"], row["pegawai__gelar_belakang"]
        )
        if name not in event["petugas"]:
            event["petugas"].append(name)
        event["mulai"].append(row["angkatan__tanggal_mulai"])
        event["selesai"].append(row["angkatan__tanggal_selesai"])
    if not events:
        return []
    pelatihan = Pelatihan.objects.in_bulk({p for _, p in events})
    unsur = _unsur({p for _, p in events})
    found = []
    for (unit_id, pelatihan_id), event in events.items():
        first, last = min(event["mulai"]), max(event["selesai"])
        found.append(
            Peristiwa(
                unit_layanan=units[unit_id],
                pelatihan=pelatihan[pelatihan_id],
                unsur=unsur[pelatihan_id],
                petugas=event["petugas"],
                mulai=first,
                selesai=last,
            )
        )
    _isi_kuartal(found, today)
    return sorted(found, key=lambda p: (p.selesai, p.pelatihan.pk), reverse=True)


def _unsur(pelatihan_ids: set[int]) -> dict[int, list[str]]:
    """Per training, the IKM elements one of its target competencies maps to, in key order."""
    codes = defaultdict(set)
    targets = PelatihanKompetensi.objects.filter(
        pelatihan__in=pelatihan_ids, kompetensi__kode__in=KODE_IKM
    ).values_list("pelatihan", "kompetensi__kode")
    for pelatihan_id, kode in targets:
        codes[pelatihan_id].add(kode)
    return {
        pk: [key for key in KEYS if codes[pk] & set(IKM_KOMPETENSI.get(key, []))]
        for pk in pelatihan_ids
    }


def _isi_kuartal(events: list[Peristiwa], today: date) -> None:
    """Give each event its quarters before and after, read for all events at once."""
    k = settings.DAMPAK_KUARTAL
    sides = {}
    for p in events:
        before = [Triwulan.dari(p.mulai).geser(i) for i in range(-k, 0)]
        after = [Triwulan.dari(p.selesai).geser(i) for i in range(1, k + 1)]
        sides[id(p)] = (before, [t for t in after if t.akhir < today])
    quarters = {t for before, after in sides.values() for t in before + after}
    totals, volumes, complaints = {}, {}, {}
    if quarters:
        unit_ids = {p.unit_layanan.pk for p in events}
        first, last = min(quarters).mulai, max(quarters).akhir
        totals = _rekap(unit_ids, first, last)
        volumes = _volume(unit_ids, first, last)
        complaints = _keluhan(unit_ids, first, last)

    def sisi(p: Peristiwa, quarters: list[Triwulan], kosong: str) -> Sisi:
        unit_id = p.unit_layanan.pk
        rows = [
            Kuartal(
                triwulan=t,
                totals=totals.get((unit_id, t), dict.fromkeys(RekapIKM.KOLOM, 0)),
                volume=volumes.get((unit_id, t)),
                keluhan=complaints.get((unit_id, t), 0),
                unsur=p.unsur,
            )
            for t in quarters
        ]
        return Sisi(rows, kosong, p.unsur)

    for p in events:
        before, after = sides[id(p)]
        p.sebelum = sisi(p, before, "belum ada triwulan sebelum pelatihan")
        p.sesudah = sisi(p, after, "belum ada triwulan sesudah pelatihan")


def _rekap(unit_ids: set[int], first: date, last: date) -> dict:
    """The monthly rollup summed per (unit, quarter)."""
    totals: dict = {}
    months = RekapIKM.objects.filter(unit_layanan__in=unit_ids, bulan__range=(first, last))
    for row in months.values("unit_layanan", "bulan", *RekapIKM.KOLOM):
        key = (row["unit_layanan"], Triwulan.dari(row["bulan"]))
        quarter = totals.setdefault(key, dict.fromkeys(RekapIKM.KOLOM, 0))
        for column in RekapIKM.KOLOM:
            quarter[column] += row[column]
    return totals


def _volume(unit_ids: set[int], first: date, last: date) -> dict:
    rows = VolumeLayanan.objects.filter(
        unit_layanan__in=unit_ids, tahun__range=(first.year, last.year)
    ).values_list("unit_layanan", "tahun", "triwulan", "jumlah")
    return {(unit, Triwulan(tahun, ke)): jumlah for unit, tahun, ke, jumlah in rows}


def _keluhan(unit_ids: set[int], first: date, last: date) -> dict:
    """Complaints per (unit, quarter), the quarter of the WIB date they were received."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(first, time.min, tzinfo=zone)
    until = datetime.combine(last, time.max, tzinfo=zone)
    rows = (
        Masukan.objects.filter(
            unit_layanan__in=unit_ids,
            kategori=Masukan.Kategori.KELUHAN,
            created_at__range=(since, until),
        )
        .exclude(status__in=KELUHAN_TIDAK_DIHITUNG)
        .annotate(kuartal=TruncQuarter("created_at", output_field=DateField(), tzinfo=zone))
        .values("unit_layanan", "kuartal")
        .annotate(jumlah=Count("pk"))
        .order_by()
    )
    return {(r["unit_layanan"], Triwulan.dari(r["kuartal"])): r["jumlah"] for r in rows}
