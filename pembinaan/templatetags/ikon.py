"""`{% ikon "bell" %}`: one icon of the sprite (pembinaan/ikon.py), drawn in the text's colour at
the text's size. Decorative unless given a `label`, which screen readers read instead."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def ikon(name: str, label: str = "", css_class: str = ""):
    described = (
        format_html('role="img" aria-label="{}"', label)
        if label
        else mark_safe('aria-hidden="true"')
    )
    return format_html(
        '<svg class="bi{}" width="16" height="16" {}><use href="{}#{}"></use></svg>',
        f" {css_class}" if css_class else "",
        described,
        static("ikon/ikon.svg"),
        name,
    )
