"""The calendars (issue 23): the personal feed at a secret address, its page, a unit's training
calendar for HR and a batch's "add to calendar" file. Every file is read back with icalendar and
with a second, independent parser (ics-py), and its lines checked against RFC 5545's folding."""

import os
from datetime import UTC, date, datetime, timedelta

import ics
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from evaluasi import services as evaluasi_services
from masyarakat.models import ForumDialog, Masukan, TindakLanjut, UnitLayanan
from pegawai.demo import CAST
from pegawai.models import User
from pelatihan import services as pelatihan_services
from pelatihan.models import Peserta, Sesi
from pembinaan import services
from pembinaan.models import KalenderPribadi
from tests import factories
from tests.queries import cold_queries


def parse(response) -> Calendar:
    """The file as both parsers read it, after checking its lines are folded and end in CRLF."""
    raw = response.content
    assert response["Content-Type"].startswith("text/calendar")
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line  # octets, before the CRLF (RFC 5545 3.1)
        assert b"\n" not in line and b"\r" not in line
    cal = Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0"
    assert "SIBINA" in str(cal["PRODID"])
    uids = []
    for event in cal.walk("VEVENT"):
        assert event.get("UID") and event.get("DTSTAMP") and event.get("SUMMARY")
        assert event.decoded("DTSTAMP").tzinfo is not None  # UTC
        uids.append(str(event["UID"]))
    assert len(uids) == len(set(uids)), "a UID per event"
    other = ics.Calendar(raw.decode())
    assert sorted(e.uid for e in other.events) == sorted(uids)
    return cal


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def feed_url(user) -> str:
    return reverse("kalender_feed", args=[services.kalender_pribadi_buat(user=user).token])


@pytest.fixture
def forum(cast):
    layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=cast.yankes)
    forum = ForumDialog.objects.create(
        topik="Antrean poli umum", unit_layanan=layanan, format="tatap_muka",
        waktu=datetime(2026, 12, 20, 2, 0, tzinfo=UTC),  # 09.00 WIB
        tempat="Aula Dinkes", kapasitas=20, agenda="Waktu tunggu; loket daring",
    )  # fmt: skip
    forum.pegawai.add(cast.pegawai_pegawai)
    return forum


