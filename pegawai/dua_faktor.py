"""Two-factor sign-in (docs/dua-faktor.md): after the password, a six-digit code from an
authenticator app (TOTP, RFC 6238) or one of ten single-use recovery codes. Built on django-otp:
its TOTPDevice holds the key, refuses a code used before and throttles wrong codes (1, 2, 4, 8 ...
seconds between tries, per device); its StaticDevice holds the recovery codes and deletes each
one that is used.

Who must pass it is pegawai.access.needs_dua_faktor; the middleware (pegawai.middleware) sends
them here; the views (pegawai.views, dua_faktor_*) are interfaces to the functions below."""

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ResetDuaFaktor, User
from .notifikasi import notifikasi_buat
from .riwayat import waktu

JUMLAH_KODE_CADANGAN = 10
NAMA_TOTP = "Aplikasi autentikator"
NAMA_CADANGAN = "Kode cadangan"


@dataclass(frozen=True)
class Hasil:
    """The outcome of a code typed: the device that accepted it, or why none did."""

    device: TOTPDevice | StaticDevice | None
    pesan: str = ""
    kode_cadangan: bool = False  # a recovery code was used (and is gone)


def normalize(kode: str) -> str:
    """What people type: spaces and dashes between groups, upper case from the printed sheet."""
    return "".join(kode.split()).replace("-", "").lower()


def has_device(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def kode_cadangan_sisa(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Enrolment -------------------------------------------------------------------------------


def totp_pending(*, user: User) -> TOTPDevice:
    """The key being enrolled: the same one on every visit of the enrolment page until it is
    confirmed (a reload does not change the QR code already scanned)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=NAMA_TOTP, confirmed=False)
    return device


def kunci_teks(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed (base32), in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// URI as an inline SVG QR code: nothing leaves SIBINA to draw it."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, dark="#000", light="#fff", title="Kode QR kunci autentikator")
    return mark_safe(svg)  # segno's own markup, from our own key


@transaction.atomic
def totp_confirm(*, user: User, kode: str) -> tuple[Hasil, list[str]]:
    """The first code from the app proves the key was taken: the device is confirmed, any older
    one removed, and ten new recovery codes made (returned once, to be shown once)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).select_for_update().first()
    if device is None:
        return Hasil(None, "Halaman pendaftaran sudah kedaluwarsa; muat ulang dan pindai lagi."), []
    refused = _throttled(device)
    if refused:
        return Hasil(None, refused), []
    if not device.verify_token(normalize(kode)):  # a wrong code counts towards the throttle
        return Hasil(None, _salah(device)), []
    older = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
    if older.filter(confirmed=True).exists():
        _beritahu(
            user,
            kunci=f"dua_faktor:ganti:{device.pk}",
            judul="Aplikasi autentikator akun SIBINA Anda diganti",
            pesan=f"Aplikasi autentikator baru didaftarkan untuk akun Anda pada "
            f"{waktu(timezone.now())}; yang lama dan kode cadangan lama tidak berlaku lagi.",
        )
    older.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return Hasil(device), kode_cadangan_create(user=user)


@transaction.atomic
def kode_cadangan_create(*, user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=NAMA_CADANGAN, confirmed=True)
    tokens = [StaticToken.random_token() for _ in range(JUMLAH_KODE_CADANGAN)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])
    return [format_kode_cadangan(t) for t in tokens]


