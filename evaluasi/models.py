import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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


class LaporanPascaPelatihan(models.Model):
    """L3: what changed in the pegawai's work after a training, verified by their atasan.

    One per passed participation. The states and their transitions are data in TRANSITIONS;
    services.laporan_transition is the only way to move between them.
    """

    class Status(models.TextChoices):
        BELUM_DIISI = "belum_diisi", "Belum diisi"
        DRAF = "draf", "Draf"
        DIAJUKAN = "diajukan", "Diajukan ke atasan"
        DIKEMBALIKAN = "dikembalikan", "Dikembalikan untuk diperbaiki"
        DIVERIFIKASI = "diverifikasi", "Diverifikasi atasan"

    # action → {from state: to state}; who may act is checked by the service.
    TRANSITIONS = {
        "simpan": {
            Status.BELUM_DIISI: Status.DRAF,
            Status.DRAF: Status.DRAF,
            Status.DIKEMBALIKAN: Status.DIKEMBALIKAN,
        },
        "ajukan": {
            Status.BELUM_DIISI: Status.DIAJUKAN,
            Status.DRAF: Status.DIAJUKAN,
            Status.DIKEMBALIKAN: Status.DIAJUKAN,
        },
        "kembalikan": {Status.DIAJUKAN: Status.DIKEMBALIKAN},
        "verifikasi": {Status.DIAJUKAN: Status.DIVERIFIKASI},
    }
    BY_PEGAWAI = {"simpan", "ajukan"}
    BY_ATASAN = {"kembalikan", "verifikasi"}

    class Penilaian(models.IntegerChoices):
        TIDAK_ADA = 1, "1 – Belum tampak perubahan"
        SEDIKIT = 2, "2 – Perubahan kecil"
        NYATA = 3, "3 – Perubahan nyata"
        BESAR = 4, "4 – Perubahan besar yang dirasakan masyarakat"

    peserta = models.OneToOneField(
        "pelatihan.Peserta", on_delete=models.PROTECT, related_name="laporan"
    )
    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, related_name="laporan_pasca_pelatihan"
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.BELUM_DIISI)
    jatuh_tempo = models.DateField("jatuh tempo")
    perubahan = models.TextField("apa yang berubah dalam cara Anda bekerja", blank=True)
    contoh = models.TextField("contoh konkret", blank=True)
    dampak = models.TextField("dampak bagi pelayanan publik", blank=True)
    kendala = models.TextField("kendala", blank=True)
    kebutuhan = models.TextField("kebutuhan pengembangan lanjutan", blank=True)
    kompetensi_dibutuhkan = models.ManyToManyField(
        "pelatihan.Kompetensi",
        blank=True,
        related_name="+",
        verbose_name="kompetensi yang dibutuhkan",
    )
    lampiran = models.FileField("lampiran (PDF atau gambar)", upload_to="laporan/%Y/", blank=True)
    diajukan_at = models.DateTimeField(null=True, blank=True)
    penilai = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nilai_perubahan = models.PositiveSmallIntegerField(
        "penilaian perubahan", choices=Penilaian.choices, null=True, blank=True
    )
    komentar_atasan = models.TextField("komentar atasan", blank=True)
    diputuskan_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "laporan pasca pelatihan"
        verbose_name_plural = "laporan pasca pelatihan"
        ordering = ["jatuh_tempo", "pk"]
        indexes = [models.Index(fields=["status", "jatuh_tempo"], name="laporan_status_tempo")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="diverifikasi") | Q(nilai_perubahan__isnull=False),
                name="laporan_verified_has_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"Laporan {self.pegawai.nama}: {self.peserta.angkatan}"

    def get_absolute_url(self) -> str:
        return reverse("evaluasi:laporan_detail", args=[self.pk])

    def is_overdue(self, on) -> bool:
        waiting = {self.Status.BELUM_DIISI, self.Status.DRAF, self.Status.DIKEMBALIKAN}
        return self.status in waiting and self.jatuh_tempo < on


class ReaksiPeserta(models.Model):
    """L1: a participant's reaction to a finished batch, each aspect on a 1–5 scale."""

    SKALA = [(n, str(n)) for n in range(1, 6)]
    ASPEK = ["materi", "fasilitator", "sarana", "penyelenggaraan"]

    peserta = models.OneToOneField(
        "pelatihan.Peserta", on_delete=models.CASCADE, related_name="reaksi"
    )
    materi = models.PositiveSmallIntegerField("materi", choices=SKALA)
    fasilitator = models.PositiveSmallIntegerField("fasilitator", choices=SKALA)
    sarana = models.PositiveSmallIntegerField("sarana dan prasarana", choices=SKALA)
    penyelenggaraan = models.PositiveSmallIntegerField("penyelenggaraan", choices=SKALA)
    komentar = models.TextField("komentar dan saran", blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "reaksi peserta (L1)"
        verbose_name_plural = "reaksi peserta (L1)"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    materi__range=(1, 5),
                    fasilitator__range=(1, 5),
                    sarana__range=(1, 5),
                    penyelenggaraan__range=(1, 5),
                ),
                name="reaksi_skala_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"Reaksi {self.peserta}"


