"""The public open data page (/data/): its figures equal hand computations, groups under five
people are hidden, nothing personal is ever in the page or a download, the CSVs have the columns
the README names, the query count does not grow with the data, and bad years get a message."""

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from evaluasi.models import AksiPerubahan
from masyarakat import rekap
from masyarakat.models import (
    ForumDialog,
    Masukan,
    PendaftaranForum,
    ResponSurvei,
    TindakLanjut,
    UnitLayanan,
)
from pegawai.models import Pegawai, User
from pembinaan import data_terbuka, services
from tests import factories
from tests.queries import cold_queries

YEAR = 2025  # a past year: the figures do not move with today's date


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def responses(layanan, day: date, n: int, answer: int) -> None:
    rows = [
        ResponSurvei(
            unit_layanan=layanan, tanggal=day, usia="20_29", jenis_kelamin="L",
            pendidikan="sma", pekerjaan="swasta", saran="Antrean terlalu panjang sekali",
            **{f"u{k}": answer for k in range(1, 10)},
        )
        for _ in range(n)
    ]  # fmt: skip
    ResponSurvei.objects.bulk_create(rows)


def masukan(layanan, *, forwarded: date | None, answered: date | None, status="ditanggapi"):
    m = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Petugas loket tidak ramah kepada saya",
        nama="Warga Rahasia", email="warga.rahasia@example.com", status=status,
        alasan_moderasi="Iklan" if status == "spam" else "",
    )  # fmt: skip
    Masukan.objects.filter(pk=m.pk).update(
        created_at=at(forwarded or date(YEAR, 3, 3), 8),
        dimoderasi_at=forwarded and at(forwarded),
        ditanggapi_at=answered and at(answered),
    )
    return m


@pytest.fixture
def world(cast):
    """Poli Umum: 5 respondents in Q1 (all 3), 4 in Q2 (all 4); 10 feedback forwarded on Monday
    3 March, 5 answered on the Wednesday, 5 a week later; a forum with two actions, one done.
    Loket Perizinan: 4 feedback. Dinas Kesehatan: 10 PNS, 5 with 20 JP; BKD: 4 PNS."""
    poli = UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")
    loket = UnitLayanan.objects.create(unit=cast.bkd, nama="Loket Perizinan", kode="loket")
    responses(poli, date(YEAR, 2, 10), 5, 3)
    responses(poli, date(YEAR, 5, 10), 4, 4)
    rekap.bangun()
    for _ in range(5):
        masukan(poli, forwarded=date(YEAR, 3, 3), answered=date(YEAR, 3, 5))
    for _ in range(5):
        masukan(poli, forwarded=date(YEAR, 3, 3), answered=date(YEAR, 3, 12))
    masukan(poli, forwarded=None, answered=None, status="spam")
    for _ in range(4):
        masukan(loket, forwarded=date(YEAR, 3, 3), answered=date(YEAR, 3, 4))
    forum = ForumDialog.objects.create(
        topik="Antrean poli", unit_layanan=poli, waktu=at(date(YEAR, 4, 15)), format="tatap_muka",
        kapasitas=30, agenda="Agenda", status="selesai", notulen="Notulen", jumlah_hadir=12,
    )  # fmt: skip
    PendaftaranForum.objects.create(
        forum=forum, nama="Pendaftar Forum", kontak="pendaftar@example.com", status="terdaftar"
    )
    for status in ("selesai", "berjalan"):
        TindakLanjut.objects.create(
            forum=forum, uraian="Tambah kursi", penanggung_jawab=cast.atasan_pegawai,
            tenggat=date(YEAR, 6, 1), status=status,
        )  # fmt: skip
    AksiPerubahan.objects.create(
        pegawai=cast.pegawai_pegawai, mentor=cast.atasan_pegawai, unit=cast.yankes,
        judul="Antrean daring", masalah="M", layanan="Pendaftaran", inovasi="I", manfaat="F",
        tanggal_mulai=date(YEAR, 1, 6), status="berkelanjutan",
    )  # fmt: skip
    dinkes = [cast.atasan_pegawai, cast.pegawai_pegawai]
    dinkes += [factories.pegawai(cast.yankes) for _ in range(8)]
    for p in dinkes[:5]:
        factories.catatan_jp(p, 20, year=YEAR)
    factories.catatan_jp(dinkes[5], 19, year=YEAR)
    for _ in range(3):
        factories.pegawai(cast.bkd)
    return cast


