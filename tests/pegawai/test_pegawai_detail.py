import pytest
from django.urls import reverse

from pegawai import services
from tests import factories


def url(pegawai):
    return reverse("pegawai:detail", args=[pegawai.pk])


def test_anonymous_is_sent_to_login(client, cast):
    assert client.get(url(cast.pegawai_pegawai)).status_code == 302


@pytest.mark.parametrize("who", ["admin", "pengelola", "atasan", "pegawai"])
def test_those_who_may_see_the_pegawai_get_the_profile(login, cast, who):
    response = login(getattr(cast, who)).get(url(cast.pegawai_pegawai))
    assert response.status_code == 200
    assert cast.pegawai_pegawai.nip_tampil in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "pegawai"])
def test_others_get_404_rather_than_a_hint_that_the_pegawai_exists(login, cast, who):
    target = cast.atasan_pegawai if who == "pegawai" else cast.pegawai_pegawai
    assert login(getattr(cast, who)).get(url(target)).status_code == 404


def test_the_edit_button_is_shown_only_to_those_who_may_change(login, cast):
    edit = reverse("pegawai:update", args=[cast.pegawai_pegawai.pk])
    assert edit in login(cast.pengelola).get(url(cast.pegawai_pegawai)).content.decode()
    assert edit not in login(cast.atasan).get(url(cast.pegawai_pegawai)).content.decode()


def test_the_history_says_who_changed_what(login, cast):
    pegawai = cast.pegawai_pegawai
    pegawai.telepon = "081200000001"
    services.pegawai_save(pegawai=pegawai, user=cast.pengelola, reason="Nomor baru")
    response = login(cast.pengelola).get(url(pegawai))
    entry = response.context["riwayat"][0]
    assert entry.oleh == "pengelola" and entry.alasan == "Nomor baru"
    assert [(c.field, c.old, c.new) for c in entry.perubahan] == [("telepon", "–", "081200000001")]


def test_the_history_shows_names_not_ids_for_a_new_unit(login, cast):
    pegawai = cast.pegawai_pegawai
    pegawai.unit = cast.dinkes
    services.pegawai_save(pegawai=pegawai, user=cast.admin)
    change = login(cast.admin).get(url(pegawai)).context["riwayat"][0].perubahan[0]
    assert (change.old, change.new) == ("Bidang Pelayanan Kesehatan", "Dinas Kesehatan")


def test_the_atasan_page_lists_their_subordinates(login, cast):
    response = login(cast.atasan).get(url(cast.atasan_pegawai))
    assert list(response.context["bawahan"]) == [cast.pegawai_pegawai]


def test_an_atasan_of_many_shows_the_first_fifty_and_counts_the_rest(login, cast):
    for number in range(52):
        factories.pegawai(cast.yankes, nama=f"Staf {number:02d}", atasan=cast.atasan_pegawai)
    response = login(cast.atasan).get(url(cast.atasan_pegawai))
    assert len(response.context["bawahan"]) == 50
    assert response.context["bawahan_count"] == 53  # Budi Pegawai too
    assert "Bawahan langsung (53)" in response.content.decode()
    assert "dan 3 lainnya" in response.content.decode()


def test_the_profile_leads_to_competencies_and_predicates_over_time(login, cast):
    page = login(cast.atasan).get(url(cast.pegawai_pegawai)).content.decode()
    assert reverse("evaluasi:kinerja_pegawai", args=[cast.pegawai_pegawai.pk]) in page
    assert reverse("pelatihan:kompetensi_pegawai", args=[cast.pegawai_pegawai.pk]) in page
