import re
import secrets
from datetime import timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import capfirst

from pegawai import nip as nip_rules
from pegawai.forms import DateInput
from pegawai.models import Pegawai, nama_lengkap, subtree_ids, unit_tree
from pembinaan.lib.honeypot import HoneypotForm

from .kontak import kontak_normal
from .models import (
    KODE_SIMBOL,
    ForumDialog,
    LayananPilihan,
    Masukan,
    ResponSurvei,
    TindakLanjut,
    UnitLayanan,
    layanan_aktif,
)
from .referensi import UNSUR
from .reports import Triwulan

MUAT_ULANG = "Halaman ini sudah kedaluwarsa. Muat ulang halaman, lalu kirim lagi."


class SurveiForm(HoneypotForm, forms.ModelForm):
    """The public IKM questionnaire, with the public forms' honeypot."""

    # Drawn when the form is shown, claimed once when it is sent (views.survei): a double click
    # or a replayed request counts one response per form load.
    token = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{22}$", widget=forms.HiddenInput,
        error_messages={"required": MUAT_ULANG, "invalid": MUAT_ULANG},
    )  # fmt: skip

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
        if not self.is_bound:
            self.fields["token"].initial = token_baru()

    def renew_token(self) -> None:
        """Shown again after its token was missing or not ours: a new one for the next send."""
        self.data = self.data.copy()
        self.data["token"] = token_baru()

    def clean_saran(self) -> str:
        return self.cleaned_data["saran"].strip()[:2000]


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


TOKEN_POLA = re.compile(r"[A-Za-z0-9_-]{22}")


# How long after a feedback its form sent again answers with it (a double click, a resend).
REPEAT_WINDOW = timedelta(minutes=2)


def token_baru() -> str:
    return secrets.token_urlsafe(16)  # 22 characters


def kode_dari_token(token: str) -> str:
    """The tracking code of the feedback that a form's token makes. Derived one way (an HMAC
    with the secret key): sent twice, the form meets its first feedback by the code's unique
    constraint, yet the form page never holds the code. 12 symbols, 60 bits."""
    digest = salted_hmac("masyarakat.masukan.kode", token).digest()
    return "".join(KODE_SIMBOL[byte % len(KODE_SIMBOL)] for byte in digest[:12])