def download(client, slug: str, tahun=YEAR) -> list[dict]:
    response = client.get(reverse("data_terbuka_csv", args=[slug]), {"tahun": tahun})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def by(rows: list[dict], key: str) -> dict[str, dict]:
    return {row[key]: row for row in rows}


def test_the_ikm_per_quarter_equals_the_hand_computation_and_hides_four_respondents(client, world):
    rows = download(client, "ikm-unit-layanan")
    poli = {r["periode"]: r for r in rows if r["unit_layanan"] == "Poli Umum"}
    # Q1: five answered 3 on every element: NRR 3, IKM 3 × 25 = 75.00, mutu C.
    assert (poli["2025-T1"]["responden"], poli["2025-T1"]["ikm_konversi"]) == ("5", "75.00")
    assert poli["2025-T1"]["mutu"] == "C" and poli["2025-T1"]["opd"] == "Dinas Kesehatan"
    # Q2: four respondents: hidden.
    assert (poli["2025-T2"]["responden"], poli["2025-T2"]["ikm_konversi"]) == ("<5", "")
    # The year adds up only the quarters shown: Q1's five, 75.00, C (Q2 would be given away by
    # subtracting Q1 from the year).
    assert (poli["2025"]["responden"], poli["2025"]["ikm_konversi"]) == ("5", "75.00")
    assert poli["2025"]["mutu"] == "C" and poli["2025"]["periode_label"] == "Tahun 2025"
    assert poli["2025-T3"]["responden"] == "0" and poli["2025-T3"]["ikm_konversi"] == ""
    trend = by(download(client, "ikm-tren-provinsi"), "periode")
    assert trend["2025-T1"]["ikm_konversi"] == "75.00" and trend["2025-T2"]["responden"] == "0"
    assert trend["2025-T1"]["periode_label"] == "Triwulan I 2025"
    assert set(trend) == {f"{y}-T{k}" for y in (2024, 2025) for k in range(1, 5)}


def test_the_page_writes_the_figures_the_indonesian_way_and_says_what_is_hidden(client, world):
    page = client.get(reverse("data_terbuka"), {"tahun": YEAR}).content.decode()
    assert "75,00 (C)" in page
    assert "&lt; 5, disembunyikan" in page
    assert "50,0 %" in page  # feedback answered on time at Poli Umum
    assert 'role="img"' in page and "<title>" in page and "<table" in page


def test_feedback_on_time_and_response_days_equal_the_hand_computation(client, world):
    rows = by(download(client, "masukan-per-unit-layanan"), "unit_layanan")
    poli = rows["Poli Umum"]
    # Ten received (the spam left out), ten forwarded on Monday 3 March 2025; the deadline is
    # 5 working days later, Monday 10 March: five answered on the 5th (2 working days) are on
    # time, five on the 12th (7 working days) are late. 5 of 10 = 50.0 %; (5×2 + 5×7)/10 = 4.50.
    assert (poli["diterima"], poli["diteruskan"], poli["belum_jatuh_tempo"]) == ("10", "10", "0")
    assert poli["ditanggapi_tepat_waktu"] == "5"
    assert (poli["persen_tepat_waktu"], poli["rata_hari_kerja_tanggapan"]) == ("50.0", "4.50")
    loket = rows["Loket Perizinan"]
    assert (loket["diterima"], loket["diteruskan"], loket["persen_tepat_waktu"]) == ("<5", "<5", "")
    assert loket["rata_hari_kerja_tanggapan"] == ""


def test_forums_and_their_follow_up_actions_are_counted(client, world):
    poli = by(download(client, "forum-dialog"), "unit_layanan")["Poli Umum"]
    assert (poli["forum_terlaksana"], poli["tindak_lanjut"], poli["tindak_lanjut_selesai"]) == (
        "1", "2", "1",
    )  # fmt: skip
    assert poli["persen_selesai"] == "50.0"


def test_change_projects_in_use_are_counted_per_opd(client, world):
    rows = by(download(client, "aksi-perubahan"), "opd")
    assert rows["Dinas Kesehatan"]["digunakan"] == "1"
    assert rows["Dinas Kesehatan"]["berjalan"] == "0"


