"""Reference golongan, and the search indexes that only PostgreSQL has.

The trigram index serves `nama__icontains`, which Django writes as UPPER(nama) LIKE UPPER('%x%');
without it a name search scans the whole table (performance.md). SQLite, the laptop default, has
no pg_trgm and simply skips it.
"""

from django.db import migrations

GOLONGAN_PNS = [
    (11, "I/a", "Juru Muda"), (12, "I/b", "Juru Muda Tingkat I"), (13, "I/c", "Juru"),
    (14, "I/d", "Juru Tingkat I"), (21, "II/a", "Pengatur Muda"),
    (22, "II/b", "Pengatur Muda Tingkat I"), (23, "II/c", "Pengatur"),
    (24, "II/d", "Pengatur Tingkat I"), (31, "III/a", "Penata Muda"),
    (32, "III/b", "Penata Muda Tingkat I"), (33, "III/c", "Penata"),
    (34, "III/d", "Penata Tingkat I"), (41, "IV/a", "Pembina"), (42, "IV/b", "Pembina Tingkat I"),
    (43, "IV/c", "Pembina Utama Muda"), (44, "IV/d", "Pembina Utama Madya"),
    (45, "IV/e", "Pembina Utama"),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
         "XV", "XVI", "XVII"]


def add_golongan(apps, schema_editor):
    Golongan = apps.get_model("pegawai", "Golongan")
    for kode, ruang, pangkat in GOLONGAN_PNS:
        Golongan.objects.update_or_create(
            kode=kode, defaults={"jenis": "pns", "ruang": ruang, "pangkat": pangkat}
        )
    for grade, ruang in enumerate(ROMAN, start=1):
        Golongan.objects.update_or_create(
            kode=100 + grade, defaults={"jenis": "pppk", "ruang": ruang, "pangkat": ""}
        )


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS pegawai_nama_trgm ON pegawai_pegawai "
        "USING gin (UPPER(nama::text) gin_trgm_ops)"
    )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS pegawai_nama_trgm")


class Migration(migrations.Migration):
    dependencies = [("pegawai", "0001_initial")]

    operations = [
        migrations.RunPython(add_golongan, migrations.RunPython.noop),
        migrations.RunPython(add_search_indexes, drop_search_indexes),
    ]
