import io
import sys
import zipfile
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views import defaults
from django.views.decorators.http import require_GET, require_POST, require_safe

from masyarakat.access import can_manage_volume_layanan
from masyarakat.models import UnitLayanan
from pegawai.access import require, require_manager
from pegawai.models import Pegawai, UnitKerja, unit_jalur, unit_pilihan, unit_tree
from pegawai.reports import list_rows
from pelatihan import reports as pelatihan_reports
from pelatihan.forms import (
    LaporanUnitForm,
    tahun_param,
    tahun_rencana_param,
    tahun_rencana_pilihan,
)
from pelatihan.models import Kompetensi, Pelatihan

from . import (
    audit,
    dampak,
    data_terbuka,
    ip_asn,
    kalender,
    kebutuhan,
    reports,
    services,
    talenta,
    tugas,
)
from .access import (
    can_calibrate_penempatan,
    can_manage_klien_api,
    can_manage_komite,
    can_manage_talenta,
    can_manage_talenta_pegawai,
    can_read_audit,
    can_read_dampak,
    can_read_dampak_layanan,
    can_read_laporan_monitoring,
    can_read_talenta,
    can_revoke_klien_api,
    can_see_own_talenta,
    can_use_kalender_pribadi,
    layanan_dampak_terbaca,
)
from .dampak_layanan import dampak_layanan_pelatihan, dampak_unit_layanan
from .forms import (
    AuditFilterForm,
    DataTerbukaForm,
    ImporPotensialForm,
    JabatanKritikalForm,
    KalibrasiForm,
    KandidatForm,
    KlienApiForm,
    KomiteForm,
    PotensialForm,
    RencanaAngkatanForm,
    TargetForm,
)
from .lib import database
from .lib.angka import angka
from .lib.charts import bar_chart_svg, sparkline_svg
from .lib.dates import add_months, month_end, waktu_wib
from .lib.ical import ics_response as ical_response
from .lib.ical import kalender as kalender_ics
from .lib.pagination import keyset_paginate
from .lib.params import parse_int
from .lib.pdf import render_pdf
from .lib.queue import enqueue_on_commit
from .lib.tabular import TableError, csv_lines, list_export, read_table
from .lib.uploads import XLSX, file_response
from .lockout import lockout_ends_at
from .models import (
    AnggotaKomiteTalenta,
    CapaianTarget,
    IndeksProfesionalitas,
    JabatanKritikal,
    KalenderPribadi,
    KandidatSuksesi,
    KebutuhanPelatihan,
    KlienApi,
    LaporanMonitoring,
    PenempatanTalenta,
    Potensial,
    ProgramPembinaan,
    TargetProgram,
)
from .tasks import capaian_program_task, penempatan_talenta_task

# The home dashboard lists the first few items of each inbox kind; /tugas/ lists more.
BERANDA_PER_JENIS = 5


@login_required
def beranda(request):
    """Each role's dashboard: HR and administrators the program and their units' figures
    (precomputed every half hour), the pegawai their own progress, the atasan what waits."""
    user, today = request.user, timezone.localdate()
    profil = user.pegawai_profil
    ctx = {"today": today, "kelompok": tugas.daftar_tugas(user, today, per_jenis=BERANDA_PER_JENIS)}
    if user.is_manager:
        ctx["manager"] = reports.dashboard_manager(user, today)
    if profil is not None:
        ctx["saya"] = reports.dashboard_pegawai(profil, today)
        if user.is_atasan:
            ctx["atasan"] = reports.dashboard_atasan(profil, today)
    return render(request, "pembinaan/beranda.html", ctx)


@login_required
def tugas_list(request):
    """Everything that waits for this login's action, across the apps (pembinaan.tugas)."""
    today = timezone.localdate()
    ctx = {"today": today, "kelompok": tugas.daftar_tugas(request.user, today)}
    return render(request, "pembinaan/tugas_list.html", ctx)


def login_dikunci(request, original_response, credentials):
    """What a locked-out login gets, on /masuk/ and /admin/login/ alike (AXES_LOCKOUT_CALLABLE,
    called by axes' middleware in place of the login page): that the account is locked from this
    address, and when it opens again."""
    ctx = {"dibuka": lockout_ends_at(request, credentials)}
    return render(request, "registration/login_dikunci.html", ctx, status=429)


# How long a visitor's browser or a proxy waits before asking again while the database restarts.
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """handler500. A request that failed because PostgreSQL could not be reached (a restart,
    maintenance) gets 503 with the maintenance page and Retry-After; any other error Django's
    500 page. Both are rendered without the request: no context processor, no session, no user,
    nothing that reads the database."""
    if database.is_unavailable(sys.exc_info()[1]):
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return HttpResponse(render_to_string("503.html"), status=503, headers=headers)
    return defaults.server_error(request)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form sent from a page that expired (a session ended, a form kept open
    for days, cookies blocked). In Indonesian, in the site's layout, with a reload of the page and
    the way home; Django's default page speaks English and points at DEBUG."""
    return render(request, "403_csrf.html", {"muat_ulang": request.path}, status=403)


def _require_admin(request) -> None:
    if not request.user.is_admin:
        raise PermissionDenied("Program pembinaan diubah oleh administrator.")


@login_required
def program_list(request):
    require_manager(request)
    ctx = {"programs": ProgramPembinaan.objects.all(), "tahun_ini": timezone.localdate().year}
    return render(request, "pembinaan/program_list.html", ctx)


@login_required
@require_POST
def program_create(request):
    _require_admin(request)
    tahun = parse_int(request.POST.get("tahun"), low=2020, high=2100)
    if tahun is None:
        messages.error(request, "Tuliskan tahun program, mis. 2027.")
        return redirect("pembinaan:program_list")
    if ProgramPembinaan.objects.filter(tahun=tahun).exists():
        messages.error(request, f"Program tahun {tahun} sudah ada.")
        return redirect("pembinaan:program_list")
    program = services.program_create(tahun=tahun, by=request.user)
    enqueue_on_commit(capaian_program_task, program.pk)  # its first figures, at once
    messages.success(request, f"{program} dibuat dengan tiga tujuan dan target awalnya.")
    return redirect(program)


