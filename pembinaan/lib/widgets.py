"""A select for lists of hundreds of options: the unit tree, the jabatan. Knows no models.

Django renders a select through a template per option, which for the few hundred units of the
tree costs more than the rest of a list page (bench/). FastSelect writes the same markup
straight from the choices; small selects use Django's Select.

SearchableSelect and SearchableSelectMultiple mark the select with `data-cari`: static/js/
sibina.js puts a search box above it that hides the options not matching what is typed. Without
JavaScript the select works as it is.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

# A select's empty choice, which Django labels "---------": written in words, here and in
# templates/django/forms/widgets/select_option.html for Django's own selects.
PILIHAN_KOSONG = "— pilih —"


class FastSelect(forms.Select):
    # Words an option is also found by that its label does not show (a unit's code), by value:
    # written as data-cari-kata, which static/js/select-cari.js searches with the label.
    kata_cari: dict[str, str] = {}

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            _option(choice, label, chosen, self.kata_cari) for choice, label in self.choices
        )
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        attrs = flatatt({"name": name} | attrs)
        return mark_safe(f"<select{attrs}>{options}</select>")  # every part escaped in _option


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    """Several choices (the values read with getlist), rendered as FastSelect does."""


class SearchableSelect(FastSelect):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-cari": ""} | (attrs or {}), choices)


class SearchableSelectMultiple(FastSelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-cari": "", "size": 8} | (attrs or {}), choices)


def _option(value, label, chosen: set[str], kata_cari: dict[str, str]) -> str:
    if isinstance(label, list | tuple):  # a group: (its name, its choices)
        inner = "".join(_option(v, lab, chosen, kata_cari) for v, lab in label)
        return f'<optgroup label="{escape(str(value))}">{inner}</optgroup>'
    value = "" if value is None else str(value)
    selected = " selected" if value in chosen else ""
    kata = kata_cari.get(value)
    kata = f' data-cari-kata="{escape(kata)}"' if kata else ""
    label = PILIHAN_KOSONG if label == "---------" else str(label)
    return f'<option value="{escape(value)}"{selected}{kata}>{escape(label)}</option>'
