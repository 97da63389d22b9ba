from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from pegawai import nip as nip_rules
from pegawai.access import is_self, require, require_manager
from pegawai.models import Jabatan, Pegawai, unit_pilihan_provinsi
from pegawai.reports import list_rows
from pembinaan.lib import ical
from pembinaan.lib.pagination import keyset_paginate
from pembinaan.lib.params import parse_int
from pembinaan.lib.pdf import render_pdf
from pembinaan.lib.qr import qr_data_uri
from pembinaan.lib.tabular import csv_lines, list_export
from pembinaan.lib.uploads import file_response
from pembinaan.lib.views import redirect_back, run_service

from . import access, kalender, reports, services
from .forms import (
    AlasanForm,
    AngkatanForm,
    AturanKonversiJPForm,
    BarisRencanaForm,
    CabutSertifikatForm,
    KegiatanFilterForm,
    KegiatanForm,
    KeputusanForm,
    KeputusanRencanaForm,
    KerjaSamaForm,
    KompetensiForm,
    LaporanSemesterForm,
    LaporanUnitForm,
    LevelFormSet,
    NominasiForm,
    PelatihanForm,
    PendaftaranBeasiswaForm,
    PenilaianForm,
    ProgramBeasiswaForm,
    RekomendasiForm,
    StandarFormSet,
    StudiLulusForm,
    TargetKompetensiFormSet,
    tahun_param,
    tahun_rencana_param,
    tahun_rencana_pilihan,
    tahun_tertulis,
)
from .models import (
    Angkatan,
    AturanKonversiJP,
    BarisRencana,
    JenisPengembangan,
    KegiatanEksternal,
    KerjaSama,
    Kompetensi,
    Pelatihan,
    PendaftaranBeasiswa,
    PerguruanTinggi,
    Peserta,
    ProgramBeasiswa,
    RencanaPengembangan,
    Sertifikat,
    Sesi,
    StudiPegawai,
)


def _get_peserta_for_user(request, pk: int) -> Peserta:
    """404 unless this user sees the participant: their pegawai is visible to them (themself,
    their atasan, the pengelola of their unit, an admin) or they run the batch."""
    rows = Peserta.objects.select_related("pegawai__unit", "pegawai__atasan", "angkatan__pelatihan")
    peserta = get_object_or_404(rows, pk=pk)
    if access.can_manage_angkatan(request.user, peserta.angkatan):
        return peserta
    if not Pegawai.objects.visible_to(request.user).filter(pk=peserta.pegawai_id).exists():
        raise Http404("Peserta tidak ditemukan.")
    return peserta


def _get_kegiatan_for_user(request, pk: int) -> KegiatanEksternal:
    visible = Pegawai.objects.visible_to(request.user).values("pk")
    rows = KegiatanEksternal.objects.select_related("pegawai__unit")
    return get_object_or_404(rows.filter(pegawai__in=visible), pk=pk)


# --- Trainings and batches -------------------------------------------------------------


@login_required
def pelatihan_list(request):
    trainings = Pelatihan.objects.annotate(
        angkatan_terbuka=Count("angkatan", filter=Q(angkatan__status=Angkatan.Status.PENDAFTARAN))
    )
    q = request.GET.get("q", "").strip()
    if q:
        trainings = trainings.filter(Q(nama__icontains=q) | Q(bidang__icontains=q))
    export = list_export(
        request, name="pelatihan", header=reports.PELATIHAN_HEADER,
        rows=lambda: reports.pelatihan_rows(trainings.order_by("nama")),
    )  # fmt: skip
    if export:
        return export
    page = keyset_paginate(
        trainings, key="nama", after=request.GET.get("setelah"), before=request.GET.get("sebelum")
    )
    ctx = {"page": page, "q": q, "can_manage": request.user.is_manager}
    return render(request, "pelatihan/pelatihan_list.html", ctx)


@login_required
def pelatihan_detail(request, pk: int):
    pelatihan = get_object_or_404(Pelatihan.objects.select_related("unit_penyelenggara"), pk=pk)
    ctx = {
        "pelatihan": pelatihan,
        "target": pelatihan.target.select_related("kompetensi"),
        "sasaran": pelatihan.sasaran(),
        "angkatan": pelatihan.angkatan.annotate(
            terisi=Count("peserta", filter=Q(peserta__status=Peserta.Status.TERDAFTAR))
        ),
        "can_manage": access.can_manage_pelatihan(request.user, pelatihan),
    }
    return render(request, "pelatihan/pelatihan_detail.html", ctx)


def _pelatihan_form(request, pelatihan: Pelatihan | None):
    if pelatihan is None:
        require(access.can_create_pelatihan(request.user))
    else:
        require(access.can_manage_pelatihan(request.user, pelatihan))
    form = PelatihanForm(request.POST or None, instance=pelatihan, user=request.user)
    formset = TargetKompetensiFormSet(request.POST or None, instance=form.instance)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            saved = form.save()
            formset.instance = saved
            formset.save()
        messages.success(request, f"Pelatihan {saved.nama} disimpan.")
        return redirect(saved)
    return render(
        request,
        "pelatihan/pelatihan_form.html",
        {"form": form, "formset": formset, "pelatihan": pelatihan},
    )


@login_required
def pelatihan_create(request):
    return _pelatihan_form(request, None)


@login_required
def pelatihan_update(request, pk: int):
    return _pelatihan_form(request, get_object_or_404(Pelatihan, pk=pk))


def _angkatan_form(request, pelatihan: Pelatihan, angkatan: Angkatan | None):
    if angkatan is None:
        require(access.can_manage_pelatihan(request.user, pelatihan))
    else:
        require(access.can_change_angkatan(request.user, angkatan))
    form = AngkatanForm(request.POST or None, instance=angkatan)
    if request.method == "POST" and form.is_valid():
        batch = form.save(commit=False)
        batch.pelatihan = pelatihan
        try:
            batch = services.angkatan_save(angkatan=batch)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{batch.nama} disimpan.")
            return redirect(batch)
    return render(
        request,
        "pelatihan/angkatan_form.html",
        {"form": form, "pelatihan": pelatihan, "angkatan": angkatan},
    )


@login_required
def angkatan_create(request, pk: int):
    return _angkatan_form(request, get_object_or_404(Pelatihan, pk=pk), None)


