"""The IKM arithmetic against hand-worked examples."""

from decimal import Decimal
from fractions import Fraction

import pytest

from masyarakat.ikm import hitung, mutu_for, sampel_minimal
from masyarakat.referensi import KEYS


def from_answers(rows: list[dict]) -> object:
    sums = {k: sum(r[k] for r in rows if r.get(k)) for k in KEYS}
    counts = {k: sum(1 for r in rows if r.get(k)) for k in KEYS}
    return hitung(sums, counts, len(rows))


def test_all_answers_4_give_100_and_a():
    result = from_answers([dict.fromkeys(KEYS, 4)] * 10)
    assert (result.konversi, result.mutu, result.kinerja) == (Decimal("100.00"), "A", "Sangat Baik")


def test_all_answers_1_give_25_and_d():
    result = from_answers([dict.fromkeys(KEYS, 1)] * 7)
    assert (result.konversi, result.mutu) == (Decimal("25.00"), "D")


def test_a_mixed_case_just_above_88_31_is_a():
    # Worked by hand: eight elements NRR 3.6 (three 4s, two 3s over five respondents) and
    # U9 NRR 3.2 → IKM = (8 × 3.6 + 3.2) / 9 = 32/9 = 3.5556 → × 25 = 88.888… → 88.89 → A.
    rows = [dict.fromkeys(KEYS, 4)] * 3 + [dict.fromkeys(KEYS, 3)] * 2
    rows = [dict(r) for r in rows]
    for r, u9 in zip(rows, [4, 3, 3, 3, 3], strict=True):
        r["u9"] = u9
    result = from_answers(rows)
    assert result.ikm == Fraction(32, 9)
    assert (result.konversi, result.mutu) == (Decimal("88.89"), "A")


def test_a_mixed_case_just_below_88_31_is_b():
    # Fifteen respondents: eight elements sum to 53 (NRR 3.5333), U4 to 52 (NRR 3.4667).
    sums = dict.fromkeys(KEYS, 53)
    counts = dict.fromkeys(KEYS, 15)
    sums["u4"] = 52
    result = hitung(sums, counts, 15)
    # IKM = (8 × 53/15 + 52/15) / 9 = 476/135 = 3.52592… × 25 = 88.148… → 88.15 → B.
    assert result.ikm == Fraction(476, 135)
    assert (result.konversi, result.mutu) == (Decimal("88.15"), "B")


def test_the_thresholds_themselves():
    assert mutu_for(Decimal("88.31")) == ("A", "Sangat Baik")
    assert mutu_for(Decimal("88.30")) == ("B", "Baik")
    assert mutu_for(Decimal("76.61"))[0] == "B" and mutu_for(Decimal("76.60"))[0] == "C"
    assert mutu_for(Decimal("65.00"))[0] == "C" and mutu_for(Decimal("64.99"))[0] == "D"


def test_rounding_is_half_up_once_at_the_end():
    # NRR 3.5302 everywhere → × 25 = 88.255 → 88.26 (half up), not 88.25.
    sums, counts = dict.fromkeys(KEYS, 17651), dict.fromkeys(KEYS, 5000)
    assert hitung(sums, counts, 5000).konversi == Decimal("88.26")


def test_rounding_is_half_up_where_bankers_rounding_would_go_down():
    # NRR 3.5298 everywhere → × 25 = 88.245 exactly → 88.25 half up; half-even gives 88.24.
    sums, counts = dict.fromkeys(KEYS, 17649), dict.fromkeys(KEYS, 5000)
    assert hitung(sums, counts, 5000).konversi == Decimal("88.25")


def test_an_unanswered_element_counts_only_who_answered():
    rows = [dict.fromkeys(KEYS, 4) | {"u4": None}, dict.fromkeys(KEYS, 2) | {"u4": 4}]
    result = from_answers(rows)
    assert result.nrr["u4"] == 4 and result.nrr["u1"] == 3
    assert result.unsur_kosong == []


def test_an_element_nobody_answered_is_named_and_left_out():
    rows = [dict.fromkeys(KEYS, 4) | {"u4": None}] * 3
    result = from_answers(rows)
    assert result.unsur_kosong == ["u4"] and result.konversi == Decimal("100.00")


def test_no_answers_at_all_give_no_ikm():
    assert from_answers([]).konversi is None


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        # Krejcie and Morgan's published table; each row sits near a rounding edge of one of the
        # formula's constants (chi-square 3.841, d = 0.05, P = 0.5, N - 1).
        (15, 14), (25, 24), (45, 40), (50, 44), (100, 80), (290, 165), (300, 169), (500, 217),
        (1000, 278), (2000, 322), (4000, 351), (15000, 375),
        # Off the table: 3.841 × 255 × 0.25 / (0.0025 × 254 + 0.96025) = 153.4955 → 153.
        (255, 153),
    ],
)  # fmt: skip
def test_krejcie_morgan_minimum_sample(population, sample):
    assert sampel_minimal(population) == sample


def test_a_value_below_the_lowest_band_is_still_d():
    # 25.00 is the least a valid survey gives (every answer 1); below it the last band holds.
    assert mutu_for(Decimal("24.99")) == ("D", "Tidak Baik")
    assert mutu_for(Decimal("0")) == ("D", "Tidak Baik")


def test_an_nrr_is_shown_rounded_to_two_places_and_an_unanswered_one_as_nothing():
    rows = [dict.fromkeys(KEYS, 4) | {"u4": None}] * 2 + [dict.fromkeys(KEYS, 3) | {"u4": None}]
    result = from_answers(rows)
    assert result.nrr_tampil("u1") == Decimal("3.67")  # 11/3
    assert result.nrr_tampil("u4") is None


def test_a_result_cannot_be_changed_afterwards():
    result = from_answers([dict.fromkeys(KEYS, 4)])
    with pytest.raises(AttributeError):
        result.mutu = "B"
