import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from pegawai.models import UnitKerja
from pelatihan.models import JenisPengembangan

from . import indikator, talenta
from .lib.angka import share


class ProgramPembinaan(models.Model):
    """The annual program of ASN development: its objectives, strategies and targets."""

    tahun = models.PositiveSmallIntegerField("tahun", unique=True)
    nama = models.CharField("nama program", max_length=200)
    deskripsi = models.TextField("deskripsi", blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "program pembinaan"
        verbose_name_plural = "program pembinaan"
        ordering = ["-tahun"]

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("pembinaan:program_detail", args=[self.pk])


class TujuanProgram(models.Model):
    """An objective of the program, with the strategies that pursue it."""

    program = models.ForeignKey(ProgramPembinaan, on_delete=models.CASCADE, related_name="tujuan")
    urutan = models.PositiveSmallIntegerField(default=1)
    uraian = models.TextField("tujuan")
    strategi = models.TextField("strategi", blank=True, help_text="Satu strategi per baris.")

    class Meta:
        verbose_name = "tujuan program"
        verbose_name_plural = "tujuan program"
        ordering = ["urutan", "pk"]

    def __str__(self) -> str:
        return self.uraian

    @property
    def strategi_list(self) -> list[str]:
        return [line.strip() for line in self.strategi.splitlines() if line.strip()]


class TargetProgram(models.Model):
    """A target: an indicator the system computes (pembinaan/indikator.py), the value to reach
    by the end of the year, and the objective it serves."""

    program = models.ForeignKey(ProgramPembinaan, on_delete=models.CASCADE, related_name="target")
    tujuan = models.ForeignKey(
        TujuanProgram, on_delete=models.SET_NULL, null=True, blank=True, related_name="target"
    )
    indikator = models.CharField(max_length=30, choices=indikator.CHOICES)
    nilai_target = models.DecimalField("nilai target", max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = "target program"
        verbose_name_plural = "target program"
        ordering = ["tujuan__urutan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "indikator"], name="target_sekali_per_program"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indikator_display()} ≥ {self.definisi.tampil(self.nilai_target)}"

    def clean(self) -> None:
        if self.indikator in indikator.REGISTRY and self.nilai_target is not None:
            if error := self.definisi.galat_target(self.nilai_target):
                raise ValidationError({"nilai_target": error})

    @property
    def definisi(self) -> "indikator.Indikator":
        return indikator.REGISTRY[self.indikator]


class CapaianTarget(models.Model):
    """A target's actual value at the end of a month: the trend, kept as it was computed so that
    past months and the dashboard need not recompute a year of rows."""

    target = models.ForeignKey(TargetProgram, on_delete=models.CASCADE, related_name="capaian")
    bulan = models.DateField(help_text="Hari terakhir bulan yang dihitung (atau hari ini).")
    nilai = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    dihitung_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "capaian target"
        verbose_name_plural = "capaian target"
        ordering = ["bulan"]
        constraints = [
            models.UniqueConstraint(fields=["target", "bulan"], name="capaian_sekali_per_bulan")
        ]

    def __str__(self) -> str:
        return f"{self.target} @ {self.bulan}: {self.nilai}"


class RingkasanUnit(models.Model):
    """A unit's figures for the dashboards (its sub-units included), made by a job every half
    hour: reading a few hundred of these rows replaces counting a million JP entries, 200,000
    self-reports and 100,000 feedback items on every page view."""

    unit = models.OneToOneField(UnitKerja, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField()
    pegawai_aktif = models.PositiveIntegerField(default=0)
    pns = models.PositiveIntegerField(default=0)
    pns_patuh = models.PositiveIntegerField("PNS dengan ≥ 20 JP", default=0)
    pppk = models.PositiveIntegerField(default=0)
    pppk_lebih = models.PositiveIntegerField("PPPK melebihi batas JP", default=0)
    laporan_segera = models.PositiveIntegerField("laporan jatuh tempo ≤ 30 hari", default=0)
    laporan_terlambat = models.PositiveIntegerField(default=0)
    laporan_menunggu_atasan = models.PositiveIntegerField(default=0)
    masukan_menunggu = models.PositiveIntegerField(default=0)
    predikat = models.JSONField(default=dict, help_text="Periode terakhir: predikat → jumlah.")
    ikm = models.JSONField(default=list, help_text="Unit layanan: nama, konversi, mutu, responden.")
    dihitung_at = models.DateTimeField()

    class Meta:
        verbose_name = "ringkasan unit"
        verbose_name_plural = "ringkasan unit"

    def __str__(self) -> str:
        return f"Ringkasan {self.unit_id} ({self.dihitung_at:%d/%m/%Y %H:%M})"

    @property
    def persen_patuh(self) -> float | None:
        return share(self.pns_patuh, self.pns)


class KebutuhanPelatihan(models.Model):
    """A row of the training-needs analysis that HR turned into a planned batch: the row shows it
    from then on."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="+")
    kompetensi = models.ForeignKey(
        "pelatihan.Kompetensi", on_delete=models.CASCADE, related_name="+"
    )
    tahun = models.PositiveSmallIntegerField()
    angkatan = models.ForeignKey("pelatihan.Angkatan", on_delete=models.CASCADE, related_name="+")
    skor = models.PositiveIntegerField(help_text="Skor baris saat direncanakan.")
    bukti = models.TextField(help_text="Bukti baris saat direncanakan.")
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kebutuhan pelatihan"
        verbose_name_plural = "kebutuhan pelatihan"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kompetensi", "tahun"], name="kebutuhan_sekali_per_tahun"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.kompetensi_id} → {self.angkatan}"


class LaporanMonitoring(models.Model):
    """A monitoring report of a program over a period: one per program and period. The request
    (or the monthly job) makes the row; a Celery task claims it (menunggu → diproses), writes the
    PDF and the figures it showed, and ends selesai, or gagal once its retries are spent. A
    finished report is never made again: past periods stay as they were produced. One per
    program and period, so asking for a report being made answers with that one."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu"
        DIPROSES = "diproses", "Sedang dibuat"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    program = models.ForeignKey(
        ProgramPembinaan, on_delete=models.CASCADE, related_name="laporan_monitoring"
    )
    periode_mulai = models.DateField("periode mulai")
    periode_selesai = models.DateField("periode selesai")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    progres = models.PositiveSmallIntegerField(default=0)
    tahap = models.CharField(max_length=100, blank=True)
    angka = models.JSONField(default=dict, help_text="Capaian yang dimuat laporan ini.")
    file = models.FileField(upload_to="monitoring/%Y/", blank=True)
    # Beside the PDF (the summary and the OPDs that need attention), every OPD's row and needs as
    # a workbook: a table of 240 OPDs pushed WeasyPrint past 150 MB (bench/RESULTS.md, issue 24).
    lampiran = models.FileField(
        "daftar semua perangkat daerah (XLSX)", upload_to="monitoring/%Y/", blank=True
    )
    pesan_gagal = models.TextField(blank=True)
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The worker's claim (pembinaan.lib.claim): its token, and when it last renewed it.
    klaim = models.CharField("token klaim pekerja", max_length=32, blank=True, editable=False)
    diproses_at = models.DateTimeField("diklaim pekerja", null=True, blank=True)
    selesai_at = models.DateTimeField(null=True, blank=True)
    dikirim_at = models.DateTimeField("surel terkirim", null=True, blank=True)

    class Meta:
        verbose_name = "laporan monitoring"
        verbose_name_plural = "laporan monitoring"
        ordering = ["-periode_selesai", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "periode_mulai", "periode_selesai"],
                name="laporan_monitoring_sekali_per_periode",
            ),
            models.CheckConstraint(
                condition=models.Q(periode_selesai__gte=models.F("periode_mulai")),
                name="laporan_monitoring_periode_urut",
            ),
        ]

    def __str__(self) -> str:
        return f"Monitoring {self.periode_tulisan}"

    def get_absolute_url(self) -> str:
        return reverse("pembinaan:laporan_detail", args=[self.pk])

    @property
    def periode_tulisan(self) -> str:
        """The period in words, as the report's pages and PDF write it: "1 Juli 2026 –
        30 September 2026"."""
        mulai, selesai = (
            date_format(d, "j F Y") for d in (self.periode_mulai, self.periode_selesai)
        )
        return f"{mulai} – {selesai}"

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.MENUNGGU, self.Status.DIPROSES)

    def nama_unduhan(self) -> str:
        """The download's name without its extension: the period it covers, whole dates
        (a report may span any days, and one per program and period)."""
        return f"sibina-monitoring-{self.periode_mulai:%Y-%m-%d}-sd-{self.periode_selesai:%Y-%m-%d}"


class IndeksProfesionalitas(models.Model):
    """A pegawai's IP ASN for a year (pembinaan.ip_asn), stored by a daily job with the inputs it
    was computed from: the province's trend by year and the OPD breakdown are GROUP BYs over
    these rows, and a past year's breakdown is shown as it was computed. `opd` is the pegawai's
    OPD when it was computed."""

    pegawai = models.ForeignKey(
        "pegawai.Pegawai", on_delete=models.CASCADE, related_name="indeks_profesionalitas"
    )
    tahun = models.PositiveSmallIntegerField()
    opd = models.ForeignKey(
        UnitKerja, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="OPD"
    )
    kualifikasi = models.PositiveSmallIntegerField()
    kompetensi = models.PositiveSmallIntegerField()
    kinerja = models.PositiveSmallIntegerField()
    disiplin = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    kategori = models.CharField(max_length=15)
    # The inputs (pembinaan.ip_asn.Masukan).
    pendidikan = models.CharField(max_length=3)
    jenis_jabatan = models.CharField(max_length=20)
    kepemimpinan = models.BooleanField(default=False)
    fungsional = models.BooleanField(default=False)
    jp = models.PositiveIntegerField(default=0)
    seminar = models.BooleanField(default=False)
    predikat = models.CharField(max_length=20, blank=True)
    tingkat_disiplin = models.CharField(max_length=10, blank=True)
    dihitung_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "indeks profesionalitas ASN"
        verbose_name_plural = "indeks profesionalitas ASN"
        ordering = ["-tahun"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tahun"], name="ip_asn_sekali_per_tahun"),
            models.CheckConstraint(condition=models.Q(total__lte=100), name="ip_asn_total_100"),
        ]
        indexes = [models.Index(fields=["tahun", "opd"], name="ip_asn_tahun_opd")]

    def __str__(self) -> str:
        return f"IP ASN {self.pegawai_id} {self.tahun}: {self.total}"

    @property
    def kategori_label(self) -> str:
        from .ip_asn import KATEGORI_LABEL  # the tables import the other apps' models

        return KATEGORI_LABEL.get(self.kategori, self.kategori)


# --- Talent management (manajemen talenta, PermenPANRB 3/2020; rules in pembinaan/talenta.py) --


class Potensial(models.Model):
    """A pegawai's potential as an assessment measured it, on a 0–100 scale: entered by the
    province's HR or imported. The latest (by date) is the one a placement reads."""

    class Sumber(models.TextChoices):
        UJI_KOMPETENSI = "uji_kompetensi", "Uji kompetensi"
        ASSESSMENT_CENTER = "assessment_center", "Assessment center"
        REKAM_JEJAK = "rekam_jejak", "Rekam jejak"
        LAINNYA = "lainnya", "Lainnya"

    pegawai = models.ForeignKey(
        "pegawai.Pegawai", on_delete=models.CASCADE, related_name="potensial"
    )
    tanggal = models.DateField("tanggal asesmen")
    sumber = models.CharField("sumber", max_length=20, choices=Sumber.choices)
    skor = models.DecimalField("skor potensial", max_digits=5, decimal_places=2, help_text="0–100.")
    catatan = models.CharField("catatan", max_length=300, blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "potensial"
        verbose_name_plural = "potensial"
        ordering = ["-tanggal", "-pk"]
        indexes = [models.Index(fields=["pegawai", "tanggal"], name="potensial_pegawai_tanggal")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(skor__gte=0, skor__lte=100),
                name="potensial_skor_0_100",
                violation_error_message="Skor potensial antara 0 dan 100.",
            ),
            models.UniqueConstraint(
                fields=["pegawai", "tanggal", "sumber"],
                name="potensial_sekali_per_asesmen",
                violation_error_message="Hasil asesmen ini (pegawai, tanggal, sumber) sudah "
                "tercatat.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id}: {self.skor} ({self.tanggal:%d/%m/%Y})"

    @property
    def level(self) -> str:
        return talenta.level_potensial(self.skor)


class PenempatanTalenta(models.Model):
    """A pegawai's place on the nine-box grid, recomputed by pembinaan.services.
    penempatan_hitung (nightly, and at once for a pegawai whose potential is entered): one row
    per placed pegawai, so the province's grid is a GROUP BY of this table. The computed box
    (kotak_hitung) and the committee's calibration (kotak_kalibrasi, with its reason) are kept
    apart; `kotak` is the one in force. Only calibrations write the history (the audit log):
    the recomputation writes in bulk."""

    pegawai = models.OneToOneField(
        "pegawai.Pegawai", on_delete=models.CASCADE, related_name="penempatan_talenta"
    )
    opd = models.ForeignKey(
        UnitKerja, on_delete=models.CASCADE, related_name="+", verbose_name="OPD"
    )
    tahun_kinerja = models.PositiveSmallIntegerField("tahun kinerja terakhir")
    predikat = models.CharField("predikat tahunan", max_length=100)
    kinerja = models.CharField(max_length=10, choices=talenta.LevelKinerja.choices)
    skor_potensial = models.DecimalField("skor potensial", max_digits=5, decimal_places=2)
    potensial = models.CharField(max_length=10, choices=talenta.LevelPotensial.choices)
    kotak_hitung = models.PositiveSmallIntegerField("kotak hasil hitung")
    kotak_kalibrasi = models.PositiveSmallIntegerField("kotak kalibrasi", null=True, blank=True)
    kotak = models.PositiveSmallIntegerField("kotak")
    alasan_kalibrasi = models.TextField("alasan kalibrasi", blank=True)
    dikalibrasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    dikalibrasi_at = models.DateTimeField(null=True, blank=True)
    dihitung_at = models.DateTimeField()

    history = HistoricalRecords(excluded_fields=["dihitung_at"])

    class Meta:
        verbose_name = "penempatan talenta"
        verbose_name_plural = "penempatan talenta"
        indexes = [models.Index(fields=["opd", "kotak"], name="penempatan_opd_kotak")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kotak__gte=1, kotak__lte=9, kotak_hitung__gte=1, kotak_hitung__lte=9
                ),
                name="penempatan_kotak_1_9",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(kotak_kalibrasi__isnull=True)
                | (
                    models.Q(kotak_kalibrasi__gte=1, kotak_kalibrasi__lte=9)
                    & ~models.Q(alasan_kalibrasi="")
                ),
                name="penempatan_kalibrasi_beralasan",
                violation_error_message="Kalibrasi wajib disertai alasan.",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"Kotak {self.kotak}: {self.pegawai_id}"

    def get_absolute_url(self) -> str:
        return reverse("pembinaan:penempatan_detail", args=[self.pk])

    @property
    def info(self) -> "talenta.Kotak":
        return talenta.KOTAK[self.kotak]

    @property
    def is_calibrated(self) -> bool:
        return self.kotak_kalibrasi is not None


class JabatanKritikal(models.Model):
    """A critical position designated by the province's HR: a jabatan, in one unit or anywhere,
    and why it is critical. Its successors come from the talent pool."""

    jabatan = models.ForeignKey("pegawai.Jabatan", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Kosongkan bila jabatan ini kritikal di unit mana pun.",
    )  # fmt: skip
    alasan = models.TextField("alasan kritikal")
    ditetapkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "jabatan kritikal"
        verbose_name_plural = "jabatan kritikal"
        ordering = ["jabatan__nama", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jabatan", "unit"], name="jabatan_kritikal_sekali_per_unit",
                violation_error_message="Jabatan ini sudah ditetapkan kritikal di unit itu.",
            ),
            models.UniqueConstraint(
                fields=["jabatan"], condition=models.Q(unit__isnull=True),
                name="jabatan_kritikal_sekali_tanpa_unit",
                violation_error_message="Jabatan ini sudah ditetapkan kritikal.",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.jabatan} – {self.unit.label_jalur}" if self.unit_id else str(self.jabatan)

    def get_absolute_url(self) -> str:
        return reverse("pembinaan:kritikal_detail", args=[self.pk])


class KandidatSuksesi(models.Model):
    """A successor for a critical position, drawn from the talent pool, with their readiness
    and what their development plan line needs (competency, target level, form, JP): the line
    itself is made in pelatihan's plan (pembinaan.services.kandidat_add)."""

    class Kesiapan(models.TextChoices):
        SIAP = "siap", "Siap sekarang"
        SATU_DUA_TAHUN = "1_2_tahun", "1–2 tahun"
        LEBIH_DUA_TAHUN = "lebih_2_tahun", "Lebih dari 2 tahun"

    jabatan_kritikal = models.ForeignKey(
        JabatanKritikal, on_delete=models.CASCADE, related_name="kandidat"
    )
    pegawai = models.ForeignKey("pegawai.Pegawai", on_delete=models.CASCADE, related_name="+")
    kesiapan = models.CharField("kesiapan", max_length=15, choices=Kesiapan.choices)
    kompetensi = models.ForeignKey(
        "pelatihan.Kompetensi", on_delete=models.PROTECT, related_name="+",
        verbose_name="kompetensi yang dikembangkan",
    )  # fmt: skip
    level_target = models.PositiveSmallIntegerField(
        "level target", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    bentuk = models.PositiveSmallIntegerField(
        "bentuk pengembangan", choices=JenisPengembangan.choices
    )
    jp = models.PositiveSmallIntegerField(
        "JP direncanakan", validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    catatan = models.CharField("catatan", max_length=300, blank=True)
    # The line made for it in the pegawai's development plan (pelatihan.BarisRencana): its
    # progress is the candidate's; it outlives the candidate once it is done.
    baris_rencana = models.OneToOneField(
        "pelatihan.BarisRencana", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="kandidat_suksesi",
    )  # fmt: skip
    ditambah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kandidat suksesi"
        verbose_name_plural = "kandidat suksesi"
        ordering = ["jabatan_kritikal", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jabatan_kritikal", "pegawai"], name="kandidat_sekali_per_jabatan",
                violation_error_message="Pegawai ini sudah menjadi kandidat jabatan ini.",
            ),
            models.CheckConstraint(
                condition=models.Q(level_target__gte=1, level_target__lte=5),
                name="kandidat_level_1_5",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.pegawai_id} → {self.jabatan_kritikal}"

    @classmethod
    def readiest_first(cls) -> models.Case:
        """An order_by() term: ready now, then in 1–2 years, then later."""
        order = [cls.Kesiapan.SIAP, cls.Kesiapan.SATU_DUA_TAHUN, cls.Kesiapan.LEBIH_DUA_TAHUN]
        return models.Case(
            *(models.When(kesiapan=value, then=rank) for rank, value in enumerate(order)),
            output_field=models.IntegerField(),
        )


class AnggotaKomiteTalenta(models.Model):
    """A member of the talent committee (komite talenta): reads the talent data and calibrates
    placements. Appointed by administrators or the province's HR."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name="akun",
    )  # fmt: skip
    ditambah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "anggota komite talenta"
        verbose_name_plural = "anggota komite talenta"

    def __str__(self) -> str:
        return str(self.user)


def _token_kalender() -> str:
    return secrets.token_urlsafe(32)


def token_kalender_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class KalenderPribadiQuerySet(models.QuerySet):
    def by_token(self, token: str) -> "KalenderPribadi | None":
        """The live feed this token opens, or None. Found by the token's SHA-256, so the time an
        index lookup takes tells nothing about the token itself, then compared in constant time."""
        feed = (
            self.filter(token_hash=token_kalender_hash(token), dicabut_at__isnull=True)
            .select_related("user")
            .first()
        )
        if feed is None or not hmac.compare_digest(feed.token, token):
            return None
        return feed


class KalenderPribadi(models.Model):
    """A login's personal calendar feed: a secret address that calendar applications fetch
    without signing in (pembinaan.kalender). Revoking it, or making a new one, ends the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kalender_pribadi"
    )
    # Kept to show the person their address again, as calendar services do with theirs.
    token = models.CharField(max_length=64, default=_token_kalender, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    dicabut_at = models.DateTimeField("dicabut pada", null=True, blank=True)
    dibaca_at = models.DateTimeField("terakhir diambil", null=True, blank=True)

    objects = KalenderPribadiQuerySet.as_manager()

    class Meta:
        verbose_name = "kalender pribadi"
        verbose_name_plural = "kalender pribadi"

    def __str__(self) -> str:
        return f"Kalender {self.user}"

    def save(self, *args, **kwargs):
        self.token_hash = token_kalender_hash(self.token)
        super().save(*args, **kwargs)

    @property
    def is_aktif(self) -> bool:
        return self.dicabut_at is None

    def get_feed_url(self) -> str:
        return reverse("kalender_feed", args=[self.token])


KLIEN_API_PREFIX = "sibina_"


class KlienApiQuerySet(models.QuerySet):
    def aktif(self) -> "KlienApiQuerySet":
        return self.filter(dicabut_at__isnull=True)


class KlienApi(models.Model):
    """A system outside SIBINA (an OPD's own application, the province's data warehouse) that
    calls the REST API (/api/v1/, pembinaan.api) with a token an administrator issued to it.
    It reads what the HR of its units read (a unit covers its subtree), and with write scope
    records what its units' HR record through the pages. Only the token's SHA-256 is kept: the
    token itself is shown once, when it is made (pembinaan.services.klien_api_create)."""

    class Cakupan(models.TextChoices):
        BACA = "baca", "Baca saja"
        TULIS = "tulis", "Baca dan tulis"

    nama = models.CharField(
        "nama sistem klien", max_length=200, help_text="Mis. SIMPEG Dinas Kesehatan."
    )
    units = models.ManyToManyField(
        UnitKerja, related_name="+", verbose_name="unit kerja",
        help_text="Klien membaca dan menulis data unit ini beserta seluruh sub-unitnya.",
    )  # fmt: skip
    cakupan = models.CharField(
        "cakupan", max_length=5, choices=Cakupan.choices, default=Cakupan.BACA
    )
    # The units' names as issued, for the audit log: simple-history keeps no M2M, and a token's
    # units never change after it is issued (a new scope is a new token).
    unit_teks = models.TextField("unit kerja", blank=True, editable=False)
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    # The token's first characters, to tell tokens apart in the list (not enough to use one).
    awalan = models.CharField("awalan token", max_length=12, editable=False)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name="dibuat oleh",
    )  # fmt: skip
    created_at = models.DateTimeField("dibuat pada", auto_now_add=True)
    dicabut_at = models.DateTimeField("dicabut pada", null=True, blank=True)
    dicabut_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        blank=True, verbose_name="dicabut oleh",
    )  # fmt: skip
    # Written at most once a minute (pembinaan.api.auth), not on every call.
    terakhir_dipakai_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["terakhir_dipakai_at", "token_sha256"])
    objects = KlienApiQuerySet.as_manager()

    class Meta:
        verbose_name = "klien API"
        verbose_name_plural = "klien API"
        ordering = ["nama", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dicabut_at__isnull=True) | models.Q(dicabut_oleh__isnull=False),
                name="klien_api_dicabut_oleh",
                violation_error_message="Pencabutan token harus mencatat siapa yang mencabut.",
            )
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def is_aktif(self) -> bool:
        return self.dicabut_at is None

    @property
    def can_write(self) -> bool:
        return self.cakupan == self.Cakupan.TULIS

    @staticmethod
    def token_new() -> str:
        """A new token: 256 random bits, prefixed so that a leaked one is recognised in logs
        and by secret scanners."""
        return KLIEN_API_PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def token_hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class DampakAngkatan(models.Model):
    """A finished batch's difference-in-differences sums (pembinaan.dampak), stored once its
    after-slot has ended so that the province-wide monitoring report reads a few hundred rows
    instead of every participant's ratings. Made anew every night (dampak_ringkasan_task), and
    when missing; a batch whose inputs change (a late rating, a revoked certificate, a pegawai who
    moved) reads the new figures from the next night's run on."""

    angkatan = models.OneToOneField(
        "pelatihan.Angkatan", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    jenis_periode = models.CharField(max_length=10)  # settings.DAMPAK_JENIS_PERIODE when made
    peserta_n = models.IntegerField(default=0)
    peserta_jumlah = models.IntegerField(default=0)
    peserta_kuadrat = models.IntegerField(default=0)
    pembanding_n = models.IntegerField(default=0)
    pembanding_jumlah = models.IntegerField(default=0)
    pembanding_kuadrat = models.IntegerField(default=0)
    dihitung_at = models.DateTimeField()

    class Meta:
        verbose_name = "ringkasan dampak angkatan"
        verbose_name_plural = "ringkasan dampak angkatan"

    def __str__(self) -> str:
        return f"Dampak angkatan {self.angkatan_id} ({self.dihitung_at:%d/%m/%Y %H:%M})"


class RingkasanBulan(models.Model):
    """A unit's figures at a month's end (its sub-units included), as pembinaan.reports
    .ringkasan_hitung makes them for that day: the 20 JP counts of the ledger entries dated up to
    it, the self-reports late by then, feedback waiting, the predicates of the latest rated period
    and the IKM of the year. Made every night for the month that ended last
    (ringkasan_bulan_task), so that the monitoring report of a month reads a row per unit instead
    of summing ten million JP entries at national scale (issue 24)."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="+")
    sampai = models.DateField()
    pegawai_aktif = models.PositiveIntegerField(default=0)
    pns = models.PositiveIntegerField(default=0)
    pns_patuh = models.PositiveIntegerField(default=0)
    pppk = models.PositiveIntegerField(default=0)
    pppk_lebih = models.PositiveIntegerField(default=0)
    laporan_segera = models.PositiveIntegerField(default=0)
    laporan_terlambat = models.PositiveIntegerField(default=0)
    laporan_menunggu_atasan = models.PositiveIntegerField(default=0)
    masukan_menunggu = models.PositiveIntegerField(default=0)
    predikat = models.JSONField(default=dict)
    ikm = models.JSONField(default=list)
    # The rated period the predicates are of (the latest with ratings when computed).
    periode_predikat = models.ForeignKey(
        "evaluasi.PeriodePenilaian", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dihitung_at = models.DateTimeField()

    class Meta:
        verbose_name = "ringkasan unit akhir bulan"
        verbose_name_plural = "ringkasan unit akhir bulan"
        constraints = [
            models.UniqueConstraint(fields=["sampai", "unit"], name="ringkasan_bulan_sekali")
        ]

    def __str__(self) -> str:
        return f"Ringkasan {self.unit_id} sampai {self.sampai:%d/%m/%Y}"


class RingkasanKebutuhan(models.Model):
    """An OPD's evidence of training needs for a year (pembinaan.kebutuhan.bukti_opd: per
    competency its score and the evidence in words), before the proposals are added. Made every
    night with RingkasanBulan, one row per OPD (an empty list when there is no evidence), so that
    the monitoring report does not group two million participants and self-reports."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField()
    baris = models.JSONField(default=list, help_text="[{kode, skor, bukti}], urut peringkat.")
    dihitung_at = models.DateTimeField()

    class Meta:
        verbose_name = "ringkasan kebutuhan OPD"
        verbose_name_plural = "ringkasan kebutuhan OPD"
        constraints = [
            models.UniqueConstraint(fields=["tahun", "unit"], name="ringkasan_kebutuhan_sekali")
        ]

    def __str__(self) -> str:
        return f"Kebutuhan {self.unit_id} {self.tahun}"
