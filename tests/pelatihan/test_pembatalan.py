"""Enrolment around a batch's life: HR cancel a participant with a reason and the first on the
waitlist moves up (and is told); a running or ended batch offers no enrolment form; a batch that
ends closes its waitlist with a status."""

from datetime import date

import pytest
from django.urls import reverse

from pegawai.models import Notifikasi
from pelatihan import services
from pelatihan.models import Peserta
from tests import factories

S = Peserta.Status


@pytest.fixture
def full(cast):
    """A batch of two seats: the pegawai and a colleague seated, two more waiting."""
    batch = factories.angkatan(kuota=2)
    people = [cast.pegawai_pegawai] + [
        factories.pegawai(cast.yankes, user=factories.user(f"tunggu{i}")) for i in range(3)
    ]
    rows = [services.peserta_nominate(angkatan=batch, pegawai=p) for p in people]
    assert [r.status for r in rows] == [S.TERDAFTAR, S.TERDAFTAR, S.DAFTAR_TUNGGU, S.DAFTAR_TUNGGU]
    return batch, rows


def status(peserta) -> str:
    return Peserta.objects.get(pk=peserta.pk).status


def test_hr_cancels_a_participant_with_a_reason_and_the_first_waiting_moves_up(login, cast, full):
    batch, (seated, _, first, second) = full
    Notifikasi.objects.all().delete()
    page = login(cast.pengelola).get(batch.get_absolute_url()).content.decode()
    assert reverse("pelatihan:peserta_cancel", args=[seated.pk]) in page
    response = login(cast.pengelola).post(
        reverse("pelatihan:peserta_cancel", args=[seated.pk]), {"alasan": "Tugas ke luar daerah"}
    )
    assert response.status_code == 302
    seated.refresh_from_db()
    assert (seated.status, seated.alasan) == (S.DIBATALKAN, "Tugas ke luar daerah")
    assert (status(first), status(second)) == (S.TERDAFTAR, S.DAFTAR_TUNGGU)
    # The cancelled pegawai learns why; the one moved up learns they have a seat.
    told = Notifikasi.objects.get(penerima=cast.pegawai)
    assert "Tugas ke luar daerah" in told.pesan
    moved = Notifikasi.objects.get(penerima=first.pegawai.user)
    assert moved.judul.startswith("Terdaftar dari daftar tunggu")
    assert f"Angkatan mulai {batch.tanggal_mulai.day} Maret" in moved.pesan  # 2 Maret 2026
    assert not Notifikasi.objects.filter(penerima=second.pegawai.user).exists()


def test_a_reason_over_1000_characters_is_refused_not_cut(login, cast, full):
    batch, (seated, _, first, _) = full
    response = login(cast.pengelola).post(
        reverse("pelatihan:peserta_cancel", args=[seated.pk]), {"alasan": "x" * 1001}, follow=True
    )
    assert "paling banyak 1.000 karakter" in response.content.decode()
    assert (status(seated), status(first)) == (S.TERDAFTAR, S.DAFTAR_TUNGGU)


def test_hr_must_give_a_reason_to_cancel(login, cast, full):
    batch, (seated, _, first, _) = full
    login(cast.pengelola).post(
        reverse("pelatihan:peserta_cancel", args=[seated.pk]), {"alasan": ""}
    )
    assert (status(seated), status(first)) == (S.TERDAFTAR, S.DAFTAR_TUNGGU)


def test_the_pegawai_still_withdraws_without_a_reason(login, cast, full):
    batch, (seated, _, first, _) = full
    login(cast.pegawai).post(reverse("pelatihan:peserta_cancel", args=[seated.pk]))
    assert (status(seated), status(first)) == (S.DIBATALKAN, S.TERDAFTAR)


def test_a_larger_quota_tells_those_who_move_up(cast, full):
    batch, (_, _, first, second) = full
    batch.kuota = 4
    services.angkatan_save(angkatan=batch)
    assert (status(first), status(second)) == (S.TERDAFTAR, S.TERDAFTAR)
    assert Notifikasi.objects.filter(judul__startswith="Terdaftar dari daftar tunggu").count() == 2


@pytest.mark.parametrize("ended", ["selesai", "dibatalkan"])
def test_a_batch_that_ends_closes_its_waitlist_with_a_status(cast, full, ended):
    batch, (seated, _, first, second) = full
    batch.status = "berjalan"
    services.angkatan_save(angkatan=batch)
    assert status(first) == S.DAFTAR_TUNGGU  # a running batch may still take someone up
    batch.status = ended
    services.angkatan_save(angkatan=batch)
    assert (status(first), status(second)) == (S.TUNGGU_DITUTUP, S.TUNGGU_DITUTUP)
    assert status(seated) == S.TERDAFTAR
    told = Notifikasi.objects.filter(judul__startswith="Daftar tunggu ditutup")
    assert {n.penerima for n in told} == {first.pegawai.user, second.pegawai.user}
    page_status = Peserta.objects.get(pk=first.pk).get_status_display()
    assert page_status.startswith("Daftar tunggu ditutup")


def test_a_closed_waitlist_frees_the_pegawais_calendar(cast, full):
    batch, (_, _, first, _) = full
    batch.status = "selesai"
    services.angkatan_save(angkatan=batch)
    overlapping = factories.angkatan(
        kuota=5, mulai=batch.tanggal_mulai, selesai=batch.tanggal_selesai
    )
    joined = services.peserta_nominate(angkatan=overlapping, pegawai=first.pegawai)
    assert joined.status == S.TERDAFTAR


@pytest.mark.parametrize("running", ["berjalan", "selesai", "dibatalkan"])
def test_a_running_or_ended_batch_offers_no_enrolment_form(login, cast, running):
    batch = factories.angkatan(kuota=5, status=running)
    for user in (cast.pengelola, cast.outsider):
        page = login(user).get(batch.get_absolute_url()).content.decode()
        assert reverse("pelatihan:angkatan_nominate", args=[batch.pk]) not in page
        assert reverse("pelatihan:angkatan_request", args=[batch.pk]) not in page


def test_an_open_batch_offers_both_forms(login, cast):
    batch = factories.angkatan(kuota=5, mulai=date(2027, 2, 1), selesai=date(2027, 2, 5))
    page = login(cast.pengelola).get(batch.get_absolute_url()).content.decode()
    assert reverse("pelatihan:angkatan_nominate", args=[batch.pk]) in page
    page = login(cast.outsider).get(batch.get_absolute_url()).content.decode()
    assert reverse("pelatihan:angkatan_request", args=[batch.pk]) in page
