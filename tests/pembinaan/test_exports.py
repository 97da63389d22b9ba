"""Every list exports to CSV and XLSX: the same rows as the page, within the user's scope."""

import csv
import html
import io
import re
from datetime import date
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluasi.models import AksiPerubahan, LaporanPascaPelatihan
from masyarakat.models import ForumDialog, Masukan, UnitLayanan
from pelatihan.models import KegiatanEksternal
from pembinaan import services
from tests import factories


def rows_of(response) -> list[list[str]]:
    if response["Content-Type"].startswith("text/csv"):
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return [line.split(",") for line in text.splitlines()]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[str(c.value) if c.value is not None else "" for c in row] for row in sheet.rows]


@pytest.fixture
def world(cast):
    """One item of each list in the pengelola's units (Dinkes) and one outside (BKD)."""
    for unit, who in ((cast.yankes, cast.pegawai_pegawai), (cast.bkd, cast.outsider_pegawai)):
        layanan = UnitLayanan.objects.create(nama=f"Loket {unit.kode}", kode=unit.kode, unit=unit)
        Masukan.objects.create(
            unit_layanan=layanan, kategori="keluhan", isi=f"Keluhan tentang {unit.kode}"
        )
        ForumDialog.objects.create(
            topik=f"Forum {unit.kode}", unit_layanan=layanan, waktu="2026-12-20T09:00+07:00",
            format="luring", kapasitas=20,
        )  # fmt: skip
        batch = factories.angkatan(factories.pelatihan(nama=f"Pelatihan {unit.kode}"))
        peserta = batch.peserta.create(pegawai=who, status="terdaftar")
        LaporanPascaPelatihan.objects.create(
            peserta=peserta, pegawai=who, jatuh_tempo=date(2026, 1, 5)
        )
        KegiatanEksternal.objects.create(
            pegawai=who, nama=f"Seminar {unit.kode}", jenis=9, penyelenggara="P", jp=4,
            tanggal_mulai=date(2026, 5, 1), tanggal_selesai=date(2026, 5, 1), file="k.pdf",
        )  # fmt: skip
        AksiPerubahan.objects.create(
            pegawai=who, unit=unit, mentor=cast.atasan_pegawai, judul=f"Inovasi {unit.kode}",
            masalah="m", layanan="l", inovasi="i", manfaat="m", tanggal_mulai=date(2026, 1, 1),
        )  # fmt: skip
    services.program_create(tahun=2026, by=cast.admin)


