"""Reference golongan (domain.md §1): data, not code, shared by the migration that loads it and by
tests that empty the tables. Takes the model class, so a migration can pass its historical one."""

GOLONGAN_PNS = [
    (11, "I/a", "Juru Muda"),
    (12, "I/b", "Juru Muda Tingkat I"),
    (13, "I/c", "Juru"),
    (14, "I/d", "Juru Tingkat I"),
    (21, "II/a", "Pengatur Muda"),
    (22, "II/b", "Pengatur Muda Tingkat I"),
    (23, "II/c", "Pengatur"),
    (24, "II/d", "Pengatur Tingkat I"),
    (31, "III/a", "Penata Muda"),
    (32, "III/b", "Penata Muda Tingkat I"),
    (33, "III/c", "Penata"),
    (34, "III/d", "Penata Tingkat I"),
    (41, "IV/a", "Pembina"),
    (42, "IV/b", "Pembina Tingkat I"),
    (43, "IV/c", "Pembina Utama Muda"),
    (44, "IV/d", "Pembina Utama Madya"),
    (45, "IV/e", "Pembina Utama"),
]
# PPPK grades I–XVII; SIBINA codes them 101–117.
GOLONGAN_PPPK = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
]


def _golongan():
    """Every golongan as (kode, jenis, ruang, pangkat): the PNS ranks, then the PPPK grades."""
    for kode, ruang, pangkat in GOLONGAN_PNS:
        yield kode, "pns", ruang, pangkat
    for grade, ruang in enumerate(GOLONGAN_PPPK, start=1):
        yield 100 + grade, "pppk", ruang, ""


def golongan_ruang() -> dict[int, str]:
    """Each golongan's ruang by code, without a query."""
    return {kode: ruang for kode, _, ruang, _ in _golongan()}


def golongan_singkat() -> dict[int, str]:
    """Each golongan's short name by code, as a list's column and a filter show it: "III/a",
    "PPPK IX" (a bare "IX" reads as a PNS golongan)."""
    return {
        kode: ruang if jenis == "pns" else f"PPPK {ruang}" for kode, jenis, ruang, _ in _golongan()
    }


def golongan_label(ruang: str, pangkat: str) -> str:
    """How a golongan is named: "III/a – Penata Muda"; a PPPK grade, "Golongan IX"."""
    return f"{ruang} – {pangkat}" if pangkat else f"Golongan {ruang}"


def golongan_labels() -> dict[int, str]:
    """Each golongan's name by code, without a query."""
    return {kode: golongan_label(ruang, pangkat) for kode, _, ruang, pangkat in _golongan()}


def golongan_ensure(Golongan) -> None:  # noqa: N803 - a model class, as migrations pass it
    for kode, jenis, ruang, pangkat in _golongan():
        Golongan.objects.update_or_create(
            kode=kode, defaults={"jenis": jenis, "ruang": ruang, "pangkat": pangkat}
        )


def golongan_choices() -> list[tuple[int, str]]:
    """Choices for a golongan select, without a query: the rows are the regulation's."""
    pns = [(kode, golongan_label(ruang, pangkat)) for kode, ruang, pangkat in GOLONGAN_PNS]
    singkat = golongan_singkat()
    pppk = [(kode, singkat[kode]) for kode, jenis, _, _ in _golongan() if jenis == "pppk"]
    return [("PNS", pns), ("PPPK", pppk)]


# Disciplinary sanctions by level, PP 94/2021 on PNS discipline, Pasal 8: ringan (ayat 2),
# sedang (ayat 3), berat (ayat 4); checked against the article's text as gempita.co quotes it.
# A record's sanction must belong to its level (CatatanDisiplin.clean).
HUKUMAN_DISIPLIN = {
    "ringan": [
        ("teguran_lisan", "Teguran lisan"),
        ("teguran_tertulis", "Teguran tertulis"),
        ("pernyataan_tidak_puas", "Pernyataan tidak puas secara tertulis"),
    ],
    "sedang": [
        ("potong_tukin_6", "Pemotongan tunjangan kinerja 25% selama 6 bulan"),
        ("potong_tukin_9", "Pemotongan tunjangan kinerja 25% selama 9 bulan"),
        ("potong_tukin_12", "Pemotongan tunjangan kinerja 25% selama 12 bulan"),
    ],
    "berat": [
        ("penurunan_jabatan", "Penurunan jabatan setingkat lebih rendah selama 12 bulan"),
        ("pembebasan_jabatan", "Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"),
        ("pemberhentian", "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS"),
    ],
}
