"""The client's address behind the reverse proxy: X-Forwarded-For only from TRUSTED_PROXIES."""

import ipaddress
import secrets

import pytest
from django.test import RequestFactory
from django.urls import reverse

from masyarakat.models import ResponSurvei, UnitLayanan
from masyarakat.referensi import KEYS
from pembinaan.lib.client_address import client_address

PROXY = "172.28.0.1"


@pytest.fixture
def trusted(settings):
    def trust(*networks: str):
        settings.TRUSTED_PROXIES = [ipaddress.ip_network(n) for n in networks]

    return trust


def request(remote: str = PROXY, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_it_is_the_connecting_address(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request(PROXY, "203.0.113.5")) == PROXY


def test_from_an_untrusted_address_x_forwarded_for_is_ignored(trusted):
    trusted("10.0.0.0/8")
    assert client_address(request("198.51.100.9", "203.0.113.5")) == "198.51.100.9"


def test_from_a_trusted_proxy_it_is_the_address_the_proxy_appended(trusted):
    trusted(PROXY)
    assert client_address(request(PROXY, "203.0.113.5")) == "203.0.113.5"


def test_what_the_client_wrote_left_of_it_is_ignored(trusted):
    trusted(PROXY)
    assert client_address(request(PROXY, "127.0.0.1, 10.1.2.3 , 203.0.113.5")) == "203.0.113.5"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(trusted):
    trusted(PROXY, "10.20.0.0/16")
    forwarded = "1.1.1.1, 203.0.113.5, 10.20.3.4, 10.20.0.9"
    assert client_address(request(PROXY, forwarded)) == "203.0.113.5"


def test_a_trusted_proxy_without_the_header_is_the_client(trusted):
    trusted(PROXY)
    assert client_address(request(PROXY)) == PROXY
    assert client_address(request(PROXY, " , ")) == PROXY


def test_a_malformed_entry_counts_against_the_proxy_that_reported_it(trusted):
    trusted(PROXY, "10.20.0.0/16")
    assert client_address(request(PROXY, "203.0.113.5, nonsense, 10.20.0.9")) == "10.20.0.9"
    assert client_address(request(PROXY, "nonsense")) == PROXY
    # Strict (who may read /metrics): nobody.
    assert client_address(request(PROXY, "8.8.8.8, nonsense"), strict=True) is None
    assert client_address(request(PROXY, "nonsense, 10.20.0.9"), strict=True) is None
    assert client_address(request(PROXY, "8.8.8.8, 10.20.0.9"), strict=True) == "8.8.8.8"


def test_ipv6_and_ipv4_mapped_proxies(trusted):
    trusted("fd00::/8", PROXY)
    assert client_address(request("fd00::1", "2001:db8::7")) == "2001:db8::7"
    assert client_address(request(f"::ffff:{PROXY}", "203.0.113.5")) == "203.0.113.5"
    assert client_address(request(PROXY, "2001:DB8:0::7")) == "2001:db8::7"  # one spelling


def answers() -> dict:
    return {
        "token": secrets.token_urlsafe(16),  # one form load each
        "usia": "30_39",
        "jenis_kelamin": "P",
        "pendidikan": "s1",
        "pekerjaan": "swasta",
        **dict.fromkeys(KEYS, "4"),
        "saran": "",
    }


@pytest.mark.parametrize("behind_proxy", [True, False])
def test_the_public_form_limit_counts_the_same_address(client, cast, settings, behind_proxy):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(PROXY)] if behind_proxy else []
    UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum RSUD", kode="poli-umum")
    url = reverse("masyarakat:survei", args=["poli-umum"])

    def send(citizen: str):
        return client.post(url, answers(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=citizen)

    for _ in range(5):
        assert send("203.0.113.5").status_code == 302
    assert send("203.0.113.5").status_code == 429
    # Another citizen behind the same proxy has their own bound only when the proxy is trusted.
    assert send("198.51.100.7").status_code == (302 if behind_proxy else 429)
    assert ResponSurvei.objects.count() == (6 if behind_proxy else 5)
