from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import TargetProgram


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
