"""Writes to citizens' feedback: moderation, the unit's response, the citizen's one reply, closing.
Moderation keeps the original text; every rejection carries its reason."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pembinaan.lib.dates import add_working_days

from . import impor, rekap
from .models import ForumDialog, Masukan, PendaftaranForum, ResponSurvei

S = Masukan.Status


def _locked(masukan: Masukan) -> Masukan:
    return Masukan.objects.select_for_update().get(pk=masukan.pk)


def _require(masukan: Masukan, *statuses: str) -> None:
    if masukan.status not in statuses:
        raise ValidationError(
            f"Masukan ini berstatus {masukan.get_status_display().lower()}; langkah ini tidak "
            "dapat dilakukan."
        )


@transaction.atomic
def masukan_moderate(*, masukan: Masukan, action: str, alasan: str = "") -> Masukan:
    """HR verifies and forwards it to the unit, or rejects it or marks it spam with a reason."""
    masukan = _locked(masukan)
    _require(masukan, S.DITERIMA)
    if action == "teruskan":
        masukan.status = S.DITERUSKAN
    elif action in ("tolak", "spam"):
        if not alasan.strip():
            raise ValidationError("Tuliskan alasan; teks asli masukan tetap disimpan.")
        masukan.status = S.DITOLAK if action == "tolak" else S.SPAM
        masukan.alasan_moderasi = alasan.strip()
    else:
        raise ValidationError("Tindakan tidak dikenal.")
    masukan.dimoderasi_at = timezone.now()
    masukan.save()
    return masukan


@transaction.atomic
def masukan_respond(*, masukan: Masukan, tanggapan: str) -> Masukan:
    if not tanggapan.strip():
        raise ValidationError("Tuliskan tanggapan unit.")
    masukan = _locked(masukan)
    _require(masukan, S.DITERUSKAN, S.DITANGGAPI)
    masukan.tanggapan = tanggapan.strip()
    masukan.status = S.DITANGGAPI
    masukan.ditanggapi_at = timezone.now()
    masukan.save()
    return masukan


def reply_deadline(masukan: Masukan) -> date | None:
    if masukan.ditanggapi_at is None:
        return None
    return add_working_days(timezone.localdate(masukan.ditanggapi_at), Masukan.HARI_BALAS)


@transaction.atomic
def masukan_reply(*, masukan: Masukan, balasan: str, today: date) -> Masukan:
    """The citizen answers the unit's response, once, within 10 working days."""
    masukan = _locked(masukan)
    _require(masukan, S.DITANGGAPI)
    if masukan.dibalas_at is not None:
        raise ValidationError("Anda sudah membalas tanggapan ini.")
    if today > reply_deadline(masukan):
        raise ValidationError("Batas waktu membalas (10 hari kerja setelah tanggapan) sudah lewat.")
    text = balasan.strip()
    if not text:
        raise ValidationError("Tuliskan balasan Anda.")
    masukan.balasan = text[:2000]
    masukan.dibalas_at = timezone.now()
    masukan.save()
    return masukan


@transaction.atomic
def masukan_close(*, masukan: Masukan) -> Masukan:
    masukan = _locked(masukan)
    _require(masukan, S.DITANGGAPI)
    masukan.status = S.SELESAI
    masukan.selesai_at = timezone.now()
    masukan.save()
    return masukan


def masukan_close_expired(*, today: date) -> int:
    """The daily job: a response left without a reply for 10 working days closes by itself."""
    closed = 0
    waiting = Masukan.objects.filter(status=S.DITANGGAPI, dibalas_at__isnull=True)
    for masukan in waiting.only("pk", "ditanggapi_at", "status"):
        if today > reply_deadline(masukan):
            Masukan.objects.filter(pk=masukan.pk, status=S.DITANGGAPI).update(
                status=S.SELESAI, ditutup_otomatis=True, selesai_at=timezone.now()
            )
            closed += 1
    return closed


def terlambat(masukan: Masukan, today: date) -> str | None:
    """The overdue flag HR sees: verification after 3 working days, a response after 5."""
    if masukan.status == S.DITERIMA:
        due = add_working_days(timezone.localdate(masukan.created_at), Masukan.HARI_VERIFIKASI)
        return "verifikasi terlambat" if today > due else None
    if masukan.status == S.DITERUSKAN and masukan.dimoderasi_at:
        due = add_working_days(timezone.localdate(masukan.dimoderasi_at), Masukan.HARI_TANGGAPAN)
        return "tanggapan terlambat" if today > due else None
    return None


