"""Numbers and codes typed into a URL or a form field that no Form checks. Knows no models.

`str.isdigit()` is no guard: it accepts "²" and "٣", which `int()` then refuses or reads, and it
lets through numbers beyond any column ("9" * 30), which PostgreSQL answers with an error."""

import re

# The largest value of the columns an id or a count is kept in (integer, bigint).
INTEGER_MAX = 2_147_483_647
BIGINT_MAX = 9_223_372_036_854_775_807

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(value: str | None, *, low: int = 0, high: int = INTEGER_MAX) -> int | None:
    """The whole number written in `value` (ASCII digits only) when it lies in [low, high];
    None for anything else."""
    if value is None or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if low <= number <= high else None
