import unicodedata

import django_filters
from django import forms

from . import nip as nip_rules
from .forms import UnitCariField
from .models import Jabatan, Pegawai, User, subtree_ids, unit_pilihan
from .referensi import golongan_choices

MIN_NAME_SEARCH = 3


class PegawaiFilterForm(forms.Form):
    def clean_q(self) -> str:
        # Full-width letters and digits (a phone's keyboard, a pasted name) read as plain ones,
        # and runs of spaces as one: "ｓａｎｔｏ", "Ahmad  Yusuf".
        value = " ".join(unicodedata.normalize("NFKC", self.cleaned_data.get("q") or "").split())
        digits = nip_rules.normalize(value)
        if value and not digits.isdigit() and len(value) < MIN_NAME_SEARCH:
            # The list below is then not searched: said, so its count is not read as matches.
            raise forms.ValidationError(
                f"Ketik minimal {MIN_NAME_SEARCH} huruf untuk mencari nama, atau angka NIP. "
                "Daftar di bawah belum disaring menurut pencarian ini."
            )
        return value


class UnitFilter(django_filters.Filter):
    """A unit of the user's scope, picked by search where the scope is big (UnitCariField)."""

    field_class = UnitCariField


class PegawaiFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Cari nama atau NIP", method="filter_q")
    # The units come from the cached tree (see __init__), which serves the picker, the
    # validation of the choice and the subtree below it.
    unit = UnitFilter(
        label="Unit kerja (termasuk sub-unit)",
        method="filter_unit",
        lingkup="kelola",
        empty_label="Semua unit",
    )
    golongan = django_filters.ChoiceFilter(
        # A function, which the per-request copies of filters and fields leave alone.
        field_name="golongan_id",
        choices=golongan_choices,
        empty_label="Semua golongan",
    )
    jenis_jabatan = django_filters.ChoiceFilter(
        field_name="jabatan__jenis",
        label="Jenis jabatan",
        choices=Jabatan.Jenis.choices,
        empty_label="Semua jenis",
    )
    status_kepegawaian = django_filters.ChoiceFilter(
        label="Status", choices=Pegawai.StatusKepegawaian.choices, empty_label="Semua status"
    )
    aktif = django_filters.ChoiceFilter(
        label="Keaktifan",
        choices=[("ya", "Aktif"), ("tidak", "Nonaktif"), ("semua", "Semua")],
        empty_label=None,
        method="filter_aktif",
    )

    class Meta:
        model = Pegawai
        fields = ["q", "unit", "golongan", "jenis_jabatan", "status_kepegawaian", "aktif"]
        form = PegawaiFilterForm

    def __init__(self, data=None, *args, user: User, **kwargs):
        # Active pegawai unless asked otherwise: the list is for today's workforce.
        data = data.copy() if data is not None else {}
        data.setdefault("aktif", "ya")
        super().__init__(data, *args, **kwargs)
        self.units = units = unit_pilihan(user)
        self.form.fields["unit"].units = units
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    @property
    def is_name_search(self) -> bool:
        """A search by part of a name (not a NIP prefix)."""
        value = self.form.cleaned_data.get("q") if self.form.is_valid() else ""
        return bool(value) and not nip_rules.normalize(value).isdigit()

    def filter_q(self, queryset, name, value):
        digits = nip_rules.normalize(value)
        if digits.isdigit():
            # A btree prefix on the unique NIP index.
            return queryset.filter(nip__startswith=digits)
        # Served by the trigram index on UPPER(nama) (migration 0002) on PostgreSQL.
        return queryset.filter(nama__icontains=value)

    def filter_unit(self, queryset, name, value):
        chosen = next(u for u in self.units if str(u.pk) == value)
        return queryset.filter(unit_id__in=subtree_ids(self.units, chosen))

    def filter_aktif(self, queryset, name, value):
        if value == "semua":
            return queryset
        return queryset.filter(aktif=value != "tidak")
