from decimal import Decimal
from fractions import Fraction

from pembinaan.lib.angka import angka, persen, share


def test_numbers_are_written_the_indonesian_way_with_their_decimals():
    assert angka(1234.5, 1) == "1.234,5"
    assert angka(Decimal("85.10"), 2) == angka("85.10", 2) == "85,10"
    assert angka(2.25, 1) == "2,3"  # half up, never to even
    assert angka(-0.04, 1) == "0,0" and angka(None) == "–"
    assert angka(85, -2) == "85" and angka(Decimal("85.5"), -2) == "85,50"
    assert persen(1.75) == "1,8 %" and persen(None) == "–"


def test_a_share_of_nothing_is_none():
    assert share(1, 3) == 100 / 3 and share(0, 0) is None


def test_an_exact_ratio_is_written_as_its_decimal_value():
    assert angka(Fraction(7, 2), 2) == "3,50"
    assert angka(Fraction(2, 3), 2) == "0,67"
