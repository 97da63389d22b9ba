"""The competency dictionary, and the JP ledger's covering index (PostgreSQL only; SQLite, the
laptop default, has no INCLUDE and does without)."""

from django.db import migrations

from pelatihan.referensi import kompetensi_ensure


def add_kompetensi(apps, schema_editor):
    kompetensi_ensure(apps.get_model("pelatihan", "Kompetensi"),
                      apps.get_model("pelatihan", "KompetensiLevel"))


def add_ledger_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS catatan_jp_tahun_pegawai "
            "ON pelatihan_catatanjp (tahun, pegawai_id) INCLUDE (jp)"
        )


def drop_ledger_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catatan_jp_tahun_pegawai")


class Migration(migrations.Migration):
    dependencies = [("pelatihan", "0001_initial")]

    operations = [
        migrations.RunPython(add_kompetensi, migrations.RunPython.noop),
        migrations.RunPython(add_ledger_index, drop_ledger_index),
    ]
