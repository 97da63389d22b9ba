"""Single sign-on in the browser against a real OpenID Connect provider started for the test
(tests/oidc): a pegawai clicks "Masuk dengan SSO Pemprov Jambi", signs in on the provider's own
page and lands in SIBINA as themselves; a provider account whose NIP is nobody's in SIBINA comes
back to the login page with the reason, and no account is made."""

import pytest

from pegawai import services as pegawai_services
from pegawai.models import User
from tests import factories
from tests.oidc.provider import PASSWORD, provider_running

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def provider(live_server):
    with provider_running(f"{live_server.url}/masuk/sso/kembali/") as running:
        yield running


@pytest.fixture
def sso(settings, provider):
    provider.settings_apply(settings)
    return provider


def sign_in_at_provider(page, login: str) -> None:
    page.get_by_role("link", name="Masuk dengan SSO Pemprov Jambi").click()
    page.get_by_text("SSO Pemprov Jambi (penyedia uji)").wait_for()
    page.get_by_label("Nama pengguna").fill(login)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_a_pegawai_signs_in_through_the_provider_and_lands_as_themselves(
    page, live_server, cast, sso, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # An account HR made: the invitation to set a password is still unread; SSO needs none.
    dewi = factories.pegawai(cast.yankes, nama="Dewi Lestari", gender="P", email="dewi@x.id")
    pegawai_services.pegawai_akun_create(pegawai=dewi, base_url=live_server.url)
    sso.accounts_set({"dewi.l": {"nip": dewi.nip, "name": "Dewi L."}})

    page.goto(f"{live_server.url}/tugas/")  # a page that asks to sign in first
    assert page.get_by_label("Kata sandi").count() == 1  # the password form stays beside SSO
    sign_in_at_provider(page, "dewi.l")

    page.wait_for_url(f"{live_server.url}/tugas/")
    account_menu = page.get_by_role("button", name="Dewi Lestari")  # her name, from SIBINA
    assert account_menu.is_visible()
    account_menu.click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{live_server.url}/masuk/")
    page.goto(f"{live_server.url}/tugas/")
    page.wait_for_url(f"{live_server.url}/masuk/?next=/tugas/")


def test_a_provider_account_whose_nip_matches_no_pegawai_is_refused(page, live_server, cast, sso):
    sso.accounts_set({"tamu": {"nip": "198505052010011999", "name": "Tamu"}})
    users = User.objects.count()

    page.goto(f"{live_server.url}/masuk/")
    sign_in_at_provider(page, "tamu")

    page.wait_for_url(f"{live_server.url}/masuk/")
    alert = page.get_by_text("NIP 19850505 201001 1 999 dari SSO Pemprov Jambi tidak terdaftar")
    assert alert.is_visible()
    assert page.get_by_role("link", name="Masuk dengan SSO Pemprov Jambi").is_visible()
    assert User.objects.count() == users
    page.goto(f"{live_server.url}/tugas/")
    assert "/masuk/" in page.url
