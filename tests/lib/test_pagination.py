import pytest

from pegawai.models import Golongan, User
from pembinaan.lib.pagination import capped_count, decode_cursor, encode_cursor, keyset_paginate


def test_a_cursor_round_trips():
    assert decode_cursor(encode_cursor(["Siti", 42]), 2) == ["Siti", 42]


def test_a_tampered_or_foreign_cursor_is_ignored():
    assert decode_cursor("%%%", 2) is None
    assert decode_cursor(encode_cursor(["a"]), 2) is None
    assert decode_cursor(encode_cursor([{"x": 1}, 2]), 2) is None
    assert decode_cursor(encode_cursor([True, 2]), 2) is None


def test_keyset_pages_walk_forward_and_back(db):
    rows = Golongan.objects.all()  # 34 reference rows, ordered here by ruang then pk
    first = keyset_paginate(rows, key="ruang", per_page=10)
    assert not first.has_previous and first.has_next
    second = keyset_paginate(rows, key="ruang", after=first.next_cursor, per_page=10)
    back = keyset_paginate(rows, key="ruang", before=second.previous_cursor, per_page=10)
    assert [g.pk for g in back] == [g.pk for g in first]
    assert not back.has_previous
    everything = []
    page = first
    while True:
        everything += [g.pk for g in page]
        if not page.has_next:
            break
        page = keyset_paginate(rows, key="ruang", after=page.next_cursor, per_page=10)
    assert everything == list(rows.order_by("ruang", "pk").values_list("pk", flat=True))


def test_capped_count_stops_at_the_cap(db):
    assert capped_count(Golongan.objects.all(), cap=10) == (10, True)
    assert capped_count(Golongan.objects.filter(jenis="pns"), cap=100) == (17, False)


def test_keyset_pages_of_plain_rows_walk_like_pages_of_instances(db):
    rows = Golongan.objects.values("pk", "ruang")
    first = keyset_paginate(rows, key="ruang", per_page=10)
    second = keyset_paginate(rows, key="ruang", after=first.next_cursor, per_page=10)
    instances = keyset_paginate(Golongan.objects.all(), key="ruang", after=first.next_cursor)
    assert [row["pk"] for row in second] == [g.pk for g in instances][:10]
    back = keyset_paginate(rows, key="ruang", before=second.previous_cursor, per_page=10)
    assert back.object_list == first.object_list


@pytest.mark.parametrize(
    "values",
    [["III", "x"], ["III", 10**30], ["III", -1], ["a\x00b", 1], [10**30, 1]],
)
def test_a_cursor_the_database_cannot_compare_gives_the_first_page(db, values):
    rows = Golongan.objects.all()
    first = keyset_paginate(rows, key="ruang", per_page=10)
    token = encode_cursor(values)
    after = keyset_paginate(rows, key="ruang", after=token, per_page=10)
    before = keyset_paginate(rows, key="ruang", before=token, per_page=10)
    assert [g.pk for g in after] == [g.pk for g in before] == [g.pk for g in first]


def test_a_cursor_whose_date_is_no_date_gives_the_first_page(db, cast):
    rows = User.objects.all()
    first = keyset_paginate(rows, key="date_joined", per_page=3)
    page = keyset_paginate(rows, key="date_joined", after=encode_cursor(["kemarin", 1]))
    assert [u.pk for u in page][:3] == [u.pk for u in first]
