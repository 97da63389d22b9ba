"""Every choice of a unit names it with its OPD path: many units share a leaf name."""

from django.urls import reverse

from evaluasi.forms import PeriodeForm
from pegawai.filters import PegawaiFilter
from pegawai.forms import PegawaiForm
from pegawai.models import unit_jalur, unit_tree
from pelatihan.forms import LaporanUnitForm, PelatihanForm
from tests import factories

PATH = "Dinas Kesehatan › Bidang Pelayanan Kesehatan"


def test_the_tree_names_each_unit_with_its_path(cast):
    seksi = factories.unit("DINKES.YANKES.EV", "Seksi Evaluasi", parent=cast.yankes)
    other = factories.unit("BKD.EV", "Seksi Evaluasi", parent=cast.bkd)
    labels = unit_jalur()
    assert labels[seksi.pk] == f"{PATH} › Seksi Evaluasi"
    assert labels[other.pk] == "Badan Kepegawaian Daerah › Seksi Evaluasi"
    assert labels[cast.dinkes.pk] == "Dinas Kesehatan"
    assert {u.pk: u.label_jalur for u in unit_tree()} == labels


def test_a_renamed_parent_renames_its_childrens_paths(cast):
    cast.dinkes.nama = "Dinas Kesehatan Provinsi"
    cast.dinkes.save()
    assert unit_jalur()[cast.yankes.pk] == "Dinas Kesehatan Provinsi › Bidang Pelayanan Kesehatan"


def test_the_pegawai_filter_and_form_offer_units_with_their_path(cast):
    assert PATH in PegawaiFilter({}, user=cast.admin).form["unit"].as_widget()
    form = PegawaiForm(user=cast.pengelola)
    assert PATH in form["unit"].as_widget() and "data-cari" in form["unit"].as_widget()


def test_the_training_audience_and_reports_offer_units_with_their_path(cast):
    form = PelatihanForm(user=cast.admin)
    rendered = form["sasaran_unit"].as_widget()
    assert PATH in rendered and "data-cari" in rendered and "multiple" in rendered
    assert PATH in form["unit_penyelenggara"].as_widget()
    report = LaporanUnitForm.from_query({}, user=cast.admin)
    assert PATH in report["unit"].as_widget()


def test_the_training_audience_saves_the_chosen_units(cast):
    data = {
        "nama": "Surveilans", "jenis": 3, "bidang": "Kesehatan", "jp": 24,
        "penyelenggara_jenis": "internal", "penyelenggara": "BPSDM",
        "sasaran_unit": [cast.yankes.pk, cast.bkd.pk],
    }  # fmt: skip
    form = PelatihanForm(data, user=cast.admin)
    assert form.is_valid(), form.errors
    pelatihan = form.save()
    assert set(pelatihan.sasaran_unit.all()) == {cast.yankes, cast.bkd}


def test_evaluation_periods_offer_units_with_their_path(cast):
    rendered = PeriodeForm(user=cast.admin)["units"].as_widget()
    assert PATH in rendered


def test_the_needs_analysis_offers_units_with_their_path(login, cast):
    response = login(cast.admin).get(reverse("pembinaan:kebutuhan_list"))
    assert PATH in response.content.decode()
