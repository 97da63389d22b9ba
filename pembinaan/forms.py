from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from pegawai.forms import DateInput
from pegawai.models import Pegawai

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
        field = self.fields["peserta"]
        field.queryset = Pegawai.objects.filter(pk__in=[p.pk for p in usulan.kandidat]).order_by(
            "nama", "pk"
        )
        field.label_from_instance = lambda p: f"{p.nama_lengkap} ({p.nip})"

    def clean(self):
        cleaned = super().clean()
        mulai, selesai = cleaned.get("tanggal_mulai"), cleaned.get("tanggal_selesai")
        if mulai and selesai and selesai < mulai:
            self.add_error("tanggal_selesai", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
        return cleaned
