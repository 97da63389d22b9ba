"""The cache with real processes: what one application instance changes, the other shows at its
next request; a Redis that hangs costs a page well under a second, never the page."""

import os
import re
import signal
import time
import urllib.request
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from masyarakat.models import UnitLayanan
from pegawai.models import UnitKerja
from tests.workers import database_url, start_worker, stop_worker

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user) -> dict[str, str]:
    """The headers of a request by `user` to another process: the session is in the database
    (both processes read it there), the CSRF token a cookie and its header."""
    client = Client()
    client.force_login(user)
    csrf = get_random_string(32)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
    return {"Cookie": cookie, "X-CSRFToken": csrf}


def page(server, path: str, headers: dict[str, str] | None = None) -> str:
    request = urllib.request.Request(server.url + path, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def post(server, path: str, fields: list[tuple[str, str]], headers: dict[str, str]) -> int:
    return server.status(path, data=urlencode(fields).encode(), headers=headers)


def unit_change_fields(server, unit: UnitKerja, headers, **changes) -> list[tuple[str, str]]:
    """The admin's change form of `unit` as it stands (treebeard's position fields included),
    with `changes`."""
    html = page(server, reverse("admin:pegawai_unitkerja_change", args=[unit.pk]), headers)

    def selected(name: str) -> str:
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
        return re.search(r'<option value="([^"]*)" selected', select).group(1)

    fields = {"kode": unit.kode, "nama": unit.nama, "jenis": unit.jenis}
    fields |= {name: selected(name) for name in ("treebeard_position", "treebeard_ref_node")}
    fields |= changes
    pengelola = fields.pop("pengelola", [u.pk for u in unit.pengelola.all()])
    return [*fields.items(), *(("pengelola", str(pk)) for pk in pengelola)]


def test_what_one_instance_changes_the_other_shows_at_its_next_request(
    cast, private_redis, start_server, tmp_path
):
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path)} | private_redis.env()
    worker = start_worker(tmp_path, "sibina-dua-instans", private_redis.env())
    try:
        one, other = start_server(env), start_server(env)
        admin = signed_in(cast.admin)
        pengelola = signed_in(cast.pengelola)
        detail = reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk])
        # Both instances have read (and cached) the tree, the service units and the roles.
        for server in (one, other):
            assert "Dinas Kesehatan" in page(server, reverse("pegawai:list"), admin)
            assert "Poli Gigi" not in page(server, reverse("masyarakat:masukan_create"))
            assert server.status(detail, headers=pengelola) == 200

        renamed = unit_change_fields(one, cast.dinkes, admin, nama="Dinas Kesehatan Provinsi")
        change = reverse("admin:pegawai_unitkerja_change", args=[cast.dinkes.pk])
        assert post(one, change, renamed, admin) == 302
        assert "Dinas Kesehatan Provinsi" in page(other, reverse("pegawai:list"), admin)

        added = [("unit", str(cast.dinkes.pk)), ("nama", "Poli Gigi"), ("kode", "poli-gigi"),
                 ("aktif", "on")]  # fmt: skip
        assert post(one, reverse("admin:masyarakat_unitlayanan_add"), added, admin) == 302
        assert UnitLayanan.objects.filter(nama="Poli Gigi").exists()
        assert "Poli Gigi" in page(other, reverse("masyarakat:masukan_create"))

        cast.dinkes.refresh_from_db()
        withdrawn = unit_change_fields(one, cast.dinkes, admin, pengelola=[])
        assert post(one, change, withdrawn, admin) == 302
        assert not cast.dinkes.pengelola.exists()
        assert other.status(detail, headers=pengelola) == 404
    finally:
        stop_worker(worker)


PUBLIC_PAGES = ["masyarakat:warga", "masyarakat:masukan_create"]
SIGNED_IN_PAGES = ["beranda", "pegawai:list"]


def test_a_redis_that_hangs_costs_a_page_less_than_a_second(
    cast, private_redis, start_server, tmp_path
):
    """A Redis frozen (SIGSTOP: connections are accepted, nothing answers) rather than down."""
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path)} | private_redis.env()
    server = start_server(env)
    headers = signed_in(cast.admin)
    for name in PUBLIC_PAGES + SIGNED_IN_PAGES:
        assert server.status(reverse(name), headers=headers) == 200  # warm
    os.kill(private_redis.process.pid, signal.SIGSTOP)
    try:
        for _ in range(3):
            for name in PUBLIC_PAGES:
                started = time.monotonic()
                assert server.status(reverse(name)) == 200
                assert time.monotonic() - started < 1.0, name
            for name in SIGNED_IN_PAGES:
                started = time.monotonic()
                assert server.status(reverse(name), headers=headers) == 200
                assert time.monotonic() - started < 1.0, name
    finally:
        os.kill(private_redis.process.pid, signal.SIGCONT)
    log = open(server.log.name).read()
    assert log.count("cache unreachable") == 1  # one line, not one per request or call
    assert "Traceback" not in log
