"""The training policies called directly, for each role of the cast, on a participant of Dinas
Kesehatan's Bidang Yankes in a batch that BKD organises: who confirms, approves, rejects and
cancels, and who records a competency assessment. The expected verdicts are written out here."""

import pytest

from pelatihan import access
from pelatihan.models import Peserta
from tests import factories

ROLES = ["self", "atasan", "unit_hr", "organiser", "outsider"]
EXPECTED = {
    # The participant's or the batch's HR gives the seat; nobody their own.
    "can_confirm_peserta": {"unit_hr", "organiser"},
    # Only the direct atasan approves.
    "can_approve_peserta": {"atasan"},
    # The atasan or HR refuse; the participant withdraws instead.
    "can_reject_peserta": {"atasan", "unit_hr", "organiser"},
    # The participant, their unit's HR or the organiser withdraw a participation.
    "can_cancel_peserta": {"self", "unit_hr", "organiser"},
}


@pytest.fixture
def peserta(cast_lengkap):
    cast = cast_lengkap
    batch = factories.angkatan(factories.pelatihan(unit_penyelenggara=cast.bkd))
    return Peserta.objects.create(angkatan=batch, pegawai=cast.pegawai_pegawai)


def user_for(cast, role):
    return {
        "self": cast.pegawai,
        "atasan": cast.atasan,
        "unit_hr": cast.pengelola,
        "organiser": cast.pengelola_lain,
        "outsider": cast.outsider,
    }[role]


@pytest.mark.parametrize("policy", EXPECTED)
def test_each_role_on_a_participation(cast_lengkap, peserta, policy):
    verdicts = {
        role: bool(getattr(access, policy)(user_for(cast_lengkap, role), peserta)) for role in ROLES
    }
    assert verdicts == {role: role in EXPECTED[policy] for role in ROLES}


def test_hr_confirms_no_participation_of_their_own(cast_lengkap):
    cast = cast_lengkap
    batch = factories.angkatan(factories.pelatihan(unit_penyelenggara=cast.bkd))
    own = Peserta.objects.create(angkatan=batch, pegawai=cast.pengelola_pegawai_pegawai)
    assert not access.can_confirm_peserta(cast.pengelola_pegawai, own)
    assert access.can_confirm_peserta(cast.pengelola, own)


def test_a_competency_assessment_is_for_the_pegawais_unit_hr_never_their_own(cast_lengkap):
    cast = cast_lengkap
    assert access.can_assess_kompetensi(cast.pengelola, cast.pegawai_pegawai)
    assert not access.can_assess_kompetensi(cast.pengelola_lain, cast.pegawai_pegawai)
    assert not access.can_assess_kompetensi(cast.atasan, cast.pegawai_pegawai)
    own = cast.pengelola_pegawai_pegawai
    assert not access.can_assess_kompetensi(cast.pengelola_pegawai, own)


def test_only_the_direct_atasan_approves_a_request(cast):
    # The request's atasan is created between two other pegawai, so one has a smaller id than
    # the atasan and one a larger: neither may approve.
    before = cast.outsider
    atasan_user = factories.user("atasan_baru")
    atasan = factories.pegawai(cast.bkd, nama="Ani Atasan", user=atasan_user, gender="P")
    request = Peserta(pegawai=factories.pegawai(cast.bkd, nama="Joko Staf", atasan=atasan))
    after = factories.user("sesudah")
    factories.pegawai(cast.bkd, nama="Tono Sesudah", user=after)

    assert before.pegawai_profil.pk < atasan.pk < after.pegawai_profil.pk
    assert access.can_approve_peserta(atasan_user, request)
    assert not access.can_approve_peserta(before, request)
    assert not access.can_approve_peserta(after, request)