@login_required
def program_detail(request, pk: int):
    """Each objective with its strategies and targets: the latest computed value (the same figure
    the dashboard shows, pembinaan.reports.capaian_terkini), the target, and the month-end trend
    kept by the daily job."""
    require_manager(request)
    program = get_object_or_404(ProgramPembinaan, pk=pk)
    trends = defaultdict(list)
    for c in CapaianTarget.objects.filter(target__program=program).order_by("bulan"):
        trends[c.target_id].append(float(c.nilai) if c.nilai is not None else None)
    rows = []
    for target in reports.capaian_terkini(program):
        rows.append(
            {
                "target": target,
                "actual": target.nilai,
                "dihitung": target.dihitung,
                "tercapai": target.tercapai,
                "grafik": sparkline_svg(
                    trends[target.pk], title=f"Tren {target.get_indikator_display()}",
                    target=float(target.nilai_target),
                ),
            }
        )  # fmt: skip
    export = list_export(
        request, name=f"target-{program.tahun}",
        header=["Indikator", "Satuan", "Target", "Capaian", "Dihitung"],
        rows=lambda: (
            [r["target"].get_indikator_display(), r["target"].definisi.satuan,
             r["target"].definisi.bulat(r["target"].nilai_target),
             r["target"].definisi.bulat(r["actual"]),
             waktu_wib(r["dihitung"])]
            for r in rows
        ),
    )  # fmt: skip
    if export:
        return export
    tren = reports.ip_asn_tren()  # the province's IP ASN by year, stored by the daily job
    this_year = timezone.localdate().year
    ctx = {
        "program": program, "tujuan": program.tujuan.all(), "rows": rows, "ip_tren": tren,
        "tahun_ini": this_year,
        "laporan_terbaca": bool(can_read_laporan_monitoring(request.user)),
    }  # fmt: skip
    if tren:
        # The OPDs of the last complete year: this year's annual predicates come next year.
        done = [r["tahun"] for r in tren if r["tahun"] < this_year]
        ctx["ip_tren_svg"] = reports.ip_asn_tren_svg(tren)
        ctx["ip_tahun"] = done[-1] if done else tren[-1]["tahun"]
        ctx["ip_opd"] = reports.ip_asn_per_opd(ctx["ip_tahun"])
    return render(request, "pembinaan/program_detail.html", ctx)


@login_required
@require_POST
def target_update(request, pk: int):
    _require_admin(request)
    target = get_object_or_404(TargetProgram.objects.select_related("program"), pk=pk)
    form = TargetForm(request.POST, instance=target)
    if form.is_valid():
        form.save()
        messages.success(request, f"Target {target.get_indikator_display()} disimpan.")
    else:
        messages.error(request, " ".join(form.errors["nilai_target"]))
    return redirect(target.program)


@login_required
@require_POST
def capaian_refresh(request, pk: int):
    _require_admin(request)
    program = get_object_or_404(ProgramPembinaan, pk=pk)
    enqueue_on_commit(capaian_program_task, program.pk)
    messages.success(request, "Capaian dihitung ulang; tren bulan ini diperbarui sebentar lagi.")
    return redirect(program)


def _kebutuhan_unit(request) -> tuple[list[UnitKerja], UnitKerja | None]:
    """The units whose needs this user may analyse (province HR: every unit of the province)
    and the one asked for; a unit asked for outside them is a 404, never another unit."""
    user = request.user
    scope = UnitKerja.objects.all() if user.manages_province else UnitKerja.objects.managed_by(user)
    units = list(scope.filter(depth__lte=2))
    chosen = request.GET.get("unit") or request.POST.get("unit", "")
    if not chosen:  # their own unit first, for province HR who also manage one
        own = next((u for u in units if user.can_manage_unit(u)), None)
        return units, own or (units[0] if units else None)
    unit = next((u for u in units if str(u.pk) == chosen), None)
    if unit is None:
        raise Http404("Analisis kebutuhan dibuat per OPD dan bidang dalam cakupan Anda.")
    return units, unit


@login_required
def kebutuhan_list(request):
    """Where ASN of a unit still struggle, per competency, ranked, with the evidence and what
    each row proposes."""
    require_manager(request)
    units, unit = _kebutuhan_unit(request)
    tahun = timezone.localdate().year
    jalur = unit_jalur()
    pilihan = [(u, jalur.get(u.pk, u.nama)) for u in units]
    ctx = {"units": units, "pilihan": pilihan, "unit": unit, "tahun": tahun}
    if unit is not None:
        ctx |= {
            "rows": kebutuhan.analisis(unit, tahun=tahun),
            "di_bawah_20_jp": kebutuhan.di_bawah_20_jp(unit, tahun),
        }
        export = list_export(
            request, name=f"kebutuhan-{unit.kode}-{tahun}", header=kebutuhan.EXPORT_HEADER,
            rows=lambda: kebutuhan.export_rows(ctx["rows"]),
        )  # fmt: skip
        if export:
            return export
    return render(request, "pembinaan/kebutuhan_list.html", ctx)


@login_required
def kebutuhan_rencanakan(request):
    """ "Rencanakan angkatan": a form prefilled from the row (days from the training's JP, the
    pegawai with the gap nominated); the batch is made only when it is submitted."""
    require_manager(request)
    _, unit = _kebutuhan_unit(request)
    source = request.POST if request.method == "POST" else request.GET
    kompetensi = get_object_or_404(Kompetensi, pk=parse_int(source.get("kompetensi")) or 0)
    if unit is None:
        raise PermissionDenied("Tidak ada unit kelolaan.")
    today = timezone.localdate()
    try:
        usulan = kebutuhan.usulan(unit, kompetensi, by=request.user, today=today)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('pembinaan:kebutuhan_list')}?unit={unit.pk}")
    form = RencanaAngkatanForm(request.POST or None, usulan=usulan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"peserta": list(form.cleaned_data["peserta"])}
        try:
            rencana = services.kebutuhan_rencanakan(
                unit=unit, kompetensi=kompetensi, by=request.user, today=today, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _rencana_message(rencana))
            return redirect(rencana.kebutuhan.angkatan)
    ctx = {"form": form, "usulan": usulan, "unit": unit, "kompetensi": kompetensi}
    return render(request, "pembinaan/kebutuhan_rencanakan.html", ctx)


