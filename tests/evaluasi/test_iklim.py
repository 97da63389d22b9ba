"""The work-climate survey: anonymity by construction, groups of at least five, access."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from evaluasi import reports, services
from evaluasi.models import PartisipasiIklim, PutaranIklim, ResponIklim
from pegawai.models import Pegawai
from tests import factories

ALL_FOUR = {f"p{n}": 4 for n in range(1, 13)}


@pytest.fixture
def putaran(cast):
    putaran = PutaranIklim.objects.create(
        nama="Semester II 2026",
        tanggal_mulai=date(2026, 7, 1),
        tanggal_selesai=date(2026, 12, 31),
        dibuka_oleh=cast.pengelola,
    )
    putaran.units.set([cast.dinkes])
    return putaran


def test_an_answer_sheet_has_no_path_back_to_a_pegawai():
    fields = ResponIklim._meta.get_fields()
    related = {f.related_model for f in fields if f.is_relation}
    assert not related & {Pegawai, PartisipasiIklim} and "pegawai" not in {f.name for f in fields}
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields)
    assert isinstance(ResponIklim._meta.pk, models.UUIDField)  # no insertion order to join on
    participation = PartisipasiIklim._meta.get_fields()
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in participation)


def test_a_pegawai_answers_once(cast, putaran):
    services.iklim_answer(putaran=putaran, pegawai=cast.pegawai_pegawai, jawaban=ALL_FOUR)
    with pytest.raises(ValidationError, match="sudah mengisi"):
        services.iklim_answer(putaran=putaran, pegawai=cast.pegawai_pegawai, jawaban=ALL_FOUR)
    assert ResponIklim.objects.count() == 1


def test_only_pegawai_of_the_rounds_units_and_only_while_open(cast, putaran):
    with pytest.raises(ValidationError, match="tidak termasuk"):
        services.iklim_answer(putaran=putaran, pegawai=cast.outsider_pegawai, jawaban=ALL_FOUR)
    putaran.status = "ditutup"
    putaran.save()
    with pytest.raises(ValidationError, match="ditutup"):
        services.iklim_answer(putaran=putaran, pegawai=cast.pegawai_pegawai, jawaban=ALL_FOUR)


def answers(putaran, unit, count, score=4, teks=""):
    for _ in range(count):
        person = factories.pegawai(unit)
        services.iklim_answer(
            putaran=putaran, pegawai=person, jawaban=dict.fromkeys(ALL_FOUR, score), teks=teks
        )


def test_a_unit_under_five_merges_into_its_parent(cast, putaran):
    answers(putaran, cast.yankes, 3, score=2, teks="Beban kerja tinggi")
    answers(putaran, cast.dinkes, 2, score=4)
    groups, hidden = reports.hasil_iklim(putaran)
    assert [(g.unit, g.responden, [u.pk for u in g.digabung]) for g in groups] == [
        (cast.dinkes, 5, [cast.yankes.pk])
    ]
    assert groups[0].skor["atasan"] == 2.8 and hidden == 0
    assert groups[0].teks == ["Beban kerja tinggi"] * 3


def test_fewer_than_five_in_all_is_shown_nowhere_not_even_its_text(cast, putaran):
    answers(putaran, cast.yankes, 4, teks="Rahasia kecil")
    groups, hidden = reports.hasil_iklim(putaran)
    assert groups == [] and hidden == 4


def test_the_change_since_the_previous_round_per_dimension(cast, putaran):
    earlier = PutaranIklim.objects.create(
        nama="Semester I 2026",
        tanggal_mulai=date(2026, 1, 1),
        tanggal_selesai=date(2026, 6, 30),
        dibuka_oleh=cast.pengelola,
    )
    earlier.units.set([cast.dinkes])
    answers(earlier, cast.dinkes, 5, score=3)
    answers(putaran, cast.dinkes, 5, score=4)
    group = reports.hasil_iklim(putaran)[0][0]
    assert group.perubahan["kerja_sama"] == 1.0


def test_the_pages_per_role(login, cast, putaran):
    client = login(cast.pegawai)
    assert client.get(reverse("evaluasi:iklim_index")).status_code == 200
    data = {f"p{n}": "4" for n in range(1, 13)} | {"teks": ""}
    url = reverse("evaluasi:iklim_isi", args=[putaran.pk])
    bad = client.post(url, data | {"p1": "9"})
    assert "p1" in bad.context["form"].errors and not ResponIklim.objects.exists()
    client.post(url, data)
    assert ResponIklim.objects.count() == 1
    again = client.get(url).content.decode()  # filled: said so, no form
    assert "Anda sudah mengisi survei ini" in again and 'name="p1"' not in again
    client.post(url, data)
    assert ResponIklim.objects.count() == 1
    assert client.get(reverse("evaluasi:iklim_hasil", args=[putaran.pk])).status_code == 403
    assert (
        login(cast.pengelola).get(reverse("evaluasi:iklim_hasil", args=[putaran.pk])).status_code
        == 200
    )
    other = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(other)
    assert login(other).get(reverse("evaluasi:iklim_hasil", args=[putaran.pk])).status_code == 403


def test_hr_opens_a_round(login, cast):
    data = {
        "nama": "Semester I 2027",
        "tanggal_mulai": "2027-01-01",
        "tanggal_selesai": "2027-06-30",
        "units": [cast.dinkes.pk],
    }
    login(cast.pengelola).post(reverse("evaluasi:iklim_index"), data)
    assert PutaranIklim.objects.get().units.get() == cast.dinkes
    assert login(cast.pegawai).post(reverse("evaluasi:iklim_index"), data).status_code == 403


def test_a_units_head_is_who_supervises_there_and_reports_to_no_one_inside_it(cast):
    assert cast.atasan.unit_dipimpin == cast.yankes  # reports to no one
    assert cast.pegawai.unit_dipimpin is None  # supervises no one
    deputy_user = factories.user("wakil")
    deputy = factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai, user=deputy_user)
    factories.pegawai(cast.yankes, atasan=deputy)
    assert deputy_user.unit_dipimpin is None  # their atasan works in the same unit


def test_the_head_sees_the_groups_of_their_unit_only(login, cast, putaran):
    p2p = factories.unit("DINKES.P2P", "Bidang P2P", parent=cast.dinkes)
    answers(putaran, cast.yankes, 5, score=4, teks="Ruang kerja sempit")
    answers(putaran, p2p, 5, score=2, teks="Tidak boleh dibaca kepala yankes")
    url = reverse("evaluasi:iklim_hasil", args=[putaran.pk])
    page = login(cast.atasan).get(url)
    assert [g.unit for g in page.context["groups"]] == [cast.yankes]
    body = page.content.decode()
    assert "Ruang kerja sempit" in body and "Tidak boleh dibaca" not in body
    assert url in login(cast.atasan).get(reverse("evaluasi:iklim_index")).content.decode()
    assert login(cast.pegawai).get(url).status_code == 403
    assert login(cast.outsider).get(url).status_code == 403
    hr = login(cast.pengelola).get(url)
    assert [g.unit for g in hr.context["groups"]] == [cast.yankes, p2p]


def test_the_lowest_dimensions_propose_the_development_they_ask_for(cast, putaran):
    low_atasan = dict(ALL_FOUR, p3=1, p4=1, p11=2, p12=2)
    for _ in range(5):
        services.iklim_answer(
            putaran=putaran, pegawai=factories.pegawai(cast.dinkes), jawaban=low_atasan
        )
    (group,), _ = reports.hasil_iklim(putaran)
    assert [(u["dimensi"], u["kompetensi"]) for u in group.usulan] == [
        ("atasan", ["M.06"]),
        ("kerja_sama", ["M.02", "M.03"]),
    ]
    assert group.usulan[0]["uraian"] == "Coaching dan mentoring bagi atasan"
