"""Failed logins lock an account from the address they came from (django-axes, pembinaan.lockout),
on SIBINA's login form and on Django admin's, however the username or NIP is written; the owner
still signs in from another address. Everything goes through the real forms."""

import ipaddress
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import dateformat, timezone, translation

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
PROXY = "172.28.0.1"
HARI = {"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"}


def attempt(client, username, password="salah-sekali", address=ATTACKER, url=LOGIN, **headers):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def is_locked(response) -> bool:
    return response.status_code == 429 and "dikunci sementara" in response.content.decode()


def is_signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def opening_time(response) -> str:
    return re.search(r"pukul [^<]* WIB, [^<]*", response.content.decode()).group()


def nip_writings(nip: str) -> list[str]:
    parts = (nip[:8], nip[8:14], nip[14], nip[15:])
    return [nip, " ".join(parts), ".".join(parts), "-".join(parts), f" {nip} "]


def test_five_failures_lock_the_account_even_for_the_right_password(client, cast):
    for _ in range(4):
        assert "kata sandi salah" in attempt(client, "pegawai").content.decode()
    assert is_locked(attempt(client, "pegawai"))
    locked = attempt(client, "pegawai", "rahasia-123")
    assert is_locked(locked) and "_auth_user_id" not in client.session


def test_the_lock_counts_the_nip_and_the_username_however_they_are_written(client, cast):
    writings = nip_writings(cast.pegawai_pegawai.nip)
    for written in writings[:4]:
        assert not is_locked(attempt(client, written))
    assert is_locked(attempt(client, " PeGaWai "))  # the same account, by its username
    for written in [*writings, "pegawai", "PEGAWAI"]:
        assert is_locked(attempt(client, written, "rahasia-123")), written
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"pegawai"}


def test_an_attacker_does_not_lock_the_owner_out_from_another_address(client, cast):
    for _ in range(5):
        attempt(client, cast.pegawai_pegawai.nip, address=ATTACKER)
    assert is_locked(attempt(client, "pegawai", "rahasia-123", address=ATTACKER))
    owner = attempt(client, cast.pegawai_pegawai.nip_tampil, "rahasia-123", address=OWNER)
    assert is_signed_in(owner)


def test_the_admin_login_locks_the_same_way(client, cast):
    for _ in range(4):
        page = attempt(client, "admin", url=ADMIN_LOGIN)
        assert page.status_code == 200 and not is_locked(page)
    assert is_locked(attempt(client, "Admin", url=ADMIN_LOGIN))
    assert is_locked(attempt(client, "admin", "rahasia-123", url=ADMIN_LOGIN))
    assert is_locked(attempt(client, "admin", "rahasia-123", url=LOGIN))  # one account, one count
    owner = attempt(client, "admin", "rahasia-123", address=OWNER, url=ADMIN_LOGIN)
    assert is_signed_in(owner) and client.get(reverse("admin:index")).status_code == 200


def test_failures_on_both_forms_add_up(client, cast):
    for url in (LOGIN, ADMIN_LOGIN, LOGIN, ADMIN_LOGIN):
        assert not is_locked(attempt(client, "admin", url=url))
    assert is_locked(attempt(client, "admin", url=LOGIN))


def test_the_lockout_page_says_in_indonesian_when_the_account_opens_again(client, cast):
    for _ in range(5):
        page = attempt(client, "pegawai")
    opens = timezone.localtime(AccessAttempt.objects.get().attempt_time + timedelta(minutes=15))
    text = page.content.decode()
    assert is_locked(page) and str(timezone.get_current_timezone()) == "Asia/Jakarta"
    with translation.override("id"):
        day = dateformat.format(opens, "l, j F Y")
    assert f"pukul {opens:%H.%M} WIB, {day}" in text
    assert day.split(",")[0] in HARI


def test_refused_attempts_during_the_lockout_do_not_move_its_end(client, cast):
    for _ in range(5):
        attempt(client, "pegawai")
    locked_at = AccessAttempt.objects.get().attempt_time
    first = opening_time(attempt(client, "pegawai"))
    assert opening_time(attempt(client, "pegawai", "rahasia-123")) == first
    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_the_account_opens_again_after_fifteen_minutes(client, cast):
    for _ in range(5):
        attempt(client, "pegawai")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert is_locked(attempt(client, "pegawai", "rahasia-123"))
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    assert is_signed_in(attempt(client, "pegawai", "rahasia-123"))


def test_a_success_clears_the_accounts_count(client, cast):
    for _ in range(4):
        attempt(client, "pegawai")
    assert is_signed_in(attempt(client, "pegawai", "rahasia-123"))
    client.logout()
    for _ in range(4):
        attempt(client, "pegawai")
    assert is_signed_in(attempt(client, "pegawai", "rahasia-123"))


def test_twenty_failures_from_one_address_lock_it_for_every_account(client, cast):
    for n in range(19):
        assert not is_locked(attempt(client, f"tebakan{n}"))
    assert is_locked(attempt(client, "tebakan19"))
    assert is_locked(attempt(client, "atasan", "rahasia-123"))
    assert is_signed_in(attempt(client, "atasan", "rahasia-123", address=OWNER))


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(f"{PROXY}/32")]


def via_proxy(client, username, password="salah-sekali", forwarded_for=ATTACKER):
    return attempt(client, username, password, address=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_trusted_proxy_the_owner_is_not_locked_out_by_an_attacker(
    client, cast, behind_proxy
):
    for _ in range(5):
        via_proxy(client, "pegawai", forwarded_for=ATTACKER)
    assert is_locked(via_proxy(client, "pegawai", "rahasia-123", forwarded_for=ATTACKER))
    assert is_signed_in(via_proxy(client, "pegawai", "rahasia-123", forwarded_for=OWNER))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_a_trusted_proxy_addresses_the_attacker_writes_are_ignored(
    client, cast, behind_proxy
):
    # The client writes the left part; the proxy appends the address it really saw.
    for n in range(5):
        via_proxy(client, "pegawai", forwarded_for=f"10.1.1.{n}, {OWNER}, {ATTACKER}")
    assert is_locked(via_proxy(client, "pegawai", "rahasia-123", forwarded_for=ATTACKER))
    assert is_signed_in(via_proxy(client, "pegawai", "rahasia-123", forwarded_for=OWNER))


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, cast, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(5):
        via_proxy(client, "pegawai", forwarded_for=f"10.1.1.{n}")  # cannot dodge the count
    assert is_locked(via_proxy(client, "pegawai", "rahasia-123", forwarded_for=OWNER))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}
