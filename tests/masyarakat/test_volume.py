"""HR enter a service unit's volume of services per quarter: all four quarters of a year at once,
all or nothing, never a quarter that has not begun."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from masyarakat.models import UnitLayanan, VolumeLayanan

WIB = timezone.get_fixed_timezone(7 * 60)


@pytest.fixture
def layanan(cast):
    return UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")


@pytest.fixture
def mei_2026(time_machine):
    """Mid-May 2026: quarters I and II have begun, III and IV not."""
    time_machine.move_to(datetime(2026, 5, 14, 10, tzinfo=WIB))


def url(layanan, tahun=2026) -> str:
    return reverse("masyarakat:layanan_volume", args=[layanan.pk]) + f"?tahun={tahun}"


def stored(layanan) -> dict:
    return {
        (v.tahun, v.triwulan): v.jumlah for v in VolumeLayanan.objects.filter(unit_layanan=layanan)
    }


def form(**quarters) -> dict:
    return {f"triwulan_{ke}": "" for ke in range(1, 5)} | {
        f"triwulan_{k[1:]}": v for k, v in quarters.items()
    }


def test_hr_enter_the_quarters_that_have_begun(login, cast, layanan, mei_2026):
    client = login(cast.pengelola)
    response = client.post(url(layanan), form(t1="1200", t2="950"), follow=True)
    assert stored(layanan) == {(2026, 1): 1200, (2026, 2): 950}
    assert VolumeLayanan.objects.filter(diisi_oleh=cast.pengelola).count() == 2
    assert "Volume layanan 2026 disimpan (2 triwulan berubah)." in response.content.decode()
    # The form shows them again; an emptied quarter is removed, with its history kept.
    page = client.get(url(layanan)).content.decode()
    assert 'value="1200"' in page and 'value="950"' in page
    client.post(url(layanan), form(t1="1300"))
    assert stored(layanan) == {(2026, 1): 1300}
    assert VolumeLayanan.history.filter(triwulan=2).count() == 2  # added, then removed


def test_a_quarter_that_has_not_begun_takes_no_number(login, cast, layanan, mei_2026):
    client = login(cast.pengelola)
    page = client.get(url(layanan)).content.decode()
    assert 'placeholder="belum dimulai"' in page
    response = client.post(url(layanan), form(t1="1200", t3="800"))
    assert response.status_code == 200
    assert "Triwulan III 2026 belum dimulai" in response.content.decode()
    assert stored(layanan) == {}


@pytest.mark.parametrize(
    "typed", ["0", "-5", "seribu", "1.5", "65.0", "5.00", "1,000", "100000001", "٦٥", "６６"]
)
def test_bad_numbers_are_refused_per_quarter_and_nothing_is_saved(
    login, cast, layanan, mei_2026, typed
):
    VolumeLayanan.objects.create(unit_layanan=layanan, tahun=2026, triwulan=1, jumlah=700)
    client = login(cast.pengelola)
    response = client.post(url(layanan), form(t1="1200", t2=typed))
    assert response.status_code == 200
    assert (
        "Triwulan II 2026: isikan jumlah layanan berupa bilangan bulat lebih dari 0"
        in response.content.decode()
    )
    assert stored(layanan) == {(2026, 1): 700}


def test_thousands_grouped_by_dots_are_read_as_indonesian_write_them(
    login, cast, layanan, mei_2026
):
    login(cast.pengelola).post(url(layanan), form(t1="5.000", t2="1.250.000"))
    assert stored(layanan) == {(2026, 1): 5000, (2026, 2): 1_250_000}


def test_a_past_year_has_all_four_quarters_and_a_bad_year_is_said_and_saves_nothing(
    login, cast, layanan, mei_2026
):
    client = login(cast.pengelola)
    client.post(url(layanan, 2025), form(t1="10", t2="20", t3="30", t4="40"))
    assert stored(layanan) == {(2025, 1): 10, (2025, 2): 20, (2025, 3): 30, (2025, 4): 40}
    page = client.get(url(layanan, "2027")).content.decode()
    assert "Simpan volume 2026" in page and "Pilih tahun dari daftar (2020–2026)." in page
    for bad in ("abc", "2027", "1999", "-1"):
        response = client.post(url(layanan, bad), form(t1="12"), follow=True)
        assert "Pilih tahun dari daftar" in response.content.decode()
    assert (2026, 1) not in stored(layanan)


def test_a_quarter_missing_from_the_post_is_not_taken_for_emptied(login, cast, layanan, mei_2026):
    VolumeLayanan.objects.create(unit_layanan=layanan, tahun=2026, triwulan=2, jumlah=700)
    client = login(cast.pengelola)
    response = client.post(url(layanan), {"triwulan_1": "65"})
    assert "Triwulan II 2026 tidak terkirim" in response.content.decode()
    assert stored(layanan) == {(2026, 2): 700}
    # The quarters that have not begun are disabled in the page, so never sent: that is fine.
    client.post(url(layanan), {"triwulan_1": "65", "triwulan_2": "700"})
    assert stored(layanan) == {(2026, 1): 65, (2026, 2): 700}


def test_only_the_units_hr_and_administrators_enter_it(login, cast_lengkap, layanan, mei_2026):
    cast = cast_lengkap
    for user, status in [(cast.pengelola_lain, 404), (cast.provinsi, 404), (cast.pegawai, 403),
                         (cast.atasan, 403)]:  # fmt: skip
        client = login(user)
        assert client.get(url(layanan)).status_code == status
        assert client.post(url(layanan), form(t1="5")).status_code == status
    assert stored(layanan) == {}
    login(cast.admin).post(url(layanan), form(t1="5"))
    assert stored(layanan) == {(2026, 1): 5}
