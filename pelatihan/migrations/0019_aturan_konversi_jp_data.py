from django.db import migrations
from django.db.models import OuterRef, Subquery

from pelatihan.referensi import aturan_konversi_ensure


def load(apps, schema_editor):
    aturan_konversi_ensure(apps.get_model("pelatihan", "AturanKonversiJP"))
    # Activities verified before the caps existed were credited what the ledger holds.
    KegiatanEksternal = apps.get_model("pelatihan", "KegiatanEksternal")
    CatatanJP = apps.get_model("pelatihan", "CatatanJP")
    KegiatanEksternal.objects.filter(status="diverifikasi").update(
        jp_dikreditkan=Subquery(CatatanJP.objects.filter(kegiatan=OuterRef("pk")).values("jp")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("pelatihan", "0018_nonklasikal")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
