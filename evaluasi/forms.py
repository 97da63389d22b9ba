from django import forms

from pegawai.forms import DateInput
from pegawai.models import UnitKerja, User

from .models import Ekspektasi, PeriodePenilaian


class PeriodeForm(forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        label="Unit yang dinilai (termasuk sub-unit)",
        queryset=UnitKerja.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = PeriodePenilaian
        fields = ["nama", "jenis", "tanggal_mulai", "tanggal_selesai"]
        widgets = {"tanggal_mulai": DateInput(), "tanggal_selesai": DateInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = UnitKerja.objects.managed_by(user).filter(depth__lte=2)
        self.fields["units"].label_from_instance = lambda unit: unit.label_bertingkat


class PenilaianForm(forms.Form):
    hasil_kerja = forms.ChoiceField(label="Hasil kerja", choices=Ekspektasi.choices)
    perilaku_kerja = forms.ChoiceField(label="Perilaku kerja", choices=Ekspektasi.choices)
    catatan = forms.CharField(
        label="Catatan", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
