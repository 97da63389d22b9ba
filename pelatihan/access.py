"""Who may do what in competency development (domain.md §7; the vocabulary is pegawai.access).

A training belongs to its organising unit (`Pelatihan.unit_penyelenggara`): that unit's pengelola
run its batches, sessions, attendance, scores, results and certificates; a training without one
belongs to the province and is run by the pengelola provinsi. Other units' HR nominate their own
staff and see only them. What belongs to the whole province (the competency dictionary and the
jabatan standards, scholarship programs, university agreements) is changed by the pengelola
provinsi and administrators. Nobody decides about their own participation, claim or application.
"""

from pegawai.access import (
    ALLOWED,
    ANOTHER_MANAGER,
    Verdict,
    about_self,
    can_manage_anything,
    deny,
    is_self,
)
from pegawai.models import Pegawai, User

from .models import (
    Angkatan,
    KegiatanEksternal,
    Pelatihan,
    PendaftaranBeasiswa,
    Peserta,
    RencanaPengembangan,
)

PROVINCE_ONLY = "Hanya pengelola provinsi (BKD/BPSDM) atau administrator yang dapat mengubahnya."


def can_manage_province(user: User) -> Verdict:
    """The competency dictionary and standards, scholarship programs, university agreements."""
    return ALLOWED if user.manages_province else deny(PROVINCE_ONLY)


def can_create_pelatihan(user: User) -> Verdict:
    """Any manager organises trainings: for a unit they manage, or the province's own."""
    return can_manage_anything(user)


def can_manage_pelatihan(user: User, pelatihan: Pelatihan) -> Verdict:
    """Change a training and run its batches: its organising unit's pengelola."""
    if user.is_admin:
        return ALLOWED
    unit_id = pelatihan.unit_penyelenggara_id
    if unit_id is None:
        if user.is_pengelola_provinsi:
            return ALLOWED
        return deny(
            "Pelatihan ini diselenggarakan provinsi; yang menjalankannya pengelola provinsi "
            "(BKD/BPSDM) atau administrator."
        )
    if user.can_manage_unit_id(unit_id):
        return ALLOWED
    return deny(
        f"Pelatihan ini diselenggarakan {pelatihan.unit_penyelenggara}: hanya pengelola unit itu "
        "atau administrator yang dapat mengubah angkatan, kehadiran, nilai dan sertifikatnya. "
        "Anda dapat menominasikan dan melihat pegawai unit Anda sendiri."
    )


def can_manage_angkatan(user: User, angkatan: Angkatan) -> Verdict:
    return can_manage_pelatihan(user, angkatan.pelatihan)


def can_read_angkatan(user: User, angkatan: Angkatan) -> Verdict:
    """A batch's page and its "add to calendar" file (dates, place, sessions): every signed-in
    ASN, who may ask to join it; who takes part is filtered on the page itself."""
    return ALLOWED if user.is_active else deny("Akun Anda tidak aktif.")


def can_read_kalender_unit(user: User) -> Verdict:
    """The HR training calendar (pelatihan.kalender.unit_angkatan scopes it): every HR officer,
    of units or of the province, and administrators."""
    if user.is_manager:
        return ALLOWED
    return deny(
        "Kalender pelatihan unit diunduh oleh pengelola kepegawaian. Jadwal angkatan Anda sendiri "
        "ada di kalender pribadi Anda (menu akun, Kalender saya)."
    )


def can_change_angkatan(user: User, angkatan: Angkatan) -> Verdict:
    """A batch's dates, quota, pass mark and attendance threshold: its organisers, but not one
    who takes part in it (they would set the bar of their own result)."""
    verdict = can_manage_angkatan(user, angkatan)
    if not verdict:
        return verdict
    profil = user.pegawai_profil
    if (
        profil is not None
        and angkatan.peserta.filter(pegawai=profil, status__in=Peserta.ACTIVE).exists()
    ):
        return deny(
            "Anda peserta angkatan ini; angkatan, nilai lulus dan ambang kehadirannya diubah "
            f"oleh {ANOTHER_MANAGER}."
        )
    return ALLOWED


def can_nominate(user: User, angkatan: Angkatan) -> Verdict:
    """HR of any unit nominate their own staff (the view offers only those)."""
    return can_manage_anything(user)


def can_decide_peserta(user: User, peserta: Peserta) -> Verdict:
    """Scores, the result, the certificate and its revocation: the batch's organisers, never
    about their own participation."""
    verdict = can_manage_angkatan(user, peserta.angkatan)
    if not verdict:
        return verdict
    if is_self(user, peserta.pegawai):
        return about_self("menilai atau memutuskan")
    return ALLOWED


