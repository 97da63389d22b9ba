"""The main pages in Chromium under the enforced Content Security Policy: nothing refused, and
the filters that used inline handlers still submit."""

import pytest

from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_main_pages_load_without_a_policy_violation(page, live_server, cast):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    for path in ("/warga/", "/masukan/", "/inovasi/"):
        page.goto(f"{live_server.url}{path}")
    sign_in(page, live_server, "pengelola")
    for path in (
        "/",
        "/pegawai/",
        "/masyarakat/masukan/",
        "/evaluasi/aksi/",
        "/program/kebutuhan/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert refused == []


def test_a_filter_select_submits_its_form(page, live_server, cast):
    sign_in(page, live_server, "pengelola")
    page.goto(f"{live_server.url}/masyarakat/masukan/")
    page.get_by_label("Status").select_option("spam")
    page.wait_for_url("**/masyarakat/masukan/?status=spam")