def _rencana_message(rencana: services.Rencana) -> str:
    hasil = rencana.nominasi
    parts = [f"{rencana.kebutuhan.angkatan} direncanakan", f"{len(hasil.terdaftar)} dinominasikan"]
    if hasil.daftar_tunggu:
        parts.append(f"{len(hasil.daftar_tunggu)} di daftar tunggu")
    parts += [f"{p.nama_lengkap} tidak dinominasikan: {why}" for p, why in hasil.dilewati]
    return "; ".join(parts) + "."


@login_required
def dampak_list(request):
    """Every training measured so far, largest effect first (pembinaan.dampak)."""
    require(can_read_dampak(request.user))
    today = timezone.localdate()
    ctx = {"peringkat": dampak.peringkat(sampai=today), "today": today}
    return render(request, "pembinaan/dampak_list.html", ctx)


@login_required
def dampak_pelatihan(request, pk: int):
    """A training's impact panel: its own page, and loaded into the training's page by htmx."""
    require(can_read_dampak(request.user))
    pelatihan = get_object_or_404(Pelatihan, pk=pk)
    today = timezone.localdate()
    ctx = {
        "dampak": dampak.dampak_pelatihan(pelatihan, today=today),
        "layanan": dampak_layanan_pelatihan(pelatihan, today, layanan_dampak_terbaca(request.user)),
        "jenis_periode": settings.DAMPAK_JENIS_PERIODE,
        "minimal": settings.DAMPAK_MIN_KELOMPOK,
    }
    if request.htmx:
        return render(request, "pembinaan/_dampak_pelatihan.html", ctx)
    return render(request, "pembinaan/dampak_pelatihan.html", ctx)


@login_required
def akpk_list(request):
    """The AKPK of an OPD: its agreed development plans of a year rolled up per competency and
    form, with JP, cost and pegawai; downloadable; one step to the program's planned batches."""
    require_manager(request)
    units, unit = _kebutuhan_unit(request)
    today = timezone.localdate()
    tahun = tahun_rencana_param(request.GET, today)
    jalur = unit_jalur()
    ctx = {
        "pilihan": [(u, jalur.get(u.pk, u.nama)) for u in units],
        "unit": unit,
        "tahun": tahun,
        "pilihan_tahun": tahun_rencana_pilihan(today),
        "can_plan": tahun >= today.year,
    }
    if unit is not None:
        scope = Pegawai.objects.aktif().di_unit(unit)
        rows = pelatihan_reports.akpk_baris(scope, tahun)
        planned = KebutuhanPelatihan.objects.filter(unit=unit, tahun=tahun).select_related(
            "angkatan"
        )
        ctx |= {
            "rows": rows,
            "jumlah": pelatihan_reports.akpk_jumlah(scope, tahun, rows),
            "direncanakan": {k.kompetensi_id: k.angkatan for k in planned},
        }
        export = list_export(
            request, name=f"akpk-{unit.kode}-{tahun}", header=pelatihan_reports.AKPK_HEADER,
            rows=lambda: pelatihan_reports.akpk_rows(rows),
        )  # fmt: skip
        if export:
            return export
    return render(request, "pembinaan/akpk_list.html", ctx)


@login_required
@require_POST
def akpk_rencanakan(request):
    """ "Rencanakan angkatan dari AKPK": every classical AKPK row with a catalog training becomes
    a planned batch of the AKPK's year, in one step."""
    require_manager(request)
    _, unit = _kebutuhan_unit(request)
    if unit is None:
        raise PermissionDenied("Tidak ada unit kelolaan.")
    today = timezone.localdate()
    tahun = tahun_rencana_param(request.POST, today)
    back = f"{reverse('pembinaan:akpk_list')}?unit={unit.pk}&tahun={tahun}"
    if request.POST.get("tahun") != str(tahun):  # a year outside the choices is not replaced
        messages.error(request, "Pilih tahun AKPK dari daftar (tahun lalu, tahun ini atau "
                       "tahun depan); tidak ada angkatan yang direncanakan.")  # fmt: skip
        return redirect(back)
    try:
        hasil = services.akpk_rencanakan(unit=unit, tahun=tahun, by=request.user, today=today)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    for rencana in hasil.direncanakan:
        messages.success(request, _rencana_message(rencana))
    for nama, why in hasil.dilewati:
        messages.warning(request, f"{nama} tidak direncanakan: {why}.")
    if not hasil.direncanakan:
        messages.info(request, "Tidak ada angkatan baru yang direncanakan.")
    return redirect(back)


@login_required
def jp_kepatuhan(request):
    """Per unit and year: the share of PNS with at least 20 JP, PPPK over their cap, and the
    PNS below the target."""
    require_manager(request)
    form = LaporanUnitForm.from_query(request.GET, user=request.user)
    year = form.tahun_terpilih
    scope = form.pegawai(request.user)
    if year < timezone.localdate().year:
        # A past year counts only those appointed by its end. Not this year's page: the
        # condition would cost the list its index-only walk (1.9 → 9.4 ms at 1,000,000).
        scope = scope.mulai_bekerja_sampai(year)
    below = pelatihan_reports.pns_di_bawah_target(scope, year)
    chosen = form.chosen_unit()
    export = list_export(
        request, name="-".join(["di-bawah-20-jp", *form.kode_berkas(), str(year)]),
        header=pelatihan_reports.di_bawah_target_header(year),
        rows=lambda: pelatihan_reports.di_bawah_target_rows(
            below.select_related("unit").order_by("nama", "pk")
        ),
    )  # fmt: skip
    if export:
        return export
    page = pelatihan_reports.pns_di_bawah_target_page(
        scope, year, after=request.GET.get("setelah"), before=request.GET.get("sebelum")
    )
    page.object_list = list_rows(page.object_list)
    # This year's figures are the dashboard's, made every half hour (one row per unit instead
    # of summing the year's ledger per pegawai); another year, or before the first run, live.
    stored = reports.kepatuhan_tersimpan(request.user, chosen and chosen.pk, year)
    ctx = {
        "tahun": year,
        "form": form,
        "chosen": chosen,
        "ringkasan": stored or pelatihan_reports.kepatuhan_jp(scope, year),
        "page": page,
    }
    return render(request, "pembinaan/jp_kepatuhan.html", ctx)


