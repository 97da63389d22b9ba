"""Change projects: registration and its sustainability schedule, the workflow as data, milestone
confirmation by the mentor, the 6/12-month reports and their reminders, the per-unit counts."""

from datetime import date, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from evaluasi import reports, services
from evaluasi.models import (
    AksiPerubahan,
    BuktiTonggak,
    LaporanKeberlanjutan,
    Pengingat,
    TonggakAksi,
)
from pelatihan import services as pelatihan_services
from tests import factories

START = date(2026, 1, 15)


def new_aksi(cast, **extra) -> AksiPerubahan:
    fields = {
        "judul": "Antrean daring puskesmas",
        "masalah": "Antrean loket pagi sampai dua jam.",
        "layanan": "Pendaftaran pasien",
        "inovasi": "Nomor antrean lewat WhatsApp.",
        "manfaat": "Pasien datang pada jamnya.",
        "mentor": cast.atasan_pegawai,
        "tanggal_mulai": START,
    } | extra
    return services.aksi_register(aksi=AksiPerubahan(**fields), by=cast.pegawai)


@pytest.fixture
def aksi(cast):
    return new_aksi(cast)


def add_tonggak(cast, aksi, n=1) -> list[TonggakAksi]:
    return [
        services.tonggak_add(
            aksi=aksi,
            tonggak=TonggakAksi(tahap="pendek", uraian=f"Langkah {i}", jatuh_tempo=START),
            by=cast.pegawai,
        )
        for i in range(n)
    ]


def link(text="Foto loket") -> list[BuktiTonggak]:
    return [BuktiTonggak(keterangan=text, tautan="https://contoh.jambiprov.go.id/foto")]


def running(cast, aksi, n=1) -> list[TonggakAksi]:
    tonggak = add_tonggak(cast, aksi, n)
    services.aksi_transition(aksi=aksi, action="mulai", by=cast.pegawai)
    return tonggak


def confirmed(cast, aksi, n=1) -> AksiPerubahan:
    for t in running(cast, aksi, n):
        services.tonggak_report(tonggak=t, by=cast.pegawai, catatan="Selesai.", bukti=link())
        services.tonggak_decide(tonggak=t, by=cast.atasan, confirm=True)
    return services.aksi_transition(
        aksi=aksi, action="selesaikan", by=cast.pegawai, hasil="Antrean tinggal 20 menit."
    )


def test_registering_schedules_reports_at_6_and_12_months_from_the_start(aksi, cast):
    assert aksi.pegawai == cast.pegawai_pegawai and aksi.unit == cast.yankes
    assert aksi.status == "rencana"
    due = list(aksi.laporan_keberlanjutan.values_list("bulan", "jatuh_tempo"))
    assert due == [(6, date(2026, 7, 15)), (12, date(2027, 1, 15))]


def test_a_training_project_counts_from_the_end_of_the_training(cast):
    training = factories.pelatihan(nama="PKP", wajib_aksi_perubahan=True)
    batch = factories.angkatan(training, selesai=date(2026, 3, 31))
    peserta = pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    aksi = new_aksi(cast, peserta=peserta)
    assert aksi.laporan_keberlanjutan.get(bulan=6).jatuh_tempo == date(2026, 9, 30)


def test_a_training_that_asks_for_no_project_is_refused(cast):
    batch = factories.angkatan()
    peserta = pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    with pytest.raises(ValidationError, match="tidak mewajibkan"):
        new_aksi(cast, peserta=peserta)
    assert not AksiPerubahan.objects.exists() and not LaporanKeberlanjutan.objects.exists()


def test_the_mentor_cannot_be_the_pegawai_themself(cast):
    with pytest.raises(ValidationError):
        new_aksi(cast, mentor=cast.pegawai_pegawai)


def test_a_project_starts_only_with_a_milestone(aksi, cast):
    with pytest.raises(ValidationError, match="paling sedikit satu tonggak"):
        services.aksi_transition(aksi=aksi, action="mulai", by=cast.pegawai)
    running(cast, aksi)
    aksi.refresh_from_db()
    assert aksi.status == "berjalan" and aksi.dimulai_at is not None


def test_only_the_pegawai_moves_their_project(aksi, cast):
    add_tonggak(cast, aksi)
    for other in (cast.atasan, cast.outsider, cast.pengelola):
        with pytest.raises(PermissionDenied):
            services.aksi_transition(aksi=aksi, action="mulai", by=other)


# Written out by hand: the workflow's three steps over its five states. Allowed: mulai from
# rencana, selesaikan from berjalan, hentikan from every state but berhenti (6); the other 9 are
# refused.
FORBIDDEN_STEPS = [
    ("rencana", "selesaikan"),
    ("berjalan", "mulai"),
    ("selesai", "mulai"),
    ("selesai", "selesaikan"),
    ("berkelanjutan", "mulai"),
    ("berkelanjutan", "selesaikan"),
    ("berhenti", "hentikan"),
    ("berhenti", "mulai"),
    ("berhenti", "selesaikan"),
]


