"""Two requests for the last seat, in two real PostgreSQL transactions at once: one gets the seat,
the other the waitlist. Without the row lock both would count one free seat."""

import threading

import pytest
from django.db import connection, connections

from pelatihan import services
from pelatihan.models import Peserta
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    from pegawai.models import Golongan
    from pegawai.referensi import golongan_ensure

    golongan_ensure(Golongan)


def test_two_requests_for_the_last_seat_never_exceed_the_quota():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole-database writes)")
    unit = factories.unit("RACE")
    batch = factories.angkatan(kuota=1)
    racers = [factories.pegawai(unit) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def enrol(pegawai):
        try:
            barrier.wait(timeout=10)
            services.peserta_nominate(angkatan=batch, pegawai=pegawai)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(p,)) for p in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    statuses = sorted(batch.peserta.values_list("status", flat=True))
    assert statuses == sorted([Peserta.Status.TERDAFTAR, Peserta.Status.DAFTAR_TUNGGU])
