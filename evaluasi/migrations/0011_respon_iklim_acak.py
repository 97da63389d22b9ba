import secrets
import uuid

from django.db import migrations, models


def rewrite_sheets(apps, schema_editor):
    """Sheets written before were stored in the order people answered, each in the transaction
    of its participation: write them all again in one random order with new keys, so that they
    share this migration's transaction id instead."""
    ResponIklim = apps.get_model("evaluasi", "ResponIklim")
    sheets = list(ResponIklim.objects.all())
    ResponIklim.objects.all().delete()
    for sheet in sheets:
        sheet.pk = uuid.uuid4()
    secrets.SystemRandom().shuffle(sheets)
    ResponIklim.objects.bulk_create(sheets, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluasi", "0010_nama_berkas_acak"),
        ("pegawai", "0005_daftar_dari_indeks"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="responiklim",
            index=models.Index(fields=["putaran", "unit"], name="respon_iklim_putaran_unit"),
        ),
        migrations.RunPython(rewrite_sheets, migrations.RunPython.noop),
    ]
