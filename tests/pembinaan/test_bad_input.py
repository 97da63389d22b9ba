"""Bad input from anyone, signed in or not, gets a 400 or 404 page in Indonesian, never a 500
(and so never an error mail to the admins)."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masyarakat.models import ForumDialog, Masukan, UnitLayanan
from pembinaan.lib.pagination import encode_cursor


@pytest.fixture
def admins_mailed_on_errors(settings):
    settings.ADMINS = [("Admin", "admin@example.org")]
    settings.DEBUG = False


@pytest.fixture
def masukan(cast):
    layanan = UnitLayanan.objects.create(unit=cast.yankes, nama="Poli Umum", kode="poli")
    return Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Lama sekali")


@pytest.mark.parametrize(
    "url",
    [
        "/masukan/AB%00CD/",
        "/warga/?kode=AB%00CD",
        "/pelatihan/?q=%00",
        "/masyarakat/masukan/?setelah=a%00",
        "/verifikasi/%00/",
        "/forum/%00/",
    ],
)
def test_a_nul_byte_in_the_path_or_query_is_a_400_page_in_indonesian(
    client, cast, admins_mailed_on_errors, url
):
    for user in (None, cast.admin):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 400
        assert "Permintaan tidak dapat dibaca" in response.content.decode()
    assert mail.outbox == []


def test_a_nul_byte_in_a_form_field_is_a_400_and_nothing_is_saved(client, masukan):
    response = client.post(
        reverse("masyarakat:masukan_create"),
        {"unit_layanan": masukan.unit_layanan_id, "kategori": "saran", "isi": "Antre\x00an"},
    )
    assert response.status_code == 400
    assert Masukan.objects.count() == 1


def test_a_nul_byte_in_a_cookie_is_a_400(client, cast):
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get(reverse("masyarakat:warga")).status_code == 400


def test_clean_requests_pass_through(client, masukan):
    assert client.get(f"{reverse('masyarakat:warga')}?kode=").status_code == 200


def test_a_request_django_finds_suspicious_is_a_400_without_mailing_the_admins(
    client, admins_mailed_on_errors, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post(reverse("masyarakat:masukan_create"), {f"f{i}": "x" for i in range(20)})
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()
    assert mail.outbox == []


def test_an_import_with_a_cell_over_the_csv_limit_names_the_file_error(client, cast, masukan):
    text = 'usia,jenis_kelamin\n34,"P\n' + "x" * 200_000
    client.force_login(cast.pengelola)
    response = client.post(
        reverse("masyarakat:survei_impor"),
        {"unit_layanan": masukan.unit_layanan_id, "tanggal": "2026-03-15",
         "file": SimpleUploadedFile("kertas.csv", text.encode())},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Baris 2 tidak dapat dibaca" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize("usia", ["²³", "٣٤", "9" * 30])
def test_an_import_with_odd_digits_for_an_age_names_the_row(client, cast, masukan, usia):
    header = "usia,jenis_kelamin,pendidikan,pekerjaan,u1,u2,u3,u4,u5,u6,u7,u8,u9,saran"
    row = f"{usia},P,s1,swasta,4,3,3,,4,4,4,3,3,"
    client.force_login(cast.pengelola)
    response = client.post(
        reverse("masyarakat:survei_impor"),
        {"unit_layanan": masukan.unit_layanan_id, "tanggal": "2026-03-15",
         "file": SimpleUploadedFile("kertas.csv", f"{header}\n{row}\n".encode())},
    )  # fmt: skip
    assert [(b, k) for b, k, _ in response.context["kesalahan"]] == [(2, "usia")]


def test_a_stored_file_missing_from_disk_is_a_404_that_says_so(
    client, cast, laporan, settings, tmp_path, admins_mailed_on_errors
):
    settings.MEDIA_ROOT = tmp_path
    laporan.lampiran.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
    url = reverse("evaluasi:laporan_lampiran", args=[laporan.pk])
    client.force_login(cast.pegawai)
    assert client.get(url).status_code == 200
    (tmp_path / laporan.lampiran.name).unlink()
    response = client.get(url)
    assert response.status_code == 404
    assert "tidak ditemukan di penyimpanan server" in response.content.decode()
    assert mail.outbox == []


TAMPERED_CURSORS = [
    encode_cursor(["Budi", "x"]),  # an id that is no number
    encode_cursor(["Budi", 10**30]),  # an id beyond its column
    encode_cursor(["Bu\x00di", 1]),  # NUL inside the cursor, past the middleware
    encode_cursor(["bukan tanggal", 1]),  # no date for a date key
    encode_cursor([10**30, 1]),
    "%%%",
]
KEYSET_LISTS = [
    "pegawai:list",
    "pelatihan:list",
    "pembinaan:jp_kepatuhan",
    "evaluasi:aksi_list",
    "masyarakat:masukan_list",
]


@pytest.mark.parametrize("name", KEYSET_LISTS)
def test_a_tampered_page_cursor_on_a_keyset_list_gives_its_first_page(client, cast, name):
    client.force_login(cast.admin)
    first = client.get(reverse(name))
    assert first.status_code == 200
    for cursor in TAMPERED_CURSORS:
        for direction in ("setelah", "sebelum"):
            response = client.get(reverse(name), {direction: cursor})
            assert response.status_code == 200, (direction, cursor)
            assert not response.context["page"].has_previous


@pytest.mark.parametrize(
    "url",
    [
        "/masyarakat/ikm/?tahun=²&ke=٣&populasi=" + "9" * 30,
        "/masukan/petugas/?unit_layanan=²",
        "/program/kepatuhan-jp/?tahun=²",
        "/program/kepatuhan-jp/?tahun=" + "9" * 30,
    ],
)
def test_odd_digits_or_huge_numbers_in_a_query_are_ignored(client, cast, url):
    client.force_login(cast.admin)
    assert client.get(url).status_code == 200


def test_odd_numbers_in_raw_form_fields_are_refused_with_a_message(client, cast, masukan):
    client.force_login(cast.admin)
    forum = ForumDialog.objects.create(
        topik="Forum", unit_layanan=masukan.unit_layanan, waktu="2026-12-20T09:00+07:00",
        format="tatap_muka", kapasitas=20, agenda="Tanya jawab",
    )  # fmt: skip
    for hadir in ("9" * 30, "²"):
        response = client.post(
            reverse("masyarakat:forum_detail", args=[forum.pk]),
            {"tindakan": "tutup", "notulen": "Dibahas.", "jumlah_hadir": hadir},
        )
        assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.status == ForumDialog.Status.DIRENCANAKAN
    for value in ("abc", "²", "9" * 30):
        response = client.post(reverse("pembinaan:kebutuhan_rencanakan"), {"kompetensi": value})
        assert response.status_code == 404
        response = client.post(reverse("pembinaan:program_create"), {"tahun": value})
        assert response.status_code == 302
