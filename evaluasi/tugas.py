"""The evaluasi app's kinds of inbox items (pembinaan.lib.inbox): what waits for an atasan
(self-reports to verify, ratings to give, milestones to confirm as mentor), what they follow up
(subordinates' late reports, a report their own subordinate leaves waiting), and what waits for
the pegawai themself (reports, surveys, returned milestones, sustainability reports)."""

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.lookups import StartsWith
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from pegawai.models import Pegawai, UnitKerja
from pelatihan.models import Angkatan, Peserta
from pembinaan.lib.inbox import Jenis, Tugas

from .models import (
    AksiPerubahan,
    LaporanKeberlanjutan,
    LaporanPascaPelatihan,
    PartisipasiIklim,
    PenilaianKinerja,
    PeriodePenilaian,
    PeriodeUnit,
    PutaranIklim,
    TonggakAksi,
)
from .services import AKSI_DIPANTAU, HARI_LAPOR_KEBERLANJUTAN, HARI_TANGGAPAN

# A self-report left waiting this many days by the atasan appears for the atasan's own atasan.
HARI_ESKALASI = 14
# A self-report is asked for in the inbox once it is due within this many days (or overdue).
HARI_LAPORAN_SEGERA = 30
# The L1 reaction form stays open, but a reaction asked months after the batch says little: the
# inbox asks for it this many days after the batch ends.
HARI_REAKSI = 30

S = LaporanPascaPelatihan.Status
BELUM_DIAJUKAN = [S.BELUM_DIISI, S.DRAF, S.DIKEMBALIKAN]


def _atasan(user):
    """The login's pegawai when they supervise someone, else None."""
    profil = user.pegawai_profil
    return profil if profil is not None and profil.has_bawahan else None


def _local(moment):
    return timezone.localdate(moment) if moment is not None else None


# --- For the atasan ----------------------------------------------------------------------------


def _laporan_verifikasi(user, today):
    profil = _atasan(user)
    if profil is None:
        return None
    return (
        LaporanPascaPelatihan.objects.filter(status=S.DIAJUKAN, pegawai__atasan=profil)
        .select_related("pegawai", "peserta__angkatan__pelatihan")
        .order_by("diajukan_at", "pk")
    )


def _laporan_verifikasi_item(laporan, today):
    sejak = _local(laporan.diajukan_at)
    return Tugas(
        judul=f"Verifikasi laporan pasca pelatihan {laporan.pegawai.nama_lengkap}",
        url=laporan.get_absolute_url(),
        sejak=sejak,
        jatuh_tempo=sejak + timedelta(days=HARI_TANGGAPAN) if sejak else None,
        keterangan=str(laporan.peserta.angkatan),
    )


