"""Write static/ikon/ikon.svg again: the icons the templates and the sidebar name, from a copy of
Bootstrap Icons' SVG files (the `icons/` folder of https://github.com/twbs/icons or of the npm
package `bootstrap-icons`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pembinaan.ikon import SPRITE, sprite_build, used_icons


class Command(BaseCommand):
    help = "Tulis ulang sprite ikon dari berkas SVG Bootstrap Icons: hanya ikon yang dipakai."

    def add_arguments(self, parser):
        parser.add_argument("sumber", type=Path, help="folder icons/ dari Bootstrap Icons")

    def handle(self, *args, sumber: Path, **options):
        names = used_icons()
        missing = sorted(n for n in names if not (sumber / f"{n}.svg").exists())
        if missing:
            raise CommandError(f"Ikon tidak ada di {sumber}: {', '.join(missing)}")
        SPRITE.parent.mkdir(parents=True, exist_ok=True)
        SPRITE.write_text(sprite_build(names=names, source=sumber), encoding="utf-8")
        self.stdout.write(f"{len(names)} ikon ditulis ke {SPRITE}.")
