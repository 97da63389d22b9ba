import hashlib
import secrets
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from pegawai.models import Golongan, Jabatan, Pegawai, UnitKerja, unit_jalur
from pembinaan.lib.angka import angka
from pembinaan.lib.uploads import GeneratedName

from .referensi import USIA_MAKS_BEASISWA

LEVELS = [(level, f"Level {level}") for level in range(1, 6)]
level_field_validators = [MinValueValidator(1), MaxValueValidator(5)]


class Kompetensi(models.Model):
    """A competency of PermenPANRB 38/2017: managerial, socio-cultural, or technical per jabatan."""

    class Jenis(models.TextChoices):
        MANAJERIAL = "manajerial", "Manajerial"
        SOSIAL_KULTURAL = "sosial_kultural", "Sosial kultural"
        TEKNIS = "teknis", "Teknis"

    kode = models.CharField("kode", max_length=20, unique=True)
    nama = models.CharField("nama kompetensi", max_length=150)
    jenis = models.CharField("jenis", max_length=20, choices=Jenis.choices)
    deskripsi = models.TextField("deskripsi", blank=True)

    class Meta:
        verbose_name = "kompetensi"
        verbose_name_plural = "kompetensi"
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class KompetensiLevel(models.Model):
    kompetensi = models.ForeignKey(Kompetensi, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(choices=LEVELS, validators=level_field_validators)
    deskripsi = models.TextField("deskripsi level")

    class Meta:
        verbose_name = "level kompetensi"
        verbose_name_plural = "level kompetensi"
        ordering = ["kompetensi", "level"]
        constraints = [
            models.UniqueConstraint(fields=["kompetensi", "level"], name="kompetensi_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kompetensi.kode} level {self.level}"


class StandarKompetensi(models.Model):
    """The level a jabatan requires of a competency."""

    jabatan = models.ForeignKey(
        Jabatan, on_delete=models.CASCADE, related_name="standar_kompetensi"
    )
    kompetensi = models.ForeignKey(Kompetensi, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(
        "level minimal", choices=LEVELS, validators=level_field_validators
    )

    class Meta:
        verbose_name = "standar kompetensi jabatan"
        verbose_name_plural = "standar kompetensi jabatan"
        constraints = [
            models.UniqueConstraint(fields=["jabatan", "kompetensi"], name="standar_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="standar_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jabatan}: {self.kompetensi.kode} ≥ {self.level}"


class PenilaianKompetensi(models.Model):
    """An assessed level of one pegawai in one competency; the latest one counts."""

    class Sumber(models.TextChoices):
        ASSESSMENT_CENTER = "assessment_center", "Assessment center"
        UJI_KOMPETENSI = "uji_kompetensi", "Uji kompetensi"
        PENILAIAN_ATASAN = "penilaian_atasan", "Penilaian atasan"
        PELATIHAN = "pelatihan", "Hasil pelatihan"

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.CASCADE, related_name="penilaian_kompetensi"
    )
    kompetensi = models.ForeignKey(Kompetensi, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=LEVELS, validators=level_field_validators)
    tanggal = models.DateField("tanggal penilaian")
    sumber = models.CharField(max_length=20, choices=Sumber.choices)
    # The participation whose pass recorded it (sumber "pelatihan"): withdrawn with its
    # certificate, recorded again when one is re-issued.
    peserta = models.ForeignKey(
        "Peserta", on_delete=models.CASCADE, null=True, blank=True, related_name="penilaian"
    )

    class Meta:
        verbose_name = "penilaian kompetensi"
        verbose_name_plural = "penilaian kompetensi"
        ordering = ["-tanggal", "-pk"]
        indexes = [
            models.Index(fields=["pegawai", "kompetensi", "-tanggal"], name="penilaian_terbaru")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="penilaian_level_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pegawai.nama}: {self.kompetensi.kode} level {self.level}"


class JenisPengembangan(models.IntegerChoices):
    """SIASN jenisDiklat: 1–13 klasikal, 14–25 nonklasikal."""

    DIKLAT_STRUKTURAL = 1, "Diklat Struktural"
    DIKLAT_FUNGSIONAL = 2, "Diklat Fungsional"
    DIKLAT_TEKNIS = 3, "Diklat Teknis"
    WORKSHOP = 4, "Workshop"
    PELATIHAN_MANAJERIAL = 5, "Pelatihan Manajerial"
    PELATIHAN_SOSIAL_KULTURAL = 6, "Pelatihan Sosial Kultural"
    SOSIALISASI = 7, "Sosialisasi"
    BIMBINGAN_TEKNIS = 8, "Bimbingan Teknis"
    SEMINAR = 9, "Seminar"
    MAGANG = 10, "Magang"
    KURSUS = 11, "Kursus"
    PENATARAN = 12, "Penataran"
    KLASIKAL_LAINNYA = 13, "Klasikal lainnya"
    COACHING = 14, "Coaching"
    MENTORING = 15, "Mentoring"
    E_LEARNING = 16, "E-Learning"
    PELATIHAN_JARAK_JAUH = 17, "Pelatihan Jarak Jauh"
    DETASERING = 18, "Detasering"
    OUTBOUND = 19, "Outbound"
    BENCHMARKING = 20, "Benchmarking"
    PERTUKARAN = 21, "Pertukaran PNS dengan swasta/BUMN/BUMD"
    BELAJAR_MANDIRI = 22, "Belajar Mandiri"
    KOMUNITAS_BELAJAR = 23, "Komunitas Belajar"
    BIMBINGAN_DI_TEMPAT_KERJA = 24, "Bimbingan di Tempat Kerja"
    NONKLASIKAL_LAINNYA = 25, "Nonklasikal lainnya"

    @classmethod
    def is_klasikal(cls, value: int) -> bool:
        return value <= cls.KLASIKAL_LAINNYA

    @classmethod
    def nonklasikal(cls) -> list[int]:
        """The forms learnt at work rather than in a class, which the direct atasan verifies:
        SIASN's 14–25, and magang/praktik kerja, which Peraturan LAN 10/2018 counts among the
        non-classical forms although SIASN numbers it with the classical ones (10)."""
        return [cls.MAGANG, *range(cls.COACHING, cls.NONKLASIKAL_LAINNYA + 1)]

    @classmethod
    def is_nonklasikal(cls, value: int) -> bool:
        return value in cls.nonklasikal()


class Pelatihan(models.Model):
    class Penyelenggara(models.TextChoices):
        INTERNAL = "internal", "Internal (BPSDM/BKD Provinsi Jambi)"
        EKSTERNAL = "eksternal", "Lembaga eksternal"
        PERGURUAN_TINGGI = "perguruan_tinggi", "Perguruan tinggi mitra"

    nama = models.CharField("nama pelatihan", max_length=200)
    jenis = models.PositiveSmallIntegerField(
        "jenis pengembangan", choices=JenisPengembangan.choices
    )
    bidang = models.CharField("bidang", max_length=100, help_text="Mis. Kesehatan, Keuangan, TIK.")
    jp = models.PositiveSmallIntegerField(
        "jumlah JP", validators=[MinValueValidator(1)], help_text="1 JP = 45 menit."
    )
    penyelenggara_jenis = models.CharField(
        "jenis penyelenggara", max_length=20, choices=Penyelenggara.choices
    )
    penyelenggara = models.CharField("nama penyelenggara", max_length=200)
    # Whose managers run the batches, sessions, attendance, results and certificates (domain.md
    # §7); empty on trainings of the province (BPSDM), run by the pengelola provinsi.
    unit_penyelenggara = models.ForeignKey(
        UnitKerja,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="unit penyelenggara",
        help_text="Pengelola unit ini yang menjalankan angkatan, kehadiran, nilai dan sertifikat. "
        "Kosong: pelatihan tingkat provinsi, dikelola pengelola provinsi (BKD/BPSDM).",
    )
    deskripsi = models.TextField("deskripsi", blank=True)
    wajib_aksi_perubahan = models.BooleanField(
        "mewajibkan aksi perubahan",
        default=False,
        help_text="Seperti PKN, PKA dan PKP: setiap peserta menjalankan proyek perubahan di "
        "unitnya, didampingi mentor.",
    )
    kompetensi = models.ManyToManyField(
        Kompetensi, through="PelatihanKompetensi", related_name="pelatihan", blank=True
    )
    sasaran_jabatan = models.ManyToManyField(
        Jabatan, blank=True, related_name="+", verbose_name="sasaran jabatan"
    )
    sasaran_golongan = models.ManyToManyField(
        Golongan, blank=True, related_name="+", verbose_name="sasaran golongan"
    )
    sasaran_unit = models.ManyToManyField(
        UnitKerja, blank=True, related_name="+", verbose_name="sasaran unit kerja"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pelatihan"
        verbose_name_plural = "pelatihan"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("pelatihan:detail", args=[self.pk])

    @property
    def is_klasikal(self) -> bool:
        return JenisPengembangan.is_klasikal(self.jenis)

    def sasaran(self) -> "Sasaran":
        """Whom the training is for, as its page shows it: the units with their OPD path, the
        jabatan and the golongan; an empty list is open to all."""
        jalur = unit_jalur()
        units = sorted(jalur.get(pk, "") for pk in self.sasaran_unit.values_list("pk", flat=True))
        return Sasaran(
            unit=units,
            jabatan=[str(j) for j in self.sasaran_jabatan.order_by("nama")],
            golongan=[str(g) for g in self.sasaran_golongan.order_by("kode")],
        )


class Sasaran(NamedTuple):
    unit: list[str]
    jabatan: list[str]
    golongan: list[str]

    @property
    def is_terbuka(self) -> bool:
        """Open to every ASN: no criterion set."""
        return not (self.unit or self.jabatan or self.golongan)


class PelatihanKompetensi(models.Model):
    """A competency a training develops, and the level it brings a participant to."""

    pelatihan = models.ForeignKey(Pelatihan, on_delete=models.CASCADE, related_name="target")
    kompetensi = models.ForeignKey(Kompetensi, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(
        "level yang dicapai", choices=LEVELS, validators=level_field_validators
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pelatihan", "kompetensi"], name="pelatihan_kompetensi_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kompetensi.kode} → level {self.level}"


class AngkatanQuerySet(models.QuerySet):
    def terbuka(self) -> "AngkatanQuerySet":
        return self.filter(status=Angkatan.Status.PENDAFTARAN)


class Angkatan(models.Model):
    """A batch of a training: its dates, place, quota and participants."""

    class Status(models.TextChoices):
        DIRENCANAKAN = "direncanakan", "Direncanakan"
        PENDAFTARAN = "pendaftaran", "Pendaftaran dibuka"
        BERJALAN = "berjalan", "Berjalan"
        SELESAI = "selesai", "Selesai"
        DIBATALKAN = "dibatalkan", "Dibatalkan"

    pelatihan = models.ForeignKey(Pelatihan, on_delete=models.PROTECT, related_name="angkatan")
    nama = models.CharField(
        "nama angkatan", max_length=100, help_text="Mis. Angkatan I Tahun 2026."
    )
    tanggal_mulai = models.DateField("tanggal mulai")
    tanggal_selesai = models.DateField("tanggal selesai")
    tempat = models.CharField("tempat", max_length=200, blank=True)
    tautan_daring = models.URLField("tautan daring", blank=True)
    kuota = models.PositiveSmallIntegerField("kuota peserta", validators=[MinValueValidator(1)])
    fasilitator = models.TextField("fasilitator", blank=True, help_text="Satu nama per baris.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DIRENCANAKAN)
    ambang_kehadiran = models.PositiveSmallIntegerField(
        "ambang kehadiran (%)", default=80, validators=[MaxValueValidator(100)]
    )
    nilai_lulus = models.DecimalField(
        "nilai lulus post-test",
        max_digits=5,
        decimal_places=2,
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    objects = AngkatanQuerySet.as_manager()

    class Meta:
        verbose_name = "angkatan"
        verbose_name_plural = "angkatan"
        ordering = ["-tanggal_mulai", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_selesai__gte=F("tanggal_mulai")),
                name="angkatan_selesai_after_mulai",
                violation_error_message="Tanggal selesai tidak boleh sebelum tanggal mulai.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pelatihan.nama} – {self.nama}"

    def get_absolute_url(self) -> str:
        return reverse("pelatihan:angkatan_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDAFTARAN

    @property
    def accepts_nominations(self) -> bool:
        """HR enrol staff until the batch starts; a running or ended batch takes nobody new."""
        return self.status in (self.Status.DIRENCANAKAN, self.Status.PENDAFTARAN)

    @property
    def has_ended(self) -> bool:
        return self.status in (self.Status.SELESAI, self.Status.DIBATALKAN)

    def overlaps(self, other: "Angkatan") -> bool:
        return (
            self.tanggal_mulai <= other.tanggal_selesai
            and other.tanggal_mulai <= self.tanggal_selesai
        )


class Sesi(models.Model):
    """A day of a batch's schedule; attendance is taken per session."""

    angkatan = models.ForeignKey(Angkatan, on_delete=models.CASCADE, related_name="sesi")
    tanggal = models.DateField()
    topik = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "sesi"
        verbose_name_plural = "sesi"
        ordering = ["tanggal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["angkatan", "tanggal"], name="sesi_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.tanggal:%d/%m/%Y} {self.topik}".strip()


class PesertaQuerySet(models.QuerySet):
    def diakui(self) -> "PesertaQuerySet":
        """Passed participations that still count: none whose certificate was revoked without
        a valid one issued since (a pass recorded before certificates existed counts)."""
        certificates = Sertifikat.objects.filter(peserta=OuterRef("pk"))
        return self.filter(lulus=True).filter(
            Exists(certificates.filter(dicabut_at__isnull=True))
            | ~Exists(certificates.filter(dicabut_at__isnull=False))
        )


class Peserta(models.Model):
    """A pegawai in a batch, from the request to the result."""

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Diajukan pegawai, menunggu atasan"
        DISETUJUI_ATASAN = "disetujui_atasan", "Disetujui atasan, menunggu pengelola"
        TERDAFTAR = "terdaftar", "Terdaftar"
        DAFTAR_TUNGGU = "daftar_tunggu", "Daftar tunggu"
        TUNGGU_DITUTUP = "tunggu_ditutup", "Daftar tunggu ditutup (angkatan berakhir)"
        DITOLAK = "ditolak", "Ditolak"
        DIBATALKAN = "dibatalkan", "Dibatalkan"

    # Statuses that hold the pegawai's calendar (no overlapping batch) or wait for a seat.
    ACTIVE = [Status.DIAJUKAN, Status.DISETUJUI_ATASAN, Status.TERDAFTAR, Status.DAFTAR_TUNGGU]

    angkatan = models.ForeignKey(Angkatan, on_delete=models.PROTECT, related_name="peserta")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="keikutsertaan")
    status = models.CharField(max_length=20, choices=Status.choices)
    alasan = models.TextField("alasan penolakan/pembatalan", blank=True)
    nilai_pre = models.DecimalField(
        "nilai pre-test",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    nilai_post = models.DecimalField(
        "nilai post-test",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    lulus = models.BooleanField("lulus", null=True, blank=True)
    diputuskan_at = models.DateTimeField("diputuskan pada", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PesertaQuerySet.as_manager()
    # The audit log of enrolment decisions and results (pembinaan.audit).
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "peserta"
        verbose_name_plural = "peserta"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["angkatan", "pegawai"], name="peserta_unique"),
            models.CheckConstraint(
                condition=Q(lulus__isnull=True) | Q(status="terdaftar"),
                name="peserta_lulus_only_when_terdaftar",
            ),
        ]
        # The task inbox's rows (pelatihan/tugas.py), small slices of a large table: requests
        # waiting for the atasan or HR; batches with results to decide and scores missing.
        indexes = [
            models.Index(
                fields=["pegawai"], name="peserta_menunggu",
                condition=Q(status__in=["diajukan", "disetujui_atasan"]),
            ),
            models.Index(
                fields=["angkatan"], name="peserta_belum_diputuskan",
                condition=Q(status="terdaftar", lulus__isnull=True),
            ),
            models.Index(
                fields=["angkatan"], name="peserta_tanpa_nilai",
                condition=Q(status="terdaftar", nilai_post__isnull=True),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.pegawai.nama} – {self.angkatan}"

    @property
    def sertifikat(self) -> "Sertifikat | None":
        """The certificate that speaks for this participation: the valid one, else the last
        revoked; None before any. Reads `sertifikat_semua` (prefetch it on lists)."""
        certificates = sorted(
            self.sertifikat_semua.all(), key=lambda s: (not s.is_revoked, s.diterbitkan_at, s.pk)
        )
        return certificates[-1] if certificates else None

    @property
    def hasil(self) -> str:
        """The outcome in the words every page and export uses."""
        if self.lulus is None:
            return self.get_status_display()
        if not self.lulus:
            return "Tidak lulus"
        certificate = self.sertifikat
        if certificate is not None and certificate.is_revoked:
            return "Lulus, sertifikat dicabut"
        return "Lulus"


class Kehadiran(models.Model):
    peserta = models.ForeignKey(Peserta, on_delete=models.CASCADE, related_name="kehadiran")
    sesi = models.ForeignKey(Sesi, on_delete=models.CASCADE, related_name="kehadiran")
    hadir = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peserta", "sesi"], name="kehadiran_unique")]

    def __str__(self) -> str:
        return f"{self.sesi}: {'hadir' if self.hadir else 'tidak hadir'}"


def _certificate_code() -> str:
    return secrets.token_urlsafe(16)


class Sertifikat(models.Model):
    """The certificate of a passed participant; its code is the public verification key.

    A revoked certificate stays (its verification page says so); re-issuing makes a new one with
    a new number, so a participation has at most one valid certificate and any revoked ones."""

    peserta = models.ForeignKey(Peserta, on_delete=models.PROTECT, related_name="sertifikat_semua")
    nomor = models.CharField("nomor sertifikat", max_length=60, unique=True)
    kode = models.CharField(max_length=32, unique=True, default=_certificate_code, editable=False)
    diterbitkan_at = models.DateTimeField(default=timezone.now)
    diterbitkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dicabut_at = models.DateTimeField(null=True, blank=True)
    dicabut_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alasan_cabut = models.TextField("alasan pencabutan", blank=True)

    # The audit log of issues, revocations and re-issues (pembinaan.audit).
    history = HistoricalRecords(excluded_fields=["kode"])

    class Meta:
        verbose_name = "sertifikat"
        verbose_name_plural = "sertifikat"
        ordering = ["diterbitkan_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["peserta"],
                condition=Q(dicabut_at__isnull=True),
                name="sertifikat_satu_berlaku",
                violation_error_message="Peserta ini sudah memiliki sertifikat yang berlaku.",
            ),
            models.CheckConstraint(
                condition=Q(dicabut_at__isnull=True) | ~Q(alasan_cabut=""),
                name="sertifikat_dicabut_beralasan",
                violation_error_message="Pencabutan harus disertai alasan.",
            ),
        ]

    def __str__(self) -> str:
        return self.nomor

    def get_verification_url(self) -> str:
        return reverse("verifikasi", args=[self.kode])

    @property
    def is_revoked(self) -> bool:
        return self.dicabut_at is not None


class AturanKonversiJP(models.Model):
    """How one form of development converts to JP, and its caps: data that administrators keep
    (domain.md §2, §8). 1 JP = 45 minutes (Peraturan LAN 10/2018). Each row cites its source;
    a value the regulation text could not confirm says "belum terverifikasi" there."""

    class Satuan(models.TextChoices):
        JAM = "jam", "jam"
        HARI = "hari", "hari"
        SESI = "sesi", "sesi"
        MODUL = "modul", "modul"
        BULAN = "bulan", "bulan"

    jenis = models.PositiveSmallIntegerField(
        "jenis pengembangan", choices=JenisPengembangan.choices, unique=True
    )
    satuan = models.CharField(max_length=10, choices=Satuan.choices)
    jp_per_satuan = models.DecimalField(
        "JP per satuan",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    jp_per_satuan_internasional = models.DecimalField(
        "JP per satuan (internasional)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Kosongkan bila sama dengan kegiatan nasional.",
    )
    batas_per_kegiatan = models.PositiveSmallIntegerField(
        "batas JP per kegiatan", null=True, blank=True, help_text="Kosongkan bila tanpa batas."
    )
    batas_per_tahun = models.PositiveSmallIntegerField(
        "batas JP per tahun per pegawai",
        null=True,
        blank=True,
        help_text="Untuk jenis ini, dihitung dari kegiatan yang sudah diverifikasi pada tahun "
        "yang sama. Kosongkan bila tanpa batas.",
    )
    sumber = models.TextField(
        "dasar/sumber",
        help_text='Peraturan atau pedoman yang menetapkan angka ini; tulis "belum '
        'terverifikasi" bila belum dicocokkan dengan naskahnya.',
    )
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Who changed a conversion and when (pembinaan.audit).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "aturan konversi JP"
        verbose_name_plural = "aturan konversi JP"
        ordering = ["jenis"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()}: {angka(self.jp_per_satuan, 2)} JP per {self.satuan}"

    @property
    def terverifikasi(self) -> bool:
        return "belum terverifikasi" not in self.sumber.lower()

    def jp_untuk(self, jumlah: Decimal, skala: str = "nasional") -> int:
        """The JP of `jumlah` units, rounded half up; the caps apply when it is verified, so
        that the claim shows what was done and the verification what was credited."""
        per = self.jp_per_satuan
        if skala == KegiatanEksternal.Skala.INTERNASIONAL and self.jp_per_satuan_internasional:
            per = self.jp_per_satuan_internasional
        return int((Decimal(jumlah) * per).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# The most JP one activity can claim: what its column holds on every database.
JP_MAKS_KEGIATAN = 32_767

BERKAS_SUDAH_DIKLAIM = (
    "Berkas bukti ini sudah diajukan untuk kegiatan lain yang menunggu verifikasi atau sudah "
    "diverifikasi. Satu berkas hanya dapat dipakai untuk satu kegiatan; unggah bukti kegiatan "
    "ini sendiri."
)


def berkas_sha256(file) -> str:
    """The SHA-256 of a file's content, read in chunks (an upload or a stored file)."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class KegiatanEksternalQuerySet(models.QuerySet):
    def klaim_aktif(self) -> "KegiatanEksternalQuerySet":
        """Claims that hold their evidence: waiting or verified (a rejected one frees it)."""
        return self.exclude(status=KegiatanEksternal.Status.DITOLAK)

    def verifikasi_oleh(self, user, sebagai: str | None = None) -> "KegiatanEksternalQuerySet":
        """The waiting activities this login decides (access.can_verify_kegiatan), never its
        own: as atasan their direct subordinates' non-classical ones, as pengelola the rest in
        their units. `sebagai` keeps one of the two roles."""
        oleh_atasan = Q(
            jenis__in=JenisPengembangan.nonklasikal(),
            pegawai__atasan__isnull=False,
            pegawai__atasan__user__isnull=False,
        )
        scope = Q(pk__in=[])
        profil = user.pegawai_profil
        if profil is not None and sebagai in (None, "atasan"):
            scope |= oleh_atasan & Q(pegawai__atasan_id=profil.pk)
        if sebagai in (None, "pengelola"):
            if user.is_admin:
                scope |= ~oleh_atasan
            elif user.unit_kelolaan_ids:
                scope |= ~oleh_atasan & Q(pegawai__unit_id__in=sorted(user.unit_kelolaan_ids))
        return self.filter(scope, status=KegiatanEksternal.Status.DIAJUKAN).exclude(
            pegawai__user=user
        )


class KegiatanEksternal(models.Model):
    """Competency development outside SIBINA's trainings, counted once verified: a classical
    one (seminar, kursus, …) by HR of the pegawai's unit, who check the certificate as before;
    a non-classical one (coaching, mentoring, e-learning, belajar mandiri, …) by the direct
    atasan, who saw the learning happen at work (SE Kepala BKN 3/2022 gives the atasan that
    role in the 10:20:70 model), or by HR when the pegawai has no atasan with a login."""

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Menunggu verifikasi"
        DIVERIFIKASI = "diverifikasi", "Diverifikasi"
        DITOLAK = "ditolak", "Ditolak"

    class Skala(models.TextChoices):
        NASIONAL = "nasional", "Nasional"
        INTERNASIONAL = "internasional", "Internasional"

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.CASCADE, related_name="kegiatan_eksternal"
    )
    nama = models.CharField("nama kegiatan", max_length=200)
    jenis = models.PositiveSmallIntegerField(
        "jenis pengembangan", choices=JenisPengembangan.choices
    )
    penyelenggara = models.CharField("penyelenggara", max_length=200)
    tanggal_mulai = models.DateField("tanggal mulai")
    tanggal_selesai = models.DateField("tanggal selesai")
    skala = models.CharField(max_length=15, choices=Skala.choices, default=Skala.NASIONAL)
    jumlah = models.DecimalField(
        "jumlah",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10000"))],
        help_text="Dalam satuan aturan konversi jenisnya (jam, hari, sesi, modul, bulan); "
        "JP dihitung darinya.",
    )
    jp = models.PositiveSmallIntegerField(
        "jumlah JP",
        null=True,
        blank=True,
        help_text="JP yang tertera di sertifikat kegiatan klasikal. Kosongkan untuk jenis yang "
        "dihitung dari jumlahnya (seminar/workshop dari jumlah hari).",
    )
    jp_dikreditkan = models.PositiveSmallIntegerField("JP dikreditkan", null=True, blank=True)
    keterangan_kredit = models.CharField(max_length=200, blank=True)
    nomor_sertifikat = models.CharField("nomor sertifikat", max_length=100, blank=True)
    berlaku_sampai = models.DateField(
        "sertifikat berlaku sampai",
        null=True,
        blank=True,
        help_text="Untuk sertifikat yang harus diperbarui (mis. BTCLS): SIBINA mengingatkan "
        "90 hari sebelumnya.",
    )
    file = models.FileField("berkas bukti", upload_to=GeneratedName("kegiatan/%Y/%m/"))
    berkas_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.DIAJUKAN)
    alasan_tolak = models.TextField("alasan penolakan", blank=True)
    diverifikasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diverifikasi_at = models.DateTimeField(null=True, blank=True)
    diingatkan_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KegiatanEksternalQuerySet.as_manager()
    # The audit log of claims, verifications and rejections (pembinaan.audit).
    history = HistoricalRecords(excluded_fields=["berkas_sha256", "diingatkan_at"])

    class Meta:
        verbose_name = "kegiatan pengembangan eksternal"
        verbose_name_plural = "kegiatan pengembangan eksternal"
        ordering = ["-tanggal_mulai", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_selesai__gte=F("tanggal_mulai")),
                name="kegiatan_selesai_after_mulai",
                violation_error_message="Tanggal selesai tidak boleh sebelum tanggal mulai.",
            ),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | ~Q(alasan_tolak=""),
                name="kegiatan_ditolak_has_alasan",
                violation_error_message="Penolakan harus disertai alasan.",
            ),
            models.CheckConstraint(
                condition=Q(berlaku_sampai__isnull=True)
                | Q(berlaku_sampai__gte=F("tanggal_selesai")),
                name="kegiatan_berlaku_after_selesai",
                violation_error_message="Masa berlaku tidak boleh berakhir sebelum kegiatannya.",
            ),
            # One evidence file backs one claim: not twice by the same pegawai, not by another.
            # A rejected claim frees its file (the pegawai may correct and file it again).
            models.UniqueConstraint(
                fields=["berkas_sha256"],
                condition=~Q(status="ditolak") & ~Q(berkas_sha256=""),
                name="kegiatan_berkas_sekali",
                violation_error_message=BERKAS_SUDAH_DIKLAIM,
            ),
        ]
        # HR's inbox: the few activities waiting for verification among every one ever filed.
        indexes = [
            models.Index(
                fields=["created_at"], name="kegiatan_diajukan", condition=Q(status="diajukan")
            ),
            # The reminder job and HR's list: certificates with an expiry, not yet reminded.
            models.Index(
                fields=["berlaku_sampai"],
                name="kegiatan_berlaku",
                condition=Q(berlaku_sampai__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def hari(self) -> int:
        return (self.tanggal_selesai - self.tanggal_mulai).days + 1

    @property
    def is_nonklasikal(self) -> bool:
        return JenisPengembangan.is_nonklasikal(self.jenis)

    @property
    def oleh_atasan(self) -> bool:
        """Whether the direct atasan verifies it (see the class): non-classical, and an atasan
        with a login to do it."""
        atasan = self.pegawai.atasan
        return self.is_nonklasikal and atasan is not None and atasan.user_id is not None

    @property
    def verifikator(self) -> str:
        """Who verifies it, as the pegawai is told."""
        if self.oleh_atasan:
            return f"atasan langsung Anda ({self.pegawai.atasan.nama_lengkap})"
        return "pengelola kepegawaian unit Anda"

    @property
    def jp_diakui(self) -> int | None:
        """The JP credited once verified; before, the JP claimed."""
        if self.status == self.Status.DIVERIFIKASI and self.jp_dikreditkan is not None:
            return self.jp_dikreditkan
        return self.jp

    def jp_hitung(self, aturan: "AturanKonversiJP | None") -> int | None:
        """The JP this activity claims: a classical one's own JP from its certificate, else
        its quantity (a day-based rule: its days) by its form's rule; None when neither."""
        if self.jp and not (self.is_nonklasikal and aturan is not None):
            return self.jp
        if aturan is None:
            return None
        jumlah = self.jumlah
        if jumlah is None and aturan.satuan == AturanKonversiJP.Satuan.HARI:
            if self.tanggal_mulai and self.tanggal_selesai:
                jumlah = Decimal(self.hari)
        if not jumlah:
            return None
        return aturan.jp_untuk(jumlah, self.skala)

    def clean(self) -> None:
        if not self.jenis:
            return
        aturan = AturanKonversiJP.objects.filter(jenis=self.jenis).first()
        if self.is_nonklasikal and aturan is not None:
            if self.jp and self.jumlah is None:
                raise ValidationError(
                    {
                        "jp": f"JP {self.get_jenis_display()} dihitung dari jumlah "
                        f"{aturan.satuan}: kosongkan kolom JP dan isi jumlahnya."
                    }
                )
            if self.jumlah is None and aturan.satuan != AturanKonversiJP.Satuan.HARI:
                raise ValidationError(
                    {"jumlah": f"Isi jumlah {aturan.satuan} {self.get_jenis_display()}."}
                )
        if not (self.tanggal_mulai and self.tanggal_selesai):
            return
        jp = self.jp_hitung(aturan)
        if not jp:
            raise ValidationError(
                {"jp": "Isi jumlah JP: jenis ini tidak dihitung dari jumlah hari atau satuan."}
            )
        if jp > JP_MAKS_KEGIATAN:
            raise ValidationError(
                {
                    "jumlah": f"Jumlah ini setara {angka(jp)} JP, lebih dari "
                    f"{angka(JP_MAKS_KEGIATAN)} JP untuk satu kegiatan. Periksa jumlahnya."
                }
            )


class CatatanJPQuerySet(models.QuerySet):
    def tahun(self, year: int) -> "CatatanJPQuerySet":
        return self.filter(tahun=year)


class CatatanJP(models.Model):
    """The JP ledger: one row per completed training or verified external activity.

    The 20 JP totals are sums over this table alone, served by a (tahun, pegawai) INCLUDE (jp)
    index. `tahun` is the year of `tanggal`, kept as a column so that the index can lead with it.
    """

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="catatan_jp")
    tahun = models.PositiveSmallIntegerField()
    tanggal = models.DateField()
    jp = models.PositiveSmallIntegerField()
    uraian = models.CharField(max_length=200)
    peserta = models.OneToOneField(
        Peserta, on_delete=models.CASCADE, null=True, blank=True, related_name="catatan_jp"
    )
    kegiatan = models.OneToOneField(
        KegiatanEksternal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="catatan_jp",
    )

    objects = CatatanJPQuerySet.as_manager()

    class Meta:
        verbose_name = "catatan JP"
        verbose_name_plural = "catatan JP"
        ordering = ["-tanggal", "-pk"]
        # The covering (tahun, pegawai) INCLUDE (jp) index is PostgreSQL's; see migration 0002.
        constraints = [
            models.CheckConstraint(
                condition=Q(peserta__isnull=False, kegiatan__isnull=True)
                | Q(peserta__isnull=True, kegiatan__isnull=False),
                name="catatan_jp_one_source",
            ),
            models.CheckConstraint(condition=Q(jp__gte=1), name="catatan_jp_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai.nama} {self.tahun}: {self.jp} JP"


class PerguruanTinggi(models.Model):
    nama = models.CharField("nama perguruan tinggi", max_length=200, unique=True)
    singkatan = models.CharField(max_length=30, blank=True)
    kota = models.CharField(max_length=100)

    class Meta:
        verbose_name = "perguruan tinggi"
        verbose_name_plural = "perguruan tinggi"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class KerjaSamaQuerySet(models.QuerySet):
    def aktif(self, on: date) -> "KerjaSamaQuerySet":
        return self.filter(tanggal_tanda_tangan__lte=on, tanggal_berakhir__gte=on)


class KerjaSama(models.Model):
    """A partnership (MoU) with a university; active from signing until its end date."""

    HARI_PERINGATAN = 90

    perguruan_tinggi = models.ForeignKey(
        PerguruanTinggi, on_delete=models.PROTECT, related_name="kerja_sama"
    )
    nomor = models.CharField("nomor naskah", max_length=100, unique=True)
    judul = models.CharField("judul", max_length=200)
    ruang_lingkup = models.TextField("ruang lingkup")
    tanggal_tanda_tangan = models.DateField("tanggal penandatanganan")
    tanggal_berakhir = models.DateField("berlaku sampai")
    dokumen = models.FileField(
        "dokumen (PDF)", upload_to=GeneratedName("kerjasama/%Y/"), blank=True
    )

    objects = KerjaSamaQuerySet.as_manager()

    class Meta:
        verbose_name = "kerja sama"
        verbose_name_plural = "kerja sama"
        ordering = ["tanggal_berakhir"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_berakhir__gte=F("tanggal_tanda_tangan")),
                name="kerja_sama_berakhir_after_ttd",
                violation_error_message="Tanggal berakhir tidak boleh sebelum penandatanganan.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.perguruan_tinggi.nama}: {self.judul}"

    def is_aktif(self, on: date) -> bool:
        return self.tanggal_tanda_tangan <= on <= self.tanggal_berakhir

    def is_segera_berakhir(self, on: date) -> bool:
        return self.is_aktif(on) and (self.tanggal_berakhir - on).days <= self.HARI_PERINGATAN


class ProgramBeasiswa(models.Model):
    """A scholarship round; its eligibility rules are data on the row (domain.md §3)."""

    class Jenis(models.TextChoices):
        TUGAS_BELAJAR = "tugas_belajar", "Tugas belajar (dibiayai, dibebaskan dari jabatan)"
        IZIN_BELAJAR = "izin_belajar", "Izin belajar (biaya sendiri, tetap bekerja)"

    class Jenjang(models.TextChoices):
        D3 = "d3", "D-III"
        D4 = "d4", "D-IV"
        S1 = "s1", "S-1"
        S2 = "s2", "S-2"
        S3 = "s3", "S-3"

    nama = models.CharField("nama program", max_length=200)
    perguruan_tinggi = models.ForeignKey(
        PerguruanTinggi, on_delete=models.PROTECT, related_name="program"
    )
    kerja_sama = models.ForeignKey(
        KerjaSama, on_delete=models.PROTECT, null=True, blank=True, related_name="program"
    )
    jenjang = models.CharField(max_length=2, choices=Jenjang.choices)
    program_studi = models.CharField("program studi", max_length=200)
    jenis = models.CharField(max_length=15, choices=Jenis.choices)
    kuota = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    pendaftaran_mulai = models.DateField("pendaftaran dibuka")
    pendaftaran_selesai = models.DateField("pendaftaran ditutup")
    lama_studi_bulan = models.PositiveSmallIntegerField(
        "lama studi (bulan)", validators=[MinValueValidator(1)]
    )
    # The rules, as data; the defaults come from pelatihan/referensi.py when left empty.
    usia_maks = models.PositiveSmallIntegerField(
        "usia maksimal saat diterima", null=True, blank=True
    )
    masa_kerja_min_tahun = models.PositiveSmallIntegerField("masa kerja minimal (tahun)", default=1)
    # Eligibility reads the predicates of the last one or two years (PendaftaranBeasiswa
    # .TAHUN_PREDIKAT): the allowed range is what the check can look at.
    tahun_predikat = models.PositiveSmallIntegerField(
        "tahun predikat minimal Baik",
        default=2,
        validators=[
            MinValueValidator(1, "Isi 1 atau 2: predikat tahun lalu, atau dua tahun terakhir."),
            MaxValueValidator(2, "Paling banyak 2: SIBINA memeriksa predikat dua tahun terakhir."),
        ],
        help_text="1 = predikat tahun lalu; 2 = predikat dua tahun terakhir.",
    )
    faktor_ikatan_dinas = models.PositiveSmallIntegerField("ikatan dinas (× lama studi)", default=2)

    class Meta:
        verbose_name = "program beasiswa"
        verbose_name_plural = "program beasiswa"
        ordering = ["-pendaftaran_mulai", "nama"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pendaftaran_selesai__gte=F("pendaftaran_mulai")),
                name="beasiswa_tutup_after_buka",
                violation_error_message="Pendaftaran tidak boleh ditutup sebelum dibuka.",
            )
        ]

    def __str__(self) -> str:
        return self.nama

    def save(self, *args, **kwargs):
        if self.usia_maks is None:
            self.usia_maks = USIA_MAKS_BEASISWA[self.jenjang]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pelatihan:beasiswa_detail", args=[self.pk])

    @property
    def tahun_diminta(self) -> list[tuple[str, int]]:
        """The predicate fields of an application this program checks, with years back."""
        return PendaftaranBeasiswa.TAHUN_PREDIKAT[: self.tahun_predikat]

    def clean(self) -> None:
        """A program rests on an agreement of its own university: one in force on the day it is
        linked (an agreement linked earlier is not refused once it ends), and still in force
        when enrolment opens."""
        agreement = self.kerja_sama
        if agreement is None or not self.perguruan_tinggi_id:
            return
        if agreement.perguruan_tinggi_id != self.perguruan_tinggi_id:
            raise ValidationError(
                {
                    "kerja_sama": f"Kerja sama {agreement.nomor} dibuat dengan "
                    f"{agreement.perguruan_tinggi.nama}, bukan {self.perguruan_tinggi.nama}; "
                    "pilih kerja sama dengan perguruan tinggi program ini."
                }
            )
        today = timezone.localdate()
        if self._links_agreement_now() and not agreement.is_aktif(today):
            raise ValidationError(
                {
                    "kerja_sama": f"Kerja sama {agreement.nomor} tidak aktif hari ini (berlaku "
                    f"{date_format(agreement.tanggal_tanda_tangan, 'j F Y')} sampai "
                    f"{date_format(agreement.tanggal_berakhir, 'j F Y')}); kaitkan program "
                    "hanya dengan kerja sama yang sedang berlaku."
                }
            )
        if self.pendaftaran_mulai and not agreement.is_aktif(self.pendaftaran_mulai):
            raise ValidationError(
                {"kerja_sama": "Kerja sama ini tidak berlaku saat pendaftaran dibuka."}
            )

    def _links_agreement_now(self) -> bool:
        if self.pk is None:
            return True
        before = ProgramBeasiswa.objects.filter(pk=self.pk).values_list("kerja_sama_id", flat=True)
        return before.first() != self.kerja_sama_id

    def is_open(self, on: date) -> bool:
        return self.pendaftaran_mulai <= on <= self.pendaftaran_selesai


class PendaftaranBeasiswa(models.Model):
    class Status(models.TextChoices):
        MEMENUHI_SYARAT = "memenuhi_syarat", "Memenuhi syarat, menunggu keputusan"
        TIDAK_MEMENUHI = "tidak_memenuhi", "Tidak memenuhi syarat"
        DITERIMA = "diterima", "Diterima"
        DITOLAK = "ditolak", "Tidak diterima"

    class Predikat(models.TextChoices):
        """PermenPANRB 6/2022, best first: "at least Baik" is one of the first two."""

        SANGAT_BAIK = "sangat_baik", "Sangat Baik"
        BAIK = "baik", "Baik"
        BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan"
        KURANG = "kurang", "Kurang/Misconduct"
        SANGAT_KURANG = "sangat_kurang", "Sangat Kurang"

    PREDIKAT_CUKUP = {Predikat.SANGAT_BAIK, Predikat.BAIK}
    # The predicate fields and how many years before the application each one is.
    TAHUN_PREDIKAT = [("predikat_tahun_lalu", 1), ("predikat_dua_tahun_lalu", 2)]

    program = models.ForeignKey(
        ProgramBeasiswa, on_delete=models.PROTECT, related_name="pendaftaran"
    )
    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, related_name="pendaftaran_beasiswa"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    # The yearly predicates SIBINA holds (evaluasi) are copied in when the application is filed;
    # the pegawai declares only the years SIBINA lacks, and HR checks those against the
    # documents. Sanctions are not in SIBINA: always declared.
    predikat_tahun_lalu = models.CharField(
        "predikat kinerja tahun lalu", max_length=20, choices=Predikat.choices
    )
    predikat_dua_tahun_lalu = models.CharField(
        "predikat kinerja dua tahun lalu", max_length=20, choices=Predikat.choices, blank=True
    )  # empty when the program checks only last year
    predikat_tercatat = models.JSONField(
        "predikat dari penilaian kinerja SIBINA",
        default=list,
        blank=True,
        help_text="Kolom predikat yang diambil dari SIBINA; lainnya dari pernyataan pegawai.",
    )
    tanpa_hukuman_disiplin = models.BooleanField(
        "tidak sedang/pernah dijatuhi hukuman disiplin sedang atau berat"
    )
    dokumen = models.FileField("berkas persyaratan (PDF)", upload_to=GeneratedName("beasiswa/%Y/"))
    syarat_gagal = models.JSONField("syarat yang tidak terpenuhi", default=list, blank=True)
    peringkat = models.PositiveSmallIntegerField(null=True, blank=True)
    catatan = models.TextField("catatan pengelola", blank=True)
    # The direct atasan's word before the province decides; None until it is given.
    rekomendasi = models.BooleanField("direkomendasikan atasan", null=True, blank=True)
    rekomendasi_catatan = models.TextField("catatan atasan", blank=True)
    rekomendasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rekomendasi_at = models.DateTimeField("direkomendasikan pada", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The audit log of recommendations and decisions (pembinaan.audit).
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = "pendaftaran beasiswa"
        verbose_name_plural = "pendaftaran beasiswa"
        ordering = ["peringkat", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "pegawai"], name="pendaftaran_beasiswa_unique"
            ),
            models.CheckConstraint(
                condition=Q(rekomendasi__isnull=True, rekomendasi_at__isnull=True)
                | Q(rekomendasi__isnull=False, rekomendasi_at__isnull=False),
                name="pendaftaran_rekomendasi_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai.nama} – {self.program}"

    def get_absolute_url(self) -> str:
        return f"{self.program.get_absolute_url()}#pendaftaran-{self.pk}"

    @property
    def predikat_sumber(self) -> list[tuple[str, str, str]]:
        """Each predicate with where it came from: SIBINA's ratings or the declaration."""
        return [
            (
                self._meta.get_field(name).verbose_name,
                getattr(self, f"get_{name}_display")(),
                "penilaian SIBINA" if name in self.predikat_tercatat else "pernyataan pegawai",
            )
            for name, _ in self.program.tahun_diminta
        ]

    @property
    def menunggu_rekomendasi(self) -> bool:
        """Whether HR must still wait for the direct atasan's word before deciding: the atasan
        speaks first; without an atasan, or once the registration closed without their word,
        HR decide all the same (as the task list pelatihan.tugas offers it)."""
        return (
            self.rekomendasi is None
            and self.pegawai.atasan_id is not None
            and self.program.pendaftaran_selesai >= timezone.localdate()
        )

    @property
    def menunggu_rekomendasi_pesan(self) -> str:
        return (
            f"Menunggu rekomendasi atasan langsung ({self.pegawai.atasan.nama_lengkap}); "
            "pengelola memutuskan setelah atasan memberi rekomendasi, atau setelah pendaftaran "
            f"ditutup {date_format(self.program.pendaftaran_selesai, 'j F Y')} bila atasan tidak "
            "memberikannya."
        )

    @property
    def rekomendasi_label(self) -> str:
        if self.rekomendasi is None:
            return "Belum ada rekomendasi atasan"
        return "Direkomendasikan atasan" if self.rekomendasi else "Tidak direkomendasikan atasan"


class StudiPegawai(models.Model):
    """A pegawai's study under an accepted scholarship, followed by semester reports."""

    class Status(models.TextChoices):
        AKTIF = "aktif", "Sedang studi"
        LULUS = "lulus", "Lulus"
        BERHENTI = "berhenti", "Berhenti/mengundurkan diri"

    pendaftaran = models.OneToOneField(
        PendaftaranBeasiswa, on_delete=models.PROTECT, related_name="studi"
    )
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="studi")
    jenis = models.CharField(max_length=15, choices=ProgramBeasiswa.Jenis.choices)
    tanggal_mulai = models.DateField("mulai studi")
    tanggal_selesai_rencana = models.DateField("rencana selesai")
    ikatan_dinas_sampai = models.DateField("ikatan dinas sampai", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AKTIF)

    class Meta:
        verbose_name = "studi pegawai"
        verbose_name_plural = "studi pegawai"
        ordering = ["-tanggal_mulai"]
        constraints = [
            # One tugas belajar at a time (services.beasiswa_accept says so in words).
            models.UniqueConstraint(
                fields=["pegawai"],
                condition=Q(status="aktif", jenis="tugas_belajar"),
                name="studi_satu_tugas_belajar_aktif",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai.nama}: {self.pendaftaran.program}"

    def get_absolute_url(self) -> str:
        return reverse("pelatihan:studi_detail", args=[self.pk])


class LaporanSemester(models.Model):
    class Status(models.TextChoices):
        AKTIF = "aktif", "Aktif kuliah"
        CUTI = "cuti", "Cuti akademik"
        SELESAI = "selesai", "Selesai/lulus"

    studi = models.ForeignKey(StudiPegawai, on_delete=models.CASCADE, related_name="laporan")
    semester = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    ipk = models.DecimalField(
        "IPK",
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
    )
    sks = models.PositiveSmallIntegerField("SKS kumulatif")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AKTIF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "laporan semester"
        verbose_name_plural = "laporan semester"
        ordering = ["semester"]
        constraints = [
            models.UniqueConstraint(fields=["studi", "semester"], name="laporan_semester_unique"),
            models.CheckConstraint(condition=Q(ipk__gte=0, ipk__lte=4), name="laporan_ipk_0_4"),
        ]

    def __str__(self) -> str:
        return f"Semester {self.semester}: IPK {angka(self.ipk, 2)}"


class RencanaPengembangan(models.Model):
    """A pegawai's individual development plan for a year (PP 11/2017 Pasal 205: a plan for one
    year): drafted by the pegawai from their gaps, agreed with their direct atasan after a
    one-on-one, locked for the pegawai once agreed. The OPD's AKPK rolls the agreed ones up."""

    class Status(models.TextChoices):
        DRAF = "draf", "Draf"
        DIAJUKAN = "diajukan", "Diajukan, menunggu atasan"
        DIKEMBALIKAN = "dikembalikan", "Dikembalikan atasan"
        DISETUJUI = "disetujui", "Disetujui atasan"

    # What the pegawai may still change; the atasan changes lines of a submitted plan.
    DAPAT_DIUBAH_PEGAWAI = (Status.DRAF, Status.DIKEMBALIKAN)

    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.CASCADE, related_name="rencana_pengembangan"
    )
    tahun = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.DRAF)
    tanggal_pertemuan = models.DateField("tanggal pertemuan dengan atasan", null=True, blank=True)
    catatan_atasan = models.TextField("catatan atasan", blank=True)
    diajukan_at = models.DateTimeField("diajukan pada", null=True, blank=True)
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disetujui_at = models.DateTimeField("disetujui pada", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The audit log of submissions, agreements and returns (pembinaan.audit).
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "rencana pengembangan kompetensi"
        verbose_name_plural = "rencana pengembangan kompetensi"
        ordering = ["-tahun", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tahun"], name="rencana_satu_per_tahun"),
            models.CheckConstraint(
                condition=~Q(status="disetujui")
                | Q(tanggal_pertemuan__isnull=False, disetujui_at__isnull=False),
                name="rencana_disetujui_setelah_pertemuan",
                violation_error_message="Rencana disetujui setelah pertemuan dengan atasan.",
            ),
        ]
        # The HR list and the AKPK read the plans of a year.
        indexes = [models.Index(fields=["tahun", "status"], name="rencana_tahun_status")]

    def __str__(self) -> str:
        return f"Rencana pengembangan {self.tahun}: {self.pegawai.nama_lengkap}"

    def get_absolute_url(self) -> str:
        return reverse("pelatihan:rencana_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.DISETUJUI


class BarisRencana(models.Model):
    """A line of a development plan: a competency to a target level by a form of development,
    with its planned JP and cost. Closed when a pass in a batch of its training, or a verified
    activity of its form, completes it."""

    class Status(models.TextChoices):
        TERBUKA = "terbuka", "Belum terlaksana"
        SELESAI = "selesai", "Terlaksana"

    rencana = models.ForeignKey(RencanaPengembangan, on_delete=models.CASCADE, related_name="baris")
    kompetensi = models.ForeignKey(Kompetensi, on_delete=models.PROTECT, related_name="+")
    level_target = models.PositiveSmallIntegerField(
        "level target", choices=LEVELS, validators=level_field_validators
    )
    bentuk = models.PositiveSmallIntegerField(
        "bentuk pengembangan", choices=JenisPengembangan.choices
    )
    pelatihan = models.ForeignKey(
        Pelatihan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pelatihan dari katalog",
        help_text="Untuk bentuk klasikal: pelatihan katalog yang menyasar kompetensi ini.",
    )
    jp = models.PositiveSmallIntegerField(
        "JP rencana", validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    biaya = models.PositiveBigIntegerField(
        "biaya rencana (Rp)", default=0, validators=[MaxValueValidator(10_000_000_000)]
    )
    catatan = models.CharField("catatan", max_length=500, blank=True)
    prioritas = models.BooleanField(
        "prioritas", default=False, help_text="Diusulkan karena predikat kinerja di bawah Baik."
    )
    # A line the province set (a talent successor's development, pembinaan.services.
    # kandidat_add): the pegawai and the atasan see it but do not change or remove it.
    ditetapkan_provinsi = models.BooleanField("ditetapkan BKD/BPSDM", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TERBUKA)
    ditutup_peserta = models.ForeignKey(
        Peserta, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ditutup_kegiatan = models.ForeignKey(
        KegiatanEksternal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ditutup_at = models.DateTimeField("terlaksana pada", null=True, blank=True)

    class Meta:
        verbose_name = "baris rencana pengembangan"
        verbose_name_plural = "baris rencana pengembangan"
        ordering = ["-prioritas", "kompetensi__kode", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level_target__gte=1, level_target__lte=5), name="baris_level_1_5"
            ),
            models.CheckConstraint(
                condition=Q(pelatihan__isnull=True) | Q(bentuk__lte=13),
                name="baris_pelatihan_klasikal",
                violation_error_message="Pelatihan katalog hanya untuk bentuk klasikal.",
            ),
            models.CheckConstraint(
                condition=Q(status="terbuka", ditutup_at__isnull=True)
                | Q(status="selesai", ditutup_at__isnull=False),
                name="baris_selesai_bertanggal",
            ),
            models.CheckConstraint(
                condition=Q(ditutup_peserta__isnull=True) | Q(ditutup_kegiatan__isnull=True),
                name="baris_satu_penutup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kompetensi.kode} → level {self.level_target}: {self.get_bentuk_display()}"

    @property
    def is_klasikal(self) -> bool:
        return JenisPengembangan.is_klasikal(self.bentuk)

    def clean(self) -> None:
        if self.pelatihan_id and self.bentuk and not self.is_klasikal:
            raise ValidationError(
                {"pelatihan": "Pelatihan katalog hanya untuk bentuk klasikal (jenis 1–13)."}
            )
        if self.pelatihan_id and self.kompetensi_id:
            targets = PelatihanKompetensi.objects.filter(
                pelatihan_id=self.pelatihan_id, kompetensi_id=self.kompetensi_id
            )
            if not targets.exists():
                raise ValidationError(
                    {
                        "pelatihan": f"{self.pelatihan} tidak menyasar kompetensi ini; pilih "
                        "pelatihan yang menyasarnya, atau kosongkan."
                    }
                )
