from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from pembinaan.lib.pagination import COUNT_CAP, capped_count, keyset_paginate, page_count
from pembinaan.lib.params import parse_int
from pembinaan.lib.tabular import csv_lines, xlsx_bytes
from pembinaan.lib.uploads import file_response

from . import (
    access,
    dua_faktor,
    impor,
    impor_riwayat,
    notifikasi,
    reports,
    riwayat,
    services,
    siasn,
    sso,
)
from .access import require, require_manager
from .filters import PegawaiFilter
from .forms import (
    RIWAYAT_FORMS,
    AkunFilterForm,
    AkunNonaktifForm,
    AkunPeranForm,
    CatatanDisiplinForm,
    HariLiburForm,
    ImporForm,
    KodeDuaFaktorForm,
    MutasiForm,
    NotifikasiPengaturanForm,
    PegawaiDeactivateForm,
    PegawaiForm,
    PegawaiKontakForm,
    PengelolaForm,
    RekonsiliasiSiasnForm,
    ResetDuaFaktorForm,
    RiwayatImporForm,
)
from .middleware import ENROLLED_KEY
from .models import (
    RIWAYAT_KARIER,
    UNIT_LINGKUP,
    CatatanDisiplin,
    HariLibur,
    ImporPegawai,
    Notifikasi,
    Pegawai,
    RekonsiliasiSiasn,
    RiwayatMutasi,
    RiwayatPendidikan,
    SelisihSiasn,
    UnitKerja,
    User,
    ancestor_ids,
    subtree_ids,
    unit_jalur,
    unit_search,
    unit_tree,
)

XLSX_EXPORT_MAX_ROWS = 20_000
BAWAHAN_SHOWN = 50  # a pegawai page's direct subordinates


def _get_pegawai_for_user(
    request, pk: int, *, related=("unit", "golongan", "jabatan", "atasan")
) -> Pegawai:
    """404 when this user may not see the pegawai; what they may do to it asks pegawai.access."""
    return get_object_or_404(
        Pegawai.objects.visible_to(request.user).select_related(*related), pk=pk
    )


def _get_impor_for_user(request, pk: int) -> ImporPegawai:
    jobs = ImporPegawai.objects.all()
    if not request.user.is_admin:
        jobs = jobs.filter(diunggah_oleh=request.user)
    return get_object_or_404(jobs, pk=pk)


def _pegawai_filter(request) -> PegawaiFilter:
    """The list's pegawai with the request's filters: the list and its exports share it, so an
    export holds exactly what the list shows."""
    return PegawaiFilter(
        request.GET, queryset=Pegawai.objects.visible_to(request.user), user=request.user
    )


