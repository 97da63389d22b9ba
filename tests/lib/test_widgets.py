from django import forms
from django.test.html import parse_html

from pembinaan.lib.widgets import (
    FastSelect,
    FastSelectMultiple,
    SearchableSelect,
    SearchableSelectMultiple,
)

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


def test_fast_select_escapes_labels_and_values():
    html = FastSelect(choices=[*CHOICES, ('"><script>', "x")]).render("x", None)
    assert "&lt;b&gt;Tiga&lt;/b&gt;" in html and "Satu &amp; dua" in html
    assert "<script>" not in html


def test_fast_select_marks_the_chosen_value_whatever_its_type():
    choices = [(1, "Satu"), (2, "Dua"), ("a&b", "Tiga")]
    for value in (1, "2", "a&b", None):
        fast = FastSelect(choices=choices).render("x", value)
        assert parse_html(fast) == parse_html(forms.Select(choices=choices).render("x", value))


def test_a_choice_field_with_a_fast_select_validates_and_renders_like_djangos():
    pairs = [("", "Semua"), ("1", "Dinas Kesehatan"), ("2", "— Bidang Pelayanan")]
    fast = forms.ChoiceField(required=False, choices=pairs, widget=FastSelect)
    plain = forms.ChoiceField(required=False, choices=pairs)
    assert fast.clean("2") == plain.clean("2") == "2"
    assert parse_html(fast.widget.render("unit", "1")) == parse_html(
        plain.widget.render("unit", "1")
    )


def test_fast_select_multiple_renders_what_djangos_select_multiple_renders():
    for value in ([], ["a"], ["a", "b"]):
        fast = FastSelectMultiple(choices=CHOICES[1:], attrs={"id": "id_x"})
        plain = forms.SelectMultiple(choices=CHOICES[1:], attrs={"id": "id_x"})
        assert parse_html(fast.render("x", value)) == parse_html(plain.render("x", value))


def test_fast_select_multiple_reads_every_chosen_value():
    from django.http import QueryDict

    data = QueryDict("x=a&x=b")
    assert FastSelectMultiple().value_from_datadict(data, {}, "x") == ["a", "b"]


def test_searchable_selects_are_marked_for_the_search_box():
    assert "data-cari" in SearchableSelect(choices=CHOICES).render("x", None)
    html = SearchableSelectMultiple(choices=CHOICES[1:]).render("x", ["a"])
    assert "data-cari" in html and "multiple" in html
