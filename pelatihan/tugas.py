"""The pelatihan app's kinds of inbox items (pembinaan.lib.inbox). Each kind's rows keep the scope
of the policy of its action in pelatihan/access.py: an atasan their direct subordinates, HR the
units they manage or the batches they organise, the province's HR what belongs to the province;
never a decision about oneself."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from pembinaan.lib.inbox import Aksi, Jenis, Tugas

from .models import (
    Angkatan,
    KegiatanEksternal,
    KerjaSama,
    PendaftaranBeasiswa,
    Peserta,
    RencanaPengembangan,
)

# How long the atasan or HR take to verify an external activity, counted from its submission.
HARI_VERIFIKASI = 14
# How long a decided request stays on the pegawai's list.
HARI_KEPUTUSAN_TAMPIL = 14


def _organised_by(user, prefix: str = "") -> Q | None:
    """The batches this user runs (access.can_manage_pelatihan), as a filter; None for none."""
    if user.is_admin:
        return Q()
    conditions = Q(
        **{f"{prefix}pelatihan__unit_penyelenggara_id__in": sorted(user.unit_kelolaan_ids)}
    )
    if user.is_pengelola_provinsi:
        conditions |= Q(**{f"{prefix}pelatihan__unit_penyelenggara__isnull": True})
    elif not user.unit_kelolaan_ids:
        return None
    return conditions


def _managed_pegawai(user, prefix: str = "pegawai__") -> Q:
    """The pegawai of the units this user manages (Pegawai.objects.managed_by)."""
    if user.is_admin:
        return Q()
    return Q(**{f"{prefix}unit_id__in": sorted(user.unit_kelolaan_ids)})


# --- Atasan -------------------------------------------------------------------------------


def _pengajuan_atasan(user, today):
    if not user.is_atasan:
        return None
    return (
        Peserta.objects.filter(status=Peserta.Status.DIAJUKAN, pegawai__atasan=user.pegawai_profil)
        .exclude(pegawai__user=user)
        .exclude(angkatan__status__in=[Angkatan.Status.SELESAI, Angkatan.Status.DIBATALKAN])
        .select_related("pegawai", "angkatan__pelatihan")
        .order_by("angkatan__tanggal_mulai", "created_at", "pk")
    )


def _pengajuan_atasan_item(peserta, today):
    angkatan = peserta.angkatan
    return Tugas(
        judul=f"Setujui pengajuan {peserta.pegawai.nama_lengkap}: {angkatan}",
        url=f"{angkatan.get_absolute_url()}#peserta-{peserta.pk}",
        sejak=timezone.localdate(peserta.created_at),
        jatuh_tempo=angkatan.tanggal_mulai,
        keterangan=f"Mulai {angkatan.tanggal_mulai:%d/%m/%Y}.",
        aksi=(Aksi("Setujui", reverse("pelatihan:peserta_approve", args=[peserta.pk])),),
    )


def _beasiswa_rekomendasi(user, today):
    if not user.is_atasan:
        return None
    return (
        PendaftaranBeasiswa.objects.filter(
            status=PendaftaranBeasiswa.Status.MEMENUHI_SYARAT,
            rekomendasi__isnull=True,
            pegawai__atasan=user.pegawai_profil,
        )
        .exclude(pegawai__user=user)
        .select_related("pegawai", "program")
        .order_by("program__pendaftaran_selesai", "created_at", "pk")
    )


def _beasiswa_rekomendasi_item(pendaftaran, today):
    program = pendaftaran.program
    return Tugas(
        judul=f"Beri rekomendasi beasiswa {pendaftaran.pegawai.nama_lengkap}: {program}",
        url=pendaftaran.get_absolute_url(),
        sejak=timezone.localdate(pendaftaran.created_at),
        jatuh_tempo=program.pendaftaran_selesai,
    )


def _rencana_atasan(user, today):
    if not user.is_atasan:
        return None
    return (
        RencanaPengembangan.objects.filter(
            status=RencanaPengembangan.Status.DIAJUKAN, pegawai__atasan=user.pegawai_profil
        )
        .exclude(pegawai__user=user)
        .select_related("pegawai")
        .order_by("diajukan_at", "pk")
    )


def _rencana_atasan_item(rencana, today):
    return Tugas(
        judul=f"Bahas rencana pengembangan {rencana.tahun} {rencana.pegawai.nama_lengkap}",
        url=rencana.get_absolute_url(),
        sejak=timezone.localdate(rencana.diajukan_at) if rencana.diajukan_at else None,
        keterangan="Setujui, ubah atau kembalikan setelah pertemuan empat mata.",
    )


# --- HR -----------------------------------------------------------------------------------


def _pengajuan_konfirmasi(user, today):
    if not user.is_manager:
        return None
    scope = _managed_pegawai(user)
    organised = _organised_by(user, "angkatan__")
    if organised is not None:
        scope |= organised
    return (
        Peserta.objects.filter(scope, status=Peserta.Status.DISETUJUI_ATASAN)
        .exclude(pegawai__user=user)
        .exclude(angkatan__status__in=[Angkatan.Status.SELESAI, Angkatan.Status.DIBATALKAN])
        .select_related("pegawai", "angkatan__pelatihan")
        .order_by("angkatan__tanggal_mulai", "updated_at", "pk")
    )


def _pengajuan_konfirmasi_item(peserta, today):
    angkatan = peserta.angkatan
    return Tugas(
        judul=f"Konfirmasi {peserta.pegawai.nama_lengkap}: {angkatan}",
        url=f"{angkatan.get_absolute_url()}#peserta-{peserta.pk}",
        sejak=timezone.localdate(peserta.updated_at),
        jatuh_tempo=angkatan.tanggal_mulai,
        keterangan="Disetujui atasan." if peserta.pegawai.atasan_id else "Tanpa atasan langsung.",
        aksi=(Aksi("Konfirmasi", reverse("pelatihan:peserta_confirm", args=[peserta.pk])),),
    )


def _kegiatan_verifikasi(user, today):
    if not user.is_manager or not (user.is_admin or user.unit_kelolaan_ids):
        return None
    return (
        KegiatanEksternal.objects.verifikasi_oleh(user, sebagai="pengelola")
        .select_related("pegawai")
        .order_by("created_at", "pk")
    )


def _kegiatan_atasan(user, today):
    """Subordinates' non-classical activities (coaching, mentoring, …) for the atasan."""
    if not user.is_atasan:
        return None
    return (
        KegiatanEksternal.objects.verifikasi_oleh(user, sebagai="atasan")
        .select_related("pegawai")
        .order_by("created_at", "pk")
    )


