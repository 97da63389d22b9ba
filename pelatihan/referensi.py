"""The competency dictionary of PermenPANRB 38/2017 (managerial M.01–M.08 and the socio-cultural
Perekat Bangsa), with a short description of each level. Data, shared by the migration that loads
it and by tests that empty the tables."""

from datetime import date

KOMPETENSI = [
    (
        "M.01",
        "Integritas",
        "manajerial",
        "Konsisten berperilaku selaras dengan nilai, norma dan etika organisasi, jujur dalam "
        "hubungan dengan atasan, rekan kerja, bawahan dan pemangku kepentingan.",
        [
            "Mampu bertindak sesuai nilai, norma dan etika organisasi dalam kapasitas pribadi",
            "Mampu mengingatkan dan mengajak rekan kerja bertindak sesuai nilai, norma dan etika",
            "Mampu memastikan anggota unit bertindak sesuai nilai, norma dan etika",
            "Mampu menciptakan situasi kerja yang membuat rekan kerja berperilaku sesuai etika",
            "Menjadi role model penerapan standar keadilan dan etika tingkat nasional",
        ],
    ),
    (
        "M.02",
        "Kerja Sama",
        "manajerial",
        "Kemampuan menjalin, membina, mempertahankan hubungan kerja yang efektif dan komitmen "
        "saling membantu dalam penyelesaian tugas.",
        [
            "Berpartisipasi dalam kelompok kerja",
            "Menumbuhkan tim kerja yang partisipatif dan efektif",
            "Efektif membangun tim kerja untuk peningkatan kinerja organisasi",
            "Membangun komitmen tim dan sinergi",
            "Menciptakan hubungan kerja yang sinergis lintas sektor",
        ],
    ),
    (
        "M.03",
        "Komunikasi",
        "manajerial",
        "Kemampuan menerangkan pandangan dan gagasan secara jelas, sistematis dan persuasif.",
        [
            "Menyampaikan informasi dengan jelas, lengkap dan dapat dipahami",
            "Aktif menjalankan komunikasi secara formal dan informal",
            "Berkomunikasi secara asertif, terampil berkomunikasi lisan dan tertulis",
            "Mampu mengemukakan pemikiran multidimensi secara lisan dan tertulis",
            "Menggagas sistem komunikasi yang terbuka secara strategis",
        ],
    ),
    (
        "M.04",
        "Orientasi pada Hasil",
        "manajerial",
        "Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat "
        "diandalkan, bertanggung jawab, dan menetapkan target kerja yang menantang.",
        [
            "Bertanggung jawab untuk memenuhi standar kerja",
            "Berupaya meningkatkan hasil kerja",
            "Menetapkan target kerja yang menantang bagi unit kerja",
            "Mendorong unit kerja mencapai target atau melebihi hasil sebelumnya",
            "Kemampuan menyusun kebijakan strategis yang berdampak nasional",
        ],
    ),
    (
        "M.05",
        "Pelayanan Publik",
        "manajerial",
        "Kemampuan melaksanakan tugas pemerintahan, pembangunan dan pelayanan publik secara "
        "profesional, transparan, mengikuti standar pelayanan yang objektif, netral dan adil.",
        [
            "Menjalankan tugas pelayanan publik secara profesional",
            "Mampu mensupervisi pelayanan publik",
            "Mampu memanfaatkan kekuatan kelompok serta memperbaiki standar pelayanan",
            "Mampu memonitor, mengevaluasi dan memperhitungkan dampak pelayanan publik",
            "Mampu menciptakan kebijakan pelayanan publik yang menjamin terselenggaranya pelayanan",
        ],
    ),
    (
        "M.06",
        "Pengembangan Diri dan Orang Lain",
        "manajerial",
        "Kemampuan meningkatkan pengetahuan dan menyempurnakan keterampilan diri; menginspirasi "
        "orang lain untuk mengembangkan dan menyempurnakan pengetahuan dan keterampilan.",
        [
            "Pengembangan diri",
            "Meningkatkan kemampuan bawahan dengan memberikan contoh dan arahan",
            "Memberikan umpan balik dan membimbing",
            "Menyusun program pengembangan jangka panjang",
            "Menciptakan situasi yang mendorong organisasi mengembangkan kemampuan belajar",
        ],
    ),
    (
        "M.07",
        "Mengelola Perubahan",
        "manajerial",
        "Kemampuan menyesuaikan diri dengan situasi yang baru atau berubah dan tidak bergantung "
        "secara berlebihan pada metode dan proses lama.",
        [
            "Menyadari perubahan dan menyesuaikan diri",
            "Proaktif beradaptasi mengikuti perubahan",
            "Membantu orang lain mengikuti perubahan",
            "Memimpin perubahan pada unit kerja",
            "Mengelola perubahan yang berdampak luas",
        ],
    ),
    (
        "M.08",
        "Pengambilan Keputusan",
        "manajerial",
        "Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan "
        "diri setelah mempertimbangkan prinsip kehati-hatian.",
        [
            "Mengumpulkan informasi untuk bertindak sesuai kewenangan",
            "Menganalisis masalah secara mendalam",
            "Membandingkan berbagai alternatif",
            "Menyelesaikan masalah yang mengandung risiko tinggi",
            "Menghasilkan solusi dan keputusan untuk permasalahan jangka panjang",
        ],
    ),
    (
        "SK.01",
        "Perekat Bangsa",
        "sosial_kultural",
        "Kemampuan mempromosikan sikap toleransi, keterbukaan, peka terhadap perbedaan "
        "individu atau kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah "
        "dalam mempersatukan masyarakat.",
        [
            "Peka memahami dan menerima kemajemukan",
            "Aktif mengembangkan sikap saling menghargai",
            "Mempromosikan dan mengembangkan sikap toleransi dan persatuan",
            "Mendayagunakan perbedaan secara konstruktif dan kreatif",
            "Wakil pemerintah untuk membangun hubungan sosial psikologis",
        ],
    ),
]


