from django.db import migrations, models
from django.db.models import F


def lease_for_stuck_jobs(apps, schema_editor):
    """Imports left checking or saving by a worker that died before this migration never moved
    again; with the claim's time taken from their last change, the sweep takes them over."""
    ImporPegawai = apps.get_model("pegawai", "ImporPegawai")
    ImporPegawai.objects.filter(status__in=["diperiksa", "disimpan"]).update(
        diproses_at=F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pegawai", "0007_nama_berkas_acak"),
    ]

    operations = [
        migrations.AddField(
            model_name="imporpegawai",
            name="diproses_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="diklaim pekerja"),
        ),
        migrations.AddField(
            model_name="imporpegawai",
            name="klaim",
            field=models.CharField(
                blank=True, editable=False, max_length=32, verbose_name="token klaim pekerja"
            ),
        ),
        migrations.RunPython(lease_for_stuck_jobs, migrations.RunPython.noop),
    ]
