"""The masyarakat app's kinds of inbox items (pembinaan.lib.inbox): feedback to verify and
forward (the unit's HR), forwarded feedback to answer (the officers HR assigned to the service
unit, by the 5-working-day SLA), and feedback past that SLA, followed up by the unit's head and HR.
Administrators, who may do any of it, are not asked to: the unit's own people are (and an
administrator's page reads no roles for it)."""

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy

from pegawai.models import tanggal_libur
from pembinaan.lib.inbox import Jenis, Tugas

from . import services
from .models import Masukan, UnitLayanan

S = Masukan.Status


def _masukan():
    return Masukan.objects.select_related("unit_layanan")


def _not_about(rows, user):
    """Separation of duties: nobody is asked to act on feedback that names them."""
    profil = user.pegawai_profil
    return rows if profil is None else rows.exclude(pegawai_dilayani_id=profil.pk)


def _verifikasi(user, today):
    # The HR of the service unit's unit kerja or of a unit above it (access.can_moderate_masukan).
    if user.is_admin or not user.unit_kelolaan_ids:
        return None
    rows = _masukan().filter(
        status=S.DITERIMA, unit_layanan__unit_id__in=sorted(user.unit_kelolaan_ids)
    )
    return _not_about(rows, user).order_by("created_at", "pk")


def _verifikasi_item(masukan, today, libur):
    return Tugas(
        judul=f"Verifikasi masukan {masukan.kode}: {masukan.get_kategori_display()} untuk "
        f"{masukan.unit_layanan}",
        url=reverse("masyarakat:masukan_detail", args=[masukan.pk]),
        sejak=timezone.localdate(masukan.created_at),
        jatuh_tempo=services.verifikasi_deadline(masukan, libur=libur),
        keterangan=masukan.isi[:120],
    )


def _tanggapi_rows(profil):
    """Forwarded feedback of the active service units this pegawai is an assigned officer of
    (access.can_respond_masukan), not about themselves."""
    return (
        _masukan()
        .filter(status=S.DITERUSKAN, unit_layanan__aktif=True, unit_layanan__petugas=profil)
        .exclude(pegawai_dilayani_id=profil.pk)
    )


def _layanan(user, today):
    profil = user.pegawai_profil
    if user.is_admin or profil is None or not profil.aktif:
        return None
    return _tanggapi_rows(profil).order_by("dimoderasi_at", "pk")


def _tanggapi_item(masukan, today, libur):
    return Tugas(
        judul=f"Tanggapi masukan {masukan.kode}: {masukan.get_kategori_display()} untuk "
        f"{masukan.unit_layanan}",
        url=reverse("masyarakat:masukan_detail", args=[masukan.pk]),
        sejak=timezone.localdate(masukan.dimoderasi_at) if masukan.dimoderasi_at else None,
        jatuh_tempo=services.tanggapan_deadline(masukan, libur=libur),
        keterangan=masukan.isi[:120],
    )


def _lewat_sla(user, today):
    """Forwarded feedback the unit has not answered within its SLA: for the head of the service
    unit's unit kerja and for its HR. The cutoff is a moment, so the database selects them. What
    this login must answer as an assigned officer is listed once, overdue, under _layanan."""
    if user.is_admin:
        return None
    head = user.unit_dipimpin
    units = set(user.unit_kelolaan_ids) | ({head.pk} if head is not None else set())
    if not units:
        return None
    cutoff = services.lewat_sla_sebelum(today, Masukan.HARI_TANGGAPAN, libur=tanggal_libur())
    rows = _masukan().filter(
        status=S.DITERUSKAN, dimoderasi_at__lt=cutoff, unit_layanan__unit_id__in=sorted(units)
    )
    profil = user.pegawai_profil
    if profil is not None and profil.aktif:
        rows = rows.exclude(pk__in=_tanggapi_rows(profil).values("pk"))
    return _not_about(rows, user).order_by("dimoderasi_at", "pk")


def _tanpa_petugas(user, today):
    """Forwarded feedback nobody else is asked to answer: its service unit is closed or has no
    active assigned officer but the one it names. Its HR answer it (access.can_respond_masukan)."""
    if user.is_admin or not user.unit_kelolaan_ids:
        return None
    officer = UnitLayanan.petugas.through.objects.filter(
        unitlayanan_id=OuterRef("unit_layanan_id"), pegawai__aktif=True
    ).exclude(pegawai_id=Coalesce(OuterRef("pegawai_dilayani_id"), Value(0)))
    rows = _masukan().filter(
        Q(unit_layanan__aktif=False) | ~Exists(officer),
        status=S.DITERUSKAN,
        unit_layanan__unit_id__in=sorted(user.unit_kelolaan_ids),
    )
    return _not_about(rows, user).order_by("dimoderasi_at", "pk")


def _lewat_sla_item(masukan, today, libur):
    item = _tanggapi_item(masukan, today, libur)
    return Tugas(
        judul=f"Masukan {masukan.kode} belum ditanggapi {masukan.unit_layanan} melewati batas "
        f"{Masukan.HARI_TANGGAPAN} hari kerja",
        url=item.url,
        sejak=item.sejak,
        jatuh_tempo=item.jatuh_tempo,
        keterangan=item.keterangan,
    )


def _judul_luar(aksi: str):
    """The title outside SIBINA (a calendar feed): the work and the service unit, never the
    tracking code (it opens the citizen's page) nor what the citizen wrote."""
    return lambda masukan: f"{aksi} masukan masyarakat \u2013 {masukan.unit_layanan.nama}"


_MENUNGGU = format_lazy("{}?status=diterima", reverse_lazy("masyarakat:masukan_list"))

# Their due dates are working days: each item is given the holidays (hari_kerja).
JENIS = [
    Jenis("masukan_verifikasi", "Masukan warga untuk diverifikasi dan diteruskan", "pengelola",
          _verifikasi, _verifikasi_item, semua_url=_MENUNGGU, hari_kerja=True,
          judul_luar=_judul_luar("Verifikasi")),
    Jenis("masukan_tanggapi", "Masukan warga diteruskan ke unit layanan Anda", "layanan",
          _layanan, _tanggapi_item, hari_kerja=True, judul_luar=_judul_luar("Tanggapi")),
    Jenis("masukan_tanpa_petugas", "Masukan warga diteruskan ke unit layanan tanpa petugas",
          "pengelola", _tanpa_petugas, _tanggapi_item, hari_kerja=True,
          judul_luar=_judul_luar("Tanggapi")),
    Jenis("masukan_lewat_sla", "Masukan warga melewati batas waktu tanggapan", "pantau",
          _lewat_sla, _lewat_sla_item, hari_kerja=True,
          judul_luar=_judul_luar("Pantau tanggapan")),
]  # fmt: skip
