"""Calendar arithmetic. Knows no models."""

import calendar
from collections.abc import Collection
from datetime import date, datetime


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31/01 + 1 →
    28/02 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_working_day(day: date, *, libur: Collection[date]) -> bool:
    """Monday to Friday and not in `libur`, the national holidays and cuti bersama (the
    pegawai app keeps them: pegawai.models.tanggal_libur)."""
    return day.weekday() < 5 and day not in libur


def add_working_days(day: date, days: int, *, libur: Collection[date]) -> date:
    """`days` working days after `day` (is_working_day)."""
    current = day
    remaining = days
    while remaining > 0:
        current = date.fromordinal(current.toordinal() + 1)
        if is_working_day(current, libur=libur):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, *, libur: Collection[date]) -> int:
    """The working days after `start` up to and including `end` (0 when `end` is not later):
    the inverse of add_working_days for a working `end`."""
    count = 0
    current = start
    while current < end:
        current = date.fromordinal(current.toordinal() + 1)
        if is_working_day(current, libur=libur):
            count += 1
    return count


def waktu_wib(moment: datetime | None) -> str:
    """A moment as SIBINA writes it everywhere (pages, exports, PDFs): "3 Desember 2026, 14.21
    WIB" in Jakarta time; "" for None."""
    if moment is None:
        return ""
    from django.utils import timezone
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "j F Y, H.i") + " WIB"