def test_the_feed_holds_my_batch_days_my_forum_at_its_wib_time_and_my_report_due_date(
    client, cast, laporan, forum
):
    TindakLanjut.objects.create(
        forum=forum, uraian="Buka loket kedua", penanggung_jawab=cast.pegawai_pegawai,
        tenggat=date(2027, 1, 15),
    )  # fmt: skip
    response = client.get(feed_url(cast.pegawai))  # no login: the token authorises
    assert response.status_code == 200
    found = events(parse(response))
    batch = laporan.peserta.angkatan
    days = [f"sesi-{s.pk}" for s in batch.sesi.all()]
    assert set(days) <= set(found)
    first = found[days[0]]
    assert first.decoded("DTSTART") == batch.tanggal_mulai  # a whole day: a DATE value
    assert first.decoded("DTEND") == batch.tanggal_mulai + timedelta(days=1)
    assert batch.pelatihan.nama in str(first["SUMMARY"])
    assert str(first["URL"]).endswith(batch.get_absolute_url())

    event = found[f"forum-{forum.pk}"]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Jakarta" and start.hour == 9
    assert start.astimezone(UTC) == datetime(2026, 12, 20, 2, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert str(event["LOCATION"]) == "Aula Dinkes"
    assert "Forum dialog" in str(event["SUMMARY"])
    assert b"DTSTART;TZID=Asia/Jakarta:20261220T090000" in response.content
    zones = [str(tz["TZID"]) for tz in Calendar.from_ical(response.content).walk("VTIMEZONE")]
    assert zones == ["Asia/Jakarta"]

    due = found[f"tugas-laporan_isi-{laporan.pk}"]
    assert due.decoded("DTSTART") == laporan.jatuh_tempo
    assert "laporan pasca pelatihan" in str(due["SUMMARY"]).lower()
    assert str(due["TRANSP"]) == "TRANSPARENT"
    action = next(e for uid, e in found.items() if uid.startswith("tindak-lanjut-"))
    assert action.decoded("DTSTART") == date(2027, 1, 15)


def test_a_report_due_in_months_is_in_the_feed_before_the_inbox_lists_it(client, cast, laporan):
    laporan.jatuh_tempo = date.today() + timedelta(days=80)
    laporan.save()
    found = events(parse(client.get(feed_url(cast.pegawai))))
    assert found[f"tugas-laporan_isi-{laporan.pk}"].decoded("DTSTART") == laporan.jatuh_tempo


def test_the_atasan_sees_the_verification_due_date_of_a_submitted_report(client, cast, laporan):
    filled = {
        "perubahan": "Rekam medis elektronik",
        "contoh": "Antrean 20 menit",
        "dampak": "Cepat",
    }
    evaluasi_services.laporan_transition(laporan=laporan, action="ajukan", by=cast.pegawai,
                                         data=filled)  # fmt: skip
    found = events(parse(client.get(feed_url(cast.atasan))))
    due = found[f"tugas-laporan_verifikasi-{laporan.pk}"]
    assert isinstance(due.decoded("DTSTART"), date)
    assert f"tugas-laporan_isi-{laporan.pk}" not in events(
        parse(client.get(feed_url(cast.pegawai)))
    )


def test_another_persons_batches_forums_and_reports_are_never_in_my_feed(
    client, cast, laporan, forum
):
    other = factories.angkatan(mulai=date(2026, 12, 7), selesai=date(2026, 12, 8), sesi=2)
    pelatihan_services.peserta_nominate(angkatan=other, pegawai=cast.outsider_pegawai)
    mine = events(parse(client.get(feed_url(cast.outsider))))
    theirs = events(parse(client.get(feed_url(cast.pegawai))))
    assert {f"sesi-{s.pk}" for s in other.sesi.all()} <= set(mine)
    assert not set(mine) & set(theirs)
    assert f"forum-{forum.pk}" not in mine
    assert not any(uid.startswith("tugas-") for uid in mine)


def test_a_request_still_waiting_is_tentative_and_a_cancelled_batch_cancelled(client, cast):
    waiting = factories.angkatan(mulai=date(2026, 12, 14), selesai=date(2026, 12, 14), sesi=1)
    pelatihan_services.peserta_nominate(angkatan=waiting, pegawai=cast.pegawai_pegawai)
    Peserta.objects.filter(angkatan=waiting).update(status=Peserta.Status.DIAJUKAN)
    cancelled = factories.angkatan(
        mulai=date(2026, 12, 21), selesai=date(2026, 12, 21), sesi=0, status="dibatalkan"
    )
    Peserta.objects.create(
        angkatan=cancelled, pegawai=cast.pegawai_pegawai, status=Peserta.Status.TERDAFTAR
    )
    found = events(parse(client.get(feed_url(cast.pegawai))))
    assert str(found[f"sesi-{waiting.sesi.get().pk}"]["STATUS"]) == "TENTATIVE"
    assert "menunggu persetujuan atasan" in str(found[f"sesi-{waiting.sesi.get().pk}"]["SUMMARY"])
    assert str(found[f"angkatan-{cancelled.pk}"]["STATUS"]) == "CANCELLED"


def test_a_revoked_address_is_404_and_a_new_one_replaces_the_old(client, cast):
    old = feed_url(cast.pegawai)
    assert client.get(old).status_code == 200
    assert services.kalender_pribadi_cabut(user=cast.pegawai)
    assert client.get(old).status_code == 404
    new = feed_url(cast.pegawai)
    assert new != old
    assert client.get(new).status_code == 200
    assert client.get(old).status_code == 404
    assert KalenderPribadi.objects.get(user=cast.pegawai).dibaca_at is not None


def test_an_unknown_or_closed_logins_address_is_404(client, cast):
    assert client.get(reverse("kalender_feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("kalender_feed", args=["x" * 300])).status_code == 404
    url = feed_url(cast.pegawai)
    User.objects.filter(pk=cast.pegawai.pk).update(is_active=False)
    assert client.get(url).status_code == 404


def test_the_token_is_long_random_and_found_by_its_hash(cast):
    feed = services.kalender_pribadi_buat(user=cast.pegawai)
    assert len(feed.token) >= 43  # 32 random bytes, URL-safe base64
    assert feed.token_hash != feed.token and len(feed.token_hash) == 64
    assert KalenderPribadi.objects.by_token(feed.token) == feed
    other = "B" if feed.token[-1] == "A" else "A"
    assert KalenderPribadi.objects.by_token(feed.token[:-1] + other) is None


def test_the_feed_answers_get_and_head_and_refuses_post(client, cast):
    url = feed_url(cast.pegawai)
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Type"].startswith("text/calendar")
    assert client.post(url).status_code == 405


def test_the_feeds_links_use_the_address_it_was_fetched_at_and_its_uids_keep_site_url(
    client, cast, laporan, settings
):
    settings.SITE_URL = "https://sibina.jambiprov.go.id"
    url = feed_url(cast.pegawai)
    found = events(parse(client.get(url)))
    due = found[f"tugas-laporan_isi-{laporan.pk}"]
    assert str(due["URL"]) == "http://testserver" + laporan.get_absolute_url()
    assert "http://testserver/" in str(due["DESCRIPTION"])
    assert all(str(e["UID"]).endswith("@sibina.jambiprov.go.id") for e in found.values())
    settings.SITE_URL = ""  # a deployment that forgot it: the links still work
    due = events(parse(client.get(url)))[f"tugas-laporan_isi-{laporan.pk}"]
    assert str(due["URL"]) == "http://testserver" + laporan.get_absolute_url()


def test_a_batch_day_says_its_number_once_and_a_coming_forum_names_the_asn_on_duty(
    client, cast, forum
):
    batch = factories.angkatan(mulai=date(2026, 12, 7), selesai=date(2026, 12, 8), sesi=2)
    first, second = batch.sesi.order_by("tanggal")
    Sesi.objects.filter(pk=first.pk).update(topik="Hari ke-1")
    Sesi.objects.filter(pk=second.pk).update(topik="Praktik lapangan")
    pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    url = feed_url(cast.pegawai)
    ForumDialog.objects.filter(pk=forum.pk).update(waktu=timezone.now() + timedelta(days=10))
    found = events(parse(client.get(url)))
    assert str(found[f"sesi-{first.pk}"]["SUMMARY"]).endswith(": hari 1 dari 2")
    assert str(found[f"sesi-{second.pk}"]["SUMMARY"]).endswith(": hari 2 dari 2, Praktik lapangan")
    coming = str(found[f"forum-{forum.pk}"]["DESCRIPTION"])
    assert "Anda ditugaskan hadir sebagai ASN" in coming and "yang hadir." not in coming

    ForumDialog.objects.filter(pk=forum.pk).update(waktu=timezone.now() - timedelta(days=10))
    held = str(events(parse(client.get(url)))[f"forum-{forum.pk}"]["DESCRIPTION"])
    assert "Anda tercatat sebagai ASN yang hadir." in held


# --- Hostile text and what never leaves SIBINA -------------------------------------------------

HOSTILE = "Inj\r\nEND:VEVENT\r\nBEGIN:VEVENT\nSUMMARY:palsu\x07"


def test_titles_names_and_agendas_with_newlines_are_escaped_in_every_kind_of_file(
    client, cast, forum
):
    batch = factories.angkatan(
        factories.pelatihan(nama=HOSTILE, unit_penyelenggara=cast.dinkes),
        mulai=date(2026, 12, 7), selesai=date(2026, 12, 8), sesi=2, tempat="Aula\r\nLantai 2",
    )  # fmt: skip
    batch.nama = "Angkatan\nI"
    batch.save()
    pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    forum.topik, forum.agenda = HOSTILE, "Waktu tunggu\r\nEND:VEVENT\rLoket daring"
    forum.save()
    User.objects.filter(pk=cast.pegawai.pk).update(first_name="Budi\r\nX-EVIL:1")
    sesi = [f"sesi-{s.pk}" for s in batch.sesi.all()]

    personal = parse(client.get(feed_url(cast.pegawai)))
    client.force_login(cast.pengelola)
    unit = parse(client.get(reverse("pelatihan:kalender_unit")))
    response = client.get(reverse("pelatihan:angkatan_kalender", args=[batch.pk]))
    assert response.status_code == 200
    single = parse(response)

    assert "\n" not in str(personal["X-WR-CALNAME"]) and "X-EVIL" not in personal
    assert str(single["X-WR-CALNAME"]).startswith("Inj END:VEVENT BEGIN:VEVENT")
    for cal in (personal, unit, single):
        found = events(cal)
        assert set(sesi) <= set(found)
        assert len(cal.walk("VEVENT")) == len(found)  # no event smuggled in
        title = str(found[sesi[0]]["SUMMARY"])
        assert title.startswith("Inj END:VEVENT BEGIN:VEVENT SUMMARY:palsu") and "\x07" not in title
        assert str(found[sesi[0]]["LOCATION"]) == "Aula Lantai 2"
    event = events(personal)[f"forum-{forum.pk}"]
    assert "\n" not in str(event["SUMMARY"])
    assert "Agenda:\nWaktu tunggu\nEND:VEVENT\nLoket daring" in str(event["DESCRIPTION"])
    assert b"Waktu tunggu\\nEND:VEVENT" in client.get(feed_url(cast.pegawai)).content.replace(
        b"\r\n ", b""
    )  # escaped as RFC 5545 3.3.11 says, once the folded lines are joined


def test_a_citizens_tracking_code_and_words_never_go_out_in_a_feed(client, cast):
    layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=cast.yankes)
    layanan.petugas.add(cast.pegawai_pegawai)
    received = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Dokter Rahasia membentak saya"
    )
    forwarded = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Antrean obat tiga jam",
        status=Masukan.Status.DITERUSKAN, dimoderasi_at=timezone.now(),
    )  # fmt: skip
    hr = client.get(feed_url(cast.pengelola))
    officer = client.get(feed_url(cast.pegawai))
    due = events(parse(hr))[f"tugas-masukan_verifikasi-{received.pk}"]
    assert str(due["SUMMARY"]) == "Batas waktu: Verifikasi masukan masyarakat \u2013 Poli Umum"
    assert str(due["URL"]).endswith(reverse("masyarakat:masukan_detail", args=[received.pk]))
    due = events(parse(officer))[f"tugas-masukan_tanggapi-{forwarded.pk}"]
    assert str(due["SUMMARY"]) == "Batas waktu: Tanggapi masukan masyarakat \u2013 Poli Umum"
    for response in (hr, officer):
        text = response.content.decode()
        for masukan in (received, forwarded):
            assert masukan.kode not in text
            assert masukan.isi[:12] not in text


