"""Who sees and changes which pegawai: the rules every view relies on."""

from pegawai import access
from pegawai.models import Pegawai
from tests import factories


def test_admin_sees_everyone(cast):
    assert Pegawai.objects.visible_to(cast.admin).count() == 3


def test_pengelola_sees_the_pegawai_of_their_unit_subtree_only(cast):
    visible = set(Pegawai.objects.visible_to(cast.pengelola))
    assert visible == {cast.atasan_pegawai, cast.pegawai_pegawai}


def test_atasan_sees_themselves_and_their_direct_subordinates(cast):
    below = factories.pegawai(cast.yankes, atasan=cast.pegawai_pegawai)
    visible = set(Pegawai.objects.visible_to(cast.atasan))
    assert visible == {cast.atasan_pegawai, cast.pegawai_pegawai}
    assert below not in visible


def test_pegawai_sees_only_themselves(cast):
    assert list(Pegawai.objects.visible_to(cast.pegawai)) == [cast.pegawai_pegawai]


def test_only_admin_and_pengelola_of_the_unit_may_change_a_pegawai(cast):
    pegawai = cast.pegawai_pegawai
    assert access.can_manage_pegawai(cast.admin, pegawai)
    assert access.can_manage_pegawai(cast.pengelola, pegawai)
    assert not access.can_manage_pegawai(cast.atasan, pegawai)
    assert not access.can_manage_pegawai(cast.pegawai, pegawai)
    assert not access.can_manage_pegawai(cast.pengelola, cast.outsider_pegawai)


def test_roles_are_derived_from_the_data(cast):
    assert cast.admin.is_admin and not cast.pengelola.is_admin
    assert cast.pengelola.is_pengelola and not cast.atasan.is_pengelola
    assert cast.atasan.is_atasan and not cast.pegawai.is_atasan
    assert cast.pegawai.pegawai_profil == cast.pegawai_pegawai


def test_a_pengelola_sees_their_own_subordinate_outside_their_units(cast):
    from pegawai.models import User

    pengelola_pegawai = factories.pegawai(cast.yankes, nama="Pengelola", user=cast.pengelola)
    inside = factories.pegawai(cast.yankes, nama="Staf Dalam", atasan=pengelola_pegawai)
    login = User.objects.get(pk=cast.pengelola.pk)  # as the next request loads it
    assert not login.sees_beyond_managed_units
    where = str(Pegawai.objects.visible_to(login).query).split("WHERE")[1]
    assert "atasan_id" not in where  # the units suffice
    inside.unit = cast.bkd  # moved to a unit the pengelola does not manage
    inside.save()
    login = User.objects.get(pk=cast.pengelola.pk)
    assert login.sees_beyond_managed_units
    assert inside in Pegawai.objects.visible_to(login)
    assert cast.outsider_pegawai not in Pegawai.objects.visible_to(login)


def test_contact_details_are_the_pegawais_own_and_their_unit_hrs(cast):
    pegawai = cast.pegawai_pegawai
    assert access.can_change_contact(cast.pegawai, pegawai)
    assert access.can_change_contact(cast.pengelola, pegawai)
    assert not access.can_change_contact(cast.atasan, pegawai)
    assert not access.can_change_contact(cast.outsider, pegawai)


def test_hr_manages_the_login_of_another_hr_of_exactly_their_units(cast_lengkap):
    # Same units on both sides: the other login has no rights beyond this officer's.
    cast = cast_lengkap
    assert access.can_manage_account(cast.pengelola, cast.pengelola_pegawai_pegawai)


def test_a_province_hr_login_is_managed_by_the_province_not_by_a_units_hr(cast_lengkap):
    cast = cast_lengkap
    provinsi_pegawai = factories.pegawai(cast.yankes, nama="Wati Provinsi", user=cast.provinsi)
    other = factories.user("provinsi_lain", pengelola_provinsi=True)
    cast.dinkes.pengelola.add(other)
    assert not access.can_manage_account(cast.pengelola, provinsi_pegawai)
    assert access.can_manage_account(other, provinsi_pegawai)


def test_an_officer_invites_a_pegawai_whose_email_another_officer_wrote(cast_lengkap):
    # The address was written by an officer created after this one (a larger id): only the
    # writer is refused.
    cast = cast_lengkap
    pegawai = cast.pegawai_pegawai
    pegawai.user = None
    pegawai.email_diubah_oleh = cast.pengelola_pegawai
    assert cast.pengelola_pegawai.pk > cast.pengelola.pk
    assert access.can_invite(cast.pengelola, pegawai)
    assert not access.can_invite(cast.pengelola_pegawai, pegawai)


def test_a_login_of_djangos_admin_staff_is_managed_by_an_administrator_only(cast):
    staff = factories.user("staf_admin", is_staff=True)
    staff_pegawai = factories.pegawai(cast.yankes, nama="Eko Staf", user=staff)
    assert not access.can_manage_account(cast.pengelola, staff_pegawai)
    assert access.can_manage_account(cast.admin, staff_pegawai)
