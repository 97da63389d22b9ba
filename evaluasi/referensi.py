"""The rules of PermenPANRB 6/2022 as data (domain.md §4): the predicate matrix, the distribution
each organisation predicate allows, and the functional-position credit percentages."""

from decimal import Decimal

SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG = (
    "sangat_baik",
    "baik",
    "butuh_perbaikan",
    "kurang",
    "sangat_kurang",
)
DI_ATAS, SESUAI, DI_BAWAH = "di_atas", "sesuai", "di_bawah"

# (hasil kerja, perilaku kerja) → predicate.
MATRIKS_PREDIKAT = {
    (DI_ATAS, DI_ATAS): SANGAT_BAIK,
    (DI_ATAS, SESUAI): BAIK,
    (DI_ATAS, DI_BAWAH): KURANG,
    (SESUAI, DI_ATAS): BAIK,
    (SESUAI, SESUAI): BAIK,
    (SESUAI, DI_BAWAH): KURANG,
    (DI_BAWAH, DI_ATAS): BUTUH_PERBAIKAN,
    (DI_BAWAH, SESUAI): BUTUH_PERBAIKAN,
    (DI_BAWAH, DI_BAWAH): SANGAT_KURANG,
}

# The organisation's own predicate bounds how its pegawai's predicates may be spread (checked,
# warned, never enforced). Each rule: (predicates counted, "max" or "min", percent, message).
DISTRIBUSI = {
    "istimewa": [
        ({SANGAT_BAIK}, "max", 70, "paling banyak 70 % Sangat Baik"),
    ],
    "baik": [
        ({BAIK}, "max", 70, "paling banyak 70 % Baik"),
        ({BUTUH_PERBAIKAN, KURANG}, "min_one", 0, "ada yang Butuh Perbaikan atau Kurang"),
    ],
    "butuh_perbaikan": [
        ({BUTUH_PERBAIKAN}, "min", 60, "paling sedikit 60 % Butuh Perbaikan"),
        ({SANGAT_BAIK}, "max", 10, "paling banyak 10 % Sangat Baik"),
    ],
}

# Percent of the yearly coefficient a functional position earns per predicate.
PERSEN_ANGKA_KREDIT = {
    SANGAT_BAIK: 150,
    BAIK: 100,
    BUTUH_PERBAIKAN: 75,
    KURANG: 50,
    SANGAT_KURANG: 25,
}
KOEFISIEN_TAHUNAN = {
    "ahli_pertama": Decimal("12.5"),
    "ahli_muda": Decimal("25"),
    "ahli_madya": Decimal("37.5"),
    "ahli_utama": Decimal("50"),
    "pemula": Decimal("3.75"),
    "terampil": Decimal("5"),
    "mahir": Decimal("12.5"),
    "penyelia": Decimal("25"),
}
BULAN_PERIODE = {"bulanan": 1, "triwulan": 3, "tahunan": 12}

# Work-climate survey: two statements per dimension, answered 1 (sangat tidak setuju) – 5 (sangat
# setuju). Workload is phrased so that a high score is good, like the others.
DIMENSI_IKLIM = [
    ("peran", "Kejelasan peran"),
    ("atasan", "Dukungan atasan"),
    ("pengakuan", "Pengakuan"),
    ("berkembang", "Kesempatan berkembang"),
    ("beban", "Beban kerja"),
    ("kerja_sama", "Kerja sama"),
]
PERNYATAAN_IKLIM = [
    ("p1", "peran", "Saya tahu dengan jelas apa yang diharapkan dari pekerjaan saya."),
    ("p2", "peran", "Tugas saya tidak bertumpang tindih dengan tugas rekan lain."),
    ("p3", "atasan", "Atasan saya memberi arahan dan umpan balik yang membantu."),
    ("p4", "atasan", "Saya dapat membicarakan kesulitan kerja dengan atasan saya."),
    ("p5", "pengakuan", "Hasil kerja yang baik di unit saya dihargai."),
    ("p6", "pengakuan", "Penilaian kinerja di unit saya adil."),
    ("p7", "berkembang", "Saya mendapat kesempatan mengikuti pelatihan yang saya butuhkan."),
    ("p8", "berkembang", "Saya dapat menerapkan hal baru yang saya pelajari."),
    ("p9", "beban", "Beban kerja saya dapat diselesaikan dalam jam kerja."),
    ("p10", "beban", "Sumber daya untuk menyelesaikan pekerjaan saya cukup."),
    ("p11", "kerja_sama", "Rekan kerja saling membantu menyelesaikan pekerjaan."),
    ("p12", "kerja_sama", "Informasi dibagikan dengan terbuka di unit saya."),
]
MIN_KELOMPOK_IKLIM = 5

# What a low dimension asks for: who is to be developed, how (SIASN jenisDiklat codes), and the
# competencies it builds (PermenPANRB 38/2017), so the training-needs analysis can take it in.
PENGEMBANGAN_IKLIM = {
    "peran": ("atasan dan pegawai", "Bimtek penyusunan SKP dan uraian tugas", [8], ["M.04"]),
    "atasan": ("para atasan", "Coaching dan mentoring bagi atasan", [14, 15], ["M.06"]),
    "pengakuan": ("para atasan", "Manajemen kinerja dan umpan balik", [5], ["M.06", "M.01"]),
    "berkembang": ("pengelola kepegawaian", "Rencana pengembangan kompetensi unit", [3], ["M.06"]),
    "beban": ("pimpinan unit", "Analisis beban kerja dan mengelola perubahan", [8], ["M.07"]),
    "kerja_sama": ("seluruh pegawai", "Kerja sama dan komunikasi tim", [6, 19], ["M.02", "M.03"]),
}
