"""The IP ASN pages: a pegawai's breakdown (themself, their atasan, the HR of their unit), an
OPD's figures (its HR and the province's), and the province's trend on the program page."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from pembinaan import services
from tests import factories
from tests.pembinaan.ip_asn_data import hukuman, kegiatan, lulus, predikat
from tests.queries import cold_queries


@pytest.fixture
def rated(cast_lengkap):
    """The cast's pegawai (pelaksana, S-1) with 22 JP and a seminar in 2026, predicate Baik:
    15 + (30 + 10) + 25 + 5 = 85."""
    c = cast_lengkap
    p = c.pegawai_pegawai
    lulus(p, jenis=8, selesai=date(2026, 4, 6), jp=18)  # Bimbingan Teknis
    kegiatan(p, jenis=4, tanggal=date(2026, 5, 6), jp=4)  # Workshop
    predikat(p, c.atasan_pegawai, tahun=2026, nilai="baik", by=c.pengelola)
    return c


def _ip_url(c, tahun=2026):
    return reverse("pembinaan:ip_asn_pegawai", args=[c.pegawai_pegawai.pk]) + f"?tahun={tahun}"


@pytest.mark.parametrize("role", ["pegawai", "atasan", "pengelola", "admin"])
def test_the_pegawai_their_atasan_and_their_hr_see_the_breakdown(client, rated, role):
    client.force_login(getattr(rated, role))
    response = client.get(_ip_url(rated))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong data-ip-total>85</strong>" in page
    assert "Tinggi" in page
    assert 'data-dimensi="kompetensi">40<' in page
    assert "Diklat teknis paling sedikit 20 JP setahun (jabatan pelaksana)" in page
    assert "22 JP pada tahun itu" in page


@pytest.mark.parametrize("role", ["rekan", "pengelola_lain", "outsider", "mentor", "provinsi"])
def test_colleagues_and_other_units_hr_do_not_find_a_pegawais_ip_asn(client, rated, role):
    client.force_login(getattr(rated, role))
    assert client.get(_ip_url(rated)).status_code == 404


def test_the_opd_page_gives_the_average_and_the_count_per_band(client, rated):
    # Atasan 5 + 0 + 0 + 5 = 10... as S-1 pelaksana: 15 + 0 + 0 + 5 = 20; the pegawai 85;
    # Dedi Rekan 20; Yani (Dinkes) 20: (85 + 20 + 20 + 20) / 4 = 36,25.
    client.force_login(rated.pengelola)
    response = client.get(reverse("pembinaan:ip_asn_unit") + f"?unit={rated.dinkes.pk}&tahun=2026")
    page = response.content.decode()
    assert "<strong data-ip-rata>36,25</strong>" in page
    assert 'data-kategori="tinggi">1<' in page
    assert 'data-kategori="sangat_rendah">3<' in page


def test_another_opds_hr_is_refused_the_opd_and_province_hr_may_read_it(client, rated):
    url = reverse("pembinaan:ip_asn_unit") + f"?unit={rated.dinkes.pk}"
    client.force_login(rated.pengelola_lain)
    assert client.get(url).status_code == 404
    client.force_login(rated.provinsi)
    assert client.get(url).status_code == 200
    client.force_login(rated.pegawai)
    assert client.get(url).status_code == 403


def test_the_opd_page_costs_the_same_queries_at_two_sizes(client, rated):
    url = reverse("pembinaan:ip_asn_unit") + f"?unit={rated.dinkes.pk}&tahun=2026"
    client.force_login(rated.pengelola)
    client.get(url)
    with cold_queries() as small:
        assert client.get(url).status_code == 200
    for i in range(12):
        p = factories.pegawai(rated.yankes, atasan=rated.atasan_pegawai)
        lulus(p, jenis=1, selesai=date(2025, 1, 1 + i), jp=20)
        kegiatan(p, jenis=9, tanggal=date(2026, 2, 1 + i), jp=3)
        predikat(p, rated.atasan_pegawai, tahun=2026, nilai="baik", by=rated.pengelola)
        hukuman(p, tingkat="ringan", jenis="teguran_lisan", tmt=date(2026, 3, 1 + i))
    with cold_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_the_program_page_shows_the_province_trend_by_year_and_the_opds(client, rated):
    services.ip_asn_simpan(tahun=2025)
    services.ip_asn_simpan(tahun=2026)
    program = services.program_create(tahun=2026, by=rated.admin)
    client.force_login(rated.pengelola)
    page = client.get(reverse("pembinaan:program_detail", args=[program.pk])).content.decode()
    # 2025: the four of Dinkes and the outsider and the mentor of BKD at 20 (S-1, nothing else)
    assert 'data-ip-tahun="2025">20,00<' in page
    # 2026: (85 + 20 × 5) / 6 = 30,83
    assert 'data-ip-tahun="2026">30,83<' in page
    # The OPDs of the last complete year (this year's annual predicates come next year).
    complete = max(y for y in (2025, 2026) if y < timezone.localdate().year)
    assert f"Per OPD, {complete}" in page
    assert f"?unit={rated.dinkes.pk}&amp;tahun={complete}" in page
    assert "<svg" in page


def test_only_the_running_year_is_said_to_lack_its_annual_predicates(client, rated):
    client.force_login(rated.pengelola)
    url = reverse("pembinaan:ip_asn_unit") + f"?unit={rated.dinkes.pk}&tahun="
    this_year = timezone.localdate().year
    assert "Tahun berjalan" in client.get(url + str(this_year)).content.decode()
    assert "Tahun berjalan" not in client.get(url + str(this_year - 1)).content.decode()
