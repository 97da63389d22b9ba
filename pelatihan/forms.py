import unicodedata
from datetime import date

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from pegawai.forms import DateInput, UnitCariField, UnitChoiceField, UnitMultipleChoiceField
from pegawai.models import (
    Jabatan,
    Pegawai,
    PegawaiQuerySet,
    UnitKerja,
    UnitPilihan,
    User,
    subtree_ids,
    unit_pilihan,
    unit_tree,
)
from pembinaan.lib.params import parse_int
from pembinaan.lib.uploads import check_upload
from pembinaan.lib.widgets import FastSelect

from .models import (
    BERKAS_SUDAH_DIKLAIM,
    Angkatan,
    AturanKonversiJP,
    BarisRencana,
    JenisPengembangan,
    KegiatanEksternal,
    KerjaSama,
    Kompetensi,
    KompetensiLevel,
    LaporanSemester,
    Pelatihan,
    PelatihanKompetensi,
    PendaftaranBeasiswa,
    PenilaianKompetensi,
    ProgramBeasiswa,
    StandarKompetensi,
    berkas_sha256,
)
from .referensi import tahun_rencana_bawaan


class PelatihanForm(forms.ModelForm):
    unit_penyelenggara = UnitChoiceField(
        queryset=UnitKerja.objects.none(),
        label="Unit penyelenggara",
        required=False,
        help_text=Pelatihan._meta.get_field("unit_penyelenggara").help_text,
    )
    sasaran_unit = UnitMultipleChoiceField(
        queryset=UnitKerja.objects.order_by("path"),
        lingkup="semua",
        label="Sasaran unit kerja",
        required=False,
        help_text="Kosongkan bila terbuka untuk semua unit. Ketik untuk mencari; tahan Ctrl "
        "(Cmd di Mac) untuk memilih beberapa.",
    )

    class Meta:
        model = Pelatihan
        fields = [
            "nama", "jenis", "bidang", "jp", "penyelenggara_jenis", "penyelenggara",
            "unit_penyelenggara", "deskripsi", "wajib_aksi_perubahan", "sasaran_jabatan",
            "sasaran_golongan", "sasaran_unit",
        ]  # fmt: skip
        widgets = {
            "deskripsi": forms.Textarea(attrs={"rows": 3}),
            "sasaran_jabatan": forms.SelectMultiple(attrs={"size": 6}),
            "sasaran_golongan": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {"sasaran_jabatan": "Kosongkan bila terbuka untuk semua jabatan."}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # A unit's HR organise for the units they manage; only the province's HR (and
        # administrators) leave it empty, for a training of the province.
        self.fields["sasaran_unit"].units = unit_tree()
        field = self.fields["unit_penyelenggara"]
        field.queryset = UnitKerja.objects.managed_by(user).order_by("path")
        field.scope_for(user)  # the same units: unit_pilihan
        field.required = not user.manages_province
        if field.required:
            field.help_text = (
                "Unit Anda yang menjalankan angkatan, kehadiran, nilai dan sertifikatnya."
            )


TargetKompetensiFormSet = inlineformset_factory(
    Pelatihan,
    PelatihanKompetensi,
    fields=["kompetensi", "level"],
    extra=2,
    can_delete=True,
    labels={"level": "Level yang dicapai"},
)


class AngkatanForm(forms.ModelForm):
    # A link typed without a scheme is taken as https (Django 6's default, chosen now).
    tautan_daring = forms.URLField(label="Tautan daring", required=False, assume_scheme="https")

    class Meta:
        model = Angkatan
        localized_fields = ["nilai_lulus"]
        fields = [
            "nama", "tanggal_mulai", "tanggal_selesai", "tempat", "tautan_daring", "kuota",
            "fasilitator", "status", "ambang_kehadiran", "nilai_lulus",
        ]  # fmt: skip
        widgets = {
            "tanggal_mulai": DateInput(),
            "tanggal_selesai": DateInput(),
            "fasilitator": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "tanggal_selesai": "Sesi dibuat untuk setiap hari kerja: Senin–Jumat, di luar libur "
            "nasional dan cuti bersama.",
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("tempat") and not cleaned.get("tautan_daring"):
            raise forms.ValidationError(
                "Isi tempat pelaksanaan atau tautan daring (atau keduanya)."
            )
        return cleaned


class NominasiForm(forms.Form):
    nip = forms.CharField(
        label="NIP pegawai",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Satu NIP per baris. Atau kosongkan dan pilih unit/jabatan di bawah.",
    )
    unit = UnitChoiceField(
        label="Semua pegawai aktif di unit (termasuk sub-unit)",
        queryset=UnitKerja.objects.none(),
        required=False,
        telusuri=False,  # angkatan_nominate redirects an invalid form back to the batch
    )
    jabatan = forms.ModelChoiceField(
        label="… dengan jabatan",
        queryset=Jabatan.objects.all(),
        required=False,
        widget=FastSelect(),  # thousands of jabatan
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitKerja.objects.managed_by(user).order_by("path")
        self.fields["unit"].scope_for(user)  # the same units: unit_pilihan

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("nip", "").strip() and not cleaned.get("unit"):
            raise forms.ValidationError("Isi NIP pegawai atau pilih unit.")
        return cleaned


class KeputusanForm(forms.Form):
    # Localized: an Indonesian user types 63,5 and the page shows it that way.
    nilai_pre = forms.DecimalField(
        label="Pre-test", min_value=0, max_value=100, required=False, localize=True
    )
    nilai_post = forms.DecimalField(
        label="Post-test", min_value=0, max_value=100, required=False, localize=True
    )
    keputusan = forms.ChoiceField(
        label="Keputusan",
        choices=[("", "Belum diputuskan"), ("lulus", "Lulus"), ("tidak", "Tidak lulus")],
        required=False,
    )


class AlasanForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Tuliskan alasan penolakan."},
    )  # fmt: skip


class CabutSertifikatForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan pencabutan", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Disampaikan kepada pegawai dan tampil di halaman verifikasi publik.",
        error_messages={"required": "Tuliskan alasan pencabutan."},
    )  # fmt: skip


class RekomendasiForm(forms.Form):
    rekomendasi = forms.TypedChoiceField(
        label="Rekomendasi",
        # No answer preselected: the atasan chooses.
        choices=[
            ("", "— pilih —"),
            ("ya", "Direkomendasikan"),
            ("tidak", "Tidak direkomendasikan"),
        ],
        coerce=lambda value: value == "ya",
        error_messages={"required": "Pilih direkomendasikan atau tidak."},
    )
    catatan = forms.CharField(
        label="Catatan", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("rekomendasi") is False and not data.get("catatan", "").strip():
            self.add_error("catatan", "Tuliskan alasan tidak merekomendasikan.")
        return data


SMALLINT_MAX = 32767


class KegiatanForm(forms.ModelForm):
    class Meta:
        model = KegiatanEksternal
        fields = [
            "nama", "jenis", "penyelenggara", "tanggal_mulai", "tanggal_selesai", "skala",
            "jumlah", "jp", "nomor_sertifikat", "berlaku_sampai", "file",
        ]  # fmt: skip
        widgets = {
            "tanggal_mulai": DateInput(),
            "tanggal_selesai": DateInput(),
            "berlaku_sampai": DateInput(),
        }
        help_texts = {"file": "Sertifikat, laporan atau bukti lain: PDF, PNG atau JPEG, paling "
                      "besar 5 MB. Satu berkas hanya untuk satu kegiatan."}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The column's range on every database (SQLite would take any 64-bit number).
        self.fields["jp"].validators.append(MaxValueValidator(SMALLINT_MAX))
        self.fields["jp"].widget.attrs["max"] = SMALLINT_MAX

    def clean_file(self):
        upload = check_upload(self.cleaned_data["file"])
        if upload and hasattr(upload, "size"):
            digest = berkas_sha256(upload)
            if KegiatanEksternal.objects.klaim_aktif().filter(berkas_sha256=digest).exists():
                raise forms.ValidationError(BERKAS_SUDAH_DIKLAIM)
            self.instance.berkas_sha256 = digest
        return upload


class KegiatanFilterForm(forms.Form):
    """HR's audit of their units' external activities (?status=&kelompok=&jenis=&tahun=&q=)."""

    KELOMPOK = [("", "Semua"), ("nonklasikal", "Nonklasikal"), ("klasikal", "Klasikal")]

    q = forms.CharField(label="Nama/NIP/kegiatan", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[("", "Semua status"), *KegiatanEksternal.Status.choices],
    )  # fmt: skip
    kelompok = forms.ChoiceField(label="Kelompok", required=False, choices=KELOMPOK)
    jenis = forms.TypedChoiceField(
        label="Jenis", required=False, coerce=int, empty_value=None,
        choices=[("", "Semua jenis"), *JenisPengembangan.choices],
    )  # fmt: skip
    tahun = forms.IntegerField(label="Tahun selesai", required=False, min_value=2000,
                               max_value=2100)  # fmt: skip

    def filter(self, rows):
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            rows = rows.filter(
                Q(pegawai__nama__icontains=q) | Q(pegawai__nip__startswith=q.replace(" ", ""))
                | Q(nama__icontains=q)
            )  # fmt: skip
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["kelompok"] == "nonklasikal":
            rows = rows.filter(jenis__in=JenisPengembangan.nonklasikal())
        elif data["kelompok"] == "klasikal":
            rows = rows.exclude(jenis__in=JenisPengembangan.nonklasikal())
        if data["jenis"]:
            rows = rows.filter(jenis=data["jenis"])
        if data["tahun"]:
            rows = rows.filter(tanggal_selesai__year=data["tahun"])
        return rows


class AturanKonversiJPForm(forms.ModelForm):
    class Meta:
        model = AturanKonversiJP
        fields = [
            "jenis", "satuan", "jp_per_satuan", "jp_per_satuan_internasional",
            "batas_per_kegiatan", "batas_per_tahun", "sumber",
        ]  # fmt: skip
        widgets = {"sumber": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("batas_per_kegiatan", "batas_per_tahun"):
            self.fields[name].validators.append(MaxValueValidator(SMALLINT_MAX))
        if self.instance.pk:
            self.fields["jenis"].disabled = True


class KompetensiForm(forms.ModelForm):
    class Meta:
        model = Kompetensi
        fields = ["kode", "nama", "deskripsi"]
        help_texts = {"kode": "Mis. T.KES.01 untuk kompetensi teknis kesehatan."}


LevelFormSet = inlineformset_factory(
    Kompetensi,
    KompetensiLevel,
    fields=["level", "deskripsi"],
    extra=5,
    max_num=5,
    can_delete=False,
    widgets={"deskripsi": forms.TextInput()},
)

StandarFormSet = inlineformset_factory(
    Jabatan,
    StandarKompetensi,
    fields=["kompetensi", "level"],
    extra=3,
    can_delete=True,
)


class PenilaianForm(forms.ModelForm):
    class Meta:
        model = PenilaianKompetensi
        fields = ["kompetensi", "level", "tanggal", "sumber"]
        widgets = {"tanggal": DateInput()}


def tahun_tertulis(query) -> str:
    """?tahun= as written, read plainly: " 2025" (a pasted address) and "２０２５" (a phone's
    full-width digits) as "2025"."""
    return unicodedata.normalize("NFKC", query.get("tahun") or "").strip()


def tahun_param(query) -> int:
    """The year a page asks for (?tahun=), this year when it names none or no sensible one."""
    this_year = timezone.localdate().year
    return parse_int(tahun_tertulis(query), low=2000, high=this_year + 1) or this_year


class LaporanUnitForm(forms.Form):
    """The unit (with its sub-units) and year a report covers; the units, loaded once
    (from_query), serve the choices, the validation and the subtree."""

    unit = UnitCariField(
        label="Unit (termasuk sub-unit)", required=False, empty_label="Semua unit kelolaan"
    )
    tahun = forms.TypedChoiceField(label="Tahun", coerce=int, required=False)

    def __init__(
        self,
        data,
        *,
        units: list[UnitPilihan],
        years: list[int],
        lingkup: str = "kelola",
        tahun_diminta: str = "",
    ):
        super().__init__(data)
        self.units = units
        self.tahun_diminta = tahun_diminta  # ?tahun= as written (tahun_tertulis): peringatan
        self.fields["unit"].units = units
        self.fields["unit"].widget.lingkup = lingkup  # the scope `units` came from
        self.fields["tahun"].choices = [(y, y) for y in years]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    @classmethod
    def from_query(cls, query, *, user: User, dengan_tahun: bool = True) -> "LaporanUnitForm":
        """The form of a report's query string (?unit=&tahun=) over the units the user manages;
        `dengan_tahun`: the report has a year (a page without one says nothing of ?tahun=)."""
        this_year = timezone.localdate().year
        years = list(range(this_year, 2019, -1))
        tahun = tahun_param(query)
        data = {"unit": query.get("unit", ""), "tahun": tahun if tahun in years else this_year}
        diminta = tahun_tertulis(query) if dengan_tahun else ""
        return cls(data, units=unit_pilihan(user), years=years, tahun_diminta=diminta)

    @property
    def tahun_terpilih(self) -> int:
        """The year shown: the one asked for when it is one of the choices, else this year."""
        return int(self.data["tahun"])

    def peringatan(self) -> list[str]:
        """What of the query string the report could not use, said rather than dropped: an
        address typed, kept from another login, or edited."""
        said = []
        if self.is_bound and "unit" in self.errors:
            said.append(
                "Unit yang diminta tidak ada atau bukan unit kelolaan Anda; "
                "ditampilkan semua unit kelolaan."
            )
        tahun = self.data.get("tahun")
        asked = self.tahun_diminta
        if asked and asked != str(tahun):
            asked = asked if len(asked) <= 12 else f"{asked[:12]}…"  # an address's, not a page
            said.append(f"Tahun “{asked}” tidak tersedia; ditampilkan tahun {tahun}.")
        return said

    def pegawai(self, user: User) -> PegawaiQuerySet:
        """The pegawai the user manages in the chosen unit and its sub-units, or all of them."""
        scope = Pegawai.objects.managed_by(user)
        subtree = self.subtree_ids()
        return scope if subtree is None else scope.filter(unit_id__in=subtree)

    def chosen_unit(self) -> UnitPilihan | None:
        # The unit as cleaned on its own: another field's error does not drop it.
        value = (
            self.cleaned_data.get("unit") if self.is_bound and not self.errors.get("unit") else None
        )
        return next((u for u in self.units if str(u.pk) == value), None)

    def kode_berkas(self) -> list[str]:
        """The chosen unit's code as part of a download's name ("dinkes-yankes"), or nothing."""
        chosen = self.chosen_unit()
        return [slugify(chosen.kode.replace(".", "-"))] if chosen else []

    def subtree_ids(self) -> list[int] | None:
        chosen = self.chosen_unit()
        return subtree_ids(self.units, chosen) if chosen else None


class KerjaSamaForm(forms.ModelForm):
    class Meta:
        model = KerjaSama
        fields = ["perguruan_tinggi", "nomor", "judul", "ruang_lingkup", "tanggal_tanda_tangan",
                  "tanggal_berakhir", "dokumen"]  # fmt: skip
        widgets = {
            "tanggal_tanda_tangan": DateInput(),
            "tanggal_berakhir": DateInput(),
            "ruang_lingkup": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_dokumen(self):
        return _pdf_only(self.cleaned_data.get("dokumen"))


class ProgramBeasiswaForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only an agreement in force can be linked; the model's clean checks its university.
        field = self.fields["kerja_sama"]
        field.queryset = KerjaSama.objects.aktif(timezone.localdate()).select_related(
            "perguruan_tinggi"
        )
        field.label_from_instance = lambda k: (
            f"{k.perguruan_tinggi.nama}: {k.nomor} ({k.judul}), berlaku sampai "
            f"{date_format(k.tanggal_berakhir, 'j F Y')}"
        )
        field.help_text = (
            "Opsional. Hanya kerja sama yang sedang berlaku, dengan perguruan tinggi program ini."
        )
        field.error_messages["invalid_choice"] = (
            "Kerja sama ini tidak (lagi) berlaku; pilih kerja sama yang sedang berlaku."
        )

    class Meta:
        model = ProgramBeasiswa
        fields = [
            "nama", "perguruan_tinggi", "kerja_sama", "jenjang", "program_studi", "jenis", "kuota",
            "pendaftaran_mulai", "pendaftaran_selesai", "lama_studi_bulan", "usia_maks",
            "masa_kerja_min_tahun", "tahun_predikat", "faktor_ikatan_dinas",
        ]  # fmt: skip
        widgets = {"pendaftaran_mulai": DateInput(), "pendaftaran_selesai": DateInput()}
        help_texts = {
            "usia_maks": "Kosongkan untuk batas jenjang: D3/D4/S1 25, S2 37, S3 40 tahun."
        }


class PendaftaranBeasiswaForm(forms.ModelForm):
    """The applicant's declaration: only the years whose predicate SIBINA lacks (`tercatat`,
    field name → predicate held), and the sanctions, which SIBINA does not hold."""

    def __init__(self, *args, tercatat: dict[str, str], on: date, tahun_predikat: int, **kwargs):
        super().__init__(*args, **kwargs)
        for i, (name, years_back) in enumerate(PendaftaranBeasiswa.TAHUN_PREDIKAT):
            if name in tercatat or i >= tahun_predikat:  # held, or not checked by the program
                del self.fields[name]
            else:
                self.fields[name].label = f"Predikat kinerja tahun {on.year - years_back}"
                self.fields[name].help_text = "Belum tercatat di SIBINA; isi sesuai SKP Anda."

    class Meta:
        model = PendaftaranBeasiswa
        fields = [
            "predikat_tahun_lalu",
            "predikat_dua_tahun_lalu",
            "tanpa_hukuman_disiplin",
            "dokumen",
        ]
        help_texts = {
            "dokumen": "Satu berkas PDF berisi ijazah, SKP dua tahun terakhir, surat "
            "rekomendasi atasan; paling besar 5 MB."
        }

    def clean_dokumen(self):
        return _pdf_only(self.cleaned_data.get("dokumen"))


class LaporanSemesterForm(forms.ModelForm):
    class Meta:
        model = LaporanSemester
        fields = ["semester", "ipk", "sks", "status"]
        localized_fields = ["ipk"]


class StudiLulusForm(forms.Form):
    tanggal_lulus = forms.DateField(
        label="Tanggal lulus (yudisium)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _pdf_only(upload):
    return check_upload(upload, kinds=("PDF",))


# --- Individual development plans ---------------------------------------------------------


def tahun_rencana_param(query, today: date) -> int:
    """A plan year asked for (?tahun=): last year, this year or next; else the default."""
    asked = tahun_tertulis(query)
    return parse_int(asked, low=today.year - 1, high=today.year + 1) or tahun_rencana_bawaan(today)


def tahun_rencana_pilihan(today: date) -> list[int]:
    return [today.year + 1, today.year, today.year - 1]


class BarisRencanaForm(forms.ModelForm):
    """A line of a plan. A catalog training is offered for classical forms; it must target
    the line's competency (BarisRencana.clean)."""

    class Meta:
        model = BarisRencana
        fields = ["kompetensi", "level_target", "bentuk", "pelatihan", "jp", "biaya", "catatan"]
        labels = {"biaya": "Biaya rencana (Rp, tanpa titik)"}
        help_texts = {
            "bentuk": "Klasikal (1–13) atau nonklasikal (14–25), menurut jenis SIASN.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pelatihan"].queryset = Pelatihan.objects.filter(
            jenis__lte=13, target__isnull=False
        ).distinct()
        self.fields["pelatihan"].required = False

    def clean(self):
        data = super().clean()
        pelatihan, bentuk = data.get("pelatihan"), data.get("bentuk")
        if pelatihan is not None and bentuk and bentuk > 13:
            self.add_error(
                "pelatihan", "Pelatihan katalog hanya untuk bentuk klasikal; kosongkan pelatihan "
                "atau pilih bentuk klasikal.",
            )  # fmt: skip
        return data


class KeputusanRencanaForm(forms.Form):
    keputusan = forms.ChoiceField(
        label="Keputusan",
        choices=[("setujui", "Setujui rencana"), ("kembalikan", "Kembalikan kepada pegawai")],
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih setujui atau kembalikan."},
    )
    tanggal_pertemuan = forms.DateField(
        label="Tanggal pertemuan empat mata",
        widget=DateInput(),
        error_messages={
            "required": "Isi tanggal pertemuan empat mata dengan pegawai.",
            "invalid": "Tanggal pertemuan tidak valid; tulis seperti 15/01/2027.",
        },
    )
    catatan = forms.CharField(
        label="Catatan atasan",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Wajib bila rencana dikembalikan.",
    )