class Pengingat(models.Model):
    """A reminder that was sent. Unique per report, kind and step, so a job that runs twice (or
    a task delivered twice) never mails twice for the same step."""

    class Jenis(models.TextChoices):
        SEGERA = "segera", "Jatuh tempo dalam 14 hari"
        TERLAMBAT = "terlambat", "Terlambat (mingguan)"
        ATASAN = "atasan", "Menunggu verifikasi atasan lebih dari 7 hari"

    laporan = models.ForeignKey(
        LaporanPascaPelatihan, on_delete=models.CASCADE, related_name="pengingat"
    )
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    langkah = models.CharField(max_length=40, help_text="Minggu terlambat, atau waktu pengajuan.")
    kepada = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pengingat"
        verbose_name_plural = "pengingat"
        constraints = [
            models.UniqueConstraint(fields=["laporan", "jenis", "langkah"], name="pengingat_sekali")
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} → {self.kepada}"


class BerkasLaporan(models.Model):
    """An evaluation PDF: the request makes the row, a Celery task claims and fills it
    (menunggu → diproses → selesai, or gagal with the reason). See evaluasi/tasks.py."""

    class Jenis(models.TextChoices):
        PEGAWAI = "pegawai", "Evaluasi pegawai"
        ANGKATAN = "angkatan", "Evaluasi angkatan pelatihan"
        UNIT = "unit", "Evaluasi unit per periode"

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu"
        DIPROSES = "diproses", "Sedang dibuat"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    pegawai = models.ForeignKey(
        Pegawai, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    angkatan = models.ForeignKey(
        "pelatihan.Angkatan", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    periode_unit = models.ForeignKey(
        PeriodeUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="laporan-pdf/%Y/%m/", blank=True)
    pesan_gagal = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    selesai_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "berkas laporan"
        verbose_name_plural = "berkas laporan"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jenis="pegawai", pegawai__isnull=False)
                | Q(jenis="angkatan", angkatan__isnull=False)
                | Q(jenis="unit", periode_unit__isnull=False),
                name="berkas_has_its_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("evaluasi:berkas_detail", args=[self.pk])

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.MENUNGGU, self.Status.DIPROSES)


class PutaranIklim(models.Model):
    """A round of the anonymous work-climate survey, opened by HR for some units."""

    class Status(models.TextChoices):
        DIBUKA = "dibuka", "Dibuka"
        DITUTUP = "ditutup", "Ditutup"

    nama = models.CharField(max_length=100, help_text="Mis. Semester I 2026.")
    tanggal_mulai = models.DateField()
    tanggal_selesai = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIBUKA)
    units = models.ManyToManyField(
        UnitKerja, related_name="+", verbose_name="unit (termasuk sub-unit)"
    )
    dibuka_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "putaran survei iklim kerja"
        verbose_name_plural = "putaran survei iklim kerja"
        ordering = ["-tanggal_mulai", "pk"]

    def __str__(self) -> str:
        return self.nama


class PartisipasiIklim(models.Model):
    """Only that a pegawai answered a round, so nobody answers twice. It holds nothing that leads
    to the answers: no time, and the answers carry neither a pegawai nor an ordered key."""

    putaran = models.ForeignKey(PutaranIklim, on_delete=models.CASCADE, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["putaran", "pegawai"], name="iklim_satu_kali")
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id} @ {self.putaran_id}"


def _scale(key: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        key.upper(), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class ResponIklim(models.Model):
    """One anonymous answer sheet: the unit it counts for and the scores, nothing else. The key is
    random, so the order of rows says nothing about the order of participants."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    putaran = models.ForeignKey(PutaranIklim, on_delete=models.CASCADE, related_name="respon")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+")
    p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12 = (_scale(f"p{n}") for n in range(1, 13))
    teks = models.TextField("hal yang paling perlu diperbaiki", blank=True, max_length=2000)

    class Meta:
        verbose_name = "respon survei iklim kerja"
        verbose_name_plural = "respon survei iklim kerja"

    def __str__(self) -> str:
        return f"Respon {self.putaran}"
