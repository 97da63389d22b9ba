from django import forms

from pegawai.forms import DateInput
from pegawai.models import UnitKerja, User
from pelatihan.forms import FILE_SIGNATURES, MAX_SERTIFIKAT_BYTES

from .models import (
    Ekspektasi,
    LaporanPascaPelatihan,
    PeriodePenilaian,
    PutaranIklim,
    ReaksiPeserta,
)
from .referensi import PERNYATAAN_IKLIM


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


class LaporanForm(forms.ModelForm):
    class Meta:
        model = LaporanPascaPelatihan
        fields = [
            "perubahan",
            "contoh",
            "dampak",
            "kendala",
            "kebutuhan",
            "kompetensi_dibutuhkan",
            "lampiran",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["perubahan", "contoh", "dampak", "kendala", "kebutuhan"]
        }
        help_texts = {
            "lampiran": "Opsional: PDF, PNG atau JPEG, paling besar 5 MB.",
            "kompetensi_dibutuhkan": "Kompetensi yang masih perlu Anda kembangkan.",
        }

    def clean_lampiran(self):
        upload = self.cleaned_data.get("lampiran")
        if not upload or not hasattr(upload, "size"):
            return upload
        if upload.size > MAX_SERTIFIKAT_BYTES:
            raise forms.ValidationError("Lampiran paling besar 5 MB.")
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(signature) for signature in FILE_SIGNATURES):
            raise forms.ValidationError(
                "Lampiran harus PDF, PNG atau JPEG; isinya bukan salah satunya."
            )
        return upload


class VerifikasiLaporanForm(forms.Form):
    nilai = forms.TypedChoiceField(
        label="Penilaian perubahan",
        coerce=int,
        required=False,
        choices=[("", "—")] + LaporanPascaPelatihan.Penilaian.choices,
    )
    komentar = forms.CharField(
        label="Komentar", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReaksiForm(forms.ModelForm):
    class Meta:
        model = ReaksiPeserta
        fields = [*ReaksiPeserta.ASPEK, "komentar"]
        widgets = {
            name: forms.RadioSelect(attrs={"class": "form-check-inline"})
            for name in ReaksiPeserta.ASPEK
        }
        help_texts = {"materi": "1 sangat kurang – 5 sangat baik"}


class PutaranIklimForm(forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        label="Unit (termasuk sub-unit)",
        queryset=UnitKerja.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = PutaranIklim
        fields = ["nama", "tanggal_mulai", "tanggal_selesai"]
        widgets = {"tanggal_mulai": DateInput(), "tanggal_selesai": DateInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = UnitKerja.objects.managed_by(user).filter(depth__lte=2)
        self.fields["units"].label_from_instance = lambda unit: unit.label_bertingkat


class IklimForm(forms.Form):
    """The questionnaire: twelve statements on a 1–5 scale and one open question."""

    teks = forms.CharField(
        label="Apa yang paling perlu diperbaiki di lingkungan kerja Anda?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scale = [(1, "1 sangat tidak setuju"), (2, "2"), (3, "3"), (4, "4"), (5, "5 sangat setuju")]
        for key, _, text in PERNYATAAN_IKLIM:
            self.fields[key] = forms.TypedChoiceField(
                label=text,
                choices=scale,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Pilih 1–5.", "invalid_choice": "Pilih 1–5."},
            )
        self.order_fields([k for k, *_ in PERNYATAAN_IKLIM] + ["teks"])
