from datetime import date, timedelta
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from evaluasi import services
from evaluasi.models import LaporanPascaPelatihan, Pengingat
from evaluasi.tasks import pengingat_laporan_task
from pembinaan.celery import app

DUE = date(2026, 6, 4)  # the fixture's report: the batch ended 06/03/2026, due 90 days later


@pytest.fixture(autouse=True)
def emails(cast):
    cast.pegawai_pegawai.email = "budi@jambiprov.go.id"
    cast.pegawai_pegawai.save()
    cast.atasan_pegawai.email = "siti@jambiprov.go.id"
    cast.atasan_pegawai.save()


def test_a_report_due_within_14_days_is_reminded_once(laporan):
    assert services.pengingat_kirim(today=DUE - timedelta(days=10)) == 1
    assert services.pengingat_kirim(today=DUE - timedelta(days=9)) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["budi@jambiprov.go.id"]
    assert (
        "jatuh tempo" in mail.outbox[0].subject
        and laporan.get_absolute_url() in mail.outbox[0].body
    )


def test_nothing_is_sent_earlier_than_14_days_before(laporan):
    assert services.pengingat_kirim(today=DUE - timedelta(days=20)) == 0


def test_an_overdue_report_is_reminded_weekly_not_daily(laporan):
    monday = date(2026, 6, 8)
    sent = [services.pengingat_kirim(today=monday + timedelta(days=d)) for d in range(14)]
    assert sum(sent) == 2  # one per ISO week
    assert all("terlambat" in m.subject for m in mail.outbox)


def test_a_submitted_report_stops_the_pegawais_reminders(cast, laporan):
    from tests.evaluasi.test_laporan import FILLED

    services.laporan_transition(laporan=laporan, action="ajukan", by=cast.pegawai, data=FILLED)
    assert services.pengingat_kirim(today=DUE + timedelta(days=1)) == 0


def test_the_atasan_is_reminded_once_a_submission_waits_a_week(cast, laporan):
    LaporanPascaPelatihan.objects.filter(pk=laporan.pk).update(
        status="diajukan", diajukan_at=timezone.now() - timedelta(days=8)
    )
    today = timezone.localdate()
    assert services.pengingat_kirim(today=today) == 1
    assert services.pengingat_kirim(today=today) == 0
    assert mail.outbox[0].to == ["siti@jambiprov.go.id"]
    assert Pengingat.objects.get().jenis == Pengingat.Jenis.ATASAN


def test_a_refused_mail_is_not_recorded_and_is_tried_again(laporan, monkeypatch):
    def refuse(*args, **kwargs):
        raise SMTPException("451 try again later")

    monkeypatch.setattr("evaluasi.services.send_mail", refuse)
    assert services.pengingat_kirim(today=DUE - timedelta(days=3)) == 0
    assert not Pengingat.objects.exists()
    monkeypatch.undo()
    assert services.pengingat_kirim(today=DUE - timedelta(days=2)) == 1


def test_a_pegawai_without_email_is_left_to_the_overdue_list(cast, laporan):
    cast.pegawai_pegawai.email = ""
    cast.pegawai_pegawai.save()
    assert services.pengingat_kirim(today=DUE - timedelta(days=3)) == 0


def test_the_daily_job_is_scheduled_and_runs(laporan):
    entry = settings.CELERY_BEAT_SCHEDULE["pengingat-laporan-pasca-pelatihan"]
    assert entry["task"] in app.tasks
    pengingat_laporan_task()  # syncs reports and sends what today calls for
    assert LaporanPascaPelatihan.objects.count() == 1
