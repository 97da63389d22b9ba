import re
import secrets
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, validate_email
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pegawai.models import Pegawai, UnitKerja
from pembinaan.lib.cache import Group, StalingQuerySet

from .referensi import KEYS, PEKERJAAN, PENDIDIKAN, USIA


def _public_code() -> str:
    return secrets.token_urlsafe(6)


# The active service units, which every public form offers and checks: cached so that a
# citizen's form and its POST read no table (measured, issue 18: 0.5 ms from the cache against
# 0.7 ms for the query at 4 units; a province has hundreds). A change starts a new generation
# after its commit (masyarakat.signals, the queryset's bulk writes).
LAYANAN = Group("layanan", timeout=60)


class UnitLayananQuerySet(StalingQuerySet):
    cache_group = LAYANAN


class UnitLayanan(models.Model):
    """A service unit that citizens use and rate (a puskesmas, a licensing counter, a ward)."""

    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="+", verbose_name="unit kerja"
    )
    nama = models.CharField("nama layanan", max_length=200)
    kode = models.SlugField("kode tautan publik", max_length=40, unique=True, default=_public_code)
    aktif = models.BooleanField(default=True)
    # Who answer forwarded feedback for the unit (its HR assign them, services.petugas_tambah):
    # not every pegawai of the unit kerja, who may only be named by a citizen as the one who
    # served them (forms.petugas_pilihan).
    petugas = models.ManyToManyField(
        Pegawai,
        blank=True,
        related_name="unit_layanan_petugas",
        verbose_name="petugas penanggung jawab masukan",
    )

    objects = UnitLayananQuerySet.as_manager()

    class Meta:
        verbose_name = "unit layanan"
        verbose_name_plural = "unit layanan"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    def punya_petugas(self) -> bool:
        """Whether an active officer is assigned to answer its forwarded feedback (else its HR)."""
        return self.petugas.filter(aktif=True).exists()

    def get_survey_url(self) -> str:
        return reverse("masyarakat:survei", args=[self.kode])


class LayananPilihan(NamedTuple):
    pk: int
    nama: str
    unit_id: int


def layanan_aktif() -> dict[int, LayananPilihan]:
    """The active service units by id, in name order, cached until one is saved or removed
    (masyarakat.signals): a public form offers and checks them without a query."""
    return LAYANAN.get("aktif", _layanan_aktif)


def _layanan_aktif() -> dict[int, LayananPilihan]:
    rows = UnitLayanan.objects.filter(aktif=True).order_by("nama", "pk")
    return {row[0]: LayananPilihan(*row) for row in rows.values_list("pk", "nama", "unit_id")}


def _answer(key: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(key.upper(), null=True, blank=True)


class ResponSurvei(models.Model):
    """One respondent's IKM answers, by element key (u1–u9), 1–4 or empty where not answered."""

    class Sumber(models.TextChoices):
        DARING = "daring", "Daring"
        KERTAS = "kertas", "Kuesioner kertas (impor)"

    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.PROTECT, related_name="respon")
    tanggal = models.DateField(db_index=True)
    usia = models.CharField("usia", max_length=6, choices=USIA)
    jenis_kelamin = models.CharField(
        "jenis kelamin", max_length=1, choices=[("L", "Laki-laki"), ("P", "Perempuan")]
    )
    pendidikan = models.CharField(max_length=4, choices=PENDIDIKAN)
    pekerjaan = models.CharField(max_length=12, choices=PEKERJAAN)
    u1, u2, u3, u4, u5, u6, u7, u8, u9 = (_answer(k) for k in KEYS)
    saran = models.TextField("saran", blank=True, max_length=2000)
    sumber = models.CharField(max_length=6, choices=Sumber.choices, default=Sumber.DARING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "respon survei kepuasan"
        verbose_name_plural = "respon survei kepuasan"
        indexes = [models.Index(fields=["unit_layanan", "tanggal"], name="respon_unit_tanggal")]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{k}__isnull": True}) | Q(**{f"{k}__gte": 1, f"{k}__lte": 4}),
                name=f"respon_{k}_1_4",
            )
            for k in KEYS
        ]

    def __str__(self) -> str:
        return f"Respon {self.unit_layanan} {self.tanggal:%d/%m/%Y}"