def test_the_20_jp_share_per_opd_shows_five_and_hides_four(client, world):
    rows = by(download(client, "pns-20-jp-per-opd"), "opd")
    # Dinas Kesehatan: 10 PNS, five with 20 JP (one with 19 is short): 50.0 %.
    assert rows["Dinas Kesehatan"] == {
        "opd": "Dinas Kesehatan", "pns": "10", "pns_20_jp": "5", "persen_pns_20_jp": "50.0",
    }  # fmt: skip
    # BKD: four PNS, a group under five.
    assert rows["Badan Kepegawaian Daerah"]["pns"] == "<5"
    assert rows["Badan Kepegawaian Daerah"]["persen_pns_20_jp"] == ""


def test_a_share_whose_other_side_is_under_five_is_hidden(client, world):
    for p in Pegawai.objects.filter(unit=world.yankes).order_by("pk")[5:9]:
        factories.catatan_jp(p, 20, year=YEAR)  # nine of ten: one left short
    row = by(download(client, "pns-20-jp-per-opd"), "opd")["Dinas Kesehatan"]
    assert (row["pns"], row["pns_20_jp"], row["persen_pns_20_jp"]) == ("10", "<5", "")


def test_the_zip_holds_every_csv_and_a_readme_naming_their_columns(client, world):
    response = client.get(reverse("data_terbuka_zip"), {"tahun": YEAR})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    readme = archive.read("README.txt").decode()
    assert "CC BY 4.0" in readme and "Dibuat: " in readme
    csvs = [n for n in names if n.endswith(".csv")]
    assert len(csvs) == 6 and all(n.endswith(f"-{YEAR}.csv") for n in csvs)
    for name in csvs:
        header = next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        assert f"{name}:" in readme
        section = readme.split(f"{name}:")[1].split(".csv:")[0]
        assert [line.split(":")[0].strip() for line in section.splitlines()
                if line.startswith("  ")] == header  # fmt: skip
        slug = name.removesuffix(f"-{YEAR}.csv")
        assert (
            archive.read(name)
            == client.get(reverse("data_terbuka_csv", args=[slug]), {"tahun": YEAR}).content
        )


def test_anonymous_citizens_read_it_without_an_account_and_find_it_from_their_pages(client, cast):
    page = client.get(reverse("data_terbuka"))
    assert page.status_code == 200
    assert page.context["tahun"] == timezone.localdate().year
    assert reverse("data_terbuka") in client.get(reverse("masyarakat:warga")).content.decode()


@pytest.mark.parametrize(
    "tahun",
    ["abc", "2019", "3000", "9" * 40, "²⁰²⁵", "٢٠٢٥", "2025.5", "-2025", "' OR 1=1", "2025 2026"],
)
def test_a_bad_year_gets_a_message_and_never_a_500(client, cast, tahun):
    for name, args in (("data_terbuka", []), ("data_terbuka_csv", ["forum-dialog"]),
                       ("data_terbuka_zip", [])):  # fmt: skip
        response = client.get(reverse(name, args=args), {"tahun": tahun})
        assert response.status_code == 400, (name, tahun)
        assert "pilih salah satunya" in response.content.decode() or "berupa angka" in (
            response.content.decode()
        )


def test_an_unknown_dataset_is_not_found(client, cast):
    assert client.get(reverse("data_terbuka_csv", args=["pegawai"])).status_code == 404


def test_a_post_is_refused(client, cast):
    assert client.post(reverse("data_terbuka")).status_code == 405


def grow(cast, n: int) -> None:
    """n more OPDs, each with a service unit, responses, feedback, a forum and a project."""
    for i in range(n):
        opd = factories.unit(f"OPD{i}", f"Dinas Contoh {i}")
        layanan = UnitLayanan.objects.create(unit=opd, nama=f"Layanan {i}", kode=f"l{i}")
        responses(layanan, date(YEAR, 2, 10), 6, 4)
        masukan(layanan, forwarded=date(YEAR, 3, 3), answered=date(YEAR, 3, 4))
        ForumDialog.objects.create(
            topik="F", unit_layanan=layanan, waktu=at(date(YEAR, 4, 15)), format="daring",
            kapasitas=10, agenda="A", status="selesai", notulen="N", jumlah_hadir=5,
        )  # fmt: skip
        for _ in range(6):
            factories.pegawai(opd)
    rekap.bangun()


