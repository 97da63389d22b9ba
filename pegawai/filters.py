import django_filters
from django import forms

from pembinaan.lib.widgets import FastSelect

from . import nip as nip_rules
from .forms import UnitChoiceField
from .models import Golongan, Jabatan, Pegawai, UnitKerja, User

MIN_NAME_SEARCH = 3


class PegawaiFilterForm(forms.Form):
    def clean_q(self) -> str:
        value = (self.cleaned_data.get("q") or "").strip()
        digits = nip_rules.normalize(value)
        if value and not digits.isdigit() and len(value) < MIN_NAME_SEARCH:
            raise forms.ValidationError(
                f"Ketik minimal {MIN_NAME_SEARCH} huruf untuk mencari nama, atau angka NIP."
            )
        return value


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def _select(**kwargs):
    return {"widget": FastSelect, **kwargs}


class PegawaiFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Cari nama atau NIP", method="filter_q")
    unit = UnitFilter(
        **_select(
            label="Unit kerja (termasuk sub-unit)",
            queryset=UnitKerja.objects.none(),
            method="filter_unit",
            empty_label="Semua unit",
        )
    )
    golongan = django_filters.ModelChoiceFilter(
        **_select(queryset=Golongan.objects.order_by("kode"), empty_label="Semua golongan")
    )
    jenis_jabatan = django_filters.ChoiceFilter(
        **_select(
            field_name="jabatan__jenis",
            label="Jenis jabatan",
            choices=Jabatan.Jenis.choices,
            empty_label="Semua jenis",
        )
    )
    status_kepegawaian = django_filters.ChoiceFilter(
        **_select(
            label="Status", choices=Pegawai.StatusKepegawaian.choices, empty_label="Semua status"
        )
    )
    aktif = django_filters.ChoiceFilter(
        **_select(
            label="Keaktifan",
            choices=[("ya", "Aktif"), ("tidak", "Nonaktif"), ("semua", "Semua")],
            empty_label=None,
            method="filter_aktif",
        )
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
        self.filters["unit"].queryset = UnitKerja.objects.managed_by(user).order_by("path")
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, FastSelect)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    def filter_q(self, queryset, name, value):
        digits = nip_rules.normalize(value)
        if digits.isdigit():
            # A btree prefix on the unique NIP index.
            return queryset.filter(nip__startswith=digits)
        # Served by the trigram index on UPPER(nama) (migration 0002) on PostgreSQL.
        return queryset.filter(nama__icontains=value)

    def filter_unit(self, queryset, name, value):
        return queryset.di_unit(value)

    def filter_aktif(self, queryset, name, value):
        if value == "semua":
            return queryset
        return queryset.filter(aktif=value != "tidak")
