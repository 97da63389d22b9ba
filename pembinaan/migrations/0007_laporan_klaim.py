from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pembinaan", "0006_ringkasan_pppk"),
    ]

    operations = [
        migrations.AddField(
            model_name="laporanmonitoring",
            name="klaim",
            field=models.CharField(
                blank=True, editable=False, max_length=32, verbose_name="token klaim pekerja"
            ),
        ),
    ]
