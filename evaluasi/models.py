import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from pegawai.models import Jabatan, Pegawai, UnitKerja
from pembinaan.lib.uploads import GeneratedName

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

    # The audit log of opening, closing and reopening (pembinaan.audit).
    history = HistoricalRecords(excluded_fields=["created_at"])

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

    history = HistoricalRecords(excluded_fields=["dinilai_at"])

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
    lampiran = models.FileField(
        "lampiran (PDF atau gambar)", upload_to=GeneratedName("laporan/%Y/"), blank=True
    )
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

    # The audit log of verdicts: who saved, submitted, returned or verified, and what changed.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "laporan pasca pelatihan"
        verbose_name_plural = "laporan pasca pelatihan"
        ordering = ["jatuh_tempo", "pk"]
        indexes = [
            models.Index(fields=["status", "jatuh_tempo"], name="laporan_status_tempo"),
            # The inbox (evaluasi/tugas.py): submitted reports per pegawai, and how long each
            # has waited for its atasan (the escalation after 14 days).
            models.Index(
                fields=["pegawai", "diajukan_at"], name="laporan_diajukan",
                condition=Q(status="diajukan"),
            ),
        ]  # fmt: skip
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
    """A reminder that was sent, for a self-report or a sustainability report. Unique per report,
    kind and step, so a job that runs twice (or a task delivered twice) never mails twice for the
    same step."""

    class Jenis(models.TextChoices):
        SEGERA = "segera", "Jatuh tempo dalam 14 hari"
        TERLAMBAT = "terlambat", "Terlambat (mingguan)"
        ATASAN = "atasan", "Menunggu verifikasi atasan lebih dari 7 hari"

    laporan = models.ForeignKey(
        LaporanPascaPelatihan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pengingat",
    )
    keberlanjutan = models.ForeignKey(
        "LaporanKeberlanjutan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pengingat",
    )
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    langkah = models.CharField(max_length=40, help_text="Minggu terlambat, atau waktu pengajuan.")
    kepada = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pengingat"
        verbose_name_plural = "pengingat"
        constraints = [
            models.UniqueConstraint(
                fields=["laporan", "jenis", "langkah"], name="pengingat_sekali"
            ),
            models.UniqueConstraint(
                fields=["keberlanjutan", "jenis", "langkah"], name="pengingat_keberlanjutan_sekali"
            ),
            models.CheckConstraint(
                condition=Q(laporan__isnull=False, keberlanjutan__isnull=True)
                | Q(laporan__isnull=True, keberlanjutan__isnull=False),
                name="pengingat_one_subject",
            ),
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
    # Beside the per-unit PDF (a summary), its one row per pegawai as a workbook: a table of
    # thousands of rows took WeasyPrint most of ten seconds (bench/RESULTS.md, issue 24).
    lampiran = models.FileField(
        "daftar per pegawai (XLSX)", upload_to="laporan-pdf/%Y/%m/", blank=True
    )
    pesan_gagal = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The worker's claim (pembinaan.lib.claim): its token, and when it last renewed it.
    klaim = models.CharField("token klaim pekerja", max_length=32, blank=True, editable=False)
    diproses_at = models.DateTimeField("diklaim pekerja", null=True, blank=True)
    selesai_at = models.DateTimeField(null=True, blank=True)

    IN_PROGRESS = [Status.MENUNGGU, Status.DIPROSES]

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
            ),
            # One PDF of a subject in the making per requester: asked again (a double click)
            # while it waits or is being made, the request answers with that one.
            *(
                models.UniqueConstraint(
                    fields=["diminta_oleh", subject],
                    condition=Q(jenis=jenis, status__in=["menunggu", "diproses"]),
                    name=f"berkas_{jenis}_sekali_dibuat",
                )
                for jenis, subject in [
                    ("pegawai", "pegawai"),
                    ("angkatan", "angkatan"),
                    ("unit", "periode_unit"),
                ]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("evaluasi:berkas_detail", args=[self.pk])

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def subjek(self):
        """What the file evaluates: a pegawai, a batch, or a unit's part of a period."""
        return {
            self.Jenis.PEGAWAI: self.pegawai,
            self.Jenis.ANGKATAN: self.angkatan,
            self.Jenis.UNIT: self.periode_unit,
        }[self.jenis]

    @property
    def nama_unduhan(self) -> str:
        """The download's name without its extension, in plain ASCII (Content-Disposition):
        what it evaluates (a unit's code and the period, a NIP, a batch) and the row's id, which
        tells apart the files made of the same subject."""
        if self.jenis == self.Jenis.UNIT:
            subject = f"{self.periode_unit.unit.kode}-{self.periode_unit.periode.nama}"
        elif self.jenis == self.Jenis.PEGAWAI:
            subject = self.pegawai.nip
        else:
            subject = str(self.angkatan)
        slug = slugify(subject.replace(".", " ").replace("/", " "))[:80].strip("-")
        return f"sibina-evaluasi-{self.jenis}-{slug}-{self.pk}"


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
    random and every answer rewrites its unit's sheets in a random order (services.iklim_answer),
    so neither keys, storage order nor transaction ids say who answered what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    putaran = models.ForeignKey(PutaranIklim, on_delete=models.CASCADE, related_name="respon")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+")
    p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12 = (_scale(f"p{n}") for n in range(1, 13))
    teks = models.TextField("hal yang paling perlu diperbaiki", blank=True, max_length=2000)

    class Meta:
        verbose_name = "respon survei iklim kerja"
        verbose_name_plural = "respon survei iklim kerja"
        # Each answer reads and rewrites the sheets of one unit in one round.
        indexes = [models.Index(fields=["putaran", "unit"], name="respon_iklim_putaran_unit")]

    def __str__(self) -> str:
        return f"Respon {self.putaran}"


class AksiPerubahan(models.Model):
    """A change project (aksi perubahan): an ASN's innovation in their own unit, required by
    leadership training or registered on their own, followed until it lasts.

    The states and who moves them are data in TRANSITIONS; services.aksi_transition is the only
    way between them. A sustainability report moves selesai on to berkelanjutan or berhenti."""

    class Status(models.TextChoices):
        RENCANA = "rencana", "Rencana"
        BERJALAN = "berjalan", "Berjalan"
        SELESAI = "selesai", "Selesai"
        BERKELANJUTAN = "berkelanjutan", "Berkelanjutan"
        BERHENTI = "berhenti", "Berhenti"

    # action → {from state: to state}
    TRANSITIONS = {
        "mulai": {Status.RENCANA: Status.BERJALAN},
        "selesaikan": {Status.BERJALAN: Status.SELESAI},
        "hentikan": {
            Status.RENCANA: Status.BERHENTI,
            Status.BERJALAN: Status.BERHENTI,
            Status.SELESAI: Status.BERHENTI,
            Status.BERKELANJUTAN: Status.BERHENTI,
        },
    }
    EDITABLE = {Status.RENCANA, Status.BERJALAN}

    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="aksi_perubahan")
    peserta = models.OneToOneField(
        "pelatihan.Peserta",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aksi_perubahan",
        verbose_name="keikutsertaan pelatihan",
        help_text="Kosongkan bila inovasi ini bukan tugas pelatihan.",
    )
    judul = models.CharField("judul", max_length=200)
    masalah = models.TextField(
        "masalah pelayanan publik", help_text="Masalah yang dialami masyarakat atau unit."
    )
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="+", verbose_name="unit kerja"
    )
    layanan = models.CharField(
        "layanan", max_length=200, help_text="Layanan yang diperbaiki, mis. Pendaftaran pasien."
    )
    inovasi = models.TextField("inovasi", help_text="Apa yang diubah, dan bagaimana.")
    manfaat = models.TextField("manfaat yang diharapkan bagi masyarakat")
    hasil = models.TextField(
        "hasil", blank=True, help_text="Apa yang sudah dirasakan; tampil di galeri inovasi."
    )
    mentor = models.ForeignKey(
        Pegawai,
        on_delete=models.PROTECT,
        related_name="aksi_dimentori",
        verbose_name="mentor",
        help_text="Biasanya atasan langsung; mentor mengonfirmasi setiap tonggak.",
    )
    coach = models.CharField("coach", max_length=150, blank=True)
    tanggal_mulai = models.DateField(
        "tanggal mulai",
        help_text="Laporan keberlanjutan jatuh 6 dan 12 bulan setelah pelatihan selesai, atau "
        "setelah tanggal ini untuk inovasi mandiri.",
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.RENCANA)
    alasan_berhenti = models.TextField("alasan berhenti", blank=True)
    dimulai_at = models.DateTimeField(null=True, blank=True)
    selesai_at = models.DateTimeField(null=True, blank=True)
    dipublikasikan_at = models.DateTimeField("dipublikasikan di galeri", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "aksi perubahan"
        verbose_name_plural = "aksi perubahan"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "unit"], name="aksi_status_unit")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="berhenti") | ~Q(alasan_berhenti=""),
                name="aksi_berhenti_has_reason",
                violation_error_message="Tuliskan alasan aksi perubahan berhenti.",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("pegawai")), name="aksi_mentor_bukan_diri_sendiri"
            ),
        ]

    def __str__(self) -> str:
        return self.judul

    def get_absolute_url(self) -> str:
        return reverse("evaluasi:aksi_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.dipublikasikan_at is not None

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class TonggakAksi(models.Model):
    """A milestone of a change project: the pegawai reports it done with evidence, the mentor
    confirms it or returns it with a comment."""

    class Tahap(models.TextChoices):
        PENDEK = "pendek", "Jangka pendek (selama pelatihan)"
        MENENGAH = "menengah", "Jangka menengah"
        PANJANG = "panjang", "Jangka panjang"

    class Status(models.TextChoices):
        RENCANA = "rencana", "Belum dilaporkan"
        DILAPORKAN = "dilaporkan", "Menunggu konfirmasi mentor"
        DIKEMBALIKAN = "dikembalikan", "Dikembalikan mentor"
        DIKONFIRMASI = "dikonfirmasi", "Dikonfirmasi mentor"

    aksi = models.ForeignKey(AksiPerubahan, on_delete=models.CASCADE, related_name="tonggak")
    tahap = models.CharField(max_length=10, choices=Tahap.choices)
    uraian = models.CharField("uraian tonggak", max_length=300)
    jatuh_tempo = models.DateField("jatuh tempo")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.RENCANA)
    catatan = models.TextField("catatan pelaksanaan", blank=True)
    dilaporkan_at = models.DateTimeField(null=True, blank=True)
    catatan_mentor = models.TextField("catatan mentor", blank=True)
    dikonfirmasi_oleh = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dikonfirmasi_at = models.DateTimeField(null=True, blank=True)

    # The audit log of the mentor's confirmations and returns (pembinaan.audit).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tonggak aksi perubahan"
        verbose_name_plural = "tonggak aksi perubahan"
        ordering = ["jatuh_tempo", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dikonfirmasi") | Q(dikonfirmasi_oleh__isnull=False),
                name="tonggak_confirmed_has_mentor",
            )
        ]

    def __str__(self) -> str:
        return self.uraian


