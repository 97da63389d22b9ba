"""The one way SIBINA writes a number for people: Indonesian, "1.234,5" and "1,8 %", with a set
number of decimals. Pages (the `angka` and `persen` template filters, pembinaan/templatetags),
charts, PDFs, messages and export labels all go through here, so that one figure reads the same
wherever it is shown. Knows no models."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

KOSONG = "–"  # what a figure without a value shows
MINUS = "\u2212"  # the minus sign of a change, as the impact figures have always written it


def angka(value, desimal: int = 0, *, tanda: bool = False) -> str:
    """`value` rounded half up to `desimal` places, thousands grouped with dots and the decimals
    after a comma: 1234.5 → "1.234,5"; None (or not a number) → "–". A negative `desimal`
    writes a whole number without decimals (as floatformat:"-2" does): 85 → "85", 85.5 →
    "85,50". `tanda`: a change, always signed: "+0,83", "−0,25" (the minus sign, not a
    hyphen), and "0,00" without a sign."""
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
    # Written without its sign, which comes after: never "-0,0" (a -0,004 rounded).
    text = f"{abs(rounded):,.{desimal}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if rounded < 0:
        return (MINUS if tanda else "-") + text
    return f"+{text}" if tanda and rounded > 0 else text


def persen(value, desimal: int = 1, *, tanda: bool = False) -> str:
    """A share: "34,9 %" (a space before the sign, as Indonesian style guides write it); with
    `tanda`, a change of a share, which is in percentage points, not a percentage of it:
    "+2,5 poin", "−0,4 poin"."""
    text = angka(value, desimal, tanda=tanda)
    if text == KOSONG:
        return text
    return f"{text} poin" if tanda else f"{text} %"


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent; None when there is no whole to count against."""
    return 100.0 * part / whole if whole else None