def format_kode_cadangan(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


# --- The second step at sign-in --------------------------------------------------------------


@transaction.atomic
def kode_verify(*, user: User, kode: str) -> Hasil:
    """A code typed after the password: six digits go to the authenticator key, anything else
    to the recovery codes (one used is deleted). Wrong codes are throttled per device."""
    kode = normalize(kode)
    if not kode:
        return Hasil(None, "Isi kode dari aplikasi autentikator atau salah satu kode cadangan.")
    if kode.isdigit() and len(kode) <= 8:
        device = (
            TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        )
        kode_cadangan = False
    else:
        device = (
            StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        )
        kode_cadangan = True
    if device is None:
        return Hasil(None, "Kode salah. Periksa kode di aplikasi autentikator Anda.")
    refused = _throttled(device)
    if refused:
        return Hasil(None, refused)
    if not device.verify_token(kode):
        return Hasil(None, _salah(device))
    if kode_cadangan:
        sisa = kode_cadangan_sisa(user)
        _beritahu(
            user,
            kunci=f"dua_faktor:kode_cadangan:{device.pk}:{sisa}",
            judul="Kode cadangan dipakai untuk masuk ke SIBINA",
            pesan=f"Satu kode cadangan dipakai untuk masuk ke akun Anda pada "
            f"{waktu(timezone.now())}; sisa {sisa} dari {JUMLAH_KODE_CADANGAN}.",
        )
    return Hasil(device, kode_cadangan=kode_cadangan)


def _beritahu(user: User, *, kunci: str, judul: str, pesan: str) -> None:
    """A change to the second step, told to its owner: a stolen password and recovery code
    should not go unnoticed."""
    bukan_anda = (
        " Bila bukan Anda, segera ubah kata sandi dan minta administrator SIBINA di BKD mereset "
        "verifikasi dua langkah akun Anda."
    )
    notifikasi_buat(
        penerima=user,
        kunci=f"{kunci}:{timezone.now():%Y%m%d%H%M%S%f}",  # a device id may come back (SQLite)
        judul=judul,
        pesan=pesan + bukan_anda,
        url=reverse("dua_faktor:status"),
    )


def _throttled(device) -> str:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return ""
    return (
        f"Terlalu banyak kode salah ({info['failure_count']} kali berturut-turut). Tunggu sampai "
        f"pukul {_jam(info['locked_until'])} WIB, lalu coba lagi dengan kode yang baru."
    )


def _salah(device) -> str:
    allowed, info = device.verify_is_allowed()
    tunggu = "" if allowed else f" Coba lagi setelah pukul {_jam(info['locked_until'])} WIB."
    return f"Kode salah atau sudah pernah dipakai.{tunggu}"


def _jam(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H.%M.%S")


# --- Switching it off -------------------------------------------------------------------------


@transaction.atomic
def dua_faktor_disable(*, user: User, kode: str) -> Hasil:
    """A login the role does not oblige switches the second step off, confirming with a current
    code from the app: its key and recovery codes are removed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update().first()
    if device is None:
        return Hasil(None, "Verifikasi dua langkah akun Anda sudah tidak aktif.")
    refused = _throttled(device)
    if refused:
        return Hasil(None, refused)
    if not device.verify_token(normalize(kode)):
        return Hasil(None, _salah(device))
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).delete()
    _beritahu(
        user,
        kunci=f"dua_faktor:mati:{device.pk}",
        judul="Verifikasi dua langkah akun SIBINA Anda dimatikan",
        pesan=f"Verifikasi dua langkah dimatikan pada {waktu(timezone.now())}: SIBINA kini "
        "hanya meminta kata sandi.",
    )
    return Hasil(device)


# --- A lost device ---------------------------------------------------------------------------


@transaction.atomic
def dua_faktor_reset(*, akun: User, oleh: User, alasan: str) -> ResetDuaFaktor:
    """An administrator removes every second-step device of a login (the phone was lost): its
    sessions stop counting as verified at once and its owner enrols again at the next sign-in.
    The row, with its reason, is what the audit log shows."""
    jumlah = 0
    for model in (TOTPDevice, StaticDevice):
        jumlah += model.objects.filter(user=akun, confirmed=True).count()
        model.objects.filter(user=akun).delete()
    reset = ResetDuaFaktor(
        akun=akun, direset_oleh=oleh, alasan=alasan.strip(), jumlah_perangkat=jumlah
    )
    reset._history_user = oleh
    reset._change_reason = reset.alasan  # the audit log's "Alasan" column
    reset.full_clean()
    reset.save()
    return reset
