import html
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pegawai.models import Golongan, Pegawai, UnitKerja
from tests import factories
from tests.queries import cold_queries

URL = reverse("pegawai:list")


def names(response) -> list[str]:
    return [p["nama"] for p in response.context["page"]]


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_pengelola_sees_their_unit_subtree_and_not_other_units(login, cast):
    response = login(cast.pengelola).get(URL)
    assert response.status_code == 200
    assert set(names(response)) == {"Siti Atasan", "Budi Pegawai"}
    assert b"Rina Luar" not in response.content


def test_pegawai_sees_only_themselves(login, cast):
    response = login(cast.pegawai).get(URL)
    assert names(response) == ["Budi Pegawai"]


def test_it_searches_part_of_a_name_case_insensitively(login, cast):
    response = login(cast.admin).get(URL, {"q": "budi peg"})
    assert names(response) == ["Budi Pegawai"]


def test_it_searches_a_nip_prefix_written_with_spaces(login, cast):
    nip = cast.outsider_pegawai.nip
    response = login(cast.admin).get(URL, {"q": f"{nip[:8]} {nip[8:12]}"})
    assert names(response) == ["Rina Luar"]


def test_a_name_search_shorter_than_three_letters_is_explained_not_run(login, cast):
    response = login(cast.admin).get(URL, {"q": "bu"})
    text = response.content.decode()
    assert "minimal 3 huruf" in text
    # The list below is the unsearched one, and says so beside its count.
    assert "Daftar di bawah belum disaring menurut pencarian ini." in text
    assert len(names(response)) == 3


def test_the_unit_filter_includes_sub_units(login, cast):
    response = login(cast.admin).get(URL, {"unit": cast.dinkes.pk})
    assert set(names(response)) == {"Siti Atasan", "Budi Pegawai"}


def test_a_pengelola_cannot_filter_on_a_unit_outside_their_scope(login, cast):
    response = login(cast.pengelola).get(URL, {"unit": cast.bkd.pk})
    assert "unit" in response.context["filter"].form.errors
    assert "Rina Luar" not in names(response)


def test_it_filters_by_golongan_status_and_jenis_jabatan(login, cast):
    factories.pegawai(cast.yankes, nama="Pppk Satu", status="pppk")
    client = login(cast.admin)
    assert names(client.get(URL, {"status_kepegawaian": "pppk"})) == ["Pppk Satu"]
    assert names(client.get(URL, {"golongan": 109})) == ["Pppk Satu"]
    assert names(client.get(URL, {"jenis_jabatan": "pengawas"})) == []


def test_inactive_pegawai_are_hidden_unless_asked_for(login, cast):
    Pegawai.objects.filter(pk=cast.outsider_pegawai.pk).update(
        aktif=False, alasan_nonaktif="pensiun"
    )
    client = login(cast.admin)
    assert "Rina Luar" not in names(client.get(URL))
    assert names(client.get(URL, {"aktif": "tidak"})) == ["Rina Luar"]
    assert len(names(client.get(URL, {"aktif": "semua"}))) == 3


def test_each_row_shows_the_name_with_titles_nip_golongan_jabatan_unit_and_status(login, cast):
    pppk = factories.pegawai(
        cast.yankes, nama="Ahmad Fauzi", status="pppk", gelar_depan="dr.", gelar_belakang="M.Kes."
    )
    html = login(cast.admin).get(URL, {"q": "fauzi"}).content.decode()
    cells = (
        f'<a href="/pegawai/{pppk.pk}/">dr. Ahmad Fauzi, M.Kes.</a>',
        f'<td class="nip">{pppk.nip_tampil}</td>',
        "<td>PPPK IX</td>",  # grade IX (code 109)
        f"<td>{pppk.jabatan.nama}</td>",
        "<td>Bidang Pelayanan Kesehatan</td>",
        "<td>PPPK</td>",
    )
    assert all(cell in html for cell in cells), html


def test_names_are_escaped_once(login, cast):
    factories.pegawai(cast.yankes, nama="Ma'ruf <b>Amin</b> & Co")
    html = login(cast.admin).get(URL, {"q": "ruf"}).content.decode()
    assert "Ma&#x27;ruf &lt;b&gt;Amin&lt;/b&gt; &amp; Co</a>" in html
    assert "<b>Amin" not in html and "&amp;lt;" not in html