@pytest.mark.parametrize("status", ["rencana", "berjalan", "selesai", "berkelanjutan"])
def test_the_pegawai_stops_a_project_from_every_state_but_stopped(aksi, cast, status):
    AksiPerubahan.objects.filter(pk=aksi.pk).update(status=status)
    stopped = services.aksi_transition(aksi=aksi, action="hentikan", by=cast.pegawai, alasan="x")
    assert stopped.status == "berhenti"


@pytest.mark.parametrize("status, action", FORBIDDEN_STEPS)
def test_steps_the_workflow_does_not_allow_are_refused(aksi, cast, status, action):
    AksiPerubahan.objects.filter(pk=aksi.pk).update(status=status, alasan_berhenti="x")
    with pytest.raises(ValidationError, match="tidak dapat dilakukan"):
        services.aksi_transition(aksi=aksi, action=action, by=cast.pegawai, alasan="x")


def test_a_reported_milestone_needs_what_was_done_and_evidence(aksi, cast):
    (tonggak,) = running(cast, aksi)
    with pytest.raises(ValidationError):
        services.tonggak_report(tonggak=tonggak, by=cast.pegawai, catatan="", bukti=link())
    with pytest.raises(ValidationError, match="bukti"):
        services.tonggak_report(tonggak=tonggak, by=cast.pegawai, catatan="Sudah.", bukti=[])
    tonggak.refresh_from_db()
    assert tonggak.status == "rencana" and not BuktiTonggak.objects.exists()


