from django import forms
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import models
from django.db.models import Q
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone

from pembinaan.lib.angka import angka
from pembinaan.lib.tabular import XLSX_MAGIC, TableError, check_xlsx
from pembinaan.lib.uploads import check_upload
from pembinaan.lib.widgets import PILIHAN_KOSONG, FastSelect

from . import nip as nip_rules
from . import siasn
from .models import (
    RIWAYAT_KARIER,
    UNIT_LINGKUP,
    CatatanDisiplin,
    Golongan,
    HariLibur,
    Pegawai,
    ResetDuaFaktor,
    RiwayatGolongan,
    RiwayatJabatan,
    RiwayatMutasi,
    RiwayatPendidikan,
    UnitKerja,
    UnitPilihan,
    User,
    jabatan_names,
    subtree_ids,
    unit_jalur,
    unit_tree,
)
from .referensi import golongan_choices
from .widgets import UnitCariSelect, UnitCariSelectMultiple


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates, which DATE_INPUT_FORMATS accepts."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitChoiceIterator(ModelChoiceIterator):
    """Each unit labelled with its OPD path, from the cached tree read once per rendering."""

    def __iter__(self):
        self.jalur = unit_jalur()
        yield from super().__iter__()

    def choice(self, obj: UnitKerja) -> tuple:
        value = ModelChoiceIteratorValue(self.field.prepare_value(obj), obj)
        return value, self.jalur.get(obj.pk, obj.nama)


UNIT_TIDAK_VALID = "Unit tidak ditemukan atau di luar unit yang boleh Anda pilih."
UNIT_DITELUSURI = "Sub-unit dari unit yang dipilih kini tercantum: pilih unitnya, lalu simpan."


class UnitScope:
    """A unit picker's scope: the units (from the cached tree, UNIT_LINGKUP[lingkup] of the
    user) its select lists from and its search (pegawai:unit_cari) finds; set by the form."""

    def _init_picker(self, lingkup: str, empty_label: str | None, telusuri: bool) -> None:
        self.widget.lingkup = lingkup
        self.widget.empty_label = empty_label
        self.widget.telusuri = telusuri
        self._units: list[UnitPilihan] = []
        self._unit_ids: set[str] = set()
        # Django's message names the value ("… %(value)s bukan salah satu…"): an id means nothing.
        self.error_messages["invalid_choice"] = UNIT_TIDAK_VALID
        self.error_messages["invalid_pk_value"] = UNIT_TIDAK_VALID

    def clean(self, value):
        value = super().clean(value)
        if self.widget.ditelusuri:
            # "Tampilkan sub-unit" pressed: the form comes back with them listed, not saved.
            raise forms.ValidationError(UNIT_DITELUSURI, code="telusuri")
        return value

    @property
    def units(self) -> list[UnitPilihan]:
        return self._units

    @units.setter
    def units(self, units: list[UnitPilihan]) -> None:
        self._units = units
        self._unit_ids = {str(u.pk) for u in units}
        self.widget.units = units

    def scope_for(self, user: User) -> None:
        """The scope of this picker for this user."""
        self.units = UNIT_LINGKUP[self.widget.lingkup](user)


class UnitCariField(UnitScope, forms.ChoiceField):
    """A unit's id (a string) from the scope, checked by id: its select never holds the whole
    tree (pegawai.widgets.UnitCariSelect). A unit outside the scope is an invalid choice."""

    widget = UnitCariSelect

    def __init__(
        self,
        *,
        lingkup: str = "kelola",
        empty_label: str = "",
        telusuri: bool = False,
        **kwargs,
    ):
        """`telusuri`: the form saves (POST), its select offers "Tampilkan sub-unit"; a
        filter's select needs none (choosing a unit shows its sub-units)."""
        super().__init__(**kwargs)
        self._init_picker(lingkup, empty_label, telusuri)

    def valid_value(self, value) -> bool:
        return str(value) in self._unit_ids


