import pytest

from pembinaan.lib.params import INTEGER_MAX, parse_int


@pytest.mark.parametrize("value", ["0", "7", "2026", str(INTEGER_MAX)])
def test_it_reads_ascii_digits_within_the_range(value):
    assert parse_int(value) == int(value)


@pytest.mark.parametrize(
    "value",
    [None, "", " 7", "7 ", "-1", "+1", "1.5", "1e3", "²", "٣", "7\x00", "9" * 30,
     str(INTEGER_MAX + 1)],
)  # fmt: skip
def test_it_refuses_anything_else(value):
    assert parse_int(value) is None


def test_it_keeps_to_the_bounds_it_is_given():
    assert parse_int("1999", low=2000, high=2100) is None
    assert parse_int("2101", low=2000, high=2100) is None
    assert parse_int("2050", low=2000, high=2100) == 2050
