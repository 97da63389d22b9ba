"""Who may do what to pegawai and their accounts, and the small vocabulary every app's `access.py`
shares (STYLE.md, "Who may do what"). A policy is a function `can_<verb>_<noun>(user, obj)` that
returns a `Verdict`: true when allowed, otherwise false with the Indonesian message that says who
can act instead. Views call `require(verdict)`; templates test the verdict as a boolean.

Roles come from `User` (read from the database once per request, never cached): administrators,
pengelola provinsi (BKD/BPSDM), pengelola of unit subtrees, atasan, every pegawai."""

from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Pegawai, UnitKerja, User


class Verdict(NamedTuple):
    allowed: bool
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)

# Who acts when a manager may not decide about themselves (separation of duties, domain.md §7).
ANOTHER_MANAGER = "pengelola lain di unit Anda, pengelola provinsi (BKD/BPSDM) atau administrator"


def deny(message: str) -> Verdict:
    return Verdict(False, message)


def require(verdict: Verdict) -> None:
    """403 with the verdict's message unless it allows."""
    if not verdict:
        raise PermissionDenied(verdict.message)


def is_self(user: User, pegawai: Pegawai) -> bool:
    return pegawai.user_id is not None and pegawai.user_id == user.pk


def about_self(what: str) -> Verdict:
    return deny(f"Anda tidak dapat {what} data Anda sendiri. Yang dapat: {ANOTHER_MANAGER}.")


def require_manager(request) -> None:
    """403 unless the user is an admin or a pengelola kepegawaian (of units or the province)."""
    require(can_manage_anything(request.user))


def can_manage_anything(user: User) -> Verdict:
    if user.is_manager:
        return ALLOWED
    return deny("Halaman ini untuk pengelola kepegawaian.")


def can_search_units(user: User) -> Verdict:
    """The unit pickers' search (pegawai:unit_cari): the forms that have one are the managers';
    what it finds is the user's scope (pegawai.models.UNIT_LINGKUP)."""
    if user.is_manager:
        return ALLOWED
    return deny("Pencarian unit kerja untuk pengelola kepegawaian.")


def can_manage_pegawai(user: User, pegawai: Pegawai) -> Verdict:
    """Change a pegawai's record beyond their contact details: the pengelola of their unit, not
    the pegawai themself."""
    if not user.can_manage_unit_id(pegawai.unit_id):
        return deny("Hanya pengelola unit pegawai ini atau administrator yang dapat mengubahnya.")
    if is_self(user, pegawai):
        return about_self("mengubah")
    return ALLOWED


def can_change_contact(user: User, pegawai: Pegawai) -> Verdict:
    """Email and telephone: the pegawai themself too."""
    if is_self(user, pegawai) or user.can_manage_unit_id(pegawai.unit_id):
        return ALLOWED
    return deny("Hanya pegawai yang bersangkutan atau pengelola unitnya.")


def _has_rights_beyond(login: User, user: User) -> bool:
    """Whether a login may do something this user may not: an administrator (or staff of
    Django's admin), the province's HR for a user who is not, a pengelola of a unit outside this
    user's units."""
    if login.is_superuser or login.is_staff:
        return True
    if login.pengelola_provinsi and not user.pengelola_provinsi:
        return True
    theirs = UnitKerja.objects.managed_by_pengelola(login).values_list("pk", flat=True)
    return not set(theirs) <= user.unit_kelolaan_ids


def can_manage_account(user: User, pegawai: Pegawai) -> Verdict:
    """Deactivate, reactivate or invite the login of a pegawai (and the pegawai record with it):
    the pengelola of their unit, for a login with no more rights than their own; never their own
    login, and never undoing an administrator's deactivation."""
    verdict = can_manage_pegawai(user, pegawai)
    if not verdict:
        return verdict
    login = pegawai.user
    if login is None or user.is_admin:
        return ALLOWED
    if _has_rights_beyond(login, user):
        return deny(
            "Akun ini memiliki hak lebih luas dari Anda; hanya administrator yang dapat "
            "mengubahnya."
        )
    if not login.is_active and login.dinonaktifkan_admin:
        return deny(
            "Akun ini dinonaktifkan oleh administrator; hanya administrator yang dapat "
            "mengaktifkannya kembali."
        )
    return ALLOWED


