"""The unit picker (issue 24): a select that never holds the whole tree, and its search
pegawai:unit_cari over the user's scope."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluasi.forms import PeriodeForm
from pegawai.filters import PegawaiFilter
from pegawai.forms import MutasiForm, PengelolaForm
from pegawai.models import UnitKerja
from pegawai.widgets import UNIT_SEMUA_MAX
from pelatihan.forms import LaporanUnitForm
from tests import factories

URL = reverse("pegawai:unit_cari")
LIST = reverse("pegawai:list")
PATH = "Dinas Kesehatan › Bidang Pelayanan Kesehatan"


def found(response) -> dict[str, str]:
    """The options of a search answer: label by value."""
    assert response.status_code == 200
    options = r'<option value="(\d+)"[^>]*>([^<]*)</option>'
    return dict(re.findall(options, response.content.decode()))


def unit_options(content: str) -> list[str]:
    select = re.search(r'<select[^>]* name="unit".*?</select>', content, re.S).group(0)
    return re.findall(r'<option value="(\d*)"', select)


def seksi(parent, count: int, start: int = 0) -> list:
    return [
        factories.unit(f"{parent.kode}.S{n}", f"Seksi Nomor {n}", parent=parent)
        for n in range(start, start + count)
    ]


def test_it_finds_units_by_name_or_code_with_their_path(login, cast):
    client = login(cast.admin)
    assert found(client.get(URL, {"q": "pelayanan"})) == {str(cast.yankes.pk): PATH}
    assert found(client.get(URL, {"q": "dinkes.yankes"})) == {str(cast.yankes.pk): PATH}
    # Every word, anywhere in the path: the OPD's name and the unit's.
    assert found(client.get(URL, {"q": "kesehatan bidang"})) == {str(cast.yankes.pk): PATH}
    # Full-width letters (a phone's keyboard, a pasted name) are read as the plain ones.
    assert found(client.get(URL, {"q": "ＰＥＬＡＹＡＮＡＮ"})) == {str(cast.yankes.pk): PATH}
    assert found(client.get(URL, {"q": "pelayanán"})) == {str(cast.yankes.pk): PATH}


def test_every_option_carries_its_code_so_the_browser_finds_it_by_code_too(login, cast):
    # static/js/select-cari.js searches data-cari-kata beside the label: a small scope's
    # select narrows by code in the browser, and a unit found by code (the server's answer)
    # holds what was typed, so its form is sent.
    answer = login(cast.admin).get(URL, {"q": "dinkes.yankes"}).content.decode()
    assert f'<option value="{cast.yankes.pk}" data-cari-kata="DINKES.YANKES">' in answer
    small = PegawaiFilter({}, user=cast.pengelola).form["unit"].as_widget()
    assert f'<option value="{cast.dinkes.pk}" data-cari-kata="DINKES">' in small
    assert '<option value="" selected>Semua unit</option>' in small  # no code, no attribute


def test_a_pengelola_finds_only_the_units_they_manage(login, cast):
    client = login(cast.pengelola)
    assert found(client.get(URL, {"q": "badan"})) == {}  # BKD, not theirs
    assert found(client.get(URL, {"q": "bkd"})) == {}
    assert set(found(client.get(URL, {"q": "dinas"}))) == {str(cast.dinkes.pk), str(cast.yankes.pk)}
    # The province's scope of a unit's HR is their units too.
    assert found(client.get(URL, {"q": "badan", "lingkup": "provinsi"})) == {}


def test_a_form_over_every_unit_searches_every_unit(login, cast):
    # The target of a move, a pengelola's unit: those forms have always listed every unit.
    response = login(cast.pengelola).get(URL, {"q": "badan", "lingkup": "semua"})
    assert found(response) == {str(cast.bkd.pk): "Badan Kepegawaian Daerah"}


def test_it_answers_at_most_twenty_units(login, cast):
    seksi(cast.bkd, 25)
    assert len(found(login(cast.admin).get(URL, {"q": "seksi nomor"}))) == 20


@pytest.mark.parametrize(
    "q",
    [
        "k",
        "x" * 5000,
        "' OR 1=1 --",
        "%'; DROP TABLE pegawai_unitkerja; --",
        "ডিনাস স্বাস্থ্য",
        "\u202eDINKES",
        "🏥🏥",
        "   ",
    ],
)
def test_hostile_or_short_input_finds_nothing_and_never_fails(login, cast, q):
    assert found(login(cast.admin).get(URL, {"q": q})) == {}


def test_a_nul_character_is_a_bad_request_not_an_error(login, cast):
    assert login(cast.admin).get(URL, {"q": "Dinas\x00Kesehatan"}).status_code == 400


def test_an_unknown_scope_is_not_found(login, cast):
    assert login(cast.admin).get(URL, {"q": "dinas", "lingkup": "x"}).status_code == 404


def test_only_managers_search_and_anonymous_is_sent_to_login(client, login, cast):
    response = client.get(URL, {"q": "dinas"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert login(cast.pegawai).get(URL, {"q": "dinas"}).status_code == 403
    assert login(cast.admin).post(URL, {"q": "dinas"}).status_code == 405


def test_a_small_scope_is_listed_whole_and_needs_no_search(cast):
    units = seksi(cast.yankes, 3)
    widget = PegawaiFilter({}, user=cast.pengelola).form["unit"].as_widget()
    assert "data-cari-url" not in widget
    assert set(unit_options(widget)) == {"", *(str(u.pk) for u in [cast.dinkes, cast.yankes])} | {
        str(u.pk) for u in units
    }


def test_a_big_scope_lists_the_chosen_unit_with_those_above_and_below_it(cast):
    under = seksi(cast.yankes, 2)
    others = seksi(cast.bkd, UNIT_SEMUA_MAX)
    widget = PegawaiFilter({"unit": str(cast.yankes.pk)}, user=cast.admin).form["unit"]
    rendered = widget.as_widget()
    assert f"{URL}?lingkup=kelola" in rendered
    listed = set(unit_options(rendered))
    # The OPDs (few), the chosen unit and its sub-units: a walk down the tree without script.
    assert listed == {"", str(cast.dinkes.pk), str(cast.bkd.pk), str(cast.yankes.pk)} | {
        str(u.pk) for u in under
    }
    chosen = f'<option value="{cast.yankes.pk}" selected data-cari-kata="DINKES.YANKES">'
    assert f"{chosen}{PATH}</option>" in rendered
    assert not listed & {str(u.pk) for u in others}


def test_a_unit_outside_the_scope_is_refused_with_the_forms_message(cast):
    seksi(cast.bkd, UNIT_SEMUA_MAX)  # a big scope: the check is the scope's, not the options'
    other = UnitKerja.objects.get_children(cast.bkd).last()
    admin = PegawaiFilter({"unit": str(other.pk)}, user=cast.admin).form
    assert admin.is_valid(), admin.errors
    form = PegawaiFilter({"unit": str(other.pk)}, user=cast.pengelola).form
    assert not form.is_valid()
    assert form.errors["unit"] == ["Unit tidak ditemukan atau di luar unit yang boleh Anda pilih."]
    report = LaporanUnitForm({"unit": "999999"}, units=[], years=[2026])
    assert not report.is_valid() and "unit" in report.errors


def test_a_model_form_picks_a_unit_not_listed_by_its_id(cast):
    seksi(cast.bkd, UNIT_SEMUA_MAX + 1)
    unit = UnitKerja.objects.get_children(cast.bkd).last()
    assert f'value="{unit.pk}"' not in PengelolaForm()["unit"].as_widget()
    form = PengelolaForm({"unit": unit.pk, "akun": "pegawai"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == unit


def test_the_pegawai_list_does_not_grow_with_the_units(login, cast):
    """300 more units: the page's size, its unit options and its queries stay as they were."""
    seksi(cast.bkd, UNIT_SEMUA_MAX + 1)
    client = login(cast.admin)
    client.get(LIST)  # the unit tree cached, as between real pages

    def measure():
        client.get(LIST)
        with CaptureQueriesContext(connection) as queries:
            content = client.get(LIST).content.decode()
        return len(content), unit_options(content), len(queries)

    size, options, count = measure()
    seksi(cast.bkd, 300, start=UNIT_SEMUA_MAX + 1)
    assert measure() == (size, options, count)
    assert len(options) == 3  # "Semua unit" and the two OPDs


