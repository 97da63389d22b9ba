"""The moderation policy called directly, for the cases the access matrices do not reach."""

from masyarakat.access import can_moderate_masukan
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
