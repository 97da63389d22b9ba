"""IKM, PermenPANRB 14/2017 (domain.md §5): the nine elements by key with their standard
questions and answer labels, the quality bands, and the respondent categories."""

UNSUR = [
    (
        "u1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    ),
    (
        "u2",
        "Sistem, mekanisme dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
    ),
    (
        "u3",
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
    ),
    (
        "u4",
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
    ),
    (
        "u5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    ),
    (
        "u6",
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
    ),
    (
        "u7",
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan "
        "keramahan?",
        [
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ],
    ),
    (
        "u8",
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ["Buruk", "Cukup", "Baik", "Sangat baik"],
    ),
    (
        "u9",
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        [
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ],
    ),
]
KEYS = [key for key, *_ in UNSUR]

# Converted IKM → (mutu pelayanan, kinerja unit), highest band first.
MUTU = [
    ("88.31", "A", "Sangat Baik"),
    ("76.61", "B", "Baik"),
    ("65.00", "C", "Kurang Baik"),
    ("25.00", "D", "Tidak Baik"),
]

USIA = [
    ("u_20", "di bawah 20 tahun"),
    ("20_29", "20–29 tahun"),
    ("30_39", "30–39 tahun"),
    ("40_49", "40–49 tahun"),
    ("50_59", "50–59 tahun"),
    ("60", "60 tahun atau lebih"),
]
PENDIDIKAN = [
    ("sd", "SD atau di bawahnya"),
    ("smp", "SMP"),
    ("sma", "SMA/SMK"),
    ("d", "D1–D4"),
    ("s1", "S1"),
    ("s2", "S2 atau lebih tinggi"),
]
PEKERJAAN = [
    ("pns", "PNS/TNI/Polri"),
    ("swasta", "Pegawai swasta"),
    ("wiraswasta", "Wiraswasta"),
    ("pelajar", "Pelajar/mahasiswa"),
    ("petani", "Petani/nelayan"),
    ("lainnya", "Lainnya"),
]
