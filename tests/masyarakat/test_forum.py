from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from masyarakat import services
from masyarakat.kontak import kontak_normal
from masyarakat.models import ForumDialog, Masukan, PendaftaranForum, TindakLanjut, UnitLayanan


@pytest.fixture
def forum(cast):
    layanan = UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")
    return ForumDialog.objects.create(
        topik="Antrean poli umum",
        unit_layanan=layanan,
        waktu=timezone.now() + timedelta(days=7),
        format="tatap_muka",
        tempat="Aula Dinkes",
        kapasitas=2,
        agenda="Paparan; tanya jawab",
    )


def register(client, forum, nama, kontak=""):
    kontak = kontak or f"{nama.lower()}@contoh.id"
    return client.post(forum.get_absolute_url(), {"nama": nama, "kontak": kontak})


def test_citizens_register_up_to_capacity_then_wait(client, forum):
    for nama in ("Ani", "Budi", "Citra"):
        register(client, forum, nama)
    statuses = list(forum.pendaftar.values_list("nama", "status"))
    assert statuses == [("Ani", "terdaftar"), ("Budi", "terdaftar"), ("Citra", "daftar_tunggu")]
    assert len(PendaftaranForum.objects.get(nama="Ani").kode) == 12


def test_the_public_page_never_shows_a_registrants_contact(client, forum):
    register(client, forum, "Ani", "0812 9990 0011")
    assert forum.pendaftar.get().kontak == "+6281299900011"
    page = client.get(forum.get_absolute_url()).content.decode()
    assert "81299900011" not in page and "9990" not in page


def test_closing_requires_minutes_and_attendance(cast, forum):
    with pytest.raises(ValidationError) as error:
        services.forum_close(forum=forum, notulen=" ", jumlah_hadir=None, masukan=[])
    assert set(error.value.message_dict) == {"notulen", "jumlah_hadir"}
    forum.refresh_from_db()
    assert forum.status == "direncanakan"


def test_closing_records_the_inputs_as_forwarded_feedback(cast, forum):
    services.forum_close(
        forum=forum,
        notulen="Warga minta antrean daring.",
        jumlah_hadir=23,
        masukan=[("saran", "Antrean daring"), ("keluhan", "Loket sering kosong"), ("saran", " ")],
    )
    forum.refresh_from_db()
    assert (forum.status, forum.jumlah_hadir, forum.pendaftaran_dibuka) == ("selesai", 23, False)
    items = sorted(Masukan.objects.filter(forum=forum).values_list("kategori", "status"))
    assert items == [("keluhan", "diteruskan"), ("saran", "diteruskan")]


def test_registration_closes_with_the_forum(client, cast, forum):
    services.forum_close(forum=forum, notulen="x", jumlah_hadir=1, masukan=[])
    register(client, forum, "Terlambat")
    assert not forum.pendaftar.exists()


def test_the_public_page_shows_the_follow_up_actions_and_their_status(client, cast, forum):
    services.forum_close(forum=forum, notulen="x", jumlah_hadir=5, masukan=[])
    TindakLanjut.objects.create(
        forum=forum,
        uraian="Uji coba antrean daring",
        status="berjalan",
        penanggung_jawab=cast.atasan_pegawai,
        tenggat=date(2026, 12, 31),
    )
    page = client.get(forum.get_absolute_url()).content.decode()
    assert "Uji coba antrean daring" in page and "Sedang dikerjakan" in page


