"""Who may do what with citizens' input (domain.md §5, §7; the vocabulary is pegawai.access).

Feedback, forums and surveys belong to the service unit's organisation unit: its pengelola
verify, forward, answer and close feedback and run forums (the views look rows up within their
units), and assign the officers who answer forwarded feedback for a service unit. Nobody
moderates or answers a complaint that names themselves: the officer named replies on their own
page, and another manager decides."""

from pegawai.access import ALLOWED, ANOTHER_MANAGER, Verdict, deny
from pegawai.models import User

from .models import Masukan, UnitLayanan


def can_moderate_masukan(user: User, masukan: Masukan) -> Verdict:
    if not user.can_manage_unit_id(masukan.unit_layanan.unit_id):
        return deny("Hanya pengelola unit layanan ini yang menindaklanjuti masukannya.")
    named = masukan.pegawai_dilayani
    if named is not None and named.user_id == user.pk:
        return deny(
            "Masukan ini menyebut Anda sebagai petugas; tanggapi lewat halaman Masukan warga "
            f"Anda. Yang memverifikasi dan menindaklanjutinya: {ANOTHER_MANAGER}."
        )
    return ALLOWED


def is_petugas_layanan(user: User, unit_layanan: UnitLayanan) -> bool:
    """Whether this login is an active officer HR assigned to this active service unit (one
    small query)."""
    profil = user.pegawai_profil
    if profil is None or not profil.aktif or not unit_layanan.aktif:
        return False
    return unit_layanan.petugas.filter(pk=profil.pk).exists()


def can_manage_petugas_layanan(user: User, unit_layanan: UnitLayanan) -> Verdict:
    """Who answer a service unit's forwarded feedback is chosen by those who moderate it."""
    if not user.can_manage_unit_id(unit_layanan.unit_id):
        return deny("Hanya pengelola unit layanan ini yang menetapkan petugasnya.")
    return ALLOWED


def can_manage_volume_layanan(user: User, unit_layanan: UnitLayanan) -> Verdict:
    """The quarterly service volume: entered by the HR who run the service unit's feedback and
    survey, whose counters know it."""
    if not user.can_manage_unit_id(unit_layanan.unit_id):
        return deny("Hanya pengelola unit layanan ini yang mengisi volume layanannya.")
    return ALLOWED


def can_respond_masukan(user: User, masukan: Masukan) -> Verdict:
    """The unit's answer: its HR, or an officer HR assigned to the service unit once they
    forwarded it."""
    if not (
        user.can_manage_unit_id(masukan.unit_layanan.unit_id)
        or (masukan.is_verified and is_petugas_layanan(user, masukan.unit_layanan))
    ):
        return deny(
            "Hanya pengelola atau petugas unit layanan ini yang menanggapi masukan yang sudah "
            "diteruskan."
        )
    named = masukan.pegawai_dilayani
    if named is not None and named.user_id == user.pk:
        return deny(
            "Masukan ini menyebut Anda sebagai petugas; tanggapi lewat halaman Masukan warga "
            f"Anda. Yang menanggapinya atas nama unit: {ANOTHER_MANAGER}."
        )
    return ALLOWED