def _manages_participant(user: User, peserta: Peserta) -> bool:
    """The pengelola of the participant's unit, or of the batch."""
    return user.can_manage_unit_id(peserta.pegawai.unit_id) or bool(
        can_manage_angkatan(user, peserta.angkatan)
    )


def can_confirm_peserta(user: User, peserta: Peserta) -> Verdict:
    """Give the seat an atasan approved: the participant's or the batch's HR, not their own."""
    if not _manages_participant(user, peserta):
        return deny("Hanya pengelola unit pegawai ini atau pengelola penyelenggara angkatan.")
    if is_self(user, peserta.pegawai):
        return about_self("mengonfirmasi")
    return ALLOWED


def is_atasan_of(user: User, pegawai: Pegawai) -> bool:
    profil = user.pegawai_profil
    return profil is not None and pegawai.atasan_id == profil.pk


def can_approve_peserta(user: User, peserta: Peserta) -> Verdict:
    if is_atasan_of(user, peserta.pegawai):
        return ALLOWED
    return deny("Hanya atasan langsung pegawai ini yang dapat menyetujui.")


def can_reject_peserta(user: User, peserta: Peserta) -> Verdict:
    if is_self(user, peserta.pegawai):
        return deny("Untuk mundur, batalkan keikutsertaan Anda sendiri.")
    if is_atasan_of(user, peserta.pegawai) or _manages_participant(user, peserta):
        return ALLOWED
    return deny("Hanya atasan langsung, pengelola unit pegawai ini atau penyelenggara angkatan.")


def can_cancel_peserta(user: User, peserta: Peserta) -> Verdict:
    if is_self(user, peserta.pegawai) or _manages_participant(user, peserta):
        return ALLOWED
    return deny("Hanya pegawai yang bersangkutan, pengelola unitnya atau penyelenggara angkatan.")


def can_verify_kegiatan(user: User, kegiatan: KegiatanEksternal) -> Verdict:
    """An external activity's JP, never one's own: a non-classical one (coaching, mentoring,
    e-learning, belajar mandiri, …) the direct atasan, who saw it at work, and not HR, who see
    and audit it; a classical one, or one of a pegawai without an atasan with a login, the
    pengelola of the pegawai's unit (KegiatanEksternal explains the choice)."""
    if is_self(user, kegiatan.pegawai):
        if kegiatan.oleh_atasan:
            return deny("Kegiatan Anda sendiri diverifikasi atasan langsung Anda.")
        return about_self("memverifikasi")
    if kegiatan.oleh_atasan:
        if is_atasan_of(user, kegiatan.pegawai):
            return ALLOWED
        return deny(
            f"Kegiatan {kegiatan.get_jenis_display()} diverifikasi atasan langsung pegawai ini "
            f"({kegiatan.pegawai.atasan.nama_lengkap}); pengelola kepegawaian melihat dan "
            "mengauditnya."
        )
    if not user.can_manage_unit_id(kegiatan.pegawai.unit_id):
        return deny("Hanya pengelola unit pegawai ini yang dapat memverifikasi.")
    return ALLOWED


def can_see_kegiatan_verifikasi(user: User) -> Verdict:
    """The list of activities to verify: atasan and pengelola."""
    if user.is_manager or user.is_atasan:
        return ALLOWED
    return deny("Halaman ini untuk atasan dan pengelola kepegawaian.")


def can_read_aturan_jp(user: User) -> Verdict:
    """The rules' page: HR officers read what their pegawai's activities are credited by."""
    if user.is_manager:
        return ALLOWED
    return deny("Aturan konversi JP dibaca oleh pengelola kepegawaian; pegawai melihatnya pada "
                "formulir pencatatan kegiatan.")  # fmt: skip


def can_manage_aturan_jp(user: User) -> Verdict:
    """The JP conversion rules and their caps: administrators (domain.md §8)."""
    if user.is_admin:
        return ALLOWED
    return deny("Aturan konversi JP diubah oleh administrator SIBINA.")


def can_assess_kompetensi(user: User, pegawai: Pegawai) -> Verdict:
    if not user.can_manage_unit_id(pegawai.unit_id):
        return deny("Hanya pengelola unit pegawai ini yang mencatat penilaian kompetensi.")
    if is_self(user, pegawai):
        return about_self("menilai")
    return ALLOWED