@login_not_required
@require_safe
def data_terbuka_index(request):
    """Public open data: a year's statistics with charts, tables and downloads; nothing
    personal (pembinaan.data_terbuka). Read like the other public pages: no account, no rate
    limit on reading (the public forms count their POSTs), a fixed handful of queries."""
    form, data = _data_terbuka(request)
    if data is None:
        ctx = {"form": form, "tahun": None}
        return render(request, "pembinaan/data_terbuka.html", ctx, status=400)
    ikm_unit, ikm_tren, *lainnya = data.tabel
    ctx = {"form": form, "data": data, "tahun": data.tahun, "lisensi": data_terbuka.LISENSI,
           "ikm_unit": ikm_unit, "ikm_tren": ikm_tren, "lainnya": lainnya}  # fmt: skip
    return render(request, "pembinaan/data_terbuka.html", ctx)


@login_not_required
@require_safe
def data_terbuka_csv(request, slug: str):
    form, data = _data_terbuka(request)
    if data is None:
        return render(request, "pembinaan/data_terbuka.html", {"form": form}, status=400)
    tabel = data_terbuka.tabel_by_slug(data).get(slug)
    if tabel is None:
        raise Http404("Tidak ada data dengan nama itu.")
    content = "".join(csv_lines(tabel.header, tabel.csv_rows()))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{data.tahun}.csv"'
    return response