def can_invite(user: User, pegawai: Pegawai) -> Verdict:
    """Send a pegawai the link that makes their login. The officer who last wrote the address
    may not send it themselves: one person alone never obtains a working login for somebody
    else; a second manager (or an administrator) sends it, vouching for the address."""
    verdict = can_manage_account(user, pegawai)
    if not verdict:
        return verdict
    if pegawai.email_diubah_oleh_id == user.pk and not user.is_admin:
        return deny(
            "Anda yang terakhir mengisi email pegawai ini, jadi undangan akunnya harus dikirim "
            "oleh orang lain yang memastikan alamat itu: pengelola lain di unit ini, pengelola "
            "provinsi atau administrator."
        )
    return ALLOWED


def can_resend_invitation(user: User, pegawai: Pegawai) -> Verdict:
    """Mail again the link of a login whose pegawai has not made a password yet (the first mail
    lost or expired): as inviting (can_invite), never for oneself."""
    login = pegawai.user
    if login is None or not login.is_active or login.has_usable_password():
        return deny("Undangan hanya dikirim ulang untuk akun yang belum membuat kata sandi.")
    if user.manages_province:  # who makes the accounts of whole units (the account pages)
        return can_invite_massal(user, pegawai)
    return can_invite(user, pegawai)


# --- Account administration (pegawai/views.py akun_*) ----------------------------------------
# Administrators and the province's HR manage logins across the province in SIBINA's own pages;
# a unit's HR invites or closes one pegawai's login from the pegawai page (can_manage_account).

ADMIN_ONLY_ACCOUNT = (
    "Akun ini memiliki hak lebih luas dari Anda; hanya administrator yang dapat mengubahnya."
)


def can_administer_accounts(user: User) -> Verdict:
    """The account pages: who has a login, accounts for a whole unit, pengelola of units."""
    if user.manages_province:
        return ALLOWED
    return deny(
        "Administrasi akun untuk administrator dan pengelola provinsi (BKD/BPSDM). Pengelola "
        "unit membuat atau menonaktifkan akun satu pegawai dari halaman pegawainya."
    )


def _beyond_province(account: User) -> bool:
    """Rights the province's HR may not change: an administrator's (or Django admin's staff),
    another province HR officer's."""
    return account.is_superuser or account.is_staff or account.pengelola_provinsi


def can_change_akun(user: User, account: User) -> Verdict:
    """Deactivate or reactivate a login: never one's own, and the province's HR only logins
    with no more rights than theirs, never undoing an administrator's deactivation."""
    verdict = can_administer_accounts(user)
    if not verdict:
        return verdict
    if account.pk == user.pk:
        return deny(
            "Anda tidak dapat menonaktifkan atau mengaktifkan akun Anda sendiri. Yang dapat: "
            "administrator lain."
        )
    if user.is_admin:
        return ALLOWED
    if _beyond_province(account):
        return deny(ADMIN_ONLY_ACCOUNT)
    if not account.is_active and account.dinonaktifkan_admin:
        return deny(
            "Akun ini dinonaktifkan oleh administrator; hanya administrator yang dapat "
            "mengaktifkannya kembali."
        )
    return ALLOWED


def can_assign_pengelola(user: User, account: User) -> Verdict:
    """Make a login pengelola of a unit, or withdraw it: never oneself (nobody grants rights to
    themselves), and the province's HR not for logins with more rights than theirs."""
    verdict = can_administer_accounts(user)
    if not verdict:
        return verdict
    if account.pk == user.pk:
        # Who may, then: of the province's HR, an administrator only (_beyond_province).
        who = (
            "administrator"
            if _beyond_province(account)
            else "administrator atau pengelola provinsi lain"
        )
        return deny(f"Anda tidak dapat mengubah peran pengelola Anda sendiri. Yang dapat: {who}.")
    if not user.is_admin and _beyond_province(account):
        return deny(ADMIN_ONLY_ACCOUNT)
    return ALLOWED


