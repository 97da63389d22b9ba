import pytest
from django import forms
from django.test.html import parse_html

from pembinaan.lib.widgets import FastSelect, FixedChoices

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


def test_the_options_written_once_mark_each_renders_own_choice():
    choices = [(1, "Satu"), (2, "Dua"), ("a&b", "Tiga")]
    for value in (1, "2", "a&b", None, 1):
        fast = FastSelect(choices=choices).render("x", value)
        assert parse_html(fast) == parse_html(forms.Select(choices=choices).render("x", value))


def test_other_choices_are_written_anew():
    FastSelect(choices=[(1, "Dinas Kesehatan")]).render("unit", None)
    renamed = FastSelect(choices=[(1, "Dinas Kesehatan Provinsi")]).render("unit", 1)
    assert '<option value="1" selected>Dinas Kesehatan Provinsi</option>' in renamed


def test_fixed_choices_validate_and_render_like_a_list():
    pairs = [("", "Semua"), ("1", "Dinas Kesehatan"), ("2", "— Bidang Pelayanan")]
    fixed = forms.ChoiceField(required=False, widget=FastSelect)
    fixed.choices = FixedChoices(pairs)
    plain = forms.ChoiceField(required=False, choices=pairs)
    assert fixed.clean("2") == plain.clean("2") == "2"
    for field in (fixed, plain):
        with pytest.raises(forms.ValidationError):
            field.clean("3")
    assert parse_html(fixed.widget.render("unit", "1")) == parse_html(
        forms.Select(choices=pairs).render("unit", "1")
    )
