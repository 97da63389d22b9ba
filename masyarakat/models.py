import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse

from pegawai.models import UnitKerja

from .referensi import KEYS, PEKERJAAN, PENDIDIKAN, USIA


def _public_code() -> str:
    return secrets.token_urlsafe(6)


class UnitLayanan(models.Model):
    """A service unit that citizens use and rate (a puskesmas, a licensing counter, a ward)."""

    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="+", verbose_name="unit kerja"
    )
    nama = models.CharField("nama layanan", max_length=200)
    kode = models.SlugField("kode tautan publik", max_length=40, unique=True, default=_public_code)
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "unit layanan"
        verbose_name_plural = "unit layanan"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    def get_survey_url(self) -> str:
        return reverse("survei", args=[self.kode])


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
