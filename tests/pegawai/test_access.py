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
