"""The 20 JP compliance page: per unit and year the share of PNS at 20 JP, PPPK over their cap,
and the PNS below it; this year's figures are the dashboard's stored ones (pembinaan)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from pegawai.models import Pegawai
from pembinaan import services
from tests import factories
from tests.queries import cold_queries

ledger = factories.catatan_jp


def test_compliance_counts_pns_at_20_jp_and_pppk_over_their_cap(login, cast):
    ledger(cast.pegawai_pegawai, 20, year=2026)
    ledger(cast.atasan_pegawai, 19, year=2026)
    pppk = factories.pegawai(cast.yankes, status="pppk")
    ledger(pppk, 30, year=2026)
    page = login(cast.pengelola).get(reverse("pembinaan:jp_kepatuhan"), {"tahun": 2026})
    ringkasan = page.context["ringkasan"]
    assert (ringkasan.pns, ringkasan.pns_patuh, ringkasan.pppk, ringkasan.pppk_lebih) == (
        2,
        1,
        1,
        1,
    )
    assert [p["nama"] for p in page.context["page"]] == ["Siti Atasan"]
    assert ringkasan.persen_patuh == 50.0
    assert f'<td>{cast.yankes.nama}</td><td class="text-end">19</td>' in page.content.decode()


def test_compliance_is_for_managers_and_their_units(login, cast):
    ledger(cast.outsider_pegawai, 1, year=timezone.localdate().year)  # the page shows this year
    page = login(cast.pengelola).get(reverse("pembinaan:jp_kepatuhan"))
    shown = [p["pk"] for p in page.context["page"]]
    assert cast.atasan_pegawai.pk in shown and cast.outsider_pegawai.pk not in shown
    assert login(cast.pegawai).get(reverse("pembinaan:jp_kepatuhan")).status_code == 403


def test_the_compliance_page_makes_the_same_queries_at_two_sizes(
    login, cast, django_assert_max_num_queries
):
    client = login(cast.pengelola)
    url = reverse("pembinaan:jp_kepatuhan")
    for person in [factories.pegawai(cast.yankes) for _ in range(5)]:
        ledger(person, 8, year=2026)
    with cold_queries() as small:
        client.get(url, {"tahun": 2026, "unit": cast.dinkes.pk})
    for person in [factories.pegawai(cast.yankes) for _ in range(60)]:
        ledger(person, 8, year=2026)
    with django_assert_max_num_queries(12), cold_queries() as large:
        assert client.get(url, {"tahun": 2026, "unit": cast.dinkes.pk}).status_code == 200
    assert len(large) == len(small)


def test_this_years_compliance_figures_are_the_dashboards_stored_ones_and_say_when(login, cast):
    year = timezone.localdate().year
    ledger(cast.pegawai_pegawai, 20, year=year)
    ledger(cast.atasan_pegawai, 19, year=year)
    ledger(cast.outsider_pegawai, 25, year=year)
    ledger(factories.pegawai(cast.yankes, status="pppk"), 30, year=year)
    services.ringkasan_simpan(today=timezone.localdate())
    ledger(cast.atasan_pegawai, 5, year=year)  # after the run: the list shows it, the figures not
    url = reverse("pembinaan:jp_kepatuhan")
    client = login(cast.pengelola)

    page = client.get(url, {"tahun": year})
    stored = page.context["ringkasan"]
    assert (stored.pns, stored.pns_patuh, stored.pppk, stored.pppk_lebih) == (2, 1, 1, 1)
    assert stored.dihitung_at is not None
    assert "serta setiap 30 menit" in page.content.decode()
    assert list(page.context["page"]) == []  # Siti Atasan has 24 JP now
    unit = client.get(url, {"tahun": year, "unit": cast.yankes.pk}).context["ringkasan"]
    assert (unit.pns, unit.pns_patuh, unit.dihitung_at) == (2, 1, stored.dihitung_at)
    province = login(cast.admin).get(url, {"tahun": year}).context["ringkasan"]
    assert (province.pns, province.pns_patuh) == (3, 2)

    last_year = login(cast.admin).get(url, {"tahun": year - 1}).context["ringkasan"]
    assert (last_year.dihitung_at, last_year.pns, last_year.pns_patuh) == (None, 3, 0)  # live


def test_the_list_below_20_jp_pages_by_name_forward_and_back(cast):
    """Two JP entries summed per pegawai, the year's only (not last year's), PNS and CPNS but not
    PPPK nor those who left, the pengelola's units only; ties on the name kept apart by id."""
    from pelatihan.reports import pns_di_bawah_target_page

    gizi = factories.unit("DINKES.GIZI", "Seksi Gizi", parent=cast.dinkes)
    made = {}
    for nama, jp, extra in [
        ("Ahmad", 0, {}), ("Budi", 19, {}), ("Budi", 12, {}), ("Citra", 20, {}),
        ("Dewi", 4, {"status": "cpns"}), ("Eka", 3, {"status": "pppk"}),
        ("Fajar", 1, {"aktif": False, "alasan_nonaktif": "pensiun"}),
        ("Gita", 10, {}), ("Hana", 25, {}), ("Intan", 7, {}),
    ]:  # fmt: skip
        person = factories.pegawai(gizi, nama=nama, **extra)
        for part in [jp - jp // 2, jp // 2]:  # two entries a year
            if part:
                ledger(person, part, year=2026)
        ledger(person, 30, year=2025)
        made.setdefault(nama, []).append(person.pk)
    factories.pegawai(cast.outsider_pegawai.unit, nama="Ade")  # not the pengelola's
    scope = Pegawai.objects.managed_by(cast.pengelola).filter(unit_id=gizi.pk)
    expected = [
        ("Ahmad", 0), ("Budi", 19), ("Budi", 12), ("Dewi", 4), ("Gita", 10), ("Intan", 7)
    ]  # fmt: skip

    seen, after = [], None
    while True:
        page = pns_di_bawah_target_page(scope, 2026, after=after, before=None, per_page=2)
        seen += [(r["nama"], r["jp_tahun"]) for r in page]
        if not page.has_next:
            break
        after = page.next_cursor
    assert seen == expected
    assert [r["pk"] for r in pns_di_bawah_target_page(scope, 2026, after=None, before=None)][
        1:3
    ] == sorted(made["Budi"])

    back, before = [], page.previous_cursor
    while before:
        page = pns_di_bawah_target_page(scope, 2026, after=None, before=before, per_page=2)
        back = [(r["nama"], r["jp_tahun"]) for r in page] + back
        before = page.previous_cursor
    assert back == expected[:-2]


def test_a_cursor_with_a_number_for_the_name_pages_from_text_and_never_fails(login, cast):
    """A tampered cursor [123, 5] (a number where the key is a name) is read as the text "123"
    in the raw SQL of PostgreSQL as in the ORM's; it failed there (a reviewer's finding)."""
    import base64
    import json

    token = base64.urlsafe_b64encode(json.dumps([123, 5]).encode()).decode().rstrip("=")
    client = login(cast.pengelola)
    for param in ["setelah", "sebelum"]:
        page = client.get(reverse("pembinaan:jp_kepatuhan"), {"tahun": 2026, param: token})
        assert page.status_code == 200
    # Names sort after "123" (letters after digits): Siti Atasan and the pegawai are listed.
    after = client.get(reverse("pembinaan:jp_kepatuhan"), {"tahun": 2026, "setelah": token})
    assert {p["pk"] for p in after.context["page"]} >= {cast.atasan_pegawai.pk}


def test_a_unit_or_year_it_cannot_use_is_said_not_dropped(login, cast):
    """?unit= of another OPD or ?tahun=abc showed the whole scope or this year without a word."""
    client = login(cast.pengelola)
    this_year = timezone.localdate().year
    url = reverse("pembinaan:jp_kepatuhan")
    page = client.get(url, {"unit": cast.bkd.pk, "tahun": "abc"})
    assert page.context["chosen"] is None and page.context["tahun"] == this_year
    text = page.content.decode()
    assert "Unit yang diminta tidak ada atau bukan unit kelolaan Anda" in text
    assert f"Tahun “abc” tidak tersedia; ditampilkan tahun {this_year}." in text
    fine = client.get(url, {"unit": cast.yankes.pk, "tahun": this_year}).content.decode()
    assert "alert-warning" not in fine
    for name in ["pelatihan:kompetensi_unit", "pelatihan:rencana_unit"]:
        other = client.get(reverse(name), {"unit": cast.bkd.pk}).content.decode()
        assert "bukan unit kelolaan Anda" in other, name
    # A year written with a space is read; a page without a year says nothing of it.
    spaced = client.get(url, {"tahun": f" {this_year - 1}"})
    assert spaced.context["tahun"] == this_year - 1
    assert "tidak tersedia" not in spaced.content.decode()
    kompetensi = client.get(reverse("pelatihan:kompetensi_unit"), {"tahun": "abc"})
    assert "tidak tersedia" not in kompetensi.content.decode()


def test_the_export_has_the_pages_columns_and_its_grouped_nip(login, cast):
    ledger(cast.atasan_pegawai, 19, year=2026)
    response = login(cast.pengelola).get(
        reverse("pembinaan:jp_kepatuhan"), {"tahun": 2026, "format": "csv"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = [line.split(",") for line in text.splitlines()]
    assert rows[0] == ["Nama", "NIP", "Unit kerja", "Status", "JP 2026"]
    atasan = next(r for r in rows if r[0] == "Siti Atasan")
    assert atasan[1] == cast.atasan_pegawai.nip_tampil and " " in atasan[1]
    assert atasan[4] == "19"


def test_a_year_out_of_the_choices_does_not_drop_the_unit(login, cast):
    """?tahun=2010 (a sensible number, not one of the page's years) made the whole form invalid
    and the chosen unit was dropped with it: the year falls back and says so, the unit stays."""
    this_year = timezone.localdate().year
    page = login(cast.pengelola).get(
        reverse("pembinaan:jp_kepatuhan"), {"unit": cast.yankes.pk, "tahun": 2010}
    )
    assert page.context["chosen"].pk == cast.yankes.pk
    assert page.context["tahun"] == this_year
    assert f"Tahun “2010” tidak tersedia; ditampilkan tahun {this_year}." in page.content.decode()


def test_a_past_year_counts_only_the_pns_appointed_by_then(login, cast):
    """The 2022 list named PNS appointed in 2024 as below 20 JP in 2022."""
    late = factories.pegawai(cast.yankes, nama="Baru Diangkat")
    Pegawai.objects.filter(pk=late.pk).update(tmt_cpns=date(2024, 3, 1))
    client = login(cast.pengelola)
    url = reverse("pembinaan:jp_kepatuhan")
    then = client.get(url, {"tahun": 2022})
    assert "Baru Diangkat" not in [p["nama"] for p in then.context["page"]]
    later = client.get(url, {"tahun": 2024})
    assert "Baru Diangkat" in [p["nama"] for p in later.context["page"]]
    assert later.context["ringkasan"].pns == then.context["ringkasan"].pns + 1


def test_the_exports_name_says_the_unit_it_holds(login, cast):
    client = login(cast.pengelola)
    url = reverse("pembinaan:jp_kepatuhan")
    one = client.get(url, {"unit": cast.yankes.pk, "tahun": 2026, "format": "csv"})
    assert 'filename="di-bawah-20-jp-dinkes-yankes-2026-' in one["Content-Disposition"]
    every = client.get(url, {"tahun": 2026, "format": "csv"})
    assert 'filename="di-bawah-20-jp-2026-' in every["Content-Disposition"]
