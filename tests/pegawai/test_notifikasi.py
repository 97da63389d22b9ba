"""Notifications: one per login and event, in the app and by mail as the login chose; mail
through a real SMTP server on the loopback (tests.smtp), never twice, nothing lost when the
server refuses."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pegawai import notifikasi
from pegawai.models import Notifikasi, User
from pegawai.tasks import notifikasi_ringkasan_task
from tests import factories
from tests.smtp import body, messages


def _event(n: int = 1, **extra) -> dict:
    return {"kunci": f"uji-{n}", "judul": f"Permintaan pelatihan {n}", "url": "/tugas/"} | extra


@pytest.fixture
def budi(cast):
    User.objects.filter(pk=cast.pegawai.pk).update(email="budi@jambiprov.go.id")
    cast.pegawai.refresh_from_db()
    return cast.pegawai


def test_it_notifies_a_login_once_per_event(budi):
    first = notifikasi.notifikasi_buat(penerima=budi, **_event())
    again = notifikasi.notifikasi_buat(penerima=budi, **_event(judul="Lain"))
    assert first is not None and again is None
    assert list(Notifikasi.objects.values_list("judul", flat=True)) == ["Permintaan pelatihan 1"]


def test_it_notifies_nobody_without_an_account_or_with_a_closed_one(cast, budi):
    assert notifikasi.notifikasi_buat(penerima=None, **_event()) is None
    assert notifikasi.notifikasi_pegawai(cast.outsider_pegawai.__class__(), **_event()) is None
    User.objects.filter(pk=budi.pk).update(is_active=False)
    budi.refresh_from_db()
    assert notifikasi.notifikasi_buat(penerima=budi, **_event()) is None
    assert not Notifikasi.objects.exists()


def test_the_pengelola_of_a_unit_are_those_of_it_and_above_it(cast):
    bidang = cast.yankes
    kepegawaian = factories.user("kepeg_bidang")
    bidang.pengelola.add(kepegawaian)
    assert notifikasi.pengelola_unit(bidang.pk) == [cast.pengelola, kepegawaian]
    assert notifikasi.pengelola_unit(cast.dinkes.pk) == [cast.pengelola]
    count = notifikasi.notifikasi_pengelola(bidang.pk, kecuali=kepegawaian, **_event())
    assert count == 1
    assert list(Notifikasi.objects.values_list("penerima", flat=True)) == [cast.pengelola.pk]


def test_the_role_decides_the_default_mail_choice(cast, budi):
    assert budi.surel_notifikasi_efektif == "segera"
    assert cast.pengelola.surel_notifikasi_efektif == "harian"
    cast.pengelola.surel_notifikasi = "mati"
    assert cast.pengelola.surel_notifikasi_efektif == "mati"


def test_an_immediate_notification_is_mailed_after_the_commit_with_its_link(
    budi, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "https://sibina.jambiprov.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        notifikasi.notifikasi_buat(penerima=budi, **_event(pesan="Atasan menyetujui."))
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["budi@jambiprov.go.id"]
    assert sent.subject == "SIBINA: Permintaan pelatihan 1"
    assert "https://sibina.jambiprov.go.id/tugas/" in sent.body
    assert "Atasan menyetujui." in sent.body
    assert Notifikasi.objects.get().disurelkan_at is not None


def test_a_refusing_mail_server_loses_nothing_and_the_sweep_mails_once(budi, smtp):
    item = notifikasi.notifikasi_buat(penerima=budi, **_event())
    now = timezone.now()
    with pytest.raises(OSError):
        notifikasi.notifikasi_surel(pk=item.pk, now=now)
    item.refresh_from_db()
    assert item.disurelkan_at is None and smtp.received == []
    later = now + timedelta(minutes=15)
    assert notifikasi.notifikasi_susulan(now=later) == 0  # still refused: left for the next
    smtp.refuse = False
    assert notifikasi.notifikasi_susulan(now=later) == 1
    assert notifikasi.notifikasi_susulan(now=later) == 0
    assert notifikasi.notifikasi_surel(pk=item.pk, now=later) is False
    [message] = messages(smtp)
    assert message["To"] == "budi@jambiprov.go.id"
    assert "http://127.0.0.1:8000/tugas/" in body(message)


def test_the_sweep_leaves_young_digest_and_read_notifications_alone(cast, budi, smtp):
    smtp.refuse = False
    now = timezone.now()
    young = notifikasi.notifikasi_buat(penerima=budi, **_event(1))
    read = notifikasi.notifikasi_buat(penerima=budi, **_event(2))
    notifikasi.notifikasi_baca(notifikasi=read, now=now)
    cast.pengelola.email = "hr@jambiprov.go.id"
    cast.pengelola.save()
    digest = notifikasi.notifikasi_buat(penerima=cast.pengelola, **_event(3))
    assert digest.surel_segera is False
    assert notifikasi.notifikasi_susulan(now=now + timedelta(minutes=5)) == 0  # too young
    assert notifikasi.notifikasi_susulan(now=now + timedelta(minutes=15)) == 1
    assert [m["To"] for m in messages(smtp)] == ["budi@jambiprov.go.id"]
    young.refresh_from_db()
    assert young.disurelkan_at is not None


def test_off_means_no_mail_at_all(budi, smtp):
    smtp.refuse = False
    budi.surel_notifikasi = "mati"
    budi.save()
    item = notifikasi.notifikasi_buat(penerima=budi, **_event())
    now = timezone.now() + timedelta(hours=1)
    assert notifikasi.notifikasi_surel(pk=item.pk, now=now) is False
    assert notifikasi.notifikasi_susulan(now=now) == 0
    assert notifikasi.notifikasi_ringkasan(now=now) == (0, 0)
    assert smtp.received == []
    assert Notifikasi.objects.get().dibaca_at is None  # still shown in the app


def test_the_digest_mails_each_reader_their_unread_once(cast, budi, smtp):
    smtp.refuse = False
    cast.pengelola.email = "hr@jambiprov.go.id"
    cast.pengelola.save()
    now = timezone.now()
    for n in (1, 2, 3):
        notifikasi.notifikasi_buat(penerima=cast.pengelola, **_event(n))
    read = Notifikasi.objects.get(kunci="uji-2")
    notifikasi.notifikasi_baca(notifikasi=read, now=now)
    notifikasi.notifikasi_buat(penerima=budi, **_event(9))  # segera: not in a digest
    assert notifikasi.notifikasi_ringkasan(now=now + timedelta(hours=1)) == (1, 0)
    [message] = messages(smtp)
    text = body(message)
    assert message["To"] == "hr@jambiprov.go.id"
    assert message["Subject"] == "SIBINA: 2 pemberitahuan baru"
    assert "Permintaan pelatihan 1" in text and "Permintaan pelatihan 3" in text
    assert "Permintaan pelatihan 2" not in text  # already read
    assert notifikasi.notifikasi_ringkasan(now=now + timedelta(hours=2)) == (0, 0)
    assert len(smtp.received) == 1


def test_a_refused_digest_is_kept_and_sent_by_the_retry(cast, smtp, settings):
    cast.pengelola.email = "hr@jambiprov.go.id"
    cast.pengelola.save()
    notifikasi.notifikasi_buat(penerima=cast.pengelola, **_event())
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with pytest.raises(Exception, match="Retry"):
        notifikasi_ringkasan_task.apply(throw=True).get()
    assert Notifikasi.objects.get().disurelkan_at is None
    smtp.refuse = False
    assert notifikasi_ringkasan_task.apply().get() == 1
    assert len(smtp.received) == 1


# --- The pages -----------------------------------------------------------------------------


def test_the_list_shows_only_ones_own_notifications_unread_first_marked(client, cast, budi):
    notifikasi.notifikasi_buat(penerima=budi, **_event(1))
    notifikasi.notifikasi_buat(penerima=cast.atasan, **_event(2, judul="Untuk atasan"))
    client.force_login(budi)
    page = client.get(reverse("notifikasi:list")).content.decode()
    assert "Permintaan pelatihan 1" in page and "Untuk atasan" not in page
    assert "Baru" in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, budi):
    item = notifikasi.notifikasi_buat(penerima=budi, **_event())
    client.force_login(budi)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == "/tugas/"
    item.refresh_from_db()
    assert item.dibaca_at is not None


def test_another_logins_notification_does_not_exist_for_you(client, cast, budi):
    item = notifikasi.notifikasi_buat(penerima=budi, **_event())
    client.force_login(cast.atasan)
    assert client.get(item.get_absolute_url()).status_code == 404
    item.refresh_from_db()
    assert item.dibaca_at is None


def test_a_link_to_another_site_is_never_followed(client, budi):
    item = notifikasi.notifikasi_buat(penerima=budi, **_event(url="//contoh.test/x"))
    client.force_login(budi)
    assert client.get(item.get_absolute_url())["Location"] == "/"


def test_mark_all_read_marks_only_ones_own(client, cast, budi):
    notifikasi.notifikasi_buat(penerima=budi, **_event(1))
    notifikasi.notifikasi_buat(penerima=cast.atasan, **_event(2))
    client.force_login(budi)
    assert client.get(reverse("notifikasi:baca_semua")).status_code == 405
    client.post(reverse("notifikasi:baca_semua"))
    unread = Notifikasi.objects.belum_dibaca().values_list("penerima", flat=True)
    assert list(unread) == [cast.atasan.pk]


def test_the_top_bar_counts_unread_notifications(client, budi):
    notifikasi.notifikasi_buat(penerima=budi, **_event(1))
    notifikasi.notifikasi_buat(penerima=budi, **_event(2))
    client.force_login(budi)
    page = client.get(reverse("beranda")).content.decode()
    assert 'aria-label="2 belum dibaca"' in page


def test_each_login_chooses_its_mail_and_a_wrong_choice_saves_nothing(client, budi):
    client.force_login(budi)
    page = client.get(reverse("notifikasi:pengaturan")).content.decode()
    assert "Bawaan untuk peran Anda: Segera" in page
    response = client.post(reverse("notifikasi:pengaturan"), {"surel_notifikasi": "sms"})
    assert (
        response.status_code == 200 and "bukan salah satu dari pilihan" in response.content.decode()
    )
    budi.refresh_from_db()
    assert budi.surel_notifikasi == ""
    client.post(reverse("notifikasi:pengaturan"), {"surel_notifikasi": "harian"})
    budi.refresh_from_db()
    assert budi.surel_notifikasi == "harian"
    client.post(reverse("notifikasi:pengaturan"), {"surel_notifikasi": ""})
    budi.refresh_from_db()
    assert budi.surel_notifikasi == ""


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in ["notifikasi:list", "notifikasi:pengaturan", "tugas"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/masuk/" in response["Location"]
