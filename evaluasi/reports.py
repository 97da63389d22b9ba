"""Reads over performance evaluation: who a period covers, and how predicates are spread."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from pegawai.models import Pegawai, UnitKerja

from . import referensi as ref
from .models import PenilaianKinerja, PeriodePenilaian, PeriodeUnit, Predikat


def pegawai_dalam_periode(periode: PeriodePenilaian) -> QuerySet:
    """The active pegawai of the period's units and their sub-units."""
    paths = list(periode.periode_units.values_list("unit__path", flat=True))
    units = UnitKerja.objects.subtrees(paths).values_list("pk", flat=True)
    return Pegawai.objects.aktif().filter(unit_id__in=list(units))


@dataclass
class Distribusi:
    periode_unit: PeriodeUnit
    jumlah_pegawai: int
    jumlah: dict[str, int] = field(default_factory=dict)
    peringatan: list[str] = field(default_factory=list)

    @property
    def dinilai(self) -> int:
        return sum(self.jumlah.values())

    def baris(self) -> list[tuple[str, int, float]]:
        total = self.dinilai or 1
        return [
            (label, self.jumlah.get(value, 0), 100.0 * self.jumlah.get(value, 0) / total)
            for value, label in Predikat.choices
        ]


def distribusi(periode_unit: PeriodeUnit) -> Distribusi:
    """How the unit's predicates are spread, with a warning for each rule of its organisation
    predicate that the spread breaks (domain.md §4: check and warn, never block)."""
    units = UnitKerja.objects.subtrees([periode_unit.unit.path]).values_list("pk", flat=True)
    units = list(units)
    counts = dict(
        PenilaianKinerja.objects.filter(periode=periode_unit.periode, pegawai__unit_id__in=units)
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
                f"{text}; sekarang {share:.0f}%."
            )
    return broken
