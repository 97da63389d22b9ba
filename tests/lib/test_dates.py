from datetime import date

from pembinaan.lib.dates import (
    add_months,
    add_working_days,
    is_working_day,
    month_end,
    working_days_between,
)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 15), 24) == date(2028, 1, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_working_days_skip_weekends():
    none = frozenset()
    assert add_working_days(date(2026, 11, 27), 1, libur=none) == date(2026, 11, 30)  # Fri → Mon
    assert add_working_days(date(2026, 11, 23), 10, libur=none) == date(2026, 12, 7)
    assert add_working_days(date(2026, 11, 28), 3, libur=none) == date(2026, 12, 2)  # from a Sat


def test_working_days_skip_the_holidays_they_are_given():
    christmas = {date(2026, 12, 24), date(2026, 12, 25)}  # Thursday, Friday
    assert add_working_days(date(2026, 12, 23), 1, libur=christmas) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 22), 3, libur=christmas) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 22), 3, libur=frozenset()) == date(2026, 12, 25)


def test_a_working_day_is_a_weekday_that_is_no_holiday():
    libur = {date(2026, 8, 17)}
    assert is_working_day(date(2026, 8, 18), libur=libur)
    assert not is_working_day(date(2026, 8, 17), libur=libur)  # a Monday, but a holiday
    assert not is_working_day(date(2026, 8, 15), libur=libur)  # a Saturday


def test_month_end_knows_short_months_and_leap_years():
    assert [month_end(date(2028, m, 10)).day for m in (1, 2, 4, 12)] == [31, 29, 30, 31]
    assert month_end(date(2026, 2, 1)) == date(2026, 2, 28)


def test_working_days_between_counts_the_working_days_after_the_start_up_to_the_end():
    none = frozenset()
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 30), libur=none) == 1
    assert working_days_between(date(2026, 11, 23), date(2026, 12, 7), libur=none) == 10
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 23), libur=none) == 0
    assert working_days_between(date(2026, 11, 24), date(2026, 11, 23), libur=none) == 0
    holiday = frozenset({date(2026, 11, 24)})
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 25), libur=holiday) == 1
