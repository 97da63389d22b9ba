"""Reference golongan, and the search indexes that only PostgreSQL has.

The trigram index serves `nama__icontains`, which Django writes as UPPER(nama) LIKE UPPER('%x%');
without it a name search scans the whole table (performance.md). SQLite, the laptop default, has
no pg_trgm and simply skips it.
"""

from django.db import migrations

from pegawai.referensi import golongan_ensure

def add_golongan(apps, schema_editor):
    golongan_ensure(apps.get_model("pegawai", "Golongan"))


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
