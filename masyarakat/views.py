from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from pegawai.models import UnitKerja
from pembinaan.lib.ratelimit import allow, client_address
from pembinaan.lib.tabular import TableError, csv_lines, read_table, xlsx_bytes

from . import impor, reports
from .forms import ImporSurveiForm, SurveiForm
from .ikm import sampel_minimal
from .models import ResponSurvei, UnitLayanan
from .referensi import UNSUR

SURVEI_PER_JAM = 5


@login_not_required
def survei(request, kode: str):
    """The public satisfaction survey of one service unit: no account, a honeypot, and at most
    five submissions an hour from one address."""
    unit = get_object_or_404(UnitLayanan, kode=kode, aktif=True)
    form = SurveiForm(request.POST or None)
    if request.method == "POST":
        if not allow(
            f"survei:{client_address(request)}", limit=SURVEI_PER_JAM, window_seconds=3600
        ):
            form.add_error(
                None,
                "Terlalu banyak pengisian dari perangkat ini dalam satu jam. "
                "Silakan coba lagi nanti.",
            )
            return render(
                request, "masyarakat/survei.html", {"unit": unit, "form": form}, status=429
            )
        if form.is_valid():
            if not form.is_bot():
                respon = form.save(commit=False)
                respon.unit_layanan = unit
                respon.tanggal = timezone.localdate()
                respon.save()
            return redirect("survei_terima_kasih", kode=unit.kode)
    return render(request, "masyarakat/survei.html", {"unit": unit, "form": form})


@login_not_required
def survei_terima_kasih(request, kode: str):
    unit = get_object_or_404(UnitLayanan, kode=kode)
    return render(request, "masyarakat/survei_terima_kasih.html", {"unit": unit})


def _units_for(user):
    units = UnitLayanan.objects.select_related("unit").order_by("nama")
    if not user.is_admin:
        units = units.filter(unit__in=UnitKerja.objects.managed_by(user).values("pk"))
    return units


def _number(value: str, default: int, low: int, high: int) -> int:
    return int(value) if value.isdigit() and low <= int(value) <= high else default


@login_required
def ikm(request):
    """Per service unit and period: NRR per element, IKM, conversion, quality, respondents
    against the Krejcie–Morgan minimum for the population HR enters."""
    if not (request.user.is_admin or request.user.is_pengelola):
        raise PermissionDenied("Halaman ini untuk pengelola kepegawaian.")
    units = list(_units_for(request.user))
    chosen = next(
        (u for u in units if str(u.pk) == request.GET.get("unit")), units[0] if units else None
    )
    jenis = request.GET.get("jenis") if request.GET.get("jenis") in reports.PERIODE else "triwulan"
    this_year = timezone.localdate().year
    tahun = _number(request.GET.get("tahun", ""), this_year, 2000, this_year)
    ke = _number(request.GET.get("ke", ""), 1, 1, 12 // reports.PERIODE[jenis])
    populasi = _number(request.GET.get("populasi", ""), 0, 1, 10_000_000)
    ctx = {
        "units": units,
        "chosen": chosen,
        "jenis": jenis,
        "tahun": tahun,
        "ke": ke,
        "populasi": populasi or "",
        "years": range(this_year, 2019, -1),
        "unsur": UNSUR,
    }
    if chosen:
        start, end = reports.rentang(jenis, tahun, ke)
        hasil = reports.ikm_unit(chosen, start, end)
        minimum = sampel_minimal(populasi) if populasi else None
        ctx |= {
            "start": start,
            "end": end,
            "hasil": hasil,
            "grafik": reports.grafik_unsur(hasil),
            "minimum": minimum,
            "cukup": minimum is None or hasil.responden >= minimum,
            "baris": [(key, nama, hasil.nrr_tampil(key)) for key, nama, *_ in UNSUR],
        }
    if chosen and request.GET.get("format") == "xlsx":
        return _xlsx(ctx)
    return render(request, "masyarakat/ikm.html", ctx)


def _xlsx(ctx) -> HttpResponse:
    hasil = ctx["hasil"]
    rows = [
        [key.upper(), nama, float(nrr) if nrr is not None else None]
        for key, nama, nrr in ctx["baris"]
    ]
    rows += [
        [],
        ["Responden", hasil.responden],
        ["IKM konversi", float(hasil.konversi or 0)],
        ["Mutu pelayanan", hasil.mutu],
        ["Kinerja unit", hasil.kinerja],
    ]
    content = xlsx_bytes(["Unsur", "Nama", "NRR"], rows, title="IKM")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"ikm-{ctx['chosen'].kode}-{ctx['start']:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def survei_impor(request):
    """Paper questionnaires from CSV/XLSX into a service unit: all rows or none, every bad row
    named with its row number, column and what to write instead."""
    if not (request.user.is_admin or request.user.is_pengelola):
        raise PermissionDenied("Halaman ini untuk pengelola kepegawaian.")
    form = ImporSurveiForm(
        request.POST or None, request.FILES or None, units=_units_for(request.user)
    )
    kesalahan = []
    if request.method == "POST" and form.is_valid():
        unit, tanggal = form.cleaned_data["unit_layanan"], form.cleaned_data["tanggal"]
        try:
            header, rows = read_table(form.cleaned_data["file"], max_rows=5000)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            hasil = impor.baca(header, rows, unit_layanan=unit, tanggal=tanggal)
            kesalahan = hasil.kesalahan
            if not kesalahan and hasil.respon:
                with transaction.atomic():
                    ResponSurvei.objects.bulk_create(hasil.respon)
                messages.success(request, f"{len(hasil.respon)} respon kertas disimpan ke {unit}.")
                return redirect(f"{reverse('ikm')}?unit={unit.pk}")
            if not kesalahan:
                form.add_error("file", "Berkas tidak berisi baris respon.")
    return render(
        request, "masyarakat/survei_impor.html", {"form": form, "kesalahan": kesalahan[:1000]}
    )


@login_required
def survei_impor_templat(request):
    response = StreamingHttpResponse(
        csv_lines(impor.KOLOM, [impor.CONTOH]), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="templat-survei-kertas.csv"'
    return response