@login_required
def angkatan_update(request, pk: int):
    angkatan = get_object_or_404(Angkatan.objects.select_related("pelatihan"), pk=pk)
    return _angkatan_form(request, angkatan.pelatihan, angkatan)


@login_required
def angkatan_detail(request, pk: int):
    angkatan = get_object_or_404(Angkatan.objects.select_related("pelatihan"), pk=pk)
    user = request.user
    can_manage = access.can_manage_angkatan(user, angkatan)
    # The batch's organisers see every participant; other units' HR, their own staff.
    peserta = angkatan.peserta.all()
    if not can_manage:
        peserta = peserta.filter(pegawai__in=Pegawai.objects.visible_to(user).values("pk"))
    peserta = (
        peserta.select_related("pegawai__unit", "pegawai__atasan")
        .prefetch_related("sertifikat_semua")
        .annotate(hadir=Count("kehadiran", filter=Q(kehadiran__hadir=True)))
        .order_by("status", "created_at")
    )
    if user.is_manager:
        export = list_export(
            request, name=f"peserta-{angkatan.pk}", header=reports.PESERTA_HEADER,
            rows=lambda: reports.peserta_rows(peserta),
        )  # fmt: skip
        if export:
            return export
    profil = user.pegawai_profil
    peserta = list(peserta)
    # Scores typed into a row that a refused save sent back (peserta_decide).
    typed = request.session.pop(TYPED_SCORES, {})
    for p in peserta:  # what this user may do on each row (no query: all loaded)
        p.can_confirm = access.can_confirm_peserta(user, p)
        p.can_reject = access.can_reject_peserta(user, p)
        p.can_decide = access.can_decide_peserta(user, p)
        p.can_cancel_for = (
            p.status in Peserta.ACTIVE
            and p.lulus is None
            and not angkatan.has_ended
            and not is_self(user, p.pegawai)
            and bool(access.can_cancel_peserta(user, p))
        )
        p.typed = typed.get(str(p.pk))
    ctx = {
        "angkatan": angkatan,
        "peserta": peserta,
        "sesi": angkatan.sesi.all(),
        "terisi": angkatan.peserta.filter(status=Peserta.Status.TERDAFTAR).count(),
        "can_manage": can_manage,
        "can_change": can_manage and access.can_change_angkatan(user, angkatan),
        "milik_saya": angkatan.peserta.filter(pegawai=profil).first() if profil else None,
        "nominasi_form": NominasiForm(user=user)
        if user.is_manager and angkatan.accepts_nominations
        else None,
        "alasan_form": AlasanForm(),
    }
    return render(request, "pelatihan/angkatan_detail.html", ctx)


@login_required
@require_safe
def angkatan_kalender(request, pk: int):
    """The batch's "add to calendar" file: its sessions as whole-day events."""
    angkatan = get_object_or_404(Angkatan.objects.select_related("pelatihan"), pk=pk)
    require(access.can_read_angkatan(request.user, angkatan))
    base_url = request.build_absolute_uri("/").rstrip("/")
    cal = ical.kalender(str(angkatan), kalender.angkatan_file_acara(angkatan, base_url=base_url))
    return ical.ics_response(cal, filename=f"angkatan-{angkatan.pk}.ics")


@login_required
@require_safe
def kalender_unit(request):
    """The HR training calendar: the batches of their units' trainings and staff (.ics)."""
    require(access.can_read_kalender_unit(request.user))
    base_url = request.build_absolute_uri("/").rstrip("/")
    acara = kalender.unit_acara(request.user, today=timezone.localdate(), base_url=base_url)
    cal = ical.kalender("Kalender pelatihan unit (SIBINA)", acara)
    return ical.ics_response(cal, filename="kalender-pelatihan-unit.ics")


# --- Enrolment --------------------------------------------------------------------------


@login_required
@require_POST
def angkatan_nominate(request, pk: int):
    angkatan = get_object_or_404(Angkatan, pk=pk)
    require(access.can_nominate(request.user, angkatan))
    form = NominasiForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(angkatan)
    # Not themself: an officer's own place is asked of their atasan like anyone's.
    managed = Pegawai.objects.managed_by(request.user).aktif().exclude(user=request.user)
    nips = [
        nip_rules.normalize(line) for line in form.cleaned_data["nip"].splitlines() if line.strip()
    ]
    if nips:
        chosen = list(managed.filter(nip__in=nips))
        unknown = set(nips) - {p.nip for p in chosen}
        if unknown:
            messages.warning(
                request, "NIP tidak ditemukan di unit Anda: " + ", ".join(sorted(unknown))
            )
    else:
        chosen = managed.di_unit(form.cleaned_data["unit"])
        if form.cleaned_data["jabatan"]:
            chosen = chosen.filter(jabatan=form.cleaned_data["jabatan"])
    result = services.peserta_nominate_many(angkatan=angkatan, pegawai=chosen)
    messages.info(
        request,
        f"{len(result.terdaftar)} terdaftar, {len(result.daftar_tunggu)} masuk daftar tunggu, "
        f"{len(result.dilewati)} dilewati.",
    )
    for pegawai, reason in result.dilewati[:20]:
        messages.warning(request, f"{pegawai.nama_lengkap}: {reason}")
    return redirect(angkatan)


@login_required
@require_POST
def angkatan_request(request, pk: int):
    angkatan = get_object_or_404(Angkatan, pk=pk)
    profil = request.user.pegawai_profil
    if profil is None:
        raise PermissionDenied("Hanya pegawai yang dapat mengajukan diri.")
    run_service(
        request,
        lambda: services.peserta_request(angkatan=angkatan, pegawai=profil),
        "Pengajuan terkirim; menunggu persetujuan atasan Anda.",
    )
    return redirect(angkatan)


@login_required
@require_POST
def peserta_approve(request, pk: int):
    peserta = _get_peserta_for_user(request, pk)
    require(access.can_approve_peserta(request.user, peserta))
    run_service(
        request,
        lambda: services.peserta_approve(peserta=peserta, by=request.user),
        "Pengajuan disetujui.",
    )
    return redirect_back(request, peserta.angkatan)


@login_required
@require_POST
def peserta_reject(request, pk: int):
    peserta = _get_peserta_for_user(request, pk)
    require(access.can_reject_peserta(request.user, peserta))
    form = AlasanForm(request.POST)
    if form.is_valid():
        alasan = form.cleaned_data["alasan"]
        run_service(
            request,
            lambda: services.peserta_reject(peserta=peserta, alasan=alasan, by=request.user),
            "Pengajuan ditolak.",
        )
    else:
        messages.error(request, " ".join(form.errors["alasan"]))
    return redirect(peserta.angkatan)


