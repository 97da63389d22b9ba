"""The task inbox at provincial scale (issue 19): what the top-bar count costs every page, and
what /tugas/ costs, for each demo login.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sibina_bench .venv/bin/python bench/tugas.py

On the `<name>_100k` database of bench/provinsi.py (run that first for its fillers: 200,000
self-reports and 200,000 feedback items, the bench's share of them waiting). In process, as the
view calls it: `jumlah_tugas` (the one UNION ALL count of the top bar) and `daftar_tugas` (the
inbox), the median of repeated runs with a fresh login each time (its roles read anew, as each
request does), and the queries of each. Writes its table to bench/out/.
"""

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import provincial_database, publish, run_module, step_in  # noqa: E402

LOGINS = ["admin", "provinsi", "pengelola", "pengelola_rsud", "atasan", "pegawai"]


def measure() -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pegawai.models import User
    from pembinaan import tugas

    today = timezone.localdate()

    def timed(call, username: str, runs: int) -> tuple[float, int, object]:
        times = []
        for _ in range(runs):
            user = User.objects.get(username=username)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = call(user, today)
                times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), len(queries), result

    rows = []
    for username in LOGINS:
        if not User.objects.filter(username=username).exists():
            continue
        timed(tugas.daftar_tugas, username, 1)  # warm the caches of the plans and the pages
        count_ms, count_queries, count = timed(tugas.jumlah_tugas, username, 21)
        list_ms, list_queries, groups = timed(tugas.daftar_tugas, username, 7)
        rows.append({
            "login": username, "count": count, "count_ms": count_ms,
            "count_queries": count_queries, "kinds": len(groups), "list_ms": list_ms,
            "list_queries": list_queries,
        })  # fmt: skip
    return rows


def main() -> None:
    url = provincial_database()
    rows = step_in(url, "bench.tugas", "measure")
    print(json.dumps(rows), flush=True)
    lines = [
        "SIBINA task inbox at 100,000 pegawai (in process, median, a fresh login per run)",
        "",
        "| login | waiting (counted) | top-bar count ms | its queries | kinds listed "
        "| /tugas/ list ms | its queries |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['login']} | {r['count']:,} | {r['count_ms']:.1f} | {r['count_queries']} "
            f"| {r['kinds']} | {r['list_ms']:.1f} | {r['list_queries']} |"
        )
    publish("tugas", "\n".join(lines))


if __name__ == "__main__":
    run_module(globals(), main)
