from django.conf import settings
from django.db import migrations, models

SUBJECT = {"pegawai": "pegawai_id", "angkatan": "angkatan_id", "unit": "periode_unit_id"}
IN_PROGRESS = ["menunggu", "diproses"]


def one_in_progress_per_subject(apps, schema_editor):
    """Requests made twice before the constraint below (a double click): the first is made, the
    others end failed, saying so."""
    BerkasLaporan = apps.get_model("evaluasi", "BerkasLaporan")
    seen = set()
    for berkas in BerkasLaporan.objects.filter(status__in=IN_PROGRESS).order_by("pk"):
        key = (berkas.jenis, berkas.diminta_oleh_id, getattr(berkas, SUBJECT[berkas.jenis]))
        if key in seen:
            berkas.status = "gagal"
            berkas.pesan_gagal = "Permintaan ganda: berkas dibuat dari permintaan yang pertama."
            berkas.save(update_fields=["status", "pesan_gagal"])
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluasi", "0011_respon_iklim_acak"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="berkaslaporan",
            name="klaim",
            field=models.CharField(
                blank=True, editable=False, max_length=32, verbose_name="token klaim pekerja"
            ),
        ),
        migrations.RunPython(one_in_progress_per_subject, migrations.RunPython.noop),
        *(
            migrations.AddConstraint(
                model_name="berkaslaporan",
                constraint=models.UniqueConstraint(
                    condition=models.Q(("jenis", jenis), ("status__in", IN_PROGRESS)),
                    fields=("diminta_oleh", subject),
                    name=f"berkas_{jenis}_sekali_dibuat",
                ),
            )
            for jenis, subject in [
                ("pegawai", "pegawai"), ("angkatan", "angkatan"), ("unit", "periode_unit")
            ]
        ),
    ]
