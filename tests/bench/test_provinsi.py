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