def test_only_the_mentor_confirms_and_a_return_says_why(aksi, cast):
    (tonggak,) = running(cast, aksi)
    services.tonggak_report(tonggak=tonggak, by=cast.pegawai, catatan="Sudah.", bukti=link())
    for other in (cast.pegawai, cast.pengelola, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.tonggak_decide(tonggak=tonggak, by=other, confirm=True)
    with pytest.raises(ValidationError, match="perlu dilengkapi"):
        services.tonggak_decide(tonggak=tonggak, by=cast.atasan, confirm=False)
    services.tonggak_decide(tonggak=tonggak, by=cast.atasan, confirm=False, catatan="Foto buram.")
    tonggak.refresh_from_db()
    assert tonggak.status == "dikembalikan" and tonggak.catatan_mentor == "Foto buram."
    services.tonggak_report(tonggak=tonggak, by=cast.pegawai, catatan="Foto baru.", bukti=link())
    services.tonggak_decide(tonggak=tonggak, by=cast.atasan, confirm=True)
    tonggak.refresh_from_db()
    assert tonggak.status == "dikonfirmasi" and tonggak.dikonfirmasi_oleh == cast.atasan_pegawai
    assert tonggak.bukti.count() == 2


def test_a_project_completes_only_when_every_milestone_is_confirmed(aksi, cast):
    first, second = running(cast, aksi, 2)
    services.tonggak_report(tonggak=first, by=cast.pegawai, catatan="Sudah.", bukti=link())
    services.tonggak_decide(tonggak=first, by=cast.atasan, confirm=True)
    with pytest.raises(ValidationError, match="dikonfirmasi mentor"):
        services.aksi_transition(aksi=aksi, action="selesaikan", by=cast.pegawai, hasil="Baik.")
    services.tonggak_report(tonggak=second, by=cast.pegawai, catatan="Sudah.", bukti=link())
    services.tonggak_decide(tonggak=second, by=cast.atasan, confirm=True)
    with pytest.raises(ValidationError, match="hasil"):
        services.aksi_transition(aksi=aksi, action="selesaikan", by=cast.pegawai)
    aksi = services.aksi_transition(aksi=aksi, action="selesaikan", by=cast.pegawai, hasil="Baik.")
    assert aksi.status == "selesai" and aksi.selesai_at is not None


def test_stopping_needs_a_reason_and_may_be_done_by_the_units_pengelola(aksi, cast):
    with pytest.raises(ValidationError, match="mengapa"):
        services.aksi_transition(aksi=aksi, action="hentikan", by=cast.pengelola)
    with pytest.raises(PermissionDenied):
        services.aksi_transition(aksi=aksi, action="hentikan", by=cast.outsider, alasan="x")
    aksi = services.aksi_transition(
        aksi=aksi, action="hentikan", by=cast.pengelola, alasan="Dana tidak tersedia."
    )
    assert aksi.status == "berhenti" and aksi.alasan_berhenti == "Dana tidak tersedia."


def report(cast, aksi, bulan, masih, today):
    laporan = aksi.laporan_keberlanjutan.get(bulan=bulan)
    return services.keberlanjutan_report(
        laporan=laporan, by=cast.pegawai, masih_digunakan=masih, uraian="Masih.", today=today
    )


def test_a_sustainability_report_opens_30_days_before_it_is_due(aksi, cast):
    confirmed(cast, aksi)
    with pytest.raises(ValidationError, match="mulai 15/06/2026"):
        report(cast, aksi, 6, True, today=date(2026, 6, 14))
    report(cast, aksi, 6, True, today=date(2026, 6, 15))
    aksi.refresh_from_db()
    assert aksi.status == "berkelanjutan"
    with pytest.raises(ValidationError, match="sudah diisi"):
        report(cast, aksi, 6, True, today=date(2026, 7, 15))


def test_a_change_no_longer_in_use_stops_the_project_with_the_explanation(aksi, cast):
    confirmed(cast, aksi)
    report(cast, aksi, 6, False, today=date(2026, 7, 20))
    aksi.refresh_from_db()
    assert aksi.status == "berhenti" and aksi.alasan_berhenti == "Laporan 6 bulan: Masih."
    with pytest.raises(ValidationError, match="sudah berhenti"):
        report(cast, aksi, 12, True, today=date(2027, 1, 15))


def test_only_the_pegawai_files_the_sustainability_report(aksi, cast):
    laporan = aksi.laporan_keberlanjutan.get(bulan=6)
    with pytest.raises(PermissionDenied):
        services.keberlanjutan_report(
            laporan=laporan, by=cast.atasan, masih_digunakan=True, uraian="x", today=START
        )


@pytest.fixture
def emails(cast):
    cast.pegawai_pegawai.email = "budi@jambiprov.go.id"
    cast.pegawai_pegawai.save()


def test_sustainability_is_reminded_once_before_and_weekly_when_late(aksi, cast, emails):
    running(cast, aksi)
    due = date(2026, 7, 15)
    assert services.pengingat_kirim(today=due - timedelta(days=20)) == 0
    assert services.pengingat_kirim(today=due - timedelta(days=10)) == 1
    assert services.pengingat_kirim(today=due - timedelta(days=9)) == 0
    assert "6 bulan" in mail.outbox[0].body and aksi.get_absolute_url() in mail.outbox[0].body
    late = [services.pengingat_kirim(today=due + timedelta(days=d)) for d in range(1, 15)]
    assert sum(late) == 3  # 16/07 (Thursday) to 29/07 touch three ISO weeks
    assert "terlambat" in mail.outbox[-1].subject
    kinds = set(Pengingat.objects.values_list("keberlanjutan__bulan", "jenis"))
    assert kinds == {(6, "segera"), (6, "terlambat")}


def test_no_sustainability_reminder_for_a_project_never_started_or_stopped(aksi, cast, emails):
    assert services.pengingat_kirim(today=date(2026, 7, 10)) == 0  # still rencana
    running(cast, aksi)
    services.aksi_transition(aksi=aksi, action="hentikan", by=cast.pegawai, alasan="Pindah.")
    assert services.pengingat_kirim(today=date(2026, 7, 10)) == 0
    assert not mail.outbox


def test_a_refused_sustainability_reminder_is_sent_on_the_next_run(aksi, cast, emails, monkeypatch):
    running(cast, aksi)

    def refuse(*args, **kwargs):
        raise SMTPException("451 try again later")

    monkeypatch.setattr(services, "send_mail", refuse)
    assert services.pengingat_kirim(today=date(2026, 7, 10)) == 0
    assert not Pengingat.objects.exists()
    monkeypatch.undo()
    assert services.pengingat_kirim(today=date(2026, 7, 11)) == 1
    assert services.pengingat_kirim(today=date(2026, 7, 12)) == 0
    assert len(mail.outbox) == 1


def test_the_per_unit_counts_follow_started_completed_and_lasting(cast):
    planned = new_aksi(cast, judul="A")
    add_tonggak(cast, planned)
    started = new_aksi(cast, judul="B")
    running(cast, started)
    done = confirmed(cast, new_aksi(cast, judul="C"))
    lasting = confirmed(cast, new_aksi(cast, judul="D"))
    report(cast, lasting, 12, True, today=date(2027, 1, 15))
    report(cast, done, 6, True, today=date(2026, 7, 15))  # 6 months only: not yet counted
    other = factories.pegawai(cast.bkd, atasan=cast.outsider_pegawai)
    AksiPerubahan.objects.create(
        pegawai=other, unit=cast.bkd, mentor=cast.outsider_pegawai, judul="E", masalah="m",
        layanan="l", inovasi="i", manfaat="m", tanggal_mulai=START,
    )  # fmt: skip
    (row,) = reports.rekap_aksi(cast.pengelola)
    assert (row.unit, row.terdaftar, row.dimulai, row.selesai, row.berlanjut_12_bulan) == (
        cast.dinkes, 4, 3, 2, 1,
    )  # fmt: skip
    assert {r.unit.kode: r.terdaftar for r in reports.rekap_aksi(cast.admin)} == {
        "DINKES": 4,
        "BKD": 1,
    }
