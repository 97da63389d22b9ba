from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from pegawai.forms import DateInput, unit_choices
from pegawai.models import Pegawai, UnitPilihan, subtree_ids

from . import audit
from .lib.widgets import FastSelect
from .models import TargetProgram

if TYPE_CHECKING:  # the analysis imports every app; the login form must not wait for them
    from .kebutuhan import Usulan


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Nama pengguna atau NIP",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Kata sandi",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Nama pengguna/NIP atau kata sandi salah. Perhatikan huruf besar-kecil.",
        "inactive": "Akun ini nonaktif. Hubungi pengelola kepegawaian unit Anda.",
    }


class TargetForm(forms.ModelForm):
    class Meta:
        model = TargetProgram
        fields = ["nilai_target"]
        localized_fields = ["nilai_target"]  # 3,8 as HR writes it
        error_messages = {
            "nilai_target": {"invalid": "Nilai target berupa angka, mis. 80 atau 3,8."}
        }


class RencanaAngkatanForm(forms.Form):
    """ "Rencanakan angkatan": the batch a row of the needs analysis proposes, prefilled
    (kebutuhan.usulan) for HR to complete; nothing is made until it is submitted."""

    nama = forms.CharField(label="Nama angkatan", max_length=100)
    tanggal_mulai = forms.DateField(label="Tanggal mulai", widget=DateInput())
    tanggal_selesai = forms.DateField(label="Tanggal selesai", widget=DateInput())
    tempat = forms.CharField(
        label="Tempat pelaksanaan",
        max_length=200,
        error_messages={"required": "Isi tempat pelaksanaan."},
    )
    kuota = forms.IntegerField(label="Kuota peserta", min_value=1, max_value=32_767)
    peserta = forms.ModelMultipleChoiceField(
        label="Pegawai yang dinominasikan",
        queryset=Pegawai.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pegawai unit ini dengan kesenjangan pada kompetensi ini; hapus centang untuk "
        "tidak menominasikannya.",
    )

    def __init__(self, data=None, *, usulan: "Usulan"):
        initial = {
            "nama": usulan.nama,
            "tanggal_mulai": usulan.tanggal_mulai,
            "tanggal_selesai": usulan.tanggal_selesai,
            "kuota": usulan.kuota,
            "peserta": [p.pk for p in usulan.kandidat],
        }
        super().__init__(data, initial=initial)
        self.usulan = usulan
        field = self.fields["peserta"]
        # Any pegawai validates, so a nominee outside the gap is refused by name (clean_peserta)
        # rather than as "5 bukan salah satu dari pilihan"; only the gap is offered.
        field.queryset = Pegawai.objects.order_by("nama", "pk")
        field.widget.choices = [(p.pk, f"{p.nama_lengkap} ({p.nip})") for p in usulan.kandidat]

    def clean_peserta(self):
        peserta = self.cleaned_data["peserta"]
        allowed = {p.pk for p in self.usulan.kandidat}
        outside = [p.nama_lengkap for p in peserta if p.pk not in allowed]
        if outside:
            raise forms.ValidationError(
                f"{', '.join(outside)} tidak termasuk pegawai dengan kesenjangan kompetensi ini."
            )
        return peserta

    def clean(self):
        cleaned = super().clean()
        mulai, selesai = cleaned.get("tanggal_mulai"), cleaned.get("tanggal_selesai")
        if mulai and selesai and selesai < mulai:
            self.add_error("tanggal_selesai", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
        return cleaned


class AuditFilterForm(forms.Form):
    """The audit log's filters (?jenis=&unit=&oleh=&dari=&sampai=&q=), over the units the user
    may read; a bad value is reported and that filter left out, never a 500."""

    q = forms.CharField(label="Cari", required=False, max_length=100)
    jenis = forms.ChoiceField(label="Jenis", required=False)
    unit = forms.ChoiceField(label="Unit (termasuk sub-unit)", required=False, widget=FastSelect())
    oleh = forms.CharField(label="Oleh", required=False, max_length=150)
    dari = forms.DateField(label="Dari tanggal", required=False, widget=DateInput())
    sampai = forms.DateField(label="Sampai tanggal", required=False, widget=DateInput())

    def __init__(self, data, *, units: list[UnitPilihan]):
        super().__init__(data)
        self.units = units
        self.fields["jenis"].choices = [("", "Semua jenis")] + [
            (key, j.label) for key, j in audit.JENIS.items()
        ]
        self.fields["unit"].choices = unit_choices(units, "Semua unit")
        self.fields["q"].widget.attrs["placeholder"] = "Nama, NIP, nomor, alasan…"
        self.fields["oleh"].widget.attrs["placeholder"] = "Nama atau nama pengguna; sistem"
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "form-select" if name in ("jenis", "unit") else "form-control"

    def clean(self):
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            self.add_error("sampai", "Tanggal akhir tidak boleh sebelum tanggal awal.")
        return data

    def filter(self) -> audit.Filter:
        self.is_valid()
        data = self.cleaned_data
        chosen = next((u for u in self.units if str(u.pk) == data.get("unit")), None)
        return audit.Filter(
            jenis=data.get("jenis") or "",
            unit_ids=subtree_ids(self.units, chosen) if chosen else None,
            oleh=(data.get("oleh") or "").strip(),
            dari=data.get("dari"),
            sampai=data.get("sampai"),
            q=(data.get("q") or "").strip(),
        )
