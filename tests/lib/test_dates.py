from datetime import date

from pembinaan.lib.dates import add_months, month_end


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 15), 24) == date(2028, 1, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_working_days_skip_weekends():
    from pembinaan.lib.dates import add_working_days

    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday → Monday
    assert add_working_days(date(2026, 11, 23), 10) == date(2026, 12, 7)
    assert add_working_days(date(2026, 11, 28), 3) == date(2026, 12, 2)  # from a Saturday


def test_month_end_knows_short_months_and_leap_years():
    assert [month_end(date(2028, m, 10)).day for m in (1, 2, 4, 12)] == [31, 29, 30, 31]
    assert month_end(date(2026, 2, 1)) == date(2026, 2, 28)
