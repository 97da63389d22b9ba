"""The pegawai list read from an index alone: its order (nama, id) with the columns it shows and
filters on (PostgreSQL's INCLUDE; SQLite keeps the key columns). Built before the old index
on the same keys goes, so that the list always has one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pegawai", "0004_pegawai_aktif_unit"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="pegawai",
            index=models.Index(
                fields=["nama", "id"],
                include=(
                    "aktif",
                    "unit",
                    "nip",
                    "gelar_depan",
                    "gelar_belakang",
                    "status_kepegawaian",
                    "golongan",
                    "jabatan",
                ),
                name="pegawai_daftar",
            ),
        ),
        migrations.RemoveIndex(
            model_name="pegawai",
            name="pegawai_nama_id",
        ),
    ]
