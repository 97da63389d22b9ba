from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.jam import moment_parse


def test_it_refuses_a_moment_without_its_offset():
    with pytest.raises(pytest.UsageError, match="offset"):
        moment_parse("2026-12-31T23:30")


def test_it_refuses_what_is_not_a_time():
    with pytest.raises(pytest.UsageError, match="ISO 8601"):
        moment_parse("akhir tahun")


def test_every_clock_reads_the_moment_given(pytestconfig):
    text = pytestconfig.getoption("jam")
    if not text:
        pytest.skip("runs with --jam")
    moment = moment_parse(text)
    wib_day = timezone.localtime(moment).date()
    # Ticking since the session started: minutes at most, and no --jam moment sits that close
    # before a midnight.
    assert timezone.now() - moment < timedelta(minutes=20)
    assert timezone.localdate() == wib_day
    assert date.today() == wib_day
    assert datetime.now().date() == wib_day
