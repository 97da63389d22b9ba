from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from pegawai.models import Golongan, Pegawai
from tests import factories


def test_it_rejects_a_birth_date_that_disagrees_with_the_nip(cast):
    pegawai = factories.pegawai(cast.yankes, save=False)
    pegawai.tanggal_lahir = date(1990, 1, 1)
    with pytest.raises(ValidationError) as error:
        pegawai.full_clean()
    assert "tidak sesuai dengan NIP" in error.value.message_dict["tanggal_lahir"][0]


def test_it_rejects_a_gender_that_disagrees_with_the_nip(cast):
    pegawai = factories.pegawai(cast.yankes, gender="L", save=False)
    pegawai.jenis_kelamin = "P"
    with pytest.raises(ValidationError) as error:
        pegawai.full_clean()
    assert "Laki-laki" in error.value.message_dict["jenis_kelamin"][0]


def test_it_rejects_a_pppk_golongan_for_a_pns(cast):
    pegawai = factories.pegawai(cast.yankes, save=False)
    pegawai.golongan = Golongan.objects.get(kode=109)
    with pytest.raises(ValidationError) as error:
        pegawai.full_clean()
    assert "golongan" in error.value.message_dict


def test_a_pppk_needs_no_tmt_cpns(cast):
    pegawai = factories.pegawai(cast.yankes, status="pppk")
    assert pegawai.pk and pegawai.tmt_cpns is None


def test_a_pns_needs_tmt_cpns_and_tmt_pns(cast):
    pegawai = factories.pegawai(cast.yankes, save=False, tmt_cpns=None, tmt_pns=None)
    with pytest.raises(ValidationError) as error:
        pegawai.full_clean()
    assert {"tmt_cpns", "tmt_pns"} <= set(error.value.message_dict)


def test_a_pegawai_cannot_be_their_own_atasan(cast):
    pegawai = cast.pegawai_pegawai
    pegawai.atasan = pegawai
    with pytest.raises(ValidationError) as error:
        pegawai.full_clean()
    assert "dirinya sendiri" in error.value.message_dict["atasan"][0]


def test_the_database_also_refuses_a_pegawai_as_their_own_atasan(cast):
    with pytest.raises(IntegrityError):
        Pegawai.objects.filter(pk=cast.pegawai_pegawai.pk).update(atasan=cast.pegawai_pegawai.pk)


def test_it_refuses_a_cycle_of_supervisors(cast):
    atasan = cast.atasan_pegawai
    atasan.atasan = cast.pegawai_pegawai  # the pegawai already reports to this atasan
    with pytest.raises(ValidationError) as error:
        atasan.full_clean()
    assert "melingkar" in error.value.message_dict["atasan"][0]


def test_the_full_name_carries_the_academic_titles(cast):
    pegawai = factories.pegawai(
        cast.yankes, nama="Ahmad Fauzi", gelar_depan="dr.", gelar_belakang="M.Kes.", save=False
    )
    assert pegawai.nama_lengkap == "dr. Ahmad Fauzi, M.Kes."


def test_masa_kerja_counts_years_and_months_since_tmt_cpns(cast):
    pegawai = factories.pegawai(cast.yankes, save=False)
    assert pegawai.masa_kerja(on=date(2026, 11, 27)) == (16, 10)


def test_age_and_service_are_counted_on_the_wib_day_whatever_zone_the_process_runs_in(
    cast, time_machine
):
    # 23:30 UTC on 31 December is 06:30 WIB on 1 January; a ZoneInfo destination also sets the
    # process's own zone (what date.today() reads) to UTC.
    time_machine.move_to(datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    pegawai = factories.pegawai(
        cast.yankes, tanggal_lahir=date(1990, 1, 1), tmt_cpns=date(2015, 1, 1), save=False
    )
    assert pegawai.usia() == 37
    assert pegawai.masa_kerja() == (12, 0)


def test_a_unit_subtree_includes_its_sub_units(cast):
    inside = Pegawai.objects.di_unit(cast.dinkes)
    assert set(inside) == {cast.atasan_pegawai, cast.pegawai_pegawai}
    assert set(Pegawai.objects.di_unit(cast.bkd)) == {cast.outsider_pegawai}