def test_no_tracking_code_of_the_demo_is_in_any_demo_logins_feed(client, db):
    call_command("seed_demo", "--pegawai", "400", stdout=open(os.devnull, "w"))  # noqa: SIM115
    codes = list(Masukan.objects.values_list("kode", flat=True))
    assert Masukan.objects.filter(status__in=["diterima", "diteruskan"]).exists()
    seen = 0
    for user in User.objects.filter(is_active=True, username__in=[u.username for u in CAST]):
        text = client.get(feed_url(user)).content.decode()
        seen += text.count("masukan masyarakat")
        assert not [code for code in codes if code in text], user.username
    assert seen  # the demo's officers and HR do have feedback due in their feeds


# --- The page in the account area --------------------------------------------------------------


def test_the_page_makes_shows_renews_and_revokes_my_address(client, cast):
    client.force_login(cast.pegawai)
    page = client.get(reverse("kalender_saya"))
    assert page.status_code == 200 and "Buat alamat kalender" in page.text
    assert client.get(reverse("kalender_buat")).status_code == 405
    client.post(reverse("kalender_buat"))
    feed = KalenderPribadi.objects.get(user=cast.pegawai)
    page = client.get(reverse("kalender_saya"))
    assert f"/kalender/{feed.token}.ics" in page.text and "webcal://" in page.text
    client.post(reverse("kalender_buat"))
    renewed = KalenderPribadi.objects.get(user=cast.pegawai)
    assert renewed.token != feed.token and renewed.pk == feed.pk
    client.post(reverse("kalender_cabut"))
    page = client.get(reverse("kalender_saya"))
    assert renewed.token not in page.text and "dicabut" in page.text
    client.logout()
    assert client.get(reverse("kalender_feed", args=[renewed.token])).status_code == 404


