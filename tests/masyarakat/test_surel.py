"""Citizens kept informed (issue 19): a mail with the tracking link at each status change of
their feedback, a forum registration's confirmation with a cancel link and a reminder the day
before, each mail once, through a real SMTP server on the loopback (tests.smtp); a refusing
server loses nothing; every mail unsubscribes its address without an account. HR are notified
of new feedback, the service unit's officers of feedback forwarded to them."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from masyarakat import services, surel
from masyarakat.models import (
    BerhentiLangganan,
    ForumDialog,
    Masukan,
    PendaftaranForum,
    SurelWarga,
    UnitLayanan,
)
from masyarakat.tasks import forum_pengingat_task, surel_warga_susulan_task
from pegawai.models import Notifikasi
from tests.smtp import body, messages

EMAIL = "rahmah@contoh.id"


@pytest.fixture
def layanan(cast_lengkap):
    return UnitLayanan.objects.create(unit=cast_lengkap.yankes, nama="Poli Umum", kode="poli")


@pytest.fixture
def mailer(smtp, settings, django_capture_on_commit_callbacks):
    """The loopback server accepting, and the steps' after-commit tasks run."""
    smtp.refuse = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "https://sibina.jambiprov.go.id"

    def step(do, /, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return do(*args, **kwargs)

    step.smtp = smtp
    return step


def send(client, layanan, **overrides):
    data = {
        "unit_layanan": layanan.pk, "kategori": "keluhan", "isi": "Antrean poli terlalu lama",
        "nama": "Rahmah", "kontak": "0812000111", "email": EMAIL,
    } | overrides  # fmt: skip
    return client.post(reverse("masyarakat:masukan_create"), data)


def tracking_link(masukan) -> str:
    return "https://sibina.jambiprov.go.id" + masukan.get_tracking_url()


def link_in(text: str, path: str) -> str:
    return re.search(rf"https://sibina\.jambiprov\.go\.id({re.escape(path)}\S*)", text).group(1)


def test_the_citizen_is_mailed_the_tracking_link_at_each_step_once(client, cast_lengkap, layanan,
                                                                    mailer):  # fmt: skip
    mailer(send, client, layanan)
    masukan = Masukan.objects.get()
    assert masukan.email == EMAIL and mailer.smtp.received == []  # received: nothing to tell
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    client.force_login(cast_lengkap.pengelola)
    mailer(client.post, url, {"tindakan": "teruskan"})
    mailer(client.post, url, {"tindakan": "tanggapi", "teks": "Loket kedua dibuka."})
    mailer(client.post, url, {"tindakan": "tanggapi", "teks": "Loket kedua dan ketiga."})
    mailer(client.post, url, {"tindakan": "selesai"})
    sent = messages(mailer.smtp)
    assert [m["To"] for m in sent] == [EMAIL] * 4  # a corrected answer is told again
    subjects = [m["Subject"] for m in sent]
    assert subjects == [
        f"SIBINA: Masukan Anda sudah diverifikasi dan diteruskan ke unit layanan ({masukan.kode})",
        f"SIBINA: Masukan Anda sudah ditanggapi ({masukan.kode})",
        f"SIBINA: Masukan Anda sudah ditanggapi ({masukan.kode})",
        f"SIBINA: Masukan Anda selesai ditindaklanjuti ({masukan.kode})",
    ]
    for message in sent:
        assert tracking_link(masukan) in body(message)
        assert "https://sibina.jambiprov.go.id/warga/berhenti/" in body(message)
    assert SurelWarga.objects.filter(status="terkirim").count() == 4
    assert surel_warga_susulan_task() == 0  # nothing waits: nothing is sent twice
    assert len(mailer.smtp.received) == 4


def test_a_rejection_is_told_with_its_reason_and_spam_is_not(cast_lengkap, layanan, mailer):
    rejected = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="a", email=EMAIL)
    spam = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="b", email=EMAIL)
    mailer(services.masukan_moderate, masukan=rejected, action="tolak", alasan="Di luar wewenang")
    mailer(services.masukan_moderate, masukan=spam, action="spam", alasan="Iklan")
    [message] = messages(mailer.smtp)
    assert "tidak dapat diproses" in message["Subject"] and "Di luar wewenang" in body(message)


def test_feedback_without_an_email_mails_nobody(layanan, mailer):
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="a")
    mailer(services.masukan_moderate, masukan=masukan, action="teruskan")
    assert mailer.smtp.received == [] and not SurelWarga.objects.exists()


def test_feedback_closed_by_itself_is_told_too(layanan, mailer):
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori="saran", isi="a", email=EMAIL, status="ditanggapi",
        tanggapan="Sudah", ditanggapi_at=timezone.now() - timedelta(days=30),
    )  # fmt: skip
    assert mailer(services.masukan_close_expired, today=timezone.localdate()) == 1
    [message] = messages(mailer.smtp)
    assert "selesai" in message["Subject"] and tracking_link(masukan) in body(message)


