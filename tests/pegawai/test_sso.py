"""Single sign-on (pegawai.sso) against a real OpenID Connect provider started for these tests
(tests/oidc): the provider's NIP claim signs in the account of that pegawai, anything else is
refused on the login page with nothing made; roles stay SIBINA's; the password login stays."""

from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from pegawai import services as pegawai_services
from pegawai.models import Pegawai, User
from pembinaan.checks import sso_https_check, sso_settings_check
from tests import factories
from tests.oidc.provider import provider_running, provider_sign_in

CALLBACK = "http://testserver" + reverse("sso_kembali")


@pytest.fixture(scope="module")
def provider():
    with provider_running(CALLBACK) as running:
        yield running


@pytest.fixture
def sso(settings, provider):
    provider.settings_apply(settings)
    return provider


def grouped(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def sign_in_by_sso(client, login: str, next_url: str = ""):
    """Click "Masuk dengan SSO", sign in at the provider, come back: the callback's response."""
    start = client.get(reverse("sso_masuk") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    back = urlsplit(provider_sign_in(start["Location"], login))
    return client.get(f"{back.path}?{back.query}")


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def page_text(client, response) -> str:
    assert response.status_code == 302 and response["Location"] == reverse("login"), response
    return client.get(response["Location"]).content.decode()


def test_without_configuration_the_login_page_has_no_sso_and_its_urls_do_not_exist(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Masuk dengan SSO" not in page
    assert 'name="password"' in page
    assert client.get(reverse("sso_masuk")).status_code == 404
    assert client.get(reverse("sso_kembali") + "?code=x&state=y").status_code == 404


def test_configured_the_login_page_offers_sso_beside_the_password_form(client, db, sso):
    page = client.get(reverse("login") + "?next=/tugas/").content.decode()
    assert "Masuk dengan SSO Pemprov Jambi" in page
    assert reverse("sso_masuk") + "?next=/tugas/" in page
    assert 'name="password"' in page


def test_the_nip_claim_signs_in_that_pegawais_account(client, cast, sso):
    pegawai = cast.pegawai_pegawai
    sso.accounts_set({"budi.sso": {"nip": grouped(pegawai.nip), "name": "Budi di SSO"}})
    response = sign_in_by_sso(client, "budi.sso")
    assert response.status_code == 302 and response["Location"] == reverse("beranda")
    assert signed_in_user_id(client) == str(cast.pegawai.pk)
    assert client.session["_auth_user_backend"] == "pegawai.sso.NipBackend"
    assert client.get(reverse("beranda")).context["user"] == cast.pegawai


def test_the_page_asked_for_before_signing_in_is_where_sso_lands(client, cast, sso):
    sso.accounts_set({"budi.sso": {"nip": cast.pegawai_pegawai.nip}})
    response = sign_in_by_sso(client, "budi.sso", next_url=reverse("tugas"))
    assert response["Location"] == reverse("tugas")


def test_roles_and_account_details_stay_sibinas_whatever_the_provider_says(client, cast, sso):
    before = User.objects.values().get(pk=cast.pegawai.pk)
    sso.accounts_set(
        {
            "budi.sso": {
                "nip": cast.pegawai_pegawai.nip,
                "email": "lain@sso.example",
                "name": "Nama Lain",
                "roles": ["admin"],
                "is_superuser": True,
            }
        }
    )
    sign_in_by_sso(client, "budi.sso")
    assert signed_in_user_id(client) == str(cast.pegawai.pk)
    after = User.objects.values().get(pk=cast.pegawai.pk)
    assert {k: v for k, v in after.items() if k != "last_login"} == {
        k: v for k, v in before.items() if k != "last_login"
    }
    assert after["last_login"] is not None
    assert client.get(reverse("hari_libur:list")).status_code == 403  # administrators' page


def test_a_nip_matching_no_pegawai_is_refused_and_nothing_is_made(client, cast, sso):
    sso.accounts_set({"asing": {"nip": "199001012015031999"}})
    users, pegawai = User.objects.count(), Pegawai.objects.count()
    response = sign_in_by_sso(client, "asing")
    page = page_text(client, response)
    assert "NIP 19900101 201503 1 999 dari SSO Pemprov Jambi tidak terdaftar" in page
    assert signed_in_user_id(client) is None
    assert (User.objects.count(), Pegawai.objects.count()) == (users, pegawai)


def test_a_provider_account_without_the_nip_claim_is_refused(client, cast, sso):
    sso.accounts_set({"tanpa.nip": {"name": "Tanpa NIP", "email": "x@sso.example"}})
    page = page_text(client, sign_in_by_sso(client, "tanpa.nip"))
    assert "Penyedia SSO tidak mengirimkan NIP Anda" in page
    assert signed_in_user_id(client) is None


def test_the_claim_is_read_under_the_name_the_operator_sets(client, cast, sso, settings):
    settings.OIDC_NIP_CLAIM = "nip_asn"
    sso.accounts_set({"budi.sso": {"nip_asn": cast.pegawai_pegawai.nip, "nip": "salah"}})
    sign_in_by_sso(client, "budi.sso")
    assert signed_in_user_id(client) == str(cast.pegawai.pk)


def test_an_inactive_pegawai_is_refused(client, cast, sso):
    pegawai_services.pegawai_deactivate(
        pegawai=cast.pegawai_pegawai, user=cast.admin, alasan="pensiun"
    )
    sso.accounts_set({"budi.sso": {"nip": cast.pegawai_pegawai.nip}})
    page = page_text(client, sign_in_by_sso(client, "budi.sso"))
    assert "berstatus nonaktif di SIBINA" in page
    assert signed_in_user_id(client) is None


def test_a_pegawai_without_an_account_is_refused_and_gets_none(client, cast, sso):
    tanpa_akun = factories.pegawai(cast.yankes, nama="Tanpa Akun")
    sso.accounts_set({"tanpa.akun": {"nip": tanpa_akun.nip}})
    users = User.objects.count()
    page = page_text(client, sign_in_by_sso(client, "tanpa.akun"))
    assert "belum punya akun SIBINA" in page
    assert User.objects.count() == users
    assert Pegawai.objects.get(pk=tanpa_akun.pk).user_id is None


def test_a_closed_account_is_refused(client, cast, sso):
    pegawai_services.akun_deactivate(akun=cast.pegawai, user=cast.admin, alasan="Cuti panjang")
    sso.accounts_set({"budi.sso": {"nip": cast.pegawai_pegawai.nip}})
    page = page_text(client, sign_in_by_sso(client, "budi.sso"))
    assert "nonaktif" in page and signed_in_user_id(client) is None


def test_refusals_do_not_count_as_failed_logins_for_the_lockout(client, cast, sso):
    sso.accounts_set({"asing": {"nip": "199001012015031999"}})
    for _ in range(6):
        assert "tidak terdaftar" in page_text(client, sign_in_by_sso(client, "asing"))
    assert not AccessAttempt.objects.exists()
    sso.accounts_set({"budi.sso": {"nip": cast.pegawai_pegawai.nip}})
    sign_in_by_sso(client, "budi.sso")
    assert signed_in_user_id(client) == str(cast.pegawai.pk)


def test_an_address_locked_for_guessing_passwords_is_refused_sso_too(client, cast, sso):
    sso.accounts_set({"budi.sso": {"nip": cast.pegawai_pegawai.nip}})
    start = client.get(reverse("sso_masuk"))  # begun before the address was locked
    back = urlsplit(provider_sign_in(start["Location"], "budi.sso"))
    for username in ("a1", "a2", "a3", "a4", "a5"):  # 20 failures, none locks one account
        for _ in range(4):
            client.post(reverse("login"), {"username": username, "password": "salah"})
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 429 and "dikunci sementara" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_callback_used_twice_is_refused_with_a_message_not_an_error(client, cast, sso):
    sso.accounts_set({"budi.sso": {"nip": cast.pegawai_pegawai.nip}})
    start = client.get(reverse("sso_masuk"))
    back = urlsplit(provider_sign_in(start["Location"], "budi.sso"))
    callback = f"{back.path}?{back.query}"
    assert client.get(callback).status_code == 302
    client.post(reverse("logout"))
    client.get(reverse("sso_masuk"))  # a new sign-in started, the old state replayed
    page = page_text(client, client.get(callback))
    assert "tidak dapat diterima" in page and signed_in_user_id(client) is None


def test_a_wrong_client_secret_is_a_message_and_the_password_login_still_works(
    client, cast, sso, settings, sign_in
):
    settings.OIDC_RP_CLIENT_SECRET = "bukan-rahasianya"
    sso.accounts_set({"budi.sso": {"nip": cast.pegawai_pegawai.nip}})
    page = page_text(client, sign_in_by_sso(client, "budi.sso"))
    assert "tidak dapat dihubungi" in page and signed_in_user_id(client) is None
    assert sign_in("pegawai", "rahasia-123")


def test_a_provider_that_is_down_leaves_the_password_login(client, cast, settings, sign_in):
    settings.OIDC_RP_CLIENT_ID = "sibina"
    settings.OIDC_RP_CLIENT_SECRET = "rahasia"
    settings.OIDC_OP_DISCOVERY = "http://127.0.0.1:9"  # nothing listens there
    response = client.get(reverse("sso_masuk"))
    assert "tidak dapat dihubungi" in page_text(client, response)
    assert sign_in("pegawai", "rahasia-123")


def test_signing_out_ends_the_sso_session(client, cast, sso):
    sso.accounts_set({"budi.sso": {"nip": cast.pegawai_pegawai.nip}})
    sign_in_by_sso(client, "budi.sso")
    assert client.get(reverse("beranda")).status_code == 200
    client.post(reverse("logout"))
    assert signed_in_user_id(client) is None
    assert client.get(reverse("beranda"))["Location"].startswith(reverse("login"))


# --- The configuration -----------------------------------------------------------------------


def test_check_fails_loudly_on_half_a_configuration(settings):
    settings.OIDC_RP_CLIENT_ID = "sibina"
    errors = sso_settings_check(None)
    assert [e.id for e in errors] == ["pembinaan.E003", "pembinaan.E003"]
    assert all(isinstance(e, Error) for e in errors)
    text = " ".join(e.msg for e in errors)
    assert "OIDC_RP_CLIENT_SECRET is empty" in text and "OIDC_OP_DISCOVERY is empty" in text
    with pytest.raises(SystemCheckError, match="pembinaan.E003"):
        call_command("check")


def test_check_names_each_endpoint_missing_without_discovery(settings):
    settings.OIDC_RP_CLIENT_ID = "sibina"
    settings.OIDC_RP_CLIENT_SECRET = "rahasia"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.example/token"
    [error] = sso_settings_check(None)
    assert "OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT" in error.msg
    settings.OIDC_RP_SIGN_ALGO = "HS256"  # the secret checks the token: no key set needed
    [error] = sso_settings_check(None)
    assert "OIDC_OP_JWKS_ENDPOINT" not in error.msg
    settings.OIDC_OP_USER_ENDPOINT = "https://sso.example/me"
    assert sso_settings_check(None) == []


def test_check_refuses_an_unknown_signing_algorithm(settings):
    settings.OIDC_RP_CLIENT_ID = "sibina"
    settings.OIDC_RP_CLIENT_SECRET = "rahasia"
    settings.OIDC_OP_DISCOVERY = "https://sso.example"
    settings.OIDC_RP_SIGN_ALGO = "none"
    [error] = sso_settings_check(None)
    assert "OIDC_RP_SIGN_ALGO='none'" in error.msg


def test_nothing_configured_is_no_problem(settings):
    assert settings.OIDC_RP_CLIENT_ID == ""
    assert sso_settings_check(None) == []


def test_check_deploy_warns_of_a_provider_reached_without_tls(settings):
    settings.OIDC_OP_DISCOVERY = "http://sso.jambiprov.go.id"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sso.jambiprov.go.id/token"
    assert [(w.id, w.msg.split()[0]) for w in sso_https_check(None)] == [
        ("pembinaan.W002", "OIDC_OP_DISCOVERY")
    ]
