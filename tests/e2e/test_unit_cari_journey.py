"""An administrator of a province with more units than a select should hold picks a unit on the
pegawai list by typing its name (issue 24): the search asks the server, Enter picks the first
unit found, and the list is filtered to it."""

import pytest
from django.urls import reverse

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


def big_scope(cast):
    for n in range(UNIT_SEMUA_MAX):
        factories.unit(f"BKD.S{n}", f"Seksi Umum {n}", parent=cast.bkd)
    return factories.unit("BKD.ARSIP", "Seksi Arsip Digital", parent=cast.bkd)


def test_enter_before_the_answer_waits_for_it_and_never_picks_from_the_old_list(
    page, live_server, cast
):
    """Enter typed before the search answered (or with one letter) picked the first unit of the
    list shown, an OPD: the pegawai list filtered to it, an edit form moved the pegawai."""
    arsip = big_scope(cast)
    sign_in(page, live_server, "admin")
    slow = []

    def delayed(route):
        slow.append(route.request.url)
        page.wait_for_timeout(800)
        route.continue_()

    page.route("**/pegawai/unit/cari/**", delayed)
    page.goto(f"{live_server.url}/pegawai/")
    page.get_by_role("button", name="Saringan lainnya").click()
    box = page.get_by_label("Cari Unit kerja (termasuk sub-unit)")
    select = page.locator("#id_unit")

    box.fill("a")
    box.press("Enter")
    page.get_by_text("Ketik minimal 2 huruf untuk mencari unit").wait_for()
    assert select.input_value() == ""
    assert "unit=" not in page.url

    box.fill("arsip dig")
    box.press("Enter")  # at once: the answer is 250 ms + 800 ms away
    page.wait_for_url(f"**/pegawai/?*unit={arsip.pk}*")
    assert select.input_value() == str(arsip.pk)
    assert slow


def test_the_search_says_what_it_found_and_when_the_session_ended(page, live_server, cast):
    big_scope(cast)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/pegawai/")
    page.get_by_role("button", name="Saringan lainnya").click()
    box = page.get_by_label("Cari Unit kerja (termasuk sub-unit)")
    box.fill("seksi umum")
    status = page.get_by_text("20 teratas; ketik lebih lengkap untuk mempersempit")
    status.wait_for()
    assert status.is_visible()  # not only for screen readers
    box.fill("zzz tidak ada")
    page.get_by_text("Tidak ada unit yang cocok").wait_for()

    page.context.clear_cookies()  # the session ended in another tab
    box.fill("arsip")
    page.get_by_text("Sesi Anda berakhir; muat ulang halaman untuk masuk lagi.").wait_for()


def test_with_script_the_sub_unit_button_gives_way_to_the_search(page, live_server, cast):
    """The no-script "Tampilkan sub-unit" of a saving form is hidden once the box searches."""
    big_scope(cast)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/akun/pengelola/")
    button = page.locator('button[name="_telusuri_unit"]')
    assert button.count() == 1
    page.locator("input[type=search]").first.wait_for()
    assert button.is_hidden()


def test_text_typed_but_no_unit_picked_is_not_sent_as_every_unit(page, live_server, cast):
    """On the 20 JP compliance page, a unit's name typed and "Tampilkan" pressed without picking
    it showed the whole province; the form now says to pick from the list or clear the box."""
    arsip = big_scope(cast)
    sign_in(page, live_server, "admin")
    start = f"{live_server.url}{reverse('pembinaan:jp_kepatuhan')}"
    page.goto(start)
    box = page.get_by_label("Cari Unit (termasuk sub-unit)")
    box.fill("arsip dig")
    page.get_by_text("1 unit cocok").wait_for(state="attached")
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_text("Pilih unit dari daftar, atau kosongkan kotak pencarian").wait_for()
    assert page.url == start
    status = page.locator("#id_unit + [role=status]")  # the line under the select
    assert "text-danger" in status.get_attribute("class")  # the form did nothing else: seen
    box.fill("arsip")
    assert "text-danger" not in status.get_attribute("class")

    page.locator("#id_unit").select_option(str(arsip.pk))
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(f"**?*unit={arsip.pk}*")

    box = page.get_by_label("Cari Unit (termasuk sub-unit)")
    box.fill("")
    page.locator("#id_unit").select_option("")
    page.get_by_role("button", name="Tampilkan").click()  # an empty box: every unit, as asked
    page.wait_for_url("**?*unit=&*")


def test_a_picker_without_an_empty_choice_does_not_send_the_unit_it_started_with(
    page, live_server, cast
):
    """On the needs analysis (no empty choice; the first unit chosen), a unit typed but not
    picked sent the first unit without a word; it is refused as on the other pickers."""
    sign_in(page, live_server, "admin")
    start = f"{live_server.url}{reverse('pembinaan:kebutuhan_list')}"
    page.goto(start)
    first = page.locator("#unit").input_value()
    box = page.get_by_label("Cari Unit")
    box.fill("pelayanan")
    page.get_by_text("1 unit cocok").wait_for(state="attached")
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_text("Pilih unit dari daftar, atau kosongkan kotak pencarian").wait_for()
    assert page.url == start and page.locator("#unit").input_value() == first
    box.press("Enter")  # picks the match: the page follows it
    page.wait_for_url(f"**?unit={cast.yankes.pk}")
    assert "Bidang Pelayanan Kesehatan" in page.locator("h1").inner_text()


@pytest.mark.parametrize("user", ["admin", "pengelola"])
def test_a_unit_is_found_and_sent_by_its_code(page, live_server, cast, user):
    """The server's search finds a unit by its code; the picker's own narrowing (a unit's HR,
    a small scope) did not, and a unit found by code was then refused on sending because its
    label does not hold what was typed. Both read the code now (data-cari-kata)."""
    big_scope(cast)  # the administrator's scope is big (the server searches), the HR's small
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}{reverse('pembinaan:jp_kepatuhan')}")
    assert (page.locator("#id_unit[data-cari-url]").count() == 1) == (user == "admin")
    box = page.get_by_label("Cari Unit (termasuk sub-unit)")
    box.fill("dinkes.yankes")
    page.get_by_text("1 unit cocok").wait_for(state="attached")
    box.press("Enter")
    assert page.locator("#id_unit").input_value() == str(cast.yankes.pk)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(f"**?*unit={cast.yankes.pk}*")
    assert "Pilih unit dari daftar" not in page.content()


def test_the_needs_analysis_picker_finds_a_unit_by_its_code(page, live_server, cast):
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}{reverse('pembinaan:kebutuhan_list')}")
    box = page.get_by_label("Cari Unit")
    box.fill("dinkes.yankes")
    page.get_by_text("1 unit cocok").wait_for(state="attached")
    box.press("Enter")  # picks it; the select sends itself
    page.wait_for_url(f"**?unit={cast.yankes.pk}")
