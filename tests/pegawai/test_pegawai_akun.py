import re

import pytest
from django.core import mail
from django.urls import reverse

from pegawai.models import Pegawai, User
from pegawai.tasks import akun_undangan_send_task
from tests import factories


def url(pegawai):
    return reverse("pegawai:akun_create", args=[pegawai.pk])


@pytest.fixture
def baru(cast):
    return factories.pegawai(cast.yankes, nama="Rahmat Baru", email="rahmat@jambiprov.go.id")


def test_an_account_is_created_and_the_link_sets_the_first_password(
    login, sign_in, cast, baru, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(cast.pengelola).post(url(baru))
    baru.refresh_from_db()
    account = baru.user
    assert account.username == baru.nip and not account.has_usable_password()
    queued = [c for c in callbacks if getattr(c, "func", None) is not None]  # not the roles' bump
    assert len(queued) == 1
    akun_undangan_send_task(account.pk, "http://sibina.test/")  # what the worker runs
    assert mail.outbox[0].to == ["rahmat@jambiprov.go.id"]
    link = re.search(r"http://sibina.test(/akun/atur-sandi/\S+)", mail.outbox[0].body).group(1)

    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Sepucuk-Jambi-9", "new_password2": "Sepucuk-Jambi-9"},
    )
    assert sign_in(baru.nip_tampil, "Sepucuk-Jambi-9")


def test_the_invitation_is_not_sent_once_the_password_is_set(cast, baru):
    account = User.objects.create_user(username="x", password="ada-sandi", email="x@x.id")
    akun_undangan_send_task(account.pk, "http://sibina.test/")
    assert mail.outbox == []


def test_a_pegawai_without_email_gets_no_account(login, cast):
    pegawai = factories.pegawai(cast.yankes, email="")
    response = login(cast.pengelola).post(url(pegawai), follow=True)
    assert "Isi email pegawai dulu" in response.content.decode()
    assert Pegawai.objects.get(pk=pegawai.pk).user is None


def test_a_pegawai_with_an_account_gets_no_second_one(login, cast):
    response = login(cast.pengelola).post(url(cast.pegawai_pegawai), follow=True)
    assert "sudah punya akun" in response.content.decode()


def test_the_atasan_may_not_create_accounts(login, cast, baru):
    assert login(cast.atasan).post(url(cast.pegawai_pegawai)).status_code == 403


def test_an_outsider_gets_404(login, cast, baru):
    assert login(cast.outsider).post(url(baru)).status_code == 404


def test_get_is_not_allowed(login, cast, baru):
    assert login(cast.pengelola).get(url(baru)).status_code == 405


def test_anonymous_is_sent_to_login(client, cast, baru):
    assert client.post(url(baru)).status_code == 302
