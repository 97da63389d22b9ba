"""An administrator of a province with more units than a select should hold picks a unit on the
pegawai list by typing its name (issue 24): the search asks the server, Enter picks the first
unit found, and the list is filtered to it."""

import pytest

from pegawai.widgets import UNIT_SEMUA_MAX
from tests import factories
from tests.e2e.axe import serious_violations
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_picks_a_unit_by_typing_and_gets_its_pegawai(page, live_server, cast):
    for n in range(UNIT_SEMUA_MAX):
        factories.unit(f"BKD.S{n}", f"Seksi Umum {n}", parent=cast.bkd)
    arsip = factories.unit("BKD.ARSIP", "Seksi Arsip Digital", parent=cast.bkd)
    factories.pegawai(arsip, nama="Agus Arsiparis")
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/pegawai/")
    select = page.locator("#id_unit")
    # The select holds "Semua unit" and the two OPDs, not the 50 sections.
    assert select.locator("option").count() == 3

    page.get_by_role("button", name="Saringan lainnya").click()
    box = page.get_by_label("Cari Unit kerja (termasuk sub-unit)")
    box.fill("arsip dig")
    page.get_by_text("1 unit cocok").wait_for(state="attached")
    box.press("Enter")
    page.wait_for_url(f"**/pegawai/?*unit={arsip.pk}*")
    page.locator("#hasil").get_by_text("1 pegawai cocok").wait_for()
    assert page.locator("#hasil tbody tr").count() == 1
    assert page.locator("#hasil").get_by_role("link", name="Agus Arsiparis").is_visible()
    assert select.input_value() == str(arsip.pk)
    assert "Badan Kepegawaian Daerah › Seksi Arsip Digital" in select.inner_text()

    assert serious_violations(page, live_server.url, [f"/pegawai/?unit={arsip.pk}"]) == {}
