"""The IKM arithmetic of PermenPANRB 14/2017, exactly as domain.md §5 states it.

    NRR(u)       = sum of the answers to u / number of respondents who answered u
    IKM          = mean of the nine NRR (weight 1/9 exactly)
    IKM konversi = IKM × 25, rounded half up to 2 decimals only at the end

Fractions keep every step exact; only the converted value is rounded, once.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .referensi import KEYS, MUTU


@dataclass(frozen=True)
class HasilIKM:
    nrr: dict[str, Fraction | None]
    responden: int
    ikm: Fraction | None
    konversi: Decimal | None
    mutu: str | None
    kinerja: str | None
    unsur_kosong: list[str]

    def nrr_tampil(self, key: str) -> Decimal | None:
        value = self.nrr[key]
        return None if value is None else _round(value, "0.01")


def _round(value: Fraction, places: str) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


def mutu_for(konversi: Decimal) -> tuple[str, str]:
    for threshold, mutu, kinerja in MUTU:
        if konversi >= Decimal(threshold):
            return mutu, kinerja
    return MUTU[-1][1], MUTU[-1][2]


def hitung(sums: dict[str, int], counts: dict[str, int], responden: int) -> HasilIKM:
    """From per-element sums and answer counts (as a GROUP BY gives them). An element nobody
    answered has no NRR; the IKM is then the mean of the others, and the result names it."""
    nrr = {k: Fraction(sums[k], counts[k]) if counts.get(k) else None for k in KEYS}
    answered = [v for v in nrr.values() if v is not None]
    empty = [k for k, v in nrr.items() if v is None]
    if not answered:
        return HasilIKM(nrr, responden, None, None, None, None, empty)
    ikm = sum(answered, Fraction(0)) / len(answered)
    konversi = _round(ikm * 25, "0.01")
    mutu, kinerja = mutu_for(konversi)
    return HasilIKM(nrr, responden, ikm, konversi, mutu, kinerja, empty)


def sampel_minimal(populasi: int) -> int:
    """Krejcie–Morgan: the least sample for a population N (50→44, 100→80, 1000→278)."""
    n = (
        Fraction(3841, 1000)
        * populasi
        * Fraction(1, 4)
        / (Fraction(25, 10000) * (populasi - 1) + Fraction(3841, 1000) * Fraction(1, 4))
    )
    return int(_round(n, "1"))
