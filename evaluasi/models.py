from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from pegawai.models import Jabatan, Pegawai, UnitKerja

from . import referensi as ref


class Predikat(models.TextChoices):
    SANGAT_BAIK = ref.SANGAT_BAIK, "Sangat Baik"
    BAIK = ref.BAIK, "Baik"
    BUTUH_PERBAIKAN = ref.BUTUH_PERBAIKAN, "Butuh Perbaikan"
    KURANG = ref.KURANG, "Kurang/Misconduct"
    SANGAT_KURANG = ref.SANGAT_KURANG, "Sangat Kurang"


class Ekspektasi(models.TextChoices):
    DI_ATAS = ref.DI_ATAS, "Di atas ekspektasi"
    SESUAI = ref.SESUAI, "Sesuai ekspektasi"
    DI_BAWAH = ref.DI_BAWAH, "Di bawah ekspektasi"


class PredikatOrganisasi(models.TextChoices):
    ISTIMEWA = "istimewa", "Istimewa"
    BAIK = "baik", "Baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan"


class PeriodePenilaian(models.Model):
    """An evaluation period opened by HR for some units; each atasan rates their subordinates."""

    class Jenis(models.TextChoices):
        BULANAN = "bulanan", "Bulanan"
        TRIWULAN = "triwulan", "Triwulan"
        TAHUNAN = "tahunan", "Tahunan"

    class Status(models.TextChoices):
        DIBUKA = "dibuka", "Dibuka"
        DITUTUP = "ditutup", "Ditutup"

    nama = models.CharField("nama periode", max_length=100, help_text="Mis. Triwulan III 2026.")
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    tanggal_mulai = models.DateField("tanggal mulai")
    tanggal_selesai = models.DateField("tanggal selesai")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIBUKA)
    units = models.ManyToManyField(UnitKerja, through="PeriodeUnit", related_name="+")
    dibuka_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "periode penilaian"
        verbose_name_plural = "periode penilaian"
        ordering = ["-tanggal_mulai", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_selesai__gte=F("tanggal_mulai")),
                name="periode_selesai_after_mulai",
                violation_error_message="Tanggal selesai tidak boleh sebelum tanggal mulai.",
            )
        ]

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("evaluasi:periode_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.DIBUKA

    @property
    def bulan(self) -> int:
        return ref.BULAN_PERIODE[self.jenis]


class PeriodeUnit(models.Model):
    """A unit (with its sub-units) in a period, and the organisation's own predicate that bounds
    the spread of its pegawai's predicates."""

    periode = models.ForeignKey(
        PeriodePenilaian, on_delete=models.CASCADE, related_name="periode_units"
    )
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+")
    predikat_organisasi = models.CharField(
        "predikat organisasi",
        max_length=20,
        choices=PredikatOrganisasi.choices,
        default=PredikatOrganisasi.BAIK,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["periode", "unit"], name="periode_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.periode}: {self.unit}"


class PenilaianKinerja(models.Model):
    """One pegawai's rating in one period by their direct atasan; the predicate follows the
    matrix of PermenPANRB 6/2022 (evaluasi/referensi.py)."""

    periode = models.ForeignKey(
        PeriodePenilaian, on_delete=models.PROTECT, related_name="penilaian"
    )
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="penilaian_kinerja")
    penilai = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, related_name="+", verbose_name="penilai"
    )
    hasil_kerja = models.CharField("hasil kerja", max_length=10, choices=Ekspektasi.choices)
    perilaku_kerja = models.CharField(
        "perilaku kerja (BerAKHLAK)", max_length=10, choices=Ekspektasi.choices
    )
    predikat = models.CharField(max_length=20, choices=Predikat.choices, editable=False)
    catatan = models.TextField("catatan atasan", blank=True)
    jabatan = models.ForeignKey(
        Jabatan,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Jabatan saat dinilai (angka kredit mengikutinya).",
    )
    dinilai_at = models.DateTimeField(auto_now=True)
    diketahui_at = models.DateTimeField("diketahui pegawai", null=True, blank=True)

    class Meta:
        verbose_name = "penilaian kinerja"
        verbose_name_plural = "penilaian kinerja"
        ordering = ["-periode__tanggal_mulai", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["periode", "pegawai"], name="penilaian_satu_per_periode"
            ),
            models.CheckConstraint(
                condition=~Q(penilai=F("pegawai")), name="penilaian_bukan_diri_sendiri"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai.nama} – {self.periode}: {self.get_predikat_display()}"

    def save(self, *args, **kwargs):
        self.predikat = predikat_for(self.hasil_kerja, self.perilaku_kerja)
        super().save(*args, **kwargs)

    @property
    def angka_kredit(self) -> Decimal | None:
        """Credit for a functional position: the yearly coefficient × the predicate's percent,
        pro rata for a monthly or quarterly period."""
        coefficient = ref.KOEFISIEN_TAHUNAN.get(self.jabatan.jenjang)
        if coefficient is None:
            return None
        percent = Decimal(ref.PERSEN_ANGKA_KREDIT[self.predikat]) / 100
        share = Decimal(self.periode.bulan) / 12
        return (coefficient * percent * share).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def predikat_for(hasil_kerja: str, perilaku_kerja: str) -> str:
    return ref.MATRIKS_PREDIKAT[(hasil_kerja, perilaku_kerja)]