@pytest.mark.parametrize("tahun", [YEAR, None])
def test_the_query_count_does_not_grow_with_the_data(client, world, tahun):
    params = {"tahun": tahun} if tahun else {}
    services.ringkasan_simpan(today=timezone.localdate())
    with cold_queries() as few:
        assert client.get(reverse("data_terbuka"), params).status_code == 200
    grow(world, 8)
    services.ringkasan_simpan(today=timezone.localdate())
    with cold_queries() as many:
        assert client.get(reverse("data_terbuka"), params).status_code == 200
    assert len(many) == len(few) <= 13


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--pegawai", "120", stdout=open("/dev/null", "w"))  # noqa: SIM115


def personal(text: str) -> list[str]:
    """Every NIP, name and email of the demo's people, and every free text of its citizens,
    found in `text`."""
    needles = set()
    for nip, nama in Pegawai.objects.values_list("nip", "nama"):
        needles |= {nip, nama}
    for email, first, last in User.objects.values_list("email", "first_name", "last_name"):
        needles |= {email, f"{first} {last}".strip()}
    for row in Masukan.objects.values_list(
        "nama", "kontak", "email", "isi", "tanggapan", "balasan", "ulasan_tanggapan",
        "tanggapan_pegawai",
    ):  # fmt: skip
        needles |= set(row)
    needles |= set(ResponSurvei.objects.values_list("saran", flat=True))
    for row in PendaftaranForum.objects.values_list("nama", "kontak", "organisasi"):
        needles |= set(row)
    needles = {n for n in needles if n and len(n) >= 5}
    return sorted(n for n in needles if n in text)


SLUGS = ["ikm-unit-layanan", "ikm-tren-provinsi", "masukan-per-unit-layanan", "forum-dialog",
         "aksi-perubahan", "pns-20-jp-per-opd"]  # fmt: skip


def everything(client, tahun: int) -> list[str]:
    """The page, each CSV and every file of the ZIP of `tahun`, as text."""
    texts = [client.get(reverse("data_terbuka"), {"tahun": tahun}).content.decode()]
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("data_terbuka_zip"), {"tahun": tahun}).content)
    )
    texts += [archive.read(name).decode("utf-8-sig") for name in archive.namelist()]
    for slug in SLUGS:
        response = client.get(reverse("data_terbuka_csv", args=[slug]), {"tahun": tahun})
        texts.append(response.content.decode("utf-8-sig"))
    assert len(texts) == 1 + 7 + 6
    return texts


def test_no_download_of_the_small_world_holds_anything_personal(client, world):
    texts = everything(client, YEAR)
    assert all(personal(text) == [] for text in texts)
    # The guard looks for what the world holds: its citizens' words and names among them.
    assert {"Warga Rahasia", "warga.rahasia@example.com", "Antrean terlalu panjang sekali",
            "Pendaftar Forum", "Petugas loket tidak ramah kepada saya"} <= set(
        personal(" ".join(["Warga Rahasia warga.rahasia@example.com Pendaftar Forum",
                           "Antrean terlalu panjang sekali Petugas loket tidak ramah kepada saya"]))
    )  # fmt: skip


def test_no_download_holds_a_nip_a_name_an_email_or_a_citizens_words(client, seeded):
    assert Pegawai.objects.count() >= 120 and Masukan.objects.exclude(isi="").exists()
    this_year = timezone.localdate().year
    # The demo shows the page with figures: an IKM, a feedback share, a 20 JP share.
    data = client.get(reverse("data_terbuka")).context["data"]
    figures = {
        t.slug: [row for row in t.baris if any(isinstance(v, Decimal) for v in row)]
        for t in data.tabel
    }
    assert figures["ikm-unit-layanan"] and figures["pns-20-jp-per-opd"]
    for tahun in (this_year, this_year - 1):
        for text in everything(client, tahun):
            assert personal(text) == []
    # The guard finds what it looks for.
    assert personal(f"x {Pegawai.objects.first().nip} x")


