"""Who may do what in evaluation (domain.md §7; the vocabulary is pegawai.access).

An evaluation period is opened, closed and reopened by whoever may manage every unit in it; a
period that spans several OPDs belongs to the whole province, so only the pengelola provinsi and
administrators manage it. HR see the periods and climate rounds of their own units only. A
batch's L1–L3 evaluation names its participants and their scores: its organisers see it.
Change projects keep their rules in evaluasi.services (owner, mentor, the unit's HR)."""

from pegawai.access import ALLOWED, Verdict, deny, is_self
from pegawai.models import UnitKerja, User
from pelatihan.access import can_manage_angkatan, is_atasan_of
from pelatihan.models import Angkatan

from .models import (
    BerkasLaporan,
    LaporanPascaPelatihan,
    PenilaianKinerja,
    PeriodePenilaian,
    PeriodeUnit,
)


def _opd_path(unit: UnitKerja) -> str:
    """The path of the OPD (the tree's root) a unit belongs to."""
    return unit.path[: UnitKerja.steplen]


def can_manage_periode_units(user: User, units: list[UnitKerja]) -> Verdict:
    """Open, close or reopen a period over these units."""
    if user.manages_province:
        return ALLOWED
    if len({_opd_path(u) for u in units}) > 1:
        return deny(
            "Periode ini mencakup lebih dari satu OPD; yang membuka dan menutupnya pengelola "
            "provinsi (BKD/BPSDM) atau administrator."
        )
    if units and all(user.can_manage_unit(u) for u in units):
        return ALLOWED
    return deny(
        "Hanya pengelola yang mengelola semua unit dalam periode ini (atau pengelola provinsi) "
        "yang dapat membuka dan menutupnya."
    )


def can_manage_periode(user: User, periode: PeriodePenilaian) -> Verdict:
    units = [pu.unit for pu in periode.periode_units.select_related("unit")]
    return can_manage_periode_units(user, units)


def can_see_periode(user: User, periode: PeriodePenilaian) -> Verdict:
    """Its progress and spread: HR of any unit in it (they see their units' part)."""
    if user.manages_province:
        return ALLOWED
    if not user.is_manager:
        return deny("Halaman ini untuk pengelola kepegawaian.")
    if any(user.can_manage_unit_id(pu.unit_id) for pu in periode.periode_units.all()):
        return ALLOWED
    return deny("Periode ini bukan untuk unit kelolaan Anda.")


def can_set_predikat_organisasi(user: User, periode_unit: PeriodeUnit) -> Verdict:
    if user.manages_province or user.can_manage_unit_id(periode_unit.unit_id):
        return ALLOWED
    return deny("Predikat organisasi diisi oleh pengelola unit ini.")


def can_rate(user: User, pegawai) -> Verdict:
    if is_atasan_of(user, pegawai):
        return ALLOWED
    return deny("Hanya atasan langsung yang dapat menilai pegawai ini.")


def can_acknowledge(user: User, penilaian: PenilaianKinerja) -> Verdict:
    if is_self(user, penilaian.pegawai):
        return ALLOWED
    return deny("Hanya pegawai yang dinilai yang menyatakan mengetahui.")


def can_decide_laporan(user: User, laporan: LaporanPascaPelatihan) -> Verdict:
    """Verify or return a self-report: the pegawai's direct atasan, never about themself."""
    if is_self(user, laporan.pegawai):
        return deny("Laporan Anda sendiri diverifikasi oleh atasan langsung Anda.")
    if is_atasan_of(user, laporan.pegawai):
        return ALLOWED
    return deny("Hanya atasan langsung yang memverifikasi laporan ini.")


def can_see_angkatan_evaluasi(user: User, angkatan: Angkatan) -> Verdict:
    """Names and scores of a batch's participants: its organisers."""
    if can_manage_angkatan(user, angkatan):
        return ALLOWED
    return deny(
        "Evaluasi angkatan memuat nama dan nilai seluruh peserta; yang melihatnya pengelola "
        "unit penyelenggara, pengelola provinsi untuk pelatihan provinsi, atau administrator."
    )


def can_request_berkas(user: User, berkas: BerkasLaporan) -> Verdict:
    """An evaluation file (PDF, and the XLSX beside a unit's) of a subject within the user's
    rights now: a pegawai of their units, a batch they organise, a period's part in their unit."""
    if not user.is_manager:
        return deny("Berkas evaluasi diminta oleh pengelola kepegawaian.")
    if berkas.jenis == BerkasLaporan.Jenis.PEGAWAI:
        if user.can_manage_unit_id(berkas.pegawai.unit_id):  # Pegawai.objects.managed_by
            return ALLOWED
        return deny("Pegawai ini bukan pegawai unit kelolaan Anda.")
    if berkas.jenis == BerkasLaporan.Jenis.ANGKATAN:
        return can_see_angkatan_evaluasi(user, berkas.angkatan)
    return can_request_berkas_unit(user, berkas.periode_unit)


def can_request_berkas_unit(user: User, periode_unit: PeriodeUnit) -> Verdict:
    """A unit's evaluation file of a period: the unit's HR, not the province's HR who see every
    unit but make files of their own units only."""
    if not user.is_manager:
        return deny("Berkas evaluasi diminta oleh pengelola kepegawaian.")
    if user.can_manage_unit_id(periode_unit.unit_id):
        return ALLOWED
    return deny("Unit ini bukan unit kelolaan Anda.")


def can_see_berkas(user: User, berkas: BerkasLaporan) -> Verdict:
    """A made file, its status and its downloads: administrators; otherwise its requester, and
    only while they may still request it: a withdrawn unit or a pegawai moved away closes it."""
    if user.is_admin:
        return ALLOWED
    if berkas.diminta_oleh_id != user.pk:
        return deny("Berkas ini diminta oleh pengguna lain.")
    return can_request_berkas(user, berkas)
