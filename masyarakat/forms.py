from django import forms

from pegawai.forms import DateInput

from .models import ResponSurvei, UnitLayanan
from .referensi import UNSUR


class SurveiForm(forms.ModelForm):
    """The public IKM questionnaire. `situs_web` is a honeypot: people leave it empty, bots
    fill it in."""

    situs_web = forms.CharField(
        required=False,
        label="Kosongkan kolom ini",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ResponSurvei
        fields = ["usia", "jenis_kelamin", "pendidikan", "pekerjaan",
                  "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "saran"]  # fmt: skip
        widgets = {"saran": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, nama, question, labels in UNSUR:
            self.fields[key] = forms.TypedChoiceField(
                label=f"{key.upper()}. {nama}: {question}",
                choices=[(i, f"{i} – {label}") for i, label in enumerate(labels, start=1)],
                coerce=int,
                empty_value=None,
                required=key != "u4",
                widget=forms.RadioSelect,
                help_text="Boleh dikosongkan bila biaya ditanggung pihak lain."
                if key == "u4"
                else "",
                error_messages={"invalid_choice": "Pilih salah satu jawaban 1–4."},
            )
        self.fields["saran"].label = "Saran untuk perbaikan layanan (opsional)"

    def clean_saran(self) -> str:
        return self.cleaned_data["saran"].strip()[:2000]

    def is_bot(self) -> bool:
        return bool(self.data.get("situs_web"))


class ImporSurveiForm(forms.Form):
    unit_layanan = forms.ModelChoiceField(label="Unit layanan", queryset=UnitLayanan.objects.none())
    tanggal = forms.DateField(
        label="Tanggal pengisian kuesioner",
        widget=DateInput(),
        help_text="Menentukan periode (triwulan/semester/tahun) respon ini.",
    )
    file = forms.FileField(
        label="Berkas CSV atau XLSX", help_text="Paling besar 2 MB, 5.000 baris."
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_layanan"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Berkas paling besar 2 MB.")
        return upload
