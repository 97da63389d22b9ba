"""Monitoring reports: the PDF's content read back, a report asked for twice, the claim, the
retries, the monthly schedule, the mail, what changed since the previous one, access, and only
for a period that has ended. The program is last year's, so that its periods have ended at any
moment the suite runs (make test-jam)."""

import io
import re
from datetime import date, datetime, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from pembinaan import kebutuhan, reports, services, views
from pembinaan.celery import app
from pembinaan.lib.dates import month_end
from pembinaan.models import LaporanMonitoring, RingkasanBulan, RingkasanKebutuhan
from pembinaan.tasks import laporan_buat_task, laporan_bulanan_task
from tests import factories
from tests.pembinaan.test_kebutuhan import evidence  # noqa: F401 - the fixture
from tests.queries import cold_queries


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def inline_retries(monkeypatch):
    """Eager retries run inline, each nested in the one before; none of them may raise."""
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


@pytest.fixture
def program(cast):
    cast.admin.email = "admin@jambiprov.go.id"
    cast.admin.save()
    return services.program_create(tahun=timezone.localdate().year - 1, by=cast.admin)


def nov(program) -> tuple[date, date]:
    return date(program.tahun, 11, 1), date(program.tahun, 11, 30)


def oct_(program) -> tuple[date, date]:
    return date(program.tahun, 10, 1), date(program.tahun, 10, 31)


def request(program, period=None, *, capture):
    period = period or nov(program)
    with capture() as callbacks:
        laporan, queued = services.laporan_request(
            program=program, mulai=period[0], selesai=period[1], by=None
        )
    return laporan, queued, callbacks


def text_of(laporan) -> str:
    laporan.refresh_from_db()
    with laporan.file.open("rb") as fh:
        pdf = PdfReader(io.BytesIO(fh.read()))
    return " ".join(" ".join(page.extract_text() for page in pdf.pages).split())


def test_the_pdf_holds_the_targets_units_and_needs(
    cast, program, django_capture_on_commit_callbacks
):
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)
    laporan, queued, callbacks = request(program, capture=django_capture_on_commit_callbacks)
    assert queued and len(callbacks) == 1
    laporan_buat_task(laporan.pk)  # what the worker runs
    text = text_of(laporan)
    assert f"Laporan Monitoring Program Pembinaan ASN Provinsi Jambi {program.tahun}" in text
    assert f"Periode 1 November {program.tahun} – 30 November {program.tahun}" in text
    assert "PNS dengan ≥ 20 JP" in text and "33,3 %" in text  # 1 of the cast's 3 PNS
    assert "Dinas Kesehatan" in text and "Badan Kepegawaian Daerah" in text
    assert "Analisis kebutuhan pelatihan" in text
    laporan.refresh_from_db()
    assert laporan.status == "selesai" and laporan.progres == 100
    assert laporan.angka["pns_20_jp"] == "33.33"
    # Summed from the per-unit figures, the indicator is the one computed on its own.
    from pembinaan import indikator

    live = indikator.hitung("pns_20_jp", program.tahun, laporan.periode_selesai)
    assert laporan.angka["pns_20_jp"] == str(live)


