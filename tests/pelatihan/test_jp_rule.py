"""The yearly JP rules at each boundary, read through every place that counts them: the 20 JP
compliance page's figures (pelatihan.reports.kepatuhan_jp) and the dashboard's stored unit
figures (pembinaan.reports.ringkasan_hitung). Both use one SQL definition; these tests fail if
either counts differently (PNS: at least 20 JP; PPPK: over 24 JP is over the cap)."""

from datetime import date

import pytest

from pegawai.models import Pegawai
from pelatihan.reports import kepatuhan_jp
from pembinaan.reports import ringkasan_hitung
from tests import factories


@pytest.mark.parametrize(
    ("status", "jp", "patuh", "lebih"),
    [
        ("pns", 0, 0, 0),
        ("pns", 19, 0, 0),
        ("pns", 20, 1, 0),
        ("pns", 21, 1, 0),
        ("cpns", 19, 0, 0),
        ("cpns", 20, 1, 0),
        ("pppk", 23, 0, 0),
        ("pppk", 24, 0, 0),
        ("pppk", 25, 0, 1),
    ],
)
def test_the_rule_counts_each_boundary_the_same_on_the_page_and_the_dashboard(
    db, status, jp, patuh, lebih
):
    unit = factories.unit("DINKES", "Dinas Kesehatan")
    pegawai = factories.pegawai(unit, status=status)
    if jp:
        factories.catatan_jp(pegawai, jp - 1, year=2026)
        factories.catatan_jp(pegawai, 1, year=2026)  # summed over the year's entries
    factories.catatan_jp(pegawai, 30, year=2025)  # another year counts for nothing
    page = kepatuhan_jp(Pegawai.objects.all(), 2026)
    pns = 0 if status == "pppk" else 1
    assert (page.pns, page.pns_patuh, page.pppk, page.pppk_lebih) == (pns, patuh, 1 - pns, lebih)
    stored = ringkasan_hitung(date(2026, 6, 30))[unit.pk]
    assert (stored["pns"], stored["pns_patuh"], stored["pppk"], stored["pppk_lebih"]) == (
        pns, patuh, 1 - pns, lebih
    )  # fmt: skip


def test_an_inactive_pegawai_is_not_counted(db):
    unit = factories.unit("DINKES", "Dinas Kesehatan")
    gone = factories.pegawai(
        unit, aktif=False, alasan_nonaktif="pensiun", tanggal_nonaktif=date(2026, 2, 1)
    )
    factories.catatan_jp(gone, 40, year=2026)
    page = kepatuhan_jp(Pegawai.objects.all(), 2026)
    assert (page.pns, page.pns_patuh) == (0, 0)
    assert ringkasan_hitung(date(2026, 6, 30)).get(unit.pk, {}).get("pns", 0) == 0
