import secrets

from django import forms
from django.db.models import Q

from pegawai import nip as nip_rules
from pegawai.forms import DateInput, UnitMultipleChoiceField
from pegawai.models import Pegawai, UnitKerja, User
from pelatihan.models import Peserta
from pembinaan.lib.honeypot import HoneypotForm
from pembinaan.lib.uploads import check_upload

from .models import (
    AksiPerubahan,
    BuktiTonggak,
    Ekspektasi,
    LaporanPascaPelatihan,
    PeriodePenilaian,
    PutaranIklim,
    ReaksiPeserta,
    TonggakAksi,
)
from .referensi import PERNYATAAN_IKLIM


class PeriodeForm(forms.ModelForm):
    units = UnitMultipleChoiceField(
        label="Unit yang dinilai (termasuk sub-unit)",
        queryset=UnitKerja.objects.none(),
    )

    class Meta:
        model = PeriodePenilaian
        fields = ["nama", "jenis", "tanggal_mulai", "tanggal_selesai"]
        widgets = {"tanggal_mulai": DateInput(), "tanggal_selesai": DateInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        units = (
            UnitKerja.objects.all() if user.manages_province else UnitKerja.objects.managed_by(user)
        )
        self.fields["units"].queryset = units.filter(depth__lte=2).order_by("path")


BELUM_DIPILIH = [("", "— belum dipilih —")]


class PenilaianForm(forms.Form):
    """One subordinate's row on the atasan's page. Nothing is chosen until the atasan chooses
    (an unrated pegawai is not silently "Baik"); a row left empty is simply not rated yet."""

    hasil_kerja = forms.ChoiceField(
        label="Hasil kerja", choices=BELUM_DIPILIH + Ekspektasi.choices, required=False
    )
    perilaku_kerja = forms.ChoiceField(
        label="Perilaku kerja", choices=BELUM_DIPILIH + Ekspektasi.choices, required=False
    )
    catatan = forms.CharField(
        label="Catatan", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data=None, *, pegawai: Pegawai, penilaian=None):
        initial = {}
        if penilaian is not None:
            initial = {
                "hasil_kerja": penilaian.hasil_kerja,
                "perilaku_kerja": penilaian.perilaku_kerja,
                "catatan": penilaian.catatan,
            }
        super().__init__(data, prefix=f"p{pegawai.pk}", initial=initial)
        self.pegawai, self.penilaian = pegawai, penilaian

    def clean(self):
        cleaned = super().clean()
        chosen = [bool(cleaned.get("hasil_kerja")), bool(cleaned.get("perilaku_kerja"))]
        if any(chosen) and not all(chosen):
            raise forms.ValidationError("Pilih hasil kerja dan perilaku kerja, keduanya.")
        if not any(chosen) and self.penilaian is not None:
            raise forms.ValidationError(
                "Penilaian yang sudah disimpan tidak dapat dikosongkan; pilih hasil kerja dan "
                "perilaku kerja."
            )
        if not any(chosen) and cleaned.get("catatan"):
            raise forms.ValidationError(
                "Catatan tanpa penilaian: pilih hasil kerja dan perilaku kerja."
            )
        return cleaned

    @property
    def is_rating(self) -> bool:
        """A chosen rating that differs from the saved one (an unchanged row is not saved again:
        that would ask the pegawai to acknowledge it anew)."""
        return bool(self.cleaned_data.get("hasil_kerja")) and self.has_changed()


class PenilaianBawahanForm:
    """Every row of the atasan's page in one form, validated together: the page saves all its
    rows or none, so saving never drops another row's choice."""

    def __init__(self, data=None, *, rows: list[tuple[Pegawai, object]]):
        # A row the request does not carry (a subordinate who joined after the page was
        # loaded) stays as it is.
        self.forms = [
            PenilaianForm(
                data if data is not None and f"p{p.pk}-hasil_kerja" in data else None,
                pegawai=p,
                penilaian=r,
            )
            for p, r in rows
        ]
        self.bound = [form for form in self.forms if form.is_bound]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.bound])  # every row, for every error

    @property
    def errors(self) -> list[str]:
        """Each refused row, named by its pegawai."""
        return [
            f"{form.pegawai.nama_lengkap}: {' '.join(e for es in form.errors.values() for e in es)}"
            for form in self.bound
            if form.errors
        ]

    def ratings(self) -> list[tuple[Pegawai, dict]]:
        return [(form.pegawai, form.cleaned_data) for form in self.bound if form.is_rating]


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
        return check_upload(self.cleaned_data.get("lampiran"))


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ReaksiPeserta.ASPEK:  # radios: no "---------" one, none chosen for them
            field = self.fields[name]
            field.choices = [choice for choice in field.choices if choice[0] != ""]


class PutaranIklimForm(forms.ModelForm):
    units = UnitMultipleChoiceField(
        label="Unit (termasuk sub-unit)",
        queryset=UnitKerja.objects.none(),
    )

    class Meta:
        model = PutaranIklim
        fields = ["nama", "tanggal_mulai", "tanggal_selesai"]
        widgets = {"tanggal_mulai": DateInput(), "tanggal_selesai": DateInput()}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        units = (
            UnitKerja.objects.all() if user.manages_province else UnitKerja.objects.managed_by(user)
        )
        self.fields["units"].queryset = units.filter(depth__lte=2).order_by("path")


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