class UnitChoiceField(UnitScope, forms.ModelChoiceField):
    """A unit of a queryset (the same scope; the choice is read by id from it), shown with its
    OPD path and picked with UnitCariSelect. Without `units` set, the select lists the
    queryset."""

    iterator = UnitChoiceIterator
    widget = UnitCariSelect

    def __init__(self, *, lingkup: str = "kelola", telusuri: bool = True, **kwargs):
        """`telusuri`: as UnitCariField's; a form that saves re-renders itself when invalid."""
        kwargs.setdefault("empty_label", "Pilih unit")  # not Django's "---------"
        super().__init__(**kwargs)
        self._init_picker(lingkup, self.empty_label, telusuri)
        self.widget.units = None

    def label_from_instance(self, obj: UnitKerja) -> str:
        return obj.label_jalur


class UnitMultipleChoiceField(UnitScope, forms.ModelMultipleChoiceField):
    iterator = UnitChoiceIterator
    widget = UnitCariSelectMultiple

    def __init__(self, *, lingkup: str = "kelola", telusuri: bool = True, **kwargs):
        """`telusuri`: as UnitCariField's; a form that saves re-renders itself when invalid."""
        super().__init__(**kwargs)
        self._init_picker(lingkup, None, telusuri)
        self.widget.units = None

    def label_from_instance(self, obj: UnitKerja) -> str:
        return obj.label_jalur


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
        } | {
            # Thousands of jabatan: searchable (static/js/select-cari.js), plain without script.
            "jabatan": FastSelect(attrs={"data-cari": "Ketik untuk mencari jabatan…"})
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = UnitKerja.objects.managed_by(user).order_by("path")
        self.fields["unit"].scope_for(user)  # the same units: unit_pilihan
        # PNS golongan and PPPK grades in two groups ("PPPK IX", not "Golongan IX" among the
        # PNS ruang), as the list's filter shows them; the queryset still validates.
        self.fields["golongan"].choices = [("", PILIHAN_KOSONG), *golongan_choices()]
        self.fields["jabatan"].choices = jabatan_choices(self._unit_ids())
        if self.instance.atasan_id and not self.is_bound:
            self.initial["atasan"] = self.instance.atasan.nip_tampil

    def _unit_ids(self) -> list[int]:
        """The units whose jabatan come first: those the user manages; for an administrator,
        the OPD of the pegawai being changed (none when adding)."""
        if not self.user.is_admin:
            return sorted(self.user.unit_kelolaan_ids)
        if not self.instance.unit_id:
            return []
        tree = unit_tree()
        own = next((u for u in tree if u.pk == self.instance.unit_id), None)
        opd = own.path[: UnitKerja.steplen] if own else None
        return [u.pk for u in tree if opd and u.path.startswith(opd)]

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


def jabatan_choices(unit_ids: list[int]) -> list[tuple]:
    """The jabatan held by active pegawai of these units first, then every other; by name. The
    names come from the cached catalogue; one query finds the units' jabatan."""
    names = sorted(jabatan_names().items(), key=lambda item: item[1].lower())
    held = set(
        Pegawai.objects.filter(unit_id__in=unit_ids, aktif=True)
        .values_list("jabatan_id", flat=True)
        .distinct()
        if unit_ids
        else ()
    )
    if not held:
        return [("", "---------"), *names]
    groups = [
        ("Jabatan di unit ini", [(pk, nama) for pk, nama in names if pk in held]),
        ("Jabatan lain", [(pk, nama) for pk, nama in names if pk not in held]),
    ]
    return [("", "---------"), *((label, options) for label, options in groups if options)]


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
                f"Berkas terlalu besar ({angka(upload.size / 1_048_576, 1)} MB); paling besar "
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


# --- Account administration ------------------------------------------------------------------


class AkunFilterForm(forms.Form):
    """Who has a login, of the pegawai of a unit (with its sub-units): read from request.GET."""

    class Status(models.TextChoices):
        BELUM = "belum", "Belum punya akun"
        DIUNDANG = "diundang", "Diundang, belum membuat kata sandi"
        AKTIF = "aktif", "Akun aktif"
        NONAKTIF = "nonaktif", "Akun nonaktif"

    q = forms.CharField(label="Cari nama atau NIP", required=False, max_length=100)
    unit = UnitCariField(
        label="Unit kerja (termasuk sub-unit)",
        required=False,
        lingkup="semua",
        empty_label="Semua unit",
    )
    status = forms.ChoiceField(
        label="Akun", required=False, choices=[("", "Semua"), *Status.choices]
    )

    def __init__(self, data, *, units: list[UnitPilihan]):
        super().__init__(data)
        self.units = units
        self.fields["unit"].units = units
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    @property
    def chosen_unit(self) -> UnitPilihan | None:
        chosen = self.cleaned_data.get("unit") if self.is_valid() else None
        return next((u for u in self.units if str(u.pk) == chosen), None)

    def scope(self, pegawai):
        """These pegawai in the chosen unit and its sub-units (all when none is chosen)."""
        if self.chosen_unit is None:
            return pegawai
        return pegawai.filter(unit_id__in=subtree_ids(self.units, self.chosen_unit))

    def filter(self, pegawai):
        """These pegawai narrowed to the status and search; an invalid field is shown with its
        error and leaves the list unfiltered by it."""
        data = self.cleaned_data if self.is_valid() else {}
        q = (data.get("q") or "").strip()
        if q:
            digits = nip_rules.normalize(q)
            if digits.isdigit():
                pegawai = pegawai.filter(nip__startswith=digits)
            else:
                pegawai = pegawai.filter(nama__icontains=q)
        unusable = Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        status_filter = {
            self.Status.BELUM: Q(user__isnull=True),
            self.Status.DIUNDANG: Q(user__is_active=True) & unusable,
            self.Status.AKTIF: Q(user__is_active=True) & ~unusable,
            self.Status.NONAKTIF: Q(user__is_active=False),
        }.get(data.get("status"))
        if status_filter is not None:
            pegawai = pegawai.filter(status_filter)
        return pegawai


class AkunNonaktifForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan penonaktifan",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mis. cuti di luar tanggungan negara, penyalahgunaan akun, permintaan atasan. "
        "Dicatat bersama nama Anda dan waktunya.",
        error_messages={"required": "Tulis alasan penonaktifan akun."},
    )

    def clean_alasan(self) -> str:
        alasan = self.cleaned_data["alasan"].strip()
        if not alasan:
            raise forms.ValidationError("Tulis alasan penonaktifan akun.")
        return alasan