def can_invite_massal(user: User, pegawai: Pegawai) -> Verdict:
    """One pegawai of an account-for-the-whole-unit step: the officer who last wrote the address
    does not send its invitation (can_invite), and nobody makes their own."""
    if is_self(user, pegawai):
        return about_self("membuat akun untuk")
    if pegawai.email_diubah_oleh_id == user.pk and not user.is_admin:
        return deny("Anda yang terakhir mengisi email pegawai ini; undangannya dikirim orang lain.")
    return ALLOWED


def can_grant_peran(user: User, account: User) -> Verdict:
    """Make a login administrator or pengelola provinsi, or take it back: administrators only,
    never for themselves (the province's HR may not grant rights as wide as their own)."""
    if not user.is_admin:
        return deny(
            "Hanya administrator yang memberikan atau mencabut peran administrator dan "
            "pengelola provinsi."
        )
    if account.pk == user.pk:
        return deny("Anda tidak dapat mengubah peran Anda sendiri. Yang dapat: administrator lain.")
    return ALLOWED


def can_manage_hari_libur(user: User) -> Verdict:
    """The holiday calendar moves every working-day deadline and every batch's sessions:
    administrators keep it."""
    if user.is_admin:
        return ALLOWED
    return deny("Daftar hari libur dan cuti bersama dikelola oleh administrator.")


# --- Disciplinary records (PP 94/2021) ---------------------------------------------------------
# HR of the pegawai's unit record and correct them; the pegawai reads their own. Nobody else:
# not a colleague, not the atasan (who reports a breach, but does not keep the record), not the
# HR of another unit.


def can_read_disiplin(user: User, pegawai: Pegawai) -> Verdict:
    if is_self(user, pegawai) or user.can_manage_unit_id(pegawai.unit_id):
        return ALLOWED
    return deny(
        "Catatan hukuman disiplin hanya dibaca oleh pegawai yang bersangkutan, pengelola "
        "kepegawaian unitnya dan administrator."
    )


def can_manage_disiplin(user: User, pegawai: Pegawai) -> Verdict:
    """Record or correct a sanction: the HR of the pegawai's unit, never about themselves."""
    if not user.can_manage_unit_id(pegawai.unit_id):
        return deny(
            "Hukuman disiplin dicatat oleh pengelola kepegawaian unit pegawai ini atau "
            "administrator."
        )
    if is_self(user, pegawai):
        return about_self("mencatat hukuman disiplin pada")
    return ALLOWED


# --- Career history (riwayat) and moves (mutasi) ----------------------------------------------


def can_manage_riwayat(user: User, pegawai: Pegawai) -> Verdict:
    """Add, correct or remove a pegawai's history rows: the HR of their unit (as the record),
    never one's own."""
    if not user.can_manage_unit_id(pegawai.unit_id):
        return deny("Riwayat dikelola oleh pengelola unit pegawai ini atau administrator.")
    if is_self(user, pegawai):
        return about_self("mengubah riwayat")
    return ALLOWED


def can_mutasi_pegawai(user: User, pegawai: Pegawai) -> Verdict:
    """Move a pegawai to another unit: the HR of their unit (who lets them go), the province's
    HR or an administrator; never oneself."""
    if not (user.manages_province or user.can_manage_unit_id(pegawai.unit_id)):
        return deny(
            "Mutasi dicatat oleh pengelola unit pegawai ini, pengelola provinsi (BKD) atau "
            "administrator."
        )
    if is_self(user, pegawai):
        return about_self("memutasi")
    return ALLOWED


def can_read_riwayat_dokumen(user: User, pegawai: Pegawai, *, sampai) -> Verdict:
    """The scan of a decree or diploma: the pegawai themself, the HR of their unit, and the HR
    of a unit they left for the rows of the period they were theirs (`sampai`, the move's TMT,
    for a row of that period; None when the user sees the pegawai now). Not their atasan: a
    personnel file, not what supervising needs."""
    if is_self(user, pegawai) or user.can_manage_unit_id(pegawai.unit_id):
        return ALLOWED
    if sampai is not None:
        return ALLOWED
    return deny("Berkas SK hanya untuk pegawai yang bersangkutan dan pengelola unitnya.")


# --- Two-factor sign-in (pegawai.dua_faktor) --------------------------------------------------


def needs_dua_faktor(user: User) -> bool:
    """Whose password alone never opens SIBINA: administrators (and Django admin's staff), the
    province's HR and units' HR, who read and change other people's records. Read per request:
    a login made pengelola is asked for the second step from its very next page."""
    return user.is_active and (user.is_manager or user.is_staff or user.is_superuser)


