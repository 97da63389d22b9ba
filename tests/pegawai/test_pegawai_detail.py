import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from pegawai import services
from pegawai.models import Golongan
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


def test_the_history_shows_names_with_their_opd_path_not_ids_for_a_new_unit(login, cast):
    pegawai = cast.pegawai_pegawai
    pegawai.unit = cast.dinkes
    services.pegawai_save(pegawai=pegawai, user=cast.admin)
    change = login(cast.admin).get(url(pegawai)).context["riwayat"][0].perubahan[0]
    assert (change.old, change.new) == (
        "Dinas Kesehatan › Bidang Pelayanan Kesehatan", "Dinas Kesehatan",
    )  # fmt: skip


def test_the_history_names_the_golongan_the_atasan_the_account_and_the_author(login, cast):
    pegawai = cast.pegawai_pegawai
    old_golongan, pegawai.golongan = pegawai.golongan, Golongan.objects.get(kode=33)
    pegawai.atasan, pegawai.user = cast.outsider_pegawai, factories.user("budi.baru")
    services.pegawai_save(pegawai=pegawai, user=cast.atasan, reason="SK")
    entry = login(cast.admin).get(url(pegawai)).context["riwayat"][0]
    assert entry.oleh == "Siti Atasan"
    assert {(c.field, c.old, c.new) for c in entry.perubahan} == {
        ("golongan", str(old_golongan), str(pegawai.golongan)),
        ("atasan langsung", "Siti Atasan", "Rina Luar"),
        # A login is named by its pegawai: the new one is Budi's now, the old one no one's.
        ("akun pengguna", "pegawai", "Budi Pegawai"),
    }
    assert not any("#" in c.old + c.new for c in entry.perubahan)


def test_the_history_shows_the_time_in_wib_to_the_minute(login, cast):
    pegawai = cast.pegawai_pegawai
    pegawai.telepon = "081200000001"
    services.pegawai_save(pegawai=pegawai, user=cast.pengelola)
    response = login(cast.pengelola).get(url(pegawai))
    moment = timezone.localtime(response.context["riwayat"][0].waktu)
    assert (
        f"{moment.day} {date_format(moment, 'F Y')} {moment:%H.%M} WIB" in response.content.decode()
    )


def test_the_atasan_page_lists_their_subordinates(login, cast):
    response = login(cast.atasan).get(url(cast.atasan_pegawai))
    assert [b["pk"] for b in response.context["sekitar"].bawahan] == [cast.pegawai_pegawai.pk]
    assert f'href="{url(cast.pegawai_pegawai)}">Budi Pegawai</a>' in response.content.decode()


def test_an_atasan_of_many_shows_the_first_fifty_and_counts_the_rest(login, cast):
    for number in range(52):
        factories.pegawai(cast.yankes, nama=f"Staf {number:02d}", atasan=cast.atasan_pegawai)
    response = login(cast.atasan).get(url(cast.atasan_pegawai))
    sekitar = response.context["sekitar"]
    assert [b["nama"] for b in sekitar.bawahan][:2] == ["Budi Pegawai", "Staf 00"]
    assert len(sekitar.bawahan) == 50 and sekitar.jumlah_bawahan == 53  # Budi Pegawai too
    assert "Bawahan langsung (53)" in response.content.decode()
    assert "dan 3 lainnya" in response.content.decode()


def test_the_supervisor_is_named_however_many_subordinates_sort_before_them(login, cast):
    """One read holds the supervisor and the subordinates: its limit must not cut them off."""
    for number in range(55):
        factories.pegawai(cast.yankes, nama=f"Anis {number:02d}", atasan=cast.pegawai_pegawai)
    response = login(cast.admin).get(url(cast.pegawai_pegawai))
    sekitar = response.context["sekitar"]
    assert sekitar.atasan["pk"] == cast.atasan_pegawai.pk
    assert sekitar.jumlah_bawahan == 55 and len(sekitar.bawahan) == 50
    nip = cast.atasan_pegawai.nip_tampil
    assert (
        f'Siti Atasan <span class="nip small text-secondary">{nip}</span>'
        in response.content.decode()
    )


def test_an_inactive_supervisor_is_still_named_and_inactive_subordinates_are_not_listed(
    login, cast
):
    services.pegawai_deactivate(pegawai=cast.atasan_pegawai, user=cast.admin, alasan="pensiun")
    page = login(cast.admin).get(url(cast.pegawai_pegawai))
    assert page.context["sekitar"].atasan["pk"] == cast.atasan_pegawai.pk
    services.pegawai_deactivate(pegawai=cast.pegawai_pegawai, user=cast.admin, alasan="pensiun")
    sekitar = login(cast.admin).get(url(cast.atasan_pegawai)).context["sekitar"]
    assert sekitar.bawahan == [] and sekitar.jumlah_bawahan == 0


def test_the_unit_golongan_and_jabatan_are_named_and_a_renamed_jabatan_at_once(login, cast):
    pegawai = cast.pegawai_pegawai
    page = login(cast.admin).get(url(pegawai)).content.decode()
    assert str(pegawai.golongan) in page and pegawai.unit.nama in page
    assert f"{pegawai.jabatan.nama} ({pegawai.jabatan.get_jenis_display()})" in page
    pegawai.jabatan.nama = "Pranata Komputer Ahli Muda"
    pegawai.jabatan.save()
    assert "Pranata Komputer Ahli Muda (" in login(cast.admin).get(url(pegawai)).content.decode()


def test_a_pppk_grade_is_named_as_the_golongan_table_names_it(login, cast):
    from pegawai.models import Golongan
    from pegawai.referensi import golongan_labels

    assert golongan_labels() == {g.kode: str(g) for g in Golongan.objects.all()}


def test_the_profile_leads_to_competencies_and_predicates_over_time(login, cast):
    page = login(cast.atasan).get(url(cast.pegawai_pegawai)).content.decode()
    assert reverse("evaluasi:kinerja_pegawai", args=[cast.pegawai_pegawai.pk]) in page
    assert reverse("pelatihan:kompetensi_pegawai", args=[cast.pegawai_pegawai.pk]) in page


def test_the_page_makes_the_same_queries_for_few_and_many_subordinates_and_changes(
    login, cast, django_assert_max_num_queries
):
    from tests.queries import cold_queries

    pegawai, client = cast.atasan_pegawai, login(cast.admin)

    def grow(subordinates: int, changes: int) -> None:
        for number in range(subordinates):
            factories.pegawai(cast.yankes, nama=f"Staf {number:02d}", atasan=pegawai)
        for number in range(changes):
            pegawai.unit = cast.dinkes if number % 2 else cast.yankes
            by = cast.admin if number % 3 else cast.pengelola
            services.pegawai_save(pegawai=pegawai, user=by, reason=f"perubahan {number}")

    grow(2, 2)
    with cold_queries() as small:
        client.get(url(pegawai))
    grow(60, 25)
    # Caches filled, the top bar, and the four career histories (one query each).
    with django_assert_max_num_queries(22), cold_queries() as large:
        response = client.get(url(pegawai))
    assert response.status_code == 200
    assert (
        len(response.context["riwayat"]) == 20 and response.context["sekitar"].jumlah_bawahan > 60
    )
    assert len(large) == len(small) + 1  # the subordinates counted: more than fifty
