from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pegawai.access import require, require_manager
from pegawai.models import Pegawai, UnitKerja
from pelatihan.models import Angkatan, Pelatihan, Peserta
from pembinaan.lib.pagination import keyset_paginate
from pembinaan.lib.ratelimit import allow_public_form, batas_pesan, batas_tolak, first_use
from pembinaan.lib.tabular import list_export
from pembinaan.lib.uploads import XLSX, file_response
from pembinaan.lib.views import run_service

from . import access, reports, services
from . import referensi as ref
from .forms import (
    AksiForm,
    IklimForm,
    KeberlanjutanForm,
    KeputusanTonggakForm,
    LaporanForm,
    LaporTonggakForm,
    PenilaianBawahanForm,
    PenilaianForm,
    PeriodeForm,
    PutaranIklimForm,
    ReaksiForm,
    ResponWargaForm,
    TonggakForm,
    VerifikasiLaporanForm,
)
from .models import (
    AksiPerubahan,
    BerkasLaporan,
    BuktiTonggak,
    LaporanKeberlanjutan,
    LaporanPascaPelatihan,
    PartisipasiIklim,
    PenilaianKinerja,
    PeriodePenilaian,
    PeriodeUnit,
    PutaranIklim,
    ReaksiPeserta,
    TonggakAksi,
)


def _require_visible(verdict) -> None:
    """Refuse an object outside the user's rights as if it were missing (404, like a wrong id),
    so that no id is confirmed to exist; STYLE.md keeps 403 for what they see but may not do."""
    if not verdict:
        raise Http404(verdict.message)


def _get_periode_for_manager(request, pk: int) -> PeriodePenilaian:
    """404 unless the period covers a unit this user manages (evaluasi.access)."""
    periode = get_object_or_404(PeriodePenilaian, pk=pk)
    _require_visible(access.can_see_periode(request.user, periode))
    return periode


def _periode_mine(user):
    """The periods HR sees listed: those covering a unit they manage (all for the province)."""
    if user.manages_province:
        return PeriodePenilaian.objects.all()
    covered = PeriodeUnit.objects.filter(unit_id__in=user.unit_kelolaan_ids).values("periode")
    return PeriodePenilaian.objects.filter(pk__in=covered)


@login_required
def evaluasi_index(request):
    user = request.user
    profil = user.pegawai_profil
    ctx = {"can_manage": user.is_manager}
    if ctx["can_manage"]:
        ctx["periode"] = _periode_mine(user)[:50]
        export = list_export(
            request, name="periode-penilaian",
            header=["Periode", "Jenis", "Mulai", "Selesai", "Status"],
            rows=lambda: (
                [p.nama, p.get_jenis_display(), p.tanggal_mulai, p.tanggal_selesai,
                 p.get_status_display()]
                for p in _periode_mine(user)
            ),
        )  # fmt: skip
        if export:
            return export
    if profil and user.is_atasan:
        ctx["periode_terbuka"] = PeriodePenilaian.objects.filter(
            status=PeriodePenilaian.Status.DIBUKA
        )
    return render(request, "evaluasi/index.html", ctx)