class PengelolaForm(forms.Form):
    """Make a login pengelola of a unit: the login named by its username or its pegawai's NIP
    (a dropdown of every login would list thousands)."""

    unit = UnitChoiceField(
        queryset=UnitKerja.objects.order_by("path"), label="Unit yang dikelola", lingkup="semua"
    )
    akun = forms.CharField(
        label="NIP atau nama pengguna",
        max_length=150,
        help_text="Pegawai itu harus sudah punya akun SIBINA.",
    )

    def __init__(self, *args, **kwargs):
        # Its page also has the list's filter (AkunFilterForm), with a unit field of its own.
        kwargs.setdefault("auto_id", "pengelola_%s")
        super().__init__(*args, **kwargs)
        self.fields["unit"].units = unit_tree()

    def clean_akun(self) -> User:
        written = self.cleaned_data["akun"].strip()
        nip = nip_rules.normalize(written)
        account = None
        if nip.isdigit():
            pegawai = Pegawai.objects.filter(nip=nip).select_related("user").first()
            if pegawai is not None and pegawai.user is None:
                raise forms.ValidationError(
                    f"{pegawai.nama_lengkap} belum punya akun; buat akunnya dulu."
                )
            account = pegawai.user if pegawai is not None else None
        if account is None:
            account = User.objects.filter(username__iexact=written).first()
        if account is None:
            raise forms.ValidationError("Tidak ada akun dengan NIP atau nama pengguna ini.")
        return account