def test_a_renamed_jabatan_or_unit_is_listed_under_its_new_name_at_once(login, cast):
    client = login(cast.admin)
    client.get(URL)  # the names are cached now
    jabatan = cast.pegawai_pegawai.jabatan
    jabatan.nama = "Pranata Komputer Ahli Muda"
    jabatan.save()
    cast.yankes.nama = "Bidang Layanan Kesehatan"
    cast.yankes.save()
    html = client.get(URL, {"q": "budi"}).content.decode()
    assert "<td>Pranata Komputer Ahli Muda</td>" in html
    assert "<td>Bidang Layanan Kesehatan</td>" in html


def test_the_count_follows_every_change_of_pegawai_and_units_at_once(login, cast):
    client = login(cast.pengelola)
    assert client.get(URL).context["total"] == 2
    added = factories.pegawai(cast.yankes, nama="Baru Masuk")
    assert client.get(URL).context["total"] == 3
    added.aktif, added.alasan_nonaktif = False, "pindah"
    added.save()
    assert client.get(URL).context["total"] == 2
    UnitKerja.objects.move(
        cast.yankes, cast.bkd, pos="last-child"
    )  # the subtree the pengelola manages shrinks
    assert client.get(URL).context["total"] == 0


def test_htmx_requests_get_only_the_table(login, cast):
    response = login(cast.admin).get(URL, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "pegawai/_pegawai_list_hasil.html"
    assert b"<html" not in response.content


def make_many(unit, count: int) -> None:
    golongan = Golongan.objects.get(kode=32)
    jabatan = factories.jabatan()
    rows = []
    for i in range(count):
        born = date(1980, 1 + (i // 999) % 12, 1)
        rows.append(
            Pegawai(
                nip=factories.nip_for(born, date(2005, 1, 1), "L", i % 999 + 1),
                nama=f"Massal {i:04d}",
                status_kepegawaian="pns",
                jenis_kelamin="L",
                tempat_lahir="Jambi",
                tanggal_lahir=born,
                tmt_cpns=date(2005, 1, 1),
                tmt_pns=date(2006, 1, 1),
                golongan=golongan,
                tmt_golongan=date(2019, 1, 1),
                jabatan=jabatan,
                tmt_jabatan=date(2020, 1, 1),
                unit=unit,
                pendidikan_terakhir="s1",
            )
        )
    Pegawai.objects.bulk_create(rows)


def pages_through(client, params: dict) -> list[str]:
    seen, cursor = [], None
    while True:
        response = client.get(URL, params | ({"setelah": cursor} if cursor else {}))
        seen += names(response)
        cursor = response.context["page"].next_cursor
        if cursor is None:
            return seen


def test_keyset_pages_cover_every_row_once_in_name_order(login, cast):
    make_many(cast.yankes, 120)
    seen = pages_through(login(cast.pengelola), {})
    assert len(seen) == 122 and len(set(seen)) == 122
    assert seen == sorted(seen)


def test_the_previous_link_returns_to_the_page_before(login, cast):
    make_many(cast.yankes, 120)
    client = login(cast.pengelola)
    first = client.get(URL)
    second = client.get(URL, {"setelah": first.context["page"].next_cursor})
    back = client.get(URL, {"sebelum": second.context["page"].previous_cursor})
    assert names(back) == names(first)


def test_a_tampered_cursor_shows_the_first_page(login, cast):
    response = login(cast.admin).get(URL, {"setelah": "bukan-kursor!!"})
    assert response.status_code == 200
    assert len(names(response)) == 3


@pytest.mark.parametrize("user", ["admin", "pengelola"])
def test_the_query_count_does_not_grow_with_the_rows(
    login, cast, user, django_assert_max_num_queries
):
    client = login(getattr(cast, user))
    params = {"q": "massal", "unit": cast.dinkes.pk}
    make_many(cast.yankes, 50)
    with cold_queries() as small:
        client.get(URL, params)
    Pegawai.objects.filter(nama__startswith="Massal").delete()
    make_many(cast.yankes, 500)
    # 10 for the page, 2 for the top bar (waiting tasks, unread notifications)
    with django_assert_max_num_queries(12), cold_queries() as large:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert len(response.context["page"]) == 50
    assert len(large) == len(small)


def test_a_name_search_is_counted_by_its_page_not_by_a_count_query(login, cast):
    """A part of a name is not counted (its trigram candidates would all be read): one page
    says how many; more than a page says "more than 50", on every page of it."""
    make_many(cast.yankes, 55)
    client = login(cast.admin)
    listed = client.get(URL, {"unit": cast.yankes.pk})  # no search: counted
    assert (listed.context["total"], listed.context["more"]) == (57, False)
    searched = client.get(URL, {"q": "massal"})
    assert (searched.context["total"], searched.context["more"]) == (50, True)
    assert "Lebih dari 50 pegawai cocok" in searched.content.decode()
    last = client.get(URL, {"q": "massal", "setelah": searched.context["page"].next_cursor})
    assert len(last.context["page"]) == 5
    assert (last.context["total"], last.context["more"]) == (50, True)
    back = client.get(URL, {"q": "massal", "sebelum": last.context["page"].previous_cursor})
    assert (back.context["total"], back.context["more"]) == (50, True)
    one_page = client.get(URL, {"q": "massal 001"})  # Massal 0010 to 0019
    assert (one_page.context["total"], one_page.context["more"]) == (10, False)
    assert "10 pegawai cocok." in one_page.content.decode()
    by_nip = client.get(URL, {"q": "19800101"})  # a NIP prefix is counted in full
    assert by_nip.context["more"] is False and by_nip.context["total"] > 50
    # A name search costs one query fewer than a NIP search, which is counted.
    with CaptureQueriesContext(connection) as by_name:
        client.get(URL, {"q": "massal"})
    with CaptureQueriesContext(connection) as by_nip:
        client.get(URL, {"q": "19800101"})
    assert len(by_name) == len(by_nip) - 1


def test_filtering_with_htmx_swaps_in_download_links_that_export_the_filtered_list(login, cast):
    client = login(cast.pengelola)
    fragment = client.get(URL, {"q": "budi"}, HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'<span id="ekspor-pegawai"[^>]*hx-swap-oob="true"', fragment)
    links = [html.unescape(h) for h in re.findall(r'href="(/pegawai/ekspor\.[^"]*)"', fragment)]
    assert len(links) == 2 and all("q=budi" in link for link in links)
    csv_link = next(link for link in links if ".csv" in link)
    text = b"".join(client.get(csv_link).streaming_content).decode("utf-8-sig")
    assert "Budi Pegawai" in text and "Siti Atasan" not in text


def test_a_pages_download_links_leave_out_the_page_cursor(login, cast):
    page = login(cast.pengelola).get(URL, {"q": "budi", "setelah": "x"}).content.decode()
    links = re.findall(r'href="(/pegawai/ekspor\.[^"]*)"', page)
    assert links and all("setelah" not in link and "q=budi" in link for link in links)


def test_a_too_short_search_through_htmx_says_so(login, cast):
    fragment = login(cast.admin).get(URL, {"q": "bu"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Ketik minimal 3 huruf" in fragment
    assert 'id="pesan-cari"' in fragment and 'hx-swap-oob="true"' in fragment


def test_back_in_the_browser_gets_the_whole_page_with_the_form_as_the_url_says(login, cast):
    response = login(cast.admin).get(
        URL, {"q": "budi"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    page = response.content.decode()
    assert '<form method="get"' in page and 'value="budi"' in page
    assert 'hx-history="false"' in page  # htmx keeps no snapshot: Back asks for the page
    assert "HX-Request" in response["Vary"]


def test_a_search_reads_full_width_characters_and_runs_of_spaces_as_plain(login, cast):
    client = login(cast.pengelola)
    assert names(client.get(URL, {"q": "ｂｕｄｉ"})) == ["Budi Pegawai"]
    assert names(client.get(URL, {"q": "budi  pegawai"})) == ["Budi Pegawai"]
    nip = cast.pegawai_pegawai.nip[:8]
    full_width = nip.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    assert "Budi Pegawai" in names(client.get(URL, {"q": full_width}))


def test_a_page_past_the_end_of_a_changed_list_leads_back_to_the_first(login, cast):
    """A cursor past the last name (the list changed, or an old address) said "51 pegawai
    cocok" over "Tidak ada pegawai yang cocok": it now says why and links to page one."""
    from pembinaan.lib.pagination import encode_cursor

    client = login(cast.pengelola)
    past = encode_cursor(["Zzzz", 10**9])
    for url in [URL, reverse("pembinaan:jp_kepatuhan")]:
        page = client.get(url, {"setelah": past}).content.decode()
        assert "daftarnya berubah sejak halaman sebelumnya dibuka, atau alamat" in page, url
        assert ">Ke halaman pertama</a>" in page, url
    assert "daftarnya berubah" not in client.get(URL, {"q": "tidak ada"}).content.decode()


def test_the_golongan_column_names_a_pppk_grade_as_such(login, cast):
    factories.pegawai(cast.yankes, nama="Putri Kontrak", status="pppk")  # grade IX
    rows = {p["nama"]: p for p in login(cast.pengelola).get(URL).context["page"]}
    assert rows["Putri Kontrak"]["golongan"] == "PPPK IX"  # a bare "IX" reads as a PNS golongan
    assert rows["Budi Pegawai"]["golongan"] == "III/b"
