"""The provincial benchmark's arithmetic: each page against the floor measured beside it."""

from itertools import count

from bench.provinsi import beside_floors


def timings(start: float, step: float):
    """A measurement whose median grows by `step` at each call: a machine that drifts."""
    p50 = count(start, step)

    def measure():
        value = next(p50)
        return {"rps": 1000 / value, "p50": value, "p95": value * 2}

    return measure


def test_each_page_is_set_against_the_two_floors_beside_it():
    floors = {"anonymous": timings(10, 1), "signed in": timings(20, 10)}
    pages = [
        ("list", lambda: {"rps": 1, "p50": 100, "p95": 200}, "signed in"),
        ("form", lambda: {"rps": 1, "p50": 15, "p95": 30}, "anonymous"),
        ("page", lambda: {"rps": 1, "p50": 140, "p95": 280}, "signed in"),
    ]
    means, rows = beside_floors(pages, floors)
    beside = {row["label"]: (row["kind"], row["floor_p50"]) for row in rows}
    # anonymous floor 10, form, 11; signed-in floor 20, list, 30, page, 40
    assert beside == {
        "form": ("anonymous", 10.5),
        "list": ("signed in", 25),
        "page": ("signed in", 35),
    }
    assert means["signed in"]["p50"] == 30 and means["anonymous"]["p50"] == 10.5


def test_the_table_sets_each_page_against_its_goal_and_the_post_against_the_write_floor(
    monkeypatch,
):
    from bench import provinsi

    printed = []
    monkeypatch.setattr(provinsi, "publish", lambda name, report: printed.append(report))

    def row(label, p50, kind=None, floor_p50=None):
        return {"label": label, "rps": 1000 / p50, "p50": p50, "p95": 2 * p50, "queries": 2,
                "kind": kind, "floor_p50": floor_p50}  # fmt: skip

    rows = [
        row("floor: bare base.html", 10),
        row("floor, signed in: bare base.html", 25),
        row(provinsi.WRITE_FLOOR_LABEL, 20),
        row("pegawai list", 90, "signed in", 25),
        row("pegawai page", 110, "signed in", 25),
        row("public feedback form, POST", 70, "anonymous", 10),
    ]
    sizes = dict.fromkeys(["pegawai", "jp", "ratings", "laporan", "masukan", "survei"], 1)
    report = {"seconds": 3, "peak_mb": 1, "sql_floor": 1, "pdf_floor": 1}
    provinsi.write(rows, sizes, {"sql_floor_ms": 5}, report, {}, {}, seconds=10)
    table = printed[0]
    assert (
        "| pegawai list | 11.1 | 90.0 | 180.0 | 2 | 3.60× (signed in) | 9.00× | ≤ 4×: met |"
        in table
    )
    assert "| pegawai page |" in table and "4.40× (signed in) | 11.00× | ≤ 4×: not met |" in table
    assert "7.00× (anonymous) | 7.00× | ≤ 2×: not met |" in table
    assert "| 1.00× (write) | 2.00× |" in table
    assert (
        "The public POST (answered with a redirect to its tracking page, measured above) over "
        "the write floor (a durable commit, which no bare GET makes): 3.50×" in table
    )
    assert "1.50× (goal ≤ 2×)" in table