class RekapIKM(models.Model):
    """Per service unit and month, what IKM is computed from: the respondents and each
    element's sum and answer count. Kept by every write of responses (masyarakat.rekap), so
    that a year's IKM reads twelve rows instead of every response."""

    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.CASCADE, related_name="+")
    bulan = models.DateField(help_text="Hari pertama bulan.")
    responden = models.PositiveIntegerField(default=0)
    u1_sum, u2_sum, u3_sum, u4_sum, u5_sum, u6_sum, u7_sum, u8_sum, u9_sum = (
        models.PositiveIntegerField(default=0) for _ in KEYS
    )
    u1_n, u2_n, u3_n, u4_n, u5_n, u6_n, u7_n, u8_n, u9_n = (
        models.PositiveIntegerField(default=0) for _ in KEYS
    )

    KOLOM = ["responden", *(f"{k}_sum" for k in KEYS), *(f"{k}_n" for k in KEYS)]

    class Meta:
        verbose_name = "rekap IKM bulanan"
        verbose_name_plural = "rekap IKM bulanan"
        constraints = [
            models.UniqueConstraint(fields=["unit_layanan", "bulan"], name="rekap_ikm_unit_bulan")
        ]

    def __str__(self) -> str:
        return f"Rekap IKM {self.unit_layanan_id} {self.bulan:%m/%Y}"


class VolumeLayanan(models.Model):
    """How many services a service unit gave in a quarter, entered by its HR: the population the
    quarter's survey sample is measured against (Krejcie–Morgan) and what complaints are counted
    per 1.000 of."""

    unit_layanan = models.ForeignKey(
        UnitLayanan, on_delete=models.CASCADE, related_name="volume", verbose_name="unit layanan"
    )
    tahun = models.PositiveSmallIntegerField()
    triwulan = models.PositiveSmallIntegerField(
        choices=[(1, "Triwulan I"), (2, "Triwulan II"), (3, "Triwulan III"), (4, "Triwulan IV")]
    )
    jumlah = models.PositiveIntegerField("jumlah layanan", validators=[MinValueValidator(1)])
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Who entered which number, and what it was before (the figures move the impact pages).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "volume layanan triwulanan"
        verbose_name_plural = "volume layanan triwulanan"
        ordering = ["unit_layanan", "tahun", "triwulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_layanan", "tahun", "triwulan"], name="volume_layanan_triwulan_unik"
            ),
            models.CheckConstraint(
                condition=Q(triwulan__gte=1, triwulan__lte=4), name="volume_layanan_triwulan_1_4"
            ),
            models.CheckConstraint(condition=Q(jumlah__gt=0), name="volume_layanan_jumlah_positif"),
            models.CheckConstraint(condition=Q(tahun__gte=2000), name="volume_layanan_tahun"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_layanan_id} {self.tahun}-T{self.triwulan}: {self.jumlah}"


# The symbols of a tracking code: none that reads as another when copied by hand or read out on
# the phone (no 0/O, no 1/I). 32 symbols, 5 bits each.
KODE_SIMBOL = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# What a stored code can be: the new ones, and the older ones made of A-Z and 0-9.
KODE_POLA = re.compile(r"[A-Z0-9]{1,12}")


def _tracking_code() -> str:
    # 12 symbols, 60 bits of randomness: one code does not lead to another.
    return "".join(secrets.choice(KODE_SIMBOL) for _ in range(12))


