"""The change-project pages: each role's access, the forms' happy and unhappy paths, the public
gallery with its abuse limits, and query counts that do not grow with the rows."""

import re
import secrets
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluasi import services
from evaluasi.models import AksiPerubahan, BuktiTonggak, ResponWargaAksi, TonggakAksi
from tests import factories
from tests.files import image_bytes

ROLES = ["pegawai", "atasan", "outsider", "pengelola", "admin"]
PNG = image_bytes("PNG")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def aksi(cast):
    return services.aksi_register(
        aksi=AksiPerubahan(
            judul="Antrean daring puskesmas",
            masalah="Antrean loket pagi sampai dua jam.",
            layanan="Pendaftaran pasien",
            inovasi="Nomor antrean lewat WhatsApp.",
            manfaat="Pasien datang pada jamnya.",
            mentor=cast.atasan_pegawai,
            tanggal_mulai=date(2026, 1, 15),
        ),
        by=cast.pegawai,
    )


@pytest.fixture
def tonggak(cast, aksi):
    item = services.tonggak_add(
        aksi=aksi,
        tonggak=TonggakAksi(tahap="pendek", uraian="Uji coba", jatuh_tempo=date(2026, 2, 1)),
        by=cast.pegawai,
    )
    services.aksi_transition(aksi=aksi, action="mulai", by=cast.pegawai)
    return item


def published(cast, aksi, tonggak):
    services.tonggak_report(
        tonggak=tonggak,
        by=cast.pegawai,
        catatan="Sudah.",
        bukti=[BuktiTonggak(keterangan="Foto", tautan="https://contoh.go.id/")],
    )
    services.tonggak_decide(tonggak=tonggak, by=cast.atasan, confirm=True)
    services.aksi_transition(aksi=aksi, action="selesaikan", by=cast.pegawai, hasil="Lancar.")
    return services.aksi_publish(aksi=aksi, by=cast.pengelola, publish=True)


def status_for(client, cast, role, url):
    client.force_login(getattr(cast, role))
    return client.get(url).status_code


@pytest.mark.parametrize(
    "name, expected",
    [
        ("evaluasi:aksi_list", dict.fromkeys(ROLES, 200)),
        (
            "evaluasi:aksi_create",
            {"pegawai": 200, "atasan": 200, "outsider": 200, "pengelola": 403, "admin": 403},
        ),
        (
            "evaluasi:aksi_detail",
            {"pegawai": 200, "atasan": 200, "outsider": 404, "pengelola": 200, "admin": 200},
        ),
        (
            "evaluasi:aksi_update",
            {"pegawai": 200, "atasan": 403, "outsider": 404, "pengelola": 403, "admin": 403},
        ),
    ],
)
def test_each_role_gets_what_it_may_see(client, cast, aksi, name, expected):
    url = reverse(name, args=[aksi.pk] if name.endswith(("detail", "update")) else [])
    assert {role: status_for(client, cast, role, url) for role in ROLES} == expected
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    "name", ["aksi_status", "tonggak_create", "aksi_publish"]
)  # fmt: skip
def test_state_changes_are_post_only(login, cast, aksi, name):
    assert login(cast.pegawai).get(reverse(f"evaluasi:{name}", args=[aksi.pk])).status_code == 405


def test_tonggak_and_sustainability_actions_are_post_only(login, cast, aksi, tonggak):
    client = login(cast.pegawai)
    laporan = aksi.laporan_keberlanjutan.first()
    for url in (
        reverse("evaluasi:tonggak_report", args=[tonggak.pk]),
        reverse("evaluasi:tonggak_decide", args=[tonggak.pk]),
        reverse("evaluasi:keberlanjutan_report", args=[laporan.pk]),
    ):
        assert client.get(url).status_code == 405


