from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from pembinaan import services
from tests import factories

URL = reverse("beranda")


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def ringkasan(cast):
    services.ringkasan_simpan(today=date(2026, 6, 1))


def test_pengelola_sees_their_units_figures_only(login, cast, ringkasan):
    manager = login(cast.pengelola).get(URL).context["manager"]
    assert [(r.unit, r.pegawai_aktif) for r in manager["units"]] == [(cast.dinkes, 2)]
    assert manager["total"]["pegawai_aktif"] == 2


def test_the_pengelolas_20_jp_card_says_it_is_their_units_and_the_targets_the_provinces(
    login, cast, ringkasan
):
    services.program_create(tahun=timezone.localdate().year, by=cast.admin)
    body = login(cast.pengelola).get(URL).content.decode()
    assert "PNS dengan ≥ 20 JP tahun ini di unit kelolaan Anda" in body
    assert "seluruh provinsi" in body.split("rincian &amp; tren")[0]
    admin_body = login(cast.admin).get(URL).content.decode()
    assert "di unit kelolaan Anda" not in admin_body


def test_admin_sees_every_opd(login, cast, ringkasan):
    manager = login(cast.admin).get(URL).context["manager"]
    assert [r.unit for r in manager["units"]] == [cast.dinkes, cast.bkd]


def test_without_figures_yet_the_dashboard_says_when_they_come_and_asks_for_nothing(
    login, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        page = login(cast.pengelola).get(URL)
    assert not callbacks  # a GET sends no job: the half-hourly one makes the figures
    assert "dihitung otomatis setiap 30 menit" in page.content.decode()


def test_the_dashboard_costs_the_same_queries_at_two_sizes(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.admin)
    services.ringkasan_simpan(today=date(2026, 6, 1))
    with django_assert_max_num_queries(30) as few:
        assert client.get(URL).status_code == 200
    for n in range(12):
        opd = factories.unit(f"OPD{n}", f"Dinas {n}")
        for _ in range(3):
            factories.pegawai(opd)
    services.ringkasan_simpan(today=date(2026, 6, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200


def test_the_atasan_sees_what_waits_for_them(login, cast, laporan):
    laporan.status = "diajukan"
    laporan.save()
    atasan = login(cast.atasan).get(URL).context["atasan"]
    assert atasan["jumlah_menunggu"] == 1 and list(atasan["menunggu_verifikasi"]) == [laporan]


def test_the_pegawai_sees_their_jp_progress(login, cast):
    factories.catatan_jp(cast.pegawai_pegawai, 12, year=timezone.localdate().year)
    context = login(cast.pegawai).get(URL).context
    saya = context["saya"]
    assert (saya["jp"], saya["jp_target"]["jp"], saya["jp_persen"]) == (12, 20, 60)
    assert "manager" not in context and "atasan" not in context


def test_the_pegawai_sees_their_reports_due(login, cast, laporan):
    assert list(login(cast.pegawai).get(URL).context["saya"]["laporan_saya"]) == [laporan]


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("admin", ["Data pegawai", "Impor pegawai", "Data referensi"], []),
        ("pengelola", ["Data pegawai", "Impor pegawai"], ["Data referensi", "Bawahan saya"]),
        ("atasan", ["Profil saya", "Bawahan saya"], ["Impor pegawai", "Data referensi"]),
        ("pegawai", ["Profil saya"], ["Bawahan saya", "Impor pegawai", "Data pegawai"]),
    ],
)
def test_the_navigation_shows_each_role_what_it_may_use(login, cast, who, shown, hidden):
    page = login(getattr(cast, who)).get(URL).content.decode()
    assert all(entry in page for entry in shown)
    assert not any(entry in page for entry in hidden)


def test_the_panel_shows_the_figures_of_the_last_job_run(login, cast, ringkasan):
    client = login(cast.admin)
    before = [r.pegawai_aktif for r in client.get(URL).context["manager"]["units"]]
    factories.pegawai(cast.bkd)
    assert [r.pegawai_aktif for r in client.get(URL).context["manager"]["units"]] == before
    services.ringkasan_simpan(today=date(2026, 6, 1))
    fresh = client.get(URL).context["manager"]
    assert [r.pegawai_aktif for r in fresh["units"]] == [2, 2] != before