def kode_normal(typed: str) -> str:
    """A tracking code as a citizen types it (spaces, hyphens, lower case) in the form it is
    stored. Older codes may hold 0, O, 1 and I, so those are kept as typed, not guessed."""
    return re.sub(r"[\s-]+", "", typed).upper()


class Masukan(models.Model):
    """A citizen's feedback, followed by its tracking code (LAPOR!-style flow, domain.md §5)."""

    class Kategori(models.TextChoices):
        KELUHAN = "keluhan", "Keluhan"
        SARAN = "saran", "Saran"
        APRESIASI = "apresiasi", "Apresiasi"
        HARAPAN = "harapan", "Harapan"

    class Status(models.TextChoices):
        DITERIMA = "diterima", "Diterima, menunggu verifikasi"
        DITERUSKAN = "diteruskan", "Diverifikasi dan diteruskan ke unit"
        DITANGGAPI = "ditanggapi", "Ditanggapi unit"
        SELESAI = "selesai", "Selesai"
        DITOLAK = "ditolak", "Tidak dapat diproses"
        SPAM = "spam", "Spam"

    HARI_VERIFIKASI = 3  # working days
    HARI_TANGGAPAN = 5
    HARI_BALAS = 10

    kode = models.CharField("kode pelacakan", max_length=12, unique=True, default=_tracking_code)
    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.PROTECT, related_name="masukan")
    kategori = models.CharField(max_length=10, choices=Kategori.choices)
    isi = models.TextField("isi masukan", max_length=2000)
    penilaian = models.PositiveSmallIntegerField(
        "penilaian (1–5)", null=True, blank=True, choices=[(n, str(n)) for n in range(1, 6)]
    )
    nama = models.CharField("nama (opsional)", max_length=100, blank=True)
    kontak = models.CharField("telepon atau email (opsional)", max_length=100, blank=True)
    # Where the citizen is told of each step (services.surel_warga_antre); never shown to
    # officers when the feedback is anonymous or confidential (email_tampil).
    email = models.EmailField(
        "email untuk kabar tindak lanjut (opsional)",
        blank=True,
        help_text="Kami kirim kabar setiap kali status masukan Anda berubah.",
    )
    anonim = models.BooleanField(
        "anonim", default=False, help_text="Identitas Anda disembunyikan dari unit dan publik."
    )
    rahasia = models.BooleanField(
        "rahasia", default=False, help_text="Seluruh masukan tidak ditampilkan kepada publik."
    )
    lapor_id = models.CharField("ID SP4N-LAPOR!", max_length=40, blank=True)
    pegawai_dilayani = models.ForeignKey(
        Pegawai,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="masukan_tentang",
        verbose_name="petugas yang melayani (opsional)",
        help_text="Hanya pengelola dan atasan petugas yang melihatnya sebelum diverifikasi.",
    )
    tanggapan_pegawai = models.TextField("tanggapan petugas", blank=True, max_length=2000)
    ditanggapi_pegawai_at = models.DateTimeField(null=True, blank=True)
    forum = models.ForeignKey(
        "ForumDialog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="masukan",
        help_text="Masukan yang disampaikan dalam forum dialog.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DITERIMA)
    alasan_moderasi = models.TextField("alasan", blank=True)
    dimoderasi_at = models.DateTimeField(null=True, blank=True)
    tanggapan = models.TextField("tanggapan unit", blank=True)
    ditanggapi_at = models.DateTimeField(null=True, blank=True)
    balasan = models.TextField("balasan warga", blank=True, max_length=2000)
    dibalas_at = models.DateTimeField(null=True, blank=True)
    ditutup_otomatis = models.BooleanField(default=False)
    # The citizen's rating of the unit's response, once, from the tracking page.
    nilai_tanggapan = models.PositiveSmallIntegerField("nilai tanggapan", null=True, blank=True)
    ulasan_tanggapan = models.CharField("ulasan tanggapan", max_length=200, blank=True)
    dinilai_at = models.DateTimeField(null=True, blank=True)
    selesai_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The audit log of moderation: each status change with who made it and why. Read by the
    # feedback's id and by date only: the copied columns' indexes would cost every public
    # submission their writes and serve no query.
    history = HistoricalRecords(no_db_index=["kode", "unit_layanan", "pegawai_dilayani", "forum"])

    class Meta:
        verbose_name = "masukan masyarakat"
        verbose_name_plural = "masukan masyarakat"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="masukan_status_waktu"),
            # The inbox (masyarakat/tugas.py): per service unit, feedback waiting to be verified
            # and feedback forwarded and not yet answered, by how long it has waited.
            models.Index(
                fields=["unit_layanan", "created_at"], name="masukan_menunggu_verifikasi",
                condition=Q(status="diterima"),
            ),
            models.Index(
                fields=["unit_layanan", "dimoderasi_at"], name="masukan_menunggu_tanggapan",
                condition=Q(status="diteruskan"),
            ),
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["ditolak", "spam"]) | ~Q(alasan_moderasi=""),
                name="masukan_moderasi_ada_alasan",
            ),
            models.CheckConstraint(
                condition=Q(nilai_tanggapan__isnull=True)
                | Q(nilai_tanggapan__gte=1, nilai_tanggapan__lte=5),
                name="masukan_nilai_tanggapan_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.get_kategori_display()}"

    def get_tracking_url(self) -> str:
        return reverse("masyarakat:masukan_status", args=[self.kode])

    VERIFIED = {Status.DITERUSKAN, Status.DITANGGAPI, Status.SELESAI}

    @property
    def is_verified(self) -> bool:
        return self.status in self.VERIFIED

    @property
    def pengirim_tampil(self) -> str:
        """The name the unit sees: none when the citizen chose to stay anonymous."""
        return "Anonim" if self.anonim or not self.nama else self.nama

    @property
    def email_tampil(self) -> str:
        """The address officers may see: none for anonymous or confidential feedback."""
        return "" if self.anonim or self.rahasia else self.email

    @property
    def kontak_tampil(self) -> str:
        """The phone or email officers may see: none for anonymous or confidential feedback."""
        return "" if self.anonim or self.rahasia else self.kontak


class ForumDialog(models.Model):
    """A dialogue between citizens and ASN about a service: planned, held, closed with minutes."""

    class Format(models.TextChoices):
        TATAP_MUKA = "tatap_muka", "Tatap muka"
        DARING = "daring", "Daring"
        HIBRIDA = "hibrida", "Hibrida"

    class Status(models.TextChoices):
        DIRENCANAKAN = "direncanakan", "Direncanakan"
        SELESAI = "selesai", "Selesai"
        DIBATALKAN = "dibatalkan", "Dibatalkan"

    kode = models.SlugField(max_length=40, unique=True, default=_public_code)
    topik = models.CharField(max_length=200)
    unit_layanan = models.ForeignKey(UnitLayanan, on_delete=models.PROTECT, related_name="forum")
    waktu = models.DateTimeField("waktu pelaksanaan")
    format = models.CharField(max_length=12, choices=Format.choices)
    tempat = models.CharField(max_length=200, blank=True)
    tautan = models.URLField("tautan daring", blank=True)
    kapasitas = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    pendaftaran_dibuka = models.BooleanField("pendaftaran dibuka", default=True)
    agenda = models.TextField()
    pegawai = models.ManyToManyField(
        Pegawai, blank=True, related_name="+", verbose_name="ASN yang hadir"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DIRENCANAKAN)
    notulen = models.TextField(blank=True)
    jumlah_hadir = models.PositiveIntegerField("jumlah peserta hadir", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "forum dialog"
        verbose_name_plural = "forum dialog"
        ordering = ["-waktu"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="selesai") | (~Q(notulen="") & Q(jumlah_hadir__isnull=False)),
                name="forum_selesai_ada_notulen",
            )
        ]

    def __str__(self) -> str:
        return self.topik

    def get_absolute_url(self) -> str:
        return reverse("masyarakat:forum_publik", args=[self.kode])

    @property
    def sudah_berlangsung(self) -> bool:
        """Its time has come: registration and the waiting list's promotion are over."""
        return self.waktu <= timezone.now()

    @property
    def menerima_pendaftaran(self) -> bool:
        return (
            self.status == self.Status.DIRENCANAKAN
            and self.pendaftaran_dibuka
            and not self.sudah_berlangsung
        )