LISTS = [
    ("masyarakat:masukan_list", {}, "Kode", "Keluhan tentang DINKES.YANKES", "Keluhan tentang BKD"),
    ("masyarakat:forum_list", {}, "Topik", "Forum DINKES.YANKES", "Forum BKD"),
    ("evaluasi:laporan_list", {}, "NIP", "Pelatihan DINKES.YANKES", "Pelatihan BKD"),
    ("evaluasi:aksi_list", {}, "Judul", "Inovasi DINKES.YANKES", "Inovasi BKD"),
    ("pelatihan:kegiatan_verifikasi", {}, "NIP", "Seminar DINKES.YANKES", "Seminar BKD"),
    ("pembinaan:jp_kepatuhan", {"tahun": 2026}, "Nama", "Budi Pegawai", "Rina Luar"),
    ("pelatihan:list", {}, "Nama", "Pelatihan DINKES.YANKES", None),
    ("pembinaan:kebutuhan_list", {}, "Peringkat", None, None),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name, params, first, inside, outside", LISTS)
def test_each_list_downloads_its_rows_within_the_scope(
    login, cast, world, fmt, name, params, first, inside, outside
):
    response = login(cast.pengelola).get(reverse(name), params | {"format": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    table = rows_of(response)
    flat = " ".join(" ".join(row) for row in table)
    assert table[0][0] == first
    assert inside is None or inside in flat
    assert outside is None or outside not in flat


def test_the_program_targets_download(login, cast, world):
    program = services.program_create(tahun=2027, by=cast.admin)
    response = login(cast.admin).get(
        reverse("pembinaan:program_detail", args=[program.pk]), {"format": "csv"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["Indikator", "Satuan", "Target", "Capaian", "Dihitung"]
    assert len(table) == 12  # the header and the eleven indicators' targets
    # Numbers with the decimal comma and the indicator's places; the unit in its own column
    # (the XLSX stores the same numbers as numbers).
    assert table[1][:3] == ["PNS dengan ≥ 20 JP", "%", "80,0"]
    assert ["Skor iklim kerja", "skor 1–5", "3,80"] in [row[:3] for row in table]
    assert ["Pelatihan dengan dampak nyata pada kinerja", "%", "50,0"] in [r[:3] for r in table]


def test_the_detail_lists_download_too(login, cast, world):

    periode = factories.periode(cast, rate=("sesuai", "di_atas"))
    batch = cast.pegawai_pegawai.keikutsertaan.first().angkatan
    client = login(cast.pengelola)
    for url, first, inside in [
        (reverse("evaluasi:periode_detail", args=[periode.pk]), "NIP", "Baik"),
        (reverse("pelatihan:angkatan_detail", args=[batch.pk]), "NIP", "Budi Pegawai"),
        (reverse("pelatihan:kompetensi_unit"), "Kode", None),
        (reverse("pelatihan:mitra_list"), "Perguruan tinggi", None),
    ]:
        for fmt in ("csv", "xlsx"):
            table = rows_of(client.get(url, {"format": fmt}))
            assert table[0][0] == first, url
            assert inside is None or inside in " ".join(" ".join(r) for r in table), url


def test_a_unit_column_names_the_unit_with_its_opd(login, cast, world):
    # Many units share a leaf name ("Seksi Evaluasi"): a province-wide sheet needs the path.
    periode = factories.periode(cast, rate=("sesuai", "di_atas"))
    batch = cast.pegawai_pegawai.keikutsertaan.first().angkatan
    client = login(cast.admin)  # every unit's rows
    path = "Dinas Kesehatan › Bidang Pelayanan Kesehatan"
    for url, params in [
        (reverse("evaluasi:laporan_list"), {}),
        (reverse("evaluasi:aksi_list"), {}),
        (reverse("pembinaan:jp_kepatuhan"), {"tahun": 2026}),
        (reverse("evaluasi:periode_detail", args=[periode.pk]), {}),
        (reverse("pelatihan:angkatan_detail", args=[batch.pk]), {}),
    ]:
        response = client.get(url, params | {"format": "xlsx"})
        assert response.status_code == 200, url
        table = rows_of(response)
        header = next(i for i, row in enumerate(table) if "Unit kerja" in row)  # after a title
        column = table[header].index("Unit kerja")
        units = {row[column] for row in table[header + 1 :]}
        assert path in units, (url, units)


def test_a_units_download_is_named_by_its_code(login, cast, world):
    client = login(cast.pengelola)
    for name, params, start in [
        ("pelatihan:kompetensi_unit", {}, "kesenjangan-kompetensi-dinkes-yankes-"),
        ("pembinaan:jp_kepatuhan", {"tahun": 2026}, "di-bawah-20-jp-dinkes-yankes-2026-"),
    ]:
        response = client.get(reverse(name), params | {"unit": cast.yankes.pk, "format": "csv"})
        assert f'filename="{start}' in response["Content-Disposition"], name
        whole = client.get(reverse(name), params | {"format": "csv"})["Content-Disposition"]
        assert "dinkes" not in whole, name


def test_a_pegawai_cannot_download_hr_lists(login, cast, world):
    client = login(cast.pegawai)
    assert client.get(reverse("masyarakat:masukan_list"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("pembinaan:jp_kepatuhan"), {"format": "xlsx"}).status_code == 403


def test_the_feedback_list_pages_past_fifty_by_time(login, cast):
    layanan = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.yankes)
    Masukan.objects.bulk_create(
        Masukan(unit_layanan=layanan, kategori="saran", isi=f"Saran nomor {n}", kode=f"K{n:011d}")
        for n in range(60)
    )
    client = login(cast.pengelola)
    first = client.get(reverse("masyarakat:masukan_list")).context["page"]
    assert first.has_next
    second = client.get(reverse("masyarakat:masukan_list"), {"setelah": first.next_cursor}).context[
        "page"
    ]
    assert len(first) + len(second) == 60
    assert not {m.pk for m in first} & {m.pk for m in second}


def test_the_smaller_lists_download_too(login, cast, world):
    from evaluasi.models import PutaranIklim
    from pembinaan.models import LaporanMonitoring, ProgramPembinaan

    putaran = PutaranIklim.objects.create(
        nama="Semester II", tanggal_mulai=date(2026, 7, 1), tanggal_selesai=date(2026, 12, 31),
        dibuka_oleh=cast.pengelola,
    )  # fmt: skip
    putaran.units.set([cast.dinkes])  # HR list the rounds of their own units
    program = ProgramPembinaan.objects.get(tahun=2026)
    LaporanMonitoring.objects.create(
        program=program, periode_mulai=date(2026, 10, 1), periode_selesai=date(2026, 10, 31)
    )
    forum = ForumDialog.objects.get(topik="Forum DINKES.YANKES")
    forum.pendaftar.create(nama="Rahmah", kontak="0812", status="terdaftar")
    factories.catatan_jp(
        cast.pegawai_pegawai, 12, year=timezone.localdate().year
    )  # shown: this year
    for user, url, first, inside in [
        (cast.pegawai, reverse("pelatihan:jp_saya"), "Tanggal", "K"),
        (cast.pengelola, reverse("pelatihan:beasiswa_list"), "Program", None),
        (cast.pengelola, reverse("masyarakat:forum_detail", args=[forum.pk]), "Kode", "Rahmah"),
        (
            cast.admin,
            reverse("pembinaan:laporan_list", args=[program.pk]),
            "Mulai",
            "2026-10-01",  # a date, as every export writes one (an XLSX date cell)
        ),
        (cast.pengelola, reverse("evaluasi:index"), "Periode", None),
        (cast.pengelola, reverse("evaluasi:iklim_index"), "Putaran", "Semester II"),
    ]:
        for fmt in ("csv", "xlsx"):
            table = rows_of(login(user).get(url, {"format": fmt}))
            assert table[0][0] == first, url
            assert inside is None or inside in " ".join(" ".join(r) for r in table), url


# A filtered list and what its download must then hold (and leave out); the admin sees both
# units, so that the filter alone tells them apart.
FILTERED = [
    ("pelatihan:list", lambda c: {"q": "BKD"}, "Pelatihan BKD", "Pelatihan DINKES.YANKES"),
    (
        "pembinaan:jp_kepatuhan",
        lambda c: {"tahun": 2026, "unit": c.bkd.pk},
        "Rina Luar",
        "Budi Pegawai",
    ),
    (
        "evaluasi:aksi_list",
        lambda c: {"status": "selesai"},
        None,
        "Inovasi DINKES.YANKES",
    ),
]


def export_links(page: str) -> list[str]:
    return [
        html.unescape(href) for href in re.findall(r'href="([^"]*format=(?:csv|xlsx)[^"]*)"', page)
    ]


@pytest.mark.parametrize("name, params, inside, outside", FILTERED)
def test_each_download_link_carries_the_lists_filters_and_exports_what_it_shows(
    login, cast, world, name, params, inside, outside
):
    client = login(cast.admin)
    filters = {k: str(v) for k, v in params(cast).items()}
    links = export_links(client.get(reverse(name), filters).content.decode())
    assert len(links) == 2  # CSV and XLSX
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert {k: query.get(k) for k in filters} == {k: [v] for k, v in filters.items()}
        download = client.get(urljoin(reverse(name), link))
        flat = " ".join(" ".join(row) for row in rows_of(download))
        assert inside is None or inside in flat
        assert outside not in flat
