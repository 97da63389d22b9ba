"""The work-climate survey against a database reader: on PostgreSQL, nothing in how the rows are
stored (transaction id, key order, storage order, a timestamp) pairs a participant with a sheet.

Each attack is first run against the design this replaced (both rows written in the answer's own
transaction, one after the other), where it must recover every pairing, so that the test can
fail; the same attack must not recover them from what services.iklim_answer writes."""

from datetime import date

import pytest
from django.db import connection, transaction

from evaluasi import services
from evaluasi.models import PartisipasiIklim, PutaranIklim, ResponIklim
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 10  # a random order matches the true one by chance once in 10! (3.6 million)


@pytest.fixture(autouse=True)
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("xmin and ctid are PostgreSQL's")
    from pegawai.models import Golongan
    from pegawai.referensi import golongan_ensure

    golongan_ensure(Golongan)  # each test of this module starts from an emptied database


def answer_as_before(putaran, pegawai, jawaban, teks):
    with transaction.atomic():
        PartisipasiIklim.objects.create(putaran=putaran, pegawai=pegawai)
        ResponIklim.objects.create(putaran=putaran, unit_id=pegawai.unit_id, teks=teks, **jawaban)


def rows(sql: str, *params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or None)
        return cursor.fetchall()


def in_order(order_by: str, putaran) -> list[tuple[int, str]]:
    """Participants and sheets zipped in the same kind of order."""
    people = rows(
        "SELECT pegawai_id FROM evaluasi_partisipasiiklim WHERE putaran_id = %s "
        f"ORDER BY {order_by}",
        putaran.pk,
    )
    sheets = rows(
        f"SELECT teks FROM evaluasi_responiklim WHERE putaran_id = %s ORDER BY {order_by}",
        putaran.pk,
    )
    return [(person, sheet) for (person,), (sheet,) in zip(people, sheets, strict=True)]


def attacks(putaran) -> dict[str, list[tuple[int, str]]]:
    return {
        "same xmin": rows(
            "SELECT p.pegawai_id, r.teks FROM evaluasi_partisipasiiklim p "
            "JOIN evaluasi_responiklim r ON r.xmin = p.xmin AND r.putaran_id = p.putaran_id "
            "WHERE p.putaran_id = %s",
            putaran.pk,
        ),
        "xmin order": in_order("xmin::text::bigint", putaran),
        "id order": in_order("id", putaran),
        "storage order": in_order("ctid", putaran),
    }


def recovered(pairs: list[tuple[int, str]], truth: dict[int, str]) -> set[int]:
    """The participants an attack names exactly one sheet for, and that sheet is theirs."""
    named: dict[int, set[str]] = {}
    for person, sheet in pairs:
        named.setdefault(person, set()).add(sheet)
    return {person for person, sheets in named.items() if sheets == {truth[person]}}


def round_of(cast, nama: str) -> PutaranIklim:
    putaran = PutaranIklim.objects.create(
        nama=nama,
        tanggal_mulai=date(2026, 7, 1),
        tanggal_selesai=date(2026, 12, 31),
        dibuka_oleh=cast.pengelola,
    )
    putaran.units.set([cast.dinkes])
    return putaran


def test_no_join_on_how_rows_are_stored_pairs_a_name_with_answers(cast):
    people = [factories.pegawai(cast.yankes) for _ in range(PEOPLE)]
    truth = {person.pk: f"Jawaban orang ke-{n}" for n, person in enumerate(people)}
    scores = {f"p{n}": 4 for n in range(1, 13)}
    before, now = round_of(cast, "Cara lama"), round_of(cast, "Cara sekarang")
    for person in people:
        answer_as_before(before, person, scores, truth[person.pk])
        services.iklim_answer(putaran=now, pegawai=person, jawaban=scores, teks=truth[person.pk])

    # Neither table has a time to join on (a created_at would pair them as xmin order does).
    timed = rows(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN "
        "('evaluasi_partisipasiiklim', 'evaluasi_responiklim') AND data_type LIKE ANY "
        "(ARRAY['date', 'timestamp%', 'time%'])"
    )
    assert timed == []
    old = attacks(before)
    for name in ["same xmin", "xmin order", "storage order"]:
        assert recovered(old[name], truth) == set(truth), f"{name} should pair the old design"
    # The old design already keyed sheets at random: key order paired nothing even then (it
    # would with the serial key participations have: the "id order" attack on two such tables
    # is the "xmin order" one above).
    assert recovered(old["id order"], truth) != set(truth)
    found = attacks(now)
    assert recovered(found["same xmin"], truth) == set()
    for name in ["xmin order", "id order", "storage order"]:
        assert recovered(found[name], truth) != set(truth), name
    assert sorted(ResponIklim.objects.filter(putaran=now).values_list("teks", flat=True)) == sorted(
        truth.values()
    )