def kompetensi_ensure(Kompetensi, KompetensiLevel) -> None:  # noqa: N803 - model classes
    for kode, nama, jenis, deskripsi, levels in KOMPETENSI:
        kompetensi, _ = Kompetensi.objects.update_or_create(
            kode=kode, defaults={"nama": nama, "jenis": jenis, "deskripsi": deskripsi}
        )
        for level, text in enumerate(levels, start=1):
            KompetensiLevel.objects.update_or_create(
                kompetensi=kompetensi, level=level, defaults={"deskripsi": text}
            )


# How each form converts to JP, and its caps (domain.md §2, §8), as loaded into
# AturanKonversiJP by migration 0019; administrators change them on the page "Aturan konversi JP".
# Checked with the search tool (December 2026): 1 JP = 45 minutes (Peraturan LAN 10/2018, as LAN
# summarises PerLAN 5/2018); the non-classical forms themselves (PerLAN 10/2018; LAN, Pedoman
# Pengembangan Kompetensi Non Klasikal, 2020); the 10:20:70 model and the atasan's role in coaching,
# mentoring and belajar mandiri (SE Kepala BKN 3/2022, for BKN's own staff). The conversion
# tables of those texts could not be read, so every number below is a default marked
# "belum terverifikasi" in its source until someone compares it with the text.
# (jenis, satuan, JP per satuan, JP per satuan internasional, cap per activity, per year, source)
BELUM = "belum terverifikasi"
ATURAN_KONVERSI_JP = [
    (4, "hari", "5", "7", None, None,
     f"Workshop/lokakarya: 5 JP per hari, internasional 7 (nilai bawaan SIBINA; {BELUM})."),
    (9, "hari", "4", "6", None, None,
     f"Seminar/konferensi: 4 JP per hari, internasional 6 (nilai bawaan SIBINA; {BELUM})."),
    (10, "hari", "4", None, 40, None,
     f"Magang/praktik kerja (nonklasikal menurut Peraturan LAN 10/2018): default SIBINA, {BELUM}."),
    (14, "sesi", "2", None, 10, 20,
     "Coaching (SE Kepala BKN 3/2022; Pedoman Non Klasikal LAN 2020): 1 sesi ± 90 menit = 2 JP, "
     f"default SIBINA, {BELUM}."),
    (15, "sesi", "2", None, 10, 20,
     "Mentoring (SE Kepala BKN 3/2022; Pedoman Non Klasikal LAN 2020): 1 sesi ± 90 menit = 2 JP, "
     f"default SIBINA, {BELUM}."),
    (16, "jam", "1.33", None, None, None,
     "E-learning/MOOC: 1 JP = 45 menit (Peraturan LAN 10/2018), jadi 1 jam = 1,33 JP; "
     f"tanpa batas, {BELUM}."),
    (17, "jam", "1.33", None, None, None,
     f"Pelatihan jarak jauh: 1 JP = 45 menit (Peraturan LAN 10/2018); {BELUM}."),
    (18, "hari", "2", None, None, 40,
     f"Detasering (secondment): default SIBINA, {BELUM}."),
    (19, "hari", "4", None, 8, None, f"Outbound: default SIBINA, {BELUM}."),
    (20, "hari", "4", None, 16, None, f"Benchmarking/studi tiru: default SIBINA, {BELUM}."),
    (21, "hari", "2", None, None, 40,
     f"Pertukaran PNS dengan swasta/BUMN/BUMD: default SIBINA, {BELUM}."),
    (22, "jam", "1.33", None, 8, 20,
     "Belajar mandiri (SE Kepala BKN 3/2022): 1 JP = 45 menit; default SIBINA, "
     f"{BELUM}."),
    (23, "sesi", "2", None, 4, 10,
     f"Komunitas belajar (community of practice): default SIBINA, {BELUM}."),
    (24, "sesi", "2", None, 10, 20,
     f"Bimbingan di tempat kerja (termasuk job shadowing): default SIBINA, {BELUM}."),
    (25, "jam", "1.33", None, 8, 10,
     f"Nonklasikal lainnya: 1 JP = 45 menit; default SIBINA, {BELUM}."),
]  # fmt: skip