def _kegiatan_verifikasi_item(kegiatan, today):
    diajukan = timezone.localdate(kegiatan.created_at)
    return Tugas(
        judul=f"Verifikasi {kegiatan.nama} – {kegiatan.pegawai.nama_lengkap}",
        url=reverse("pelatihan:kegiatan_verifikasi") + f"#kegiatan-{kegiatan.pk}",
        sejak=diajukan,
        jatuh_tempo=diajukan + timedelta(days=HARI_VERIFIKASI),
        keterangan=f"{kegiatan.get_jenis_display()}, {kegiatan.penyelenggara}, "
        f"{kegiatan.tanggal_mulai:%d/%m/%Y}; {kegiatan.jp or '?'} JP diajukan.",
    )


def _hasil_belum_diputuskan(user, today):
    """Batches over whose registered participants all have their post-test score and some
    still wait for the result."""
    organised = _organised_by(user) if user.is_manager else None
    if organised is None:
        return None
    registered = Peserta.objects.filter(angkatan=OuterRef("pk"), status=Peserta.Status.TERDAFTAR)
    # Results this login may decide: never their own (another of the batch's HR decides it).
    undecided = registered.filter(lulus__isnull=True).exclude(pegawai__user=user)
    return (
        Angkatan.objects.filter(
            organised,
            Exists(undecided),
            status__in=[Angkatan.Status.BERJALAN, Angkatan.Status.SELESAI],
            tanggal_selesai__lt=today,
        )
        .exclude(Exists(registered.filter(nilai_post__isnull=True)))
        .annotate(belum=Subquery(_count(undecided)))
        .select_related("pelatihan")
        .order_by("tanggal_selesai", "pk")
    )


def _count(rows):
    """A correlated COUNT of `rows`, for an annotation."""
    return rows.order_by().values("angkatan").annotate(n=Count("pk")).values("n")


def _hasil_belum_diputuskan_item(angkatan, today):
    return Tugas(
        judul=f"Putuskan kelulusan: {angkatan}",
        url=angkatan.get_absolute_url(),
        sejak=angkatan.tanggal_selesai,
        jatuh_tempo=angkatan.tanggal_selesai + timedelta(days=HARI_VERIFIKASI),
        keterangan=f"{angkatan.belum} peserta belum diputuskan; semua nilai post-test terisi.",
    )


def _kerja_sama_berakhir(user, today):
    """Agreements ending within the warning period, or ended within it, with no later
    agreement with the same university."""
    if not user.manages_province:
        return None
    window = timedelta(days=KerjaSama.HARI_PERINGATAN)
    later = KerjaSama.objects.filter(
        perguruan_tinggi=OuterRef("perguruan_tinggi"),
        tanggal_berakhir__gt=OuterRef("tanggal_berakhir"),
    )
    return (
        KerjaSama.objects.filter(tanggal_berakhir__range=(today - window, today + window))
        .exclude(Exists(later))
        .select_related("perguruan_tinggi")
        .order_by("tanggal_berakhir", "pk")
    )


def _kerja_sama_berakhir_item(kerja_sama, today):
    ended = kerja_sama.tanggal_berakhir < today
    return Tugas(
        judul=f"Kerja sama {'telah' if ended else 'segera'} berakhir: {kerja_sama}",
        url=f"{reverse('pelatihan:mitra_list')}#kerja-sama-{kerja_sama.pk}",
        jatuh_tempo=kerja_sama.tanggal_berakhir,
        keterangan=f"Nomor {kerja_sama.nomor}; perpanjang atau buat kerja sama baru.",
    )