def test_a_report_of_a_month_before_the_jp_were_earned_counts_none_of_them(
    cast, program, django_capture_on_commit_callbacks
):
    entry = factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)
    entry.tanggal = date(program.tahun, 3, 6)
    entry.save()
    january = (date(program.tahun, 1, 1), date(program.tahun, 1, 31))
    laporan, _, _ = request(program, january, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    text = text_of(laporan)
    laporan.refresh_from_db()
    assert laporan.angka["pns_20_jp"] == "0.00"
    assert "33,3 %" not in text  # neither the target table nor the per-OPD table
    # One statement says which day's data the table counts, and up to which day, in Indonesian.
    made = date_format(timezone.localdate(), "j F Y")
    assert f"Angka tabel ini menurut data per {made}:" in text
    assert f"JP yang tercatat sampai 31 Januari {program.tahun}" in text
    assert f"jatuh tempo sebelum 31 Januari {program.tahun} dan belum diajukan" in text
    assert "keadaan saat laporan dibuat" not in text


def test_figures_stored_after_the_period_say_the_day_they_were_read(
    cast, program, django_capture_on_commit_callbacks
):
    august = (date(program.tahun, 8, 1), date(program.tahun, 8, 31))
    services.ringkasan_bulan_simpan(today=date(program.tahun, 9, 1))
    RingkasanBulan.objects.update(
        dihitung_at=timezone.make_aware(datetime(program.tahun, 9, 1, 2, 0))
    )
    laporan, _, _ = request(program, august, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    text = text_of(laporan)
    assert f"Angka tabel ini menurut data per 1 September {program.tahun}:" in text
    assert f"jatuh tempo sebelum 31 Agustus {program.tahun} dan belum diajukan" in text


def test_the_predicate_spread_names_its_period_and_the_opds_it_covers(
    cast, program, django_capture_on_commit_callbacks
):
    """The latest rated period was opened for Dinas Kesehatan only: the province report says
    which period it is and that it covers one of the OPDs."""
    from evaluasi.models import PeriodePenilaian

    periode = factories.periode(cast, nama="Triwulan I Dinkes", rate=("di_atas", "sesuai"))
    # Of the program's year: a report spreads a period begun by its end.
    PeriodePenilaian.objects.filter(pk=periode.pk).update(
        tanggal_mulai=date(program.tahun, 1, 1), tanggal_selesai=date(program.tahun, 3, 31)
    )
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    context = reports.konteks_monitoring(laporan)
    assert "Triwulan I Dinkes" in context["grafik_predikat"]
    laporan_buat_task(laporan.pk)
    text = text_of(laporan)
    assert (
        f"Sebaran predikat: Triwulan I Dinkes (1 Januari {program.tahun} – 31 Maret "
        f"{program.tahun}), periode "
        "penilaian terakhir yang dimulai sampai akhir periode laporan dan memiliki penilaian; "
        "mencakup 1 dari 2 perangkat daerah."
    ) in text


def test_the_needs_table_has_column_headers(cast, program, evidence):  # noqa: F811
    laporan = LaporanMonitoring.objects.create(
        program=program, periode_mulai=nov(program)[0], periode_selesai=nov(program)[1]
    )
    context = reports.konteks_monitoring(laporan) | {"dibuat": timezone.localtime()}
    assert context["kebutuhan"]
    html = render_to_string("pdf/monitoring.html", context)
    needs = html[html.index("Analisis kebutuhan pelatihan") :]
    assert re.search(
        r"<thead><tr><th>Kompetensi</th><th[^>]*>Skor</th><th>Bukti</th><th>Usulan</th>", needs
    )


def test_a_capped_bar_of_the_target_chart_is_labelled_with_the_real_achievement(
    cast, program, django_capture_on_commit_callbacks
):
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)  # 33,33 %
    program.target.filter(indikator="pns_20_jp").update(nilai_target=10)
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    context = reports.konteks_monitoring(laporan)
    assert "333,3 %" in context["grafik_target"] and "150,0 %" not in context["grafik_target"]


def test_a_report_asked_for_twice_is_made_once(program, django_capture_on_commit_callbacks):
    first, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(first.pk)
    first.refresh_from_db()
    made = first.file.name
    again, queued, callbacks = request(program, capture=django_capture_on_commit_callbacks)
    assert again.pk == first.pk and not queued and not callbacks
    laporan_buat_task(first.pk)  # a duplicate delivery: already claimed, nothing made
    first.refresh_from_db()
    assert first.file.name == made and LaporanMonitoring.objects.count() == 1


def test_a_report_of_a_past_period_stays_as_it_was_produced(
    cast, program, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    before = text_of(laporan)
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)
    request(program, capture=django_capture_on_commit_callbacks)
    assert text_of(laporan) == before


def test_a_failure_is_retried_then_the_report_is_made(
    program, monkeypatch, inline_retries, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    real, calls = services.render_pdf, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("font cache busy")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "render_pdf", flaky)
    laporan_buat_task.apply(args=[laporan.pk], throw=False)
    laporan.refresh_from_db()
    assert len(calls) == 2 and laporan.status == "selesai"


def test_a_report_that_keeps_failing_ends_failed_with_the_reason_and_can_be_asked_again(
    program, monkeypatch, inline_retries, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(services, "render_pdf", broken)
    laporan_buat_task.apply(args=[laporan.pk], throw=False)
    laporan.refresh_from_db()
    assert len(calls) == 4 and laporan.status == "gagal" and "4 percobaan" in laporan.pesan_gagal
    again, queued, callbacks = request(program, capture=django_capture_on_commit_callbacks)
    assert again.pk == laporan.pk and queued and len(callbacks) == 1
    again.refresh_from_db()
    assert again.status == "menunggu" and again.pesan_gagal == ""


def test_the_administrators_are_mailed_once_and_a_refusal_does_not_fail_the_report(
    program, monkeypatch, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin@jambiprov.go.id"]
    assert laporan.get_absolute_url() in mail.outbox[0].body
    assert "lampiran XLSX semua perangkat daerah" in mail.outbox[0].body
    october, _, _ = request(program, oct_(program), capture=django_capture_on_commit_callbacks)

    def refuse(*args, **kwargs):
        raise SMTPException("554 no")

    monkeypatch.setattr(services, "send_mail", refuse)
    laporan_buat_task(october.pk)
    october.refresh_from_db()
    assert october.status == "selesai" and october.dikirim_at is None


def test_a_worker_that_lost_its_claim_meanwhile_leaves_no_file_and_sends_no_mail(
    program, monkeypatch, tmp_path, django_capture_on_commit_callbacks
):
    """The worker was stopped past its lease while laying out the PDF, and another worker
    claimed the report: the late one deletes its file, mails nobody, writes nothing."""
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    real = services.render_pdf

    def taken_over_meanwhile(*args, **kwargs):
        content = real(*args, **kwargs)
        LaporanMonitoring.objects.update(klaim="token-of-the-other-worker", progres=40)
        return content

    monkeypatch.setattr(services, "render_pdf", taken_over_meanwhile)
    laporan_buat_task(laporan.pk)
    laporan.refresh_from_db()
    assert (laporan.status, laporan.file.name, laporan.progres) == ("diproses", "", 40)
    assert laporan.klaim == "token-of-the-other-worker" and laporan.dikirim_at is None
    assert list(tmp_path.rglob("*.pdf")) == [] and mail.outbox == []
    assert list(tmp_path.rglob("*.xlsx")) == [] and laporan.lampiran.name == ""


def test_a_failure_after_the_claim_was_taken_over_is_not_the_reports(
    program, monkeypatch, inline_retries, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)

    def broken(*args, **kwargs):
        LaporanMonitoring.objects.update(klaim="token-of-the-other-worker")
        raise OSError("disk full")

    monkeypatch.setattr(services, "render_pdf", broken)
    laporan_buat_task.apply(args=[laporan.pk], throw=False)
    laporan.refresh_from_db()
    assert (laporan.status, laporan.pesan_gagal) == ("diproses", "")


def test_a_report_says_what_changed_since_the_previous_one(
    cast, program, django_capture_on_commit_callbacks
):
    october, _, _ = request(program, oct_(program), capture=django_capture_on_commit_callbacks)
    laporan_buat_task(october.pk)
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)
    november, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(november.pk)
    text = text_of(november)
    assert f"dibandingkan dengan laporan periode 1 Oktober {program.tahun} – 31 Oktober" in text
    assert "+33,3 poin" in text  # percentage points of the share


def test_the_monthly_job_asks_for_last_months_report(program, monkeypatch, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["laporan-monitoring-bulanan"]
    assert entry["task"] == "pembinaan.tasks.laporan_bulanan_task"
    schedule = entry["schedule"]
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({1}, {6}, {0})
    assert settings.CELERY_TIMEZONE == "Asia/Jakarta"
    monkeypatch.setattr(timezone, "localdate", lambda: date(program.tahun, 12, 1))
    assert laporan_bulanan_task() == 1
    assert laporan_bulanan_task() == 0
    laporan = LaporanMonitoring.objects.get()
    assert (laporan.periode_mulai, laporan.periode_selesai) == nov(program)


def test_province_hr_read_and_ask_for_reports(
    login, cast, program, django_capture_on_commit_callbacks
):
    """BKD/BPSDM monitor the program for the province (pembinaan.access)."""
    client = login(factories.user("provinsi", pengelola_provinsi=True))
    assert (
        client.get(reverse("pembinaan:program_detail", args=[program.pk]))
        .content.decode()
        .count(reverse("pembinaan:laporan_list", args=[program.pk]))
    )
    assert client.get(reverse("pembinaan:laporan_list", args=[program.pk])).status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(
            reverse("pembinaan:laporan_request", args=[program.pk]), {"periode": "triwulan-3"}
        )
    laporan = LaporanMonitoring.objects.get()
    assert len(callbacks) == 1
    laporan_buat_task(laporan.pk)  # what the worker runs
    assert client.get(laporan.get_absolute_url()).status_code == 200
    download = client.get(reverse("pembinaan:laporan_download", args=[laporan.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("role", ["pegawai", "atasan", "outsider", "pengelola"])
def test_only_administrators_and_province_hr_see_and_ask_for_reports(login, cast, program, role):
    client = login(getattr(cast, role))
    assert client.get(reverse("pembinaan:laporan_list", args=[program.pk])).status_code == 403
    url = reverse("pembinaan:laporan_request", args=[program.pk])
    assert client.post(url, {"periode": "bulan-11"}).status_code == 403
    assert not LaporanMonitoring.objects.exists()


def test_the_admin_asks_for_a_quarter_follows_it_and_downloads_it(
    login, cast, program, django_capture_on_commit_callbacks
):
    client = login(cast.admin)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("pembinaan:laporan_request", args=[program.pk]),
            {"periode": "triwulan-3"},
        )
    laporan = LaporanMonitoring.objects.get()
    quarter = (date(program.tahun, 7, 1), date(program.tahun, 9, 30))
    assert (laporan.periode_mulai, laporan.periode_selesai) == quarter
    assert response.url == laporan.get_absolute_url()
    assert len(callbacks) == 1
    laporan_buat_task(laporan.pk)  # what the worker runs
    page = client.get(laporan.get_absolute_url(), headers={"HX-Request": "true"})
    assert "Unduh PDF" in page.content.decode()
    download = client.get(reverse("pembinaan:laporan_download", args=[laporan.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        client.post(
            reverse("pembinaan:laporan_request", args=[program.pk]),
            {"periode": "triwulan-5"},
        ).status_code
        == 302
    )
    assert client.get(reverse("pembinaan:laporan_request", args=[program.pk])).status_code == 302
    assert LaporanMonitoring.objects.count() == 1


def test_a_report_of_a_running_period_is_refused_and_nothing_is_made(
    cast, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    program = services.program_create(tahun=today.year, by=cast.admin)
    with pytest.raises(ValidationError, match="belum berakhir"):
        request(
            program,
            (today.replace(day=1), month_end(today)),
            capture=django_capture_on_commit_callbacks,
        )
    # The period's last day is still running: "December on 31 December" is refused too.
    with pytest.raises(ValidationError, match="hanya dibuat untuk periode yang sudah selesai"):
        request(program, (today.replace(day=1), today), capture=django_capture_on_commit_callbacks)
    assert not LaporanMonitoring.objects.exists()
    yesterday = today - timedelta(days=1)
    laporan, queued, _ = request(
        program, (yesterday, yesterday), capture=django_capture_on_commit_callbacks
    )
    assert queued and laporan.periode_selesai == yesterday


def test_the_admin_asking_for_the_current_month_is_told_why_and_nothing_is_queued(
    login, cast, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    program = services.program_create(tahun=today.year, by=cast.admin)
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(cast.admin).post(
            reverse("pembinaan:laporan_request", args=[program.pk]),
            {"periode": f"bulan-{today.month}"},
            follow=True,
        )
    page = response.content.decode()
    assert "belum berakhir" in page and "dapat diminta mulai" in page
    assert not LaporanMonitoring.objects.exists() and callbacks == []


def test_the_request_form_offers_only_ended_periods(login, cast, program):
    today = timezone.localdate()
    this_year = services.program_create(tahun=today.year, by=cast.admin)
    client = login(cast.admin)
    offered = client.get(reverse("pembinaan:laporan_list", args=[this_year.pk])).context["pilihan"]
    values = [value for value, _ in offered]
    assert f"bulan-{today.month}" not in values and "tahun-1" not in values
    for value in values:
        jenis, _, ke = value.partition("-")
        assert views._periode(jenis, today.year, int(ke))[1] < today, value
    # Last year's program: its twelve months, four quarters, two semesters and the year.
    page = client.get(reverse("pembinaan:laporan_list", args=[program.pk]))
    assert len(page.context["pilihan"]) == 19
    assert "Triwulan III" in page.content.decode() and "November" in page.content.decode()


def test_the_report_pages_and_list_export_write_times_and_dates_one_indonesian_way(
    login, cast, program, django_capture_on_commit_callbacks
):
    """The period's dates are dates, as every list export writes them: date cells in the XLSX,
    ISO dates in the CSV (tests/lib/test_tabular); the time it was made reads the one way."""
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    laporan.refresh_from_db()
    client = login(cast.admin)
    stamp = date_format(timezone.localtime(laporan.selesai_at), "j F Y, H.i") + " WIB"
    detail = client.get(laporan.get_absolute_url()).content.decode()
    assert "Status: <strong>Selesai</strong></p>" in detail  # not "Selesai · Selesai"
    assert f"dibuat {stamp}" in detail
    written = f"1 November {program.tahun} – 30 November {program.tahun}"
    assert f'<h1 class="h3 mb-3">Monitoring {written}</h1>' in detail  # not 01/11/…
    url = reverse("pembinaan:laporan_list", args=[program.pk])
    assert written in client.get(url).content.decode()
    text = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert f'{program.tahun}-11-01,{program.tahun}-11-30,Selesai,"{stamp}"' in text
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert [c.value for c in sheet[1]] == ["Mulai", "Selesai", "Status", "Dibuat"]
    mulai, selesai, status, dibuat = sheet[2]
    assert mulai.is_date and selesai.is_date
    assert (mulai.value, selesai.value) == (
        datetime(program.tahun, 11, 1),
        datetime(program.tahun, 11, 30),
    )
    assert (status.value, dibuat.value) == ("Selesai", stamp)
    assert re.search(r"Dibuat \d{1,2} \w+ \d{4}, \d{2}\.\d{2} WIB", text_of(laporan))


def test_asking_for_a_report_by_get_leads_back_to_the_list(login, cast, program):
    response = login(cast.admin).get(reverse("pembinaan:laporan_request", args=[program.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("pembinaan:laporan_list", args=[program.pk])
    assert not LaporanMonitoring.objects.exists()


def test_the_report_data_costs_the_same_queries_at_two_sizes(
    cast, program, django_capture_on_commit_callbacks
):
    """Its figures are grouped queries over the province: more pegawai, with their JP, ratings
    and trainings, add no query (issue 24: the layout and the queries do not grow with them)."""
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    factories.periode(cast, rate=("di_atas", "sesuai"))

    def counted() -> int:
        with cold_queries() as queries:
            reports.konteks_monitoring(laporan)
        return len(queries)

    counted()  # the program, its targets and the report's own rows read once
    small = counted()
    for n in range(6):
        unit = [cast.yankes, cast.dinkes, cast.bkd][n % 3]
        pegawai = factories.pegawai(unit, atasan=cast.atasan_pegawai)
        factories.catatan_jp(pegawai, 5 + n, year=program.tahun)
    assert counted() == small


# --- The workbook beside the PDF (issue 24) ---------------------------------------------------


def workbook_of(laporan):
    laporan.refresh_from_db()
    with laporan.lampiran.open("rb") as fh:
        return load_workbook(io.BytesIO(fh.read()))


def test_the_workbook_has_a_row_per_opd_and_every_opds_needs_with_the_reports_figures(
    cast,
    program,
    evidence,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)  # what the worker runs
    live = reports.konteks_monitoring(laporan)
    book = workbook_of(laporan)
    opds, needs = book.worksheets
    assert opds.title == "Per perangkat daerah" and needs.title == "Kebutuhan pelatihan"
    rows = [list(r) for r in opds.iter_rows(values_only=True)]
    assert rows[0][0].startswith(f"Laporan monitoring {program.nama} · periode 1 November")
    assert "semua perangkat daerah (2)" in rows[0][0]
    assert rows[2] == reports.KOLOM_OPD
    assert opds.freeze_panes == "A4" and opds["A3"].font.b
    expected = [
        [r["unit"].nama, r["unit"].kode, r["pegawai_aktif"], r["pns"], r["pns_patuh"],
         float(reports._persen_sel(r["persen_patuh"])) if r["pns"] else None,
         r["laporan_terlambat"], r["laporan_menunggu_atasan"], r["masukan_menunggu"]]
        for r in live["units"]
    ]  # fmt: skip
    assert rows[3:] == expected
    assert len(rows[3:]) == len(live["units"]) == 2
    assert [row[5] for row in rows[3:]] == [50, 0]  # 1 of Dinkes' 2 PNS has 20 JP; BKD's none
    # A number with one place, shown 50,0 in an Indonesian Excel, as the PDF writes it.
    assert opds.cell(4, 6).number_format == "#,##0.0"
    need_rows = [list(r) for r in needs.iter_rows(values_only=True)][3:]
    assert need_rows and len(need_rows) == sum(len(rows) for _, rows in live["kebutuhan"])
    assert [(r[0], r[3], r[5]) for r in need_rows] == [
        (u.nama, b.kompetensi.kode, b.skor) for u, rows in live["kebutuhan"] for b in rows
    ]


def test_the_report_page_offers_both_downloads_and_names_the_workbook_in_indonesian(
    login, cast, program, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    client = login(cast.admin)
    page = client.get(laporan.get_absolute_url()).content.decode()
    url = reverse("pembinaan:laporan_download_xlsx", args=[laporan.pk])
    assert url in page and "Unduh semua perangkat daerah (XLSX)" in page
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    period = f"sibina-monitoring-{program.tahun}-11-01-sd-{program.tahun}-11-30"
    assert f"{period}-semua-perangkat-daerah.xlsx" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")
    pdf = client.get(reverse("pembinaan:laporan_download", args=[laporan.pk]))
    assert f'filename="{period}.pdf"' in pdf["Content-Disposition"]


@pytest.mark.parametrize("role", ["pegawai", "atasan", "outsider", "pengelola", None])
def test_the_workbook_is_refused_to_unit_hr_pegawai_and_anonymous(
    client, cast, program, role, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    laporan.refresh_from_db()
    assert laporan.lampiran
    if role:
        client.force_login(getattr(cast, role))
    response = client.get(reverse("pembinaan:laporan_download_xlsx", args=[laporan.pk]))
    assert response.status_code == (403 if role else 302)
    if not role:
        assert "/masuk/" in response.url or "login" in response.url


def test_a_report_made_before_workbooks_existed_has_no_workbook_link_and_404(
    login, cast, program, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    LaporanMonitoring.objects.filter(pk=laporan.pk).update(lampiran="")
    client = login(cast.admin)
    page = client.get(laporan.get_absolute_url()).content.decode()
    assert "Unduh PDF" in page and "XLSX" not in page
    url = reverse("pembinaan:laporan_download_xlsx", args=[laporan.pk])
    assert client.get(url).status_code == 404


def test_with_more_opds_than_it_lists_the_pdf_names_those_needing_attention_and_the_workbook(
    cast, program, monkeypatch, django_capture_on_commit_callbacks
):
    """One OPD listed of each kind (25 in production): the PDF names the OPD lowest on 20 JP
    compliance, leaves out the other and says the full list is in the workbook, which has both."""
    monkeypatch.setattr(reports, "OPD_DISOROT", 1)
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    context = reports.konteks_monitoring(laporan)
    assert context["daftar_dibatasi"] and len(context["units_pdf"]) == 1
    lowest = min(context["units"], key=lambda r: r["persen_patuh"])
    other = next(r for r in context["units"] if r is not lowest)
    assert context["units_pdf"] == [lowest]
    laporan_buat_task(laporan.pk)
    text = text_of(laporan)
    assert "Daftar lengkap semua perangkat daerah ada di lampiran XLSX" in text
    assert lowest["unit"].nama in text and other["unit"].nama not in text
    names = [
        r[0] for r in workbook_of(laporan).worksheets[0].iter_rows(min_row=4, values_only=True)
    ]
    assert names == [r["unit"].nama for r in context["units"]]


def test_a_pdf_listing_every_opd_does_not_point_to_the_workbook(
    cast, program, django_capture_on_commit_callbacks
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    text = text_of(laporan)
    assert "Dinas Kesehatan" in text and "Badan Kepegawaian Daerah" in text
    assert "lampiran XLSX" not in text


def _opd(pk, persen, late):
    return {"unit": type("U", (), {"pk": pk})(), "persen_patuh": persen, "laporan_terlambat": late}


def test_the_opds_needing_attention_are_the_lowest_on_jp_and_those_with_most_late_reports():
    units = [_opd(pk, persen=float(pk), late=0) for pk in range(1, 101)]
    units[79]["laporan_terlambat"] = 9  # pk 80, 80 % compliance, the most late reports
    units[89]["laporan_terlambat"] = 2  # pk 90
    units.append(_opd(101, None, 0))  # no PNS: no compliance to rank
    assert reports.opd_disorot(units[:3], n=3) == units[:3]  # few: every one, as they are
    chosen = reports.opd_disorot(units, n=3)
    assert [r["unit"].pk for r in chosen] == [1, 2, 3, 80, 90]
    assert len(reports.opd_disorot(units, n=25)) <= 50


# --- What the figures mean, said in the report itself -----------------------------------------


def test_the_achievements_say_the_day_they_are_counted_to_and_what_the_change_compares(
    cast, program, django_capture_on_commit_callbacks
):
    """The first report has nothing to compare with and says so; the next one says its change
    is against the previous report, named by its period, and up to which day both count."""
    october, _, _ = request(program, oct_(program), capture=django_capture_on_commit_callbacks)
    laporan_buat_task(october.pk)
    first = text_of(october)
    assert f"Capaian dihitung sampai 31 Oktober {program.tahun}, akhir periode laporan." in first
    assert "Perubahan: – karena belum ada laporan sebelumnya untuk dibandingkan." in first
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)
    november, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(november.pk)
    text = text_of(november)
    assert f"Capaian dihitung sampai 30 November {program.tahun}, akhir periode laporan." in text
    assert (
        "Perubahan: capaian ini dikurangi capaian dalam laporan sebelumnya (periode "
        f"1 Oktober {program.tahun} – 31 Oktober {program.tahun}), untuk persentase dalam poin "
        "persen"
    ) in text
    assert "belum ada laporan sebelumnya" not in text


def test_the_needs_score_is_explained_from_the_weights_it_adds(
    cast,
    program,
    evidence,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    text = text_of(laporan)
    assert "Skor: jumlah bobot bukti di perangkat daerah itu: 6 per pegawai dengan AKPK" in text
    # Every kind of evidence with the weight the analysis adds for it, in the PDF and workbook.
    explained = kebutuhan.skor_keterangan()
    for kind, weight in kebutuhan.BOBOT.items():
        assert f"{weight} per {kebutuhan.BUKTI_SATUAN[kind]}" in explained
    assert "dimensi iklim kerja rendah (di bawah 3,5 dari 5)" in explained
    assert explained in re.sub(r"(\w)- (\w)", r"\1-\2", text)  # "post- test" broken at a line end
    heading = workbook_of(laporan).worksheets[1]["A2"].value
    assert explained in heading


def test_the_needs_evidence_says_the_day_it_is_of_not_the_periods_end(
    cast,
    program,
    evidence,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """Computed as the report is made: of that day. Stored by the nightly job after the period
    ended: of the night it was stored. Either way the report says it may hold later evidence."""
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    today = date_format(timezone.localdate(), "j F Y")
    expected = (
        f"Bukti kebutuhan menurut data per {today}, bukan per akhir periode: dapat memuat bukti "
        f"yang tercatat sesudah 30 November {program.tahun}."
    )
    assert expected in text_of(laporan)
    assert f"Bukti menurut data per {today}, bukan per akhir periode" in (
        workbook_of(laporan).worksheets[1]["A2"].value
    )
    kebutuhan.bukti_simpan(tahun=program.tahun)
    RingkasanKebutuhan.objects.update(
        dihitung_at=timezone.make_aware(datetime(program.tahun, 12, 2, 1, 0))
    )
    october, _, _ = request(program, oct_(program), capture=django_capture_on_commit_callbacks)
    laporan_buat_task(october.pk)
    text = text_of(october)
    assert f"Bukti kebutuhan menurut data per 2 Desember {program.tahun}, bukan per akhir " in text
    assert f"dapat memuat bukti yang tercatat sesudah 31 Oktober {program.tahun}." in text
    assert f"Bukti menurut data per 2 Desember {program.tahun}" in (
        workbook_of(october).worksheets[1]["A2"].value
    )


def test_the_pdf_writes_predicates_changes_and_dates_the_one_way_of_the_app(
    cast, program, django_capture_on_commit_callbacks
):
    """The predicate as evaluasi names it; a fall with the minus sign, as the impact figures
    write it (lib.angka); dates in words, not 30/11/2025."""
    factories.periode(cast, rate=("di_atas", "di_bawah"))  # Kurang/Misconduct
    factories.catatan_jp(cast.pegawai_pegawai, 20, year=program.tahun)  # 33,33 %
    LaporanMonitoring.objects.create(
        program=program, periode_mulai=oct_(program)[0], periode_selesai=oct_(program)[1],
        status="selesai", angka={"pns_20_jp": "50.00"},
    )  # fmt: skip
    laporan, _, _ = request(program, capture=django_capture_on_commit_callbacks)
    laporan_buat_task(laporan.pk)
    text = text_of(laporan)
    assert "Kurang/Misconduct" in text and "misconduct)" not in text
    assert "\u221216,7 poin" in text  # 33,3 % − 50,0 %
    assert not re.search(r"-\d+,\d", text)  # no hyphen for a minus
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{4}", text)
    assert f"1 Oktober {program.tahun} – 31 Oktober {program.tahun}" in text


@pytest.mark.parametrize("eager", [False, True])
def test_the_message_after_a_request_tells_the_reports_real_state(
    login, cast, program, monkeypatch, eager, django_capture_on_commit_callbacks
):
    """With a worker the report is still waiting, and the message says so; run eagerly (no
    Redis) it is made before the page shows, and the message says that instead."""
    if eager:  # what eager mode does once the row is committed: the task runs at once
        monkeypatch.setattr(services, "enqueue_on_commit", lambda task, *args: task(*args))
    client = login(cast.admin)
    url = reverse("pembinaan:laporan_request", args=[program.pk])
    with django_capture_on_commit_callbacks():
        page = client.post(url, {"periode": "bulan-11"}, follow=True).content.decode()
    laporan = LaporanMonitoring.objects.get()
    if eager:
        assert laporan.status == "selesai"
        assert "Laporan selesai dibuat dan siap diunduh." in page and "sedang dibuat" not in page
    else:
        assert laporan.status == "menunggu"
        assert "Laporan sedang dibuat; halaman ini memperbarui statusnya sendiri." in page
    again = client.post(url, {"periode": "bulan-11"}, follow=True).content.decode()
    state = "selesai dibuat dan siap diunduh" if eager else "sedang dibuat"
    assert f"Laporan periode ini sudah ada (dibuat sekali saja): {state}" in again


def test_a_report_that_fails_while_made_eagerly_says_so_at_once(
    login, cast, program, monkeypatch, inline_retries
):
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, *args: task.apply(args))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "render_pdf", broken)
    page = login(cast.admin).post(
        reverse("pembinaan:laporan_request", args=[program.pk]), {"periode": "bulan-11"},
        follow=True,
    ).content.decode()  # fmt: skip
    assert LaporanMonitoring.objects.get().status == "gagal"
    assert "Laporan gagal dibuat; alasannya tertulis di bawah." in page
    assert "4 percobaan" in page


def test_a_report_of_a_past_month_spreads_the_predicates_of_a_period_begun_by_then(cast):
    """The March report spread the predicates of Triwulan III: the latest rated period of any
    date. It takes the latest begun by the report's end; the dashboard still the latest."""
    from evaluasi.models import PeriodePenilaian

    first = factories.periode(cast, nama="Triwulan I", rate=("di_atas", "sesuai"))
    later = factories.periode(cast, nama="Triwulan III", rate=("sesuai", "sesuai"))
    PeriodePenilaian.objects.filter(pk=later.pk).update(
        tanggal_mulai=date(2026, 7, 1), tanggal_selesai=date(2026, 9, 30)
    )
    assert reports.periode_predikat_terakhir() == later
    assert reports.periode_predikat_terakhir(date(2026, 3, 31)) == first
    assert reports.ringkasan_akhir_periode(date(2026, 3, 31)).periode_predikat == first
    assert reports.periode_predikat_terakhir(date(2025, 12, 31)) is None
