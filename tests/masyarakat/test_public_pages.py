"""What a citizen sees without an account: the logo leads to /warga/, the staff login is behind a
discreet "Masuk pegawai" only, every thank-you page has a way back, and no page tells a citizen
to type an address."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from masyarakat import services, surel
from masyarakat.models import ForumDialog, Masukan, UnitLayanan
from tests.evaluasi.test_aksi_views import aksi, media, published, tonggak  # noqa: F401

LINK = re.compile(r"<a\b[^>]*\bhref=\"([^\"]*)\"[^>]*>(.*?)</a>", re.S)
WARGA = "/warga/"
STAFF = {"/", "/masuk/", "/admin/"}


@pytest.fixture
def layanan(cast):
    return UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")


@pytest.fixture
def forum(layanan):
    return ForumDialog.objects.create(
        topik="Antrean poli umum", unit_layanan=layanan, format="tatap_muka", kapasitas=1,
        waktu=timezone.now() + timedelta(days=7), agenda="Paparan; tanya jawab",
    )  # fmt: skip


@pytest.fixture
def masukan(layanan):
    return Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Antrean lama")


@pytest.fixture
def pages(cast, layanan, forum, masukan, aksi, tonggak):  # noqa: F811 - the imported fixtures
    published(cast, aksi, tonggak)
    pendaftaran = services.forum_register(forum=forum, nama="Ani", kontak="ani@contoh.id")
    return [
        WARGA,
        f"{WARGA}?kode=TIDAKADA",
        reverse("masyarakat:masukan_create"),
        masukan.get_tracking_url(),
        f"{masukan.get_tracking_url()}?baru=1",
        layanan.get_survey_url(),
        reverse("masyarakat:survei_terima_kasih", args=[layanan.kode]),
        forum.get_absolute_url(),
        reverse("masyarakat:forum_batal", args=[services.batal_token(pendaftaran)]),
        reverse("masyarakat:berhenti", args=[surel.berhenti_token("ani@contoh.id")]),
        reverse("inovasi_galeri"),
        reverse("inovasi_detail", args=[aksi.pk]),
        reverse("verifikasi", args=["TIDAKADA"]),
        "/tidak-ada/",  # the 404 page
    ]


def links(html: str) -> list[tuple[str, str]]:
    return [
        (href, unescape(re.sub(r"<[^>]+>", "", text)).strip()) for href, text in LINK.findall(html)
    ]


def main(html: str) -> str:
    return html[html.index('<main id="isi"') : html.index("</main>")]


def test_the_logo_of_every_public_page_leads_to_the_citizens_home(client, pages):
    for path in pages:
        html = client.get(path, follow=True).content.decode()
        brand = re.search(r'<a class="navbar-brand[^"]*" href="([^"]*)"', html)
        assert brand and brand.group(1) == WARGA, path


def test_public_pages_link_to_the_staff_login_only_by_a_discreet_masuk_pegawai(client, pages):
    for path in pages:
        html = client.get(path, follow=True).content.decode()
        staff = [(href, text) for href, text in links(html) if href.split("?")[0] in STAFF]
        assert staff == [("/masuk/", "Masuk pegawai")], path
        assert 'class="small link-light" href="/masuk/"' in html  # small text, not a button


def test_a_staff_member_keeps_their_dashboard_behind_the_logo(login, cast, pages):
    html = login(cast.pengelola).get(WARGA).content.decode()
    assert '<a class="navbar-brand fw-semibold" href="/">' in html
    assert "Masuk pegawai" not in html


def test_the_login_page_does_not_link_to_itself(client):
    assert "Masuk pegawai" not in client.get(reverse("login")).content.decode()


def test_every_thank_you_page_has_a_way_back(client, cast, layanan, forum, masukan, aksi, tonggak):  # noqa: F811
    published(cast, aksi, tonggak)
    pendaftaran = services.forum_register(forum=forum, nama="Ani", kontak="ani@contoh.id")
    batal = reverse("masyarakat:forum_batal", args=[services.batal_token(pendaftaran)])
    berhenti = reverse("masyarakat:berhenti", args=[surel.berhenti_token("ani@contoh.id")])
    thanks = {
        "survey": client.get(reverse("masyarakat:survei_terima_kasih", args=[layanan.kode])),
        "feedback": client.get(f"{masukan.get_tracking_url()}?baru=1", follow=True),
        "feedback (a bot's)": client.post(
            reverse("masyarakat:masukan_create"),
            {
                "unit_layanan": layanan.pk,
                "kategori": "keluhan",
                "isi": "Antrean terlalu lama",
                "situs_web": "spam.example",
            },
        ),  # fmt: skip
        "forum": client.post(
            forum.get_absolute_url(), {"nama": "Budi", "kontak": "0812 3456 7890"}, follow=True
        ),
        "forum cancelled": client.post(batal, follow=True),
        "unsubscribed": client.post(berhenti),
        "innovation": client.post(
            reverse("inovasi_detail", args=[aksi.pk]),
            {"merasakan": "ya", "token": "a" * 22},
            follow=True,
        ),
    }
    for name, response in thanks.items():
        html = response.content.decode()
        assert "Terima kasih" in html or "dibatalkan" in html or "tidak akan" in html, name
        assert WARGA in [href for href, _ in links(main(html))], name


def test_no_feedback_page_tells_a_citizen_to_type_an_address(client, layanan, masukan):
    responses = [
        client.get(reverse("masyarakat:masukan_create")),
        client.post(reverse("masyarakat:masukan_create"), {"unit_layanan": layanan.pk}),  # errors
        client.get(f"{masukan.get_tracking_url()}?baru=1", follow=True),
        client.get(f"{WARGA}?kode=TIDAKADA"),
        client.get(WARGA),
        client.get(reverse("masyarakat:survei_terima_kasih", args=[layanan.kode])),
    ]
    for response in responses:
        html = main(response.content.decode())
        text = unescape(re.sub(r"<[^>]+>", " ", html))  # what is read, not the links' targets
        assert not re.search(r"https?://|www\.|\.go\.id|/[a-z-]+/", text), text
        assert not re.search(r"\b(ketik|buka) (alamat|tautan)", text, re.I), text


def test_too_many_registrations_or_replies_answer_with_the_site_layout_and_a_way_back(
    client, settings, forum, masukan
):
    settings.PUBLIC_FORMS_PER_HOUR = 1
    reply = {"tindakan": "balas", "balasan": "Masih antre lama"}
    for url, data in (
        (forum.get_absolute_url(), {"nama": "Ani", "kontak": "0812 3456 7890"}),
        (masukan.get_tracking_url(), reply),
    ):
        client.post(url, data)
        refused = client.post(url, data)
        html = refused.content.decode()
        assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600, url
        assert re.search(r"Terlalu banyak .* Silakan coba lagi dalam \d+ menit", main(html)), url
        brand = re.search(r'<a class="navbar-brand[^"]*" href="([^"]*)"', html)
        assert brand and brand.group(1) == WARGA, url
