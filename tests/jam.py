"""`pytest --jam=2026-12-31T23:30+07:00` runs the whole session with the clock moved to that moment.

The clock ticks on from there, so ordering by creation time still works. `date.today()`,
`datetime.now()`, `time.time()` and through them `timezone.now()` and `timezone.localdate()` all
read the moved clock; the database's own clock (SQL `NOW()`) and the browser's do not, which is
why the browser tests are left out of the moved runs (`make test-jam`).

A test that passes today and fails at a month end, a year end or just before or after midnight
WIB either assumed what today is (its dates should be relative to `timezone.localdate()`) or
found code that takes the day from the wrong clock (the day is the WIB day).
"""

from datetime import UTC, datetime

import pytest
import time_machine

_traveller = None


def pytest_addoption(parser):
    parser.addoption(
        "--jam",
        metavar="MOMENT",
        help="run the session with the clock moved to MOMENT, an ISO 8601 time with its offset "
        "(2026-12-31T23:30+07:00); the clock ticks on from there",
    )


def moment_parse(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(f"--jam={text}: not an ISO 8601 time") from None
    if moment.tzinfo is None:
        # A naive time would be read as UTC by time-machine and as WIB by a reader of the README.
        raise pytest.UsageError(f"--jam={text}: give the offset too, e.g. {text}+07:00")
    return moment


def pytest_configure(config):
    global _traveller
    text = config.getoption("jam")
    if text:
        _traveller = time_machine.travel(moment_parse(text), tick=True)
        _traveller.start()


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config):
    text = config.getoption("jam")
    if text:
        moment = moment_parse(text)
        utc = moment.astimezone(UTC)
        return f"jam: clock moved to {moment:%Y-%m-%d %H:%M%z} ({utc:%Y-%m-%d %H:%M} UTC), ticking"
    return None
