"""The one way SIBINA writes a number for people: Indonesian, "1.234,5" and "1,8 %", with a set
number of decimals. Pages (the `angka` and `persen` template filters, pembinaan/templatetags),
charts, PDFs, messages and export labels all go through here, so that one figure reads the same
wherever it is shown. Knows no models."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

KOSONG = "–"  # what a figure without a value shows


def angka(value, desimal: int = 0) -> str:
    """`value` rounded half up to `desimal` places, thousands grouped with dots and the decimals
    after a comma: 1234.5 → "1.234,5"; None (or not a number) → "–". A negative `desimal`
    writes a whole number without decimals (as floatformat:"-2" does): 85 → "85", 85.5 →
    "85,50"."""
    if value is None or value == "":
        return KOSONG
    try:
        # An exact ratio (the IKM's NRR) is divided out; str() of it would read "7/2".
        number = (
            Decimal(value.numerator) / Decimal(value.denominator)
            if isinstance(value, Fraction)
            else Decimal(str(value))
        )
    except InvalidOperation:
        return KOSONG
    if desimal < 0:
        desimal = 0 if number == number.to_integral_value() else -desimal
    rounded = number.quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0,0"
    text = f"{rounded:,.{desimal}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def persen(value, desimal: int = 1) -> str:
    """A share: "34,9 %" (a space before the sign, as Indonesian style guides write it)."""
    text = angka(value, desimal)
    return text if text == KOSONG else f"{text} %"


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent; None when there is no whole to count against."""
    return 100.0 * part / whole if whole else None