@pytest.mark.parametrize("flag", ["anonim", "rahasia"])
def test_officers_never_see_the_email_of_anonymous_or_confidential_feedback(
    client, cast_lengkap, layanan, flag
):
    send(client, layanan)
    send(client, layanan, **{flag: "on", "isi": "Yang kedua, lain isinya"})
    plain, hidden = Masukan.objects.order_by("pk")
    client.force_login(cast_lengkap.pengelola)
    assert EMAIL in client.get(reverse("masyarakat:masukan_detail", args=[plain.pk])).text
    assert EMAIL not in client.get(reverse("masyarakat:masukan_detail", args=[hidden.pk])).text
    services.masukan_moderate(masukan=hidden, action="teruskan")
    client.force_login(cast_lengkap.rekan)  # an officer of the service unit
    assert EMAIL not in client.get(reverse("masyarakat:masukan_detail", args=[hidden.pk])).text


def test_a_refusing_server_loses_nothing_and_the_sweep_sends_once(layanan, smtp, settings):
    settings.SITE_URL = "https://sibina.jambiprov.go.id"
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="a", email=EMAIL)
    services.masukan_moderate(masukan=masukan, action="teruskan")
    waiting = SurelWarga.objects.get()
    with pytest.raises(OSError):  # its own task: the server refuses, the task retries
        surel.surel_warga_kirim(pk=waiting.pk, now=timezone.now())
    later = timezone.now() + timedelta(minutes=15)
    assert surel.surel_warga_susulan(now=later) == 0  # still refused: left for the next run
    waiting.refresh_from_db()
    assert waiting.status == "menunggu" and smtp.received == []
    smtp.refuse = False
    assert surel.surel_warga_susulan(now=later) == 1
    assert surel.surel_warga_susulan(now=later) == 0
    assert surel.surel_warga_kirim(pk=waiting.pk, now=later) is False
    [message] = messages(smtp)
    assert message["To"] == EMAIL and tracking_link(masukan) in body(message)


def test_the_unsubscribe_link_asks_then_stops_every_mail(client, layanan, mailer):
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="a", email=EMAIL)
    mailer(services.masukan_moderate, masukan=masukan, action="teruskan")
    path = link_in(body(messages(mailer.smtp)[0]), "/warga/berhenti/")
    page = client.get(path)  # a mail scanner opening the link unsubscribes nobody
    assert "Ya, berhenti berlangganan" in page.text and not BerhentiLangganan.objects.exists()
    waiting = SurelWarga.objects.create(kunci="uji", alamat=EMAIL, judul="Lama", isi="x")
    assert "tidak akan menerima surel" in client.post(path).text
    assert list(BerhentiLangganan.objects.values_list("alamat", flat=True)) == [EMAIL]
    waiting.refresh_from_db()
    assert waiting.status == "berhenti"
    mailer(services.masukan_respond, masukan=masukan, tanggapan="Sudah ditangani")
    assert len(mailer.smtp.received) == 1  # nothing more
    assert surel.surel_warga_susulan(now=timezone.now() + timedelta(hours=1)) == 0
    assert client.get(reverse("masyarakat:berhenti", args=["palsu"])).status_code == 404
    assert client.post(reverse("masyarakat:berhenti", args=["palsu"])).status_code == 404
    assert BerhentiLangganan.objects.count() == 1


def test_an_address_unsubscribed_in_capitals_is_still_unsubscribed(layanan, mailer):
    BerhentiLangganan.objects.create(alamat=EMAIL)
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori="saran", isi="a", email="Rahmah@Contoh.ID"
    )
    mailer(services.masukan_moderate, masukan=masukan, action="teruskan")
    assert mailer.smtp.received == []


# --- Notifications to HR and officers --------------------------------------------------------


def test_hr_are_notified_of_new_feedback_and_officers_of_forwarded(client, cast_lengkap, layanan,
                                                                    mailer):  # fmt: skip
    c = cast_lengkap
    mailer(send, client, layanan, pegawai_dilayani="")
    masukan = Masukan.objects.get()
    told = set(Notifikasi.objects.values_list("penerima__username", flat=True))
    assert told == {"pengelola", "pengelola_pegawai"}  # the HR of Dinas Kesehatan only
    assert Notifikasi.objects.filter(url=f"/masyarakat/masukan/{masukan.pk}/").count() == 2
    Notifikasi.objects.all().delete()
    Masukan.objects.filter(pk=masukan.pk).update(pegawai_dilayani=c.pegawai_pegawai)
    masukan.refresh_from_db()
    # HR assigned two officers; Bidang Yankes' atasan is a pegawai of the unit but not one.
    layanan.petugas.add(c.pegawai_pegawai, c.rekan_pegawai)
    mailer(services.masukan_moderate, masukan=masukan, action="teruskan")
    told = set(Notifikasi.objects.values_list("penerima__username", flat=True))
    assert told == {"rekan"}  # the officers assigned but the one it names


