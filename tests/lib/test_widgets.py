from django import forms
from django.test.html import parse_html

from pembinaan.lib.widgets import FastSelect

CHOICES = [("", "---------"), ("a", "Satu & dua"), ("b", "<b>Tiga</b>")]


def test_fast_select_renders_what_djangos_select_renders():
    for value in (None, "a", "b"):
        fast = FastSelect(choices=CHOICES, attrs={"class": "form-select", "id": "id_x"})
        plain = forms.Select(choices=CHOICES, attrs={"class": "form-select", "id": "id_x"})
        assert parse_html(fast.render("x", value)) == parse_html(plain.render("x", value))


def test_fast_select_renders_option_groups_like_django():
    choices = [("", "Semua"), ("Golongan III", [("31", "III/a"), ("32", "III/b")])]
    fast = FastSelect(choices=choices).render("g", "32")
    assert parse_html(fast) == parse_html(forms.Select(choices=choices).render("g", "32"))


def test_fast_select_escapes_labels():
    html = FastSelect(choices=CHOICES).render("x", None)
    assert "&lt;b&gt;Tiga&lt;/b&gt;" in html and "Satu &amp; dua" in html
