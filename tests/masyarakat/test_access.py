"""The moderation policy called directly, for the cases the access matrices do not reach."""

from masyarakat.access import (
    can_manage_petugas_layanan,
    can_moderate_masukan,
    can_respond_masukan,
)
from masyarakat.models import Masukan, UnitLayanan
from tests import factories


def test_a_complaint_is_moderated_by_its_units_hr_other_than_the_officer_it_names(cast_lengkap):
    # The officer who moderates was created after the one named (a larger id).
    cast = cast_lengkap
    later = factories.user("pengelola_baru")
    cast.dinkes.pengelola.add(later)
    named = cast.pengelola_pegawai_pegawai
    masukan = Masukan(unit_layanan=UnitLayanan(unit=cast.dinkes), pegawai_dilayani=named)
    assert later.pk > named.user_id
    assert can_moderate_masukan(later, masukan)
    assert can_moderate_masukan(cast.pengelola, masukan)
    assert not can_moderate_masukan(cast.pengelola_pegawai, masukan)
    assert not can_moderate_masukan(cast.pengelola_lain, masukan)


def test_a_forwarded_complaint_is_answered_by_its_hr_and_the_officers_assigned_only(cast_lengkap):
    cast = cast_lengkap
    layanan = UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Antre", status="diteruskan"
    )
    assert can_respond_masukan(cast.pengelola, masukan)  # no officer yet: HR answer
    assert not can_respond_masukan(cast.pegawai, masukan)  # a pegawai of the unit only
    layanan.petugas.add(cast.pegawai_pegawai)
    assert can_respond_masukan(cast.pegawai, masukan)
    assert can_respond_masukan(cast.pengelola, masukan)  # HR still may
    assert not can_respond_masukan(cast.atasan, masukan)
    masukan.status = "diterima"  # not yet verified and forwarded: HR's alone
    assert not can_respond_masukan(cast.pegawai, masukan)
    type(cast.pegawai_pegawai).objects.filter(pk=cast.pegawai_pegawai.pk).update(
        aktif=False, alasan_nonaktif="pindah"
    )
    masukan.status = "diteruskan"
    assert not can_respond_masukan(type(cast.pegawai).objects.get(pk=cast.pegawai.pk), masukan)


def test_the_officers_are_assigned_by_the_hr_who_moderate_the_unit(cast_lengkap):
    cast = cast_lengkap
    layanan = UnitLayanan(unit=cast.yankes, nama="Poli Umum")
    assert can_manage_petugas_layanan(cast.pengelola, layanan)  # HR of Dinas Kesehatan, above
    assert can_manage_petugas_layanan(cast.admin, layanan)
    for nobody in (cast.pengelola_lain, cast.atasan, cast.pegawai, cast.provinsi):
        assert not can_manage_petugas_layanan(nobody, layanan)