class AksiForm(forms.ModelForm):
    """A change project. The mentor is named by NIP (the atasan by default): a list of every
    pegawai of the province would not fit in a select."""

    mentor_nip = forms.CharField(
        label="NIP mentor", help_text="Biasanya atasan langsung Anda; 18 digit, boleh berspasi."
    )

    class Meta:
        model = AksiPerubahan
        fields = ["peserta", "judul", "masalah", "layanan", "inovasi", "manfaat", "coach",
                  "tanggal_mulai"]  # fmt: skip
        widgets = {
            "tanggal_mulai": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ["masalah", "inovasi", "manfaat"]
            },
        }

    def __init__(self, *args, pegawai: Pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        self.pegawai = pegawai
        # NULL stays out of the subquery: NOT IN over a NULL would exclude every row.
        taken = (
            AksiPerubahan.objects.exclude(pk=self.instance.pk)
            .filter(peserta__isnull=False)
            .values("peserta")
        )
        self.fields["peserta"].queryset = (
            Peserta.objects.filter(
                pegawai=pegawai,
                angkatan__pelatihan__wajib_aksi_perubahan=True,
                status=Peserta.Status.TERDAFTAR,
            )
            .exclude(pk__in=taken)
            .select_related("angkatan__pelatihan")
        )
        self.fields["peserta"].label_from_instance = lambda p: str(p.angkatan)
        self.fields["peserta"].empty_label = "— Inovasi mandiri, bukan tugas pelatihan —"
        mentor = self.instance.mentor if self.instance.mentor_id else pegawai.atasan
        if mentor is not None and not self.is_bound:
            self.initial["mentor_nip"] = mentor.nip

    def clean_mentor_nip(self) -> Pegawai:
        """The mentor is looked up among the people around the pegawai: their atasan, their
        unit, their subordinates (and the mentor already named), so that a NIP from elsewhere
        does not come back as a name on the project's page."""
        value = nip_rules.normalize(self.cleaned_data["mentor_nip"])
        around = (
            Q(pk=self.pegawai.atasan_id)
            | Q(unit_id=self.pegawai.unit_id)
            | Q(atasan_id=self.pegawai.pk)
            | Q(pk=self.instance.mentor_id)
        )
        mentor = Pegawai.objects.aktif().filter(around, nip=value).first()
        if mentor is None:
            raise forms.ValidationError(
                "NIP tidak ditemukan di unit Anda. Isi NIP atasan langsung Anda atau pegawai "
                "aktif di unit Anda."
            )
        if mentor.pk == self.pegawai.pk:
            raise forms.ValidationError("Mentor adalah orang lain, biasanya atasan langsung Anda.")
        return mentor

    def save(self, commit=True):
        # The service saves; the form only hands over the mentor it looked up.
        aksi = super().save(commit=False)
        aksi.mentor = self.cleaned_data["mentor_nip"]
        return aksi


class TonggakForm(forms.ModelForm):
    class Meta:
        model = TonggakAksi
        fields = ["tahap", "uraian", "jatuh_tempo"]
        widgets = {"jatuh_tempo": DateInput()}


class LaporTonggakForm(forms.Form):
    """A milestone done: what was done, and one piece of evidence (a file, a link, or both)."""

    catatan = forms.CharField(
        label="Apa yang sudah dikerjakan", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    keterangan = forms.CharField(label="Keterangan bukti", max_length=200, required=False)
    file = forms.FileField(
        label="Berkas bukti", required=False, help_text="PDF, PNG atau JPEG, paling besar 5 MB."
    )
    tautan = forms.URLField(
        label="Tautan bukti", required=False, max_length=500, assume_scheme="https"
    )

    def clean_file(self):
        return check_upload(self.cleaned_data.get("file"))

    def clean(self):
        data = super().clean()
        if (data.get("file") or data.get("tautan")) and not data.get("keterangan"):
            self.add_error("keterangan", "Tuliskan keterangan bukti, mis. Foto loket baru.")
        return data

    def bukti(self) -> list[BuktiTonggak]:
        data = self.cleaned_data
        if not (data.get("file") or data.get("tautan")):
            return []
        return [
            BuktiTonggak(
                keterangan=data["keterangan"], file=data.get("file") or "", tautan=data["tautan"]
            )
        ]


class KeputusanTonggakForm(forms.Form):
    catatan_mentor = forms.CharField(
        label="Catatan mentor", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class KeberlanjutanForm(forms.Form):
    masih_digunakan = forms.TypedChoiceField(
        label="Apakah perubahan itu masih digunakan?",
        choices=[("ya", "Ya, masih digunakan"), ("tidak", "Tidak lagi")],
        coerce=lambda value: value == "ya",
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih ya atau tidak."},
    )
    uraian = forms.CharField(
        label="Ceritakan", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bagaimana dipakai sekarang, atau mengapa berhenti.",
    )  # fmt: skip


MUAT_ULANG = "Halaman ini sudah kedaluwarsa. Muat ulang halaman, lalu kirim lagi."


class ResponWargaForm(HoneypotForm, forms.Form):
    """The gallery's one line for citizens, with the public forms' honeypot."""

    merasakan = forms.TypedChoiceField(
        label="Apakah Anda merasakan perubahan ini?",
        choices=[("ya", "Ya, saya merasakannya"), ("tidak", "Belum/tidak")],
        coerce=lambda value: value == "ya",
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih salah satu jawaban."},
    )
    komentar = forms.CharField(
        label="Satu kalimat (opsional)", required=False, max_length=200,
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )  # fmt: skip
    # Drawn when the form is shown, claimed once when it is sent (views.inovasi_detail): a double
    # click, whose second request leaves before the first's cookie arrives, answers once.
    token = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{22}$", widget=forms.HiddenInput,
        error_messages={"required": MUAT_ULANG, "invalid": MUAT_ULANG},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = secrets.token_urlsafe(16)  # 22 characters

    def renew_token(self) -> None:
        """Shown again after its token was missing or not ours: a new one for the next send."""
        self.data = self.data.copy()
        self.data["token"] = secrets.token_urlsafe(16)