@login_required
@require_POST
def peserta_confirm(request, pk: int):
    peserta = _get_peserta_for_user(request, pk)
    require(access.can_confirm_peserta(request.user, peserta))
    nama = peserta.pegawai.nama_lengkap
    try:
        peserta = services.peserta_confirm(peserta=peserta, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:  # a seat, or the waiting list when the batch is full
        if peserta.status == Peserta.Status.TERDAFTAR:
            messages.success(request, f"{nama} dikonfirmasi dan terdaftar.")
        else:
            messages.warning(request, f"Angkatan penuh: {nama} masuk daftar tunggu.")
    return redirect_back(request, peserta.angkatan)


@login_required
@require_POST
def peserta_cancel(request, pk: int):
    peserta = _get_peserta_for_user(request, pk)
    require(access.can_cancel_peserta(request.user, peserta))
    alasan = request.POST.get("alasan", "")
    run_service(
        request,
        lambda: services.peserta_cancel(peserta=peserta, alasan=alasan, by=request.user),
        f"Keikutsertaan {peserta.pegawai.nama_lengkap} dibatalkan; kursinya diberikan kepada "
        "yang pertama di daftar tunggu, bila ada.",
    )
    return redirect(peserta.angkatan)


TYPED_SCORES = "pelatihan:nilai_diketik"


@login_required
@require_POST
def peserta_decide(request, pk: int):
    peserta = _get_peserta_for_user(request, pk)
    require(access.can_decide_peserta(request.user, peserta))
    nama = peserta.pegawai.nama_lengkap
    form = KeputusanForm(request.POST)
    saved = False
    if not form.is_valid():
        messages.error(request, f"{nama}: nilai pre-test dan post-test berupa angka 0–100.")
    else:
        keputusan = form.cleaned_data["keputusan"]
        saved = run_service(
            request,
            lambda: services.peserta_scores_save(
                peserta=peserta,
                nilai_pre=form.cleaned_data["nilai_pre"],
                nilai_post=form.cleaned_data["nilai_post"],
                lulus=(keputusan == "lulus") if keputusan else None,
                by=request.user,
            ),
            f"Nilai {nama} disimpan"
            + (
                f"; keputusan {'lulus' if peserta.lulus else 'tidak lulus'} tidak berubah."
                if not keputusan and peserta.lulus is not None
                else "."
            ),
        )
    if not saved:  # the row shows what was typed, to correct rather than type again
        request.session[TYPED_SCORES] = {
            str(peserta.pk): {
                name: request.POST.get(name, "")[:20]
                for name in ("nilai_pre", "nilai_post", "keputusan")
            }
        }
    return redirect(f"{peserta.angkatan.get_absolute_url()}#peserta-{peserta.pk}")


@login_required
def sesi_kehadiran(request, pk: int):
    sesi = get_object_or_404(Sesi.objects.select_related("angkatan__pelatihan"), pk=pk)
    require(access.can_manage_angkatan(request.user, sesi.angkatan))
    # Every registered participant but the officer themself: their own attendance is recorded
    # by another organiser (it is kept as it is below).
    peserta = list(
        sesi.angkatan.peserta.filter(status=Peserta.Status.TERDAFTAR)
        .exclude(pegawai__user=request.user)
        .select_related("pegawai")
        .order_by("pegawai__nama")
    )
    if request.method == "POST":
        # Only the listed participants: another batch's, or the officer's own, are not theirs.
        listed = {p.pk for p in peserta}
        present = {parse_int(v) for v in request.POST.getlist("hadir")} & listed
        others = set(
            sesi.kehadiran.filter(hadir=True)
            .exclude(peserta__in=peserta)
            .values_list("peserta_id", flat=True)
        )
        if run_service(
            request,
            lambda: services.kehadiran_record(sesi=sesi, hadir=present | others),
            f"Kehadiran {sesi} disimpan.",
        ):
            return redirect(sesi.angkatan)
    hadir = set(sesi.kehadiran.filter(hadir=True).values_list("peserta_id", flat=True))
    return render(
        request, "pelatihan/sesi_kehadiran.html", {"sesi": sesi, "peserta": peserta, "hadir": hadir}
    )


# --- Certificates -----------------------------------------------------------------------


@login_required
def sertifikat_pdf(request, pk: int):
    peserta = _get_peserta_for_user(request, pk)
    sertifikat = get_object_or_404(Sertifikat, peserta=peserta, dicabut_at__isnull=True)
    url = request.build_absolute_uri(sertifikat.get_verification_url())
    content = render_pdf(
        "pdf/sertifikat.html",
        {
            "sertifikat": sertifikat,
            "peserta": peserta,
            "angkatan": peserta.angkatan,
            "pelatihan": peserta.angkatan.pelatihan,
            "qr": qr_data_uri(url),
            "url": url,
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{peserta.pegawai.nip}.pdf"'
    return response


@login_required
def sertifikat_revoke(request, pk: int):
    """Revoke a certificate: a page that says what follows and asks the reason, then the
    revocation."""
    peserta = _get_peserta_for_user(request, pk)
    require(access.can_decide_peserta(request.user, peserta))
    sertifikat = get_object_or_404(Sertifikat, peserta=peserta, dicabut_at__isnull=True)
    form = CabutSertifikatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        alasan = form.cleaned_data["alasan"]
        if run_service(
            request,
            lambda: services.sertifikat_revoke(
                sertifikat=sertifikat, alasan=alasan, by=request.user
            ),
            f"Sertifikat {sertifikat.nomor} dicabut; JP dan kompetensinya tidak lagi dihitung "
            "dan halaman verifikasinya menyatakannya.",
        ):
            return redirect(f"{peserta.angkatan.get_absolute_url()}#peserta-{peserta.pk}")
    ctx = {"peserta": peserta, "sertifikat": sertifikat, "form": form}
    return render(request, "pelatihan/sertifikat_revoke.html", ctx)


@login_required
@require_POST
def sertifikat_reissue(request, pk: int):
    """Undo a revocation: a new certificate with a new number."""
    peserta = _get_peserta_for_user(request, pk)
    require(access.can_decide_peserta(request.user, peserta))
    try:
        sertifikat = services.sertifikat_reissue(peserta=peserta, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Sertifikat baru {sertifikat.nomor} diterbitkan untuk "
            f"{peserta.pegawai.nama_lengkap}; yang lama tetap dicabut.",
        )
    return redirect(f"{peserta.angkatan.get_absolute_url()}#peserta-{peserta.pk}")


@login_not_required
def verifikasi(request, kode: str):
    """Public: whether a certificate is genuine, with no more than the name and the training."""
    sertifikat = (
        Sertifikat.objects.select_related("peserta__pegawai", "peserta__angkatan__pelatihan")
        .filter(kode=kode)
        .first()
    )
    status = 404 if sertifikat is None else 200
    pengganti = None
    if sertifikat is not None and sertifikat.is_revoked:
        pengganti = Sertifikat.objects.filter(
            peserta_id=sertifikat.peserta_id, dicabut_at__isnull=True
        ).first()
    ctx = {"sertifikat": sertifikat, "pengganti": pengganti}
    return render(request, "pelatihan/verifikasi.html", ctx, status=status)


# --- JP ledger --------------------------------------------------------------------------


@login_required
def jp_saya(request):
    profil = request.user.pegawai_profil
    if profil is None:
        raise PermissionDenied("Halaman ini untuk pegawai.")
    year = tahun_param(request.GET)
    ctx = {
        "pegawai": profil,
        "tahun": year,
        "total": reports.jp_tahun(profil, year),
        "catatan": profil.catatan_jp.filter(tahun=year),
        "kegiatan": profil.kegiatan_eksternal.all()[:20],
        "pelatihan": profil.keikutsertaan.filter(
            lulus__isnull=False, angkatan__tanggal_selesai__year=year
        )
        .select_related("angkatan__pelatihan")
        .prefetch_related("sertifikat_semua")
        .order_by("-angkatan__tanggal_selesai", "-pk")[:20],
        "target": reports.target_for(profil),
    }
    export = list_export(
        request, name=f"jp-{year}", header=["Tanggal", "Uraian", "JP"],
        rows=lambda: ([c.tanggal, c.uraian, c.jp] for c in ctx["catatan"]),
    )  # fmt: skip
    if export:
        return export
    return render(request, "pelatihan/jp_saya.html", ctx)


def _aturan_jp_table() -> list[dict]:
    """The conversion rules, for the activity form's table and its JP preview."""
    return [
        {
            "jenis": a.jenis,
            "nama": a.get_jenis_display(),
            "satuan": a.satuan,
            "per": float(a.jp_per_satuan),
            "per_internasional": float(a.jp_per_satuan_internasional or a.jp_per_satuan),
            "batas_kegiatan": a.batas_per_kegiatan,
            "batas_tahun": a.batas_per_tahun,
            "nonklasikal": JenisPengembangan.is_nonklasikal(a.jenis),
        }
        for a in AturanKonversiJP.objects.all()
    ]


@login_required
def kegiatan_create(request):
    profil = request.user.pegawai_profil
    if profil is None:
        raise PermissionDenied("Halaman ini untuk pegawai.")
    form = KegiatanForm(
        request.POST or None, request.FILES or None, instance=KegiatanEksternal(pegawai=profil)
    )
    if request.method == "POST" and form.is_valid():
        try:
            kegiatan = services.kegiatan_submit(kegiatan=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            cap = _batas_per_kegiatan().get(kegiatan.jenis)
            capped = f" (dikreditkan paling banyak {cap} JP per kegiatan)" if (
                cap and kegiatan.jp and kegiatan.jp > cap
            ) else ""  # fmt: skip
            messages.success(
                request,
                f"{kegiatan.nama} dicatat: {kegiatan.jp} JP diajukan{capped}, menunggu verifikasi "
                f"{kegiatan.verifikator}.",
            )
            return redirect("pelatihan:jp_saya")
    ctx = {"form": form, "aturan": _aturan_jp_table()}
    return render(request, "pelatihan/kegiatan_form.html", ctx)


@login_required
def kegiatan_file(request, pk: int):
    kegiatan = _get_kegiatan_for_user(request, pk)
    return file_response(request, kegiatan.file, name=f"sertifikat-{kegiatan.pk}")


@login_required
def kegiatan_verification_list(request):
    """What this login verifies: as atasan their subordinates' non-classical activities, as
    pengelola the classical ones (and those of pegawai without an atasan) of their units."""
    require(access.can_see_kegiatan_verifikasi(request.user))
    pending = (
        KegiatanEksternal.objects.verifikasi_oleh(request.user)
        .select_related("pegawai__atasan")
        .order_by("created_at", "pk")
    )
    export = list_export(
        request, name="kegiatan-menunggu", header=reports.KEGIATAN_HEADER,
        rows=lambda: reports.kegiatan_rows(pending),
    )  # fmt: skip
    if export:
        return export
    shown, caps = list(pending[:100]), _batas_per_kegiatan()
    for k in shown:
        k.batas = caps.get(k.jenis)
    ctx = {"kegiatan": shown, "alasan_form": AlasanForm()}
    return render(request, "pelatihan/kegiatan_verifikasi.html", ctx)


def _batas_per_kegiatan() -> dict[int, int]:
    """Each form's cap per activity (AturanKonversiJP): what a claim above it will be credited."""
    rules = AturanKonversiJP.objects.filter(batas_per_kegiatan__isnull=False)
    return dict(rules.values_list("jenis", "batas_per_kegiatan"))


@login_required
@require_POST
def kegiatan_decide(request, pk: int):
    kegiatan = _get_kegiatan_for_user(request, pk)
    require(access.can_verify_kegiatan(request.user, kegiatan))
    if request.POST.get("keputusan") == "terima":
        if run_service(
            request,
            lambda: services.kegiatan_verify(kegiatan=kegiatan, by=request.user),
            f"{kegiatan.nama} diverifikasi.",
        ):
            kegiatan.refresh_from_db()
            messages.info(
                request,
                kegiatan.keterangan_kredit or f"{kegiatan.jp_dikreditkan} JP dikreditkan.",
            )
    else:
        alasan = request.POST.get("alasan", "")[:1000]
        run_service(
            request,
            lambda: services.kegiatan_reject(kegiatan=kegiatan, by=request.user, alasan=alasan),
            f"{kegiatan.nama} ditolak.",
        )
    return redirect_back(request, "pelatihan:kegiatan_verifikasi")


@login_required
def kegiatan_list(request):
    """HR's audit of their units' external activities, filtered and paged; admin all."""
    require_manager(request)
    # This year's activities unless the query asks otherwise (an empty ?tahun= means all years).
    form = KegiatanFilterForm(request.GET or {"tahun": timezone.localdate().year})
    rows = form.filter(
        KegiatanEksternal.objects.filter(
            pegawai__in=Pegawai.objects.managed_by(request.user).values("pk")
        )
    )
    export = list_export(
        request, name="kegiatan", header=reports.KEGIATAN_AUDIT_HEADER,
        rows=lambda: reports.kegiatan_audit_rows(rows.order_by("tanggal_mulai", "pk")),
    )  # fmt: skip
    if export:
        return export
    page = keyset_paginate(
        rows.select_related("pegawai", "diverifikasi_oleh"), key="tanggal_mulai",
        after=request.GET.get("setelah"), before=request.GET.get("sebelum"),
    )  # fmt: skip
    return render(request, "pelatihan/kegiatan_list.html", {"form": form, "page": page})


@login_required
def kegiatan_berlaku_list(request):
    """Certificates of HR's units that expire within the reminder period (or did lately)."""
    require_manager(request)
    today = timezone.localdate()
    window = timedelta(days=services.HARI_PENGINGAT_SERTIFIKAT)
    rows = (
        KegiatanEksternal.objects.klaim_aktif()
        .filter(
            pegawai__in=Pegawai.objects.managed_by(request.user).values("pk"),
            berlaku_sampai__range=(today - window, today + window),
        )
        .select_related("pegawai__unit")
        .order_by("berlaku_sampai", "pk")
    )
    ctx = {"kegiatan": rows[:200], "today": today, "hari": window.days}
    return render(request, "pelatihan/kegiatan_berlaku.html", ctx)


# --- JP conversion rules (administrators) ---------------------------------------------------


@login_required
def aturan_jp_list(request):
    require(access.can_read_aturan_jp(request.user))
    rows = AturanKonversiJP.objects.select_related("diubah_oleh")
    ctx = {"aturan": rows, "can_manage": access.can_manage_aturan_jp(request.user)}
    return render(request, "pelatihan/aturan_jp_list.html", ctx)


def _aturan_jp_form(request, aturan: AturanKonversiJP | None):
    require(access.can_manage_aturan_jp(request.user))
    form = AturanKonversiJPForm(request.POST or None, instance=aturan)
    if request.method == "POST" and form.is_valid():
        saved = services.aturan_jp_save(aturan=form.save(commit=False), by=request.user)
        messages.success(request, f"Aturan konversi {saved.get_jenis_display()} disimpan.")
        return redirect("pelatihan:aturan_jp_list")
    ctx = {"form": form, "aturan": aturan}
    return render(request, "pelatihan/aturan_jp_form.html", ctx)


@login_required
def aturan_jp_create(request):
    return _aturan_jp_form(request, None)


@login_required
def aturan_jp_update(request, pk: int):
    return _aturan_jp_form(request, get_object_or_404(AturanKonversiJP, pk=pk))


@login_required
def siasn_export(request):
    require_manager(request)
    # The unit and year chosen on the 20 JP page (the unit with its sub-units), as that page's.
    form = LaporanUnitForm.from_query(request.GET, user=request.user)
    year, scope = form.tahun_terpilih, form.pegawai(request.user)
    peserta = Peserta.objects.filter(
        pegawai__in=scope.values("pk"), angkatan__tanggal_selesai__year=year
    )
    response = StreamingHttpResponse(
        csv_lines(reports.SIASN_HEADER, reports.siasn_rows(peserta)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="siasn-riwayat-kursus-{year}.csv"'
    return response


# --- Competencies and gaps ----------------------------------------------------------------


@login_required
def kompetensi_list(request):
    ctx = {
        "kompetensi": Kompetensi.objects.prefetch_related("levels"),
        "jabatan": Jabatan.objects.annotate(standar=Count("standar_kompetensi")).order_by("nama"),
        "can_manage": access.can_manage_province(request.user),
        "can_see_gaps": request.user.is_manager,
    }
    return render(request, "pelatihan/kompetensi_list.html", ctx)


@login_required
def kompetensi_create(request):
    """The province's HR adds a technical competency with its five levels."""
    require(access.can_manage_province(request.user))
    form = KompetensiForm(request.POST or None)
    formset = LevelFormSet(
        request.POST or None,
        instance=form.instance,
        initial=[{"level": level} for level in range(1, 6)],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            kompetensi = form.save(commit=False)
            kompetensi.jenis = Kompetensi.Jenis.TEKNIS
            kompetensi.save()
            formset.instance = kompetensi
            formset.save()
        messages.success(request, f"Kompetensi {kompetensi} ditambahkan.")
        return redirect("pelatihan:kompetensi_list")
    return render(request, "pelatihan/kompetensi_form.html", {"form": form, "formset": formset})


@login_required
def standar_update(request, pk: int):
    """The competency standard of a jabatan: the level it requires of each competency."""
    require(access.can_manage_province(request.user))
    jabatan = get_object_or_404(Jabatan, pk=pk)
    formset = StandarFormSet(request.POST or None, instance=jabatan)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, f"Standar kompetensi {jabatan} disimpan.")
        return redirect("pelatihan:kompetensi_list")
    return render(request, "pelatihan/standar_form.html", {"jabatan": jabatan, "formset": formset})


@login_required
def kompetensi_pegawai(request, pk: int):
    """A pegawai's gaps against their jabatan's standard, and the trainings that close them."""
    visible = Pegawai.objects.visible_to(request.user).select_related("jabatan", "unit")
    pegawai = get_object_or_404(visible, pk=pk)
    can_assess = access.can_assess_kompetensi(request.user, pegawai)
    form = PenilaianForm(request.POST or None) if can_assess else None
    if request.method == "POST":
        require(can_assess)
        if form.is_valid():
            penilaian = form.save(commit=False)
            penilaian.pegawai = pegawai
            penilaian.save()
            messages.success(request, f"Penilaian {penilaian.kompetensi.kode} dicatat.")
            return redirect("pelatihan:kompetensi_pegawai", pk=pegawai.pk)
    ctx = {
        "pegawai": pegawai,
        "kesenjangan": reports.kesenjangan_pegawai(pegawai),
        "rekomendasi": reports.rekomendasi_pelatihan(pegawai),
        "form": form,
    }
    return render(request, "pelatihan/kompetensi_pegawai.html", ctx)


@login_required
def kompetensi_unit(request):
    """Per unit: how many pegawai lack each competency their jabatan requires."""
    require_manager(request)
    form = LaporanUnitForm.from_query(request.GET, user=request.user, dengan_tahun=False)
    ctx = {
        "form": form,
        "chosen": form.chosen_unit(),
        "rows": reports.kesenjangan_unit(form.pegawai(request.user)),
    }
    export = list_export(
        request, name="-".join(["kesenjangan-kompetensi", *form.kode_berkas()]),
        header=reports.KESENJANGAN_HEADER,
        rows=lambda: reports.kesenjangan_rows(ctx["rows"]),
    )  # fmt: skip
    if export:
        return export
    return render(request, "pelatihan/kompetensi_unit.html", ctx)


# --- Universities and scholarships --------------------------------------------------------


@login_required
def mitra_list(request):
    """Partner universities and their agreements; those ending within 90 days are flagged."""
    require_manager(request)
    today = timezone.localdate()
    export = list_export(
        request, name="kerja-sama", header=reports.KERJA_SAMA_HEADER,
        rows=lambda: reports.kerja_sama_rows(KerjaSama.objects.select_related("perguruan_tinggi")),
    )  # fmt: skip
    if export:
        return export
    rows = [
        {
            "k": k,
            "aktif": k.is_aktif(today),
            "segera": k.is_segera_berakhir(today),
            "berakhir": k.tanggal_berakhir < today,
        }
        for k in KerjaSama.objects.select_related("perguruan_tinggi")
    ]
    ctx = {
        "rows": rows,
        "perguruan_tinggi": PerguruanTinggi.objects.all(),
        "can_manage": access.can_manage_province(request.user),
    }
    return render(request, "pelatihan/mitra_list.html", ctx)


@login_required
def kerja_sama_create(request):
    require(access.can_manage_province(request.user))
    form = KerjaSamaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Kerja sama disimpan.")
        return redirect("pelatihan:mitra_list")
    return render(
        request,
        "pelatihan/form_page.html",
        {"form": form, "title": "Kerja sama baru", "multipart": True},
    )


@login_required
def beasiswa_list(request):
    today = timezone.localdate()
    programs = ProgramBeasiswa.objects.select_related("perguruan_tinggi")
    export = list_export(
        request, name="beasiswa",
        header=["Program", "Jenis", "Jenjang", "Perguruan tinggi", "Kuota", "Daftar mulai",
                "Daftar sampai"],
        rows=lambda: (
            [p.nama, p.get_jenis_display(), p.get_jenjang_display(), p.perguruan_tinggi.nama,
             p.kuota, p.pendaftaran_mulai, p.pendaftaran_selesai]
            for p in programs
        ),
    )  # fmt: skip
    if export:
        return export
    profil = request.user.pegawai_profil
    ctx = {
        "today": today,
        "programs": programs,
        "can_manage": access.can_manage_province(request.user),
        "is_manager": request.user.is_manager,
        "studi": StudiPegawai.objects.filter(pegawai=profil) if profil else [],
    }
    return render(request, "pelatihan/beasiswa_list.html", ctx)


@login_required
def beasiswa_create(request):
    require(access.can_manage_province(request.user))
    form = ProgramBeasiswaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = services.beasiswa_program_create(program=form.save(commit=False))
        messages.success(request, f"Program {program} disimpan.")
        return redirect(program)
    return render(
        request, "pelatihan/form_page.html", {"form": form, "title": "Program beasiswa baru"}
    )


@login_required
def beasiswa_detail(request, pk: int):
    program = get_object_or_404(ProgramBeasiswa.objects.select_related("perguruan_tinggi"), pk=pk)
    today = timezone.localdate()
    profil = request.user.pegawai_profil
    mine = program.pendaftaran.filter(pegawai=profil).first() if profil else None
    form, tercatat = None, {}
    if profil and not mine and program.is_open(today):
        tercatat = services.predikat_tercatat(pegawai=profil, on=today, program=program)
        form = PendaftaranBeasiswaForm(
            request.POST or None, request.FILES or None, tercatat=tercatat, on=today,
            tahun_predikat=program.tahun_predikat,
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            pendaftaran = form.save(commit=False)
            pendaftaran.program, pendaftaran.pegawai = program, profil
            if run_service(
                request,
                lambda: services.beasiswa_apply(pendaftaran=pendaftaran, on=today),
                "Pendaftaran diterima dan syaratnya sudah diperiksa.",
            ):
                return redirect(program)
    elif request.method == "POST":
        raise PermissionDenied("Pendaftaran tidak dapat dilakukan.")
    # An atasan's subordinates' applications, to recommend.
    bawahan = []
    if request.user.is_atasan:
        bawahan = program.pendaftaran.filter(pegawai__atasan=profil).select_related("pegawai")
    applicants = []
    if request.user.is_manager:
        applicants = program.pendaftaran.select_related("pegawai__atasan", "studi")
        if not request.user.manages_province:
            managed = Pegawai.objects.managed_by(request.user).values("pk")
            applicants = applicants.filter(pegawai__in=managed)
        export = list_export(
            request, name=f"pendaftar-{program.pk}", header=reports.PENDAFTAR_HEADER,
            rows=lambda: reports.pendaftar_rows(applicants),
        )  # fmt: skip
        if export:
            return export
    ctx = {
        "program": program,
        "today": today,
        "mine": mine,
        "form": form,
        # The years SIBINA holds a predicate for, and the years the applicant declares.
        "tercatat": [
            (today.year - back, PendaftaranBeasiswa.Predikat(tercatat[name]).label)
            for name, back in program.tahun_diminta
            if name in tercatat
        ],
        "dinyatakan": [
            today.year - back for name, back in program.tahun_diminta if name not in tercatat
        ],
        "applicants": applicants,
        "bawahan": bawahan,
        "rekomendasi_form": RekomendasiForm() if bawahan else None,
        "diterima": program.pendaftaran.filter(status=PendaftaranBeasiswa.Status.DITERIMA).count(),
    }
    return render(request, "pelatihan/beasiswa_detail.html", ctx)


@login_required
def pendaftaran_dokumen(request, pk: int):
    """An applicant's requirement documents: to the applicant, their atasan and HR."""
    visible = Pegawai.objects.visible_to(request.user).values("pk")
    pendaftaran = get_object_or_404(PendaftaranBeasiswa.objects.filter(pegawai__in=visible), pk=pk)
    return file_response(request, pendaftaran.dokumen, name=f"berkas-beasiswa-{pendaftaran.pk}")


@login_required
def kerja_sama_dokumen(request, pk: int):
    require_manager(request)
    kerja_sama = get_object_or_404(KerjaSama, pk=pk)
    if not kerja_sama.dokumen:
        raise Http404("Kerja sama ini tanpa dokumen.")
    return file_response(request, kerja_sama.dokumen, name=f"kerja-sama-{kerja_sama.pk}")


@login_required
@require_POST
def beasiswa_decide(request, pk: int):
    rows = PendaftaranBeasiswa.objects.select_related("pegawai__unit", "program")
    if not request.user.manages_province:
        rows = rows.filter(pegawai__in=Pegawai.objects.visible_to(request.user).values("pk"))
    pendaftaran = get_object_or_404(rows, pk=pk)
    require(access.can_decide_beasiswa(request.user, pendaftaran))
    if request.POST.get("keputusan") == "terima":
        start = request.POST.get("tanggal_mulai", "")
        try:
            tanggal = date.fromisoformat(start)
        except ValueError:
            messages.error(request, "Isi tanggal mulai studi.")
            return redirect(pendaftaran.program)
        peringkat = request.POST.get("peringkat", "")
        run_service(
            request,
            lambda: services.beasiswa_accept(
                pendaftaran=pendaftaran,
                tanggal_mulai=tanggal,
                peringkat=parse_int(peringkat, high=32_767),  # a smallint column
                by=request.user,
            ),
            f"{pendaftaran.pegawai.nama_lengkap} diterima.",
        )
    else:
        catatan = request.POST.get("catatan", "")[:1000]
        run_service(
            request,
            lambda: services.beasiswa_reject(
                pendaftaran=pendaftaran, catatan=catatan, by=request.user
            ),
            f"Pendaftaran {pendaftaran.pegawai.nama_lengkap} tidak diterima.",
        )
    return redirect(pendaftaran.program)


@login_required
@require_POST
def pendaftaran_rekomendasi(request, pk: int):
    visible = Pegawai.objects.visible_to(request.user).values("pk")
    rows = PendaftaranBeasiswa.objects.select_related("pegawai", "program")
    pendaftaran = get_object_or_404(rows.filter(pegawai__in=visible), pk=pk)
    require(access.can_recommend_pendaftaran(request.user, pendaftaran))
    form = RekomendasiForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(pendaftaran.get_absolute_url())
    run_service(
        request,
        lambda: services.pendaftaran_rekomendasi(
            pendaftaran=pendaftaran,
            by=request.user,
            rekomendasi=form.cleaned_data["rekomendasi"],
            catatan=form.cleaned_data["catatan"],
        ),
        f"Rekomendasi untuk {pendaftaran.pegawai.nama_lengkap} disimpan.",
    )
    return redirect(pendaftaran.get_absolute_url())


@login_required
def studi_detail(request, pk: int):
    """A study record with its semester reports; the pegawai reports, those above them read."""
    visible = Pegawai.objects.visible_to(request.user).values("pk")
    studi = get_object_or_404(
        StudiPegawai.objects.select_related(
            "pegawai", "pendaftaran__program__perguruan_tinggi"
        ).filter(pegawai__in=visible),
        pk=pk,
    )
    is_owner = studi.pegawai.user_id == request.user.pk
    form = LaporanSemesterForm(request.POST or None) if is_owner else None
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied("Hanya pegawai yang bersangkutan yang melapor.")
        if form.is_valid():
            laporan = form.save(commit=False)
            laporan.studi = studi
            try:
                laporan.full_clean()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                laporan.save()
                messages.success(request, f"Laporan semester {laporan.semester} disimpan.")
                return redirect(studi)
    ctx = {
        "studi": studi,
        "laporan": studi.laporan.all(),
        "form": form,
        "lulus_form": StudiLulusForm()
        if studi.status == StudiPegawai.Status.AKTIF
        and access.can_record_studi_lulus(request.user, studi.pegawai)
        else None,
    }
    return render(request, "pelatihan/studi_detail.html", ctx)


@login_required
@require_POST
def studi_lulus(request, pk: int):
    """Record a study's graduation: its degree joins the pegawai's education history."""
    visible = Pegawai.objects.visible_to(request.user).values("pk")
    rows = StudiPegawai.objects.select_related("pegawai").filter(pegawai__in=visible)
    studi = get_object_or_404(rows, pk=pk)
    require(access.can_record_studi_lulus(request.user, studi.pegawai))
    form = StudiLulusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi tanggal lulus.")
        return redirect(studi)
    run_service(
        request,
        lambda: services.studi_lulus(
            studi=studi, tanggal_lulus=form.cleaned_data["tanggal_lulus"], by=request.user
        ),
        f"Kelulusan {studi.pegawai.nama_lengkap} dicatat di riwayat pendidikannya.",
    )
    return redirect(studi)


# --- Individual development plans ---------------------------------------------------------


def _get_rencana_for_user(request, pk: int) -> RencanaPengembangan:
    """404 unless this user may read the plan: the pegawai, their atasan, their unit's HR, the
    province's HR and administrators."""
    rows = RencanaPengembangan.objects.select_related("pegawai__unit", "pegawai__atasan")
    rencana = get_object_or_404(rows, pk=pk)
    if not access.can_read_rencana(request.user, rencana):
        raise Http404("Rencana tidak ditemukan.")
    return rencana


def _get_baris_for_user(request, pk: int) -> BarisRencana:
    baris = get_object_or_404(BarisRencana.objects.select_related("rencana"), pk=pk)
    baris.rencana = _get_rencana_for_user(request, baris.rencana_id)
    return baris


@login_required
def rencana_saya(request):
    """The pegawai's plan of a year, or what SIBINA proposes before they start it; an atasan
    also sees the plans of their direct subordinates."""
    profil = request.user.pegawai_profil
    if profil is None:
        raise PermissionDenied("Halaman ini untuk pegawai.")
    today = timezone.localdate()
    tahun = tahun_rencana_param(request.GET, today)
    rencana = RencanaPengembangan.objects.filter(pegawai=profil, tahun=tahun).first()
    if rencana is not None and "tahun" not in request.GET and not profil.has_bawahan:
        return redirect(rencana)
    bawahan = reports.with_rencana(
        Pegawai.objects.aktif().filter(atasan=profil).order_by("nama", "pk"), tahun
    )
    ctx = {
        "tahun": tahun,
        "pilihan_tahun": tahun_rencana_pilihan(today),
        "rencana": rencana,
        "usulan": None if rencana else services.rencana_usulan(pegawai=profil, tahun=tahun),
        "bawahan": list(bawahan.select_related("jabatan")[:200]),
        "status_label": dict(RencanaPengembangan.Status.choices),
    }
    return render(request, "pelatihan/rencana_saya.html", ctx)


@login_required
@require_POST
def rencana_create(request):
    profil = request.user.pegawai_profil
    if profil is None:
        raise PermissionDenied("Hanya pegawai yang menyusun rencana pengembangannya.")
    tahun = tahun_rencana_param(request.POST, timezone.localdate())
    try:
        rencana = services.rencana_create(pegawai=profil, tahun=tahun)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('pelatihan:rencana_saya')}?tahun={tahun}")
    messages.success(request, f"Draf rencana pengembangan {tahun} dibuat dari usulan SIBINA.")
    return redirect(rencana)


@login_required
def rencana_detail(request, pk: int):
    rencana = _get_rencana_for_user(request, pk)
    user = request.user
    can_edit = access.can_edit_rencana(user, rencana)
    can_decide = access.can_decide_rencana(user, rencana)
    ctx = {
        "rencana": rencana,
        "baris": rencana.baris.select_related(
            "kompetensi", "pelatihan", "ditutup_peserta__angkatan", "ditutup_kegiatan"
        ),
        "progres": reports.progres_rencana([rencana.pk]).get(rencana.pk, reports.Progres()),
        "can_edit": can_edit,
        "can_submit": access.can_submit_rencana(user, rencana),
        "can_decide": can_decide,
        "form": BarisRencanaForm() if can_edit else None,
        "keputusan_form": KeputusanRencanaForm() if can_decide else None,
        "kesenjangan": reports.kesenjangan_pegawai(rencana.pegawai),
    }
    return render(request, "pelatihan/rencana_detail.html", ctx)


@login_required
@require_POST
def baris_create(request, pk: int):
    rencana = _get_rencana_for_user(request, pk)
    require(access.can_edit_rencana(request.user, rencana))
    form = BarisRencanaForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(rencana)
    run_service(
        request,
        lambda: services.baris_rencana_add(
            pegawai=rencana.pegawai, tahun=rencana.tahun, **form.cleaned_data
        ),
        "Baris rencana ditambahkan.",
    )
    return redirect(rencana)


@login_required
def baris_update(request, pk: int):
    baris = _get_baris_for_user(request, pk)
    rencana = baris.rencana
    require(access.can_edit_baris(request.user, baris))
    form = BarisRencanaForm(request.POST or None, instance=baris)
    if request.method == "POST" and form.is_valid():
        try:
            services.baris_rencana_save(baris=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Baris rencana diubah.")
            return redirect(rencana)
    ctx = {"form": form, "title": f"Ubah baris: {rencana}", "back": rencana.get_absolute_url()}
    return render(request, "pelatihan/form_page.html", ctx)


@login_required
@require_POST
def baris_delete(request, pk: int):
    baris = _get_baris_for_user(request, pk)
    require(access.can_edit_baris(request.user, baris))
    run_service(
        request, lambda: services.baris_rencana_remove(baris=baris), "Baris rencana dihapus."
    )
    return redirect(baris.rencana)


@login_required
@require_POST
def rencana_submit(request, pk: int):
    rencana = _get_rencana_for_user(request, pk)
    require(access.can_submit_rencana(request.user, rencana))
    run_service(
        request,
        lambda: services.rencana_submit(rencana=rencana, by=request.user),
        "Rencana diajukan kepada atasan langsung Anda.",
    )
    return redirect(rencana)


@login_required
@require_POST
def rencana_decide(request, pk: int):
    rencana = _get_rencana_for_user(request, pk)
    require(access.can_decide_rencana(request.user, rencana))
    form = KeputusanRencanaForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(rencana)
    setuju = form.cleaned_data["keputusan"] == "setujui"
    run_service(
        request,
        lambda: services.rencana_decide(
            rencana=rencana, by=request.user, setuju=setuju, today=timezone.localdate(),
            tanggal_pertemuan=form.cleaned_data["tanggal_pertemuan"],
            catatan=form.cleaned_data["catatan"],
        ),
        f"Rencana {rencana.pegawai.nama_lengkap} " + ("disetujui." if setuju else "dikembalikan."),
    )  # fmt: skip
    return redirect(rencana)


@login_required
def rencana_unit(request):
    """HR: the plans of a year in their units, counted per state, and each pegawai's."""
    require_manager(request)
    user, today = request.user, timezone.localdate()
    tahun = tahun_rencana_param(request.GET, today)
    # The province's HR see every unit; a unit's HR their subtrees.
    units = unit_pilihan_provinsi(user)
    form = LaporanUnitForm(
        {"unit": request.GET.get("unit", ""), "tahun": tahun},
        units=units,
        years=[tahun],
        lingkup="provinsi",
        tahun_diminta=tahun_tertulis(request.GET),  # said when not usable
    )
    scope = Pegawai.objects.aktif() if user.manages_province else Pegawai.objects.managed_by(user)
    subtree = form.subtree_ids()
    if subtree is not None:
        scope = scope.filter(unit_id__in=subtree)
    rows = reports.with_rencana(scope, tahun).for_list("rencana_id", "rencana_status")
    page = keyset_paginate(
        rows, key="nama", after=request.GET.get("setelah"), before=request.GET.get("sebelum"),
    )  # fmt: skip
    page.object_list = list_rows(page.object_list)
    progres = reports.progres_rencana(r["rencana_id"] for r in page.object_list if r["rencana_id"])
    for row in page.object_list:
        row["progres"] = progres.get(row["rencana_id"])
    ctx = {
        "form": form,
        "tahun": tahun,
        "pilihan_tahun": tahun_rencana_pilihan(today),
        "chosen": form.chosen_unit(),
        "per_status": reports.rencana_per_status(scope, tahun),
        "page": page,
        "status_label": dict(RencanaPengembangan.Status.choices),
    }
    return render(request, "pelatihan/rencana_unit.html", ctx)