class PendaftaranForum(models.Model):
    class Status(models.TextChoices):
        TERDAFTAR = "terdaftar", "Terdaftar"
        DAFTAR_TUNGGU = "daftar_tunggu", "Daftar tunggu"
        DIBATALKAN = "dibatalkan", "Dibatalkan"

    forum = models.ForeignKey(ForumDialog, on_delete=models.CASCADE, related_name="pendaftar")
    nama = models.CharField(max_length=100)
    # Normalised (masyarakat.kontak): one person's contact is one value however it was typed.
    kontak = models.CharField("telepon atau email", max_length=100)
    organisasi = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices)
    kode = models.CharField(max_length=12, unique=True, default=_tracking_code)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pendaftar forum"
        verbose_name_plural = "pendaftar forum"
        ordering = ["created_at", "pk"]
        constraints = [
            # One registration per contact and forum; a cancelled one may register again.
            models.UniqueConstraint(
                fields=["forum", "kontak"],
                condition=~models.Q(status="dibatalkan"),
                name="pendaftar_forum_kontak_sekali",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nama} – {self.forum}"

    @property
    def email(self) -> str:
        """The contact when it is an email address: where the confirmation and reminder go."""
        try:
            validate_email(self.kontak)
        except ValidationError:
            return ""
        return self.kontak


class TindakLanjut(models.Model):
    """A follow-up action agreed in a forum: owner, due date, a status the public can see."""

    class Status(models.TextChoices):
        RENCANA = "rencana", "Direncanakan"
        BERJALAN = "berjalan", "Sedang dikerjakan"
        SELESAI = "selesai", "Selesai"

    forum = models.ForeignKey(ForumDialog, on_delete=models.CASCADE, related_name="tindak_lanjut")
    uraian = models.CharField(max_length=300)
    penanggung_jawab = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    tenggat = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RENCANA)

    class Meta:
        verbose_name = "tindak lanjut forum"
        verbose_name_plural = "tindak lanjut forum"
        ordering = ["tenggat", "pk"]

    def __str__(self) -> str:
        return self.uraian


class SurelWarga(models.Model):
    """One mail to a citizen (a status change, a forum confirmation or reminder), written in the
    step's own transaction and mailed after its commit. Recorded once sent, so never sent twice;
    a refusing mail server leaves it waiting for the sweep (the evaluasi.Pengingat pattern)."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu dikirim"
        TERKIRIM = "terkirim", "Terkirim"
        BERHENTI = "berhenti", "Tidak dikirim: alamat berhenti berlangganan"

    kunci = models.CharField(max_length=120, unique=True, help_text="One per event.")
    alamat = models.EmailField()
    judul = models.CharField(max_length=200)
    isi = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    created_at = models.DateTimeField(auto_now_add=True)
    dikirim_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "surel warga"
        verbose_name_plural = "surel warga"
        indexes = [models.Index(fields=["status", "created_at"], name="surel_warga_status_waktu")]

    def __str__(self) -> str:
        return f"{self.judul} → {self.alamat}"


class BerhentiLangganan(models.Model):
    """An address that asked for no more mail (the link in every citizen mail)."""

    alamat = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "alamat berhenti berlangganan"
        verbose_name_plural = "alamat berhenti berlangganan"

    def __str__(self) -> str:
        return self.alamat
