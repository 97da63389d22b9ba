from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from pegawai import nip as nip_rules
from pegawai.forms import DateInput, UnitCariField, UnitChoiceField, UnitMultipleChoiceField
from pegawai.models import Pegawai, UnitKerja, UnitPilihan, User, subtree_ids, unit_tree

from . import audit, talenta
from .lib.params import parse_int
from .models import JabatanKritikal, KandidatSuksesi, KlienApi, Potensial, TargetProgram

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
    unit = UnitCariField(label="Unit (termasuk sub-unit)", required=False, empty_label="Semua unit")
    oleh = forms.CharField(label="Oleh", required=False, max_length=150)
    dari = forms.DateField(label="Dari tanggal", required=False, widget=DateInput())
    sampai = forms.DateField(label="Sampai tanggal", required=False, widget=DateInput())

    def __init__(self, data, *, units: list[UnitPilihan], jenis: list[str]):
        super().__init__(data)
        self.units = units
        self.fields["jenis"].choices = [("", "Semua jenis")] + [
            (key, audit.JENIS[key].label) for key in jenis
        ]
        self.fields["unit"].units = units  # unit_pilihan
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


# --- Talent management --------------------------------------------------------------------


class NipField(forms.CharField):
    """A pegawai named by NIP (18 digits, spaces allowed): no dropdown of a province's
    pegawai."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "NIP pegawai")
        kwargs.setdefault("help_text", "18 digit, boleh dengan spasi: 19660801 198803 1 001.")
        super().__init__(max_length=30, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        pegawai = Pegawai.objects.aktif().filter(nip=nip_rules.normalize(text)).first()
        if pegawai is None:
            raise forms.ValidationError(
                "Tidak ada pegawai aktif dengan NIP ini. Periksa 18 digitnya."
            )
        return pegawai


class PotensialForm(forms.ModelForm):
    pegawai = NipField()

    class Meta:
        model = Potensial
        fields = ["pegawai", "tanggal", "sumber", "skor", "catatan"]
        widgets = {"tanggal": DateInput()}
        localized_fields = ["skor"]  # 82,5 as HR writes it
        error_messages = {"skor": {"invalid": "Skor berupa angka 0 sampai 100, mis. 82,5."}}

    def clean_tanggal(self):
        tanggal = self.cleaned_data["tanggal"]
        if tanggal > timezone.localdate():
            raise forms.ValidationError("Tanggal asesmen tidak boleh di masa depan.")
        return tanggal

    def clean_skor(self):
        skor = self.cleaned_data["skor"]
        if not 0 <= skor <= 100:
            raise forms.ValidationError("Skor potensial antara 0 dan 100.")
        return skor


class ImporPotensialForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas CSV atau XLSX",
        help_text="Kolom: " + ", ".join(talenta.KOLOM_IMPOR) + " (lihat petunjuk di bawah).",
    )

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        if upload.size > settings.IMPOR_MAX_BYTES:
            raise forms.ValidationError(
                f"Berkas lebih dari {settings.IMPOR_MAX_BYTES // 1_048_576} MB; bagi menjadi "
                "beberapa berkas."
            )
        return upload


class KalibrasiForm(forms.Form):
    kotak = forms.TypedChoiceField(
        label="Pindahkan ke kotak", coerce=int,
        choices=[(n, f"Kotak {n} – {k.label}") for n, k in talenta.KOTAK.items()],
    )  # fmt: skip
    alasan = forms.CharField(
        label="Alasan kalibrasi komite", widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000, error_messages={"required": "Tuliskan alasan kalibrasi komite talenta."},
    )  # fmt: skip


class JabatanKritikalForm(forms.ModelForm):
    alasan = forms.CharField(
        label="Alasan kritikal", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    unit = UnitChoiceField(
        queryset=UnitKerja.objects.order_by("path"),
        label="Unit",
        help_text=JabatanKritikal._meta.get_field("unit").help_text,
        required=False,
        empty_label="Semua unit",
        lingkup="semua",
    )

    class Meta:
        model = JabatanKritikal
        fields = ["jabatan", "unit", "alasan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].units = unit_tree()


class KandidatForm(forms.ModelForm):
    pegawai = NipField()

    class Meta:
        model = KandidatSuksesi
        fields = ["pegawai", "kesiapan", "kompetensi", "level_target", "bentuk", "jp", "catatan"]


class KomiteForm(forms.Form):
    username = forms.CharField(label="Nama pengguna atau NIP", max_length=150)

    def clean_username(self):
        text = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=text, is_active=True).first()
        if user is None:
            pegawai = Pegawai.objects.filter(nip=nip_rules.normalize(text)).first()
            user = pegawai.user if pegawai and pegawai.user and pegawai.user.is_active else None
        if user is None:
            raise forms.ValidationError("Tidak ada akun aktif dengan nama pengguna atau NIP ini.")
        return user


class DataTerbukaForm(forms.Form):
    """The open data page's year (/data/?tahun=2026), from the first year offered to this one.
    ASCII digits only (pembinaan.lib.params: int() would read "٢٠٢٥" as 2025)."""

    tahun = forms.CharField(label="Tahun", required=False, strip=True)

    def __init__(self, data, *, tahun_awal: int, tahun_ini: int):
        super().__init__(data)
        self.tahun_awal, self.tahun_ini = tahun_awal, tahun_ini

    def clean_tahun(self) -> int:
        typed = self.cleaned_data["tahun"]
        if not typed:
            return self.tahun_ini
        if parse_int(typed) is None:
            raise forms.ValidationError("Tahun harus berupa angka, misalnya 2026.")
        tahun = parse_int(typed, low=self.tahun_awal, high=self.tahun_ini)
        if tahun is None:
            raise forms.ValidationError(
                f"Data tersedia untuk tahun {self.tahun_awal} sampai {self.tahun_ini}; "
                "pilih salah satunya."
            )
        return tahun

    def pilihan(self) -> range:
        return range(self.tahun_ini, self.tahun_awal - 1, -1)


class KlienApiForm(forms.Form):
    """An API client's name, units and scope; the token itself is made by the service."""

    nama = forms.CharField(label="Nama sistem klien", max_length=200,
                           help_text="Mis. SIMPEG Dinas Kesehatan, e-Learning BPSDM.")  # fmt: skip
    units = UnitMultipleChoiceField(
        label="Unit kerja",
        queryset=UnitKerja.objects.order_by("path"),
        lingkup="semua",
        help_text="Klien membaca dan menulis data unit ini beserta seluruh sub-unitnya.",
        error_messages={"required": "Pilih paling sedikit satu unit kerja."},
    )
    cakupan = forms.ChoiceField(
        label="Cakupan", choices=KlienApi.Cakupan.choices, initial=KlienApi.Cakupan.BACA,
        help_text="Baca dan tulis: mencatat kegiatan pengembangan kompetensi dan mendaftarkan "
        "peserta angkatan.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].units = unit_tree()

    def clean_nama(self):
        nama = self.cleaned_data["nama"].strip()
        if not nama:
            raise forms.ValidationError("Isi nama sistem klien.")
        return nama
