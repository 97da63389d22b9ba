"""Creating and changing a pegawai through the form."""

import re

from django.urls import reverse

from pegawai.models import Pegawai
from tests import factories

CREATE = reverse("pegawai:create")


def valid_data(cast, **overrides) -> dict:
    return {
        "nip": "19900315 201503 1 002",
        "gelar_depan": "",
        "nama": "Ahmad Fauzi",
        "gelar_belakang": "S.Kom.",
        "status_kepegawaian": "pns",
        "jenis_kelamin": "L",
        "tempat_lahir": "Jambi",
        "tanggal_lahir": "15/03/1990",
        "tmt_cpns": "2015-03-01",
        "tmt_pns": "2016-03-01",
        "golongan": 32,
        "tmt_golongan": "2019-04-01",
        "jabatan": cast.pegawai_pegawai.jabatan_id,
        "tmt_jabatan": "2022-01-01",
        "unit": cast.yankes.pk,
        "atasan": cast.atasan_pegawai.nip_tampil,
        "pendidikan_terakhir": "s1",
        "email": "ahmad@jambiprov.go.id",
        "telepon": "0812",
    } | overrides


def test_pengelola_adds_a_pegawai_with_a_grouped_nip(login, cast):
    response = login(cast.pengelola).post(CREATE, valid_data(cast))
    pegawai = Pegawai.objects.get(nip="199003152015031002")
    assert response.status_code == 302 and response["Location"] == pegawai.get_absolute_url()
    assert pegawai.atasan == cast.atasan_pegawai
    assert pegawai.history.get().history_user == cast.pengelola


