"""One number in one place: an indicator reads the same, with the same decimals and unit, on
the dashboard's card and table, the program page and the monitoring PDF; the dashboard says when
its figures were computed, and an import, a result decision or a verification brings them up to
date at once (tasks eager here); the 20 JP share agrees between the dashboard and the unit PDF."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluasi import reports as evaluasi_reports
from evaluasi import services as evaluasi_services
from evaluasi.models import LaporanPascaPelatihan, PeriodePenilaian
from pegawai import services as pegawai_services
from pegawai.models import Pegawai
from pelatihan import services as pelatihan_services
from pembinaan import indikator, services
from pembinaan.lib.pdf import render_pdf
from pembinaan.models import CapaianTarget, RingkasanUnit
from pembinaan.tasks import laporan_buat_task
from tests import factories
from tests.pegawai.test_impor import csv_file, row, run_import

URL = reverse("beranda")


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_template_filters_write_the_same():
    source = "{% load angka %}{{ a|angka:1 }} · {{ p|persen }} · {{ v|indikator:d }}"
    context = Context(
        {"a": 1234.56, "p": 34.94, "v": Decimal("3.8"), "d": indikator.REGISTRY["skor_iklim"]}
    )
    assert Template(source).render(context) == "1.234,6 · 34,9 % · 3,80"


def test_each_indicator_writes_its_target_and_its_actual_in_the_same_unit():
    registry = indikator.REGISTRY
    assert registry["pns_20_jp"].tampil(Decimal("33.33")) == "33,3 %"
    assert registry["pns_20_jp"].tampil(Decimal("80")) == "80,0 %"
    assert registry["pegawai_dilatih"].tampil(Decimal("500")) == "500 orang"
    assert registry["ikm"].tampil(Decimal("85.1")) == "85,10"
    assert registry["ikm"].skala == "nilai 25–100" and registry["pns_20_jp"].skala == ""
    # Reached as shown: 79,96 % reads "80,0 %" and meets a target of 80 %.
    assert registry["pns_20_jp"].tercapai(Decimal("79.96"), Decimal("80"))
    assert not registry["pns_20_jp"].tercapai(Decimal("79.94"), Decimal("80"))


def test_a_change_is_written_signed_with_the_minus_sign_wherever_it_is_shown():
    """The monitoring PDF's "Perubahan" and the impact's "Selisih" write a fall the same way:
    the minus sign (U+2212), never a hyphen; a rise with "+", no change unsigned."""
    from pembinaan.dampak import _signed
    from pembinaan.lib.angka import angka, persen

    assert angka(Decimal("-0.25"), 2, tanda=True) == "\u22120,25" == _signed(-0.25)
    assert angka(0.83, 2, tanda=True) == "+0,83" == _signed(0.83)
    assert angka(-0.004, 2, tanda=True) == "0,00" == _signed(-0.004)
    assert persen(Decimal("-16.67"), tanda=True) == "\u221216,7 poin"
    assert persen(Decimal("2.5"), tanda=True) == "+2,5 poin"
    assert persen(None, tanda=True) == "–"
    assert angka(-1234.5, 1) == "-1.234,5"  # a plain value, not a change: as before
    registry = indikator.REGISTRY
    assert registry["pns_20_jp"].tampil(Decimal("-2.5"), tanda=True) == "\u22122,5 poin"
    assert registry["skor_iklim"].tampil(Decimal("-0.25"), tanda=True) == "\u22120,25"
    assert registry["pegawai_dilatih"].tampil(Decimal("12"), tanda=True) == "+12 orang"
    source = "{% load angka %}{{ v|perubahan:d }}"
    context = Context({"v": Decimal("-0.25"), "d": registry["skor_iklim"]})
    assert Template(source).render(context) == "\u22120,25"


@pytest.fixture
def program(cast):
    """This year's program, with one of the cast's three PNS at 20 JP: 33,3 % province-wide."""
    today = timezone.localdate()
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=today.year)
    made = services.program_create(tahun=today.year, by=cast.admin)
    services.ringkasan_refresh(today=today)
    return made


def test_the_card_the_table_the_program_page_and_the_pdf_show_the_same_figure(
    login, cast, program, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = login(cast.admin)
    page = client.get(URL)
    manager = page.context["manager"]
    body = page.content.decode()
    card = body.split("PNS dengan ≥ 20 JP tahun ini")[1].split("</a>")[0]
    assert "33,3 %" in card and "33.3" not in body
    target = next(t for t in manager["targets"] if t.indikator == "pns_20_jp")
    assert target.nilai == Decimal("33.33")
    table = body.split("Target " + program.nama)[1].split("</table>")[0]
    assert "33,3 %" in table and "80,0 %" in table  # the actual and its target, one unit
    detail = (
        login(cast.pengelola)  # who reads the target (the administrator edits it in a field)
        .get(reverse("pembinaan:program_detail", args=[program.pk]))
        .content.decode()
    )
    row_html = detail.split("PNS dengan ≥ 20 JP<div")[1].split("</tr>")[0]
    assert "33,3 %" in row_html and "80,0 %" in row_html
    yesterday = timezone.localdate() - timedelta(days=1)
    with django_capture_on_commit_callbacks():
        laporan, _ = services.laporan_request(
            program=program, mulai=yesterday, selesai=yesterday, by=None
        )
    laporan_buat_task(laporan.pk)
    laporan.refresh_from_db()
    with laporan.file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "PNS dengan ≥ 20 JP 80,0 % 33,3 %" in text
    assert re.search(r"Dinas Kesehatan 2 \d+,\d %", text)  # the per-OPD table, same writing


def test_the_dashboards_ikm_and_charts_use_the_decimal_comma(login, cast, program):
    RingkasanUnit.objects.filter(unit=cast.dinkes).update(
        ikm=[{"pk": 1, "nama": "Poli Umum", "konversi": "85.10", "mutu": "B", "responden": 40}]
    )
    body = login(cast.admin).get(URL).content.decode()
    assert "<strong>85,10</strong>" in body and "85.10" not in body
    chart = body.split(">PNS dengan ≥ 20 JP per unit</text>")[1].split("</svg>")[0]
    assert "50,0 %" in chart and "50.0" not in chart


def test_the_dashboard_says_when_its_figures_were_computed(login, cast, program):
    computed = RingkasanUnit.objects.get(unit=cast.dinkes).dihitung_at
    body = login(cast.pengelola).get(URL).content.decode()
    stamp = date_format(timezone.localtime(computed), "j F Y, H.i")
    assert f"Angka ringkasan dihitung {stamp} WIB" in body


def passed_today(cast):
    """A one-day batch today with the pegawai present and past the pass mark, under way."""
    today = timezone.localdate()
    batch = factories.angkatan(kuota=5, sesi=1, mulai=today, selesai=today)
    peserta = pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.atasan_pegawai)
    batch.status = "berjalan"
    batch.save()
    pelatihan_services.kehadiran_record(sesi=batch.sesi.get(), hadir={peserta.pk})
    peserta.nilai_post = 90
    peserta.save()
    return peserta


def test_a_result_decision_brings_the_dashboard_and_the_targets_up_to_date(
    login, cast, program, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = RingkasanUnit.objects.get(unit=cast.dinkes)
    peserta = passed_today(cast)  # Siti Atasan, the Dinkes PNS without JP yet
    with django_capture_on_commit_callbacks(execute=True):
        pelatihan_services.peserta_decide(peserta=peserta, lulus=True)
    after = RingkasanUnit.objects.get(unit=cast.dinkes)
    assert (before.pns_patuh, after.pns_patuh) == (1, 2)
    assert after.dihitung_at > before.dihitung_at
    latest = CapaianTarget.objects.filter(target__indikator="pns_20_jp").latest("bulan")
    assert latest.nilai == Decimal("66.67")
    body = login(cast.pengelola).get(URL).content.decode()
    assert "100,0 %" in body.split("PNS dengan ≥ 20 JP tahun ini")[1].split("</a>")[0]


def test_an_import_brings_the_dashboard_up_to_date(
    cast, program, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path
    before = RingkasanUnit.objects.get(unit=cast.dinkes).pegawai_aktif
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(csv_file([row()]), cast.admin)
    assert job.status == "selesai" and Pegawai.objects.filter(nama="Ahmad Fauzi").exists()
    assert RingkasanUnit.objects.get(unit=cast.dinkes).pegawai_aktif == before + 1


def test_a_verification_brings_the_dashboard_up_to_date(
    cast, laporan, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    LaporanPascaPelatihan.objects.filter(pk=laporan.pk).update(
        status="diajukan", perubahan="Rekam medis elektronik", contoh="Antrean", dampak="Cepat"
    )
    services.ringkasan_refresh(today=timezone.localdate())
    assert RingkasanUnit.objects.get(unit=cast.dinkes).laporan_menunggu_atasan == 1
    with django_capture_on_commit_callbacks(execute=True):
        evaluasi_services.laporan_transition(
            laporan=laporan, action="verifikasi", by=cast.atasan, data={"nilai": 3}
        )
    assert RingkasanUnit.objects.get(unit=cast.dinkes).laporan_menunggu_atasan == 0


def test_a_burst_of_changes_queues_one_refresh_and_a_change_during_it_the_next(cast, monkeypatch):
    from pembinaan.tasks import ringkasan_segarkan_task

    sent = []
    monkeypatch.setattr(
        ringkasan_segarkan_task, "apply_async", lambda *a, **kw: sent.append(kw["countdown"])
    )
    assert services.ringkasan_refresh_request() is True
    assert services.ringkasan_refresh_request() is False
    assert sent == [services.RINGKASAN_TUNDA]
    services.ringkasan_refresh(today=timezone.localdate())  # the refresh takes the mark off
    assert services.ringkasan_refresh_request() is True and len(sent) == 2


def test_the_20_jp_share_on_the_dashboard_and_in_the_unit_pdf_agree(
    login, cast, program, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    today = timezone.localdate()
    periode = evaluasi_services.periode_open(
        periode=PeriodePenilaian(
            nama="Tahunan", jenis="tahunan", tanggal_mulai=today.replace(month=1, day=1),
            tanggal_selesai=today,
        ),
        units=[cast.dinkes], by=cast.pengelola,
    )  # fmt: skip
    peserta = passed_today(cast)
    with django_capture_on_commit_callbacks(execute=True):
        pelatihan_services.peserta_decide(peserta=peserta, lulus=True)
    context = evaluasi_reports.konteks_unit(periode.periode_units.get(unit=cast.dinkes))
    text = pdf_text(render_pdf("pdf/evaluasi_unit.html", context | {"dibuat": timezone.now()}))
    body = login(cast.pengelola).get(URL).content.decode()
    card = body.split("PNS dengan ≥ 20 JP tahun ini")[1].split("</a>")[0]
    assert "2 dari 2 PNS dan CPNS mencapai 20 JP (100,0 %)" in text and "100,0 %" in card


def test_without_the_immediate_refresh_only_the_half_hourly_job_makes_the_figures(
    cast, settings, monkeypatch
):
    from pembinaan.tasks import ringkasan_segarkan_task

    settings.RINGKASAN_SEGERA = False
    sent = []
    monkeypatch.setattr(ringkasan_segarkan_task, "apply_async", lambda *a, **kw: sent.append(1))
    assert services.ringkasan_refresh_request() is False and sent == []
    assert settings.CELERY_BEAT_SCHEDULE["ringkasan-dashboard"]["task"] == (
        "pembinaan.tasks.ringkasan_task"
    )


def test_revoking_and_reissuing_a_certificate_bring_the_dashboard_up_to_date(
    cast, program, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    peserta = passed_today(cast)
    with django_capture_on_commit_callbacks(execute=True):
        pelatihan_services.peserta_decide(peserta=peserta, lulus=True)
    assert RingkasanUnit.objects.get(unit=cast.dinkes).pns_patuh == 2
    with django_capture_on_commit_callbacks(execute=True):
        pelatihan_services.sertifikat_revoke(
            sertifikat=peserta.sertifikat_semua.get(), alasan="Salah peserta", by=cast.pengelola
        )
    assert RingkasanUnit.objects.get(unit=cast.dinkes).pns_patuh == 1
    with django_capture_on_commit_callbacks(execute=True):
        pelatihan_services.sertifikat_reissue(peserta=peserta, by=cast.pengelola)
    assert RingkasanUnit.objects.get(unit=cast.dinkes).pns_patuh == 2


def test_deactivating_and_reactivating_a_pegawai_bring_the_dashboard_up_to_date(
    cast, program, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = RingkasanUnit.objects.get(unit=cast.dinkes).pegawai_aktif
    with django_capture_on_commit_callbacks(execute=True):
        pegawai_services.pegawai_deactivate(
            pegawai=cast.pegawai_pegawai, user=cast.admin, alasan="pensiun"
        )
    assert RingkasanUnit.objects.get(unit=cast.dinkes).pegawai_aktif == before - 1
    cast.pegawai_pegawai.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        pegawai_services.pegawai_activate(pegawai=cast.pegawai_pegawai, user=cast.admin)
    assert RingkasanUnit.objects.get(unit=cast.dinkes).pegawai_aktif == before


def test_the_program_xlsx_stores_targets_and_actuals_as_numbers_with_their_decimals(
    login, cast, program
):
    response = login(cast.admin).get(
        reverse("pembinaan:program_detail", args=[program.pk]), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "PNS dengan ≥ 20 JP")
    satuan, target, capaian = row[1], row[2], row[3]
    assert satuan.value == "%"
    assert (target.value, target.data_type, target.number_format) == (80, "n", "#,##0.0")
    assert (capaian.value, capaian.data_type, capaian.number_format) == (33.3, "n", "#,##0.0")


def test_a_nip_in_the_unit_pdf_stays_on_one_line_beside_a_long_unit_name():
    """The unit PDF names who was rated below Baik, with their NIP beside a long unit name."""
    nip = "19850101 201001 1 001"
    unit = "Bidang Pelayanan Kesehatan dan Sumber Daya Kesehatan Masyarakat " * 2
    content = render_pdf(
        "pdf/evaluasi_unit.html",
        {
            "perhatian": [("dr. Siti Rahmawati Kusumaningrum, M.Kes.", nip, unit, "Kurang")],
            "perhatian_jumlah": 1, "tahun": 2026, "dibuat": timezone.now(),
        },
    )  # fmt: skip
    lines = [line.strip() for page in PdfReader(io.BytesIO(content)).pages
             for line in page.extract_text().splitlines()]  # fmt: skip
    assert any(nip in line for line in lines)