@login_required
def pegawai_list(request):
    filterset = _pegawai_filter(request)
    queryset = filterset.qs.for_list()
    page = keyset_paginate(
        queryset, key="nama", after=request.GET.get("setelah"), before=request.GET.get("sebelum")
    )
    if filterset.is_name_search:
        # A part of a name is not counted: its trigram index hands over every candidate before
        # a count can stop, a cost that grows with the country (bench/RESULTS.md, issue 24).
        # The page tells what it knows: all of them, or more than a page.
        total, more = page_count(page)
    else:
        total, more = capped_count(queryset, cap=COUNT_CAP)
    page.object_list = reports.list_rows(page.object_list)
    ctx = {
        "filter": filterset,
        "page": page,
        "total": total,
        "more": more,
        "can_manage": request.user.is_manager,
    }
    # Back in the browser after htmx filtering asks for the whole page (the form is not kept in
    # htmx's history, see the template), which renders the form from the URL.
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "pegawai/_pegawai_list_hasil.html", ctx)
    else:
        response = render(request, "pegawai/pegawai_list.html", ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def unit_cari(request):
    """The units of a picker's scope (?lingkup=, see UNIT_LINGKUP) matching ?q=, as the options
    static/js/select-cari.js puts in the select: at most UNIT_CARI_HASIL of them."""
    require(access.can_search_units(request.user))
    scope = UNIT_LINGKUP.get(request.GET.get("lingkup") or "kelola")
    if scope is None:
        raise Http404("Lingkup unit tidak dikenal.")
    units = unit_search(scope(request.user), request.GET.get("q", ""))
    return render(request, "pegawai/_unit_cari.html", {"units": units})


@login_required
def pegawai_export(request, fmt: str):
    require_manager(request)
    queryset = _pegawai_filter(request).qs
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    rows = reports.export_rows(queryset, diekspor_pada=impor.export_stamp(now))
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(reports.EXPORT_HEADER, rows),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="pegawai-{stamp}.csv"'
        return response
    count, too_many = capped_count(queryset, cap=XLSX_EXPORT_MAX_ROWS)
    if too_many:
        messages.error(
            request,
            f"Ekspor XLSX paling banyak {XLSX_EXPORT_MAX_ROWS:,} baris".replace(",", ".")
            + "; persempit saringan atau unduh CSV.",
        )
        return redirect(f"{reverse('pegawai:list')}?{request.GET.urlencode()}")
    content = xlsx_bytes(reports.EXPORT_HEADER, rows, title="Pegawai")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="pegawai-{stamp}.xlsx"'
    return response


@login_required
def pegawai_detail(request, pk: int):
    # One table: the names of the unit, golongan and jabatan come from caches (reports.rujukan),
    # the supervisor with the subordinates; the login only for those who manage it.
    pegawai = _get_pegawai_for_user(
        request, pk, related=("user",) if request.user.is_manager else ()
    )
    ctx = {
        "pegawai": pegawai,
        "rujukan": reports.rujukan(pegawai),
        "sekitar": reports.atasan_dan_bawahan(pegawai, shown=BAWAHAN_SHOWN),
        "riwayat": reports.pegawai_history(pegawai),
        "karier": reports.riwayat_karier(pegawai),
        "can_manage_riwayat": access.can_manage_riwayat(request.user, pegawai),
        "can_mutasi": access.can_mutasi_pegawai(request.user, pegawai),
        "dokumen_terbaca": _dokumen_terbaca(request.user, pegawai, sampai=None),
        "can_change": access.can_manage_pegawai(request.user, pegawai),
        "can_change_contact": access.can_change_contact(request.user, pegawai),
        "can_read_disiplin": access.can_read_disiplin(request.user, pegawai),
        "can_manage_account": access.can_manage_account(request.user, pegawai),
        "can_invite": access.can_invite(request.user, pegawai),
        "can_resend": access.can_resend_invitation(request.user, pegawai),
        "deactivate_form": PegawaiDeactivateForm(),
    }
    return render(request, "pegawai/pegawai_detail.html", ctx)


@login_required
def pegawai_create(request):
    require_manager(request)
    form = PegawaiForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        pegawai = services.pegawai_save(
            pegawai=form.save(commit=False), user=request.user, reason="Ditambahkan lewat formulir"
        )
        messages.success(request, f"Pegawai {pegawai.nama_lengkap} ditambahkan.")
        return redirect(pegawai)
    return render(request, "pegawai/pegawai_form.html", {"form": form})


@login_required
def pegawai_update(request, pk: int):
    """HR changes the whole record; the pegawai themself (HR of their own unit too) only their
    contact details."""
    pegawai = _get_pegawai_for_user(request, pk)
    if access.is_self(request.user, pegawai):
        require(access.can_change_contact(request.user, pegawai))
        form = PegawaiKontakForm(request.POST or None, instance=pegawai)
        template = "pegawai/pegawai_kontak_form.html"
    else:
        require(access.can_manage_pegawai(request.user, pegawai))
        form = PegawaiForm(request.POST or None, instance=pegawai, user=request.user)
        template = "pegawai/pegawai_form.html"
    if request.method == "POST" and form.is_valid():
        services.pegawai_save(
            pegawai=form.save(commit=False), user=request.user, reason="Diubah lewat formulir"
        )
        messages.success(request, f"Data {pegawai.nama_lengkap} disimpan.")
        return redirect(pegawai)
    return render(request, template, {"form": form, "pegawai": pegawai})


@login_required
@require_POST
def pegawai_deactivate(request, pk: int):
    pegawai = _get_pegawai_for_user(request, pk, related=("unit", "user"))
    require(access.can_manage_account(request.user, pegawai))
    form = PegawaiDeactivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih alasan dan tanggal penonaktifan.")
        return redirect(pegawai)
    try:
        services.pegawai_deactivate(
            pegawai=pegawai,
            user=request.user,
            alasan=form.cleaned_data["alasan"],
            tanggal=form.cleaned_data["tanggal"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{pegawai.nama_lengkap} dinonaktifkan.")
    return redirect(pegawai)


@login_required
@require_POST
def pegawai_activate(request, pk: int):
    pegawai = _get_pegawai_for_user(request, pk, related=("unit", "user"))
    require(access.can_manage_account(request.user, pegawai))
    try:
        services.pegawai_activate(pegawai=pegawai, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{pegawai.nama_lengkap} diaktifkan kembali.")
    return redirect(pegawai)


@login_required
@require_POST
def pegawai_akun_create(request, pk: int):
    pegawai = _get_pegawai_for_user(request, pk, related=("unit", "user"))
    require(access.can_invite(request.user, pegawai))
    try:
        account = services.pegawai_akun_create(
            pegawai=pegawai, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Akun {account.username} dibuat; tautan untuk membuat kata sandi dikirim ke "
            f"{account.email}.",
        )
    return redirect(pegawai)


@login_required
@require_POST
def pegawai_akun_resend(request, pk: int):
    if request.user.manages_province:  # the account pages: every pegawai's login
        pegawai = get_object_or_404(Pegawai.objects.select_related("unit", "user"), pk=pk)
    else:
        pegawai = _get_pegawai_for_user(request, pk, related=("unit", "user"))
    require(access.can_resend_invitation(request.user, pegawai))
    try:
        account = services.akun_undangan_resend(
            pegawai=pegawai, user=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Undangan untuk {pegawai.nama_lengkap} dikirim ulang ke {account.email}."
        )
    if request.POST.get("dari") == "akun" and request.user.manages_province:
        return redirect("akun:detail", pk=pegawai.user_id)
    return redirect(pegawai)


@login_required
def impor_create(request):
    require_manager(request)
    form = ImporForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.impor_request(file=form.cleaned_data["file"], user=request.user)
        messages.success(request, "Berkas diterima dan sedang diperiksa.")
        return redirect(job)
    recent = ImporPegawai.objects.filter(diunggah_oleh=request.user)[:10]
    return render(request, "pegawai/impor_create.html", {"form": form, "recent": recent})


@login_required
def impor_detail(request, pk: int):
    require_manager(request)
    job = _get_impor_for_user(request, pk)
    ctx = {"job": job, "kesalahan": job.kesalahan[:1000]}
    if request.htmx:
        return render(request, "pegawai/_impor_status.html", ctx)
    return render(request, "pegawai/impor_detail.html", ctx)


@login_required
@require_POST
def impor_commit(request, pk: int):
    require_manager(request)
    job = _get_impor_for_user(request, pk)
    try:
        queued = services.impor_commit_request(job=job, timpa=request.POST.getlist("timpa"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if queued:
            messages.success(request, "Data sedang disimpan; halaman ini diperbarui sendiri.")
        else:
            messages.error(request, "Impor ini tidak dalam keadaan siap disimpan.")
    return redirect(job)


@login_required
def impor_template(request):
    require_manager(request)
    response = HttpResponse(
        impor.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pegawai.xlsx"'
    return response


# --- Career history (riwayat) and moves (mutasi) ----------------------------------------------


def _get_riwayat_pegawai_for_user(request, pk: int):
    """The pegawai whose history this user reads, and up to when: None (all of it) for those
    who see the pegawai now; for the HR of a unit the pegawai left, the TMT of that move (the
    period the pegawai was theirs). 404 for anyone else."""
    pegawai = Pegawai.objects.visible_to(request.user).filter(pk=pk).first()
    if pegawai is not None:
        return pegawai, None
    units = request.user.unit_kelolaan_ids if request.user.is_authenticated else ()
    if units:
        left = RiwayatMutasi.objects.filter(pegawai_id=pk, unit_asal_id__in=sorted(units))
        sampai = left.aggregate(sampai=Max("tmt"))["sampai"]
        if sampai is not None:
            return get_object_or_404(Pegawai, pk=pk), sampai
    raise Http404


def _get_riwayat_for_user(request, jenis: str, pk: int):
    """A history row with its pegawai and the reader's period (_get_riwayat_pegawai_for_user);
    404 for a row outside it."""
    model = RIWAYAT_KARIER.get(jenis)
    if model is None:
        raise Http404
    row = get_object_or_404(model, pk=pk)
    pegawai, sampai = _get_riwayat_pegawai_for_user(request, row.pegawai_id)
    if sampai is not None and not _in_period(row, sampai):
        raise Http404
    row.pegawai = pegawai
    return row, pegawai, sampai


def _in_period(row, sampai) -> bool:
    """Whether a history row is of the period up to `sampai` (as reports.riwayat_karier)."""
    if isinstance(row, RiwayatPendidikan):
        return row.tahun_lulus is None or row.tahun_lulus <= sampai.year
    if isinstance(row, RiwayatMutasi):
        return row.tmt <= sampai  # the move out itself is of both units
    return row.tmt < sampai  # a row dated on the move's day is the new unit's


def _dokumen_terbaca(user: User, pegawai: Pegawai, *, sampai) -> bool:
    return bool(access.can_read_riwayat_dokumen(user, pegawai, sampai=sampai))


# How many moves out the list shows: a unit's recent departures, not an archive.
PINDAH_KELUAR_MAX = 200


@login_required
def pegawai_pindah_keluar(request):
    """The pegawai who moved out of the units this HR officer manages, newest first, each with
    the read-only history of the period they were theirs (riwayat_detail)."""
    require_manager(request)
    moves = RiwayatMutasi.objects.filter(unit_asal__isnull=False)
    if not request.user.is_admin:  # administrators see every move out
        units = sorted(request.user.unit_kelolaan_ids)
        moves = moves.filter(unit_asal_id__in=units).exclude(pegawai__unit_id__in=units)
    moves = moves.select_related("pegawai").order_by("-tmt", "-pk")[:PINDAH_KELUAR_MAX]
    jalur = unit_jalur()
    rows = [(m, jalur.get(m.unit_asal_id, ""), jalur.get(m.unit_tujuan_id, "")) for m in moves]
    return render(request, "pegawai/pindah_keluar.html", {"rows": rows, "max": PINDAH_KELUAR_MAX})


@login_required
def riwayat_detail(request, pk: int):
    """A pegawai's career history: all of it for who sees the pegawai, the period they were
    theirs for the HR of a unit the pegawai left."""
    pegawai, sampai = _get_riwayat_pegawai_for_user(request, pk)
    ctx = {
        "pegawai": pegawai,
        "sampai": sampai,
        "karier": reports.riwayat_karier(pegawai, sampai=sampai),
        "can_manage_riwayat": sampai is None and access.can_manage_riwayat(request.user, pegawai),
        "dokumen_terbaca": _dokumen_terbaca(request.user, pegawai, sampai=sampai),
    }
    return render(request, "pegawai/riwayat_detail.html", ctx)


@login_required
def riwayat_create(request, pk: int, jenis: str):
    if jenis not in RIWAYAT_FORMS or jenis == "mutasi":
        raise Http404
    pegawai = _get_pegawai_for_user(request, pk)
    require(access.can_manage_riwayat(request.user, pegawai))
    instance = RIWAYAT_KARIER[jenis](pegawai=pegawai)
    return _riwayat_form(request, jenis, instance, pegawai)


@login_required
def riwayat_update(request, jenis: str, pk: int):
    row, pegawai, sampai = _get_riwayat_for_user(request, jenis, pk)
    require(access.can_manage_riwayat(request.user, pegawai))
    return _riwayat_form(request, jenis, row, pegawai)


def _riwayat_form(request, jenis: str, instance, pegawai: Pegawai):
    form = RIWAYAT_FORMS[jenis](
        request.POST or None, request.FILES or None, instance=instance, pegawai=pegawai
    )
    if request.method == "POST" and form.is_valid():
        try:
            row = services.riwayat_save(riwayat=form.save(commit=False), user=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"{row._meta.verbose_name.capitalize()} disimpan.")
            return redirect(f"{pegawai.get_absolute_url()}#riwayat-{jenis}")
    ctx = {"form": form, "pegawai": pegawai, "jenis": jenis, "row": instance}
    return render(request, "pegawai/riwayat_form.html", ctx)


@login_required
@require_POST
def riwayat_delete(request, jenis: str, pk: int):
    row, pegawai, sampai = _get_riwayat_for_user(request, jenis, pk)
    require(access.can_manage_riwayat(request.user, pegawai))
    try:
        services.riwayat_delete(riwayat=row, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{row._meta.verbose_name.capitalize()} dihapus.")
    return redirect(f"{pegawai.get_absolute_url()}#riwayat-{jenis}")


@login_required
def riwayat_dokumen(request, jenis: str, pk: int):
    """A decree's or diploma's scan, only through this view (never a public media URL)."""
    row, pegawai, sampai = _get_riwayat_for_user(request, jenis, pk)
    require(access.can_read_riwayat_dokumen(request.user, pegawai, sampai=sampai))
    if not row.dokumen:
        raise Http404
    return file_response(request, row.dokumen, name=f"{jenis}-{pegawai.nip}-{row.pk}")


@login_required
def pegawai_mutasi(request, pk: int):
    """Move a pegawai to another unit; the province's HR reach any pegawai here."""
    if request.user.manages_province:
        pegawai = get_object_or_404(Pegawai.objects.select_related("unit"), pk=pk)
    else:
        pegawai = _get_pegawai_for_user(request, pk)
    require(access.can_mutasi_pegawai(request.user, pegawai))
    form = MutasiForm(request.POST or None, request.FILES or None, pegawai=pegawai)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.pegawai_mutasi(pegawai=pegawai, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, f"{pegawai.nama_lengkap} dipindahkan ke {row.unit_tujuan.nama}."
            )
            if Pegawai.objects.visible_to(request.user).filter(pk=pegawai.pk).exists():
                return redirect(pegawai)
            return redirect("pegawai:riwayat", pk=pegawai.pk)  # theirs no longer
    return render(request, "pegawai/pegawai_mutasi.html", {"form": form, "pegawai": pegawai})


@login_required
def riwayat_impor(request):
    """Import one kind of history from a CSV or XLSX in SIASN's columns: all rows or none."""
    require_manager(request)
    form = RiwayatImporForm(request.POST or None, request.FILES or None)
    hasil = None
    if request.method == "POST" and form.is_valid():
        hasil = services.riwayat_impor(
            jenis=form.cleaned_data["jenis"], file=form.cleaned_data["file"], user=request.user
        )
        if not hasil.kesalahan:
            messages.success(
                request,
                f"Riwayat disimpan: {len(hasil.baru)} baris baru, {len(hasil.diubah)} dikoreksi.",
            )
            return redirect("pegawai:riwayat_impor")
    ctx = {"form": form, "hasil": hasil, "jenis": list(impor_riwayat.KOLOM)}
    return render(request, "pegawai/riwayat_impor.html", ctx)


@login_required
def riwayat_impor_template(request, jenis: str):
    require_manager(request)
    if jenis not in impor_riwayat.KOLOM:
        raise Http404
    response = HttpResponse(
        impor_riwayat.template_xlsx(jenis),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="templat-riwayat-{jenis}.xlsx"'
    return response


# --- Notifications (pegawai.notifikasi) ------------------------------------------------------

NOTIFIKASI_PER_PAGE = 30


def _get_notifikasi_for_user(request, pk: int) -> Notifikasi:
    """Only one's own notifications exist for a login: another's is a 404."""
    return get_object_or_404(Notifikasi, pk=pk, penerima=request.user)


@login_required
def notifikasi_list(request):
    rows = request.user.notifikasi.all()
    page = Paginator(rows, NOTIFIKASI_PER_PAGE).get_page(request.GET.get("halaman"))
    ctx = {"page": page, "belum_dibaca": request.user.notifikasi.belum_dibaca().exists()}
    return render(request, "pegawai/notifikasi_list.html", ctx)


@login_required
def notifikasi_buka(request, pk: int):
    """Opening a notification marks it read and goes where it points."""
    item = _get_notifikasi_for_user(request, pk)
    notifikasi.notifikasi_baca(notifikasi=item, now=timezone.now())
    target = item.url if url_has_allowed_host_and_scheme(item.url, allowed_hosts=None) else "/"
    return redirect(target)


@login_required
@require_POST
def notifikasi_baca_semua(request):
    count = notifikasi.notifikasi_baca_semua(penerima=request.user, now=timezone.now())
    messages.success(request, f"{count} pemberitahuan ditandai sudah dibaca.")
    return redirect("notifikasi:list")


@login_required
def notifikasi_pengaturan(request):
    """Each login chooses how its notifications reach it by mail."""
    form = NotifikasiPengaturanForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Pengaturan pemberitahuan disimpan.")
        return redirect("notifikasi:pengaturan")
    ctx = {"form": form, "bawaan_label": User.Surel(request.user.surel_notifikasi_bawaan).label}
    return render(request, "pegawai/notifikasi_pengaturan.html", ctx)


# --- Account administration (administrators and the province's HR) --------------------------

AKUN_PER_PAGE = 50
PENGELOLA_PER_PAGE = 50


def _get_akun_for_user(request, pk: int) -> User:
    """The account pages are the province's: any login, once the user may use them; what they
    may do to it asks pegawai.access."""
    require(access.can_administer_accounts(request.user))
    return get_object_or_404(User, pk=pk)


def _akun_list_url(unit_pk: int | None = None) -> str:
    url = reverse("akun:list")
    return f"{url}?unit={unit_pk}" if unit_pk else url


@login_required
def akun_list(request):
    """Who has a login and who has not, per unit, and what can be done about each."""
    require(access.can_administer_accounts(request.user))
    form = AkunFilterForm(request.GET, units=unit_tree())
    scope = form.scope(Pegawai.objects.aktif())
    rows = form.filter(scope).select_related("user").order_by("nama", "pk")
    page = Paginator(rows, AKUN_PER_PAGE).get_page(request.GET.get("halaman"))
    ctx = {
        "form": form,
        "unit": form.chosen_unit,
        "jumlah": reports.akun_jumlah(scope),
        "page": page,
        "rows": reports.akun_rows(page.object_list, user=request.user),
    }
    return render(request, "pegawai/akun_list.html", ctx)


@login_required
def akun_massal(request):
    """Accounts for every pegawai of a unit (and its sub-units) in one step: GET shows what
    will happen, POST does it and mails the invitations."""
    require(access.can_administer_accounts(request.user))
    pk = parse_int(request.POST.get("unit") or request.GET.get("unit"))
    unit = next((u for u in unit_tree() if u.pk == pk), None)
    if unit is None:
        messages.error(request, "Pilih unit kerja dulu, lalu tekan “Buat akun”.")
        return redirect("akun:list")
    unit_ids = subtree_ids(unit_tree(), unit)
    if request.method == "POST":
        try:
            rencana = services.akun_massal_create(
                unit_ids=unit_ids, user=request.user, base_url=request.build_absolute_uri("/")
            )
        except ValidationError as error:  # all or none: nothing was made
            messages.error(request, "Tidak ada akun yang dibuat: " + " ".join(error.messages))
        else:
            messages.success(request, reports.akun_massal_pesan(rencana))
        return redirect(_akun_list_url(unit.pk))
    rencana = services.akun_massal_rencana(unit_ids=unit_ids, user=request.user)
    return render(request, "pegawai/akun_massal.html", {"unit": unit, "rencana": rencana})


@login_required
def akun_detail(request, pk: int):
    """One login: its state, roles and units, and what this user may do to it."""
    akun = _get_akun_for_user(request, pk)
    pegawai = Pegawai.objects.filter(user=akun).select_related("unit", "user").first()
    ctx = {
        "akun": akun,
        "pegawai": pegawai,
        "can_resend": pegawai and access.can_resend_invitation(request.user, pegawai),
        "kelola": reports.akun_kelola(akun),
        "can_change": access.can_change_akun(request.user, akun),
        "can_grant": access.can_grant_peran(request.user, akun),
        "peran_form": AkunPeranForm(instance=akun),
        "dua_faktor_aktif": dua_faktor.has_device(akun),
        "can_reset_dua_faktor": access.can_reset_dua_faktor(request.user, akun),
    }
    return render(request, "pegawai/akun_detail.html", ctx)


@login_required
@require_POST
def akun_peran(request, pk: int):
    akun = _get_akun_for_user(request, pk)
    require(access.can_grant_peran(request.user, akun))
    form = AkunPeranForm(request.POST, instance=akun)
    if form.is_valid():
        try:
            services.akun_peran_set(
                akun=akun,
                user=request.user,
                administrator=form.cleaned_data["administrator"],
                pengelola_provinsi=form.cleaned_data["pengelola_provinsi"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Peran {akun.get_full_name() or akun.username} disimpan.")
    return redirect("akun:detail", pk=akun.pk)


@login_required
def akun_deactivate(request, pk: int):
    akun = _get_akun_for_user(request, pk)
    require(access.can_change_akun(request.user, akun))
    form = AkunNonaktifForm(request.POST or None)
    pegawai = Pegawai.objects.filter(user=akun).first()
    back = _akun_list_url(pegawai.unit_id if pegawai else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.akun_deactivate(
                akun=akun, user=request.user, alasan=form.cleaned_data["alasan"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Akun {akun.username} dinonaktifkan; ia tidak dapat masuk.")
        return redirect(back)
    ctx = {"form": form, "akun": akun, "pegawai": pegawai, "back": back}
    return render(request, "pegawai/akun_deactivate.html", ctx)


@login_required
@require_POST
def akun_activate(request, pk: int):
    akun = _get_akun_for_user(request, pk)
    require(access.can_change_akun(request.user, akun))
    pegawai = Pegawai.objects.filter(user=akun).first()
    try:
        services.akun_activate(akun=akun, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Akun {akun.username} diaktifkan kembali.")
    return redirect(_akun_list_url(pegawai.unit_id if pegawai else None))


@login_required
def pengelola_list(request):
    """The pengelola of each unit; POST makes one more."""
    require(access.can_administer_accounts(request.user))
    form = PengelolaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit, akun = form.cleaned_data["unit"], form.cleaned_data["akun"]
        require(access.can_assign_pengelola(request.user, akun))
        try:
            services.pengelola_assign(unit=unit, akun=akun, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{akun.username} kini pengelola {unit.label_jalur}.")
            return redirect("akun:pengelola_list")
    filter_form = AkunFilterForm(request.GET, units=unit_tree())
    chosen = filter_form.chosen_unit
    rows = reports.pengelola_rows(unit=chosen, units=filter_form.units)
    page = Paginator(rows, PENGELOLA_PER_PAGE).get_page(request.GET.get("halaman"))
    ctx = {
        "form": form,
        "filter": filter_form,
        "page": page,
        "rows": reports.pengelola_named(page.object_list, user=request.user),
        # The units above the chosen one: their pengelola manage it too, and are marked so.
        "atas_ids": ancestor_ids(filter_form.units, chosen) if chosen else [],
    }
    return render(request, "pegawai/pengelola_list.html", ctx)


@login_required
@require_POST
def pengelola_withdraw(request):
    require(access.can_administer_accounts(request.user))
    unit = get_object_or_404(UnitKerja, pk=parse_int(request.POST.get("unit")) or 0)
    akun = get_object_or_404(User, pk=parse_int(request.POST.get("akun")) or 0)
    require(access.can_assign_pengelola(request.user, akun))
    try:
        services.pengelola_withdraw(unit=unit, akun=akun, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{akun.username} tidak lagi pengelola {unit.label_jalur}.")
    return redirect("akun:pengelola_list")


# --- The holiday calendar (HariLibur), kept by administrators --------------------------------


def _get_hari_libur_for_admin(request, pk: int) -> HariLibur:
    require(access.can_manage_hari_libur(request.user))
    return get_object_or_404(HariLibur, pk=pk)


def _hari_libur_year_url(hari_libur: HariLibur) -> str:
    return f"{reverse('hari_libur:list')}?tahun={hari_libur.tanggal.year}"


def _hari_libur_label(hari_libur: HariLibur) -> str:
    return f"{hari_libur.nama} ({formats.date_format(hari_libur.tanggal, 'j F Y')})"


@login_required
def hari_libur_list(request):
    """One year's national holidays and cuti bersama; this year unless another is asked."""
    require(access.can_manage_hari_libur(request.user))
    today = timezone.localdate()
    tahun = parse_int(request.GET.get("tahun"), low=2000, high=2100) or today.year
    years = {d.year for d in HariLibur.objects.dates("tanggal", "year")}
    rows = list(HariLibur.objects.filter(tanggal__year=tahun))
    ctx = {
        "tahun": tahun,
        "rows": rows,
        "years": sorted(years | {today.year, today.year + 1, tahun}),
        "jumlah_libur": sum(r.jenis == HariLibur.Jenis.LIBUR_NASIONAL for r in rows),
        "jumlah_cuti": sum(r.jenis == HariLibur.Jenis.CUTI_BERSAMA for r in rows),
    }
    return render(request, "pegawai/hari_libur_list.html", ctx)


@login_required
def hari_libur_create(request):
    require(access.can_manage_hari_libur(request.user))
    form = HariLiburForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hari_libur = services.hari_libur_save(hari_libur=form.save(commit=False), user=request.user)
        messages.success(request, f"{_hari_libur_label(hari_libur)} ditambahkan.")
        return redirect(_hari_libur_year_url(hari_libur))
    return render(request, "pegawai/hari_libur_form.html", {"form": form})


@login_required
def hari_libur_update(request, pk: int):
    hari_libur = _get_hari_libur_for_admin(request, pk)
    form = HariLiburForm(request.POST or None, instance=hari_libur)
    if request.method == "POST" and form.is_valid():
        hari_libur = services.hari_libur_save(hari_libur=form.save(commit=False), user=request.user)
        messages.success(request, f"{_hari_libur_label(hari_libur)} disimpan.")
        return redirect(_hari_libur_year_url(hari_libur))
    return render(request, "pegawai/hari_libur_form.html", {"form": form, "hari_libur": hari_libur})


@login_required
def hari_libur_delete(request, pk: int):
    """GET asks for confirmation; POST removes the day: it becomes a working day again."""
    hari_libur = _get_hari_libur_for_admin(request, pk)
    if request.method == "POST":
        services.hari_libur_delete(hari_libur=hari_libur, user=request.user)
        messages.success(request, f"{_hari_libur_label(hari_libur)} dihapus dari daftar.")
        return redirect(_hari_libur_year_url(hari_libur))
    return render(request, "pegawai/hari_libur_delete.html", {"hari_libur": hari_libur})


# --- Disciplinary records --------------------------------------------------------------------


def _get_disiplin_for_user(request, pk: int) -> CatatanDisiplin:
    """404 unless the record's pegawai is visible to this user; who may change it asks access."""
    visible = Pegawai.objects.visible_to(request.user).values("pk")
    rows = CatatanDisiplin.objects.select_related("pegawai").filter(pegawai__in=visible)
    return get_object_or_404(rows, pk=pk)


@login_required
def disiplin_list(request, pk: int):
    """A pegawai's disciplinary sanctions: read by themselves, kept by the HR of their unit."""
    pegawai = _get_pegawai_for_user(request, pk, related=("unit",))
    require(access.can_read_disiplin(request.user, pegawai))
    ctx = {
        "pegawai": pegawai,
        "catatan": pegawai.catatan_disiplin.select_related("dicatat_oleh"),
        "can_manage": access.can_manage_disiplin(request.user, pegawai),
    }
    return render(request, "pegawai/disiplin_list.html", ctx)


@login_required
def disiplin_create(request, pk: int):
    pegawai = _get_pegawai_for_user(request, pk, related=("unit",))
    require(access.can_manage_disiplin(request.user, pegawai))
    form = CatatanDisiplinForm(request.POST or None, instance=CatatanDisiplin(pegawai=pegawai))
    if request.method == "POST" and form.is_valid():
        services.disiplin_save(catatan=form.save(commit=False), by=request.user)
        messages.success(request, f"Hukuman disiplin {pegawai.nama_lengkap} dicatat.")
        return redirect("pegawai:disiplin_list", pegawai.pk)
    return render(request, "pegawai/disiplin_form.html", {"form": form, "pegawai": pegawai})


@login_required
def disiplin_update(request, pk: int):
    catatan = _get_disiplin_for_user(request, pk)
    pegawai = catatan.pegawai
    require(access.can_manage_disiplin(request.user, pegawai))
    form = CatatanDisiplinForm(request.POST or None, instance=catatan)
    if request.method == "POST" and form.is_valid():
        services.disiplin_save(catatan=form.save(commit=False), by=request.user)
        messages.success(request, f"Catatan hukuman disiplin {pegawai.nama_lengkap} dikoreksi.")
        return redirect("pegawai:disiplin_list", pegawai.pk)
    ctx = {"form": form, "pegawai": pegawai, "catatan": catatan}
    return render(request, "pegawai/disiplin_form.html", ctx)


# --- Two-factor sign-in (pegawai.dua_faktor, docs/dua-faktor.md) -----------------------------

KODE_BARU_KEY = "dua_faktor_kode_baru"  # recovery codes just made, until the user moves on


def _tujuan(request) -> str:
    """Where the second step leads: the page first asked for, if it is ours."""
    tujuan = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        tujuan, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return tujuan
    return reverse("beranda")


def _with_next(name: str, tujuan: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': tujuan})}"


def _dua_faktor_passed(request, device) -> None:
    request.session.cycle_key()  # a session that gained rights gets a new key
    otp_login(request, device)


@login_required
def dua_faktor_status(request):
    """The login's own second step: whether it is on, the recovery codes left, what to do."""
    return render(request, "pegawai/dua_faktor_status.html", _status_ctx(request))


def _status_ctx(request, matikan_form: KodeDuaFaktorForm | None = None) -> dict:
    user = request.user
    return {
        "totp": dua_faktor.totp_device(user),
        "sisa": dua_faktor.kode_cadangan_sisa(user),
        "wajib": access.needs_dua_faktor(user),
        "terverifikasi": user.is_verified(),
        "can_change": access.can_change_dua_faktor(user),
        "can_disable": access.can_disable_dua_faktor(user),
        "matikan_form": matikan_form or _matikan_form(),
    }


def _matikan_form(data=None) -> KodeDuaFaktorForm:
    """The code that confirms switching the second step off, below the status (no autofocus)."""
    form = KodeDuaFaktorForm(data, auto_id="matikan_%s")
    form.fields["kode"].label = "Kode 6 angka dari aplikasi autentikator"
    form.fields["kode"].widget.attrs.pop("autofocus", None)
    return form


@login_required
def dua_faktor_enrol(request):
    """A key for the authenticator app (QR code and text), confirmed by its first code. A login
    that has a device already replaces it only from a session that passed the second step with
    that app (access.can_change_dua_faktor)."""
    user, tujuan = request.user, _tujuan(request)
    if dua_faktor.has_device(user):
        if not user.is_verified():
            return redirect(_with_next("dua_faktor:verify", tujuan))
        verdict = access.can_change_dua_faktor(user)
        if not verdict:
            messages.error(request, verdict.message)
            return redirect("dua_faktor:status")
    device = dua_faktor.totp_pending(user=user)
    form = KodeDuaFaktorForm(request.POST or None)
    form.fields["kode"].label = "Kode 6 angka dari aplikasi autentikator"
    if request.method == "POST" and form.is_valid():
        hasil, kode = dua_faktor.totp_confirm(user=user, kode=form.cleaned_data["kode"])
        if hasil.device is not None:
            _dua_faktor_passed(request, hasil.device)
            request.session[KODE_BARU_KEY] = kode
            messages.success(request, "Verifikasi dua langkah aktif untuk akun Anda.")
            return redirect(_with_next("dua_faktor:kode_cadangan", tujuan))
        form.add_error("kode", hasil.pesan)
    ctx = {
        "form": form,
        "next": tujuan,
        "qr": dua_faktor.qr_svg(device),
        "kunci": dua_faktor.kunci_teks(device),
        "wajib": access.needs_dua_faktor(user),
        "ganti": dua_faktor.has_device(user),
    }
    return render(request, "pegawai/dua_faktor_enrol.html", ctx)


@login_required
def dua_faktor_verify(request):
    """The code after the password: from the app, or a recovery code (used up)."""
    user, tujuan = request.user, _tujuan(request)
    if user.is_verified():
        return redirect(tujuan)
    if not dua_faktor.has_device(user):
        if access.needs_dua_faktor(user):
            return redirect(_with_next("dua_faktor:enrol", tujuan))
        request.session.pop(ENROLLED_KEY, None)  # reset by an administrator: optional again
        return redirect(tujuan)
    form = KodeDuaFaktorForm(request.POST or None)
    form.fields["kode"].label = "Kode dari aplikasi autentikator atau kode cadangan"
    if request.method == "POST" and form.is_valid():
        hasil = dua_faktor.kode_verify(user=user, kode=form.cleaned_data["kode"])
        if hasil.device is not None:
            _dua_faktor_passed(request, hasil.device)
            if hasil.kode_cadangan:
                sisa = dua_faktor.kode_cadangan_sisa(user)
                messages.warning(
                    request,
                    f"Satu kode cadangan terpakai; sisa {sisa}. Bila ponsel Anda hilang, minta "
                    "administrator SIBINA di BKD mereset verifikasi dua langkah Anda, lalu "
                    "daftarkan ponsel baru saat masuk berikutnya.",
                )
            return redirect(tujuan)
        form.add_error("kode", hasil.pesan)
    return render(request, "pegawai/dua_faktor_verify.html", {"form": form, "next": tujuan})


@login_required
@require_POST
def dua_faktor_disable(request):
    """A login the role does not oblige switches the second step off, with a current code."""
    require(access.can_disable_dua_faktor(request.user))
    form = _matikan_form(request.POST)
    if form.is_valid():
        hasil = dua_faktor.dua_faktor_disable(user=request.user, kode=form.cleaned_data["kode"])
        if hasil.device is not None:
            request.session[ENROLLED_KEY] = [request.user.pk, False]
            messages.success(
                request,
                "Verifikasi dua langkah dimatikan: SIBINA kini hanya meminta kata sandi. Anda "
                "dapat mengaktifkannya lagi kapan saja di halaman ini.",
            )
            return redirect("dua_faktor:status")
        form.add_error("kode", hasil.pesan)
    return render(request, "pegawai/dua_faktor_status.html", _status_ctx(request, form))


@login_required
def kode_cadangan_show(request):
    """The recovery codes just made, shown while the user keeps them (GET) and forgotten when
    they move on (POST): SIBINA never shows them again."""
    kode = request.session.get(KODE_BARU_KEY)
    if request.method == "POST" or not kode:
        request.session.pop(KODE_BARU_KEY, None)
        if not kode:
            messages.info(
                request, "Kode cadangan hanya ditampilkan sekali. Buat yang baru di sini."
            )
            return redirect("dua_faktor:status")
        return redirect(_tujuan(request))
    ctx = {"kode": kode, "next": _tujuan(request)}
    return render(request, "pegawai/dua_faktor_kode_cadangan.html", ctx)


@login_required
def kode_cadangan_download(request):
    kode = request.session.get(KODE_BARU_KEY)
    if not kode:
        messages.info(request, "Kode cadangan hanya dapat diunduh saat baru dibuat.")
        return redirect("dua_faktor:status")
    text = render_to_string(
        "pegawai/dua_faktor_kode_cadangan.txt",
        {"kode": kode, "user": request.user, "dibuat": timezone.localtime()},
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kode-cadangan-sibina.txt"'
    return response


@login_required
def kode_cadangan_create(request):
    """GET asks for confirmation; POST makes ten new recovery codes (the old ones stop
    working), from a session that passed the second step with the app."""
    require(access.can_change_dua_faktor(request.user))
    if request.method != "POST":
        ctx = {"sisa": dua_faktor.kode_cadangan_sisa(request.user)}
        return render(request, "pegawai/dua_faktor_kode_cadangan_create.html", ctx)
    request.session[KODE_BARU_KEY] = dua_faktor.kode_cadangan_create(user=request.user)
    messages.success(request, "Kode cadangan baru dibuat; kode yang lama tidak berlaku lagi.")
    return redirect(_with_next("dua_faktor:kode_cadangan", reverse("dua_faktor:status")))


@login_required
def akun_dua_faktor_reset(request, pk: int):
    """A lost phone: GET asks for confirmation and the reason; POST removes the login's
    devices, and says what happens next for this login."""
    akun = _get_akun_for_user(request, pk)
    require(access.can_reset_dua_faktor(request.user, akun))
    nama = riwayat.user_names({akun.pk})[akun.pk]
    wajib = access.needs_dua_faktor(akun)
    form = ResetDuaFaktorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dua_faktor.dua_faktor_reset(
            akun=akun, oleh=request.user, alasan=form.cleaned_data["alasan"]
        )
        lalu = (
            f"saat masuk berikutnya, {nama} wajib mendaftarkan aplikasi autentikator lagi."
            if wajib
            else f"{nama} kini masuk dengan kata sandi saja dan dapat mengaktifkan verifikasi "
            "dua langkah lagi dari menu akunnya."
        )
        messages.success(request, f"Verifikasi dua langkah {nama} direset; {lalu}")
        return redirect("akun:detail", pk=akun.pk)
    if request.method != "POST" and not dua_faktor.has_device(akun):
        messages.info(
            request, f"Verifikasi dua langkah {nama} tidak aktif; tidak ada yang direset."
        )
        return redirect("akun:detail", pk=akun.pk)
    ctx = {"akun": akun, "nama": nama, "wajib": wajib, "form": form}
    return render(request, "pegawai/akun_dua_faktor_reset.html", ctx)


# --- Single sign-on (pegawai.sso, docs/sso.md) ---------------------------------------------------


@login_not_required
@require_GET
def sso_masuk(request):
    """ "Masuk dengan SSO": to the provider's sign-in page. Not found while SSO is not set up."""
    if not sso.is_enabled():
        raise Http404
    try:
        return sso.MasukView.as_view()(request)
    except sso.PenyediaGagal:
        messages.error(request, sso.TIDAK_TERHUBUNG)
        return redirect("login")


@login_not_required
@require_GET
def sso_kembali(request):
    """The provider's way back (the redirect URI registered there)."""
    if not sso.is_enabled():
        raise Http404
    return sso.KembaliView.as_view()(request)


# --- SIASN reconciliation (docs/siasn.md) -----------------------------------------------------

SELISIH_PER_PAGE = 50
SELISIH_CSV_HEADER = ["jenis selisih", "NIP", "nama", "di SIBINA", "di SIASN", "baris berkas",
                      "ditindaklanjuti oleh", "ditindaklanjuti pada"]  # fmt: skip


def _get_rekonsiliasi_for_user(request, pk: int) -> RekonsiliasiSiasn:
    """404 for a reconciliation of a scope this user may not reconcile."""
    require(access.can_reconcile_siasn(request.user))
    rows = RekonsiliasiSiasn.objects.visible_to(request.user).select_related("unit")
    return get_object_or_404(rows, pk=pk)


def _selisih_filter(request, rekonsiliasi: RekonsiliasiSiasn) -> tuple[dict, object]:
    """The differences the page or its CSV shows: of one kind, handled or not, as asked."""
    chosen = {
        "jenis": request.GET.get("jenis", ""),
        "status": request.GET.get("status", ""),
    }
    rows = rekonsiliasi.selisih.select_related("pegawai", "ditindaklanjuti_oleh")
    if chosen["jenis"] in SelisihSiasn.Jenis.values:
        rows = rows.filter(jenis=chosen["jenis"])
    else:
        chosen["jenis"] = ""
    if chosen["status"] == "belum":
        rows = rows.filter(ditindaklanjuti_at__isnull=True)
    elif chosen["status"] == "sudah":
        rows = rows.filter(ditindaklanjuti_at__isnull=False)
    else:
        chosen["status"] = ""
    return chosen, rows.order_by("jenis", "nip", "pk")


@login_required
def siasn_list(request):
    require(access.can_reconcile_siasn(request.user))
    rows = (
        RekonsiliasiSiasn.objects.visible_to(request.user)
        .select_related("unit", "diunggah_oleh")
        .annotate(
            jumlah_selisih=Count("selisih"),
            jumlah_belum=Count("selisih", filter=Q(selisih__ditindaklanjuti_at__isnull=True)),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "pegawai/siasn_list.html", {"page": page})


@login_required
def siasn_create(request):
    require(access.can_reconcile_siasn(request.user))
    form = RekonsiliasiSiasnForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit_id = form.cleaned_data["unit"]
        unit = UnitKerja.objects.get(pk=unit_id) if unit_id else None
        try:
            rekonsiliasi = services.rekonsiliasi_siasn_create(
                file=form.cleaned_data["file"], unit=unit, user=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Rekonsiliasi selesai; selisihnya tercantum di bawah.")
            return redirect(rekonsiliasi)
    return render(request, "pegawai/siasn_create.html", {"form": form, "kolom": siasn.KOLOM})


@login_required
def siasn_contoh(request):
    require(access.can_reconcile_siasn(request.user))
    response = HttpResponse(siasn.contoh_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-ekspor-siasn.csv"'
    return response


@login_required
def siasn_detail(request, pk: int):
    rekonsiliasi = _get_rekonsiliasi_for_user(request, pk)
    chosen, rows = _selisih_filter(request, rekonsiliasi)
    page = Paginator(rows, SELISIH_PER_PAGE).get_page(request.GET.get("page"))
    for selisih in page:  # the pegawai's page, where HR corrects the record, when theirs
        pegawai = selisih.pegawai
        selisih.tautan = pegawai is not None and request.user.can_manage_unit_id(pegawai.unit_id)
        selisih.boleh = access.can_tindak_lanjut_selisih(request.user, selisih)
    per_jenis = dict(
        rekonsiliasi.selisih.values_list("jenis").annotate(n=Count("pk")).values_list("jenis", "n")
    )
    ctx = {
        "rekonsiliasi": rekonsiliasi,
        "page": page,
        "chosen": chosen,
        "jenis": [
            (value, label, per_jenis.get(value, 0)) for value, label in SelisihSiasn.Jenis.choices
        ],  # fmt: skip
        "jumlah_selisih": sum(per_jenis.values()),
        "query": urlencode({k: v for k, v in chosen.items() if v}),
    }
    return render(request, "pegawai/siasn_detail.html", ctx)


@login_required
def siasn_export(request, pk: int):
    rekonsiliasi = _get_rekonsiliasi_for_user(request, pk)
    _, rows = _selisih_filter(request, rekonsiliasi)

    def lines():
        for s in rows.iterator(chunk_size=2000):
            by = s.ditindaklanjuti_oleh
            yield [
                s.get_jenis_display(), s.nip, s.nama, s.nilai_sibina, s.nilai_siasn, s.baris,
                (by.get_full_name() or by.username) if by else "",
                timezone.localtime(s.ditindaklanjuti_at).strftime("%d/%m/%Y %H:%M")
                if s.ditindaklanjuti_at else "",
            ]  # fmt: skip

    response = StreamingHttpResponse(
        csv_lines(SELISIH_CSV_HEADER, lines()), content_type="text/csv; charset=utf-8"
    )
    name = f"selisih-siasn-{rekonsiliasi.pk}-{timezone.localtime(rekonsiliasi.created_at):%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_POST
def selisih_tindak_lanjut(request, pk: int):
    require(access.can_reconcile_siasn(request.user))
    visible = RekonsiliasiSiasn.objects.visible_to(request.user)
    selisih = get_object_or_404(
        SelisihSiasn.objects.select_related("rekonsiliasi", "pegawai").filter(
            rekonsiliasi__in=visible
        ),
        pk=pk,
    )
    selesai = request.POST.get("selesai") != "0"
    if services.selisih_tindak_lanjut(selisih=selisih, user=request.user, selesai=selesai):
        messages.success(
            request,
            f"Selisih NIP {selisih.nip_tampil} ditandai "
            + ("sudah ditindaklanjuti." if selesai else "belum ditindaklanjuti."),
        )
    back = {k: request.POST.get(k, "") for k in ("jenis", "status", "page")}
    query = urlencode({k: v for k, v in back.items() if v})
    return redirect(selisih.rekonsiliasi.get_absolute_url() + (f"?{query}" if query else ""))
