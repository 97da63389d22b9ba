"""Enrolment: quota, waitlist, overlapping batches, the atasan's and HR's steps."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pelatihan import services
from pelatihan.models import Peserta
from tests import factories

S = Peserta.Status


@pytest.fixture
def batch(cast):
    return factories.angkatan(kuota=2)


def others(cast, n):
    return [factories.pegawai(cast.yankes) for _ in range(n)]


def test_hr_fills_the_quota_then_the_waitlist(cast, batch):
    a, b, c = others(cast, 3)
    statuses = [services.peserta_nominate(angkatan=batch, pegawai=p).status for p in (a, b, c)]
    assert statuses == [S.TERDAFTAR, S.TERDAFTAR, S.DAFTAR_TUNGGU]


def test_a_cancelled_seat_goes_to_the_first_on_the_waitlist(cast, batch):
    a, b, c, d = others(cast, 4)
    first = services.peserta_nominate(angkatan=batch, pegawai=a)
    services.peserta_nominate(angkatan=batch, pegawai=b)
    waiting_first = services.peserta_nominate(angkatan=batch, pegawai=c)
    waiting_second = services.peserta_nominate(angkatan=batch, pegawai=d)
    services.peserta_cancel(peserta=first, alasan="Tugas dinas luar")
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert (waiting_first.status, waiting_second.status) == (S.TERDAFTAR, S.DAFTAR_TUNGGU)


def test_a_larger_quota_moves_the_waitlist_up(cast, batch):
    for person in others(cast, 3):
        services.peserta_nominate(angkatan=batch, pegawai=person)
    batch.kuota = 3
    services.angkatan_save(angkatan=batch)
    assert batch.peserta.filter(status=S.TERDAFTAR).count() == 3


def test_a_pegawai_cannot_be_in_two_batches_whose_dates_overlap(cast, batch):
    person = cast.pegawai_pegawai
    services.peserta_nominate(angkatan=batch, pegawai=person)
    clash = factories.angkatan(mulai=date(2026, 3, 5), selesai=date(2026, 3, 10))
    with pytest.raises(ValidationError, match="bertumpang tindih"):
        services.peserta_nominate(angkatan=clash, pegawai=person)
    after = factories.angkatan(mulai=date(2026, 3, 7), selesai=date(2026, 3, 10))
    assert services.peserta_nominate(angkatan=after, pegawai=person).status == S.TERDAFTAR


def test_a_cancelled_participation_frees_the_calendar_and_may_be_renewed(cast, batch):
    person = cast.pegawai_pegawai
    peserta = services.peserta_nominate(angkatan=batch, pegawai=person)
    services.peserta_cancel(peserta=peserta, alasan="")
    again = services.peserta_nominate(angkatan=batch, pegawai=person)
    assert again.pk == peserta.pk and again.status == S.TERDAFTAR


def test_the_same_pegawai_twice_is_refused(cast, batch):
    services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    with pytest.raises(ValidationError, match="sudah ada di angkatan ini"):
        services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)


def test_a_request_goes_through_the_atasan_then_hr(cast, batch):
    peserta = services.peserta_request(angkatan=batch, pegawai=cast.pegawai_pegawai)
    assert peserta.status == S.DIAJUKAN
    with pytest.raises(ValidationError):
        services.peserta_confirm(peserta=peserta)  # HR cannot skip the atasan
    assert services.peserta_approve(peserta=peserta).status == S.DISETUJUI_ATASAN
    assert services.peserta_confirm(peserta=peserta).status == S.TERDAFTAR


def test_a_pegawai_without_atasan_goes_straight_to_hr(cast, batch):
    peserta = services.peserta_request(angkatan=batch, pegawai=cast.atasan_pegawai)
    assert peserta.status == S.DISETUJUI_ATASAN


def test_requests_need_an_open_batch(cast):
    planned = factories.angkatan(status="direncanakan")
    with pytest.raises(ValidationError, match="direncanakan"):
        services.peserta_request(angkatan=planned, pegawai=cast.pegawai_pegawai)
    assert services.peserta_nominate(angkatan=planned, pegawai=cast.pegawai_pegawai).pk


def test_a_rejection_needs_a_reason(cast, batch):
    peserta = services.peserta_request(angkatan=batch, pegawai=cast.pegawai_pegawai)
    with pytest.raises(ValidationError, match="alasan"):
        services.peserta_reject(peserta=peserta, alasan=" ")
    assert services.peserta_reject(peserta=peserta, alasan="Beban kerja").status == S.DITOLAK


def test_nominating_many_reports_who_was_skipped_and_why(cast, batch):
    a, b = others(cast, 2)
    services.peserta_nominate(angkatan=batch, pegawai=a)
    result = services.peserta_nominate_many(angkatan=batch, pegawai=[a, b, cast.pegawai_pegawai])
    assert [p.pk for p in result.terdaftar] == [b.pk]
    assert [p.pk for p in result.daftar_tunggu] == [cast.pegawai_pegawai.pk]
    assert result.dilewati[0][0] == a and "sudah ada" in result.dilewati[0][1]


def full(cast, batch) -> None:
    for person in others(cast, batch.kuota):
        services.peserta_nominate(angkatan=batch, pegawai=person)


def test_hr_confirming_an_approved_request_on_a_full_batch_puts_it_on_the_waitlist(cast, batch):
    request = services.peserta_request(angkatan=batch, pegawai=cast.pegawai_pegawai)
    services.peserta_approve(peserta=request)
    full(cast, batch)
    assert services.peserta_confirm(peserta=request).status == S.DAFTAR_TUNGGU
    assert batch.peserta.filter(status=S.TERDAFTAR).count() == batch.kuota


def test_hr_confirming_with_a_free_seat_gives_the_seat(cast, batch):
    request = services.peserta_request(angkatan=batch, pegawai=cast.pegawai_pegawai)
    services.peserta_approve(peserta=request)
    assert services.peserta_confirm(peserta=request).status == S.TERDAFTAR


def test_a_cancelled_seat_moves_up_no_more_than_the_free_seats(cast, batch):
    full(cast, batch)
    waiting = [services.peserta_nominate(angkatan=batch, pegawai=p) for p in others(cast, 3)]
    seated = batch.peserta.filter(status=S.TERDAFTAR).first()
    services.peserta_cancel(peserta=seated, alasan="Sakit")
    assert batch.peserta.filter(status=S.TERDAFTAR).count() == batch.kuota
    assert [Peserta.objects.get(pk=p.pk).status for p in waiting] == [
        S.TERDAFTAR, S.DAFTAR_TUNGGU, S.DAFTAR_TUNGGU
    ]  # fmt: skip


def test_a_cancelled_waitlist_place_gives_nobody_a_seat(cast, batch):
    full(cast, batch)
    first, second = (services.peserta_nominate(angkatan=batch, pegawai=p) for p in others(cast, 2))
    services.peserta_cancel(peserta=first, alasan="Mundur")
    assert Peserta.objects.get(pk=second.pk).status == S.DAFTAR_TUNGGU
    assert batch.peserta.filter(status=S.TERDAFTAR).count() == batch.kuota


def test_a_smaller_quota_seats_nobody_new(cast, batch):
    full(cast, batch)
    waiting = services.peserta_nominate(angkatan=batch, pegawai=others(cast, 1)[0])
    batch.kuota = 1
    services.angkatan_save(angkatan=batch)
    assert Peserta.objects.get(pk=waiting.pk).status == S.DAFTAR_TUNGGU


def test_a_batch_over_its_quota_puts_a_new_nominee_on_the_waitlist(cast, batch):
    # Two seats taken, then the quota lowered to one: the batch is over, not merely at, its quota.
    full(cast, batch)
    batch.kuota = 1
    services.angkatan_save(angkatan=batch)
    nominee = services.peserta_nominate(angkatan=batch, pegawai=others(cast, 1)[0])
    assert nominee.status == S.DAFTAR_TUNGGU
