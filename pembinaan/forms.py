from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .lib import ratelimit
from .models import TargetProgram

# Failed logins: an account locks after five within fifteen minutes, an address after twenty.
GAGAL_PER_AKUN = 5
GAGAL_PER_ALAMAT = 20
KUNCI_DETIK = 15 * 60


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

    def clean(self):
        """Refuse at once while the account or the address is locked; count each failure;
        a successful login clears the account's count."""
        name = "".join((self.cleaned_data.get("username") or "").split()).lower()
        keys = {
            f"login:akun:{name}": GAGAL_PER_AKUN,
            f"login:alamat:{ratelimit.client_address(self.request)}": GAGAL_PER_ALAMAT,
        }
        if any(ratelimit.count(key) >= limit for key, limit in keys.items()):
            raise ValidationError(
                "Terlalu banyak percobaan masuk yang gagal; akun ini dikunci sementara. Coba lagi "
                "dalam 15 menit, atau minta pengelola kepegawaian mengatur ulang kata sandi Anda.",
                code="locked",
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            for key, limit in keys.items():
                ratelimit.allow(key, limit=limit, window_seconds=KUNCI_DETIK)
            raise
        ratelimit.reset(f"login:akun:{name}")
        return cleaned


class TargetForm(forms.ModelForm):
    class Meta:
        model = TargetProgram
        fields = ["nilai_target"]
        localized_fields = ["nilai_target"]  # 3,8 as HR writes it
        error_messages = {
            "nilai_target": {"invalid": "Nilai target berupa angka, mis. 80 atau 3,8."}
        }