@login_required
def periode_create(request):
    if not request.user.is_manager:
        raise PermissionDenied("Halaman ini untuk pengelola kepegawaian.")
    form = PeriodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        require(access.can_manage_periode_units(request.user, list(form.cleaned_data["units"])))
        try:
            periode = services.periode_open(
                periode=form.save(commit=False),
                units=list(form.cleaned_data["units"]),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Periode {periode} dibuka; para atasan dapat menilai.")
            return redirect(periode)
    return render(request, "evaluasi/periode_form.html", {"form": form})


@login_required
def periode_detail(request, pk: int):
    """Per unit: progress, the spread of predicates and the warnings of the distribution rule."""
    periode = _get_periode_for_manager(request, pk)
    # The province's HR follow every unit of the periods they open; a unit's HR, their units.
    everything = request.user.manages_province
    ratings = periode.penilaian.all()
    if not everything:
        ratings = ratings.filter(pegawai__in=Pegawai.objects.managed_by(request.user).values("pk"))
    ratings = ratings.select_related("pegawai__unit", "penilai")
    export = list_export(
        request, name=f"penilaian-{periode.pk}", header=reports.PENILAIAN_HEADER,
        rows=lambda: reports.penilaian_rows(ratings.order_by("pegawai__nama", "pk")),
    )  # fmt: skip
    if export:
        return export
    periode_units = [
        pu
        for pu in periode.periode_units.select_related("unit")
        if everything or request.user.can_manage_unit(pu.unit)
    ]
    berkas = _berkas_latest(request.user, BerkasLaporan.Jenis.UNIT, [pu.pk for pu in periode_units])
    ctx = {
        "periode": periode,
        # Each unit's spread, its chart, its latest files, and whether the user may ask for a
        # new one (the province's HR see every unit but make files of their own units only).
        "distribusi": [
            (
                d,
                reports.grafik_predikat(d),
                berkas.get(d.periode_unit.pk, []),
                bool(access.can_request_berkas_unit(request.user, d.periode_unit)),
            )
            for d in map(reports.distribusi, periode_units)
        ],  # fmt: skip
        "organisasi_choices": PeriodeUnit._meta.get_field("predikat_organisasi").choices,
        "can_manage": access.can_manage_periode(request.user, periode),
    }
    return render(request, "evaluasi/periode_detail.html", ctx)


# The files listed on their subject's page (a period's unit part, a pegawai's kinerja, a batch's
# evaluation): the latest few (each stays reachable from the evaluation index's requests too).
BERKAS_PER_SUBJEK = 5


def _berkas_latest(user, jenis: str, subjek_ids: list[int]) -> dict[int, list[BerkasLaporan]]:
    """The files of one kind made of these subjects that this user may fetch
    (access.can_see_berkas), latest first, per subject id."""
    field = {
        BerkasLaporan.Jenis.PEGAWAI: "pegawai",
        BerkasLaporan.Jenis.ANGKATAN: "angkatan",
        BerkasLaporan.Jenis.UNIT: "periode_unit",
    }[jenis]
    rows = BerkasLaporan.objects.filter(jenis=jenis, **{f"{field}__in": subjek_ids})
    rows = rows.select_related("pegawai", "angkatan__pelatihan", "periode_unit", "diminta_oleh")
    if not user.is_admin:
        rows = rows.filter(diminta_oleh=user)  # the policy's first test, in the query
    latest = Window(
        RowNumber(), partition_by=F(field), order_by=[F("created_at").desc(), F("pk").desc()]
    )
    rows = rows.annotate(urutan=latest).filter(urutan__lte=BERKAS_PER_SUBJEK)
    by_subjek = {}
    for berkas in rows.order_by("-created_at", "-pk"):
        if access.can_see_berkas(user, berkas):
            by_subjek.setdefault(getattr(berkas, f"{field}_id"), []).append(berkas)
    return by_subjek


@login_required
@require_POST
def periode_unit_update(request, pk: int):
    periode_unit = get_object_or_404(PeriodeUnit.objects.select_related("unit"), pk=pk)
    _get_periode_for_manager(request, periode_unit.periode_id)
    require(access.can_set_predikat_organisasi(request.user, periode_unit))
    value = request.POST.get("predikat_organisasi", "")
    if value in dict(PeriodeUnit._meta.get_field("predikat_organisasi").choices):
        periode_unit.predikat_organisasi = value
        periode_unit.save(update_fields=["predikat_organisasi"])
        messages.success(request, f"Predikat organisasi {periode_unit.unit} disimpan.")
    else:
        messages.error(request, "Pilih predikat organisasi yang tersedia.")
    return redirect(periode_unit.periode)


@login_required
@require_POST
def periode_close(request, pk: int):
    periode = _get_periode_for_manager(request, pk)
    require(access.can_manage_periode(request.user, periode))
    services.periode_close(periode=periode)
    messages.success(request, f"Periode {periode} ditutup.")
    return redirect(periode)


@login_required
@require_POST
def periode_reopen(request, pk: int):
    periode = _get_periode_for_manager(request, pk)
    require(access.can_manage_periode(request.user, periode))
    run_service(
        request,
        lambda: services.periode_reopen(periode=periode),
        f"Periode {periode} dibuka kembali.",
    )
    return redirect(periode)


def _subordinates_in(periode: PeriodePenilaian, atasan: Pegawai):
    """The atasan's direct subordinates in the period, each with their rating (or None)."""
    subordinates = list(
        reports.pegawai_dalam_periode(periode)
        .filter(atasan=atasan)
        .select_related("jabatan")
        .order_by("nama", "pk")
    )
    ratings = {r.pegawai_id: r for r in periode.penilaian.filter(pegawai__in=subordinates)}
    return [(p, ratings.get(p.pk)) for p in subordinates]


@login_required
def penilaian_bawahan(request, pk: int):
    """The atasan's page: each direct subordinate in the period, rated or waiting, in one form
    saved all at once (a row can also be saved alone, in place, without reloading the page)."""
    periode = get_object_or_404(PeriodePenilaian, pk=pk)
    profil = request.user.pegawai_profil
    if profil is None:
        raise PermissionDenied("Halaman ini untuk atasan.")
    form = PenilaianBawahanForm(request.POST or None, rows=_subordinates_in(periode, profil))
    if request.method == "POST" and form.is_valid():
        ratings = form.ratings()
        if not ratings:
            messages.info(request, "Tidak ada penilaian baru atau yang diubah untuk disimpan.")
            return redirect("evaluasi:penilaian_bawahan", pk=periode.pk)
        try:
            services.penilaian_save_many(periode=periode, penilai=profil, ratings=ratings)
        except ValidationError as error:
            messages.error(request, "Tidak ada yang disimpan. " + " ".join(error.messages))
        else:
            names = ", ".join(p.nama_lengkap for p, _ in ratings)
            # A name may end in a title's full stop ("S.Kom."): one full stop, not two.
            messages.success(request, f"{len(ratings)} penilaian disimpan: {names.rstrip('.')}.")
            return redirect("evaluasi:penilaian_bawahan", pk=periode.pk)
    errors = form.errors if request.method == "POST" else []
    ctx = {"periode": periode, "forms": form.forms, "errors": errors}
    return render(request, "evaluasi/penilaian_bawahan.html", ctx)


def _row_errors(form: PenilaianForm) -> str:
    """A row's errors in one sentence each, a field's named by its label."""
    parts = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name != "__all__":
            parts += [f"{form.fields[name].label}: {e}" for e in errors]
    return " ".join(parts)


@login_required
@require_POST
def penilaian_save(request, pk: int, pegawai_pk: int):
    """One row of the atasan's page; through htmx the row is answered in place, so the other
    rows keep what the atasan chose and has not saved yet."""
    periode = get_object_or_404(PeriodePenilaian, pk=pk)
    profil = request.user.pegawai_profil
    visible = Pegawai.objects.visible_to(request.user)
    pegawai = get_object_or_404(visible.select_related("jabatan"), pk=pegawai_pk)
    require(access.can_rate(request.user, pegawai))
    penilaian = periode.penilaian.filter(pegawai=pegawai).first()
    form = PenilaianForm(request.POST, pegawai=pegawai, penilaian=penilaian)
    saved = None
    if not form.is_valid():
        error = _row_errors(form)
    elif not form.cleaned_data["hasil_kerja"]:
        error = "Pilih hasil kerja dan perilaku kerja."
    else:
        try:
            saved = services.penilaian_save(
                periode=periode, pegawai=pegawai, penilai=profil, **form.cleaned_data
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            error = ""
    if request.htmx:
        if saved:
            form = PenilaianForm(pegawai=pegawai, penilaian=saved)
        ctx = {"periode": periode, "form": form, "error": error, "saved": bool(saved)}
        return render(request, "evaluasi/_penilaian_baris.html", ctx)
    if saved:
        messages.success(request, f"{pegawai.nama_lengkap}: {saved.get_predikat_display()}.")
    else:
        messages.error(request, f"{pegawai.nama_lengkap}: {error}")
    return redirect("evaluasi:penilaian_bawahan", pk=periode.pk)


@login_required
def kinerja_pegawai(request, pk: int):
    """A pegawai's predicates over time, with the credit of a functional position."""
    visible = Pegawai.objects.visible_to(request.user).select_related("jabatan", "unit")
    pegawai = get_object_or_404(visible, pk=pk)
    ratings = pegawai.penilaian_kinerja.select_related("periode", "penilai", "jabatan").order_by(
        "-periode__tanggal_mulai"
    )
    ctx = {
        "pegawai": pegawai,
        "penilaian": ratings,
        "is_self": pegawai.user_id == request.user.pk,
        "can_request_pdf": request.user.can_manage_unit(pegawai.unit),
        "berkas": _berkas_latest(request.user, BerkasLaporan.Jenis.PEGAWAI, [pegawai.pk]).get(
            pegawai.pk, []
        ),
    }
    return render(request, "evaluasi/kinerja_pegawai.html", ctx)


@login_required
@require_POST
def penilaian_acknowledge(request, pk: int):
    penilaian = get_object_or_404(
        PenilaianKinerja.objects.select_related("pegawai").filter(
            pegawai__in=Pegawai.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    require(access.can_acknowledge(request.user, penilaian))
    services.penilaian_acknowledge(penilaian=penilaian)
    messages.success(request, "Terima kasih; penilaian ditandai sudah Anda ketahui.")
    return redirect("evaluasi:kinerja_pegawai", pk=penilaian.pegawai_id)


# --- Post-training self-reports --------------------------------------------------------------


def _get_laporan_for_user(request, pk: int) -> LaporanPascaPelatihan:
    """404 unless the report's pegawai is visible to this user (themself, their atasan, the
    pengelola of their unit, an admin)."""
    visible = Pegawai.objects.visible_to(request.user).values("pk")
    rows = LaporanPascaPelatihan.objects.select_related(
        "pegawai__unit", "pegawai__atasan", "peserta__angkatan__pelatihan", "penilai"
    )
    return get_object_or_404(rows.filter(pegawai__in=visible), pk=pk)


@login_required
def laporan_list(request):
    """Each role's reports: the pegawai's own, those waiting for the atasan, and for HR the
    overdue ones of their units."""
    user, today = request.user, timezone.localdate()
    profil = user.pegawai_profil
    related = ("pegawai__unit", "peserta__angkatan__pelatihan")
    ctx = {"today": today}
    if profil is not None:
        ctx["milik_saya"] = profil.laporan_pasca_pelatihan.select_related(*related)
        # Passed since the daily job made the reports: each opened by a POST (laporan_start).
        ctx["belum_dibuat"] = Peserta.objects.filter(
            pegawai=profil, lulus=True, laporan__isnull=True
        ).select_related("angkatan__pelatihan")
        ctx["menunggu_saya"] = LaporanPascaPelatihan.objects.filter(
            pegawai__atasan=profil, status=LaporanPascaPelatihan.Status.DIAJUKAN
        ).select_related(*related)
    if user.is_manager:
        waiting = [
            LaporanPascaPelatihan.Status.BELUM_DIISI,
            LaporanPascaPelatihan.Status.DRAF,
            LaporanPascaPelatihan.Status.DIKEMBALIKAN,
        ]
        late = (
            LaporanPascaPelatihan.objects.filter(
                pegawai__in=Pegawai.objects.managed_by(user).values("pk"),
                status__in=waiting,
                jatuh_tempo__lt=today,
            )
            .select_related(*related)
            .order_by("pegawai__unit__nama", "jatuh_tempo")
        )
        export = list_export(
            request, name="laporan-terlambat", header=reports.LAPORAN_HEADER,
            rows=lambda: reports.laporan_rows(late),
        )  # fmt: skip
        if export:
            return export
        ctx["terlambat"] = late[:200]
    return render(request, "evaluasi/laporan_list.html", ctx)


@login_required
@require_POST
def laporan_start(request, pk: int):
    """The pegawai opens the report of a training they passed that the daily job has not made
    yet (pengingat_laporan_task makes everyone's each morning)."""
    passed = Peserta.objects.filter(pegawai__user=request.user, lulus=True)
    peserta = get_object_or_404(passed.select_related("pegawai", "angkatan"), pk=pk)
    laporan = services.laporan_start(peserta=peserta, by=request.user)
    return redirect("evaluasi:laporan_detail", pk=laporan.pk)


@login_required
def laporan_detail(request, pk: int):
    laporan = _get_laporan_for_user(request, pk)
    is_owner = laporan.pegawai.user_id == request.user.pk
    S = LaporanPascaPelatihan.Status
    profil = request.user.pegawai_profil
    is_atasan = profil is not None and laporan.pegawai.atasan_id == profil.pk
    editable = is_owner and laporan.status in LaporanPascaPelatihan.TRANSITIONS["simpan"]
    form = (
        LaporanForm(request.POST or None, request.FILES or None, instance=laporan)
        if editable
        else None
    )
    if request.method == "POST":
        if is_owner and "ajukan" in request.POST and laporan.status == S.DIAJUKAN:
            messages.info(request, "Laporan ini sudah diajukan ke atasan.")  # sent twice
            return redirect(laporan)
        if not editable:
            raise PermissionDenied("Laporan ini tidak dapat Anda ubah sekarang.")
        action = "ajukan" if "ajukan" in request.POST else "simpan"
        if form.is_valid():
            data = {**form.cleaned_data, "kompetensi": form.cleaned_data["kompetensi_dibutuhkan"]}
            try:
                services.laporan_transition(
                    laporan=laporan, action=action, by=request.user, data=data
                )
            except ValidationError as error:
                form.add_error(None, error)  # a dict of field errors lands on its fields
            else:
                done = "diajukan ke atasan" if action == "ajukan" else "disimpan sebagai draf"
                messages.success(request, f"Laporan {done}.")
                return redirect(laporan)
    ctx = {
        "laporan": laporan,
        "form": form,
        "is_atasan": is_atasan,
        "verifikasi_form": VerifikasiLaporanForm() if is_atasan else None,
        "overdue": laporan.is_overdue(timezone.localdate()),
    }
    return render(request, "evaluasi/laporan_detail.html", ctx)


@login_required
def laporan_lampiran(request, pk: int):
    """The report's attachment, to those who see the report (its pegawai, atasan, HR)."""
    laporan = _get_laporan_for_user(request, pk)
    if not laporan.lampiran:
        raise Http404("Laporan ini tanpa lampiran.")
    return file_response(request, laporan.lampiran, name=f"lampiran-laporan-{laporan.pk}")


@login_required
@require_POST
def laporan_decide(request, pk: int):
    laporan = _get_laporan_for_user(request, pk)
    require(access.can_decide_laporan(request.user, laporan))
    form = VerifikasiLaporanForm(request.POST)
    action = "verifikasi" if request.POST.get("keputusan") == "verifikasi" else "kembalikan"
    data = form.cleaned_data if form.is_valid() else {}
    try:
        services.laporan_transition(laporan=laporan, action=action, by=request.user, data=data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Laporan diverifikasi."
            if action == "verifikasi"
            else "Laporan dikembalikan kepada pegawai.",
        )
    return redirect(laporan)


# --- Training evaluation per batch (L1–L3) -----------------------------------------------------


@login_required
def angkatan_evaluasi(request, pk: int):
    """A batch's L1 reactions, L2 gains and L3 self-reports, for its organisers."""
    angkatan = get_object_or_404(Angkatan.objects.select_related("pelatihan"), pk=pk)
    _require_visible(access.can_see_angkatan_evaluasi(request.user, angkatan))
    ctx = {
        "evaluasi": reports.evaluasi_angkatan(angkatan),
        "aspek": ReaksiPeserta.ASPEK,
        "berkas": _berkas_latest(request.user, BerkasLaporan.Jenis.ANGKATAN, [angkatan.pk]).get(
            angkatan.pk, []
        ),
    }
    return render(request, "evaluasi/angkatan_evaluasi.html", ctx)


@login_required
def pelatihan_evaluasi(request, pk: int):
    """L1 of a training: each batch's mean reaction and the training's overall."""
    if not request.user.is_manager:
        raise PermissionDenied("Halaman ini untuk pengelola kepegawaian.")
    pelatihan = get_object_or_404(Pelatihan, pk=pk)
    ctx = {
        "pelatihan": pelatihan,
        "rows": reports.reaksi_pelatihan(pelatihan),
        "aspek": ReaksiPeserta.ASPEK,
    }
    return render(request, "evaluasi/pelatihan_evaluasi.html", ctx)


@login_required
def reaksi_create(request, pk: int):
    """L1: a participant of a finished batch rates it, once."""
    angkatan = get_object_or_404(Angkatan.objects.select_related("pelatihan"), pk=pk)
    profil = request.user.pegawai_profil
    peserta = (
        Peserta.objects.filter(
            angkatan=angkatan, pegawai=profil, status=Peserta.Status.TERDAFTAR
        ).first()
        if profil
        else None
    )
    if peserta is None:
        raise PermissionDenied("Hanya peserta angkatan ini yang mengisi survei reaksinya.")
    if angkatan.status != Angkatan.Status.SELESAI:
        messages.error(request, "Survei reaksi dibuka setelah angkatan selesai.")
        return redirect(angkatan)
    if ReaksiPeserta.objects.filter(peserta=peserta).exists():
        messages.info(request, "Anda sudah mengisi survei reaksi angkatan ini. Terima kasih.")
        return redirect(angkatan)
    form = ReaksiForm(request.POST or None, instance=ReaksiPeserta(peserta=peserta))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Terima kasih atas penilaian Anda.")
        return redirect(angkatan)
    return render(request, "evaluasi/reaksi_form.html", {"form": form, "angkatan": angkatan})


# --- Evaluation PDFs ---------------------------------------------------------------------------


def _get_berkas_for_user(request, pk: int) -> BerkasLaporan:
    """404 unless this user may reach the file now (evaluasi.access.can_see_berkas): a refusal
    looks like a missing row, so ids that exist are not confirmed."""
    rows = BerkasLaporan.objects.select_related(
        "pegawai", "angkatan__pelatihan", "periode_unit__unit", "periode_unit__periode"
    )
    berkas = get_object_or_404(rows, pk=pk)
    if not access.can_see_berkas(request.user, berkas):
        raise Http404("Berkas tidak ditemukan.")
    return berkas


@login_required
@require_POST
def berkas_request(request, jenis: str, pk: int):
    """Ask for an evaluation PDF; a worker makes it while the page follows its status."""
    require_manager(request)
    berkas = BerkasLaporan(jenis=jenis, diminta_oleh=request.user)
    if jenis == BerkasLaporan.Jenis.PEGAWAI:
        berkas.pegawai = get_object_or_404(Pegawai.objects.managed_by(request.user), pk=pk)
    elif jenis == BerkasLaporan.Jenis.ANGKATAN:
        berkas.angkatan = get_object_or_404(Angkatan.objects.select_related("pelatihan"), pk=pk)
    else:
        berkas.periode_unit = get_object_or_404(PeriodeUnit, pk=pk)
    _require_visible(access.can_request_berkas(request.user, berkas))
    berkas = services.berkas_request(berkas=berkas)  # the one already in the making, if any
    # Run eagerly (no Redis), the task has already made it once the row committed: say what is.
    berkas.refresh_from_db(fields=["status", "pesan_gagal"])
    if berkas.status == BerkasLaporan.Status.SELESAI:
        messages.success(request, "Berkas selesai dibuat dan siap diunduh.")
    elif berkas.status == BerkasLaporan.Status.GAGAL:
        messages.error(request, "Berkas gagal dibuat; alasannya tertulis di bawah.")
    else:
        messages.success(
            request, "Berkas sedang dibuat; halaman ini memperbarui statusnya sendiri."
        )
    return redirect(berkas)


@login_required
@require_GET
def berkas_detail(request, pk: int):
    berkas = _get_berkas_for_user(request, pk)
    template = "evaluasi/_berkas_status.html" if request.htmx else "evaluasi/berkas_detail.html"
    ctx = {"berkas": berkas, "can_request": access.can_request_berkas(request.user, berkas)}
    return render(request, template, ctx)


@login_required
@require_GET
def berkas_download(request, pk: int):
    berkas = _get_berkas_for_user(request, pk)
    if berkas.status != BerkasLaporan.Status.SELESAI:
        raise PermissionDenied("Berkas ini belum selesai dibuat.")
    return file_response(request, berkas.file, name=berkas.nama_unduhan)


@login_required
@require_GET
def berkas_download_xlsx(request, pk: int):
    """The workbook made beside a per-unit PDF (one row per pegawai): for whoever may fetch the
    PDF, once it is made."""
    berkas = _get_berkas_for_user(request, pk)
    if berkas.status != BerkasLaporan.Status.SELESAI:
        raise PermissionDenied("Berkas ini belum selesai dibuat.")
    if not berkas.lampiran:
        raise Http404("Berkas ini tidak disertai daftar XLSX.")
    name = f"{berkas.nama_unduhan}-per-pegawai"
    return file_response(request, berkas.lampiran, name=name, kind=XLSX)


# --- Work-climate survey -------------------------------------------------------------------------


@login_required
def iklim_index(request):
    """For the pegawai, the open rounds that cover them; for HR, the rounds and a new one; for
    a unit's head, the results of the rounds that cover their unit."""
    profil = request.user.pegawai_profil
    ctx = {"can_manage": request.user.is_manager}
    if profil is not None:
        open_rounds = PutaranIklim.objects.filter(status=PutaranIklim.Status.DIBUKA)
        answered = set(
            PartisipasiIklim.objects.filter(pegawai=profil).values_list("putaran_id", flat=True)
        )
        ctx["terbuka"] = [
            (r, r.pk in answered)
            for r in open_rounds
            if services.pegawai_dalam_putaran(r).filter(pk=profil.pk).exists()
        ]
    if ctx["can_manage"]:
        form = PutaranIklimForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            putaran = services.putaran_open(
                putaran=form.save(commit=False), units=form.cleaned_data["units"], by=request.user
            )
            messages.success(request, f"Putaran {putaran} dibuka.")
            return redirect("evaluasi:iklim_index")
        ctx |= {"form": form, "putaran": _putaran_mine(request.user)[:30]}
        export = list_export(
            request, name="putaran-iklim", header=["Putaran", "Mulai", "Selesai", "Status"],
            rows=lambda: (
                [p.nama, p.tanggal_mulai, p.tanggal_selesai, p.get_status_display()]
                for p in _putaran_mine(request.user)
            ),
        )  # fmt: skip
        if export:
            return export
    elif request.method == "POST":
        raise PermissionDenied("Putaran dibuka oleh pengelola kepegawaian.")
    elif request.user.unit_dipimpin is not None:
        rounds = PutaranIklim.objects.prefetch_related("units")[:30]
        ctx["hasil_pimpinan"] = [r for r in rounds if _can_see_iklim(request.user, r.units.all())]
    return render(request, "evaluasi/iklim_index.html", ctx)


@login_required
def iklim_isi(request, pk: int):
    putaran = get_object_or_404(PutaranIklim, pk=pk)
    profil = request.user.pegawai_profil
    if profil is None:
        raise PermissionDenied("Survei ini untuk pegawai.")
    if PartisipasiIklim.objects.filter(putaran=putaran, pegawai=profil).exists():
        return render(request, "evaluasi/iklim_isi.html", {"putaran": putaran, "sudah": True})
    form = IklimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        teks = data.pop("teks")
        try:
            services.iklim_answer(putaran=putaran, pegawai=profil, jawaban=data, teks=teks)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Terima kasih. Jawaban Anda tersimpan tanpa identitas.")
        return redirect("evaluasi:iklim_index")
    return render(request, "evaluasi/iklim_isi.html", {"putaran": putaran, "form": form})


def _putaran_mine(user):
    """The climate rounds HR sees listed: those covering a unit they manage."""
    if user.manages_province:
        return PutaranIklim.objects.all()
    covered = PutaranIklim.units.through.objects.filter(unitkerja_id__in=user.unit_kelolaan_ids)
    return PutaranIklim.objects.filter(pk__in=covered.values("putaraniklim_id"))


def _iklim_group_visible(user, unit) -> bool:
    """HR sees the groups of their units; a unit's head the groups at or below their unit."""
    head = user.unit_dipimpin
    return user.can_manage_unit(unit) or (head is not None and unit.path.startswith(head.path))


def _can_see_iklim(user, units) -> bool:
    """The round covers a unit this user manages, or the unit they head (above or below it)."""
    if any(user.can_manage_unit(u) for u in units):
        return True
    head = user.unit_dipimpin
    return head is not None and any(
        head.path.startswith(u.path) or u.path.startswith(head.path) for u in units
    )


@login_required
def iklim_hasil(request, pk: int):
    """Scores per dimension for groups of at least five, the change since the previous round,
    the lowest dimensions and the development they ask for; for HR of the round's units and the
    heads of units in it."""
    putaran = get_object_or_404(PutaranIklim, pk=pk)
    if not request.user.is_manager and request.user.unit_dipimpin is None:
        raise PermissionDenied("Hasil survei untuk pengelola kepegawaian dan pimpinan unit.")
    if not _can_see_iklim(request.user, putaran.units.all()):
        raise PermissionDenied("Putaran ini bukan untuk unit Anda.")
    groups, hidden = reports.hasil_iklim(putaran)
    groups = [g for g in groups if _iklim_group_visible(request.user, g.unit)]
    ctx = {
        "putaran": putaran,
        "groups": groups,
        "hidden": hidden,
        "labels": dict(ref.DIMENSI_IKLIM),
        "minimum": ref.MIN_KELOMPOK_IKLIM,
    }
    return render(request, "evaluasi/iklim_hasil.html", ctx)


# --- Change projects (aksi perubahan) --------------------------------------------------------


def _get_aksi_for_user(request, pk: int) -> AksiPerubahan:
    """404 unless the project's pegawai is visible to this user (themself, their atasan, the
    pengelola of their unit, an admin) or the user is its mentor."""
    visible = Q(pegawai__in=Pegawai.objects.visible_to(request.user).values("pk"))
    profil = request.user.pegawai_profil
    if profil is not None:
        visible |= Q(mentor=profil)
    rows = AksiPerubahan.objects.select_related(
        "pegawai__unit", "mentor", "unit", "peserta__angkatan__pelatihan"
    )
    return get_object_or_404(rows.filter(visible), pk=pk)


def _get_tonggak_for_user(request, pk: int) -> TonggakAksi:
    tonggak = get_object_or_404(TonggakAksi, pk=pk)
    tonggak.aksi = _get_aksi_for_user(request, tonggak.aksi_id)
    return tonggak


@login_required
def aksi_list(request):
    """Each role's projects: the pegawai's own and the trainings that still ask for one, those
    they mentor, and for HR the counts per unit and the projects of their units."""
    user, profil = request.user, request.user.pegawai_profil
    ctx = {"can_manage": user.is_manager}
    if profil is not None:
        ctx["milik_saya"] = profil.aksi_perubahan.select_related("unit")
        ctx["wajib"] = Peserta.objects.filter(
            pegawai=profil,
            status=Peserta.Status.TERDAFTAR,
            angkatan__pelatihan__wajib_aksi_perubahan=True,
            aksi_perubahan__isnull=True,
        ).select_related("angkatan__pelatihan")
        ctx["dimentori"] = (
            AksiPerubahan.objects.filter(mentor=profil)
            .select_related("pegawai", "unit")
            .annotate(
                menunggu=Count("tonggak", filter=Q(tonggak__status=TonggakAksi.Status.DILAPORKAN))
            )
        )
    if ctx["can_manage"]:
        rows = AksiPerubahan.objects.filter(unit__in=UnitKerja.objects.managed_by(user))
        status = request.GET.get("status", "")
        if status in AksiPerubahan.Status.values:
            rows = rows.filter(status=status)
        export = list_export(
            request, name="aksi-perubahan", header=reports.AKSI_HEADER,
            rows=lambda: reports.aksi_rows(rows.select_related("pegawai", "unit").order_by("pk")),
        )  # fmt: skip
        if export:
            return export
        ctx |= {
            "rekap": reports.rekap_aksi(user),
            "page": keyset_paginate(
                rows.select_related("pegawai", "unit"),
                key="judul",
                after=request.GET.get("setelah"),
                before=request.GET.get("sebelum"),
            ),
            "status": status,
            "statuses": AksiPerubahan.Status.choices,
        }
    return render(request, "evaluasi/aksi_list.html", ctx)


@login_required
def aksi_create(request):
    profil = request.user.pegawai_profil
    if profil is None:
        raise PermissionDenied("Aksi perubahan didaftarkan oleh pegawai pelaksananya.")
    initial = {"peserta": request.GET.get("peserta"), "tanggal_mulai": timezone.localdate()}
    form = AksiForm(request.POST or None, pegawai=profil, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            aksi = services.aksi_register(aksi=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Aksi perubahan terdaftar; tambahkan tonggaknya.")
            return redirect(aksi)
    return render(request, "evaluasi/aksi_form.html", {"form": form})


@login_required
def aksi_update(request, pk: int):
    aksi = _get_aksi_for_user(request, pk)
    if aksi.pegawai.user_id != request.user.pk or not aksi.is_editable:
        raise PermissionDenied("Aksi perubahan ini tidak dapat Anda ubah.")
    form = AksiForm(request.POST or None, instance=aksi, pegawai=aksi.pegawai)
    if request.method == "POST" and form.is_valid():
        try:
            services.aksi_update(aksi=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Aksi perubahan diperbarui.")
            return redirect(aksi)
    return render(request, "evaluasi/aksi_form.html", {"form": form, "aksi": aksi})


@login_required
def aksi_detail(request, pk: int):
    aksi = _get_aksi_for_user(request, pk)
    profil = request.user.pegawai_profil
    is_owner = aksi.pegawai.user_id == request.user.pk
    can_manage = request.user.can_manage_unit(aksi.unit)
    today = timezone.localdate()
    ctx = {
        "aksi": aksi,
        "tonggak": aksi.tonggak.prefetch_related("bukti").select_related("dikonfirmasi_oleh"),
        "keberlanjutan": [
            (k, is_owner and _can_report_keberlanjutan(aksi, k, today), k.is_overdue(today))
            for k in aksi.laporan_keberlanjutan.all()
        ],
        "is_owner": is_owner,
        "is_mentor": profil is not None and aksi.mentor_id == profil.pk,
        "can_report_tonggak": is_owner and aksi.status == AksiPerubahan.Status.BERJALAN,
        "can_manage": can_manage,
        "can_stop": (is_owner or can_manage)
        and aksi.status in AksiPerubahan.TRANSITIONS["hentikan"],
        "tonggak_form": TonggakForm() if is_owner and aksi.is_editable else None,
        "lapor_form": LaporTonggakForm(),
        "keputusan_form": KeputusanTonggakForm(),
        "keberlanjutan_form": KeberlanjutanForm(),
        "publishable": aksi.status in services.PUBLISHABLE,
    }
    if can_manage:
        ctx["respon"] = aksi.respon_warga.all()[:100]
        ctx["respon_ringkas"] = aksi.respon_warga.aggregate(
            jumlah=Count("pk"), merasakan=Count("pk", filter=Q(merasakan=True))
        )
    return render(request, "evaluasi/aksi_detail.html", ctx)


def _can_report_keberlanjutan(aksi, laporan, today) -> bool:
    opens = laporan.jatuh_tempo - timedelta(days=services.HARI_LAPOR_KEBERLANJUTAN)
    return (
        not laporan.is_reported and aksi.status != AksiPerubahan.Status.BERHENTI and today >= opens
    )


@login_required
@require_POST
def aksi_status(request, pk: int):
    aksi = _get_aksi_for_user(request, pk)
    action = request.POST.get("langkah", "")
    if action not in AksiPerubahan.TRANSITIONS:
        messages.error(request, "Pilih langkah yang tersedia.")
        return redirect(aksi)
    try:
        aksi = services.aksi_transition(
            aksi=aksi,
            action=action,
            by=request.user,
            alasan=request.POST.get("alasan", "")[:2000],
            hasil=request.POST.get("hasil", "")[:4000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Aksi perubahan kini {aksi.get_status_display().lower()}.")
    return redirect(aksi)


@login_required
@require_POST
def tonggak_create(request, pk: int):
    aksi = _get_aksi_for_user(request, pk)
    form = TonggakForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi tahap, uraian dan jatuh tempo tonggak dengan benar.")
        return redirect(aksi)
    run_service(
        request,
        lambda: services.tonggak_add(aksi=aksi, tonggak=form.save(commit=False), by=request.user),
        "Tonggak ditambahkan.",
    )
    return redirect(aksi)


@login_required
@require_POST
def tonggak_report(request, pk: int):
    tonggak = _get_tonggak_for_user(request, pk)
    form = LaporTonggakForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
        return redirect(tonggak.aksi)
    run_service(
        request,
        lambda: services.tonggak_report(
            tonggak=tonggak, by=request.user, catatan=form.cleaned_data["catatan"],
            bukti=form.bukti(),
        ),
        "Tonggak dilaporkan; menunggu konfirmasi mentor.",
    )  # fmt: skip
    return redirect(tonggak.aksi)


@login_required
@require_POST
def tonggak_decide(request, pk: int):
    tonggak = _get_tonggak_for_user(request, pk)
    form = KeputusanTonggakForm(request.POST)
    confirm = request.POST.get("keputusan") == "konfirmasi"
    catatan = form.cleaned_data["catatan_mentor"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.tonggak_decide(
            tonggak=tonggak, by=request.user, confirm=confirm, catatan=catatan
        ),
        "Tonggak dikonfirmasi." if confirm else "Tonggak dikembalikan kepada pegawai.",
    )
    return redirect(tonggak.aksi)


@login_required
@require_POST
def keberlanjutan_report(request, pk: int):
    laporan = get_object_or_404(LaporanKeberlanjutan, pk=pk)
    aksi = _get_aksi_for_user(request, laporan.aksi_id)
    form = KeberlanjutanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih apakah perubahan masih digunakan, dan ceritakan.")
        return redirect(aksi)
    run_service(
        request,
        lambda: services.keberlanjutan_report(
            laporan=laporan, by=request.user, today=timezone.localdate(), **form.cleaned_data
        ),
        "Laporan keberlanjutan tersimpan. Terima kasih.",
    )
    return redirect(aksi)


@login_required
@require_POST
def aksi_publish(request, pk: int):
    aksi = _get_aksi_for_user(request, pk)
    publish = request.POST.get("tampilkan") == "1"
    run_service(
        request,
        lambda: services.aksi_publish(aksi=aksi, by=request.user, publish=publish),
        "Tampil di galeri inovasi." if publish else "Ditarik dari galeri inovasi.",
    )
    return redirect(aksi)


@login_required
def bukti_download(request, pk: int):
    """Evidence files are private uploads: served to those who may see the project only."""
    bukti = get_object_or_404(BuktiTonggak.objects.select_related("tonggak"), pk=pk)
    _get_aksi_for_user(request, bukti.tonggak.aksi_id)
    if not bukti.file:
        raise Http404("Bukti ini berupa tautan.")
    return file_response(request, bukti.file, name=f"bukti-{bukti.pk}")


GALERI_PER_HALAMAN = 24


@login_not_required
def inovasi_galeri(request):
    """Public: the change projects HR has published, newest first."""
    rows = (
        AksiPerubahan.objects.filter(dipublikasikan_at__isnull=False)
        .select_related("unit")
        .order_by("-dipublikasikan_at", "-pk")
    )
    page = Paginator(rows, GALERI_PER_HALAMAN).get_page(request.GET.get("halaman"))
    return render(request, "evaluasi/inovasi_galeri.html", {"page": page})


RESPON_SALT = "evaluasi.inovasi-respon"
RESPON_COOKIE_AGE = 365 * 24 * 3600


def _respon_cookie(aksi: AksiPerubahan) -> str:
    return f"inovasi_{aksi.pk}"


def _answered_here(request, aksi: AksiPerubahan) -> bool:
    cookie = request.get_signed_cookie(_respon_cookie(aksi), default="", salt=RESPON_SALT)
    return cookie == "1"


@login_not_required
def inovasi_detail(request, pk: int):
    """Public: one published project, and the citizen's one answer to whether they noticed it.
    One device answers once per project: a signed cookie of the project's page says that this
    device answered (read on GET, to show thanks instead of the form, and on POST, which then
    saves nothing), and the form's one-time token stops a double click. A device, not a person
    or an address: citizens give no account or personal data here, and one address is shared by
    a mobile carrier's many customers. A device that clears its cookies is bounded by the hourly
    limit per address."""
    published = AksiPerubahan.objects.filter(dipublikasikan_at__isnull=False)
    aksi = get_object_or_404(published.select_related("unit"), pk=pk)
    answered = _answered_here(request, aksi)
    form = ResponWargaForm(request.POST or None)
    if request.method == "POST" and answered:
        messages.info(request, "Anda sudah menanggapi inovasi ini dari perangkat ini.")
        return redirect("inovasi_detail", pk=aksi.pk)
    if request.method == "POST":
        # A response sent counts (the honeypot's too); a form with errors does not.
        if form.is_valid() and not allow_public_form(request, "inovasi"):
            form.add_error(None, batas_pesan(request, "inovasi", "tanggapan"))
            ctx = {"aksi": aksi, "form": form}
            return batas_tolak(request, "inovasi", "evaluasi/inovasi_detail.html", ctx)
        if form.is_valid():
            if not form.is_bot() and first_use("inovasi", form.cleaned_data["token"]):
                services.respon_warga_add(
                    aksi=aksi,
                    merasakan=form.cleaned_data["merasakan"],
                    komentar=form.cleaned_data["komentar"],
                )
            messages.success(request, "Terima kasih; tanggapan Anda kami sampaikan.")
            response = redirect("inovasi_detail", pk=aksi.pk)
            response.set_signed_cookie(
                _respon_cookie(aksi), "1", salt=RESPON_SALT, max_age=RESPON_COOKIE_AGE,
                path=reverse("inovasi_detail", args=[aksi.pk]), httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )  # fmt: skip
            return response
        if "token" in form.errors:
            form.renew_token()
    ctx = {"aksi": aksi, "form": form, "answered": answered}
    return render(request, "evaluasi/inovasi_detail.html", ctx)
