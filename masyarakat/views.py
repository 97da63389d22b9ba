from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from pegawai.access import require, require_manager
from pegawai.models import Pegawai, UnitKerja, tanggal_libur
from pembinaan.lib.pagination import keyset_paginate
from pembinaan.lib.params import parse_int
from pembinaan.lib.pdf import render_pdf
from pembinaan.lib.ratelimit import allow_public_form, batas_pesan, batas_tolak, first_use
from pembinaan.lib.tabular import TableError, csv_lines, list_export, read_table, xlsx_bytes

from . import access, impor, reports, services, surel
from .forms import (
    ForumForm,
    ImporSurveiForm,
    MasukanForm,
    PendaftaranForumForm,
    SurveiForm,
    TindakLanjutForm,
    VolumeLayananForm,
    petugas_pilihan,
)
from .ikm import sampel_minimal
from .models import (
    KODE_POLA,
    LAYANAN,
    ForumDialog,
    Masukan,
    UnitLayanan,
    kode_normal,
    layanan_aktif,
)
from .referensi import UNSUR


@login_not_required
@never_cache  # its one-time token is this visitor's: no browser or proxy keeps the page
def survei(request, kode: str):
    """The public satisfaction survey of one service unit: no account, a honeypot, at most
    five submissions an hour from one address, and one response per form load (its one-time
    token: a double click or a replayed request is not counted again)."""
    unit = get_object_or_404(UnitLayanan, kode=kode, aktif=True)
    form = SurveiForm(request.POST or None)
    if request.method == "POST":
        # An answer sent counts (the honeypot's too); a form with errors does not.
        if form.is_valid() and not allow_public_form(request, "survei"):
            form.add_error(None, batas_pesan(request, "survei", "pengisian"))
            ctx = {"unit": unit, "form": form}
            return batas_tolak(request, "survei", "masyarakat/survei.html", ctx)
        if form.is_valid():
            if not form.is_bot() and first_use("survei", form.cleaned_data["token"]):
                respon = form.save(commit=False)
                respon.unit_layanan = unit
                respon.tanggal = timezone.localdate()
                services.survei_simpan(respon)
            return redirect("masyarakat:survei_terima_kasih", kode=unit.kode)
        if "token" in form.errors:
            form.renew_token()
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
    number = parse_int(value, low=low, high=high)
    return default if number is None else number


@login_required
def ikm(request):
    """Per service unit and period: NRR per element, IKM, conversion, quality, respondents
    against the Krejcie–Morgan minimum for the population HR enters."""
    require_manager(request)
    units = list(_units_for(request.user))
    chosen = next(
        (u for u in units if str(u.pk) == request.GET.get("unit")), units[0] if units else None
    )
    jenis = request.GET.get("jenis") if request.GET.get("jenis") in reports.PERIODE else "triwulan"
    today = timezone.localdate()
    this_year = today.year
    tahun = _number(request.GET.get("tahun", ""), this_year, 2000, this_year)
    months = reports.PERIODE[jenis]
    # This year opens on the period running today (the current quarter); another year on its first.
    current = (today.month - 1) // months + 1 if tahun == this_year else 1
    ke = _number(request.GET.get("ke", ""), current, 1, 12 // months)
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
    if chosen and request.GET.get("format") == "pdf":
        content = render_pdf("pdf/ikm.html", ctx | {"dibuat": timezone.localtime()})
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="ikm-{chosen.kode}-{ctx["start"]:%Y%m%d}.pdf"'
        )
        return response
    return render(request, "masyarakat/ikm.html", ctx)


