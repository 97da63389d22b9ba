"""The evaluation policies called directly, for the cases the access matrices do not reach."""

from evaluasi import access
from evaluasi.models import LaporanPascaPelatihan, PenilaianKinerja, PeriodeUnit


def test_an_officer_managing_two_opds_still_leaves_a_period_over_both_to_the_province(
    cast_lengkap,
):
    cast = cast_lengkap
    cast.bkd.pengelola.add(cast.pengelola)
    both = access.can_manage_periode_units(cast.pengelola, [cast.dinkes, cast.bkd])
    assert not both and "lebih dari satu OPD" in both.message
    assert access.can_manage_periode_units(cast.pengelola, [cast.dinkes, cast.yankes])
    assert access.can_manage_periode_units(cast.provinsi, [cast.dinkes, cast.bkd])


def test_a_period_over_no_unit_is_nobodys_but_the_provinces(cast_lengkap):
    cast = cast_lengkap
    verdict = access.can_manage_periode_units(cast.pengelola, [])
    assert not verdict and verdict.message.startswith("Hanya pengelola yang mengelola semua unit")
    assert access.can_manage_periode_units(cast.provinsi, [])


def test_an_organisation_predicate_is_set_by_its_units_hr_or_the_province(cast_lengkap):
    cast = cast_lengkap
    periode_unit = PeriodeUnit(unit=cast.dinkes)
    assert access.can_set_predikat_organisasi(cast.pengelola, periode_unit)
    assert access.can_set_predikat_organisasi(cast.provinsi, periode_unit)
    assert not access.can_set_predikat_organisasi(cast.pengelola_lain, periode_unit)
    assert not access.can_set_predikat_organisasi(cast.atasan, periode_unit)


def test_only_the_direct_atasan_rates_and_only_the_rated_pegawai_acknowledges(cast):
    pegawai = cast.pegawai_pegawai
    assert access.can_rate(cast.atasan, pegawai)
    assert not access.can_rate(cast.pengelola, pegawai)
    assert not access.can_rate(cast.pegawai, pegawai)
    rating = PenilaianKinerja(pegawai=pegawai)
    assert access.can_acknowledge(cast.pegawai, rating)
    assert not access.can_acknowledge(cast.atasan, rating)


def test_a_self_report_is_decided_by_the_direct_atasan_never_by_its_author(cast):
    report = LaporanPascaPelatihan(pegawai=cast.pegawai_pegawai)
    assert access.can_decide_laporan(cast.atasan, report)
    assert not access.can_decide_laporan(cast.pegawai, report)
    assert not access.can_decide_laporan(cast.pengelola, report)


def test_hr_of_other_units_do_not_manage_a_period_of_dinas_kesehatan(cast_lengkap):
    assert not access.can_manage_periode_units(cast_lengkap.pengelola_lain, [cast_lengkap.dinkes])