@login_not_required
@require_safe
def data_terbuka_zip(request):
    form, data = _data_terbuka(request)
    if data is None:
        return render(request, "pembinaan/data_terbuka.html", {"form": form}, status=400)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", data_terbuka.readme(data))
        for tabel in data.tabel:
            content = "".join(csv_lines(tabel.header, tabel.csv_rows()))
            archive.writestr(f"{tabel.slug}-{data.tahun}.csv", content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="data-terbuka-sibina-{data.tahun}.zip"'
    return response


def _data_terbuka(request):
    """The year asked for and its figures; (the form with its error, None) for a bad year."""
    form = DataTerbukaForm(
        request.GET, tahun_awal=data_terbuka.TAHUN_AWAL, tahun_ini=timezone.localdate().year
    )
    if not form.is_valid():
        return form, None
    return form, data_terbuka.hitung(form.cleaned_data["tahun"])


@login_required
def audit_list(request):
    """Who decided what and when, across kinds: administrators everything, HR their units
    (province HR also the province's scholarships and periods); filtered, searched, paged,
    downloaded as CSV or XLSX."""
    require(can_read_audit(request.user))
    form = AuditFilterForm(
        request.GET, units=unit_pilihan(request.user), jenis=audit.jenis_terbaca(request.user)
    )
    chosen = form.filter()
    export = list_export(
        request, name="log-audit", header=audit.EXPORT_HEADER,
        rows=lambda: audit.export_rows(request.user, chosen),
    )  # fmt: skip
    if export:
        return export
    page = audit.audit_page(request.user, chosen, after=request.GET.get("setelah"))
    return render(request, "pembinaan/audit_list.html", {"form": form, "page": page})


PERIODE_BULAN = {"bulan": 1, "triwulan": 3, "semester": 6, "tahun": 12}
ROMAWI = ["I", "II", "III", "IV"]


def _periode(jenis: str, tahun: int, ke: int) -> tuple[date, date]:
    months = PERIODE_BULAN[jenis]
    start = date(tahun, (ke - 1) * months + 1, 1)
    return start, month_end(add_months(start, months - 1))


def _periode_label(jenis: str, tahun: int, ke: int) -> str:
    if jenis == "bulan":
        return date_format(date(tahun, ke, 1), "F Y")
    if jenis == "tahun":
        return f"Tahun {tahun}"
    return f"{jenis.capitalize()} {ROMAWI[ke - 1]} {tahun}"


def periode_selesai(tahun: int, today: date) -> list[tuple[str, str]]:
    """The periods of a program year that have ended by `today`, as the request form offers
    them: ("triwulan-3", "Triwulan III 2026"), the latest of each kind first."""
    return [
        (f"{jenis}-{ke}", _periode_label(jenis, tahun, ke))
        for jenis, months in PERIODE_BULAN.items()
        for ke in range(12 // months, 0, -1)
        if _periode(jenis, tahun, ke)[1] < today
    ]


@login_required
def laporan_list(request, pk: int):
    """A program's monitoring reports, newest period first, and a request for any period that
    has ended."""
    require(can_read_laporan_monitoring(request.user))
    program = get_object_or_404(ProgramPembinaan, pk=pk)
    ctx = {
        "program": program,
        "laporan": program.laporan_monitoring.all(),
        "pilihan": periode_selesai(program.tahun, timezone.localdate()),
    }
    export = list_export(
        request, name=f"laporan-monitoring-{program.tahun}",
        header=["Mulai", "Selesai", "Status", "Dibuat"],
        rows=lambda: (
            [lap.periode_mulai, lap.periode_selesai, lap.get_status_display(),
             waktu_wib(lap.selesai_at)]
            for lap in ctx["laporan"]
        ),
    )  # fmt: skip
    if export:
        return export
    return render(request, "pembinaan/laporan_list.html", ctx)


@login_required
def laporan_request(request, pk: int):
    """Ask for a period's report (POST); a GET (a reloaded or bookmarked request) leads back to
    the list, where the form is."""
    require(can_read_laporan_monitoring(request.user))
    program = get_object_or_404(ProgramPembinaan, pk=pk)
    if request.method != "POST":
        return redirect("pembinaan:laporan_list", pk=program.pk)
    jenis, _, ke = request.POST.get("periode", "").partition("-")
    ke = parse_int(ke, low=1, high=12 // PERIODE_BULAN.get(jenis, 12))
    if jenis not in PERIODE_BULAN or ke is None:
        messages.error(request, "Pilih periode yang sudah selesai, mis. Triwulan III.")
        return redirect("pembinaan:laporan_list", pk=program.pk)
    mulai, selesai = _periode(jenis, program.tahun, ke)
    try:
        laporan, queued = services.laporan_request(
            program=program, mulai=mulai, selesai=selesai, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pembinaan:laporan_list", pk=program.pk)
    _tell_laporan_state(request, laporan, queued=queued)
    return redirect(laporan)


# What a requested report is, in the message after the request.
KEADAAN_LAPORAN = {
    LaporanMonitoring.Status.SELESAI: "selesai dibuat dan siap diunduh",
    LaporanMonitoring.Status.GAGAL: "gagal dibuat; alasannya tertulis di bawah",
}
KEADAAN_DIBUAT = "sedang dibuat; halaman ini memperbarui statusnya sendiri"


def _tell_laporan_state(request, laporan: LaporanMonitoring, *, queued: bool) -> None:
    """The message says what the report is now: run eagerly (no Redis), the task has made it
    once the row committed, before this page is answered."""
    laporan.refresh_from_db(fields=["status"])
    keadaan = KEADAAN_LAPORAN.get(laporan.status, KEADAAN_DIBUAT)
    if not queued:
        messages.info(request, f"Laporan periode ini sudah ada (dibuat sekali saja): {keadaan}.")
    elif laporan.status == LaporanMonitoring.Status.GAGAL:
        messages.error(request, f"Laporan {keadaan}.")
    else:
        messages.success(request, f"Laporan {keadaan}.")


def _get_laporan_for_user(request, pk: int) -> LaporanMonitoring:
    require(can_read_laporan_monitoring(request.user))
    return get_object_or_404(LaporanMonitoring.objects.select_related("program"), pk=pk)


@login_required
def laporan_detail(request, pk: int):
    laporan = _get_laporan_for_user(request, pk)
    template = "pembinaan/_laporan_status.html" if request.htmx else "pembinaan/laporan_detail.html"
    return render(request, template, {"laporan": laporan})


@login_required
@require_GET
def laporan_download(request, pk: int):
    laporan = _get_laporan_for_user(request, pk)
    if laporan.status != LaporanMonitoring.Status.SELESAI:
        raise Http404("Laporan ini belum selesai dibuat.")
    return file_response(request, laporan.file, name=laporan.nama_unduhan())


@login_required
@require_GET
def laporan_download_xlsx(request, pk: int):
    """The workbook made beside the PDF (every OPD's row and needs): for whoever may fetch the
    PDF, once it is made. A report made before there were workbooks has none: 404."""
    laporan = _get_laporan_for_user(request, pk)
    if laporan.status != LaporanMonitoring.Status.SELESAI:
        raise Http404("Laporan ini belum selesai dibuat.")
    if not laporan.lampiran:
        raise Http404("Laporan ini dibuat sebelum ada lampiran XLSX; daftarnya ada di PDF.")
    name = f"{laporan.nama_unduhan()}-semua-perangkat-daerah"
    return file_response(request, laporan.lampiran, name=name, kind=XLSX)


# --- Indeks Profesionalitas ASN (pembinaan.ip_asn) ------------------------------------------


def _dimensi_rows(hasil: "ip_asn.Hasil") -> list[dict]:
    """The breakdown grouped per dimension: its rule rows, its points of its weight."""
    return [
        {
            "dimensi": ip_asn.DIMENSI_LABEL[d],
            "baris": [b for b in hasil.baris if b.dimensi == d],
            "nilai": hasil.nilai[d],
            "bobot": ip_asn.BOBOT[d],
            "persen": 100 * hasil.nilai[d] / ip_asn.BOBOT[d],
        }
        for d in ip_asn.DIMENSI
    ]


@login_required
def ip_asn_pegawai(request, pk: int):
    """A pegawai's IP ASN of a year, computed now from their records, with how each dimension
    was scored; and the years the daily job stored. For the pegawai, their atasan and the HR of
    their unit (whoever sees the pegawai)."""
    pegawai = get_object_or_404(Pegawai.objects.visible_to(request.user), pk=pk)
    tahun = _ip_asn_tahun(request)
    found = ip_asn.diukur(Pegawai.objects.filter(pk=pegawai.pk), tahun)
    hasil = ip_asn.skor(found[0].masukan) if found else None
    ctx = {
        "pegawai": pegawai,
        "tahun": tahun,
        "berjalan": tahun == timezone.localdate().year,
        "tahun_pilihan": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        "hasil": hasil,
        "dimensi": _dimensi_rows(hasil) if hasil else [],
        "tersimpan": IndeksProfesionalitas.objects.filter(pegawai=pegawai).order_by("-tahun"),
    }
    return render(request, "pembinaan/ip_asn_pegawai.html", ctx)


@login_required
def dampak_layanan(request, pk: int):
    """A service unit's IKM per element and complaints per 1.000 services, in the quarters before
    and after its officers passed a training that targets what those elements measure (L4)."""
    require_manager(request)
    layanan = get_object_or_404(UnitLayanan.objects.select_related("unit"), pk=pk)
    if not can_read_dampak_layanan(request.user, layanan):
        raise Http404  # another unit's service unit: not there for this HR
    ctx = {
        "layanan": layanan,
        "peristiwa": dampak_unit_layanan(layanan, timezone.localdate()),
        "kuartal": settings.DAMPAK_KUARTAL,
        "boleh_isi_volume": can_manage_volume_layanan(request.user, layanan).allowed,
    }
    return render(request, "pembinaan/dampak_layanan.html", ctx)


def _ip_asn_tahun(request) -> int:
    """The year asked for; by default last year, the last whose annual predicates are given
    (they come early in the next year), so that the kinerja dimension is not empty."""
    if request.GET.get("tahun"):
        return tahun_param(request.GET)
    return timezone.localdate().year - 1


# The lowest scores an OPD page lists by name: where development should start.
IP_ASN_TERENDAH = 50


@login_required
def ip_asn_unit(request):
    """An OPD's (or unit's) IP ASN of a year, computed now for its measured pegawai in five
    queries: the average, per dimension, the count per band, and the lowest scores. For HR of
    the unit and of the province."""
    require_manager(request)
    units, unit = _kebutuhan_unit(request)
    tahun = _ip_asn_tahun(request)
    jalur = unit_jalur()
    ctx = {
        "pilihan": [(u, jalur.get(u.pk, u.nama)) for u in units],
        "unit": unit,
        "tahun": tahun,
        "berjalan": tahun == timezone.localdate().year,
        "tahun_pilihan": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
    }
    if unit is not None:
        scored = [
            (d, ip_asn.skor(d.masukan)) for d in ip_asn.diukur(Pegawai.objects.di_unit(unit), tahun)
        ]
        ringkasan = ip_asn.ringkas(h for _, h in scored)
        user = request.user
        ctx |= {
            "ringkasan": ringkasan,
            "rata_dimensi": [
                (ip_asn.DIMENSI_LABEL[d], ringkasan.rata_dimensi[d], ip_asn.BOBOT[d])
                for d in ip_asn.DIMENSI
            ],
            "grafik": bar_chart_svg(
                [(label, n) for _, label, n in ringkasan.per_kategori],
                title=f"Sebaran IP ASN {unit.nama} {tahun}", unit=" org",
            ),
            "terendah": [
                (d, h, user.can_manage_unit_id(d.unit_id))
                for d, h in sorted(scored, key=lambda x: (x[1].total, x[0].nama))[:IP_ASN_TERENDAH]
            ],
        }  # fmt: skip
    return render(request, "pembinaan/ip_asn_unit.html", ctx)


# --- Talent management (PermenPANRB 3/2020): pembinaan/talenta.py holds the rules ------------

# An import of potential scores: rows of one file (an assessment round of the province).
IMPOR_POTENSIAL_MAX_ROWS = 20_000


def _opd_list() -> list:
    return [u for u in unit_tree() if u.depth == 1]


def _chosen_opd(request, opds: list):
    """The OPD asked for (?unit=), None for the whole province; another id is a 404."""
    asked = request.GET.get("unit")
    if not asked:
        return None
    chosen = next((u for u in opds if str(u.pk) == asked), None)
    if chosen is None:
        raise Http404("OPD ini tidak dikenal.")
    return chosen


@login_required
def talenta_index(request):
    """The nine boxes of the province or of one OPD (counts per box, from the stored
    placements), the counts of every OPD, and the same chart as a PDF (?format=pdf)."""
    require(can_read_talenta(request.user))
    opds = _opd_list()
    chosen = _chosen_opd(request, opds)
    per_opd = talenta.jumlah_per_opd()
    counts = per_opd.get(chosen.pk, {}) if chosen else talenta.jumlah_total(per_opd)
    scope = chosen.nama if chosen else "Provinsi Jambi"
    ctx = {
        "opds": opds,
        "chosen": chosen,
        "scope": scope,
        "counts": counts,
        "jumlah": sum(counts.values()),
        "pool": sum(n for k, n in counts.items() if k in talenta.POOL),
        "grafik": talenta.nine_box(counts, title=f"Kotak manajemen talenta · {scope}"),
        "kotak": [(k, counts.get(n, 0)) for n, k in talenta.KOTAK.items()],
        "baris_opd": [
            (opd, [per_opd.get(opd.pk, {}).get(n, 0) for n in talenta.KOTAK])
            for opd in opds
            if opd.pk in per_opd
        ],
        "tahun": talenta.tahun_kinerja(timezone.localdate()),
        "kelola": can_manage_talenta(request.user),
    }
    if request.GET.get("format") == "pdf":
        content = render_pdf("pdf/talenta.html", ctx | {"dibuat": timezone.localtime()})
        response = HttpResponse(content, content_type="application/pdf")
        name = f"opd-{chosen.pk}" if chosen else "provinsi"
        response["Content-Disposition"] = f'attachment; filename="kotak-talenta-{name}.pdf"'
        return response
    return render(request, "pembinaan/talenta_index.html", ctx)


@login_required
def penempatan_list(request, pool: bool = False):
    """The pegawai placed in a box (?kotak=), or in the talent pool, of the province or one
    OPD; keyset pages by name; the placements as CSV/XLSX (docs/talenta.md)."""
    require(can_read_talenta(request.user))
    opds = _opd_list()
    chosen = _chosen_opd(request, opds)
    kotak = parse_int(request.GET.get("kotak"), low=1, high=9)
    boxes = sorted(talenta.POOL) if pool else ([kotak] if kotak else list(talenta.KOTAK))
    placed = PenempatanTalenta.objects.filter(kotak__in=boxes)
    if chosen:
        placed = placed.filter(opd_id=chosen.pk)
    export = list_export(
        request, name="talenta-pool" if pool else "penempatan-talenta",
        header=talenta.EKSPOR_PENEMPATAN, rows=lambda: talenta.ekspor_penempatan(placed),
    )  # fmt: skip
    if export:
        return export
    pegawai = Pegawai.objects.filter(
        penempatan_talenta__kotak__in=boxes,
        **({"penempatan_talenta__opd_id": chosen.pk} if chosen else {}),
    )
    page = keyset_paginate(
        pegawai.for_list("penempatan_talenta__id", "penempatan_talenta__kotak"), key="nama",
        after=request.GET.get("setelah"), before=request.GET.get("sebelum"),
    )  # fmt: skip
    page.object_list = list_rows(page.object_list)
    ctx = {
        "page": page, "opds": opds, "chosen": chosen, "pool": pool, "kotak": kotak,
        "info": talenta.KOTAK.get(kotak), "pilihan_kotak": list(talenta.KOTAK.values()),
        "kelola": can_manage_talenta(request.user),
    }  # fmt: skip
    return render(request, "pembinaan/penempatan_list.html", ctx)


def _get_penempatan_for_user(request, pk: int) -> PenempatanTalenta:
    require(can_read_talenta(request.user))
    return get_object_or_404(
        PenempatanTalenta.objects.select_related("pegawai", "opd", "dikalibrasi_oleh"), pk=pk
    )


@login_required
def penempatan_detail(request, pk: int):
    penempatan = _get_penempatan_for_user(request, pk)
    ctx = {
        "penempatan": penempatan,
        "hitung": talenta.KOTAK[penempatan.kotak_hitung],
        "riwayat": penempatan.history.select_related("history_user").order_by("-history_date"),
        "boleh_kalibrasi": can_calibrate_penempatan(request.user, penempatan),
        "form": KalibrasiForm(initial={"kotak": penempatan.kotak}),
        "kelola": can_manage_talenta(request.user),
    }
    return render(request, "pembinaan/penempatan_detail.html", ctx)


@login_required
@require_POST
def penempatan_calibrate(request, pk: int):
    penempatan = _get_penempatan_for_user(request, pk)
    require(can_calibrate_penempatan(request.user, penempatan))
    form = KalibrasiForm(request.POST)
    if form.is_valid():
        services.penempatan_calibrate(penempatan=penempatan, by=request.user, **form.cleaned_data)
        messages.success(request, f"Penempatan dikalibrasi ke kotak {penempatan.kotak}.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(penempatan)


@login_required
@require_POST
def penempatan_refresh(request):
    require(can_manage_talenta(request.user))
    enqueue_on_commit(penempatan_talenta_task)
    messages.success(request, "Penempatan seluruh pegawai dihitung ulang; selesai sebentar lagi.")
    return redirect("pembinaan:talenta_index")


@login_required
def potensial_create(request):
    """One assessment's potential score, entered by the province's HR."""
    require(can_manage_talenta(request.user))
    form = PotensialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = can_manage_talenta_pegawai(request.user, form.cleaned_data["pegawai"])
        if not verdict:
            form.add_error("pegawai", verdict.message)
            return render(request, "pembinaan/potensial_form.html", {"form": form})
        try:
            potensial = services.potensial_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Potensial {potensial.pegawai.nama_lengkap} disimpan "
                f"(skor {angka(potensial.skor, 2)}, {potensial.get_sumber_display().lower()}).",
            )  # fmt: skip
            return redirect("pembinaan:potensial_create")
    return render(request, "pembinaan/potensial_form.html", {"form": form})


@login_required
def potensial_import(request):
    """Potential scores from CSV/XLSX: all rows or none, every bad row named."""
    require(can_manage_talenta(request.user))
    form = ImporPotensialForm(request.POST or None, request.FILES or None)
    kesalahan = []
    if request.method == "POST" and form.is_valid():
        try:
            header, rows = read_table(
                form.cleaned_data["berkas"], max_rows=IMPOR_POTENSIAL_MAX_ROWS
            )
        except TableError as error:
            form.add_error("berkas", str(error))
        else:
            profil = request.user.pegawai_profil
            hasil = talenta.baca_impor(header, rows, sendiri=profil.pk if profil else None)
            kesalahan = hasil.kesalahan
            if hasil.rows:
                saved = services.potensial_import(rows=hasil.rows, by=request.user)
                messages.success(request, f"{angka(saved)} hasil asesmen potensial disimpan.")
                return redirect("pembinaan:talenta_index")
            if not kesalahan:
                form.add_error("berkas", "Berkas tidak berisi baris data.")
    ctx = {
        "form": form, "kesalahan": kesalahan[:1000], "kolom": talenta.KOLOM_IMPOR,
        "contoh": talenta.CONTOH_IMPOR, "sumber": Potensial.Sumber.choices,
    }  # fmt: skip
    return render(request, "pembinaan/potensial_impor.html", ctx)


@login_required
def kritikal_list(request):
    """The critical positions with their number of successors, a form to designate one, and
    the succession plans as CSV/XLSX (docs/talenta.md)."""
    require(can_read_talenta(request.user))
    export = list_export(
        request, name="rencana-suksesi", header=talenta.EKSPOR_SUKSESI,
        rows=lambda: talenta.ekspor_suksesi(),
    )  # fmt: skip
    if export:
        return export
    kelola = can_manage_talenta(request.user)
    return _kritikal_list_page(request, JabatanKritikalForm() if kelola else None, kelola=kelola)


def _kritikal_list_page(request, form: JabatanKritikalForm | None, *, kelola: bool):
    ctx = {
        "kritikal": JabatanKritikal.objects.select_related("jabatan", "unit").annotate(
            jumlah=Count("kandidat")
        ),
        "form": form,
        "kelola": kelola,
    }
    return render(request, "pembinaan/kritikal_list.html", ctx)


@login_required
@require_POST
def kritikal_create(request):
    require(can_manage_talenta(request.user))
    form = JabatanKritikalForm(request.POST)
    if form.is_valid():
        try:
            kritikal = services.jabatan_kritikal_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{kritikal} ditetapkan sebagai jabatan kritikal.")
            return redirect(kritikal)
        return redirect("pembinaan:kritikal_list")
    # The form again with its errors (and the sub-units asked for with "Tampilkan sub-unit").
    return _kritikal_list_page(request, form, kelola=True)


def _get_kritikal_for_user(request, pk: int) -> JabatanKritikal:
    require(can_read_talenta(request.user))
    return get_object_or_404(JabatanKritikal.objects.select_related("jabatan", "unit"), pk=pk)


@login_required
def kritikal_detail(request, pk: int):
    kritikal = _get_kritikal_for_user(request, pk)
    kandidat = list(
        kritikal.kandidat.select_related(
            "pegawai", "kompetensi", "baris_rencana__rencana"
        ).order_by(KandidatSuksesi.readiest_first(), "pk")
    )
    boxes = dict(
        PenempatanTalenta.objects.filter(pegawai_id__in=[k.pegawai_id for k in kandidat])
        .values_list("pegawai_id", "kotak")
    )  # fmt: skip
    for k in kandidat:
        k.kotak = boxes.get(k.pegawai_id)
    kelola = can_manage_talenta(request.user)
    ctx = {
        "kritikal": kritikal, "kandidat": kandidat, "kelola": kelola,
        "form": KandidatForm() if kelola else None, "pool": talenta.pool_text(),
    }  # fmt: skip
    return render(request, "pembinaan/kritikal_detail.html", ctx)


@login_required
@require_POST
def kandidat_add(request, pk: int):
    kritikal = _get_kritikal_for_user(request, pk)
    require(can_manage_talenta(request.user))
    form = KandidatForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(kritikal)
    verdict = can_manage_talenta_pegawai(request.user, form.cleaned_data["pegawai"])
    if not verdict:
        messages.error(request, verdict.message)
        return redirect(kritikal)
    try:
        kandidat = services.kandidat_add(
            jabatan_kritikal=kritikal, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{kandidat.pegawai.nama_lengkap} menjadi kandidat suksesi.")
    return redirect(kritikal)


@login_required
@require_POST
def kandidat_remove(request, pk: int):
    require(can_read_talenta(request.user))
    kandidat = get_object_or_404(
        KandidatSuksesi.objects.select_related("jabatan_kritikal", "pegawai"), pk=pk
    )
    require(can_manage_talenta(request.user))
    services.kandidat_remove(kandidat=kandidat)
    messages.success(request, f"{kandidat.pegawai.nama_lengkap} bukan lagi kandidat suksesi.")
    return redirect(kandidat.jabatan_kritikal)


@login_required
def komite_list(request):
    require(can_manage_komite(request.user))
    ctx = {
        "anggota": AnggotaKomiteTalenta.objects.select_related("user", "ditambah_oleh"),
        "form": KomiteForm(),
    }
    return render(request, "pembinaan/komite_list.html", ctx)


@login_required
@require_POST
def komite_add(request):
    require(can_manage_komite(request.user))
    form = KomiteForm(request.POST)
    if form.is_valid():
        user = form.cleaned_data["username"]
        verdict = can_manage_komite(request.user, user)
        if not verdict:
            messages.error(request, verdict.message)
        elif AnggotaKomiteTalenta.objects.filter(user=user).exists():
            messages.info(request, f"{user} sudah anggota komite talenta.")
        else:
            services.komite_add(user=user, by=request.user)
            messages.success(request, f"{user} diangkat menjadi anggota komite talenta.")
    else:
        messages.error(request, " ".join(form.errors["username"]))
    return redirect("pembinaan:komite_list")


@login_required
@require_POST
def komite_remove(request, pk: int):
    require(can_manage_komite(request.user))
    anggota = get_object_or_404(AnggotaKomiteTalenta.objects.select_related("user"), pk=pk)
    require(can_manage_komite(request.user, anggota.user))
    services.komite_remove(anggota=anggota)
    messages.success(request, f"{anggota.user} bukan lagi anggota komite talenta.")
    return redirect("pembinaan:komite_list")


@login_required
def talenta_saya(request):
    """A pegawai's own box, when the province shows it (settings.TALENTA_TERLIHAT_PEGAWAI)."""
    require(can_see_own_talenta(request.user))
    penempatan = PenempatanTalenta.objects.filter(pegawai=request.user.pegawai_profil).first()
    return render(request, "pembinaan/talenta_saya.html", {"penempatan": penempatan})


@login_required
@require_GET
def kalender_saya(request):
    """The personal calendar feed: its secret address to copy, and the buttons that make a new
    one or end it."""
    require(can_use_kalender_pribadi(request.user))
    feed = KalenderPribadi.objects.filter(user=request.user).first()
    url = None
    if feed is not None and feed.is_aktif:
        url = request.build_absolute_uri(feed.get_feed_url())
    ctx = {"feed": feed, "url": url, "webcal": url and "webcal://" + url.split("://", 1)[1]}
    return render(request, "pembinaan/kalender_saya.html", ctx)


@login_required
@require_POST
def kalender_buat(request):
    require(can_use_kalender_pribadi(request.user))
    renewed = KalenderPribadi.objects.filter(user=request.user).exists()
    services.kalender_pribadi_buat(user=request.user)
    if renewed:
        messages.success(
            request,
            "Alamat kalender baru dibuat. Alamat lama tidak berlaku lagi: ganti langganan di "
            "aplikasi kalender Anda dengan alamat baru ini.",
        )
    else:
        messages.success(request, "Alamat kalender pribadi Anda dibuat.")
    return redirect("kalender_saya")


# --- API clients ---------------------------------------------------------------------------


@login_required
def klien_api_list(request):
    require(can_manage_klien_api(request.user))
    klien = (
        KlienApi.objects.select_related("dibuat_oleh", "dicabut_oleh")
        .prefetch_related("units")
        .order_by("dicabut_at", "nama", "pk")
    )
    return render(request, "pembinaan/klien_api_list.html", {"klien": klien})


@login_required
def klien_api_create(request):
    """GET the form; POST issues the token and redirects to the page that shows it once
    (klien_api_token): a reload of that page issues nothing."""
    require(can_manage_klien_api(request.user))
    form = KlienApiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        klien, token = services.klien_api_create(
            nama=form.cleaned_data["nama"], units=list(form.cleaned_data["units"]),
            cakupan=form.cleaned_data["cakupan"], by=request.user,
        )  # fmt: skip
        # Held in the session for exactly one display; the page pops it.
        request.session[TOKEN_BARU] = {"klien": klien.pk, "token": token}
        return redirect("pembinaan:klien_api_token")
    return render(request, "pembinaan/klien_api_form.html", {"form": form})


TOKEN_BARU = "klien_api_token_baru"


@login_required
@require_safe
def klien_api_token(request):
    """The token just issued, shown once: taken out of the session as it is shown, so a reload
    says it was shown already (and is kept by no cache)."""
    require(can_manage_klien_api(request.user))
    baru = request.session.pop(TOKEN_BARU, None)
    klien = KlienApi.objects.filter(pk=baru["klien"]).first() if baru else None
    ctx = {"klien": klien, "token": baru["token"] if klien else None}
    return render(request, "pembinaan/klien_api_token.html", ctx)


@login_required
@require_POST
def kalender_cabut(request):
    require(can_use_kalender_pribadi(request.user))
    if services.kalender_pribadi_cabut(user=request.user):
        messages.success(
            request, "Alamat kalender dicabut: aplikasi kalender tidak dapat mengambilnya lagi."
        )
    else:
        messages.info(request, "Tidak ada alamat kalender yang aktif.")
    return redirect("kalender_saya")


@login_not_required
@require_safe
def kalender_feed(request, token: str):
    """The feed a calendar application fetches without signing in: the token is the
    authorisation. An unknown, replaced or revoked token, or a closed login, is 404."""
    feed = KalenderPribadi.objects.by_token(token) if len(token) <= 64 else None
    if feed is None or not feed.user.is_active:
        raise Http404("Alamat kalender ini tidak ada atau sudah dicabut.")
    KalenderPribadi.objects.filter(pk=feed.pk).update(dibaca_at=timezone.now())
    # The address the calendar service fetched: links work whether or not SITE_URL was set.
    base_url = request.build_absolute_uri("/").rstrip("/")
    today = timezone.localdate()
    acara = kalender.feed_acara(feed.user, today=today, base_url=base_url)
    nama = f"SIBINA – {feed.user.get_full_name() or feed.user.username}"
    response = ical_response(kalender_ics(nama, acara), filename="sibina.ics", attachment=False)
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
def klien_api_revoke(request, pk: int):
    """GET asks for confirmation; POST revokes the token."""
    klien = get_object_or_404(KlienApi, pk=pk)
    verdict = can_revoke_klien_api(request.user, klien)
    if not verdict and request.user.is_admin:
        messages.info(request, verdict.message)
        return redirect("pembinaan:klien_api_list")
    require(verdict)
    if request.method != "POST":
        return render(request, "pembinaan/klien_api_revoke.html", {"klien": klien})
    services.klien_api_revoke(klien=klien, by=request.user)
    messages.success(request, f"Token {klien.nama} dicabut; panggilan dengannya kini ditolak.")
    return redirect("pembinaan:klien_api_list")
