"""Fill the monthly IKM rollup from the responses already stored (what rekap.bangun does, with
the models as they are at this migration)."""

from django.db import migrations
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

KEYS = [f"u{n}" for n in range(1, 10)]


def fill(apps, schema_editor):
    ResponSurvei = apps.get_model("masyarakat", "ResponSurvei")
    RekapIKM = apps.get_model("masyarakat", "RekapIKM")
    totals = {
        "responden": Count("pk"),
        **{f"{k}_sum": Sum(k) for k in KEYS},
        **{f"{k}_n": Count(k) for k in KEYS},
    }
    months = (
        ResponSurvei.objects.annotate(bulan=TruncMonth("tanggal"))
        .values("unit_layanan", "bulan")
        .annotate(**totals)
        .order_by()
    )
    RekapIKM.objects.bulk_create(
        (
            RekapIKM(unit_layanan_id=m["unit_layanan"], bulan=m["bulan"],
                     **{c: m[c] or 0 for c in totals})
            for m in months
        ),
        batch_size=2000,
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("masyarakat", "0006_rekap_ikm")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