def test_hr_plans_and_closes_a_forum_and_adds_actions(login, cast, forum):
    client = login(cast.pengelola)
    url = reverse("masyarakat:forum_detail", args=[forum.pk])
    client.post(
        url,
        {
            "tindakan": "tutup",
            "notulen": "Dibahas antrean.",
            "jumlah_hadir": "12",
            "kategori": ["saran"],
            "isi": ["Tambah kursi tunggu"],
        },
    )
    forum.refresh_from_db()
    assert forum.status == "selesai" and forum.masukan.count() == 1
    client.post(
        url,
        {
            "tindakan": "tindak_lanjut",
            "uraian": "Tambah 20 kursi",
            "penanggung_jawab": cast.atasan_pegawai.nip_tampil,
            "tenggat": "2026-12-15",
            "status": "rencana",
        },
    )
    assert forum.tindak_lanjut.get().penanggung_jawab == cast.atasan_pegawai
    bad = client.post(
        url,
        {
            "tindakan": "tindak_lanjut",
            "uraian": "X",
            "penanggung_jawab": "123",
            "tenggat": "2026-12-15",
            "status": "rencana",
        },
    )
    assert "penanggung_jawab" in bad.context["action_form"].errors


def test_a_follow_up_owner_from_outside_hrs_units_is_not_found_and_not_named(login, cast, forum):
    response = login(cast.pengelola).post(
        reverse("masyarakat:forum_detail", args=[forum.pk]),
        {
            "tindakan": "tindak_lanjut",
            "uraian": "Tambah 20 kursi",
            "penanggung_jawab": cast.outsider_pegawai.nip,
            "tenggat": "2026-12-15",
            "status": "rencana",
        },
    )
    assert (
        response.context["action_form"]
        .errors["penanggung_jawab"][0]
        .startswith("NIP tidak ditemukan di unit Anda.")
    )
    assert "Rina Luar" not in response.content.decode()
    assert not forum.tindak_lanjut.exists()


def test_forum_management_is_for_hr_of_the_unit(login, cast, forum):
    url = reverse("masyarakat:forum_detail", args=[forum.pk])
    assert login(cast.pegawai).get(url).status_code == 403
    other = cast.admin.__class__.objects.create_user("pengelola_bkd", password="x")
    cast.bkd.pengelola.add(other)
    assert login(other).get(url).status_code == 404
    assert login(cast.pengelola).get(reverse("masyarakat:forum_list")).status_code == 200


def test_the_citizens_home_page_lists_upcoming_forums(client, forum):
    assert forum.topik in client.get(reverse("masyarakat:warga")).content.decode()


def test_the_citizens_home_page_links_to_the_latest_forums_held(client, cast, forum):
    assert (
        "Forum yang sudah berlangsung"
        not in client.get(reverse("masyarakat:warga")).content.decode()
    )
    services.forum_close(forum=forum, notulen="x", jumlah_hadir=3, masukan=[])
    page = client.get(reverse("masyarakat:warga")).content.decode()
    held = page[page.index("Forum yang sudah berlangsung") :]
    assert f'href="{forum.get_absolute_url()}">{forum.topik}' in held


def test_hr_names_the_asn_who_take_part_and_the_public_sees_them(login, cast, client, forum):
    data = {
        "topik": "Forum pelayanan",
        "unit_layanan": forum.unit_layanan_id,
        "waktu": f"{timezone.localdate() + timedelta(days=17):%Y-%m-%d}T09:00",
        "format": "daring",
        "tautan": "meet.jambiprov.go.id/forum",
        "kapasitas": 30,
        "pendaftaran_dibuka": "on",
        "agenda": "Dialog",
        "asn": cast.atasan_pegawai.nip_tampil,
    }
    login(cast.pengelola).post(reverse("masyarakat:forum_list"), data)
    created = ForumDialog.objects.get(topik="Forum pelayanan")
    assert list(created.pegawai.all()) == [cast.atasan_pegawai]
    assert created.tautan == "https://meet.jambiprov.go.id/forum"
    assert "Siti Atasan" in client.get(created.get_absolute_url()).content.decode()
    bad = login(cast.pengelola).post(reverse("masyarakat:forum_list"), data | {"asn": "123"})
    assert "asn" in bad.context["form"].errors
    outside = login(cast.pengelola).post(
        reverse("masyarakat:forum_list"), data | {"topik": "Lain", "asn": cast.outsider_pegawai.nip}
    )
    assert outside.context["form"].errors["asn"] == [
        f"NIP tidak ditemukan di unit Anda: {cast.outsider_pegawai.nip}."
    ]
    assert not ForumDialog.objects.filter(topik="Lain").exists()


