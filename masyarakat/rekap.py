"""The monthly IKM rollup (models.RekapIKM): every write of survey responses adds them to their
unit's month in the same transaction, a deletion takes them out, and `bangun` rebuilds it from
the responses (after data loaded outside the application; `manage.py rekap_ikm`)."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import TruncMonth

from .models import RekapIKM, ResponSurvei
from .referensi import KEYS
from .reports import ikm_totals


def tambah(respon: Iterable[ResponSurvei], *, sign: int = 1) -> None:
    """Add these saved responses to their months (sign=-1: take them out), in one statement."""
    totals: dict[tuple[int, object], dict] = defaultdict(lambda: dict.fromkeys(RekapIKM.KOLOM, 0))
    for r in respon:
        row = totals[(r.unit_layanan_id, r.tanggal.replace(day=1))]
        row["responden"] += sign
        for key in KEYS:
            value = getattr(r, key)
            if value is not None:
                row[f"{key}_sum"] += sign * value
                row[f"{key}_n"] += sign
    if sign < 0:
        # An UPDATE: the row an upsert proposes would break the counts' >= 0 checks first.
        for (unit, bulan), row in totals.items():
            RekapIKM.objects.filter(unit_layanan_id=unit, bulan=bulan).update(
                **{column: F(column) + change for column, change in row.items()}
            )
        return
    if not totals:
        return
    quote = connection.ops.quote_name
    table = quote(RekapIKM._meta.db_table)
    columns = ["unit_layanan_id", "bulan", *RekapIKM.KOLOM]
    one_row = f"({', '.join(['%s'] * len(columns))})"
    added = ", ".join(
        f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in RekapIKM.KOLOM
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
        f"VALUES {', '.join([one_row] * len(totals))} "
        f"ON CONFLICT (unit_layanan_id, bulan) DO UPDATE SET {added}"
    )  # noqa: S608 - identifiers from model metadata, values as parameters
    params = [v for (unit, bulan), row in totals.items() for v in (unit, bulan, *row.values())]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def bangun() -> int:
    """Replace the rollup with what the responses say; the number of unit-months written."""
    months = (
        ResponSurvei.objects.annotate(bulan=TruncMonth("tanggal"))
        .values("unit_layanan", "bulan")
        .annotate(**ikm_totals())
        .order_by()
    )
    rows = [
        RekapIKM(unit_layanan_id=m["unit_layanan"], bulan=m["bulan"],
                 **{c: m[c] or 0 for c in RekapIKM.KOLOM})
        for m in months
    ]  # fmt: skip
    RekapIKM.objects.all().delete()
    RekapIKM.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
