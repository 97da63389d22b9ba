"""The per-unit evaluation PDF is a summary whatever the unit's size, and its one row per pegawai
is a workbook made beside it by the same job (issue 24): the PDF's figures read back with pypdf
against counts made here from the data the test builds, the workbook's rows read back with
openpyxl against that data."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluasi import reports, services
from evaluasi.models import BerkasLaporan, PeriodePenilaian, Predikat, predikat_for
from evaluasi.tasks import berkas_buat_task
from pegawai.models import Pegawai
from pelatihan.models import CatatanJP
from pembinaan.lib.angka import persen
from tests import factories

YEAR = 2026


pytestmark = pytest.mark.usefixtures("private_media")


@pytest.fixture
def unit(cast):
    """Dinas Kesehatan with a second bidang, a pegawai placed in the OPD itself (a CPNS), a
    PPPK, one who left (not counted) and one outside (not counted); each with a predicate (or
    none) and JP."""
    p2p = factories.unit("DINKES.P2P", "Bidang Pencegahan Penyakit", parent=cast.dinkes)
    siti, budi = cast.atasan_pegawai, cast.pegawai_pegawai
    ahmad = factories.pegawai(p2p, nama="Ahmad Kontrak", atasan=siti, status="pppk")
    cici = factories.pegawai(
        cast.dinkes, nama="Cici Langsung", atasan=siti, gender="P", gelar_depan="dr.",
        gelar_belakang="M.Kes.", status="cpns",  # counted with the PNS, and labelled so
    )  # fmt: skip
    dodi = factories.pegawai(cast.yankes, nama="Dodi Keluar", atasan=siti)
    periode = services.periode_open(
        periode=PeriodePenilaian(
            nama="Triwulan III 2026", jenis="triwulan", tanggal_mulai=date(YEAR, 7, 1),
            tanggal_selesai=date(YEAR, 9, 30),
        ),
        units=[cast.dinkes], by=cast.pengelola,
    )  # fmt: skip
    # (pegawai, (hasil kerja, perilaku kerja) or None, JP of the year)
    data = [
        (siti, None, 0),
        (budi, ("di_atas", "di_atas"), 24),
        (ahmad, ("di_bawah", "sesuai"), 30),
        (cici, ("sesuai", "di_bawah"), 12),
        (dodi, ("sesuai", "sesuai"), 40),
        (cast.outsider_pegawai, None, 50),
    ]
    for pegawai, rating, jp in data:
        if rating:
            services.penilaian_save(
                periode=periode, pegawai=pegawai, penilai=siti, hasil_kerja=rating[0],
                perilaku_kerja=rating[1],
            )  # fmt: skip
        if jp:
            factories.catatan_jp(pegawai, jp, year=YEAR)
    Pegawai.objects.filter(pk=dodi.pk).update(aktif=False, alasan_nonaktif="Pensiun")
    inside = {siti.pk, budi.pk, ahmad.pk, cici.pk}
    # The period's ratings of the unit's active pegawai: who left since counts nowhere.
    ratings = [predikat_for(*rating) for p, rating, _ in data if rating and p.pk in inside]
    rows = [
        (Pegawai.objects.select_related("jabatan", "unit").get(pk=p.pk),
         predikat_for(*rating) if rating else None, jp)
        for p, rating, jp in data if p.pk in inside
    ]  # fmt: skip
    return periode.periode_units.get(), rows, ratings


def make(client, periode_unit, django_capture_on_commit_callbacks) -> BerkasLaporan:
    with django_capture_on_commit_callbacks():
        client.post(reverse("evaluasi:berkas_request", args=["unit", periode_unit.pk]))
    berkas = BerkasLaporan.objects.latest("pk")
    berkas_buat_task(berkas.pk)  # what the worker runs
    berkas.refresh_from_db()
    assert berkas.status == BerkasLaporan.Status.SELESAI, berkas.pesan_gagal
    return berkas


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_the_pdf_summarises_the_unit_and_the_workbook_holds_every_pegawai(
    login, cast, unit, django_capture_on_commit_callbacks
):
    periode_unit, rows, ratings = unit
    client = login(cast.pengelola)
    berkas = make(client, periode_unit, django_capture_on_commit_callbacks)

    # The true figures, counted here from the data above.
    active = len(rows)
    rated = [predikat for _, predikat, _ in rows if predikat]
    pns = [jp for p, _, jp in rows if p.status_kepegawaian in ("pns", "cpns")]
    pppk = [jp for p, _, jp in rows if p.status_kepegawaian == "pppk"]
    below = [p for p, predikat, _ in rows if predikat in reports.PREDIKAT_PERHATIAN]
    bands = {
        "0 JP": sum(jp == 0 for *_, jp in rows),
        "1–9 JP": sum(1 <= jp <= 9 for *_, jp in rows),
        "10–19 JP": sum(10 <= jp <= 19 for *_, jp in rows),
        "20 JP atau lebih": sum(jp >= 20 for *_, jp in rows),
    }
    response = client.get(reverse("evaluasi:berkas_download", args=[berkas.pk]))
    text = pdf_text(b"".join(response.streaming_content))
    facts = [
        "Dinas Kesehatan",
        "Triwulan III 2026",
        f"{len(rated)} dari {active} pegawai dinilai",
        f"Belum dinilai {active - len(rated)}",
        f"{sum(jp >= 20 for jp in pns)} dari {len(pns)} PNS dan CPNS mencapai 20 JP",
        f"{sum(jp > 24 for jp in pppk)} dari {len(pppk)} PPPK melebihi batas 24 JP",
        f"Perlu perhatian: predikat di bawah Baik ({len(below)} pegawai)",
        f"Daftar lengkap per pegawai ({active} baris",
    ]
    facts += [f"{label} {n} {persen(100 * n / active)}" for label, n in bands.items()]
    for value, label in Predikat.choices:
        n = ratings.count(value)
        facts.append(f"{label} {n} {persen(100 * n / len(ratings))}")
    facts += [p.nama_lengkap for p in below]
    # Per sub-unit: pegawai, rated, below Baik.
    facts += [
        "Dinas Kesehatan (langsung) 1 1 1",
        "Bidang Pelayanan Kesehatan 2 1 0",
        "Bidang Pencegahan Penyakit 1 1 1",
    ]
    for fact in facts:
        assert fact in text, fact
    assert "Budi Pegawai" not in text  # rated Sangat Baik: in the workbook, not the summary
    assert "Rina Luar" not in text and "Dodi Keluar" not in text

    response = client.get(reverse("evaluasi:berkas_download_xlsx", args=[berkas.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"sibina-evaluasi-unit-dinkes-triwulan-iii-2026-{berkas.pk}-per-pegawai.xlsx"
    assert f'filename="{name}"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    labels = dict(Predikat.choices)
    expected = [
        [p.nama_lengkap, p.nip, p.jabatan.nama, p.unit.nama, p.get_status_kepegawaian_display(),
         labels[predikat] if predikat else "Belum dinilai", jp]
        for p, predikat, jp in sorted(rows, key=lambda row: row[0].nama)
    ]  # fmt: skip
    header = ["Nama", "NIP", "Jabatan", "Unit kerja", "Status", "Predikat", f"JP {YEAR}"]
    assert [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        header,
        *expected,
    ]


def test_the_pdf_names_a_few_below_baik_and_counts_the_rest(
    login, cast, unit, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(reports, "PERHATIAN_MAKS", 1)
    berkas = make(login(cast.pengelola), unit[0], django_capture_on_commit_callbacks)
    with berkas.file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "Ahmad Kontrak" in text and "Cici Langsung" not in text
    assert "dan 1 lainnya (lihat daftar XLSX)" in text


def test_the_unit_data_costs_the_same_queries_at_two_sizes(cast, unit):
    periode_unit = unit[0]

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            reports.konteks_unit(periode_unit, tulis_baris=lambda row: None)
        return len(queries)

    counted()  # the period and the unit, read once onto the row
    small = counted()
    for n in range(6):
        factories.pegawai([cast.yankes, cast.dinkes][n % 2], atasan=cast.atasan_pegawai)
    assert counted() == small


def test_the_workbook_is_for_whoever_may_fetch_the_pdf(
    login, cast, unit, django_capture_on_commit_callbacks
):
    berkas = make(login(cast.pengelola), unit[0], django_capture_on_commit_callbacks)
    url = reverse("evaluasi:berkas_download_xlsx", args=[berkas.pk])
    other = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(other)
    assert login(other).get(url).status_code == 404
    assert login(cast.admin).get(url).status_code == 200
    page = login(cast.pengelola).get(berkas.get_absolute_url()).content.decode()
    assert url in page
    # A per-pegawai PDF has no workbook beside it.
    with django_capture_on_commit_callbacks():
        login(cast.pengelola).post(
            reverse("evaluasi:berkas_request", args=["pegawai", cast.pegawai_pegawai.pk])
        )
    single = BerkasLaporan.objects.latest("pk")
    berkas_buat_task(single.pk)
    single.refresh_from_db()
    assert single.status == "selesai" and not single.lampiran
    single_url = reverse("evaluasi:berkas_download_xlsx", args=[single.pk])
    assert login(cast.pengelola).get(single_url).status_code == 404
    assert single_url not in login(cast.pengelola).get(single.get_absolute_url()).content.decode()


def test_the_page_the_pdf_and_the_workbook_count_the_same_pegawai(
    login, cast, unit, django_capture_on_commit_callbacks
):
    """Dodi, rated in the period and deactivated since, counts nowhere: the page's "x dari y",
    the PDF's summary and spread, and the workbook's rows all read the unit's active pegawai."""
    periode_unit, rows, _ = unit
    client = login(cast.pengelola)
    rated = sum(predikat is not None for _, predikat, _ in rows)
    page = client.get(periode_unit.periode.get_absolute_url()).content.decode()
    assert f"{rated} dari {len(rows)} pegawai dinilai" in page
    berkas = make(client, periode_unit, django_capture_on_commit_callbacks)
    with berkas.file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert f"{rated} dari {len(rows)} pegawai dinilai" in text
    assert "pegawai aktif unit ini dan sub-unitnya" in text  # the population, in words
    context = reports.konteks_unit(periode_unit)
    assert sum(n for _, n, _ in context["sebaran"]) == context["dinilai"] == rated
    with berkas.lampiran.open("rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read())).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert sum(p.nama_lengkap in names for p, _, _ in rows) == len(rows)
    assert not any("Dodi" in str(name) for name in names)


def test_the_self_reports_counted_are_those_due_within_the_period(cast, unit, laporan):
    """A self-report falls in the period whose span holds its due date; one due before or after
    belongs to another period's file."""
    periode_unit = unit[0]

    def counted() -> int:
        return sum(n for _, n in reports.konteks_unit(periode_unit)["laporan"])

    periode = periode_unit.periode
    for due, expected in [
        (periode.tanggal_mulai, 1),
        (periode.tanggal_selesai, 1),
        (periode.tanggal_mulai - timedelta(days=1), 0),
        (periode.tanggal_selesai + timedelta(days=1), 0),
    ]:
        type(laporan).objects.filter(pk=laporan.pk).update(jatuh_tempo=due)
        assert counted() == expected, due


def test_the_pdf_says_which_self_reports_it_counts(
    login, cast, unit, django_capture_on_commit_callbacks
):
    berkas = make(login(cast.pengelola), unit[0], django_capture_on_commit_callbacks)
    with berkas.file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "Laporan pasca pelatihan yang jatuh tempo 1 Juli 2026 – 30 September 2026" in text


def test_the_workbook_says_what_it_is_and_keeps_its_header_in_view(
    login, cast, unit, django_capture_on_commit_callbacks
):
    client = login(cast.pengelola)
    berkas = make(client, unit[0], django_capture_on_commit_callbacks)
    with berkas.lampiran.open("rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read())).active
    title, population = sheet["A1"].value, sheet["A2"].value
    assert title == (
        "Evaluasi unit Dinas Kesehatan (DINKES) · Triwulan III 2026 "
        "(1 Juli 2026 – 30 September 2026)"
    )
    made = timezone.localtime(berkas.selesai_at)
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember"]  # fmt: skip
    assert f"{made.day} {months[made.month - 1]} {made.year}" in population
    assert "Pegawai aktif unit ini dan sub-unitnya" in population
    assert [c.value for c in sheet[3]][-1] == f"JP {YEAR}"
    assert all(c.font.bold for c in sheet[3]) and not sheet["A4"].font.bold
    assert sheet.freeze_panes == "A4"
    widths = [sheet.column_dimensions[c].width for c in "ABCDEFG"]
    assert all(w >= len(h) for w, h in zip(widths, [c.value for c in sheet[3]], strict=True))
    pdf = client.get(reverse("evaluasi:berkas_download", args=[berkas.pk]))
    disposition = pdf["Content-Disposition"]
    assert (
        f'filename="sibina-evaluasi-unit-dinkes-triwulan-iii-2026-{berkas.pk}.pdf"' in disposition
    )


def test_the_download_names_stay_plain_ascii(cast, unit):
    periode_unit = unit[0]
    periode_unit.periode.nama = "Triwulan Ⅲ — Mei/Juni “khusus”"
    periode_unit.unit.kode = "DINKES.YANKES"
    berkas = BerkasLaporan(pk=7, jenis="unit", periode_unit=periode_unit)
    assert (
        berkas.nama_unduhan == "sibina-evaluasi-unit-dinkes-yankes-triwulan-iii-mei-juni-khusus-7"
    )
    pegawai = BerkasLaporan(pk=8, jenis="pegawai", pegawai=cast.pegawai_pegawai)
    assert pegawai.nama_unduhan == f"sibina-evaluasi-pegawai-{cast.pegawai_pegawai.nip}-8"


def test_a_year_without_any_jp_entry_says_so_instead_of_zero_percent(
    login, cast, django_capture_on_commit_callbacks
):
    periode = services.periode_open(
        periode=PeriodePenilaian(
            nama="Triwulan I 2024", jenis="triwulan", tanggal_mulai=date(2024, 1, 1),
            tanggal_selesai=date(2024, 3, 31),
        ),
        units=[cast.dinkes], by=cast.pengelola,
    )  # fmt: skip
    factories.catatan_jp(cast.pegawai_pegawai, 24, year=2023)  # another year's does not count
    berkas = make(
        login(cast.pengelola), periode.periode_units.get(), django_capture_on_commit_callbacks
    )
    with berkas.file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "Belum ada catatan JP 2024" in text
    assert "dari 2 PNS dan CPNS mencapai 20 JP" not in text and "0 JP 2" not in text
    # Nobody rated yet: each predicate's share is "–", not 0 %.
    assert "Sangat Baik 0 – Baik 0 – Butuh Perbaikan 0 –" in text


def test_one_entry_elsewhere_in_the_year_makes_the_units_zero_a_real_zero(
    login, cast, django_capture_on_commit_callbacks
):
    periode = services.periode_open(
        periode=PeriodePenilaian(
            nama="Triwulan I 2024", jenis="triwulan", tanggal_mulai=date(2024, 1, 1),
            tanggal_selesai=date(2024, 3, 31),
        ),
        units=[cast.dinkes], by=cast.pengelola,
    )  # fmt: skip
    factories.catatan_jp(cast.outsider_pegawai, 24, year=2024)
    berkas = make(
        login(cast.pengelola), periode.periode_units.get(), django_capture_on_commit_callbacks
    )
    with berkas.file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "Belum ada catatan JP" not in text
    assert "0 dari 2 PNS dan CPNS mencapai 20 JP" in text


def test_the_unit_files_count_jp_up_to_the_periods_end(
    login, cast, django_capture_on_commit_callbacks
):
    """As the monitoring report: an entry dated after the period's end is not the period's."""
    periode = services.periode_open(
        periode=PeriodePenilaian(
            nama="Triwulan III 2025", jenis="triwulan", tanggal_mulai=date(2025, 7, 1),
            tanggal_selesai=date(2025, 9, 30),
        ),
        units=[cast.dinkes], by=cast.pengelola,
    )  # fmt: skip
    within = factories.catatan_jp(cast.atasan_pegawai, 24, year=2025)
    after = factories.catatan_jp(cast.pegawai_pegawai, 24, year=2025)
    CatatanJP.objects.filter(pk=within.pk).update(tanggal=date(2025, 9, 30))
    CatatanJP.objects.filter(pk=after.pk).update(tanggal=date(2025, 10, 1))
    client = login(cast.pengelola)
    berkas = make(client, periode.periode_units.get(), django_capture_on_commit_callbacks)
    with berkas.file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "1 dari 2 PNS dan CPNS mencapai 20 JP" in text
    assert "JP tercatat sampai 30 September 2025" in text
    with berkas.lampiran.open("rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read())).active
    jp = {row[0]: row[-1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert jp == {cast.atasan_pegawai.nama_lengkap: 24, cast.pegawai_pegawai.nama_lengkap: 0}
    assert "JP tercatat sampai 30 September 2025" in sheet["A2"].value


def test_a_running_period_counts_jp_up_to_today():
    today = timezone.localdate()
    running = PeriodePenilaian(tanggal_mulai=today, tanggal_selesai=today + timedelta(days=30))
    assert reports.jp_sampai(running) == today
