"""An index for one pegawai's history, newest first (pegawai.reports.pegawai_history): by date
alone PostgreSQL walked every pegawai's changes backwards to find one's (15,000 rows skipped
for two found at 100,000 pegawai, more as history grows). django-simple-history builds the
historical model's Meta itself, so the index is created here rather than declared on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("pegawai", "0002_referensi_dan_indeks")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX riwayat_pegawai_terbaru ON pegawai_historicalpegawai "
            "(id, history_date DESC, history_id DESC)",
            "DROP INDEX riwayat_pegawai_terbaru",
        )
    ]
