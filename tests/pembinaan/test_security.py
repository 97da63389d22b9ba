"""The Content Security Policy, and templates that keep to it: no inline script anywhere."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)


@pytest.mark.parametrize(
    "name", ["login", "masyarakat:warga", "masyarakat:masukan_create", "inovasi_galeri"]
)
def test_public_pages_carry_the_policy(client, db, name):
    policy = client.get(reverse(name))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in policy


def test_signed_in_pages_carry_it_too(login, cast):
    assert "script-src 'self'" in login(cast.admin).get("/")["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if INLINE_HANDLER.search(text) or INLINE_SCRIPT.search(text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_the_scan_would_catch_them():
    assert INLINE_HANDLER.search('<select onchange="this.form.submit()">')
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/sibina.js"></script>')