def test_a_pegawai_registers_a_project_with_their_atasan_as_mentor(login, cast):
    client = login(cast.pegawai)
    form = client.get(reverse("evaluasi:aksi_create")).context["form"]
    assert form.initial["mentor_nip"] == cast.atasan_pegawai.nip
    response = client.post(
        reverse("evaluasi:aksi_create"),
        {
            "judul": "Antrean daring",
            "masalah": "Antrean panjang.",
            "layanan": "Loket",
            "inovasi": "WhatsApp.",
            "manfaat": "Cepat.",
            "mentor_nip": cast.atasan_pegawai.nip,
            "tanggal_mulai": "15/01/2026",
        },
    )
    aksi = AksiPerubahan.objects.get()
    assert response.status_code == 302 and response.url == aksi.get_absolute_url()
    assert aksi.mentor == cast.atasan_pegawai and aksi.laporan_keberlanjutan.count() == 2


def test_an_unknown_mentor_nip_shows_the_form_again_and_saves_nothing(login, cast):
    response = login(cast.pegawai).post(
        reverse("evaluasi:aksi_create"),
        {"judul": "X", "mentor_nip": "199999999999999999", "tanggal_mulai": "15/01/2026"},
    )
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["mentor_nip"][0]
        .startswith("NIP tidak ditemukan di unit Anda.")
    )
    assert not AksiPerubahan.objects.exists()


def test_a_mentor_nip_from_outside_the_pegawais_circle_is_not_found_and_not_named(login, cast):
    response = login(cast.pegawai).post(
        reverse("evaluasi:aksi_create"),
        {"judul": "X", "mentor_nip": cast.outsider_pegawai.nip, "tanggal_mulai": "15/01/2026"},
    )
    assert (
        response.context["form"]
        .errors["mentor_nip"][0]
        .startswith("NIP tidak ditemukan di unit Anda.")
    )
    assert "Rina Luar" not in response.content.decode()
    assert not AksiPerubahan.objects.exists()


def test_the_mentor_confirms_a_milestone_reported_with_a_photo(login, client, cast, aksi, tonggak):
    client = login(cast.pegawai)
    photo = SimpleUploadedFile("loket.png", PNG, content_type="image/png")
    client.post(
        reverse("evaluasi:tonggak_report", args=[tonggak.pk]),
        {"catatan": "Uji coba dua minggu.", "keterangan": "Foto loket", "file": photo},
    )
    tonggak.refresh_from_db()
    assert tonggak.status == "dilaporkan"
    bukti = tonggak.bukti.get()
    assert client.get(reverse("evaluasi:bukti_download", args=[bukti.pk])).status_code == 200
    login(cast.outsider)
    assert client.get(reverse("evaluasi:bukti_download", args=[bukti.pk])).status_code == 404
    login(cast.pegawai)
    client.post(reverse("evaluasi:tonggak_decide", args=[tonggak.pk]), {"keputusan": "konfirmasi"})
    tonggak.refresh_from_db()
    assert tonggak.status == "dilaporkan"  # the pegawai is not their own mentor
    login(cast.atasan)
    client.post(reverse("evaluasi:tonggak_decide", args=[tonggak.pk]), {"keputusan": "konfirmasi"})
    tonggak.refresh_from_db()
    assert tonggak.status == "dikonfirmasi"


def test_evidence_that_is_not_a_document_or_photo_is_refused(login, cast, aksi, tonggak):
    fake = SimpleUploadedFile("bukti.png", b"MZ\x90\x00 an executable", content_type="image/png")
    response = login(cast.pegawai).post(
        reverse("evaluasi:tonggak_report", args=[tonggak.pk]),
        {"catatan": "Sudah.", "keterangan": "Foto", "file": fake},
        follow=True,
    )
    assert "isinya bukan salah satunya" in response.content.decode()
    tonggak.refresh_from_db()
    assert tonggak.status == "rencana" and not BuktiTonggak.objects.exists()