class MasukanForm(HoneypotForm, forms.ModelForm):
    # Offered and checked from the cached active units (models.layanan_aktif): a submission
    # makes no query for its service unit. The foreign key still refuses one removed meanwhile
    # (views.masukan_create).
    unit_layanan = forms.IntegerField(label="Unit layanan", widget=forms.Select)
    # Drawn when the form is shown; the feedback's tracking code is made from it, so a second
    # send of one form (a double click, a resend) makes no second feedback (views.masukan_create).
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    # Offered by an opaque token, not the pegawai's id (petugas_pilihan).
    pegawai_dilayani = forms.CharField(
        label=capfirst(Masukan._meta.get_field("pegawai_dilayani").verbose_name),
        help_text=Masukan._meta.get_field("pegawai_dilayani").help_text,
        required=False,
        widget=forms.Select,
    )
    field_order = ["unit_layanan"]

    class Meta:
        model = Masukan
        fields = [
            "kategori", "isi", "penilaian", "pegawai_dilayani", "nama", "kontak", "email",
            "anonim", "rahasia", "lapor_id",
        ]  # fmt: skip
        widgets = {"isi": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        help_texts = {
            "isi": "Paling banyak 2.000 karakter.",
            "lapor_id": "Bila sudah melapor lewat SP4N-LAPOR!",
            "kontak": "Nomor HP (0812…, +62 812…) atau alamat email, bila unit boleh "
            "menghubungi Anda.",
            # What it does (models.Masukan.email_tampil, masukan_detail.html): there is no public
            # list of feedback to be hidden from.
            "rahasia": "Telepon dan email Anda tidak diperlihatkan kepada petugas unit; kabar "
            "tindak lanjut tetap kami kirim ke email Anda.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layanan = layanan_aktif()
        chosen = self.fields["unit_layanan"].widget
        chosen.choices = [("", "---------"), *((u.pk, u.nama) for u in self.layanan.values())]
        chosen.attrs.update(
            {
                "hx-get": reverse("masyarakat:masukan_petugas"),
                "hx-target": "#id_pegawai_dilayani",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )
        # The officer is optional, looked up only when named, and must work in the chosen unit
        # (clean_pegawai_dilayani). Their choices are loaded when a unit is chosen (htmx), and
        # read here only when the form is shown again after an error.
        officer = self.fields["pegawai_dilayani"]
        officer.widget.choices = self._officer_choices
        officer.widget.attrs["class"] = "form-select"
        if not self.is_bound:
            self.fields["token"].initial = token_baru()

    def clean_unit_layanan(self) -> LayananPilihan:
        layanan = self.layanan.get(self.cleaned_data["unit_layanan"])
        if layanan is None:
            raise forms.ValidationError("Pilih salah satu unit layanan dari daftar.")
        return layanan

    def clean_pegawai_dilayani(self) -> Pegawai | None:
        token = self.cleaned_data["pegawai_dilayani"]
        if not token:
            return None
        layanan = self.cleaned_data.get("unit_layanan")  # cleaned before: the fields' order
        officer = next(
            (p for p in _petugas(layanan).only("pk") if petugas_token(layanan, p.pk) == token), None
        )
        if officer is None:
            raise forms.ValidationError("Pilih petugas yang bertugas di unit layanan ini.")
        return officer

    def _officer_choices(self) -> list[tuple[int | str, str]]:
        layanan = getattr(self, "cleaned_data", {}).get("unit_layanan")
        return [("", "---------"), *petugas_pilihan(layanan)]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_kontak(self) -> str:
        """Optional; when given, the forum's rule (masyarakat.kontak): an email or an Indonesian
        mobile number, stored in one form."""
        kontak = self.cleaned_data["kontak"]
        return kontak_normal(kontak) if kontak.strip() else ""

    def clean_isi(self) -> str:
        text = self.cleaned_data["isi"].strip()
        if len(text) < 10:
            raise forms.ValidationError("Tuliskan masukan Anda paling sedikit 10 karakter.")
        return text

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        return token if TOKEN_POLA.fullmatch(token) else ""  # none or not ours: a fresh code

    def save(self, commit: bool = True) -> Masukan:
        self.instance.unit_layanan_id = self.cleaned_data["unit_layanan"].pk
        if self.cleaned_data["token"]:
            self.instance.kode = kode_dari_token(self.cleaned_data["token"])
        return super().save(commit)

    def sent_before(self) -> Masukan | None:
        """The feedback this form's token already made, if it was sent before."""
        token = self.cleaned_data["token"]
        return Masukan.objects.filter(kode=kode_dari_token(token)).first() if token else None

    def is_same_as(self, masukan: Masukan) -> bool:
        """Whether `masukan` is this form sent again, every answer alike (a changed name, contact
        or confidentiality is another sending, not a repeat), within a double click's minutes:
        a page left open on a shared computer never hands the next person the code."""
        names = ["unit_layanan_id", *(masukan._meta.get_field(f).attname for f in self.Meta.fields)]
        self.instance.unit_layanan_id = self.cleaned_data["unit_layanan"].pk
        alike = all(getattr(masukan, n) == getattr(self.instance, n) for n in names)
        return alike and masukan.created_at >= timezone.now() - REPEAT_WINDOW

    def renew_token(self) -> None:
        """Shown again after its token made another feedback: a new one for the next send."""
        self.data = self.data.copy()
        self.data["token"] = token_baru()


class ForumForm(forms.ModelForm):
    tautan = forms.URLField(label="Tautan daring", required=False, assume_scheme="https")
    asn = forms.CharField(
        label="NIP ASN yang hadir",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Satu NIP per baris.",
    )

    class Meta:
        model = ForumDialog
        fields = ["topik", "unit_layanan", "waktu", "format", "tempat", "tautan", "kapasitas",
                  "pendaftaran_dibuka", "agenda"]  # fmt: skip
        widgets = {
            "waktu": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, units, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit_layanan"].queryset = units
        self.fields["waktu"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]

    def clean_waktu(self):
        waktu = self.cleaned_data["waktu"]
        if waktu <= timezone.now():
            raise forms.ValidationError(
                "Waktu ini sudah lewat. Forum direncanakan untuk waktu yang akan datang; "
                "forum yang sudah berlangsung tidak dapat dibuka pendaftarannya."
            )
        return waktu

    def clean_asn(self) -> list:
        """Only pegawai this user may see: the forum's public page names them, so a NIP from
        elsewhere must not turn into a name."""
        lines = self.cleaned_data["asn"].splitlines()
        nips = [nip_rules.normalize(line) for line in lines if line.strip()]
        found = list(Pegawai.objects.visible_to(self.user).aktif().filter(nip__in=nips))
        unknown = sorted(set(nips) - {p.nip for p in found})
        if unknown:
            raise forms.ValidationError(f"NIP tidak ditemukan di unit Anda: {', '.join(unknown)}.")
        return found

    def save(self, commit=True):
        forum = super().save(commit=commit)
        if commit:
            forum.pegawai.set(self.cleaned_data["asn"])
        return forum


TERLALU_PANJANG = (
    "Isian ini terlalu panjang: paling banyak %(limit_value)s karakter, tertulis %(show_value)s. "
    "Persingkat lalu kirim lagi."
)


class PendaftaranForumForm(HoneypotForm):
    """A citizen's registration for a forum: the contact is checked here to show its message at
    the field; the service checks it again and refuses a second registration of it."""

    nama = forms.CharField(
        label="Nama",
        max_length=100,
        error_messages={"required": "Isi nama Anda.", "max_length": TERLALU_PANJANG},
    )
    kontak = forms.CharField(
        label="Telepon atau email",
        max_length=100,
        help_text="Nomor HP (0812…, +62 812…) atau alamat email.",
        error_messages={
            "required": "Isi nomor HP atau alamat email Anda.",
            "max_length": TERLALU_PANJANG,
        },
    )
    organisasi = forms.CharField(
        label="Organisasi (opsional)", max_length=150, required=False,
        error_messages={"max_length": TERLALU_PANJANG},
    )  # fmt: skip

    def clean_kontak(self) -> str:
        return kontak_normal(self.cleaned_data["kontak"])


class TindakLanjutForm(forms.ModelForm):
    penanggung_jawab = forms.CharField(label="NIP penanggung jawab")

    class Meta:
        model = TindakLanjut
        fields = ["uraian", "penanggung_jawab", "tenggat", "status"]
        widgets = {"tenggat": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_penanggung_jawab(self):
        """Only pegawai this user may see: the forum page names them."""
        value = nip_rules.normalize(self.cleaned_data["penanggung_jawab"])
        pegawai = Pegawai.objects.visible_to(self.user).aktif().filter(nip=value).first()
        if pegawai is None:
            raise forms.ValidationError(
                "NIP tidak ditemukan di unit Anda. Isi NIP pegawai aktif unit yang Anda kelola."
            )
        return pegawai


PETUGAS_MAX = 500  # the officers offered for one service unit, by name


def petugas_pilihan(layanan: LayananPilihan | None) -> list[tuple[str, str]]:
    """The active pegawai a citizen may name for a service unit, by name, as (token, name with
    titles): no NIP and no id. The unit's own pegawai and those of the units below it."""
    rows = _petugas(layanan).values_list("pk", "gelar_depan", "nama", "gelar_belakang")
    return [(petugas_token(layanan, pk), nama_lengkap(*names)) for pk, *names in rows]


def petugas_token(layanan: LayananPilihan, pk: int) -> str:
    """Stands for one officer in one service unit's list: the public page shows no pegawai id
    (ids count the pegawai and are what every other page is addressed by), and a token is
    checked back only against the officers that service unit offers."""
    return salted_hmac("masyarakat.petugas", f"{layanan.pk}:{pk}").hexdigest()[:20]


def _petugas(layanan: LayananPilihan | None):
    units = _units_of(layanan)
    if not units:
        return Pegawai.objects.none()
    return Pegawai.objects.aktif().filter(unit_id__in=units).order_by("nama", "pk")[:PETUGAS_MAX]


def _units_of(layanan: LayananPilihan | None) -> list[int]:
    """The unit kerja of a service unit and the units below it, from the cached tree."""
    tree = unit_tree()
    unit = next((u for u in tree if layanan and u.pk == layanan.unit_id), None)
    return subtree_ids(tree, unit) if unit else []


class VolumeLayananForm(forms.Form):
    """A year's four quarterly service volumes of one service unit; a quarter that has not begun
    is shown but takes no number. A number is written with digits, the thousands grouped by dots
    or not ("5.000" or "5000"); anything else is refused rather than guessed."""

    # Beyond any service unit's quarter, and within the column.
    JUMLAH_MAKS = 100_000_000
    ANGKA = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+")

    def __init__(self, *args, tahun: int, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.tahun = tahun
        self.today = today
        for ke in range(1, 5):
            triwulan = Triwulan(tahun, ke)
            attrs = {"placeholder": "belum diisi", "inputmode": "numeric"}
            if triwulan.mulai > today:
                attrs |= {"disabled": True, "placeholder": "belum dimulai"}
            self.fields[f"triwulan_{ke}"] = forms.CharField(
                label=f"{triwulan.label} ({triwulan.mulai:%d/%m}–{triwulan.akhir:%d/%m})",
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs=attrs),
                error_messages={"max_length": self._pesan(triwulan)},
            )

    def _pesan(self, triwulan: Triwulan) -> str:
        return (
            f"{triwulan.label}: isikan jumlah layanan berupa bilangan bulat lebih dari 0 "
            "(mis. 1250 atau 1.250; paling banyak 100.000.000), atau kosongkan."
        )

    def _clean_triwulan(self, ke: int) -> int | None:
        name, triwulan = f"triwulan_{ke}", Triwulan(self.tahun, ke)
        begun = triwulan.mulai <= self.today
        if begun and name not in self.data:
            # An empty field removes a stored number; a field that never came is no answer.
            raise forms.ValidationError(
                f"{triwulan.label} tidak terkirim; muat ulang halaman lalu simpan lagi."
            )
        text = self.cleaned_data.get(name, "").replace(" ", "")
        if not text:
            return None
        if not begun:
            raise forms.ValidationError(
                f"{triwulan.label} belum dimulai; volumenya diisi setelah triwulan berjalan."
            )
        if not self.ANGKA.fullmatch(text):
            raise forms.ValidationError(self._pesan(triwulan))
        value = int(text.replace(".", ""))
        if not 1 <= value <= self.JUMLAH_MAKS:
            raise forms.ValidationError(self._pesan(triwulan))
        return value

    def clean_triwulan_1(self):
        return self._clean_triwulan(1)

    def clean_triwulan_2(self):
        return self._clean_triwulan(2)

    def clean_triwulan_3(self):
        return self._clean_triwulan(3)

    def clean_triwulan_4(self):
        return self._clean_triwulan(4)

    def jumlah(self) -> dict[int, int | None]:
        return {ke: self.cleaned_data[f"triwulan_{ke}"] for ke in range(1, 5)}
