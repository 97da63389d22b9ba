"""The icons SIBINA shows: Bootstrap Icons drawn from one SVG sprite that holds only the icons
the templates and the sidebar name (static/ikon/ikon.svg, about 9 KB; the whole icon font it
replaces cost 134 KB on a citizen's first visit). A template draws one with `{% ikon "bell" %}`
(pembinaan/templatetags/ikon.py). After an icon is added or dropped,
`manage.py ikon_sprite <bootstrap-icons>/icons` writes the sprite again;
tests/pembinaan/test_ikon.py fails while the sprite and the templates disagree."""

import re
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings

SPRITE = Path(settings.BASE_DIR) / "static" / "ikon" / "ikon.svg"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
SVG = "http://www.w3.org/2000/svg"
# `{% ikon "name" %}`; a name held in a variable comes from the sidebar's MENU.
TEMPLATE_ICON = re.compile(r"""{%\s*ikon\s+["']([a-z0-9-]+)["']""")


def used_icons() -> set[str]:
    """Every icon a page can show: those the templates name and the sidebar's entries."""
    from .navigation import MENU

    names = {entry.icon for _, entries in MENU for entry in entries}
    for path in TEMPLATES.rglob("*.html"):
        names |= set(TEMPLATE_ICON.findall(path.read_text(encoding="utf-8")))
    return names


def sprite_icons(sprite: Path = SPRITE) -> set[str]:
    root = ElementTree.parse(sprite).getroot()
    return {symbol.get("id") for symbol in root.iter(f"{{{SVG}}}symbol")}


def sprite_build(*, names: set[str], source: Path) -> str:
    """The sprite of `names`, each a <symbol> made of Bootstrap Icons' `<name>.svg` in `source`."""
    ElementTree.register_namespace("", SVG)
    symbols = []
    for name in sorted(names):
        icon = ElementTree.parse(source / f"{name}.svg").getroot()
        symbol = ElementTree.Element(f"{{{SVG}}}symbol", id=name, viewBox=icon.get("viewBox"))
        symbol.extend(list(icon))
        symbols.append(
            ElementTree.tostring(symbol, encoding="unicode").replace(f' xmlns="{SVG}"', "")
        )
    return (
        "<!-- Bootstrap Icons (MIT, https://icons.getbootstrap.com), only those SIBINA uses: "
        "written by `manage.py ikon_sprite`. -->\n"
        f'<svg xmlns="{SVG}">\n' + "\n".join(symbols) + "\n</svg>\n"
    )
