"""Only the icons used are shipped: one SVG sprite of exactly the icons the templates and the
sidebar name, drawn by {% ikon %}; no icon font, no leftover font markup."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from pembinaan.ikon import SPRITE, TEMPLATES, sprite_build, sprite_icons, used_icons


def test_the_sprite_holds_exactly_the_icons_the_pages_use():
    used, shipped = used_icons(), sprite_icons()
    assert {"bell", "search", "chat-left-text", "house"} <= used  # templates and the sidebar
    assert used - shipped == set(), "manage.py ikon_sprite <bootstrap-icons>/icons"
    assert shipped - used == set(), "unused icons are shipped: manage.py ikon_sprite"


def test_no_template_draws_an_icon_with_the_icon_font():
    leftovers = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"""class=["'][^"']*\bbi-""", path.read_text(encoding="utf-8"))
    ]
    assert leftovers == [], 'draw icons with {% load ikon %}{% ikon "name" %}'


def test_no_icon_font_is_among_the_static_files():
    static = Path(settings.BASE_DIR) / "static"
    fonts = [p.name for p in static.rglob("*") if p.suffix in {".woff", ".woff2", ".ttf", ".eot"}]
    assert fonts == []


def test_an_icon_is_decorative_unless_it_has_a_label():
    template = Template(
        '{% load ikon %}{% ikon "bell" %}|'
        '{% ikon "check-circle" label="merasakan" css_class="text-success" %}'
    )
    html = template.render(Context())
    plain, labelled = html.split("|")
    assert 'aria-hidden="true"' in plain and 'ikon/ikon.svg#bell"' in plain
    assert 'role="img" aria-label="merasakan"' in labelled and 'class="bi text-success"' in labelled


def test_the_sprite_command_writes_one_symbol_per_icon(tmp_path):
    (tmp_path / "bell.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" fill="currentColor" '
        'class="bi bi-bell" viewBox="0 0 16 16"><path d="M8 16a2 2 0 0 0 2-2H6"/></svg>'
    )
    sprite = tmp_path / "ikon.svg"
    sprite.write_text(sprite_build(names={"bell"}, source=tmp_path))
    assert sprite_icons(sprite) == {"bell"}
    assert '<symbol id="bell" viewBox="0 0 16 16"><path d="M8 16a2 2 0 0 0 2-2H6" /></symbol>' in (
        sprite.read_text()
    )
    assert SPRITE.name == "ikon.svg"
