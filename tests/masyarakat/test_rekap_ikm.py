"""The monthly IKM rollup must always say what the responses say: after a citizen's survey, a
paper import, a failed import, a deletion, and when rebuilt."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masyarakat import rekap, reports
from masyarakat.models import RekapIKM, ResponSurvei, UnitLayanan
from masyarakat.referensi import KEYS
from tests.masyarakat.test_impor import GOOD, csv, post
from tests.masyarakat.test_survei import answers


@pytest.fixture
def layanan(cast):
    return UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")


def rollup(layanan) -> dict:
    return {
        r.bulan: (r.responden, r.u1_sum, r.u1_n, r.u4_n)
        for r in RekapIKM.objects.filter(unit_layanan=layanan)
    }


def from_responses(layanan, start: date, end: date) -> tuple:
    rows = ResponSurvei.objects.filter(unit_layanan=layanan, tanggal__range=(start, end))
    hasil = reports.ikm_from(rows.aggregate(**reports.ikm_totals()))
    return hasil.responden, hasil.ikm


def test_a_citizens_survey_is_counted_in_its_month(client, layanan):
    client.post(reverse("masyarakat:survei", args=["poli"]), answers(u1="3", u4=""))
    month = ResponSurvei.objects.get().tanggal.replace(day=1)
    assert rollup(layanan) == {month: (1, 3, 1, 0)}


def test_a_paper_import_is_counted_and_a_refused_one_adds_nothing(login, cast, layanan):
    client = login(cast.pengelola)
    post(client, layanan, csv(GOOD, "65,L,sma,petani,3,3,3,3,3,3,3,3,3,"))
    assert rollup(layanan) == {date(2026, 3, 1): (2, 7, 2, 1)}
    post(client, layanan, csv(GOOD, "65,L,sma,petani,9,3,3,3,3,3,3,3,3,"))  # 9 is refused
    assert rollup(layanan) == {date(2026, 3, 1): (2, 7, 2, 1)}


def test_deleting_responses_takes_them_out_of_their_month(login, cast, layanan):
    post(login(cast.pengelola), layanan, csv(GOOD, GOOD, GOOD))
    ResponSurvei.objects.filter(pk=ResponSurvei.objects.first().pk).delete()
    assert rollup(layanan) == {date(2026, 3, 1): (2, 8, 2, 0)}
    ResponSurvei.objects.all().delete()
    assert rollup(layanan) == {date(2026, 3, 1): (0, 0, 0, 0)}


answer = st.one_of(st.none(), st.integers(1, 4))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.dates(date(2025, 11, 1), date(2026, 4, 30)), st.lists(answer, min_size=9, max_size=9)
        ),
        max_size=30,
    )
)
def test_the_rollup_gives_the_ikm_of_the_responses_for_every_whole_month_period(layanan, data):
    ResponSurvei.objects.all().delete()
    RekapIKM.objects.all().delete()
    rows = ResponSurvei.objects.bulk_create(
        ResponSurvei(unit_layanan=layanan, tanggal=day, usia="30_39", jenis_kelamin="L",
                     pendidikan="s1", pekerjaan="swasta", **dict(zip(KEYS, values, strict=True)))
        for day, values in data
    )  # fmt: skip
    rekap.tambah(rows)
    incremental = rollup(layanan)
    for start, end in [reports.rentang("triwulan", 2026, 1), reports.rentang("tahun", 2026, 1)]:
        hasil = reports.ikm_unit(layanan, start, end)
        assert (hasil.responden, hasil.ikm) == from_responses(layanan, start, end)
    rekap.bangun()
    assert rollup(layanan) == {m: v for m, v in incremental.items() if v[0]}


def test_a_period_of_other_dates_is_computed_from_the_responses(login, cast, layanan):
    post(login(cast.pengelola), layanan, csv(GOOD))  # 15 March
    RekapIKM.objects.all().delete()  # so that a read of the rollup would find nothing
    assert reports.ikm_unit(layanan, date(2026, 3, 10), date(2026, 3, 20)).responden == 1
    assert reports.ikm_unit(layanan, date(2026, 3, 1), date(2026, 3, 31)).responden == 0


def test_the_command_rebuilds_the_rollup_from_the_responses(login, cast, layanan, capsys):
    post(login(cast.pengelola), layanan, csv(GOOD, GOOD))
    RekapIKM.objects.update(responden=99)
    call_command("rekap_ikm")
    assert rollup(layanan) == {date(2026, 3, 1): (2, 8, 2, 0)}
    assert "1 unit-bulan" in capsys.readouterr().out
