"""The official holiday lists SIBINA ships (pegawai.HariLibur): data, shared by the migration that
loads them and by tests that empty the tables. Takes the model class, so a migration can pass its
historical one. Administrators keep later years in SIBINA's own pages.

2026: SKB of the Ministers of Religious Affairs, Manpower and PANRB Nomor 1497 Tahun 2025,
Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 (signed 19 September 2025): 17 days of libur nasional and
8 of cuti bersama.

2027: its SKB was not available when this list was made. Shipped are only the holidays whose date
Keppres 8/2024 (Hari-Hari Libur) itself fixes; the rest (Islamic, Chinese, Hindu and Buddhist
holidays, Easter, and every cuti bersama) must be added from the SKB for 2027."""

from datetime import date

SKB_2026 = "SKB Menag, Menaker, MenPANRB Nomor 1497, 2, 5 Tahun 2025"
KEPPRES = "Keppres 8/2024 (tanggal tetap); SKB 2027 belum dimuat"

LIBUR, CUTI = "libur_nasional", "cuti_bersama"

HARI_LIBUR = [
    (date(2026, 1, 1), LIBUR, "Tahun Baru 2026 Masehi", SKB_2026),
    (date(2026, 1, 16), LIBUR, "Isra Mikraj Nabi Muhammad S.A.W.", SKB_2026),
    (date(2026, 2, 16), CUTI, "Tahun Baru Imlek 2577 Kongzili", SKB_2026),
    (date(2026, 2, 17), LIBUR, "Tahun Baru Imlek 2577 Kongzili", SKB_2026),
    (date(2026, 3, 18), CUTI, "Hari Suci Nyepi (Tahun Baru Saka 1948)", SKB_2026),
    (date(2026, 3, 19), LIBUR, "Hari Suci Nyepi (Tahun Baru Saka 1948)", SKB_2026),
    (date(2026, 3, 20), CUTI, "Idul Fitri 1447 Hijriah", SKB_2026),
    (date(2026, 3, 21), LIBUR, "Idul Fitri 1447 Hijriah", SKB_2026),
    (date(2026, 3, 22), LIBUR, "Idul Fitri 1447 Hijriah", SKB_2026),
    (date(2026, 3, 23), CUTI, "Idul Fitri 1447 Hijriah", SKB_2026),
    (date(2026, 3, 24), CUTI, "Idul Fitri 1447 Hijriah", SKB_2026),
    (date(2026, 4, 3), LIBUR, "Wafat Yesus Kristus", SKB_2026),
    (date(2026, 4, 5), LIBUR, "Kebangkitan Yesus Kristus (Paskah)", SKB_2026),
    (date(2026, 5, 1), LIBUR, "Hari Buruh Internasional", SKB_2026),
    (date(2026, 5, 14), LIBUR, "Kenaikan Yesus Kristus", SKB_2026),
    (date(2026, 5, 15), CUTI, "Kenaikan Yesus Kristus", SKB_2026),
    (date(2026, 5, 27), LIBUR, "Idul Adha 1447 Hijriah", SKB_2026),
    (date(2026, 5, 28), CUTI, "Idul Adha 1447 Hijriah", SKB_2026),
    (date(2026, 5, 31), LIBUR, "Hari Raya Waisak 2570 BE", SKB_2026),
    (date(2026, 6, 1), LIBUR, "Hari Lahir Pancasila", SKB_2026),
    (date(2026, 6, 16), LIBUR, "1 Muharam Tahun Baru Islam 1448 Hijriah", SKB_2026),
    (date(2026, 8, 17), LIBUR, "Proklamasi Kemerdekaan", SKB_2026),
    (date(2026, 8, 25), LIBUR, "Maulid Nabi Muhammad S.A.W.", SKB_2026),
    (date(2026, 12, 24), CUTI, "Kelahiran Yesus Kristus", SKB_2026),
    (date(2026, 12, 25), LIBUR, "Kelahiran Yesus Kristus", SKB_2026),
    (date(2027, 1, 1), LIBUR, "Tahun Baru 2027 Masehi", KEPPRES),
    (date(2027, 5, 1), LIBUR, "Hari Buruh Internasional", KEPPRES),
    (date(2027, 6, 1), LIBUR, "Hari Lahir Pancasila", KEPPRES),
    (date(2027, 8, 17), LIBUR, "Proklamasi Kemerdekaan", KEPPRES),
    (date(2027, 12, 25), LIBUR, "Kelahiran Yesus Kristus", KEPPRES),
]


def hari_libur_ensure(HariLibur) -> None:  # noqa: N803 - a model class, as migrations pass it
    """Add the shipped days that are missing; a day an administrator has changed stays theirs."""
    for tanggal, jenis, nama, dasar in HARI_LIBUR:
        HariLibur.objects.get_or_create(
            tanggal=tanggal, defaults={"jenis": jenis, "nama": nama, "dasar": dasar}
        )