def test_the_golongan_select_groups_pns_ruang_and_pppk_grades(login, cast):
    page = login(cast.pengelola).get(CREATE).content.decode()
    select = re.search(r'<select name="golongan".*?</select>', page, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == ["PNS", "PPPK"]
    assert '<option value="32">III/b – Penata Muda Tingkat I</option>' in groups[0][1]
    assert '<option value="109">PPPK IX</option>' in groups[1][1]
    # A grade chosen from its group is saved as before.
    data = valid_data(cast, status_kepegawaian="pppk", golongan=109, tmt_pns="")
    data["nip"] = "19900315 202321 1 002"
    response = login(cast.pengelola).post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Pegawai.objects.get(nama="Ahmad Fauzi").golongan_id == 109


def test_an_invalid_nip_shows_the_form_again_and_saves_nothing(login, cast):
    response = login(cast.pengelola).post(CREATE, valid_data(cast, nip="19901315201503 1 002"))
    assert response.status_code == 200
    assert "bukan tanggal" in response.context["form"].errors["nip"][0]
    assert not Pegawai.objects.filter(nama="Ahmad Fauzi").exists()


def test_a_birth_date_that_disagrees_with_the_nip_is_shown_on_its_field(login, cast):
    response = login(cast.pengelola).post(CREATE, valid_data(cast, tanggal_lahir="16/03/1990"))
    assert "tidak sesuai dengan NIP" in response.context["form"].errors["tanggal_lahir"][0]


def test_an_unknown_atasan_nip_is_explained(login, cast):
    response = login(cast.pengelola).post(CREATE, valid_data(cast, atasan="199001012015031999"))
    assert "Tidak ada pegawai dengan NIP ini" in response.context["form"].errors["atasan"][0]


def test_an_inactive_atasan_is_named_only_inside_the_users_scope(login, cast):
    for atasan, expected in ((cast.atasan_pegawai, "Siti Atasan"), (cast.outsider_pegawai, None)):
        Pegawai.objects.filter(pk=atasan.pk).update(aktif=False, alasan_nonaktif="pensiun")
        response = login(cast.pengelola).post(CREATE, valid_data(cast, atasan=atasan.nip))
        error = response.context["form"].errors["atasan"][0]
        assert error.startswith(expected or "Pegawai dengan NIP ini") and "nonaktif" in error
    assert "Rina Luar" not in response.content.decode()


def test_a_duplicate_nip_is_refused(login, cast):
    data = valid_data(cast, nip=cast.pegawai_pegawai.nip)
    response = login(cast.pengelola).post(CREATE, data)
    assert "nip" in response.context["form"].errors


def test_a_pengelola_cannot_place_a_pegawai_outside_their_units(login, cast):
    response = login(cast.pengelola).post(CREATE, valid_data(cast, unit=cast.bkd.pk))
    assert "unit" in response.context["form"].errors
    assert not Pegawai.objects.filter(nama="Ahmad Fauzi").exists()


def test_pegawai_and_atasan_may_not_add_pegawai(login, cast):
    assert login(cast.pegawai).get(CREATE).status_code == 403
    assert login(cast.atasan).post(CREATE, valid_data(cast)).status_code == 403


def test_anonymous_is_sent_to_login(client, cast):
    assert client.get(CREATE).status_code == 302


def update_url(pegawai):
    return reverse("pegawai:update", args=[pegawai.pk])


def test_the_update_form_shows_the_atasan_nip(login, cast):
    response = login(cast.pengelola).get(update_url(cast.pegawai_pegawai))
    assert response.context["form"].initial["atasan"] == cast.atasan_pegawai.nip_tampil


def test_pengelola_changes_a_pegawai_and_the_history_records_it(login, cast):
    pegawai = cast.pegawai_pegawai
    form = login(cast.pengelola).get(update_url(pegawai)).context["form"]
    data = {name: form[name].value() for name in form.fields} | {"telepon": "081399999999"}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = login(cast.pengelola).post(update_url(pegawai), data)
    assert response.status_code == 302
    pegawai.refresh_from_db()
    assert pegawai.telepon == "081399999999"
    assert pegawai.history.first().history_change_reason == "Diubah lewat formulir"


def test_the_atasan_may_see_but_not_change_a_subordinate(login, cast):
    assert login(cast.atasan).get(update_url(cast.pegawai_pegawai)).status_code == 403


def test_an_outsider_gets_404(login, cast):
    assert login(cast.outsider).get(update_url(cast.pegawai_pegawai)).status_code == 404


def test_a_pengelola_gets_404_for_a_pegawai_of_another_unit(login, cast):
    assert login(cast.pengelola).get(update_url(cast.outsider_pegawai)).status_code == 404


def _groups(response) -> dict[str, list[str]]:
    choices = response.context["form"].fields["jabatan"].choices
    return {label: [nama for _, nama in options] for label, options in choices[1:]}


def test_a_units_hr_is_offered_the_units_jabatan_first_in_a_searchable_select(login, cast):
    factories.jabatan("Perawat Ahli Pertama", "fungsional", "ahli_pertama")
    factories.jabatan("Analis Anggaran", "pelaksana")
    factories.pegawai(cast.bkd, jabatan=factories.jabatan("Analis Anggaran"))
    response = login(cast.pengelola).get(CREATE)
    assert _groups(response) == {
        "Jabatan di unit ini": ["Pengadministrasi Perkantoran"],
        "Jabatan lain": ["Analis Anggaran", "Perawat Ahli Pertama"],
    }
    page = response.content.decode()
    assert 'data-cari="Ketik untuk mencari jabatan…"' in page
    assert 'src="/static/js/select-cari.js"' in page
    # The grouping only orders the list: any jabatan may still be chosen.
    other = factories.jabatan("Perawat Ahli Pertama")
    login(cast.pengelola).post(CREATE, valid_data(cast, jabatan=other.pk))
    assert Pegawai.objects.get(nip="199003152015031002").jabatan == other


def test_an_administrator_changing_a_pegawai_sees_the_jabatan_of_its_opd_first(login, cast):
    factories.pegawai(cast.bkd, jabatan=factories.jabatan("Analis Anggaran"))
    url = reverse("pegawai:update", args=[cast.outsider_pegawai.pk])
    groups = _groups(login(cast.admin).get(url))
    assert groups["Jabatan di unit ini"] == ["Analis Anggaran", "Pengadministrasi Perkantoran"]
