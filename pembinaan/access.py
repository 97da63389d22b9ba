"""Who may read what the program app shows (pegawai.access holds the shared vocabulary)."""

import ipaddress

from django.conf import settings
from django.db.models import Q, QuerySet

from masyarakat.models import UnitLayanan
from pegawai.access import ALLOWED, Verdict, deny, is_self
from pegawai.models import Pegawai, UnitKerja, User
from pelatihan.models import Peserta


def can_read_audit(user: User) -> Verdict:
    """The audit log: administrators all of it; HR (of units, or of the province) what is
    about their units, and province HR the province's own kinds too (pembinaan.audit._scope).
    Pegawai and atasan see their own records' history on their pages instead."""
    if user.is_manager:
        return ALLOWED
    return deny("Log audit dibaca oleh administrator dan pengelola kepegawaian.")


def can_read_laporan_monitoring(user: User) -> Verdict:
    """The program's monitoring reports (list, status, PDF) and asking for an ended period's
    report: administrators and the province's HR (BKD/BPSDM), who monitor the program for the
    whole province (domain.md §7). A report covers every OPD and is the same whoever asks for
    it (made once per period), so no unit HR reads it: their unit's figures are on their pages."""
    if user.manages_province:
        return ALLOWED
    return deny("Laporan monitoring dibaca oleh administrator dan pengelola provinsi (BKD/BPSDM).")


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


# --- API clients (pembinaan.api, docs/api.md) -------------------------------------------------
# Tokens are issued and revoked by administrators. A client system reads what the HR of its
# units read on the pages (a unit covers its subtree, as a pengelola's assignment does), and with
# write scope records what those HR record: the same scope, asked of the token instead of a login.


def can_manage_klien_api(user: User) -> Verdict:
    if user.is_admin:
        return ALLOWED
    return deny("Token API diterbitkan dan dicabut oleh administrator SIBINA.")


def can_revoke_klien_api(user: User, klien) -> Verdict:
    verdict = can_manage_klien_api(user)
    if verdict and not klien.is_aktif:
        return deny(f"Token {klien.nama} sudah dicabut.")
    return verdict


class CakupanKlien:
    """What one API client reaches, read from the database once per request (the client is
    loaded anew by each call's authentication), never from a cache: a unit withdrawn from a
    token counts from the next call."""

    def __init__(self, klien):
        self.klien = klien
        paths = [u.path for u in klien.units.all()]
        self.unit_ids = frozenset(
            UnitKerja.objects.subtrees(paths).order_by().values_list("pk", flat=True)
        )

    def has_unit(self, unit_id: int | None) -> bool:
        return unit_id in self.unit_ids

    def pegawai(self) -> QuerySet:
        """The pegawai whose records the client reads: those of its units (as
        Pegawai.objects.managed_by for a pengelola)."""
        return Pegawai.objects.filter(unit_id__in=sorted(self.unit_ids))

    def peserta(self) -> QuerySet:
        """Participations of its pegawai, and every participation of the batches its units
        organise (the organisers see all their participants; other units' HR their own)."""
        ids = sorted(self.unit_ids)
        return Peserta.objects.filter(
            Q(pegawai__unit_id__in=ids) | Q(angkatan__pelatihan__unit_penyelenggara_id__in=ids)
        )

    def unit_layanan(self) -> QuerySet:
        """Service units whose IKM the client reads: those of its units (masyarakat's IKM page
        shows a pengelola the service units of the units they manage)."""
        return UnitLayanan.objects.filter(unit_id__in=sorted(self.unit_ids))


def can_api_write(klien) -> Verdict:
    if klien.can_write:
        return ALLOWED
    return deny(
        f"Token {klien.nama} hanya untuk membaca. Minta administrator SIBINA menerbitkan token "
        "dengan cakupan baca dan tulis."
    )


def can_api_record_for(cakupan: CakupanKlien, pegawai) -> Verdict:
    """Record something about a pegawai (an external activity, a nomination): write scope and
    the pegawai inside the client's units, as the pages let the HR of those units."""
    verdict = can_api_write(cakupan.klien)
    if not verdict:
        return verdict
    if not cakupan.has_unit(pegawai.unit_id):
        return deny("Pegawai ini di luar unit kerja token ini.")
    return ALLOWED


def can_read_metrik(address: str | None) -> Verdict:
    """The Prometheus metrics (/metrics): the monitoring system's address only, from the
    networks in METRIKA_IZIN (the loopback by default), whoever is signed in. The address is
    the client's as pembinaan.lib.client_address reads it (through TRUSTED_PROXIES): a request
    from outside that came through the proxy is the outside client's, and is refused; so is one
    whose forwarded chain cannot be read (None)."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return deny("Metrik hanya untuk sistem pemantauan.")
    if parsed.version == 6 and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    if any(parsed in network for network in settings.METRIKA_IZIN):
        return ALLOWED
    return deny("Metrik hanya untuk sistem pemantauan.")