class AkunPeranForm(forms.ModelForm):
    administrator = forms.BooleanField(
        label="Administrator",
        required=False,
        help_text="Melihat dan mengubah semua data, termasuk data referensi.",
    )

    class Meta:
        model = User
        fields = ["pengelola_provinsi"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administrator"].initial = self.instance.is_superuser


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


class CatatanDisiplinForm(forms.ModelForm):
    class Meta:
        model = CatatanDisiplin
        fields = ["tingkat", "jenis_hukuman", "nomor_sk", "tanggal_sk", "tmt", "tanggal_selesai",
                  "keterangan"]  # fmt: skip
        widgets = {
            "tanggal_sk": DateInput(), "tmt": DateInput(), "tanggal_selesai": DateInput(),
            "keterangan": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip
        error_messages = {
            "tingkat": {"required": "Pilih tingkat hukuman: ringan, sedang atau berat.",
                        "invalid_choice": "Pilih tingkat hukuman: ringan, sedang atau berat."},
            "jenis_hukuman": {"required": "Pilih jenis hukuman sesuai SK.",
                              "invalid_choice": "Pilih jenis hukuman dari daftar."},
            "nomor_sk": {"required": "Isi nomor SK hukuman disiplin."},
            "tanggal_sk": {"required": "Isi tanggal SK.",
                           "invalid": "Tanggal tidak dikenal; tulis seperti 17/08/2026."},
            "tmt": {"required": "Isi TMT hukuman.",
                    "invalid": "Tanggal tidak dikenal; tulis seperti 17/08/2026."},
            "tanggal_selesai": {"invalid": "Tanggal tidak dikenal; tulis seperti 17/08/2026."},
        }  # fmt: skip

    def clean_tanggal_sk(self):
        tanggal = self.cleaned_data["tanggal_sk"]
        if tanggal.year < 1970:
            raise forms.ValidationError("Tahun SK tidak boleh sebelum 1970.")
        if tanggal > timezone.localdate():
            raise forms.ValidationError("Tanggal SK tidak boleh setelah hari ini.")
        return tanggal


# --- Career history (riwayat) and moves (mutasi) ----------------------------------------------

SK_WIDGETS = {"tmt": DateInput(), "tanggal_sk": DateInput()}


class _DokumenMixin:
    def clean_dokumen(self):
        return check_upload(self.cleaned_data.get("dokumen"))


class RiwayatJabatanForm(_DokumenMixin, forms.ModelForm):
    class Meta:
        model = RiwayatJabatan
        fields = ["jabatan", "tmt", "nomor_sk", "tanggal_sk", "dokumen"]
        widgets = SK_WIDGETS | {
            "jabatan": FastSelect(attrs={"data-cari": "Ketik untuk mencari jabatan…"})
        }
        labels = {"tmt": "TMT jabatan"}

    def __init__(self, *args, pegawai: Pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jabatan"].choices = jabatan_choices([pegawai.unit_id])


class RiwayatGolonganForm(_DokumenMixin, forms.ModelForm):
    class Meta:
        model = RiwayatGolongan
        fields = ["golongan", "tmt", "jenis_kenaikan", "nomor_sk", "tanggal_sk", "dokumen"]
        widgets = SK_WIDGETS
        labels = {"tmt": "TMT golongan"}

    def __init__(self, *args, pegawai: Pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        jenis = Golongan.Jenis.PPPK if pegawai.is_pppk else Golongan.Jenis.PNS
        self.fields["golongan"].queryset = Golongan.objects.filter(jenis=jenis).order_by("kode")


class RiwayatPendidikanForm(_DokumenMixin, forms.ModelForm):
    class Meta:
        model = RiwayatPendidikan
        fields = ["jenjang", "nama_sekolah", "jurusan", "tahun_lulus", "nomor_ijazah", "dokumen"]

    def __init__(self, *args, pegawai: Pegawai, **kwargs):
        super().__init__(*args, **kwargs)


class RiwayatMutasiForm(_DokumenMixin, forms.ModelForm):
    """A recorded move's decree and reason; where and when it moved stays as recorded."""

    class Meta:
        model = RiwayatMutasi
        fields = ["nomor_sk", "tanggal_sk", "dokumen", "alasan"]
        widgets = SK_WIDGETS

    def __init__(self, *args, pegawai: Pegawai, **kwargs):
        super().__init__(*args, **kwargs)


RIWAYAT_FORMS = {
    "jabatan": RiwayatJabatanForm,
    "golongan": RiwayatGolonganForm,
    "pendidikan": RiwayatPendidikanForm,
    "mutasi": RiwayatMutasiForm,
}
assert set(RIWAYAT_FORMS) == set(RIWAYAT_KARIER)


class MutasiForm(forms.Form):
    unit_tujuan = UnitChoiceField(
        queryset=UnitKerja.objects.order_by("path"),
        label="Unit tujuan",
        help_text="Unit mana pun di lingkungan Pemerintah Provinsi Jambi.",
        lingkup="semua",
    )
    tmt = forms.DateField(label="TMT mutasi", widget=DateInput())
    atasan = forms.CharField(
        label="NIP atasan langsung di unit tujuan",
        required=False,
        help_text="Kosongkan bila belum ditetapkan; pengelola unit tujuan dapat mengisinya.",
    )
    nomor_sk = forms.CharField(label="Nomor SK", max_length=100, required=False)
    tanggal_sk = forms.DateField(label="Tanggal SK", required=False, widget=DateInput())
    dokumen = forms.FileField(
        label="Berkas SK", required=False, help_text="PDF, PNG atau JPEG, paling besar 5 MB."
    )
    alasan = forms.CharField(label="Alasan", max_length=300, required=False)

    def __init__(self, *args, pegawai: Pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        self.pegawai = pegawai
        self.fields["unit_tujuan"].units = [u for u in unit_tree() if u.pk != pegawai.unit_id]
        self.initial.setdefault("tmt", timezone.localdate())

    def clean_dokumen(self):
        return check_upload(self.cleaned_data.get("dokumen"))

    def clean_unit_tujuan(self) -> UnitKerja:
        # The search (every unit) offers the pegawai's own unit too.
        unit = self.cleaned_data["unit_tujuan"]
        if unit.pk == self.pegawai.unit_id:
            raise forms.ValidationError("Pegawai sudah berada di unit ini.")
        return unit

    def clean_atasan(self) -> Pegawai | None:
        value = nip_rules.normalize(self.cleaned_data["atasan"])
        if not value:
            return None
        atasan = Pegawai.objects.filter(nip=value, aktif=True).first()
        if atasan is None:
            raise forms.ValidationError("Tidak ada pegawai aktif dengan NIP ini.")
        if atasan.pk == self.pegawai.pk:
            raise forms.ValidationError("Pegawai tidak dapat menjadi atasan dirinya sendiri.")
        return atasan


class RiwayatImporForm(ImporForm):
    jenis = forms.ChoiceField(
        label="Jenis riwayat",
        choices=[
            ("golongan", "Riwayat golongan/pangkat"),
            ("jabatan", "Riwayat jabatan"),
            ("pendidikan", "Riwayat pendidikan"),
        ],
    )
    field_order = ["jenis", "file"]


class KodeDuaFaktorForm(forms.Form):
    """A code of the second step: six digits from the app, or (at sign-in) a recovery code."""

    kode = forms.CharField(
        label="Kode",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": "Isi kode dari aplikasi autentikator."},
    )


class ResetDuaFaktorForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan reset",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Mis. ponsel hilang atau diganti, dan bagaimana pemilik akun dipastikan "
        "(telepon balik, datang langsung). Dicatat di log audit bersama nama Anda.",
        error_messages={"required": "Tulis alasan reset verifikasi dua langkah."},
    )

    def clean_alasan(self) -> str:
        alasan = self.cleaned_data["alasan"].strip()
        if not alasan:
            raise forms.ValidationError("Tulis alasan reset verifikasi dua langkah.")
        if len(alasan) < ResetDuaFaktor.ALASAN_MIN:
            raise forms.ValidationError(ResetDuaFaktor.ALASAN_PENDEK)
        return alasan


class RekonsiliasiSiasnForm(forms.Form):
    """The SIASN export to compare and the scope: one of the units the user may reconcile, or the
    whole province for its HR (pegawai.access.can_reconcile_unit)."""

    file = forms.FileField(
        label="Berkas data pegawai dari SIASN (CSV atau XLSX)",
        help_text=f"CSV dipisahkan koma atau titik koma (XLSX juga diterima). Paling besar "
        f"{siasn.MAX_BYTES // 1_048_576} MB, {angka(siasn.MAX_ROWS)} baris.",
    )
    unit = UnitCariField(
        label="Bandingkan dengan pegawai",
        lingkup="provinsi",
        empty_label="Seluruh provinsi",
        telusuri=True,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.scope_for(user)
        if user.manages_province:
            field.required = False
        else:
            field.widget.empty_label = None
        field.help_text = "Unit beserta seluruh sub-unitnya."

    def clean_unit(self) -> int | None:
        return int(self.cleaned_data["unit"]) if self.cleaned_data.get("unit") else None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > siasn.MAX_BYTES:
            raise forms.ValidationError(
                f"Berkas terlalu besar ({angka(upload.size / 1_048_576, 1)} MB); paling besar "
                f"{siasn.MAX_BYTES // 1_048_576} MB. Unduh data per unit dari SIASN."
            )
        return upload