class BuktiTonggak(models.Model):
    """Evidence of a milestone: a document or photo, or a link."""

    tonggak = models.ForeignKey(TonggakAksi, on_delete=models.CASCADE, related_name="bukti")
    keterangan = models.CharField("keterangan", max_length=200)
    file = models.FileField(
        "berkas (PDF atau foto)", upload_to=GeneratedName("aksi/%Y/"), blank=True
    )
    tautan = models.URLField("tautan", blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bukti tonggak"
        verbose_name_plural = "bukti tonggak"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(tautan=""),
                name="bukti_has_file_or_link",
                violation_error_message="Lampirkan berkas atau tuliskan tautan.",
            )
        ]

    def __str__(self) -> str:
        return self.keterangan


class LaporanKeberlanjutan(models.Model):
    """Six and twelve months on: is the change still in use? Made for every project when it is
    registered; a report that says yes marks the project berkelanjutan, no marks it berhenti."""

    class Bulan(models.IntegerChoices):
        ENAM = 6, "6 bulan"
        DUA_BELAS = 12, "12 bulan"

    aksi = models.ForeignKey(
        AksiPerubahan, on_delete=models.CASCADE, related_name="laporan_keberlanjutan"
    )
    bulan = models.PositiveSmallIntegerField(choices=Bulan.choices)
    jatuh_tempo = models.DateField("jatuh tempo")
    masih_digunakan = models.BooleanField("perubahan masih digunakan", null=True)
    uraian = models.TextField(
        "uraian", blank=True, help_text="Bagaimana perubahan itu dipakai, atau mengapa berhenti."
    )
    dilaporkan_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "laporan keberlanjutan"
        verbose_name_plural = "laporan keberlanjutan"
        ordering = ["jatuh_tempo", "pk"]
        indexes = [models.Index(fields=["jatuh_tempo"], name="keberlanjutan_tempo")]
        constraints = [
            models.UniqueConstraint(fields=["aksi", "bulan"], name="keberlanjutan_sekali"),
            models.CheckConstraint(
                condition=Q(dilaporkan_at__isnull=True) | Q(masih_digunakan__isnull=False),
                name="keberlanjutan_reported_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aksi}: {self.get_bulan_display()}"

    @property
    def is_reported(self) -> bool:
        return self.dilaporkan_at is not None

    def is_overdue(self, on) -> bool:
        return not self.is_reported and self.jatuh_tempo < on


class ResponWargaAksi(models.Model):
    """A citizen's line on a published project: did they notice the change? No account; only HR
    sees these."""

    aksi = models.ForeignKey(AksiPerubahan, on_delete=models.CASCADE, related_name="respon_warga")
    merasakan = models.BooleanField("merasakan perubahan")
    komentar = models.CharField("komentar", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "respon warga atas inovasi"
        verbose_name_plural = "respon warga atas inovasi"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{'Ya' if self.merasakan else 'Tidak'}: {self.komentar[:40]}"
