"""Who may do what with citizens' input (domain.md §5, §7; the vocabulary is pegawai.access).

Feedback, forums and surveys belong to the service unit's organisation unit: its pengelola
verify, forward, answer and close feedback and run forums (the views look rows up within their
units). Nobody moderates or answers a complaint that names themselves: the officer named replies
on their own page, and another manager decides."""

from pegawai.access import ALLOWED, ANOTHER_MANAGER, Verdict, deny
from pegawai.models import UnitKerja, User, unit_tree

from .models import Masukan, layanan_aktif


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


def petugas_unit_ids(user: User) -> list[int]:
    """The unit kerja whose active service units this login works at as an officer: their own
    unit or one above it (a service unit's officers are the pegawai of its unit and the units
    below, forms.petugas_pilihan). Read from the cached unit tree and active service units: no
    query, so a pegawai of no service unit costs the top bar nothing."""
    profil = user.pegawai_profil
    if profil is None or not profil.aktif:
        return []
    path = profil.unit.path
    ancestors = {path[:end] for end in range(UnitKerja.steplen, len(path) + 1, UnitKerja.steplen)}
    served = {layanan.unit_id for layanan in layanan_aktif().values()}
    return [unit.pk for unit in unit_tree() if unit.path in ancestors and unit.pk in served]


def can_respond_masukan(user: User, masukan: Masukan) -> Verdict:
    """The unit's answer: its HR, or an officer of the service unit once HR forwarded it."""
    unit_id = masukan.unit_layanan.unit_id
    officer = masukan.is_verified and unit_id in petugas_unit_ids(user)
    if not (user.can_manage_unit_id(unit_id) or officer):
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
