"""Account administration in SIBINA's own pages (/akun/): administrators and the province's HR
see who has a login, make the logins of a whole unit, close and reopen them with a reason, and
assign the pengelola of units; nobody else, and nobody about themselves."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pegawai import services
from pegawai.models import Pegawai, User
from tests import factories


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def tanpa_akun(cast):
    """Three pegawai of Bidang Yankes without a login (one without email)."""
    return [
        factories.pegawai(cast.yankes, nama="Ani Baru", email="ani@jambiprov.go.id"),
        factories.pegawai(cast.yankes, nama="Bayu Baru", email="bayu@jambiprov.go.id"),
        factories.pegawai(cast.yankes, nama="Cici Tanpa Surel", email=""),
    ]


def massal(unit):
    return reverse("akun:massal") + f"?unit={unit.pk}"


# --- Who may use the pages ---------------------------------------------------------------------

PAGES = ["akun:list", "akun:pengelola_list"]


@pytest.mark.parametrize("name", PAGES)
def test_administrators_and_province_hr_open_the_account_pages(login, cast_lengkap, name):
    for user in [cast_lengkap.admin, cast_lengkap.provinsi]:
        assert login(user).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_unit_hr_atasan_and_pegawai_are_refused(login, cast_lengkap, name):
    for user in [cast_lengkap.pengelola, cast_lengkap.atasan, cast_lengkap.pegawai]:
        assert login(user).get(reverse(name)).status_code == 403


def test_the_sidebar_offers_the_account_pages_to_province_hr_only(login, cast_lengkap):
    url = f'href="{reverse("akun:list")}"'
    assert url in login(cast_lengkap.provinsi).get(reverse("beranda")).content.decode()
    assert url not in login(cast_lengkap.pengelola).get(reverse("beranda")).content.decode()


def test_refused_posts_change_nothing(login, cast_lengkap, tanpa_akun):
    c = cast_lengkap
    before = (User.objects.count(), set(c.bkd.pengelola.all()))
    client = login(c.pengelola)
    assert client.post(reverse("akun:massal"), {"unit": c.yankes.pk}).status_code == 403
    assert (
        client.post(reverse("akun:deactivate", args=[c.pegawai.pk]), {"alasan": "Uji"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("akun:pengelola_list"), {"unit": c.bkd.pk, "akun": "pegawai"}
        ).status_code
        == 403
    )
    assert (
        login(c.atasan)
        .post(reverse("akun:pengelola_withdraw"), {"unit": c.bkd.pk, "akun": c.pengelola_lain.pk})
        .status_code
        == 403
    )
    assert (User.objects.count(), set(c.bkd.pengelola.all())) == before
    assert User.objects.get(pk=c.pegawai.pk).is_active


# --- Who has a login ---------------------------------------------------------------------------


def test_the_list_tells_who_has_an_account_and_who_has_not(login, cast_lengkap, tanpa_akun):
    response = login(cast_lengkap.provinsi).get(
        reverse("akun:list"), {"unit": cast_lengkap.yankes.pk, "status": "belum"}
    )
    names = [r.pegawai.nama for r in response.context["rows"]]
    assert names == ["Ani Baru", "Bayu Baru", "Cici Tanpa Surel"]
    jumlah = response.context["jumlah"]
    # Yankes: the atasan, the pegawai and the rekan have logins; the three new ones have not.
    assert (jumlah["punya"], jumlah["belum"]) == (3, 3)
    assert "Dinas Kesehatan › Bidang Pelayanan Kesehatan" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_reads_as_many_queries_for_many_rows_as_for_few(login, cast_lengkap):
    client = login(cast_lengkap.admin)
    url = reverse("akun:list")
    few = _queries(client, url)
    for i in range(15):
        account = factories.user(f"tambahan{i}")
        factories.pegawai(cast_lengkap.bkd, user=account)
        if i % 2:  # some of them pengelola, whose units the list names
            cast_lengkap.bkd.pengelola.add(account)
        factories.pegawai(cast_lengkap.bkd, nama=f"Tanpa Akun {i}")
    assert _queries(client, url) == few


# --- Accounts for a whole unit ---------------------------------------------------------------


def test_accounts_are_made_for_a_whole_unit_and_invitations_sent(
    login, cast_lengkap, tanpa_akun, eager, django_capture_on_commit_callbacks
):
    c = cast_lengkap
    client = login(c.provinsi)
    preview = client.get(massal(c.dinkes))
    assert [p.nama for p in preview.context["rencana"].baru] == ["Ani Baru", "Bayu Baru"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("akun:massal"), {"unit": c.dinkes.pk}, follow=True)
    assert "2 akun dibuat" in response.content.decode()
    ani, bayu, cici = (Pegawai.objects.get(pk=p.pk) for p in tanpa_akun)
    assert ani.user.username == ani.nip and not ani.user.has_usable_password()
    assert bayu.user is not None and cici.user is None
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@jambiprov.go.id", "bayu@jambiprov.go.id"]
    assert "/akun/atur-sandi/" in mail.outbox[0].body


def test_pegawai_who_already_have_an_account_are_skipped(
    login, cast_lengkap, tanpa_akun, eager, django_capture_on_commit_callbacks
):
    c = cast_lengkap
    logins = dict(Pegawai.objects.filter(user__isnull=False).values_list("pk", "user_id"))
    client = login(c.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("akun:massal"), {"unit": c.dinkes.pk})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("akun:massal"), {"unit": c.dinkes.pk})
    assert mail.outbox == []
    assert User.objects.filter(username__in=[p.nip for p in tanpa_akun]).count() == 2
    for pk, user_id in logins.items():
        assert Pegawai.objects.get(pk=pk).user_id == user_id


def test_the_officer_who_wrote_an_address_does_not_send_its_invitation(cast_lengkap, tanpa_akun):
    c = cast_lengkap
    Pegawai.objects.filter(pk=tanpa_akun[0].pk).update(email_diubah_oleh=c.provinsi)
    rencana = services.akun_massal_create(
        unit_ids=[c.yankes.pk], user=c.provinsi, base_url="http://sibina.test/"
    )
    assert [p.nama for p in rencana.baru] == ["Bayu Baru"]
    assert [p.nama for p, _ in rencana.dilewati] == ["Ani Baru"]
    assert Pegawai.objects.get(pk=tanpa_akun[0].pk).user is None


def _invited(cast_lengkap, pegawai) -> User:
    services.pegawai_akun_create(pegawai=pegawai, base_url="http://sibina.test/")
    return Pegawai.objects.get(pk=pegawai.pk).user


def test_an_invitation_not_yet_used_is_sent_again_from_the_account_page(
    login, cast_lengkap, tanpa_akun, eager, django_capture_on_commit_callbacks
):
    c = cast_lengkap
    akun = _invited(c, tanpa_akun[0])
    client = login(c.provinsi)
    page = client.get(reverse("akun:detail", args=[akun.pk])).content.decode()
    assert "Kirim ulang undangan" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pegawai:akun_resend", args=[tanpa_akun[0].pk]), {"dari": "akun"}, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("akun:detail", args=[akun.pk])
    assert "Undangan untuk Ani Baru dikirim ulang ke ani@jambiprov.go.id" in (
        response.content.decode()
    )
    assert [m.to[0] for m in mail.outbox] == ["ani@jambiprov.go.id"]
    assert akun.history.first().history_change_reason.startswith("Undangan dikirim ulang")


def test_an_invitation_is_not_resent_by_who_wrote_the_address_nor_once_a_password_is_set(
    login, cast_lengkap, tanpa_akun
):
    c = cast_lengkap
    akun = _invited(c, tanpa_akun[0])
    Pegawai.objects.filter(pk=tanpa_akun[0].pk).update(email_diubah_oleh=c.pengelola)
    url = reverse("pegawai:akun_resend", args=[tanpa_akun[0].pk])
    assert login(c.pengelola).post(url).status_code == 403
    assert (
        login(c.pengelola_pegawai)
        .get(reverse("pegawai:detail", args=[tanpa_akun[0].pk]))
        .context["can_resend"]
    )
    akun.set_password("sudah-dibuat-123")
    akun.save()
    assert login(c.pengelola_pegawai).post(url).status_code == 403


# --- Closing and reopening a login -----------------------------------------------------------


def test_deactivation_needs_a_reason(login, cast_lengkap):
    url = reverse("akun:deactivate", args=[cast_lengkap.pegawai.pk])
    response = login(cast_lengkap.provinsi).post(url, {"alasan": "   "})
    assert response.status_code == 200
    assert "Tulis alasan penonaktifan akun." in response.content.decode()
    assert User.objects.get(pk=cast_lengkap.pegawai.pk).is_active


def test_a_deactivated_account_cannot_log_in_until_reactivated(login, sign_in, cast_lengkap):
    c = cast_lengkap
    url = reverse("akun:deactivate", args=[c.pegawai.pk])
    login(c.provinsi).post(url, {"alasan": "Cuti di luar tanggungan negara"})
    account = User.objects.get(pk=c.pegawai.pk)
    assert not account.is_active
    assert account.alasan_nonaktif == "Cuti di luar tanggungan negara"
    assert account.dinonaktifkan_oleh == c.provinsi
    assert Pegawai.objects.get(pk=c.pegawai_pegawai.pk).aktif  # the record stays
    assert not sign_in("pegawai", "rahasia-123")

    login(c.provinsi).post(reverse("akun:activate", args=[c.pegawai.pk]))
    assert sign_in("pegawai", "rahasia-123")


def test_an_administrator_cannot_deactivate_themselves(login, cast_lengkap):
    url = reverse("akun:deactivate", args=[cast_lengkap.admin.pk])
    assert login(cast_lengkap.admin).post(url, {"alasan": "Uji"}).status_code == 403
    assert User.objects.get(pk=cast_lengkap.admin.pk).is_active


def test_province_hr_cannot_close_an_administrators_or_another_province_officers_login(
    login, cast_lengkap
):
    c = cast_lengkap
    other = factories.user("provinsi2", pengelola_provinsi=True)
    for account in [c.admin, other]:
        url = reverse("akun:deactivate", args=[account.pk])
        assert login(c.provinsi).post(url, {"alasan": "Uji"}).status_code == 403
        assert User.objects.get(pk=account.pk).is_active


def test_province_hr_cannot_reopen_a_login_an_administrator_closed(login, cast_lengkap):
    c = cast_lengkap
    services.akun_deactivate(akun=c.pegawai, user=c.admin, alasan="Penyalahgunaan akun")
    url = reverse("akun:activate", args=[c.pegawai.pk])
    assert login(c.provinsi).post(url).status_code == 403
    assert not User.objects.get(pk=c.pegawai.pk).is_active


def test_reactivating_the_pegawai_keeps_a_login_closed_for_its_own_reason(cast_lengkap):
    c = cast_lengkap
    services.akun_deactivate(akun=c.pegawai, user=c.admin, alasan="Penyalahgunaan akun")
    pegawai = Pegawai.objects.get(pk=c.pegawai_pegawai.pk)
    services.pegawai_deactivate(pegawai=pegawai, user=c.admin, alasan="pindah")
    services.pegawai_activate(pegawai=Pegawai.objects.get(pk=pegawai.pk), user=c.admin)
    assert not User.objects.get(pk=c.pegawai.pk).is_active


# --- Pengelola of units ------------------------------------------------------------------------


def test_assigning_and_withdrawing_a_pengelola_changes_the_roles_of_the_next_request(
    login, client, cast_lengkap
):
    c = cast_lengkap
    create = reverse("pegawai:create")
    assert login(c.outsider).get(create).status_code == 403

    login(c.provinsi).post(reverse("akun:pengelola_list"), {"unit": c.bkd.pk, "akun": "outsider"})
    assert c.bkd.pengelola.filter(pk=c.outsider.pk).exists()
    assert login(c.outsider).get(create).status_code == 200

    login(c.provinsi).post(
        reverse("akun:pengelola_withdraw"), {"unit": c.bkd.pk, "akun": c.outsider.pk}
    )
    assert not c.bkd.pengelola.filter(pk=c.outsider.pk).exists()
    assert login(c.outsider).get(create).status_code == 403


def test_a_pengelola_is_named_by_the_nip_of_their_pegawai(login, cast_lengkap):
    c = cast_lengkap
    nip = c.outsider_pegawai.nip_tampil
    login(c.admin).post(reverse("akun:pengelola_list"), {"unit": c.bkd.pk, "akun": nip})
    assert c.bkd.pengelola.filter(pk=c.outsider.pk).exists()


def test_nobody_makes_themselves_pengelola(login, cast_lengkap):
    c = cast_lengkap
    response = login(c.provinsi).post(
        reverse("akun:pengelola_list"), {"unit": c.bkd.pk, "akun": "provinsi"}
    )
    assert response.status_code == 403
    assert not c.bkd.pengelola.filter(pk=c.provinsi.pk).exists()
    # Another province HR officer may not change theirs either: the page names who may.
    assert "Yang dapat: administrator." in response.content.decode()


def test_province_hr_cannot_give_an_administrator_more_units(login, cast_lengkap):
    c = cast_lengkap
    response = login(c.provinsi).post(
        reverse("akun:pengelola_list"), {"unit": c.bkd.pk, "akun": "admin"}
    )
    assert response.status_code == 403
    assert not c.bkd.pengelola.filter(pk=c.admin.pk).exists()


def test_an_unknown_login_is_answered_with_the_form_again(login, cast_lengkap):
    response = login(cast_lengkap.admin).post(
        reverse("akun:pengelola_list"), {"unit": cast_lengkap.bkd.pk, "akun": "tidak-ada"}
    )
    assert response.status_code == 200
    assert "Tidak ada akun dengan NIP atau nama pengguna ini." in response.content.decode()
    assert cast_lengkap.bkd.pengelola.count() == 1  # pengelola_lain only


# --- Province-wide roles ------------------------------------------------------------------------


def test_an_administrator_makes_a_login_province_hr_from_its_next_request(login, cast_lengkap):
    c = cast_lengkap
    assert login(c.pegawai).get(reverse("akun:list")).status_code == 403
    login(c.admin).post(reverse("akun:peran", args=[c.pegawai.pk]), {"pengelola_provinsi": "on"})
    assert User.objects.get(pk=c.pegawai.pk).pengelola_provinsi
    assert login(c.pegawai).get(reverse("akun:list")).status_code == 200

    login(c.admin).post(reverse("akun:peran", args=[c.pegawai.pk]), {})
    assert login(c.pegawai).get(reverse("akun:list")).status_code == 403


def test_saving_the_same_roles_writes_no_record_and_says_nothing_changed(login, cast_lengkap):
    c = cast_lengkap
    before = c.pegawai.history.count()
    response = login(c.admin).post(reverse("akun:peran", args=[c.pegawai.pk]), {}, follow=True)
    assert "Peran tidak berubah" in response.content.decode()
    assert c.pegawai.history.count() == before


def test_the_administrator_role_is_named_in_indonesian_in_the_history():
    from pegawai import riwayat

    assert riwayat.label(User._meta.get_field("is_superuser")) == "administrator"


def test_province_hr_cannot_grant_administrator_or_province_rights(login, cast_lengkap):
    c = cast_lengkap
    url = reverse("akun:peran", args=[c.pegawai.pk])
    data = {"administrator": "on", "pengelola_provinsi": "on"}
    assert login(c.provinsi).post(url, data).status_code == 403
    account = User.objects.get(pk=c.pegawai.pk)
    assert not account.is_superuser and not account.pengelola_provinsi
    page = login(c.provinsi).get(reverse("akun:detail", args=[c.pegawai.pk]))
    assert "Hanya administrator yang memberikan" in page.content.decode()


def test_an_administrator_cannot_change_their_own_roles(login, cast_lengkap):
    url = reverse("akun:peran", args=[cast_lengkap.admin.pk])
    assert login(cast_lengkap.admin).post(url, {}).status_code == 403
    assert User.objects.get(pk=cast_lengkap.admin.pk).is_superuser


def test_the_pegawai_page_links_an_administrator_to_the_account_page(login, cast):
    page = login(cast.admin).get(reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk]))
    assert reverse("akun:detail", args=[cast.pegawai.pk]) in page.content.decode()
    page = login(cast.pengelola).get(reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk]))
    assert reverse("akun:detail", args=[cast.pegawai.pk]) not in page.content.decode()


def test_the_pengelola_of_a_section_include_those_of_the_units_above_it(login, cast_lengkap):
    """A pengelola of Dinas Kesehatan manages Bidang Yankes too: the list filtered to Yankes
    names them, and not the pengelola of another OPD."""
    c = cast_lengkap
    response = login(c.admin).get(reverse("akun:pengelola_list"), {"unit": c.yankes.pk})
    listed = {(r.unit_id, r.akun.username) for r in response.context["rows"]}
    assert (c.dinkes.pk, c.pengelola.username) in listed
    assert not any(unit_id == c.bkd.pk for unit_id, _ in listed)
    page = response.content.decode()
    assert "Belum ada pengelola" not in page and "Termasuk pengelola unit di atasnya" in page
    assert page.count("unit di atasnya</span>") == len(
        [r for r in response.context["rows"] if r.unit_id == c.dinkes.pk]
    )
    opd = login(c.admin).get(reverse("akun:pengelola_list"), {"unit": c.dinkes.pk})
    assert "Termasuk pengelola unit di atasnya" not in opd.content.decode()  # nothing above
    wrong = login(c.admin).get(reverse("akun:pengelola_list"), {"unit": "abc"}).content.decode()
    assert "Unit yang diminta tidak ditemukan; ditampilkan pengelola semua unit." in wrong
    assert "---------" not in page  # the form's unit picker says "Pilih unit"
    assert "Pilih unit" in page
