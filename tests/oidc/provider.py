"""A real OpenID Connect provider for the single sign-on tests: node-oidc-provider, from
tests/oidc/package.json (`npm ci --prefix tests/oidc`, which `make test` runs), started by
`provider_running()` as a child process on 127.0.0.1 and a free port, issuer
http://127.0.0.1:PORT. Without node or the modules the tests are skipped, or fail under CI=true:
CI must run them."""

import json
import os
import select
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "sibina"
CLIENT_SECRET = "rahasia-klien-uji-sibina"
PASSWORD = "sandi-sso-123"
STARTUP_SECONDS = 30  # it prints its issuer in about a second


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the single sign-on tests", pytrace=False)
    pytest.skip(reason)


@dataclass
class Provider:
    issuer: str
    config_path: Path
    config: dict

    def accounts_set(self, accounts: dict[str, dict]) -> None:
        """The provider's accounts from now on: login → claims (each signs in with PASSWORD)."""
        self.config["accounts"] = {
            login: {"password": PASSWORD, "claims": claims} for login, claims in accounts.items()
        }
        self.config_path.write_text(json.dumps(self.config))

    def settings_apply(self, settings) -> None:
        """SIBINA configured for this provider, by discovery as an operator would."""
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_DISCOVERY = self.issuer


@contextmanager
def provider_running(redirect_uri: str) -> Iterator[Provider]:
    node = shutil.which("node")
    if node is None:
        _unavailable("needs node (Node.js 20 or later) for the OpenID Connect provider")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        _unavailable("needs the provider's modules: npm ci --prefix tests/oidc")
    with tempfile.TemporaryDirectory() as folder:
        config_path = Path(folder) / "provider.json"
        config = {
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [redirect_uri],
                }
            ],
            "accounts": {},
        }
        config_path.write_text(json.dumps(config))
        process, line = _start(node, config_path)
        try:
            yield Provider(json.loads(line)["issuer"], config_path, config)
        finally:
            process.terminate()
            process.wait(10)


def _start(node: str, config_path: Path, attempts: int = 3) -> tuple[subprocess.Popen, str]:
    """The provider process and its first line ({"issuer": ...} once it listens). A start that
    says nothing within STARTUP_SECONDS is killed and tried again: once in a CI run, node hung
    before listening (every thread waiting, no port open) and the suite with it."""
    for _ in range(attempts):
        process = subprocess.Popen(
            [node, str(HERE / "provider.mjs"), str(config_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        ready, _, _ = select.select([process.stdout], [], [], STARTUP_SECONDS)
        line = process.stdout.readline() if ready else ""
        if line:
            return process, line
        process.kill()
        process.wait(10)
    pytest.fail(f"the OIDC provider did not start in {attempts} attempts")


def provider_sign_in(start_url: str, login: str, password: str = PASSWORD) -> str:
    """Signs in at the provider's own page as a browser would, from the authorization URL
    SIBINA redirected to; returns the URL the provider sends the browser back to."""
    browser = requests.Session()
    page = browser.get(start_url, timeout=10)
    page.raise_for_status()
    assert "Kata sandi" in page.text, page.text
    response = browser.post(
        page.url, data={"login": login, "password": password}, allow_redirects=False, timeout=10
    )
    while response.status_code in (302, 303):
        location = urljoin(response.url, response.headers["Location"])
        if urlsplit(location).netloc != urlsplit(start_url).netloc:
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not send the browser back: {response.text[:500]}")