def test_only_the_units_pengelola_publishes(login, cast, aksi, tonggak):
    published(cast, aksi, tonggak)
    services.aksi_publish(aksi=aksi, by=cast.pengelola, publish=False)
    url = reverse("evaluasi:aksi_publish", args=[aksi.pk])
    assert login(cast.pegawai).post(url, {"tampilkan": "1"}).status_code == 403
    assert login(cast.outsider).post(url, {"tampilkan": "1"}).status_code == 404
    login(cast.pengelola).post(url, {"tampilkan": "1"})
    aksi.refresh_from_db()
    assert aksi.is_published


def test_a_project_not_completed_cannot_be_published(cast, aksi):
    with pytest.raises(Exception, match="selesai"):
        services.aksi_publish(aksi=aksi, by=cast.pengelola, publish=True)


def test_the_gallery_lists_published_projects_only(client, cast, aksi, tonggak):
    assert aksi.judul not in client.get(reverse("inovasi_galeri")).content.decode()
    assert client.get(reverse("inovasi_detail", args=[aksi.pk])).status_code == 404
    published(cast, aksi, tonggak)
    page = client.get(reverse("inovasi_galeri")).content.decode()
    assert aksi.judul in page and cast.pegawai_pegawai.nama not in page
    detail = client.get(reverse("inovasi_detail", args=[aksi.pk])).content.decode()
    assert "Lancar." in detail and cast.pegawai_pegawai.nama not in detail


def test_a_citizen_says_they_noticed_and_hr_sees_it_beside_the_project(
    client, login, cast, aksi, tonggak
):
    published(cast, aksi, tonggak)
    url = reverse("inovasi_detail", args=[aksi.pk])
    response = client.post(url, answer(merasakan="ya", komentar="Antrean jauh lebih pendek."))
    assert response.status_code == 302
    respon = ResponWargaAksi.objects.get()
    assert respon.merasakan and respon.komentar == "Antrean jauh lebih pendek."
    page = login(cast.pengelola).get(aksi.get_absolute_url()).content.decode()
    assert "Antrean jauh lebih pendek." in page and "1 dari 1 warga" in page
    assert (
        "Antrean jauh lebih pendek."
        not in login(cast.pegawai).get(aksi.get_absolute_url()).content.decode()
    )


def answer(**fields) -> dict:
    """A filled innovation form as the page gives it: with a fresh one-time token."""
    return {"merasakan": "ya", "komentar": "", "token": secrets.token_urlsafe(16)} | fields


def test_the_question_is_asked_once(client, cast, aksi, tonggak):
    published(cast, aksi, tonggak)
    page = client.get(reverse("inovasi_detail", args=[aksi.pk])).content.decode()
    assert page.count("Apakah Anda merasakan perubahan ini?") == 1


def test_one_device_answers_once_per_project(client, cast, aksi, tonggak):
    published(cast, aksi, tonggak)
    url = reverse("inovasi_detail", args=[aksi.pk])
    assert client.post(url, answer(merasakan="ya")).status_code == 302
    page = client.get(url).content.decode()
    assert "tanggapan dari perangkat ini sudah kami terima" in page
    assert 'name="merasakan"' not in page  # thanks instead of the form
    assert 'href="/warga/">Kembali ke layanan warga' in page  # and a way back
    response = client.post(url, answer(merasakan="tidak"), follow=True)  # the server refuses too
    assert "Anda sudah menanggapi inovasi ini dari perangkat ini." in response.content.decode()
    assert list(ResponWargaAksi.objects.values_list("merasakan", flat=True)) == [True]
    cookie = client.cookies[f"inovasi_{aksi.pk}"]
    assert cookie["path"] == url and cookie["httponly"]  # sent to this project's page only


def test_a_forged_cookie_does_not_count_as_an_answer(client, cast, aksi, tonggak):
    published(cast, aksi, tonggak)
    url = reverse("inovasi_detail", args=[aksi.pk])
    client.cookies[f"inovasi_{aksi.pk}"] = "1"  # unsigned
    assert 'name="merasakan"' in client.get(url).content.decode()