# --- Forums ----------------------------------------------------------------------------------


@pytest.fixture
def forum(layanan):
    return ForumDialog.objects.create(
        topik="Antrean poli umum", unit_layanan=layanan, format="tatap_muka",
        waktu=timezone.now() + timedelta(days=7), tempat="Aula Dinkes", kapasitas=1,
        agenda="Paparan; tanya jawab",
    )  # fmt: skip


def register(client, forum, nama, kontak):
    return client.post(reverse("masyarakat:forum_publik", args=[forum.kode]),
                       {"nama": nama, "kontak": kontak}, follow=True)  # fmt: skip


def test_a_registrant_with_an_email_is_confirmed_with_a_cancel_link(client, forum, mailer):
    page = mailer(register, client, forum, "Rahmah", EMAIL)
    assert f"pengingat sehari sebelumnya, kami kirim ke {EMAIL}" in page.text
    mailer(register, client, forum, "Budi", "0812000222")  # a phone: nothing to mail
    [message] = messages(mailer.smtp)
    assert message["To"] == EMAIL and "Pendaftaran forum dialog" in message["Subject"]
    assert "Aula Dinkes" in body(message) and "/forum/batal/" in body(message)
    kode = PendaftaranForum.objects.get(kontak=EMAIL).kode
    assert f"Batalkan pendaftaran {kode} agar" in body(message)  # the code with its cancel link
    assert "/warga/berhenti/" in body(message)


def test_cancelling_frees_the_seat_for_the_first_on_the_waiting_list(client, forum, mailer):
    mailer(register, client, forum, "Rahmah", EMAIL)
    mailer(register, client, forum, "Sari", "sari@contoh.id")  # capacity 1: waiting list
    first, waiting = PendaftaranForum.objects.order_by("pk")
    assert (first.status, waiting.status) == ("terdaftar", "daftar_tunggu")
    path = link_in(body(messages(mailer.smtp)[0]), "/forum/batal/")
    assert "Ya, batalkan pendaftaran saya" in client.get(path).text
    first.refresh_from_db()
    assert first.status == "terdaftar"  # a GET cancels nothing
    mailer(client.post, path)
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, waiting.status) == ("dibatalkan", "terdaftar")
    last = messages(mailer.smtp)[-1]
    assert last["To"] == "sari@contoh.id" and "mendapat tempat" in last["Subject"]
    mailer(client.post, path)  # twice: nothing more
    assert PendaftaranForum.objects.filter(status="terdaftar").count() == 1
    assert "Ya, batalkan" not in client.get(path).text  # nothing left to cancel
    assert client.get(reverse("masyarakat:forum_batal", args=["palsu"])).status_code == 404


def test_each_registrant_is_reminded_once_the_day_before(client, forum, mailer, settings):
    forum.kapasitas = 5
    tomorrow = timezone.localdate() + timedelta(days=1)
    forum.waktu = timezone.make_aware(datetime.combine(tomorrow, time(9, 0)))
    forum.save()
    mailer(register, client, forum, "Rahmah", EMAIL)
    mailer(register, client, forum, "Sari", "sari@contoh.id")
    mailer(register, client, forum, "Budi", "0812000222")
    services.forum_cancel(pendaftaran=PendaftaranForum.objects.get(nama="Sari"))
    before = len(mailer.smtp.received)
    assert mailer(forum_pengingat_task) == 1
    assert mailer(forum_pengingat_task) == 0  # recorded: never twice
    reminders = messages(mailer.smtp)[before:]
    assert [m["To"] for m in reminders] == [EMAIL]
    assert reminders[0]["Subject"] == "SIBINA: Besok: forum dialog Antrean poli umum"
    assert services.forum_remind(today=timezone.localdate() - timedelta(days=1)) == 0  # not yet


def test_an_hr_officer_the_feedback_names_is_not_asked_to_verify_it(cast_lengkap, layanan):
    c = cast_lengkap
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Ketus",
                                     pegawai_dilayani=c.pengelola_pegawai_pegawai)  # fmt: skip
    assert services.masukan_notify_new(pk=masukan.pk, unit_layanan_id=layanan.pk) == 1
    told = Notifikasi.objects.values_list("penerima__username", "judul")
    assert list(told) == [
        ("pengelola", f"Masukan baru {masukan.kode} untuk {layanan}: verifikasi dan teruskan")
    ]
