"""Numbers in templates, written the one way (pembinaan.lib.angka): `{{ x|angka:1 }}` → "1.234,5",
`{{ x|persen }}` → "34,9 %", `{{ nilai|indikator:target.definisi }}` → the indicator's own
decimals and unit, `{{ selisih|perubahan:target.definisi }}` → a change of it, signed ("+2,5 poin",
"−0,25")."""

from django import template

from pembinaan.lib import angka as formats

register = template.Library()


@register.filter
def angka(value, desimal=0) -> str:
    return formats.angka(value, int(desimal))


@register.filter
def persen(value, desimal=1) -> str:
    return formats.persen(value, int(desimal))


@register.filter
def indikator(value, definisi) -> str:
    return definisi.tampil(value)


@register.filter
def perubahan(value, definisi) -> str:
    return definisi.tampil(value, tanda=True)