def _xlsx(ctx) -> HttpResponse:
    hasil = ctx["hasil"]
    rows = [
        [key.upper(), nama, nrr] for key, nama, nrr in ctx["baris"]
    ]  # Decimals with two places: written as numbers shown "85,10" (tabular.xlsx_cell)
    rows += [
        [],
        ["Responden", hasil.responden],
        ["IKM konversi", hasil.konversi],
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
    require_manager(request)
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
            hasil = services.survei_impor(
                header=header, rows=rows, unit_layanan=unit, tanggal=tanggal
            )
            kesalahan = hasil.kesalahan
            if not kesalahan and hasil.respon:
                messages.success(request, f"{len(hasil.respon)} respon kertas disimpan ke {unit}.")
                return redirect(f"{reverse('masyarakat:ikm')}?unit={unit.pk}")
            if not kesalahan:
                form.add_error("file", "Berkas tidak berisi baris respon.")
    return render(
        request, "masyarakat/survei_impor.html", {"form": form, "kesalahan": kesalahan[:1000]}
    )


@login_required
def survei_impor_templat(request):
    require_manager(request)
    response = StreamingHttpResponse(
        csv_lines(impor.KOLOM, [impor.CONTOH]), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="templat-survei-kertas.csv"'
    return response


# --- Feedback ------------------------------------------------------------------------------------


class _TooMany(Exception):
    """Past the hourly bound of public submissions: the feedback just written is rolled back."""


def _too_many(request, form):
    form.add_error(None, batas_pesan(request, "masukan", "pengiriman"))
    return batas_tolak(request, "masukan", "masyarakat/masukan_form.html", {"form": form})


@login_not_required
@never_cache  # its one-time token is this visitor's: no browser or proxy keeps the page
def masukan_create(request):
    """The public feedback form: no account, a honeypot, five an hour per address. Sent twice
    (a double click, a resend), one form makes one feedback and counts once: its token makes the
    tracking code, so the second send meets the first and answers with it."""
    if request.method != "POST":
        # The empty fields are the same for every citizen: a {% cache %} fragment varying on the
        # active service units' generation. Measured (issue 18, bench/RESULTS.md): crispy's field
        # templates made the page 9.5x the bare page; from the fragment, within 2x.
        ctx = {"form": MasukanForm(), "layanan_generasi": LAYANAN.generation()}
        return render(request, "masyarakat/masukan_form.html", ctx)
    form = MasukanForm(request.POST)
    if not form.is_valid():  # nothing sent, nothing counted: a citizen correcting is not bounded
        return render(request, "masyarakat/masukan_form.html", {"form": form})
    if form.is_bot():  # counted as a sending, answered as one: no code, no row
        if not allow_public_form(request, "masukan"):
            return _too_many(request, form)
        return render(request, "masyarakat/masukan_terkirim.html")
    try:
        with transaction.atomic():  # the feedback and its audit record, or neither
            masukan = services.masukan_terima(masukan=form.save())
            # Counted once its code is known new: a second send (waiting on the first's
            # insert, then refused by the code's unique constraint) is never counted.
            if not allow_public_form(request, "masukan"):
                raise _TooMany
    except _TooMany:
        return _too_many(request, form)
    except IntegrityError:
        first = form.sent_before()
        if first is not None and form.is_same_as(first):
            messages.info(request, "Masukan ini sudah terkirim; kode pelacakannya di bawah.")
            return redirect(f"{first.get_tracking_url()}?baru=1")
        if first is not None:  # the token of a page already sent (kept open, the back button)
            form.renew_token()
            form.add_error(None, "Formulir ini sudah pernah dikirim. Periksa isian Anda, lalu "
                           "kirim sekali lagi.")  # fmt: skip
        # Its service unit was removed after this request read the active ones.
        elif UnitLayanan.objects.filter(pk=form.cleaned_data["unit_layanan"].pk).exists():
            raise
        else:
            form.add_error("unit_layanan", "Unit layanan ini baru saja ditutup; pilih yang lain.")
        return render(request, "masyarakat/masukan_form.html", {"form": form})
    # To its tracking page: a refresh there cannot send the feedback twice.
    return redirect(f"{masukan.get_tracking_url()}?baru=1")


@login_not_required
def masukan_status(request, kode: str):
    """Public, by tracking code only: the status, the unit's response, and one reply."""
    masukan = _find_masukan(kode)
    if masukan is None:  # back to the lookup form, which says so
        return redirect(f"{reverse('masyarakat:warga')}?{urlencode({'kode': kode})}")
    if masukan.kode != kode:
        return redirect(masukan.get_tracking_url())
    today = timezone.localdate()
    awaits_reply = masukan.status == Masukan.Status.DITANGGAPI and masukan.dibalas_at is None
    # The holidays are read only when a reply is still possible: otherwise the page reads one row.
    deadline = services.reply_deadline(masukan, libur=tanggal_libur()) if awaits_reply else None
    can_reply = awaits_reply and deadline is not None and today <= deadline
    can_rate = masukan.status in (Masukan.Status.DITANGGAPI, Masukan.Status.SELESAI) and (
        masukan.dinilai_at is None
    )
    ctx = {
        "masukan": masukan,
        "can_reply": can_reply,
        "can_rate": can_rate,
        "batas_balas": deadline,
        "baru": request.GET.get("baru") == "1",  # just sent: the code to keep, up front
    }
    if request.method == "POST":
        if not allow_public_form(request, "balas"):  # the page again, with what to do
            messages.error(request, batas_pesan(request, "balas", "percobaan"))
            return batas_tolak(request, "balas", "masyarakat/masukan_status.html", ctx)
        rating = request.POST.get("tindakan") == "nilai"
        try:
            if rating:
                services.masukan_rate(
                    masukan=masukan,
                    nilai=request.POST.get("nilai", ""),
                    ulasan=request.POST.get("ulasan", ""),
                )
            else:
                services.masukan_reply(
                    masukan=masukan, balasan=request.POST.get("balasan", ""), today=today
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, "Terima kasih atas penilaian Anda." if rating else "Balasan Anda terkirim."
            )
        return redirect(masukan.get_tracking_url())
    return render(request, "masyarakat/masukan_status.html", ctx)


def _get_masukan_for_user(request, pk: int) -> Masukan:
    """HR see their units' feedback; the officers HR assigned to a service unit see what was
    forwarded to it."""
    user = request.user
    rows = Masukan.objects.select_related("unit_layanan__unit", "pegawai_dilayani")
    if user.is_admin:
        return get_object_or_404(rows, pk=pk)
    managed = sorted(user.unit_kelolaan_ids) if user.is_manager else []
    visible = Q(unit_layanan__unit_id__in=managed)
    profil = user.pegawai_profil
    officer = profil is not None and profil.aktif
    if officer:
        served = UnitLayanan.objects.filter(aktif=True, petugas=profil)
        # A subquery, not a join: a join would repeat an HR's row once per officer of the unit.
        visible |= Q(status__in=Masukan.VERIFIED, unit_layanan__in=served)
    if not user.is_manager and not (officer and served.exists()):
        require_manager(request)  # neither HR nor an officer of any service unit: 403
    return get_object_or_404(rows.filter(visible), pk=pk)


@login_required
def masukan_list(request):
    require_manager(request)
    today = timezone.localdate()
    rows = Masukan.objects.select_related("unit_layanan").filter(
        unit_layanan__in=_units_for(request.user).values("pk")
    )
    status = request.GET.get("status", "")
    if status in Masukan.Status.values:
        rows = rows.filter(status=status)
    export = list_export(
        request, name="masukan", header=reports.MASUKAN_HEADER,
        rows=lambda: reports.masukan_rows(rows.order_by("created_at"), today, tanggal_libur()),
    )  # fmt: skip
    if export:
        return export
    page = keyset_paginate(
        rows, key="created_at", after=request.GET.get("setelah"), before=request.GET.get("sebelum")
    )
    libur = tanggal_libur()
    items = [(m, services.terlambat(m, today, libur=libur)) for m in page]
    ctx = {
        "page": page,
        "items": items,
        "status": status,
        "statuses": Masukan.Status.choices,
        "nilai": reports.nilai_tanggapan(_units_for(request.user)),
    }
    return render(request, "masyarakat/masukan_list.html", ctx)


TANPA_PETUGAS = (
    "Unit layanan ini belum punya petugas penjawab: tanggapi sendiri dari Tugas saya, atau "
    "tetapkan petugasnya."
)


@login_required
def masukan_detail(request, pk: int):
    masukan = _get_masukan_for_user(request, pk)
    can_moderate = access.can_moderate_masukan(request.user, masukan)
    can_respond = access.can_respond_masukan(request.user, masukan)
    if request.method == "POST":
        action = request.POST.get("tindakan", "")
        require(can_respond if action == "tanggapi" else can_moderate)
        text = request.POST.get("teks", "")
        steps = {
            "teruskan": lambda: services.masukan_moderate(masukan=masukan, action="teruskan"),
            "tolak": lambda: services.masukan_moderate(
                masukan=masukan, action="tolak", alasan=text
            ),
            "spam": lambda: services.masukan_moderate(masukan=masukan, action="spam", alasan=text),
            "tanggapi": lambda: services.masukan_respond(masukan=masukan, tanggapan=text),
            "selesai": lambda: services.masukan_close(masukan=masukan),
        }
        done = {
            "teruskan": f"Masukan {masukan.kode} diverifikasi dan diteruskan ke "
            f"{masukan.unit_layanan}.",
            "tolak": f"Masukan {masukan.kode} ditolak; alasannya terlihat oleh warga.",
            "spam": f"Masukan {masukan.kode} ditandai spam.",
            "tanggapi": f"Tanggapan atas masukan {masukan.kode} tersimpan.",
            "selesai": f"Masukan {masukan.kode} ditutup.",
        }
        if action not in steps:
            messages.error(request, "Tindakan tidak dikenal.")
        else:
            try:
                steps[action]()
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, done[action])
                if action == "teruskan" and not masukan.unit_layanan.punya_petugas():
                    messages.info(request, TANPA_PETUGAS)
        return redirect("masyarakat:masukan_detail", pk=masukan.pk)
    libur = tanggal_libur()
    ctx = {
        "masukan": masukan,
        "terlambat": services.terlambat(masukan, timezone.localdate(), libur=libur),
        "batas_tanggapan": services.tanggapan_deadline(masukan, libur=libur),
        "can_moderate": can_moderate,
        "can_respond": can_respond,
    }
    return render(request, "masyarakat/masukan_detail.html", ctx)


def _get_layanan_for_user(request, pk: int) -> UnitLayanan:
    """A service unit of this HR's units: 404 for another unit's."""
    require_manager(request)
    return get_object_or_404(_units_for(request.user), pk=pk)


@login_required
def layanan_petugas(request, pk: int):
    """HR assign the officers who answer the service unit's forwarded feedback (by NIP, a
    pegawai of its unit kerja or a unit below it) and remove them."""
    layanan = _get_layanan_for_user(request, pk)
    require(access.can_manage_petugas_layanan(request.user, layanan))
    if request.method == "POST":
        action = request.POST.get("tindakan", "")
        try:
            if action == "tambah":
                pegawai = services.petugas_tambah(
                    unit_layanan=layanan, nip=request.POST.get("nip", "")
                )
                done = f"{pegawai.nama_lengkap} ditetapkan sebagai petugas {layanan}."
            elif action == "hapus":
                pegawai = services.petugas_hapus(
                    unit_layanan=layanan, pegawai_id=parse_int(request.POST.get("pegawai", ""))
                )
                done = f"{pegawai.nama_lengkap} tidak lagi menjadi petugas {layanan}."
            else:
                raise ValidationError("Tindakan tidak dikenal.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("masyarakat:layanan_petugas", pk=layanan.pk)
    ctx = {
        "layanan": layanan,
        "petugas": layanan.petugas.select_related("unit").order_by("nama", "pk"),
    }
    return render(request, "masyarakat/layanan_petugas.html", ctx)


# The first year whose service volume can be entered: the survey data SIBINA holds begins then.
VOLUME_TAHUN_AWAL = 2020


@login_required
def layanan_volume(request, pk: int):
    """HR enter how many services the unit gave in each quarter of a year: the population its
    survey sample is measured against, and what complaints are counted per 1.000 of."""
    layanan = _get_layanan_for_user(request, pk)
    require(access.can_manage_volume_layanan(request.user, layanan))
    today = timezone.localdate()
    years = range(today.year, VOLUME_TAHUN_AWAL - 1, -1)
    tahun = parse_int(request.GET.get("tahun", ""), low=years[-1], high=years[0])
    if tahun is None and request.GET.get("tahun"):
        messages.error(request, f"Pilih tahun dari daftar ({years[-1]}–{years[0]}).")
        if request.method == "POST":  # nothing saved under a year the user did not choose
            return redirect(reverse("masyarakat:layanan_volume", args=[pk]))
    tahun = tahun or today.year
    stored = {
        v.triwulan: v for v in layanan.volume.filter(tahun=tahun).select_related("diisi_oleh")
    }
    initial = {f"triwulan_{ke}": v.jumlah for ke, v in stored.items()}
    form = VolumeLayananForm(request.POST or None, initial=initial, tahun=tahun, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.volume_simpan(
                unit_layanan=layanan,
                tahun=tahun,
                jumlah=form.jumlah(),
                oleh=request.user,
                today=today,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Volume layanan {tahun} disimpan ({changed} triwulan berubah)."
            )
            return redirect(f"{reverse('masyarakat:layanan_volume', args=[pk])}?tahun={tahun}")
    ctx = {
        "layanan": layanan,
        "form": form,
        "tahun": tahun,
        "years": years,
        "stored": sorted(stored.values(), key=lambda v: v.triwulan),
    }
    return render(request, "masyarakat/layanan_volume.html", ctx)


def _find_masukan(typed: str) -> Masukan | None:
    kode = kode_normal(typed)
    if not KODE_POLA.fullmatch(kode):
        return None
    return Masukan.objects.select_related("unit_layanan").filter(kode=kode).first()


@login_not_required
def warga(request):
    """The citizens' home page: give feedback, rate a service, follow a submission."""
    typed = request.GET.get("kode", "")
    masukan = _find_masukan(typed) if typed.strip() else None
    if masukan is not None:
        return redirect(masukan.get_tracking_url())
    layanan = UnitLayanan.objects.filter(aktif=True).select_related("unit").order_by("nama")
    forums = (
        ForumDialog.objects.filter(
            status=ForumDialog.Status.DIRENCANAKAN, waktu__gte=timezone.now()
        )
        .select_related("unit_layanan")
        .order_by("waktu")[:10]
    )
    # Their results and follow-up actions stay reachable: the latest few held.
    held = ForumDialog.objects.filter(status=ForumDialog.Status.SELESAI).order_by("-waktu")[:5]
    # A code typed but not found: the form again, with what was typed and "not found".
    not_found = bool(typed.strip())
    ctx = {"layanan": layanan, "forums": forums, "forum_selesai": held, "kode": typed[:40],
           "tidak_ditemukan": not_found}  # fmt: skip
    return render(request, "masyarakat/warga.html", ctx, status=404 if not_found else 200)


# --- Dialogue forums ------------------------------------------------------------------------------


@login_not_required
def forum_publik(request, kode: str):
    """The public forum page: agenda, registration while open, and after it the follow-up
    actions with their status (no registrant's contact, ever)."""
    forum = get_object_or_404(ForumDialog.objects.select_related("unit_layanan"), kode=kode)
    form = PendaftaranForumForm(request.POST or None)
    registered = batal_url = None
    if request.method == "POST":
        # A registration sent (or the honeypot's) counts; a form with errors does not.
        sent = form.is_bot() or form.is_valid()
        if sent and not allow_public_form(request, "forum"):
            form.add_error(None, batas_pesan(request, "forum", "pendaftaran"))
            ctx = _forum_ctx(forum, form)
            return batas_tolak(request, "forum", "masyarakat/forum_publik.html", ctx)
        if form.is_bot():  # answered as if registered, nothing saved (the honeypot)
            messages.success(request, "Terima kasih, pendaftaran Anda kami terima.")
            return redirect(forum.get_absolute_url())
        if form.is_valid():
            try:
                data = form.cleaned_data
                registered = services.forum_register(
                    forum=forum,
                    nama=data["nama"],
                    kontak=data["kontak"],
                    organisasi=data["organisasi"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:  # to a page that keeps its code and cancel link: a reload sends nothing
                token = services.batal_token(registered)
                return redirect(f"{forum.get_absolute_url()}?{urlencode({'pendaftaran': token})}")
    elif request.GET.get("pendaftaran"):
        # Just registered: its code with the link that cancels it (a phone number gets no mail).
        # The token is the cancel link's own, so the address shows nothing the link does not.
        token = request.GET["pendaftaran"]
        registered = services.batal_pendaftaran(token)
        if registered is None or registered.forum_id != forum.pk:
            registered = None
        else:
            batal_url = reverse("masyarakat:forum_batal", args=[token])
    ctx = _forum_ctx(forum, form) | {"registered": registered, "batal_url": batal_url}
    return render(request, "masyarakat/forum_publik.html", ctx)


def _forum_ctx(forum: ForumDialog, form) -> dict:
    return {
        "forum": forum,
        "form": form,
        "tindak_lanjut": forum.tindak_lanjut.select_related("penanggung_jawab"),
        "asn": [p.nama_lengkap for p in forum.pegawai.order_by("nama")],
    }


def _get_forum_for_user(request, pk: int) -> ForumDialog:
    require_manager(request)
    return get_object_or_404(
        ForumDialog.objects.select_related("unit_layanan").filter(
            unit_layanan__in=_units_for(request.user).values("pk")
        ),
        pk=pk,
    )


@login_required
def forum_list(request):
    require_manager(request)
    forums = ForumDialog.objects.filter(unit_layanan__in=_units_for(request.user).values("pk"))
    export = list_export(
        request, name="forum", header=reports.FORUM_HEADER,
        rows=lambda: reports.forum_rows(forums.select_related("unit_layanan")),
    )  # fmt: skip
    if export:
        return export
    form = ForumForm(request.POST or None, units=_units_for(request.user), user=request.user)
    if request.method == "POST" and form.is_valid():
        forum = form.save()
        messages.success(request, f"Forum {forum} direncanakan.")
        return redirect("masyarakat:forum_detail", pk=forum.pk)
    return render(
        request,
        "masyarakat/forum_list.html",
        {"forums": forums.select_related("unit_layanan")[:100], "form": form},
    )


@login_required
def forum_detail(request, pk: int):
    """HR's forum page: registrants (with contacts), closing with minutes and the inputs raised,
    and the follow-up actions."""
    forum = _get_forum_for_user(request, pk)
    data = request.POST if request.POST.get("tindakan") == "tindak_lanjut" else None
    action_form = TindakLanjutForm(data, user=request.user)
    if request.method == "POST":
        step = request.POST.get("tindakan")
        if step == "tutup":
            inputs = [
                (k, v)
                for k, v in zip(
                    request.POST.getlist("kategori"), request.POST.getlist("isi"), strict=False
                )
                if k in Masukan.Kategori.values
            ]
            hadir = request.POST.get("jumlah_hadir", "")
            try:
                services.forum_close(
                    forum=forum,
                    notulen=request.POST.get("notulen", ""),
                    jumlah_hadir=parse_int(hadir),
                    masukan=inputs,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Forum ditutup; masukan yang muncul diteruskan ke unit.")
            return redirect("masyarakat:forum_detail", pk=forum.pk)
        if step == "tindak_lanjut" and action_form.is_valid():
            item = action_form.save(commit=False)
            item.forum = forum
            item.save()
            messages.success(request, "Tindak lanjut dicatat.")
            return redirect("masyarakat:forum_detail", pk=forum.pk)
    export = list_export(
        request, name=f"pendaftar-forum-{forum.pk}",
        header=["Kode", "Nama", "Telepon atau email", "Organisasi", "Status", "Mendaftar"],
        rows=lambda: (
            [p.kode, p.nama, p.kontak, p.organisasi, p.get_status_display(),
             timezone.localtime(p.created_at).strftime("%d/%m/%Y %H:%M")]
            for p in forum.pendaftar.all()
        ),
    )  # fmt: skip
    if export:
        return export
    pendaftar = list(forum.pendaftar.all())
    ctx = {
        "forum": forum,
        "pendaftar": pendaftar,
        "kursi": Counter(p.status for p in pendaftar),  # seats taken, waiting, given back
        "action_form": action_form,
        "tindak_lanjut": forum.tindak_lanjut.select_related("penanggung_jawab"),
        "masukan": forum.masukan.all(),
        "kategori": Masukan.Kategori.choices,
    }
    return render(request, "masyarakat/forum_detail.html", ctx)


# --- Feedback that names an officer ------------------------------------------------------------


@login_not_required
def masukan_petugas(request):
    """The officer choices of a service unit, for the public form (names only, no NIP)."""
    chosen = request.GET.get("unit_layanan", "")
    layanan = layanan_aktif().get(parse_int(chosen))
    options = petugas_pilihan(layanan)
    return render(request, "masyarakat/_petugas_select.html", {"options": options})


@login_required
def masukan_pegawai(request, pk: int):
    """Feedback naming a pegawai: the pegawai sees it once verified and may reply; their atasan
    and HR see it from the start."""
    visible = Pegawai.objects.visible_to(request.user).select_related("unit")
    pegawai = get_object_or_404(visible, pk=pk)
    user = request.user
    is_self = pegawai.user_id == user.pk
    profil = user.pegawai_profil
    is_atasan = profil is not None and pegawai.atasan_id == profil.pk
    rows = Masukan.objects.filter(pegawai_dilayani=pegawai).select_related("unit_layanan")
    if not (is_atasan or user.can_manage_unit(pegawai.unit)):
        rows = rows.filter(status__in=Masukan.VERIFIED)
    if request.method == "POST":
        if not is_self:
            raise PermissionDenied("Hanya pegawai yang disebut yang menanggapi.")
        chosen = request.POST.get("masukan", "")
        masukan = get_object_or_404(rows, pk=parse_int(chosen) or 0)
        try:
            services.masukan_reply_pegawai(
                masukan=masukan, tanggapan=request.POST.get("tanggapan", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Tanggapan Anda tersimpan.")
        return redirect("masyarakat:masukan_pegawai", pk=pegawai.pk)
    ctx = {"pegawai": pegawai, "masukan": rows, "is_self": is_self}
    return render(request, "masyarakat/masukan_pegawai.html", ctx)


# --- Citizens' mail: unsubscribe, cancel a forum registration ------------------------------------


@login_not_required
def berhenti(request, token: str):
    """The link in every citizen mail: GET asks (a mail scanner opening links unsubscribes
    nobody), POST unsubscribes the address for good. No account needed; the token is signed."""
    alamat = surel.berhenti_alamat(token)
    if alamat is None:
        return render(request, "masyarakat/berhenti.html", {"salah": True}, status=404)
    done = request.method == "POST"
    if done:
        surel.berhenti_langganan(alamat=alamat)
    return render(request, "masyarakat/berhenti.html", {"alamat": alamat, "selesai": done})


@login_not_required
def forum_batal(request, token: str):
    """The cancel link of a forum registration's mails: GET asks, POST cancels and frees the
    seat for the first on the waiting list."""
    pendaftaran = services.batal_pendaftaran(token)
    if pendaftaran is None:
        return render(request, "masyarakat/forum_batal.html", {"salah": True}, status=404)
    if request.method == "POST":
        try:
            services.forum_cancel(pendaftaran=pendaftaran)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, "Pendaftaran Anda dibatalkan. Terima kasih sudah memberi tahu."
            )
        return redirect("masyarakat:forum_batal", token=token)
    ctx = {"pendaftaran": pendaftaran, "forum": pendaftaran.forum}
    return render(request, "masyarakat/forum_batal.html", ctx)
