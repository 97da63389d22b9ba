"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while the test's own database work
    # stays synchronous, so Django's guard against async contexts does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and "page" in item.funcargs:
        SCREENSHOTS.mkdir(exist_ok=True)
        item.funcargs["page"].screenshot(path=SCREENSHOTS / f"{item.name}.png", full_page=True)
    return report


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """A transactional test starts from the tables a previous one emptied: put back the
    reference rows that the migrations load."""
    from pegawai.models import Golongan
    from pegawai.referensi import golongan_ensure

    golongan_ensure(Golongan)
    from pelatihan.models import AturanKonversiJP
    from pelatihan.referensi import aturan_konversi_ensure

    aturan_konversi_ensure(AturanKonversiJP)