def test_hr_see_seats_taken_waiting_and_given_back_apart(client, login, cast, forum):
    for nama in ("Ani", "Budi", "Citra"):
        register(client, forum, nama)
    PendaftaranForum.objects.filter(nama="Ani").update(status="dibatalkan")
    page = login(cast.pengelola).get(reverse("masyarakat:forum_detail", args=[forum.pk]))
    assert "Pendaftar (1 terdaftar · 1 daftar tunggu · 1 batal · kapasitas 2)" in page.text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0812) 345.678", "+62812345678"),
        ("  Rahmah@Contoh.ID ", "rahmah@contoh.id"),
        ("budi@CONTOH.co.id\u200c", "budi@contoh.co.id"),
        ("bu\u200bdi@con\u00adtoh.co.id", "budi@contoh.co.id"),
        ("0812\u200b3456\u200d7890", "+6281234567890"),
        ("\ufeff+62 812 3456 7890", "+6281234567890"),
    ],
)
def test_a_contact_is_stored_in_one_form_however_it_was_typed(typed, stored):
    assert kontak_normal(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0812999", "bukan nomor HP Indonesia"),  # too short
        ("021 555 1234", "bukan nomor HP Indonesia"),  # a landline
        ("+1 202 555 0100", "bukan nomor HP Indonesia"),
        ("rahmah@", "Alamat email ini tidak lengkap"),
        ("Rahmah", "bukan nomor HP Indonesia"),
    ],
)
def test_a_contact_that_is_neither_email_nor_indonesian_mobile_is_refused_with_an_example(
    client, forum, typed, message
):
    page = register(client, forum, "Ani", typed).content.decode()
    assert message in page and "0812 3456 7890" in page  # says what to write
    assert 'value="Ani"' in page  # what was typed is kept
    assert not forum.pendaftar.exists()


def test_the_same_contact_registers_once_per_forum_however_it_is_typed(client, cast, forum):
    register(client, forum, "Ani", "0812 3456 7890")
    page = register(client, forum, "Ani lagi", "+62-812-3456-7890").content.decode()
    assert "Kontak ini sudah terdaftar di forum ini" in page
    assert list(forum.pendaftar.values_list("nama", flat=True)) == ["Ani"]
    other = ForumDialog.objects.create(
        topik="Jam layanan", unit_layanan=forum.unit_layanan, format="tatap_muka", kapasitas=5,
        waktu=forum.waktu, agenda="Tanya jawab",
    )  # fmt: skip
    register(client, other, "Ani", "6281234567890")  # another forum: welcome
    assert other.pendaftar.get().kontak == "+6281234567890"


def test_a_cancelled_registration_may_register_again(client, forum):
    register(client, forum, "Ani", "ani@contoh.id")
    services.forum_cancel(pendaftaran=forum.pendaftar.get())
    register(client, forum, "Ani", "ANI@contoh.id")
    assert sorted(forum.pendaftar.values_list("status", flat=True)) == ["dibatalkan", "terdaftar"]