def aturan_konversi_ensure(AturanKonversiJP) -> None:  # noqa: N803 - a model class
    """Load the default rules where a form has none (a rule an administrator changed stays)."""
    from decimal import Decimal

    for jenis, satuan, per, per_int, batas, batas_tahun, sumber in ATURAN_KONVERSI_JP:
        AturanKonversiJP.objects.get_or_create(
            jenis=jenis,
            defaults={
                "satuan": satuan,
                "jp_per_satuan": Decimal(per),
                "jp_per_satuan_internasional": Decimal(per_int) if per_int else None,
                "batas_per_kegiatan": batas,
                "batas_per_tahun": batas_tahun,
                "sumber": sumber,
            },
        )


# A classroom training day (configurable): the days a planned batch needs come from its JP.
JP_PER_HARI_PELATIHAN = 8

# Scholarship eligibility defaults (domain.md §3, configurable per program): the highest age at
# acceptance per study level, at least one year of service, predicate Baik in each of the last two
# years, no moderate or heavy sanction, and a service bond of twice the study period.
USIA_MAKS_BEASISWA = {"d3": 25, "d4": 25, "s1": 25, "s2": 37, "s3": 40}
MASA_KERJA_MIN_TAHUN = 1
TAHUN_PREDIKAT = 2
FAKTOR_IKATAN_DINAS = 2

# The individual development plan's proposal (PP 11/2017 as amended by PP 17/2020, Pasal 205–206:
# a yearly plan built from the competency gap, the profile against the jabatan's standard, and
# the performance gap, the rating against the jabatan's target). SIBINA's rule, as data:
# - a line per competency below the standard, to the standard's level; a catalog training that
#   targets the competency makes it a classical line with the training's JP, otherwise the
#   non-classical form below;
# - last year's predicate below Baik (the performance gap) marks every proposed line a priority
#   and adds, for the largest gap, a coaching line by the atasan (the "20" of 10:20:70, SE Kepala
#   BKN 3/2022). No gap, no proposed line, whatever the predicate. Numbers configurable.
RENCANA_USULAN = {
    "bentuk_tanpa_pelatihan": 24,  # Bimbingan di Tempat Kerja
    "jp_tanpa_pelatihan": 10,
    "predikat_rendah": {"butuh_perbaikan", "kurang", "sangat_kurang"},
    "bentuk_predikat_rendah": 14,  # Coaching
    "jp_predikat_rendah": 8,
}

# From this month on, the plan pages open on next year's plan: its cost goes into next year's
# budget (PP 11/2017 Pasal 205 ayat 3), drafted in the last months of the year. Configurable.
BULAN_RENCANA_TAHUN_DEPAN = 10


def tahun_rencana_bawaan(today: date) -> int:
    """The plan year the pages open on, and a succession candidate's line goes to: next year's
    from BULAN_RENCANA_TAHUN_DEPAN on."""
    return today.year + 1 if today.month >= BULAN_RENCANA_TAHUN_DEPAN else today.year