# --- Dialogue forums ------------------------------------------------------------------------------


@transaction.atomic
def forum_register(
    *, forum: ForumDialog, nama: str, kontak: str, organisasi: str = ""
) -> PendaftaranForum:
    """A citizen registers; the capacity holds under the forum's row lock, then the waitlist."""
    forum = ForumDialog.objects.select_for_update().get(pk=forum.pk)
    if forum.status != ForumDialog.Status.DIRENCANAKAN or not forum.pendaftaran_dibuka:
        raise ValidationError("Pendaftaran forum ini sudah ditutup.")
    if not nama.strip() or not kontak.strip():
        raise ValidationError("Isi nama dan nomor telepon atau email.")
    taken = forum.pendaftar.filter(status=PendaftaranForum.Status.TERDAFTAR).count()
    status = (
        PendaftaranForum.Status.TERDAFTAR
        if taken < forum.kapasitas
        else PendaftaranForum.Status.DAFTAR_TUNGGU
    )
    return PendaftaranForum.objects.create(
        forum=forum,
        nama=nama.strip()[:100],
        kontak=kontak.strip()[:100],
        organisasi=organisasi.strip()[:150],
        status=status,
    )


@transaction.atomic
def forum_close(
    *, forum: ForumDialog, notulen: str, jumlah_hadir: int | None, masukan: list[tuple[str, str]]
) -> ForumDialog:
    """Close a forum: minutes and attendance are required; each input raised becomes a feedback
    item of the forum's unit, already forwarded to it."""
    forum = ForumDialog.objects.select_for_update().get(pk=forum.pk)
    if forum.status != ForumDialog.Status.DIRENCANAKAN:
        raise ValidationError("Forum ini sudah ditutup atau dibatalkan.")
    errors = {}
    if not notulen.strip():
        errors["notulen"] = "Notulen wajib diisi untuk menutup forum."
    if jumlah_hadir is None or jumlah_hadir < 0:
        errors["jumlah_hadir"] = "Isi jumlah peserta yang hadir."
    if errors:
        raise ValidationError(errors)
    forum.notulen = notulen.strip()
    forum.jumlah_hadir = jumlah_hadir
    forum.status = ForumDialog.Status.SELESAI
    forum.pendaftaran_dibuka = False
    forum.save()
    now = timezone.now()
    Masukan.objects.bulk_create(
        Masukan(
            unit_layanan_id=forum.unit_layanan_id,
            forum=forum,
            kategori=kategori,
            isi=isi.strip()[:2000],
            status=S.DITERUSKAN,
            dimoderasi_at=now,
        )
        for kategori, isi in masukan
        if isi.strip()
    )
    return forum


@transaction.atomic
def masukan_reply_pegawai(*, masukan: Masukan, tanggapan: str) -> Masukan:
    """The officer named in verified feedback writes their side."""
    masukan = _locked(masukan)
    if not masukan.is_verified:
        raise ValidationError("Masukan ini belum diverifikasi.")
    if not tanggapan.strip():
        raise ValidationError("Tuliskan tanggapan Anda.")
    masukan.tanggapan_pegawai = tanggapan.strip()[:2000]
    masukan.ditanggapi_pegawai_at = timezone.now()
    masukan.save()
    return masukan


@transaction.atomic
def survei_impor(*, header: list[str], rows: list[list], unit_layanan, tanggal: date):
    """Paper questionnaires: every row checked; all written, or none when any row is wrong."""
    hasil = impor.baca(header, rows, unit_layanan=unit_layanan, tanggal=tanggal)
    if not hasil.kesalahan:
        ResponSurvei.objects.bulk_create(hasil.respon)
        rekap.tambah(hasil.respon)
    return hasil


@transaction.atomic
def survei_simpan(respon: ResponSurvei) -> ResponSurvei:
    """One citizen's answers, counted into their month's IKM rollup with them."""
    respon.save()
    rekap.tambah([respon])
    return respon
