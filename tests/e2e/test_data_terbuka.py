"""The open data page in a real browser: on a phone (390 × 844) without horizontal scrolling
and with its charts in view, without JavaScript (the year chosen by a plain GET form), and with
no serious or critical axe-core violation."""

from datetime import date

import pytest
from django.utils import timezone

from masyarakat import rekap
from masyarakat.models import ResponSurvei, UnitLayanan
from tests.e2e.axe import serious_violations


@pytest.fixture
def survei(cast):
    """Six answers this year and six last year at a service unit with a long name."""
    layanan = UnitLayanan.objects.create(
        unit=cast.yankes, nama="Poli Umum Puskesmas Rawasari Kota Jambi", kode="poli"
    )
    today = timezone.localdate()
    for day in (today.replace(day=1), date(today.year - 1, 6, 1)):
        ResponSurvei.objects.bulk_create(
            ResponSurvei(
                unit_layanan=layanan, tanggal=day, usia="20_29", jenis_kelamin="P",
                pendidikan="sma", pekerjaan="swasta", **{f"u{k}": 3 for k in range(1, 10)},
            )
            for _ in range(6)
        )  # fmt: skip
    rekap.bangun()
    return layanan


def test_on_a_phone_the_page_does_not_scroll_sideways_and_shows_its_charts(
    page, live_server, survei
):
    page.goto(f"{live_server.url}/data/")
    page.get_by_role("heading", name="Data terbuka pembinaan ASN dan pelayanan publik").wait_for()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # The IKM per unit and the province's trend; the others have no figure to draw here.
    charts = page.locator("figure.grafik svg[role=img]")
    assert charts.count() == 2
    for n in range(2):
        box = charts.nth(n).bounding_box()
        assert charts.nth(n).is_visible() and 0 < box["x"] and box["x"] + box["width"] <= 390
    assert page.locator(
        "#tabel-ikm th", has_text="Poli Umum Puskesmas Rawasari Kota Jambi"
    ).is_visible()
    # The tables' titles sit above their scrolling boxes: never cut off at the right.
    for title in page.locator("[id^=judul-tabel-]").all():
        box = title.bounding_box()
        assert 0 < box["x"] and box["x"] + box["width"] <= 390
    # Chart text readable: at least 13 px once the SVG is scaled to the phone.
    size = page.evaluate(
        "(() => { const s = document.querySelector('figure.grafik svg');"
        " return s.getBoundingClientRect().width / s.viewBox.baseVal.width"
        " * parseFloat(s.getAttribute('font-size')); })()"
    )
    assert size >= 13


def test_without_javascript_the_year_is_chosen_and_the_downloads_work(browser, live_server, survei):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/data/")
    last_year = str(timezone.localdate().year - 1)
    page.get_by_label("Tahun", exact=True).select_option(last_year)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(f"**/data/?tahun={last_year}")
    assert page.locator("#tabel-ikm").get_by_text("75,00 (C)").first.is_visible()
    href = page.get_by_role("link", name="Unduh semua (ZIP: CSV dan README)").get_attribute("href")
    download = page.request.get(f"{live_server.url}{href}")
    assert download.status == 200 and download.headers["content-type"] == "application/zip"
    context.close()


def test_the_page_has_no_serious_accessibility_violation(page, live_server, survei):
    assert serious_violations(page, live_server.url, ("/data/", "/data/?tahun=abc")) == {}