def can_decide_beasiswa(user: User, pendaftaran: PendaftaranBeasiswa) -> Verdict:
    """An application: the pengelola of the applicant's unit or of the province, never their own."""
    pegawai = pendaftaran.pegawai
    if not (user.manages_province or user.can_manage_unit_id(pegawai.unit_id)):
        return deny("Hanya pengelola unit pendaftar atau pengelola provinsi yang memutuskan.")
    if is_self(user, pegawai):
        return about_self("memutuskan")
    if pendaftaran.menunggu_rekomendasi:
        return deny(pendaftaran.menunggu_rekomendasi_pesan)
    return ALLOWED


def can_recommend_pendaftaran(user: User, pendaftaran: PendaftaranBeasiswa) -> Verdict:
    """The recommendation on a scholarship application: the applicant's direct atasan only."""
    if is_self(user, pendaftaran.pegawai):
        return about_self("merekomendasikan")
    if is_atasan_of(user, pendaftaran.pegawai):
        return ALLOWED
    return deny("Hanya atasan langsung pendaftar yang memberi rekomendasi.")


# --- Individual development plans ---------------------------------------------------------
# The pegawai drafts and submits their own plan; their direct atasan agrees, changes or
# returns it (never their own); HR of the pegawai's unit and the province read it.


def can_read_rencana(user: User, rencana: RencanaPengembangan) -> Verdict:
    pegawai = rencana.pegawai
    if (
        is_self(user, pegawai)
        or is_atasan_of(user, pegawai)
        or user.manages_province
        or user.can_manage_unit_id(pegawai.unit_id)
    ):
        return ALLOWED
    return deny("Hanya pegawai ini, atasan langsungnya dan pengelola kepegawaian unitnya.")


def can_edit_rencana(user: User, rencana: RencanaPengembangan) -> Verdict:
    """Its lines: the pegawai while it is a draft or returned; the atasan while it waits for
    them. An agreed plan is locked."""
    Status = RencanaPengembangan.Status
    if rencana.status == Status.DISETUJUI:
        return deny("Rencana ini sudah disetujui atasan dan terkunci.")
    if is_self(user, rencana.pegawai):
        if rencana.status in RencanaPengembangan.DAPAT_DIUBAH_PEGAWAI:
            return ALLOWED
        return deny("Rencana Anda sedang menunggu atasan; atasan dapat mengubah atau "
                    "mengembalikannya kepada Anda.")  # fmt: skip
    if is_atasan_of(user, rencana.pegawai):
        if rencana.status == Status.DIAJUKAN:
            return ALLOWED
        return deny("Atasan mengubah rencana setelah pegawai mengajukannya.")
    return deny("Hanya pegawai ini (saat draf atau dikembalikan) dan atasan langsungnya (saat "
                "diajukan) yang dapat mengubah rencananya.")  # fmt: skip


def can_edit_baris(user: User, baris) -> Verdict:
    """A line of a plan: as its plan (can_edit_rencana), unless the province set it."""
    verdict = can_edit_rencana(user, baris.rencana)
    if verdict and baris.ditetapkan_provinsi:
        return deny("Baris ini ditetapkan oleh BKD/BPSDM (pengelola provinsi); hubungi mereka "
                    "untuk mengubah atau menghapusnya.")  # fmt: skip
    return verdict


def can_submit_rencana(user: User, rencana: RencanaPengembangan) -> Verdict:
    if not is_self(user, rencana.pegawai):
        return deny("Hanya pegawai yang bersangkutan yang mengajukan rencananya.")
    if rencana.status not in RencanaPengembangan.DAPAT_DIUBAH_PEGAWAI:
        return deny(f"Rencana ini berstatus {rencana.get_status_display().lower()}.")
    return ALLOWED


def can_decide_rencana(user: User, rencana: RencanaPengembangan) -> Verdict:
    """Agree or return: the direct atasan, never about their own plan."""
    if is_self(user, rencana.pegawai):
        return about_self("menyetujui")
    if not is_atasan_of(user, rencana.pegawai):
        return deny("Hanya atasan langsung pegawai ini yang menyetujui atau mengembalikan "
                    "rencananya.")  # fmt: skip
    if rencana.status != RencanaPengembangan.Status.DIAJUKAN:
        return deny(f"Rencana ini berstatus {rencana.get_status_display().lower()}.")
    return ALLOWED


def can_record_studi_lulus(user: User, pegawai: Pegawai) -> Verdict:
    """A study's graduation, which adds its degree to the pegawai's education history: the HR
    of their unit (who keep that history) or the province's, never the graduate themself."""
    if not (user.manages_province or user.can_manage_unit_id(pegawai.unit_id)):
        return deny("Kelulusan dicatat oleh pengelola unit pegawai atau pengelola provinsi.")
    if is_self(user, pegawai):
        return about_self("mencatat kelulusan")
    return ALLOWED
