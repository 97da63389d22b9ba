from django.core.exceptions import ValidationError
from django.db import migrations, models

from masyarakat.kontak import kontak_normal


def normalise_contacts(apps, schema_editor):
    """Contacts as the form now stores them; of one contact's active registrations in a forum the
    first stays and the later ones are cancelled, so that the constraint can hold."""
    PendaftaranForum = apps.get_model("masyarakat", "PendaftaranForum")
    seen = set()
    for row in PendaftaranForum.objects.order_by("created_at", "pk"):
        try:
            kontak = kontak_normal(row.kontak)
        except ValidationError:
            kontak = row.kontak.strip()  # typed before the check: kept as it was
        status = row.status
        if status != "dibatalkan":
            if (row.forum_id, kontak) in seen:
                status = "dibatalkan"
            seen.add((row.forum_id, kontak))
        if (kontak, status) != (row.kontak, row.status):
            PendaftaranForum.objects.filter(pk=row.pk).update(kontak=kontak, status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("masyarakat", "0011_petugas_layanan"),
    ]

    operations = [
        migrations.RunPython(normalise_contacts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="pendaftaranforum",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "dibatalkan"), _negated=True),
                fields=("forum", "kontak"),
                name="pendaftar_forum_kontak_sekali",
            ),
        ),
    ]