def _beasiswa_putuskan(user, today):
    """Eligible applications to decide (access.can_decide_beasiswa): the province's HR all, a
    unit's HR their units'."""
    if not user.is_manager:
        return None
    # Ready once the atasan has spoken, or when there is no atasan to ask, or when the
    # registration closed without their word (HR decide then all the same).
    ready = (
        Q(rekomendasi__isnull=False)
        | Q(pegawai__atasan__isnull=True)
        | Q(program__pendaftaran_selesai__lt=today)
    )
    rows = PendaftaranBeasiswa.objects.filter(
        ready, status=PendaftaranBeasiswa.Status.MEMENUHI_SYARAT
    )
    if not user.manages_province:
        rows = rows.filter(_managed_pegawai(user))
    return (
        rows.exclude(pegawai__user=user)
        .select_related("pegawai", "program")
        .order_by("program__pendaftaran_selesai", "created_at", "pk")
    )


def _beasiswa_putuskan_item(pendaftaran, today):
    program = pendaftaran.program
    return Tugas(
        judul=f"Putuskan pendaftaran beasiswa {pendaftaran.pegawai.nama_lengkap}: {program}",
        url=pendaftaran.get_absolute_url(),
        sejak=timezone.localdate(pendaftaran.created_at),
        keterangan=f"{pendaftaran.rekomendasi_label}. Pendaftaran ditutup "
        f"{program.pendaftaran_selesai:%d/%m/%Y}.",
    )


# --- Pegawai ------------------------------------------------------------------------------


def _pengajuan_diputuskan(user, today):
    """The pegawai's own requests decided lately, for batches not over yet: to follow."""
    profil = user.pegawai_profil
    if profil is None:
        return None
    since = timezone.now() - timedelta(days=HARI_KEPUTUSAN_TAMPIL)
    return (
        Peserta.objects.filter(
            pegawai=profil,
            status__in=[
                Peserta.Status.TERDAFTAR,
                Peserta.Status.DAFTAR_TUNGGU,
                Peserta.Status.DITOLAK,
            ],
            updated_at__gte=since,
            angkatan__tanggal_selesai__gte=today,
        )
        .select_related("angkatan__pelatihan")
        .order_by("-updated_at", "pk")
    )


def _pengajuan_diputuskan_item(peserta, today):
    keterangan = peserta.get_status_display()
    if peserta.status == Peserta.Status.DITOLAK and peserta.alasan:
        keterangan += f": {peserta.alasan[:150]}"
    return Tugas(
        judul=f"Keputusan keikutsertaan Anda: {peserta.angkatan}",
        url=peserta.angkatan.get_absolute_url(),
        sejak=timezone.localdate(peserta.updated_at),
        keterangan=keterangan,
    )


JENIS = [
    Jenis("pelatihan_pengajuan_atasan", "Pengajuan pelatihan bawahan untuk disetujui", "atasan",
          _pengajuan_atasan, _pengajuan_atasan_item),
    Jenis("pelatihan_beasiswa_rekomendasi", "Pendaftaran beasiswa bawahan untuk direkomendasikan",
          "atasan", _beasiswa_rekomendasi, _beasiswa_rekomendasi_item),
    Jenis("pelatihan_kegiatan_atasan", "Kegiatan nonklasikal bawahan untuk diverifikasi",
          "atasan", _kegiatan_atasan, _kegiatan_verifikasi_item,
          semua_url=reverse_lazy("pelatihan:kegiatan_verifikasi")),
    Jenis("pelatihan_rencana_atasan", "Rencana pengembangan bawahan untuk dibahas", "atasan",
          _rencana_atasan, _rencana_atasan_item),
    Jenis("pelatihan_pengajuan_konfirmasi", "Pengajuan pelatihan disetujui atasan, menunggu "
          "konfirmasi", "pengelola", _pengajuan_konfirmasi, _pengajuan_konfirmasi_item),
    Jenis("pelatihan_kegiatan_verifikasi", "Kegiatan pengembangan eksternal untuk diverifikasi",
          "pengelola", _kegiatan_verifikasi, _kegiatan_verifikasi_item,
          semua_url=reverse_lazy("pelatihan:kegiatan_verifikasi")),
    Jenis("pelatihan_hasil", "Angkatan dengan nilai lengkap, kelulusan belum diputuskan",
          "pengelola", _hasil_belum_diputuskan, _hasil_belum_diputuskan_item),
    Jenis("pelatihan_kerja_sama", "Kerja sama perguruan tinggi segera berakhir", "pengelola",
          _kerja_sama_berakhir, _kerja_sama_berakhir_item,
          semua_url=reverse_lazy("pelatihan:mitra_list")),
    Jenis("pelatihan_beasiswa_putuskan", "Pendaftaran beasiswa untuk diputuskan", "pengelola",
          _beasiswa_putuskan, _beasiswa_putuskan_item,
          semua_url=reverse_lazy("pelatihan:beasiswa_list")),
    Jenis("pelatihan_pengajuan_diputuskan", "Pengajuan pelatihan Anda yang sudah diputuskan",
          "pantau", _pengajuan_diputuskan, _pengajuan_diputuskan_item),
]  # fmt: skip
