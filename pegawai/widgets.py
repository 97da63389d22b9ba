"""The unit picker's select: a province has hundreds of units, a national instance tens of
thousands, and a select listing all of them made the pegawai list's page grow from 53 KB to
280 KB between 100,000 and 1,000,000 pegawai (issue 24). It lists the whole scope only when it is
small; otherwise the chosen units, the units above and below them and the top of the scope, and
static/js/select-cari.js asks pegawai:unit_cari for the units matching what is typed."""

from html import escape
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import mark_safe

from pembinaan.lib.widgets import SearchableSelect, SearchableSelectMultiple

from .models import UnitKerja, UnitPilihan

# Up to this many units a select lists them all (a unit's HR, most often): it works as it is
# without JavaScript, and the search box narrows it in the browser.
UNIT_SEMUA_MAX = 50


def unit_terdaftar(units: list[UnitPilihan], chosen: set[str]) -> list[UnitPilihan]:
    """The units a picker lists for these chosen ids (in tree order): all of a small scope;
    of a big one the chosen units, those above them and their direct sub-units, and the top
    units of the scope when they are few. Without JavaScript a user walks down the tree from
    there, one choice at a time."""
    if len(units) <= UNIT_SEMUA_MAX:
        return units
    paths = [u.path for u in units if str(u.pk) in chosen]
    top = min((u.depth for u in units), default=0)
    tops = sum(u.depth == top for u in units)

    def listed(unit: UnitPilihan) -> bool:
        if str(unit.pk) in chosen or (unit.depth == top and tops <= UNIT_SEMUA_MAX):
            return True
        parent = unit.path[: -UnitKerja.steplen]
        return any(path.startswith(unit.path) or parent == path for path in paths)

    return [u for u in units if listed(u)]


class UnitCariSelect(SearchableSelect):
    """The select of pegawai.forms.UnitCariField: its scope (`units`) set by the form, the
    options chosen when it renders."""

    def __init__(self, attrs=None, choices=(), *, lingkup: str = "kelola"):
        attrs = {"data-cari": "Ketik nama atau kode unit…", "data-cari-jenis": "unit"} | (
            attrs or {}
        )
        super().__init__(attrs, choices)
        self.lingkup = lingkup
        self.units: list[UnitPilihan] | None = None  # None: the choices as given
        self.empty_label: str | None = None
        # A form that saves offers, beside a big scope's select, a button that sends the form
        # back (unsaved) with the chosen unit's sub-units listed: the way down the tree
        # without JavaScript. `ditelusuri`: that button was pressed (pegawai.forms.UnitScope).
        self.telusuri = False
        self.ditelusuri = False

    def value_from_datadict(self, data, files, name):
        self.ditelusuri = self.telusuri and telusuri_name(name) in data
        return super().value_from_datadict(data, files, name)

    def render(self, name, value, attrs=None, renderer=None):
        if self.units is None:
            return super().render(name, value, attrs, renderer)
        chosen = {str(v) for v in self.format_value(value)}
        empty = [] if self.empty_label is None else [("", self.empty_label)]
        listed = unit_terdaftar(self.units, chosen)
        self.choices = empty + [(u.pk, u.label_jalur) for u in listed]
        # Found by its code too, as pegawai.models.unit_search finds it ("DINKES").
        self.kata_cari = {str(u.pk): u.kode for u in listed}
        attrs = dict(attrs or {})
        if len(self.units) <= UNIT_SEMUA_MAX:
            return super().render(name, value, attrs, renderer)
        query = urlencode({"lingkup": self.lingkup})
        attrs["data-cari-url"] = f"{reverse('pegawai:unit_cari')}?{query}"
        select = super().render(name, value, attrs, renderer)
        if not self.telusuri:
            return select
        button = (
            f'<button type="submit" name="{escape(telusuri_name(name))}" value="1" '
            'formnovalidate class="btn btn-sm btn-outline-secondary mt-1">'
            "Tampilkan sub-unit</button>"
        )
        return mark_safe(select + button)  # the select is safe, the button's name escaped


def telusuri_name(name: str) -> str:
    """The name of the button that lists the sub-units of the units chosen in field `name`."""
    return f"_telusuri_{name}"


class UnitCariSelectMultiple(UnitCariSelect, SearchableSelectMultiple):
    """Several units, listed as UnitCariSelect lists one."""
