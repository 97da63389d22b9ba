from django import forms
from django.conf import settings
from django.utils import timezone

from pembinaan.lib.tabular import XLSX_MAGIC, TableError, check_xlsx
from pembinaan.lib.widgets import FastSelect

from . import nip as nip_rules
from .models import HariLibur, Pegawai, UnitKerja, UnitPilihan, User


def unit_choices(units: list[UnitPilihan], empty_label: str) -> list[tuple]:
    """A unit dropdown's choices: an empty one, then the units in tree order, indented."""
    return [("", empty_label)] + [(u.pk, u.label_bertingkat) for u in units]


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates, which DATE_INPUT_FORMATS accepts."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    widget = FastSelect  # the whole tree: hundreds of units

    def label_from_instance(self, obj: UnitKerja) -> str:
        return obj.label_bertingkat


class PegawaiForm(forms.ModelForm):
    # Longer than the stored 18 digits: a NIP is usually typed grouped, "19660801 198803 1 001".
    nip = forms.CharField(
        label="NIP / NI PPPK", max_length=24, help_text=Pegawai._meta.get_field("nip").help_text
    )
    # A supervisor is named by NIP: a dropdown of every pegawai would list 100,000 options.
    atasan = forms.CharField(
        label="NIP atasan langsung",
        required=False,
        help_text="Kosongkan bila tidak ada (misalnya kepala OPD).",
    )
    unit = UnitChoiceField(queryset=UnitKerja.objects.none(), label="Unit kerja")

    class Meta:
        model = Pegawai
        fields = ["nip", *Pegawai.DATA_FIELDS]
        widgets = {
            name: DateInput()
            for name in ["tanggal_lahir", "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan"]
        } | {"jabatan": FastSelect()}  # thousands of jabatan

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = UnitKerja.objects.managed_by(user).order_by("path")
        self.fields["golongan"].queryset = self.fields["golongan"].queryset.order_by("kode")
        if self.instance.atasan_id and not self.is_bound:
            self.initial["atasan"] = self.instance.atasan.nip_tampil

    def clean_nip(self) -> str:
        return nip_rules.normalize(self.cleaned_data["nip"])

    def clean_atasan(self) -> Pegawai | None:
        value = nip_rules.normalize(self.cleaned_data["atasan"])
        if not value:
            return None
        atasan = Pegawai.objects.filter(nip=value).first()
        if atasan is None:
            raise forms.ValidationError(
                "Tidak ada pegawai dengan NIP ini. Periksa kembali NIP atasan."
            )
        if not atasan.aktif:
            # Named only when this user may see them: the atasan may sit above the user's units.
            who = (
                atasan.nama_lengkap
                if Pegawai.objects.visible_to(self.user).filter(pk=atasan.pk).exists()
                else "Pegawai dengan NIP ini"
            )
            raise forms.ValidationError(f"{who} sudah nonaktif; pilih atasan lain.")
        return atasan


class PegawaiKontakForm(forms.ModelForm):
    """What a pegawai changes on their own record: how to reach them, nothing that is decided
    about them."""

    class Meta:
        model = Pegawai
        fields = ["email", "telepon"]


class PegawaiDeactivateForm(forms.Form):
    """Shown, unbound, on every pegawai page HR may change: plain widgets, no crispy layout."""

    alasan = forms.ChoiceField(
        label="Alasan",
        choices=Pegawai.AlasanNonaktif.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    tanggal = forms.DateField(
        label="Tanggal berlaku",
        widget=DateInput(attrs={"class": "form-control"}),
        initial=timezone.localdate,
    )


class ImporForm(forms.Form):
    file = forms.FileField(
        label="Berkas CSV atau XLSX",
        help_text="Gunakan templat di atas. Paling besar 10 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPOR_MAX_BYTES:
            raise forms.ValidationError(
                f"Berkas terlalu besar ({upload.size / 1_048_576:.1f} MB); paling besar "
                f"{settings.IMPOR_MAX_BYTES // 1_048_576} MB."
            )
        head = upload.read(2048)
        upload.seek(0)
        looks_like_text = b"\x00" not in head
        if head[:4] != XLSX_MAGIC and not looks_like_text:
            raise forms.ValidationError("Berkas harus CSV atau XLSX; isinya bukan keduanya.")
        if head[:4] == XLSX_MAGIC:
            # Refused here, before a job is queued; the check runs again before each reading.
            try:
                check_xlsx(upload, max_rows=settings.IMPOR_MAX_ROWS)
            except TableError as error:
                raise forms.ValidationError(str(error)) from None
        return upload


class NotifikasiPengaturanForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["surel_notifikasi"]
        widgets = {"surel_notifikasi": forms.RadioSelect}
        labels = {"surel_notifikasi": "Kirim pemberitahuan ke surel saya"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["surel_notifikasi"]
        field.choices = [("", "Bawaan sesuai peran saya"), *User.Surel.choices]
        field.required = False


class HariLiburForm(forms.ModelForm):
    class Meta:
        model = HariLibur
        fields = ["tanggal", "jenis", "nama", "dasar"]
        widgets = {"tanggal": DateInput()}
        error_messages = {
            "tanggal": {"required": "Isi tanggal hari libur.", "invalid": "Tanggal tidak dikenal; "
                        "tulis seperti 17/08/2026."},
            "jenis": {"required": "Pilih libur nasional atau cuti bersama.",
                      "invalid_choice": "Pilih libur nasional atau cuti bersama."},
            "nama": {"required": "Isi keterangan, misalnya nama hari rayanya."},
        }  # fmt: skip

    def clean_tanggal(self):
        tanggal = self.cleaned_data["tanggal"]
        if not 2000 <= tanggal.year <= 2100:
            raise forms.ValidationError("Tahun hari libur harus antara 2000 dan 2100.")
        return tanggal
