"""The sidebar: each page marks the entry it belongs to, and a change of role shows at once
although the sidebar is rendered once per set of roles."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests import factories


def active(page) -> list[str]:
    html = page.content.decode()
    pattern = r'class="nav-link active"[^>]*aria-current="page"><svg[^>]*>.*?</svg> ([^<]+)<'
    return [unescape(label) for label in re.findall(pattern, html)]


@pytest.mark.parametrize(
    ("who", "path", "entry"),
    [
        ("admin", "/", "Beranda"),
        ("admin", "/program/kebutuhan/", "Kebutuhan pelatihan"),  # not also "Program & target"
        ("admin", "/program/", "Program & target"),
        ("pengelola", "/program/kepatuhan-jp/", "Kepatuhan 20 JP"),
        ("pegawai", "/pelatihan/jp/", "JP saya"),
        ("pegawai", "/pelatihan/", "Katalog pelatihan"),
        ("atasan", "/pegawai/", "Bawahan saya"),
    ],
)
def test_a_page_marks_the_entry_it_belongs_to(login, cast, who, path, entry):
    assert active(login(getattr(cast, who)).get(path)) == [entry]


def test_a_pegawai_page_belongs_to_the_list_unless_it_is_ones_own(login, cast):
    own = reverse("pegawai:detail", args=[cast.pegawai_pegawai.pk])
    assert active(login(cast.pegawai).get(own)) == ["Profil saya"]
    assert active(login(cast.admin).get(own)) == ["Data pegawai"]


def test_a_first_subordinate_brings_the_atasan_entry_on_the_next_page(login, cast):
    client = login(cast.pegawai)
    assert "Bawahan saya" not in client.get("/").content.decode()
    factories.pegawai(cast.yankes, nama="Staf Baru", atasan=cast.pegawai_pegawai)
    assert "Bawahan saya" in client.get("/").content.decode()


def test_links_follow_the_script_prefix_of_each_request(login, cast):
    from django.test.utils import override_script_prefix

    client = login(cast.admin)
    own = f"/pegawai/{cast.pegawai_pegawai.pk}/"
    plain = client.get("/pegawai/").content.decode()
    assert 'href="/program/"' in plain and f'href="{own}"' in plain
    with override_script_prefix("/sibina/"):  # what gunicorn sets from SCRIPT_NAME
        under = client.get("/pegawai/").content.decode()
    assert 'href="/sibina/program/"' in under and f'href="/sibina{own}"' in under
    assert 'href="/program/"' in client.get("/pegawai/").content.decode()