def test_a_form_sent_twice_answers_once(client, cast, aksi, tonggak):
    published(cast, aksi, tonggak)
    url = reverse("inovasi_detail", args=[aksi.pk])
    sent = answer()
    client.post(url, sent)
    client.cookies.clear()  # the double click's second request left without the cookie
    assert client.post(url, sent).status_code == 302
    assert ResponWargaAksi.objects.count() == 1


def test_the_citizen_form_refuses_bad_input_and_saves_nothing(client, cast, aksi, tonggak):
    published(cast, aksi, tonggak)
    url = reverse("inovasi_detail", args=[aksi.pk])
    assert client.post(url, answer(merasakan="mungkin")).status_code == 200
    assert client.post(url, answer(komentar="x" * 201)).status_code == 200
    assert client.post(url, answer(token="")).status_code == 200  # no token: reload and send
    assert client.post(url, answer(situs_web="spam.example")).status_code == 302
    assert not ResponWargaAksi.objects.exists()


def test_a_sixth_citizen_response_within_the_hour_is_refused(client, cast, aksi, tonggak):
    published(cast, aksi, tonggak)
    url = reverse("inovasi_detail", args=[aksi.pk])
    responses = []
    for _ in range(6):  # six devices behind one address
        client.cookies.clear()
        responses.append(client.post(url, answer()))
    assert [r.status_code for r in responses] == [302] * 5 + [429]
    assert ResponWargaAksi.objects.count() == 5
    refused = responses[-1]
    assert re.search(r"Silakan coba lagi dalam \d+ menit", refused.content.decode())
    assert 0 < int(refused["Retry-After"]) <= 3600


def test_the_pegawai_files_the_sustainability_report_from_the_page(login, cast, aksi, tonggak):
    published(cast, aksi, tonggak)
    laporan = aksi.laporan_keberlanjutan.get(bulan=6)
    client = login(cast.pegawai)
    page = client.get(aksi.get_absolute_url()).content.decode()
    assert reverse("evaluasi:keberlanjutan_report", args=[laporan.pk]) in page
    client.post(
        reverse("evaluasi:keberlanjutan_report", args=[laporan.pk]),
        {"masih_digunakan": "ya", "uraian": "Dipakai setiap hari."},
    )
    aksi.refresh_from_db()
    assert aksi.status == "berkelanjutan"


def many_projects(cast, count):
    for n in range(count):
        pegawai = factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai)
        aksi = AksiPerubahan.objects.create(
            pegawai=pegawai, unit=cast.yankes, mentor=cast.atasan_pegawai, judul=f"Inovasi {n}",
            masalah="m", layanan="l", inovasi="i", manfaat="m", tanggal_mulai=date(2026, 1, 1),
            status="selesai", hasil="h", dipublikasikan_at="2026-06-01T00:00+07:00",
        )  # fmt: skip
        TonggakAksi.objects.create(
            aksi=aksi, tahap="pendek", uraian="u", jatuh_tempo=date(2026, 1, 2)
        )


@pytest.mark.parametrize("role", ["pengelola", "atasan"])
def test_the_list_costs_the_same_queries_at_3_and_30_projects(
    login, cast, role, django_assert_max_num_queries
):
    client = login(getattr(cast, role))
    many_projects(cast, 3)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("evaluasi:aksi_list")).status_code == 200
    many_projects(cast, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("evaluasi:aksi_list")).status_code == 200


def test_the_gallery_costs_the_same_queries_at_3_and_30_projects(
    client, cast, django_assert_max_num_queries
):
    many_projects(cast, 3)
    with django_assert_max_num_queries(10) as few:
        assert client.get(reverse("inovasi_galeri")).status_code == 200
    many_projects(cast, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("inovasi_galeri")).status_code == 200
