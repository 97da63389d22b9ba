"""Who may read what the program app shows (pegawai.access holds the shared vocabulary)."""

from django.conf import settings
from django.db.models import QuerySet

from masyarakat.models import UnitLayanan
from pegawai.access import ALLOWED, Verdict, deny, is_self
from pegawai.models import User


def can_read_audit(user: User) -> Verdict:
    """The audit log: administrators all of it; HR (of units, or of the province) what is
    about their units, and province HR the province's own kinds too (pembinaan.audit._scope).
    Pegawai and atasan see their own records' history on their pages instead."""
    if user.is_manager:
        return ALLOWED
    return deny("Log audit dibaca oleh administrator dan pengelola kepegawaian.")


def can_read_dampak(user: User) -> Verdict:
    """A training's measured impact (pembinaan.dampak): figures over groups of pegawai (none
    under settings.DAMPAK_MIN_KELOMPOK is shown), never a person. Every HR officer plans
    trainings from it, so all of them read it, with administrators."""
    if user.is_manager:
        return ALLOWED
    return deny("Dampak pelatihan dibaca oleh pengelola kepegawaian dan administrator.")


def can_read_dampak_layanan(user: User, unit_layanan) -> Verdict:
    """A service unit's measured impact of its officers' trainings (L4): whoever reads its IKM
    (the HR of its unit and administrators) and the province's HR, who run the trainings."""
    if user.manages_province or user.can_manage_unit_id(unit_layanan.unit_id):
        return ALLOWED
    return deny("Dampak pelatihan pada unit layanan ini dibaca oleh pengelola unitnya.")


def layanan_dampak_terbaca(user: User) -> QuerySet:
    """The service units whose impact this user reads (can_read_dampak_layanan, as a query)."""
    if user.manages_province:
        return UnitLayanan.objects.all()
    return UnitLayanan.objects.filter(unit_id__in=sorted(user.unit_kelolaan_ids))


# --- Talent management (PermenPANRB 3/2020) --------------------------------------------------
# Talent data (potential, placements, successors) is read by administrators, the province's HR
# and the talent committee, never by a pegawai's colleagues, unit HR or atasan; a pegawai sees
# their own box only when the province says so (settings.TALENTA_TERLIHAT_PEGAWAI).

TALENTA_READERS = "administrator, pengelola provinsi (BKD/BPSDM) dan komite talenta"


def is_komite_talenta(user: User) -> bool:
    """Whether this login sits on the talent committee: read from the database once per request
    (request.user is a new instance each request), never from a cache."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_komite_talenta"):
        from .models import AnggotaKomiteTalenta

        user._komite_talenta = AnggotaKomiteTalenta.objects.filter(user=user).exists()
    return user._komite_talenta


def can_read_talenta(user: User) -> Verdict:
    if user.manages_province or is_komite_talenta(user):
        return ALLOWED
    return deny(f"Data manajemen talenta hanya dibaca oleh {TALENTA_READERS}.")


def can_manage_talenta(user: User) -> Verdict:
    """Enter or import potential, designate critical positions and their successors, recompute
    the placements: the province's HR and administrators."""
    if user.manages_province:
        return ALLOWED
    return deny("Manajemen talenta dikelola oleh pengelola provinsi (BKD/BPSDM) dan administrator.")


def can_manage_talenta_pegawai(user: User, pegawai) -> Verdict:
    """Enter a pegawai's potential, or name them a successor: as can_manage_talenta, never
    about oneself (nobody scores or promotes themselves)."""
    verdict = can_manage_talenta(user)
    if not verdict:
        return verdict
    if is_self(user, pegawai):
        return deny(
            "Anda tidak dapat mencatat potensial atau menjadikan diri sendiri kandidat suksesi. "
            "Yang dapat: pengelola provinsi lain atau administrator."
        )
    return ALLOWED


def can_calibrate_penempatan(user: User, penempatan) -> Verdict:
    """Move a placement to another box: a member of the talent committee or an administrator
    (who changes everything), never about themselves."""
    if not (user.is_admin or is_komite_talenta(user)):
        return deny("Kalibrasi penempatan talenta dilakukan oleh anggota komite talenta.")
    if is_self(user, penempatan.pegawai):
        return deny(
            "Anda tidak dapat mengkalibrasi penempatan Anda sendiri. Yang dapat: anggota komite "
            "talenta lainnya."
        )
    return ALLOWED


def can_manage_komite(user: User, member: User | None = None) -> Verdict:
    """Appoint or remove committee members: administrators and the province's HR, never
    themselves (nobody grants rights to themselves)."""
    if not user.manages_province:
        return deny("Komite talenta diatur oleh administrator dan pengelola provinsi (BKD/BPSDM).")
    if member is not None and member.pk == user.pk:
        return deny(
            "Anda tidak dapat mengangkat atau memberhentikan diri sendiri sebagai anggota komite. "
            "Yang dapat: administrator atau pengelola provinsi lain."
        )
    return ALLOWED


def can_see_own_talenta(user: User) -> Verdict:
    """A pegawai's own box: only when the province shows it to its pegawai."""
    if user.pegawai_profil is None:
        return deny("Halaman ini untuk pegawai yang memiliki data kepegawaian.")
    if not settings.TALENTA_TERLIHAT_PEGAWAI:
        return deny(
            "Pemerintah provinsi tidak menampilkan kotak talenta kepada pegawai. Tanyakan "
            "kepada BKD bila Anda memerlukan hasil pemetaan Anda."
        )
    return ALLOWED


def can_use_kalender_pribadi(user: User) -> Verdict:
    """One's own calendar feed: every active login, for itself only (the views take no other)."""
    return ALLOWED if user.is_active else deny("Akun Anda tidak aktif.")
