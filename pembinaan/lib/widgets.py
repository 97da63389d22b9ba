"""Form widgets that render fast. Knows no models.

Django renders a select through `optgroups()` (a dict and an attribute copy per option) and a
template include per option; a unit dropdown of 250 options costs ~40 ms that way, most of a list
page. FastSelect writes the same markup straight from the choices, escaping with the standard
library (what django.utils.html.escape does, without its lazy-string wrapper per call), and
keeps the options it wrote: the same choices (the unit tree on every list page) are written once
per process, the chosen option marked at each render.
"""

from functools import lru_cache
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe


class FixedChoices(BaseChoiceIterator):
    """Choices already as (value, label) pairs, which Django then leaves as they are: a list
    is normalized again at each assignment, to the field and to its widget (a few hundred
    units cost ~0.5 ms that way)."""

    def __init__(self, choices: list[tuple]):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        options = _options(_frozen(self.choices))
        for chosen in self.format_value(value):
            unmarked = f'<option value="{escape(chosen)}">'
            options = options.replace(unmarked, f"{unmarked[:-1]} selected>", 1)
        attrs = flatatt({"name": name} | self.build_attrs(self.attrs, attrs))
        return mark_safe(f"<select{attrs}>{options}</select>")  # every part escaped in _options


def _frozen(choices) -> tuple:
    """The choices as nested tuples of strings, so that they can be a key of _options."""
    frozen = []
    for value, label in choices:
        value = "" if value is None else str(value)
        frozen.append((value, _frozen(label) if isinstance(label, list | tuple) else str(label)))
    return tuple(frozen)


@lru_cache(maxsize=256)
def _options(choices: tuple) -> str:
    def option(value: str, label: str) -> str:
        return f'<option value="{escape(value)}">{escape(label)}</option>'

    parts = []
    for value, label in choices:
        if isinstance(label, tuple):
            inner = "".join(option(*choice) for choice in label)
            parts.append(f'<optgroup label="{escape(value)}">{inner}</optgroup>')
        else:
            parts.append(option(value, label))
    return "".join(parts)
