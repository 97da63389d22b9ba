"""Who may do what with citizens' input (domain.md §5, §7; the vocabulary is pegawai.access).

Feedback, forums and surveys belong to the service unit's organisation unit: its pengelola
verify, forward, answer and close feedback and run forums (the views look rows up within their
units). Nobody moderates or answers a complaint that names themselves: the officer named replies
on their own page, and another manager decides."""

from pegawai.access import ALLOWED, ANOTHER_MANAGER, Verdict, deny
from pegawai.models import User

from .models import Masukan


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