def test_a_hidden_quarter_cannot_be_worked_out_from_the_year_or_the_province_trend(client, world):
    # The reviewer's attack: a unit with one respondent in a quarter, hidden as "<5"; the trend
    # and the unit's year must not count it, or subtracting the units shown gives it away.
    loket = UnitLayanan.objects.create(unit=world.bkd, nama="Loket Arsip", kode="arsip")
    responses(loket, date(YEAR, 2, 11), 1, 1)
    rekap.bangun()
    units = download(client, "ikm-unit-layanan")
    shown = [r for r in units if r["periode"] == f"{YEAR}-T1" and r["responden"] != "<5"]
    hidden = [r for r in units if r["unit_layanan"] == "Loket Arsip"]
    assert by(hidden, "periode")[f"{YEAR}-T1"]["responden"] == "<5"
    trend = by(download(client, "ikm-tren-provinsi"), "periode")[f"{YEAR}-T1"]
    # The province's quarter is exactly the shown units' quarters: nothing left over.
    assert int(trend["responden"]) == sum(int(r["responden"]) for r in shown) == 5
    assert trend["ikm_konversi"] == "75.00"  # Poli Umum's alone, not pulled down by the 1s
    year = by(hidden, "periode")[str(YEAR)]
    assert (year["responden"], year["ikm_konversi"]) == ("0", "")


def test_feedback_not_yet_due_is_left_out_of_the_on_time_share(world):
    # Five forwarded on Monday 3 March and answered the next day; five forwarded on Tuesday the
    # 4th and not answered by Thursday the 6th, still 3 working days before their deadline
    # (Tuesday the 11th). They are "belum jatuh tempo", not late: 5 of 5 due on time.
    unit = UnitLayanan.objects.create(unit=world.bkd, nama="Loket Izin", kode="izin")
    for _ in range(5):
        masukan(unit, forwarded=date(YEAR, 3, 3), answered=date(YEAR, 3, 4))
        masukan(unit, forwarded=date(YEAR, 3, 4), answered=None, status="diteruskan")
    tabel = data_terbuka.masukan(YEAR, date(YEAR, 3, 6))
    row = dict(zip(tabel.header, by_name(tabel)["Loket Izin"], strict=True))
    assert (row["diteruskan"], row["belum_jatuh_tempo"], row["ditanggapi_tepat_waktu"]) == (
        10,
        5,
        5,
    )
    assert row["persen_tepat_waktu"] == Decimal("100.0")
    # A week later the five are overdue: late, in the denominator.
    late = dict(
        zip(
            tabel.header,
            by_name(data_terbuka.masukan(YEAR, date(YEAR, 3, 13)))["Loket Izin"],
            strict=True,
        )
    )
    assert (late["belum_jatuh_tempo"], late["persen_tepat_waktu"]) == (0, Decimal("50.0"))


def by_name(tabel) -> dict[str, list]:
    return {row[0]: row for row in tabel.baris}


def test_a_year_without_records_says_so_and_dates_the_change_projects_by_today(client, world):
    page = client.get(reverse("data_terbuka"), {"tahun": 2020}).content.decode()
    assert "Belum ada data untuk tahun 2020." in page
    # Change projects are today's state, and say so; never "…, 2020".
    today = date_format(timezone.localdate(), "j F Y")
    assert f"Aksi perubahan dan inovasi per perangkat daerah, keadaan per {today}" in page
    assert "Aksi perubahan dan inovasi per perangkat daerah, 2020" not in page
    # No JP entry in 2020: no row of today's headcount at 0 %.
    assert download(client, "pns-20-jp-per-opd", tahun=2020) == []
    assert download(client, "ikm-unit-layanan", tahun=2020) == []
    assert download(client, "masukan-per-unit-layanan", tahun=2020) == []


def test_opds_sort_by_name_whatever_their_case(client, world):
    factories.pegawai(factories.unit("bpbd", "BPBD"))
    names = [r["opd"] for r in download(client, "pns-20-jp-per-opd")]
    assert names == ["Badan Kepegawaian Daerah", "BPBD", "Dinas Kesehatan"]


def test_the_page_writes_quarters_in_words_and_draws_one_colour_legibly_on_a_phone(client, world):
    page = client.get(reverse("data_terbuka"), {"tahun": YEAR}).content.decode()
    trend = page[page.index('id="tabel-ikm-tren-provinsi"') :]
    trend = trend[: trend.index("</table>")]
    assert "Triwulan I 2025" in trend and "2025-T1" not in trend
    assert len(set(re.findall(r'<rect [^>]*fill="(#[0-9a-f]+)"', page))) == 1
    # Text of at least 14 px when the chart is squeezed to a 390 px phone's 358 px column.
    for width, size in re.findall(r'viewBox="0 0 (\d+) \d+"[^>]*font-size="(\d+)"', page):
        assert int(size) * min(1, 358 / int(width)) >= 14
    assert "<caption" not in page  # the titles sit above the scrolling tables, never cut off