DENGAN_APLIKASI = (
    "Anda masuk dengan kode cadangan, bukan dengan kode dari aplikasi autentikator. Untuk "
    "mengganti aplikasi, membuat kode cadangan baru atau mematikan verifikasi dua langkah, keluar "
    "lalu masuk lagi dengan kode dari aplikasi autentikator. Ponsel hilang? Minta administrator "
    "SIBINA di BKD mereset verifikasi dua langkah Anda, lalu daftarkan ponsel baru saat masuk "
    "berikutnya."
)


def can_change_dua_faktor(user: User) -> Verdict:
    """Replace the authenticator app or make new recovery codes (the old ones stop working):
    only from a session that passed the second step with the app itself. A recovery code is
    what a thief with the printed sheet has too; it must not let them lock the owner out."""
    if not user.is_verified():
        return deny(
            "Masukkan dulu kode dari aplikasi autentikator di halaman Verifikasi dua langkah."
        )
    if not isinstance(user.otp_device, TOTPDevice):
        return deny(DENGAN_APLIKASI)
    return ALLOWED


def can_disable_dua_faktor(user: User) -> Verdict:
    """Switch the second step off: a login the role does not oblige, from a session that passed
    it with the app (the view asks for a current code as well)."""
    if needs_dua_faktor(user):
        return deny(
            "Untuk peran Anda (pengelola atau administrator) verifikasi dua langkah wajib dan "
            "tidak dapat dimatikan."
        )
    return can_change_dua_faktor(user)


def can_reset_dua_faktor(user: User, account: User) -> Verdict:
    """Remove a login's second-step devices (a lost phone), so that its owner enrols again:
    administrators only, never their own (another administrator confirms who is asking)."""
    if not user.is_admin:
        return deny(
            "Hanya administrator yang dapat mereset verifikasi dua langkah; hubungi administrator "
            "SIBINA di BKD."
        )
    if account.pk == user.pk:
        return deny(
            "Anda tidak dapat mereset verifikasi dua langkah Anda sendiri. Yang dapat: "
            "administrator lain."
        )
    return ALLOWED


# --- SIASN reconciliation (docs/siasn.md) -----------------------------------------------------
# HR compares SIASN's employee export with SIBINA: a unit's HR for the units they manage, the
# province's HR and administrators for any unit or the whole province. A reconciliation is read
# by whoever may reconcile its scope (the HR colleagues of that unit too), never by another unit.

SIASN_WHO = (
    "Rekonsiliasi SIASN dilakukan oleh pengelola kepegawaian unit, pengelola provinsi (BKD) dan "
    "administrator."
)


def can_reconcile_siasn(user: User) -> Verdict:
    """The reconciliation pages at all."""
    if user.is_manager:
        return ALLOWED
    return deny(SIASN_WHO)


def can_reconcile_unit(user: User, unit_id: int | None) -> Verdict:
    """Compare SIASN with the pegawai of this unit's subtree (None: the whole province)."""
    if user.manages_province:
        return ALLOWED
    if unit_id is None:
        return deny("Rekonsiliasi seluruh provinsi hanya untuk pengelola provinsi (BKD) dan "
                    "administrator; pilih unit yang Anda kelola.")  # fmt: skip
    if unit_id in user.unit_kelolaan_ids:
        return ALLOWED
    return deny("Anda hanya dapat merekonsiliasi unit yang Anda kelola.")


def can_read_rekonsiliasi(user: User, rekonsiliasi) -> Verdict:
    """Same rule as RekonsiliasiSiasn.objects.visible_to, for one row."""
    return can_reconcile_unit(user, rekonsiliasi.unit_id)


def can_tindak_lanjut_selisih(user: User, selisih) -> Verdict:
    """Mark a difference handled (or not): who may read its reconciliation, never about their
    own record."""
    verdict = can_read_rekonsiliasi(user, selisih.rekonsiliasi)
    if not verdict:
        return verdict
    if selisih.pegawai is not None and is_self(user, selisih.pegawai):
        return about_self("menandai selisih SIASN pada")
    return ALLOWED
