"""Evaluation events notify whoever must act next or whose record was decided: a submitted
self-report its atasan, the verdict its pegawai; a reported milestone its mentor, the decision
the pegawai; an opened period every atasan who must rate in it. Never the actor, once per
event."""

import pytest
from django.urls import reverse

from evaluasi import services
from evaluasi.tasks import periode_notify_task
from pegawai.models import Notifikasi, User
from tests import factories
from tests.smtp import body, messages

FILLED = {"perubahan": "Rekam medis elektronik", "contoh": "Antrean 20 menit", "dampak": "Cepat"}


def ours():
    """This app's notifications (the training steps before a report notify too)."""
    return Notifikasi.objects.filter(kunci__startswith="evaluasi:")


def sent() -> list[tuple[str, str]]:
    return list(ours().order_by("pk").values_list("penerima__username", "judul"))


def move(laporan, action, user, **data):
    return services.laporan_transition(laporan=laporan, action=action, by=user, data=data)


def test_a_submitted_report_notifies_the_atasan_with_its_link(cast, laporan):
    move(laporan, "simpan", cast.pegawai, **FILLED)
    assert sent() == []  # a draft is nobody else's business
    move(laporan, "ajukan", cast.pegawai, **FILLED)
    [item] = ours()
    assert item.penerima == cast.atasan
    assert item.judul == "Laporan pasca pelatihan Budi Pegawai menunggu verifikasi Anda"
    assert item.url == reverse("evaluasi:laporan_detail", args=[laporan.pk])


def test_a_returned_report_notifies_the_pegawai_and_each_new_submission_the_atasan(cast, laporan):
    move(laporan, "ajukan", cast.pegawai, **FILLED)
    move(laporan, "kembalikan", cast.atasan, komentar="Tambahkan angka kunjungan")
    returned = ours().get(penerima=cast.pegawai)
    assert returned.judul == "Laporan pasca pelatihan Anda dikembalikan untuk diperbaiki"
    assert returned.pesan == "Tambahkan angka kunjungan"
    move(laporan, "ajukan", cast.pegawai, **FILLED)
    move(laporan, "verifikasi", cast.atasan, nilai=3)
    assert [who for who, _ in sent()] == ["atasan", "pegawai", "atasan", "pegawai"]
    assert sent()[-1] == ("pegawai", "Laporan pasca pelatihan Anda diverifikasi atasan")


def test_a_report_of_a_pegawai_without_an_atasan_notifies_nobody(cast, laporan):
    cast.pegawai_pegawai.atasan = None
    cast.pegawai_pegawai.save()
    move(laporan, "ajukan", cast.pegawai, **FILLED)
    assert sent() == []


@pytest.fixture
def tonggak(cast_lengkap):
    return factories.tonggak(cast_lengkap)


def test_a_milestone_goes_to_its_mentor_and_the_decision_back_to_the_pegawai(cast_lengkap, tonggak):
    c = cast_lengkap
    factories.tonggak_lapor(tonggak, c)
    services.tonggak_decide(tonggak=tonggak, by=c.mentor, confirm=False, catatan="Foto buram")
    factories.tonggak_lapor(tonggak, c)
    services.tonggak_decide(tonggak=tonggak, by=c.mentor, confirm=True)
    assert sent() == [
        ("mentor", "Tonggak aksi perubahan Budi Pegawai menunggu konfirmasi Anda"),
        ("pegawai", "Tonggak dikembalikan mentor: Uji coba loket"),
        ("mentor", "Tonggak aksi perubahan Budi Pegawai menunggu konfirmasi Anda"),
        ("pegawai", "Tonggak dikonfirmasi mentor: Uji coba loket"),
    ]
    assert ours().filter(pesan="Foto buram", penerima=c.pegawai).exists()
    assert {n.url for n in ours()} == {tonggak.aksi.get_absolute_url()}


def test_an_opened_period_notifies_each_atasan_in_it_once(
    cast_lengkap, settings, django_capture_on_commit_callbacks
):
    c = cast_lengkap
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # An atasan in another unit, whose staff are not in the period.
    factories.pegawai(c.bkd, nama="Staf Luar", atasan=c.outsider_pegawai)
    with django_capture_on_commit_callbacks(execute=True):
        periode = factories.periode(c)
    assert sent() == [("atasan", "Periode penilaian kinerja dibuka: T1")]
    assert ours().get().url == reverse("evaluasi:penilaian_bawahan", args=[periode.pk])
    assert periode_notify_task(periode.pk) == 0  # delivered twice: notified once


def test_the_atasan_gets_the_submission_by_mail_through_a_real_smtp_server(
    cast, laporan, smtp, settings, django_capture_on_commit_callbacks
):
    smtp.refuse = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    User.objects.filter(pk=cast.atasan.pk).update(email="siti@jambiprov.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        move(laporan, "ajukan", cast.pegawai, **FILLED)
    [message] = messages(smtp)
    assert message["To"] == "siti@jambiprov.go.id"
    assert "menunggu verifikasi Anda" in message["Subject"]
    assert reverse("evaluasi:laporan_detail", args=[laporan.pk]) in body(message)
    assert ours().get().disurelkan_at is not None


def test_an_opened_climate_round_invites_the_pegawai_of_its_units(
    cast, client, settings, django_capture_on_commit_callbacks
):
    from evaluasi.models import PutaranIklim
    from evaluasi.tasks import putaran_notify_task

    settings.CELERY_TASK_ALWAYS_EAGER = True
    data = {"nama": "Semester I 2027", "tanggal_mulai": "2027-01-01",
            "tanggal_selesai": "2027-06-30", "units": [cast.yankes.pk]}  # fmt: skip
    client.force_login(cast.pengelola)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluasi:iklim_index"), data)
    putaran = PutaranIklim.objects.get()
    assert sorted(who for who, _ in sent()) == ["atasan", "pegawai"]  # not the outsider in BKD
    assert {n.url for n in ours()} == {reverse("evaluasi:iklim_isi", args=[putaran.pk])}
    assert putaran_notify_task(putaran.pk) == 0  # delivered twice: invited once


def test_a_rating_notifies_the_rated_pegawai_each_time_it_is_given(cast):
    periode = factories.periode(cast, rate=("di_atas", "sesuai"))
    services.penilaian_save(periode=periode, pegawai=cast.pegawai_pegawai,
                            penilai=cast.atasan_pegawai, hasil_kerja="di_bawah",
                            perilaku_kerja="sesuai")  # fmt: skip
    assert sent() == [
        ("pegawai", "Penilaian kinerja T1: Baik"),
        ("pegawai", "Penilaian kinerja T1: Butuh Perbaikan"),
    ]
    assert ours().first().url == reverse("evaluasi:kinerja_pegawai", args=[cast.pegawai_pegawai.pk])
