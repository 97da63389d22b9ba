"""A citizen's first visit to /warga/ in the production configuration: DEBUG off, the static files
collected by WhiteNoise's compressed manifest storage and served by its middleware (not by the
test server's own static handler), weighed in Chromium as the bytes that crossed the network."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread
from django.utils import timezone

from masyarakat.models import ForumDialog, UnitLayanan

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_VISIT_LIMIT = 200 * 1024  # bytes, headers included


@pytest.fixture
def production_server(settings, tmp_path):
    """The application as deployed: collectstatic into a fresh STATIC_ROOT, then a server thread
    whose WhiteNoise middleware (created with DEBUG off) serves the hashed, compressed files."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    server = LiveServerThread(
        "localhost", static_handler=lambda app: app, connections_override=shared
    )
    server.daemon = True
    for connection in shared.values():
        connection.inc_thread_sharing()
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://localhost:{server.port}"
    server.terminate()
    for connection in shared.values():
        connection.dec_thread_sharing()


def test_a_first_visit_to_the_citizens_home_transfers_under_200_kb(production_server, cast, page):
    for n in range(12):  # a province's service units and a few forums: a page of real length
        layanan = UnitLayanan.objects.create(unit=cast.yankes, nama=f"Layanan {n}", kode=f"l{n}")
    for n in range(5):
        ForumDialog.objects.create(
            topik=f"Forum dialog {n}", unit_layanan=layanan, format="tatap_muka", kapasitas=30,
            waktu=timezone.now() + timedelta(days=7 + n), agenda="Tanya jawab",
        )  # fmt: skip
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    responses, finished, failed = {}, {}, []
    network.on(
        "Network.responseReceived", lambda e: responses.__setitem__(e["requestId"], e["response"])
    )
    network.on(
        "Network.loadingFinished",
        lambda e: finished.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    network.on("Network.loadingFailed", lambda e: failed.append(e))

    page.goto(f"{production_server}/warga/")
    page.wait_for_load_state("networkidle")
    page.locator("svg.bi").first.wait_for()

    urls = {rid: r["url"].removeprefix(production_server) for rid, r in responses.items()}
    weights = sorted(((finished[rid], urls[rid]) for rid in finished), reverse=True)
    statuses = sorted((r["status"], urls[rid]) for rid, r in responses.items())
    assert failed == [] and {s for s, _ in statuses} == {200}, statuses
    assert sum(w for w, _ in weights) < FIRST_VISIT_LIMIT, weights
    # What makes it light: hashed files from the manifest, compressed, and no icon font.
    assert any("/static/ikon/ikon." in url for url in urls.values())  # the sprite, drawn
    assert not any(url.endswith((".woff", ".woff2")) for url in urls.values())
    css = next(r for r in responses.values() if "bootstrap.min." in r["url"] and ".css" in r["url"])
    headers = {k.lower(): v for k, v in css["headers"].items()}
    assert headers.get("content-encoding") in {"gzip", "br"}, headers
    assert "immutable" in headers.get("cache-control", ""), headers