def test_the_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("kalender_saya"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- A batch's file and a unit's calendar ------------------------------------------------------


def test_a_batch_file_has_its_sessions_for_any_signed_in_asn(client, cast):
    batch = factories.angkatan(tempat="BPSDM Jambi")
    url = reverse("pelatihan:angkatan_kalender", args=[batch.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(cast.outsider)
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    found = events(parse(response))
    assert set(found) == {f"sesi-{s.pk}" for s in batch.sesi.all()}
    assert all(str(e["LOCATION"]) == "BPSDM Jambi" for e in found.values())
    assert client.get(reverse("pelatihan:angkatan_kalender", args=[999999])).status_code == 404


def test_a_unit_hr_calendar_holds_its_units_batches_and_not_another_opds(client, cast_lengkap):
    cast = cast_lengkap
    ours = factories.angkatan(
        factories.pelatihan(nama="Pelayanan Prima", unit_penyelenggara=cast.dinkes),
        mulai=date(2026, 12, 7), selesai=date(2026, 12, 8), sesi=2,
    )  # fmt: skip
    theirs = factories.angkatan(
        factories.pelatihan(nama="Arsip Dinamis", unit_penyelenggara=cast.bkd),
        mulai=date(2026, 12, 9), selesai=date(2026, 12, 9), sesi=1,
    )  # fmt: skip
    staff = factories.angkatan(
        factories.pelatihan(nama="Kepemimpinan Pengawas", unit_penyelenggara=None),
        mulai=date(2026, 12, 10), selesai=date(2026, 12, 10), sesi=0,
    )  # fmt: skip
    pelatihan_services.peserta_nominate(angkatan=staff, pegawai=cast.pegawai_pegawai)
    url = reverse("pelatihan:kalender_unit")

    client.force_login(cast.pengelola)
    found = events(parse(client.get(url)))
    assert {f"sesi-{s.pk}" for s in ours.sesi.all()} <= set(found)
    assert f"angkatan-{staff.pk}" in found  # a provincial batch with Dinkes staff
    assert "Peserta terdaftar dari unit Anda: 1" in str(
        found[f"angkatan-{staff.pk}"]["DESCRIPTION"]
    )
    assert not any(uid == f"sesi-{theirs.sesi.get().pk}" for uid in found)

    client.force_login(cast.pengelola_lain)
    found = events(parse(client.get(url)))
    assert f"sesi-{theirs.sesi.get().pk}" in found and f"angkatan-{staff.pk}" not in found

    client.force_login(cast.provinsi)
    found = events(parse(client.get(url)))
    assert {f"sesi-{theirs.sesi.get().pk}", f"angkatan-{staff.pk}"} <= set(found)

    client.force_login(cast.pegawai)
    assert client.get(url).status_code == 403


# --- Query counts at two sizes -----------------------------------------------------------------


def _grow_pegawai(cast, n: int, start: date):
    layanan, _ = UnitLayanan.objects.get_or_create(
        kode="poli", defaults={"nama": "Poli Umum", "unit": cast.yankes}
    )
    for i in range(n):
        day = start + timedelta(days=7 * i)
        batch = factories.angkatan(
            factories.pelatihan(nama=f"Pelatihan {start:%m}{i}", unit_penyelenggara=cast.dinkes),
            mulai=day, selesai=day + timedelta(days=1), sesi=2,
        )  # fmt: skip
        pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
        forum = ForumDialog.objects.create(
            topik=f"Forum {start:%m}{i}", unit_layanan=layanan, format="daring", kapasitas=9,
            waktu=datetime(day.year, day.month, day.day, 2, tzinfo=UTC), agenda="a",
        )  # fmt: skip
        forum.pegawai.add(cast.pegawai_pegawai)
        TindakLanjut.objects.create(
            forum=forum, uraian="u", penanggung_jawab=cast.pegawai_pegawai, tenggat=day
        )


def _count(client, url) -> tuple[int, int]:
    with cold_queries() as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_feed_and_the_unit_calendar_make_the_same_queries_for_few_and_many_events(
    client, cast, laporan
):
    url = feed_url(cast.pegawai)
    _grow_pegawai(cast, 1, date(2026, 12, 7))
    small, small_events = _count(client, url)
    client.force_login(cast.pengelola)
    unit_small, unit_small_events = _count(client, reverse("pelatihan:kalender_unit"))
    client.logout()
    _grow_pegawai(cast, 6, date(2027, 1, 4))
    large, large_events = _count(client, url)
    client.force_login(cast.pengelola)
    unit_large, unit_large_events = _count(client, reverse("pelatihan:kalender_unit"))
    assert large_events >= small_events + 18 and unit_large_events >= unit_small_events + 12
    assert large == small
    assert unit_large == unit_small


def test_an_hr_feed_of_inbox_due_dates_makes_the_same_queries_for_few_and_many_items(client, cast):
    layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=cast.yankes)
    url = feed_url(cast.pengelola)
    Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Antre lama")
    small, small_events = _count(client, url)
    for n in range(6):
        Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi=f"Saran {n}")
    large, large_events = _count(client, url)
    assert (small_events, large_events) == (1, 7)
    assert large == small