def test_an_invalid_unit_is_named_in_words_without_its_id(cast):
    for form in [
        PengelolaForm({"unit": "999999", "akun": "pegawai"}),
        PeriodeForm({"units": ["999999"]}, user=cast.admin),
        PegawaiFilter({"unit": "999999"}, user=cast.admin).form,
    ]:
        assert not form.is_valid()
        field = "units" if "units" in form.errors else "unit"
        assert form.errors[field] == [
            "Unit tidak ditemukan atau di luar unit yang boleh Anda pilih."
        ], form.errors
        assert "999999" not in str(form.errors)


def test_a_move_to_the_pegawais_own_unit_says_so(cast):
    pegawai = factories.pegawai(cast.yankes)
    form = MutasiForm({"unit_tujuan": cast.yankes.pk, "tmt": "2026-01-05"}, pegawai=pegawai)
    assert not form.is_valid()
    assert form.errors["unit_tujuan"] == ["Pegawai sudah berada di unit ini."]


def test_without_script_a_saving_form_walks_down_to_a_sub_unit_unsaved(login, cast):
    """A big scope lists the OPDs and the chosen unit: "Tampilkan sub-unit" sends the form back,
    unsaved, with the chosen unit's sub-units listed."""
    seksi(cast.dinkes, UNIT_SEMUA_MAX)
    under = seksi(cast.bkd, 2)
    client = login(cast.admin)
    url = reverse("akun:pengelola_list")
    page = client.get(url).content.decode()
    assert 'name="_telusuri_unit"' in page and "formnovalidate" in page
    assert str(under[0].pk) not in unit_options(page)

    response = client.post(url, {"unit": cast.bkd.pk, "akun": "pegawai", "_telusuri_unit": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert {str(u.pk) for u in under} <= set(unit_options(page))
    assert "Sub-unit dari unit yang dipilih kini tercantum" in page
    assert not cast.bkd.pengelola.filter(username="pegawai").exists()

    response = client.post(url, {"unit": under[0].pk, "akun": "pegawai"})
    assert response.status_code == 302
    assert under[0].pengelola.filter(username="pegawai").exists()


def test_a_filter_needs_no_sub_unit_button(cast):
    seksi(cast.bkd, UNIT_SEMUA_MAX)
    widget = PegawaiFilter({}, user=cast.admin).form["unit"].as_widget()
    assert "data-cari-url" in widget and "_telusuri_" not in widget


def test_the_pengelola_page_has_one_element_per_id(login, cast):
    page = login(cast.admin).get(reverse("akun:pengelola_list")).content.decode()
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_an_empty_scope_is_the_default_scope(login, cast):
    response = login(cast.admin).get(URL, {"lingkup": "", "q": "pelayanan"})
    assert PATH in found(response).values()
