"""The JP ledger (pelatihan_catatanjp) at 1 and 10 million entries: does it need partitioning
by year? Runs on the databases of bench/nasional.py (`<name>_100k` and `<name>_1m`, seeded by
`make bench BENCH_ARGS="--pegawai 1000000"`) and prints, for each, the ledger's size, the plans
and timings of its hot queries (EXPLAIN (ANALYZE, BUFFERS)), the cost of its maintenance (VACUUM,
ANALYZE) and of removing a year's entries (a DELETE rolled back: what dropping a partition would
save). Writes bench/out/ledger-*.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench .venv/bin/python bench/ledger.py
"""

import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import publish, run_module, step_in  # noqa: E402


def explain(cursor, sql: str, params=()) -> tuple[float, str]:
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    ms = float(plan.rsplit("Execution Time: ", 1)[1].split(" ms")[0])
    return ms, plan


def measure() -> dict:
    """Inside Django: the ledger's hot queries as the application makes them, explained."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pegawai.models import Pegawai, UnitKerja
    from pelatihan.models import CatatanJP
    from pelatihan.reports import kepatuhan_jp, with_jp

    dinkes = UnitKerja.objects.get(kode="DINKES")
    pegawai = Pegawai.objects.get(user__username="pegawai")
    queries = {}
    with CaptureQueriesContext(connection) as captured:
        kepatuhan_jp(Pegawai.objects.all(), 2026)
    queries["20 JP compliance, province"] = captured.captured_queries[-1]["sql"]
    with CaptureQueriesContext(connection) as captured:
        kepatuhan_jp(Pegawai.objects.di_unit(dinkes), 2026)
    queries["20 JP compliance, one OPD (Dinkes)"] = captured.captured_queries[-1]["sql"]
    page = with_jp(Pegawai.objects.di_unit(dinkes), 2026).order_by("nama", "pk")[:50]
    queries["a page of 50 pegawai with their JP (with_jp)"] = str(page.query)
    ledger = CatatanJP.objects.filter(pegawai=pegawai, tahun=2026)
    queries["one pegawai's ledger of the year"] = str(ledger.query)
    result = {"plans": {}}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_total_relation_size('pelatihan_catatanjp'), "
            "pg_relation_size('pelatihan_catatanjp'), "
            "pg_indexes_size('pelatihan_catatanjp') FROM pelatihan_catatanjp"
        )
        result["rows"], result["total_bytes"], result["heap_bytes"], result["index_bytes"] = (
            cursor.fetchone()
        )
        cursor.execute("SELECT tahun, count(*) FROM pelatihan_catatanjp GROUP BY 1 ORDER BY 1")
        result["per_year"] = cursor.fetchall()
        for label, sql in queries.items():
            explain(cursor, sql)  # warm
            ms, plan = explain(cursor, sql)
            result["plans"][label] = {"ms": ms, "plan": plan}
        started = time.monotonic()
        cursor.execute("ANALYZE pelatihan_catatanjp")
        result["analyze_s"] = time.monotonic() - started
        cursor.execute("BEGIN")
        started = time.monotonic()
        cursor.execute("DELETE FROM pelatihan_catatanjp WHERE tahun = 2024")
        result["delete_year_rows"] = cursor.rowcount
        result["delete_year_s"] = time.monotonic() - started
        cursor.execute("ROLLBACK")
    connection.close()
    with connection.cursor() as cursor:  # VACUUM cannot run in a transaction; autocommit here
        started = time.monotonic()
        cursor.execute("VACUUM pelatihan_catatanjp")
        result["vacuum_s"] = time.monotonic() - started
    return result


def main() -> None:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (its name is used as a prefix).")
    urls = {"100k": f"{base}_100k", "1m": f"{base}_1m"}
    results = {size: step_in(url, "bench.ledger", "measure") for size, url in urls.items()}
    lines = [f"# The JP ledger at 1 and 10 million entries ({datetime.now():%Y-%m-%d %H:%M})", ""]
    lines += ["| what | " + " | ".join(urls) + " |", "|---|---|---|"]

    def row(label, value):
        lines.append(f"| {label} | " + " | ".join(value(results[s]) for s in urls) + " |")

    mb = 1024 * 1024
    row("entries", lambda r: f"{r['rows']:,}")
    row("heap / indexes / total MB", lambda r: f"{r['heap_bytes'] / mb:.0f} / "
        f"{r['index_bytes'] / mb:.0f} / {r['total_bytes'] / mb:.0f}")  # fmt: skip
    for label in results["100k"]["plans"]:
        row(f"{label}, ms", lambda r, label=label: f"{r['plans'][label]['ms']:.1f}")
    row("VACUUM (after the fill's own), s", lambda r: f"{r['vacuum_s']:.1f}")
    row("ANALYZE, s", lambda r: f"{r['analyze_s']:.1f}")
    row("DELETE a year's entries (rolled back), s",
        lambda r: f"{r['delete_year_s']:.1f} ({r['delete_year_rows']:,} rows)")  # fmt: skip
    for size in urls:
        for label, found in results[size]["plans"].items():
            lines += ["", f"{label}, {size}:", "", "```", found["plan"], "```"]
    publish("ledger", "\n".join(lines))


if __name__ == "__main__":
    run_module(globals(), main)