def _penilaian_beri(user, today):
    """The open periods in which some direct subordinate (active, in the period's units or below
    them, as reports.pegawai_dalam_periode) is not rated yet, each with how many."""
    profil = _atasan(user)
    if profil is None:
        return None
    in_period = PeriodeUnit.objects.filter(periode=OuterRef(OuterRef("pk"))).filter(
        StartsWith(OuterRef("unit__path"), F("unit__path"))
    )
    rated = PenilaianKinerja.objects.filter(
        periode=OuterRef(OuterRef("pk")), pegawai=OuterRef("pk")
    )
    unrated = (
        Pegawai.objects.aktif()
        .filter(atasan=profil)
        .filter(Exists(in_period))
        .exclude(Exists(rated))
        .order_by()
        .values("atasan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        PeriodePenilaian.objects.filter(status=PeriodePenilaian.Status.DIBUKA)
        .annotate(belum_dinilai=Subquery(unrated))
        .filter(belum_dinilai__gt=0)
        .order_by("tanggal_selesai", "pk")
    )


def _penilaian_beri_item(periode, today):
    return Tugas(
        judul=f"Nilai kinerja {periode.belum_dinilai} bawahan: {periode.nama}",
        url=reverse("evaluasi:penilaian_bawahan", args=[periode.pk]),
        sejak=_local(periode.created_at),
        jatuh_tempo=periode.tanggal_selesai,
        keterangan=f"Periode {periode.tanggal_mulai:%d/%m/%Y}–{periode.tanggal_selesai:%d/%m/%Y}",
    )


def _tonggak_konfirmasi(user, today):
    """Milestones reported to this login as the project's mentor (tonggak_decide: only the
    mentor confirms; usually the atasan)."""
    profil = user.pegawai_profil
    if profil is None:
        return None
    return (
        TonggakAksi.objects.filter(
            status=TonggakAksi.Status.DILAPORKAN,
            aksi__mentor=profil,
            aksi__status=AksiPerubahan.Status.BERJALAN,  # not of a project stopped meanwhile
        )
        .select_related("aksi__pegawai")
        .order_by("dilaporkan_at", "pk")
    )


def _tonggak_konfirmasi_item(tonggak, today):
    sejak = _local(tonggak.dilaporkan_at)
    return Tugas(
        judul=f"Konfirmasi tonggak {tonggak.aksi.pegawai.nama_lengkap}: {tonggak.uraian}",
        url=tonggak.aksi.get_absolute_url(),
        sejak=sejak,
        jatuh_tempo=sejak + timedelta(days=HARI_TANGGAPAN) if sejak else None,
        keterangan=f"Aksi perubahan: {tonggak.aksi.judul}",
    )


def _keberlanjutan_terlambat(user, today):
    profil = _atasan(user)
    if profil is None:
        return None
    return (
        LaporanKeberlanjutan.objects.filter(
            aksi__pegawai__atasan=profil,
            aksi__status__in=AKSI_DIPANTAU,
            dilaporkan_at__isnull=True,
            jatuh_tempo__lt=today,
        )
        .select_related("aksi__pegawai")
        .order_by("jatuh_tempo", "pk")
    )


def _keberlanjutan_terlambat_item(laporan, today):
    return Tugas(
        judul=f"Laporan keberlanjutan {laporan.get_bulan_display()} "
        f"{laporan.aksi.pegawai.nama_lengkap} terlambat",
        url=laporan.aksi.get_absolute_url(),
        jatuh_tempo=laporan.jatuh_tempo,
        keterangan=f"Aksi perubahan: {laporan.aksi.judul}",
    )


def _laporan_bawahan_terlambat(user, today):
    profil = _atasan(user)
    if profil is None:
        return None
    return (
        LaporanPascaPelatihan.objects.filter(
            pegawai__atasan=profil, status__in=BELUM_DIAJUKAN, jatuh_tempo__lt=today
        )
        .select_related("pegawai", "peserta__angkatan__pelatihan")
        .order_by("jatuh_tempo", "pk")
    )


def _laporan_bawahan_terlambat_item(laporan, today):
    return Tugas(
        judul=f"Laporan pasca pelatihan {laporan.pegawai.nama_lengkap} belum diajukan",
        url=laporan.get_absolute_url(),
        jatuh_tempo=laporan.jatuh_tempo,
        keterangan=f"{laporan.get_status_display()} – {laporan.peserta.angkatan}",
    )


def _laporan_eskalasi(user, today):
    """Reports that the login's subordinate, as atasan, has left waiting past HARI_ESKALASI."""
    profil = _atasan(user)
    if profil is None:
        return None
    cutoff = timezone.now() - timedelta(days=HARI_ESKALASI)
    return (
        LaporanPascaPelatihan.objects.filter(
            status=S.DIAJUKAN, pegawai__atasan__atasan=profil, diajukan_at__lt=cutoff
        )
        .select_related("pegawai__atasan", "peserta__angkatan__pelatihan")
        .order_by("diajukan_at", "pk")
    )


def _laporan_eskalasi_item(laporan, today):
    sejak = _local(laporan.diajukan_at)
    atasan = laporan.pegawai.atasan
    # The report itself is for its pegawai, their atasan and HR: the link is the atasan's page.
    return Tugas(
        judul=f"Laporan {laporan.pegawai.nama_lengkap} menunggu verifikasi {atasan.nama_lengkap}",
        url=atasan.get_absolute_url(),
        sejak=sejak,
        jatuh_tempo=sejak + timedelta(days=HARI_TANGGAPAN) if sejak else None,
        keterangan=str(laporan.peserta.angkatan),
    )


# --- For the pegawai themself ------------------------------------------------------------------


def _laporan_isi(user, today):
    profil = user.pegawai_profil
    if profil is None:
        return None
    soon = today + timedelta(days=HARI_LAPORAN_SEGERA)
    return (
        LaporanPascaPelatihan.objects.filter(pegawai=profil, status__in=BELUM_DIAJUKAN)
        .filter(Q(jatuh_tempo__lte=soon) | Q(status=S.DIKEMBALIKAN))
        .select_related("pegawai", "peserta__angkatan__pelatihan")
        .order_by("jatuh_tempo", "pk")
    )


def _laporan_isi_item(laporan, today):
    returned = laporan.status == S.DIKEMBALIKAN
    due, sejak = laporan.jatuh_tempo, None
    if returned and (sejak := _local(laporan.diputuskan_at)):
        # A returned report gets the atasan's answering time to be revised, not a past date.
        due = max(due, sejak + timedelta(days=HARI_TANGGAPAN))
    return Tugas(
        judul=(
            "Perbaiki laporan pasca pelatihan yang dikembalikan atasan"
            if returned
            else "Isi laporan pasca pelatihan"
        )
        + f": {laporan.peserta.angkatan}",
        url=laporan.get_absolute_url(),
        sejak=sejak,
        jatuh_tempo=due,
        keterangan=laporan.komentar_atasan[:200] if returned else "",
    )


def _reaksi_isi(user, today):
    profil = user.pegawai_profil
    if profil is None:
        return None
    return (
        Peserta.objects.filter(
            pegawai=profil,
            status=Peserta.Status.TERDAFTAR,
            angkatan__status=Angkatan.Status.SELESAI,
            angkatan__tanggal_selesai__gte=today - timedelta(days=HARI_REAKSI),
            reaksi__isnull=True,
        )
        .select_related("angkatan__pelatihan")
        .order_by("angkatan__tanggal_selesai", "pk")
    )


def _reaksi_isi_item(peserta, today):
    selesai = peserta.angkatan.tanggal_selesai
    return Tugas(
        judul=f"Isi survei reaksi (L1): {peserta.angkatan}",
        url=reverse("evaluasi:reaksi_create", args=[peserta.angkatan_id]),
        sejak=selesai,
        jatuh_tempo=selesai + timedelta(days=HARI_REAKSI),
    )


def _iklim_isi(user, today):
    """Open rounds covering the login's unit (or a unit above it) that they have not answered.
    PartisipasiIklim records only that they answered, never which sheet is theirs."""
    profil = user.pegawai_profil
    if profil is None or not profil.aktif:
        return None
    path, step = profil.unit.path, UnitKerja.steplen
    ancestors = [path[:end] for end in range(step, len(path) + 1, step)]
    covers = PutaranIklim.units.through.objects.filter(
        putaraniklim=OuterRef("pk"), unitkerja__path__in=ancestors
    )
    answered = PartisipasiIklim.objects.filter(putaran=OuterRef("pk"), pegawai=profil)
    return (
        PutaranIklim.objects.filter(status=PutaranIklim.Status.DIBUKA)
        .filter(Exists(covers))
        .exclude(Exists(answered))
        .order_by("tanggal_selesai", "pk")
    )


def _iklim_isi_item(putaran, today):
    return Tugas(
        judul=f"Isi survei iklim kerja: {putaran.nama}",
        url=reverse("evaluasi:iklim_isi", args=[putaran.pk]),
        sejak=putaran.tanggal_mulai,
        jatuh_tempo=putaran.tanggal_selesai,
        keterangan="Jawaban Anda tersimpan tanpa identitas.",
    )


def _tonggak_kembali(user, today):
    profil = user.pegawai_profil
    if profil is None:
        return None
    return (
        TonggakAksi.objects.filter(
            status=TonggakAksi.Status.DIKEMBALIKAN,
            aksi__pegawai=profil,
            aksi__status=AksiPerubahan.Status.BERJALAN,
        )
        .select_related("aksi")
        .order_by("jatuh_tempo", "pk")
    )


def _tonggak_kembali_item(tonggak, today):
    return Tugas(
        judul=f"Lengkapi tonggak yang dikembalikan mentor: {tonggak.uraian}",
        url=tonggak.aksi.get_absolute_url(),
        jatuh_tempo=tonggak.jatuh_tempo,
        keterangan=tonggak.catatan_mentor[:200],
    )


def _penilaian_ketahui(user, today):
    profil = user.pegawai_profil
    if profil is None:
        return None
    return (
        PenilaianKinerja.objects.filter(pegawai=profil, diketahui_at__isnull=True)
        .select_related("periode")
        .order_by("dinilai_at", "pk")
    )


def _penilaian_ketahui_item(penilaian, today):
    return Tugas(
        judul=f"Ketahui penilaian kinerja {penilaian.periode.nama}: "
        f"{penilaian.get_predikat_display()}",
        url=reverse("evaluasi:kinerja_pegawai", args=[penilaian.pegawai_id]),
        sejak=_local(penilaian.dinilai_at),
    )


def _keberlanjutan_isi(user, today):
    """Sustainability reports that can be filed now (they open HARI_LAPOR_KEBERLANJUTAN days
    before they are due) or are overdue."""
    profil = user.pegawai_profil
    if profil is None:
        return None
    return (
        LaporanKeberlanjutan.objects.filter(
            aksi__pegawai=profil,
            aksi__status__in=AKSI_DIPANTAU,
            dilaporkan_at__isnull=True,
            jatuh_tempo__lte=today + timedelta(days=HARI_LAPOR_KEBERLANJUTAN),
        )
        .select_related("aksi")
        .order_by("jatuh_tempo", "pk")
    )


def _keberlanjutan_isi_item(laporan, today):
    return Tugas(
        judul=f"Isi laporan keberlanjutan {laporan.get_bulan_display()}: {laporan.aksi.judul}",
        url=laporan.aksi.get_absolute_url(),
        jatuh_tempo=laporan.jatuh_tempo,
    )


LAPORAN = reverse_lazy("evaluasi:laporan_list")
AKSI = reverse_lazy("evaluasi:aksi_list")

JENIS = [
    Jenis("laporan_verifikasi", "Laporan pasca pelatihan untuk diverifikasi", "atasan",
          _laporan_verifikasi, _laporan_verifikasi_item, semua_url=LAPORAN),
    Jenis("penilaian_beri", "Penilaian kinerja bawahan", "atasan", _penilaian_beri,
          _penilaian_beri_item, semua_url=reverse_lazy("evaluasi:index")),
    Jenis("tonggak_konfirmasi", "Tonggak aksi perubahan untuk dikonfirmasi", "atasan",
          _tonggak_konfirmasi, _tonggak_konfirmasi_item, semua_url=AKSI),
    Jenis("laporan_isi", "Laporan pasca pelatihan saya", "pegawai", _laporan_isi,
          _laporan_isi_item, semua_url=LAPORAN),
    Jenis("reaksi_isi", "Survei reaksi pelatihan (L1)", "pegawai", _reaksi_isi,
          _reaksi_isi_item),
    Jenis("iklim_isi", "Survei iklim kerja", "pegawai", _iklim_isi, _iklim_isi_item,
          semua_url=reverse_lazy("evaluasi:iklim_index")),
    Jenis("penilaian_ketahui", "Penilaian kinerja untuk diketahui", "pegawai",
          _penilaian_ketahui, _penilaian_ketahui_item),
    Jenis("tonggak_kembali", "Tonggak aksi perubahan dikembalikan", "pegawai",
          _tonggak_kembali, _tonggak_kembali_item, semua_url=AKSI),
    Jenis("keberlanjutan_isi", "Laporan keberlanjutan aksi perubahan", "pegawai",
          _keberlanjutan_isi, _keberlanjutan_isi_item, semua_url=AKSI),
    Jenis("laporan_bawahan_terlambat", "Laporan pasca pelatihan bawahan yang terlambat",
          "pantau", _laporan_bawahan_terlambat, _laporan_bawahan_terlambat_item,
          semua_url=LAPORAN),
    Jenis("keberlanjutan_terlambat", "Laporan keberlanjutan bawahan yang terlambat", "pantau",
          _keberlanjutan_terlambat, _keberlanjutan_terlambat_item),
    Jenis("laporan_eskalasi", f"Laporan menunggu atasan bawahan Anda lebih dari "
          f"{HARI_ESKALASI} hari", "pantau", _laporan_eskalasi, _laporan_eskalasi_item),
]  # fmt: skip