def test_the_database_refuses_a_second_active_registration_of_a_contact(forum):
    PendaftaranForum.objects.create(
        forum=forum, nama="A", kontak="+6281234567890", status="terdaftar"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PendaftaranForum.objects.create(
            forum=forum, nama="B", kontak="+6281234567890", status="daftar_tunggu"
        )


def test_the_registration_code_is_shown_with_its_cancel_link_and_a_way_back(client, forum):
    response = register(client, forum, "Ani", "0812 3456 7890")
    assert response.status_code == 302  # to a page a reload does not send again
    pendaftaran = forum.pendaftar.get()
    batal = reverse("masyarakat:forum_batal", args=[services.batal_token(pendaftaran)])
    for _reload in range(2):
        page = client.get(response.url).content.decode()
        assert f'<a href="{batal}">Batalkan pendaftaran {pendaftaran.kode}</a>' in page
        assert "sudah terdaftar" not in page
    assert forum.pendaftar.count() == 1
    assert f'href="{reverse("masyarakat:warga")}">Kembali ke layanan warga' in page
    assert pendaftaran.kode in client.get(batal).content.decode()  # the cancel page names it


def test_a_bot_filling_the_honeypot_is_answered_quietly_and_nothing_is_saved(client, forum):
    data = {"nama": "Bot", "kontak": "bot@x.id", "situs_web": "spam"}
    response = client.post(forum.get_absolute_url(), data, follow=True)
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    assert not forum.pendaftar.exists()


def test_a_registration_token_of_another_forum_or_forged_shows_no_registration(client, forum):
    register(client, forum, "Ani", "ani@contoh.id")
    token = services.batal_token(forum.pendaftar.get())
    other = ForumDialog.objects.create(
        topik="Jam layanan", unit_layanan=forum.unit_layanan, format="tatap_muka", kapasitas=5,
        waktu=forum.waktu, agenda="Tanya jawab",
    )  # fmt: skip
    for url, tried in ((other.get_absolute_url(), token), (forum.get_absolute_url(), "x:y")):
        page = client.get(url, {"pendaftaran": tried}).content.decode()
        assert "Batalkan pendaftaran" not in page


def plan(client, cast, waktu):
    return client.post(
        reverse("masyarakat:forum_list"),
        {"topik": "Forum lalu", "unit_layanan": UnitLayanan.objects.get(kode="poli").pk,
         "waktu": f"{waktu:%Y-%m-%dT%H:%M}", "format": "tatap_muka", "tempat": "Aula",
         "kapasitas": 30, "pendaftaran_dibuka": "on", "agenda": "Dialog"},
    )  # fmt: skip


def test_a_forum_cannot_be_planned_in_the_past(login, cast, forum):
    client = login(cast.pengelola)
    page = plan(client, cast, timezone.localtime() - timedelta(days=30)).content.decode()
    assert "Waktu ini sudah lewat" in page
    assert not ForumDialog.objects.filter(topik="Forum lalu").exists()
    assert plan(client, cast, timezone.localtime() + timedelta(days=3)).status_code == 302


def test_registration_closes_once_the_forum_time_has_passed(client, forum):
    register(client, forum, "Ani")
    register(client, forum, "Budi")
    register(client, forum, "Citra")  # on the waiting list
    ForumDialog.objects.filter(pk=forum.pk).update(waktu=timezone.now() - timedelta(hours=1))
    page = register(client, forum, "Dewi").content.decode()
    assert "Pendaftaran forum ini sudah ditutup." in page and 'name="kontak"' not in page
    assert not forum.pendaftar.filter(nama="Dewi").exists()
    with pytest.raises(ValidationError):  # no seat to give, no one promoted and mailed
        services.forum_cancel(pendaftaran=forum.pendaftar.get(nama="Ani"))
    assert forum.pendaftar.get(nama="Citra").status == "daftar_tunggu"


def test_registering_on_a_finished_forum_says_registration_is_closed(client, cast, forum):
    services.forum_close(forum=forum, notulen="x", jumlah_hadir=1, masukan=[])
    for response in (register(client, forum, "Terlambat"), client.get(forum.get_absolute_url())):
        assert "Pendaftaran forum ini sudah ditutup." in response.content.decode()
    assert not forum.pendaftar.exists()


def test_invisible_characters_do_not_make_a_second_registration(client, forum):
    register(client, forum, "Budi", "budi@contoh.co.id")
    page = register(client, forum, "Budi 2", "budi@CONTOH.co.id\u200c").content.decode()
    assert "Kontak ini sudah terdaftar di forum ini" in page
    assert forum.pendaftar.count() == 1
