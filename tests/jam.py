"""`pytest --jam=2026-12-31T23:30+07:00` runs the whole session with the clock moved to that moment.

The clock ticks on from there, so ordering by creation time still works. `date.today()`,
`datetime.now()`, `time.time()` and through them `timezone.now()` and `timezone.localdate()` all
read the moved clock. Other processes keep the real one, so a moved session skips the browser
tests (e2e) and those with a real Celery worker (integration); the database's clock (SQL `NOW()`)
is not moved either, and the application reads none.

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


@pytest.hookimpl(trylast=True)  # after tests/e2e and tests/integration have marked their items
def pytest_collection_modifyitems(config, items):
    if not config.getoption("jam"):
        return
    elsewhere = pytest.mark.skip(
        reason="--jam moves this process's clock only, not the browser's or the Celery worker's"
    )
    for item in items:
        if item.get_closest_marker("e2e") or item.get_closest_marker("integration"):
            item.add_marker(elsewhere)


def pytest_report_header(config):
    text = config.getoption("jam")
    if text:
        moment = moment_parse(text)
        utc = moment.astimezone(UTC)
        return f"jam: clock moved to {moment:%Y-%m-%d %H:%M%z} ({utc:%Y-%m-%d %H:%M} UTC), ticking"
    return None
