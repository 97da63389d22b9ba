import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from pembinaan.lib import pdf
from pembinaan.lib.qr import qr_data_uri

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def template_dir(settings, tmp_path):
    # A new TEMPLATES list (not a change inside it) makes Django rebuild its template engines.
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, ROOT / "templates"]},
    ]
    return tmp_path


def test_a_pdf_renders_and_reads_back_as_text(template_dir):
    (template_dir / "doc.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Laporan {{ nama }}</h1>'
        '<img src="{{ qr }}">{% endblock %}'
    )
    content = pdf.render_pdf("doc.html", {"nama": "Uji", "qr": qr_data_uri("https://x.test/")})
    assert content.startswith(b"%PDF")
    assert "Laporan Uji" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_a_pdf_fetches_nothing_from_outside(template_dir, monkeypatch):
    requested = []
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open", lambda self, url, *a, **k: requested.append(url)
    )
    (template_dir / "remote.html").write_text(
        '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="file:///etc/passwd">ok'
    )
    content = pdf.render_pdf("remote.html", {})
    assert content.startswith(b"%PDF")
    assert requested == []
