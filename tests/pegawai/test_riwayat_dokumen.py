"""The scans of decrees and diplomas attached to history rows are private: checked by content and
size on upload, stored under a generated name outside any public URL, and served only through a
view that asks who may read them: the pegawai themself, their unit's HR, and a former unit's HR
for the rows of their period; not their atasan, not another unit's HR."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pegawai import services
from pegawai.models import RiwayatGolongan
from tests import factories
from tests.files import image_bytes, pdf_bytes

pytestmark = pytest.mark.usefixtures("private_media")


@pytest.fixture
def sk(cast) -> RiwayatGolongan:
    row = RiwayatGolongan(pegawai=cast.pegawai_pegawai, golongan_id=33, tmt=date(2023, 4, 1))
    row.dokumen.save("sk.pdf", ContentFile(pdf_bytes()), save=False)
    return services.riwayat_save(riwayat=row, user=cast.pengelola)


def url(row) -> str:
    return reverse("pegawai:riwayat_dokumen", args=["golongan", row.pk])


def test_the_pegawai_and_their_units_hr_download_it_as_an_attachment(login, cast, sk):
    for user in (cast.pegawai, cast.pengelola, cast.admin):
        response = login(user).get(url(sk))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_another_units_hr_do_not_find_it_and_the_atasan_may_not_read_it(login, cast_lengkap, sk):
    cast = cast_lengkap
    assert login(cast.pengelola_lain).get(url(sk)).status_code == 404
    assert login(cast.outsider).get(url(sk)).status_code == 404
    assert login(cast.atasan).get(url(sk)).status_code == 403
    assert login(cast.rekan).get(url(sk)).status_code == 404


def test_the_stored_name_is_generated_and_not_under_a_public_url(cast, sk, client):
    assert sk.dokumen.name.startswith("riwayat/") and "sk" not in sk.dokumen.name.split("/")[-1]
    assert client.get(f"/media/{sk.dokumen.name}").status_code == 404


def test_a_former_units_hr_read_the_scans_of_their_period_only(login, cast, sk):
    moved = timezone.localdate() - timedelta(days=5)
    services.pegawai_mutasi(
        pegawai=cast.pegawai_pegawai, unit_tujuan=cast.bkd, tmt=moved, atasan=None,
        user=cast.pengelola,
    )  # fmt: skip
    later = RiwayatGolongan(pegawai=cast.pegawai_pegawai, golongan_id=34, tmt=timezone.localdate())
    later.dokumen.save("sk.pdf", ContentFile(pdf_bytes()), save=False)
    services.riwayat_save(riwayat=later, user=cast.admin)
    # A row dated on the move's very day is the new unit's.
    same_day = RiwayatGolongan(pegawai=cast.pegawai_pegawai, golongan_id=34, tmt=moved)
    same_day.dokumen.save("sk.pdf", ContentFile(pdf_bytes()), save=False)
    services.riwayat_save(riwayat=same_day, user=cast.admin)
    client = login(cast.pengelola)
    assert client.get(url(sk)).status_code == 200
    assert client.get(url(later)).status_code == 404
    assert client.get(url(same_day)).status_code == 404


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_nothing_saved(login, cast):
    response = login(cast.pengelola).post(
        reverse("pegawai:riwayat_create", args=[cast.pegawai_pegawai.pk, "golongan"]),
        {"golongan": 33, "tmt": "2023-04-01",
         "dokumen": SimpleUploadedFile("sk.pdf", b"%PDF-1.4 not really a pdf")},
    )  # fmt: skip
    assert response.status_code == 200
    assert "dokumen" in response.context["form"].errors
    assert not RiwayatGolongan.objects.exists()


def test_a_file_over_5_mb_is_refused(login, cast):
    big = SimpleUploadedFile("sk.png", image_bytes() + b"\0" * (5 * 1024 * 1024))
    response = login(cast.pengelola).post(
        reverse("pegawai:riwayat_create", args=[cast.pegawai_pegawai.pk, "golongan"]),
        {"golongan": 33, "tmt": "2023-04-01", "dokumen": big},
    )
    assert "paling besar 5 MB" in " ".join(response.context["form"].errors["dokumen"])


def test_an_image_scan_is_accepted(login, cast):
    login(cast.pengelola).post(
        reverse("pegawai:riwayat_create", args=[cast.pegawai_pegawai.pk, "golongan"]),
        {"golongan": 33, "tmt": "2023-04-01",
         "dokumen": SimpleUploadedFile("foto SK.jpg", image_bytes("JPEG"))},
    )  # fmt: skip
    assert RiwayatGolongan.objects.get(tmt=date(2023, 4, 1)).dokumen.name.endswith(".jpg")


def test_a_row_without_a_scan_has_nothing_to_download(login, cast):
    row = services.riwayat_save(
        riwayat=RiwayatGolongan(pegawai=cast.pegawai_pegawai, golongan_id=33,
                                tmt=date(2023, 4, 1)),
        user=cast.pengelola,
    )  # fmt: skip
    assert login(cast.pegawai).get(url(row)).status_code == 404


def test_a_subordinate_in_another_unit_stays_private_to_that_units_hr(login, cast):
    # The atasan sees their subordinate anywhere, but never the personnel file.
    other = factories.pegawai(cast.bkd, atasan=cast.atasan_pegawai)
    row = RiwayatGolongan(pegawai=other, golongan_id=33, tmt=date(2023, 4, 1))
    row.dokumen.save("sk.pdf", ContentFile(pdf_bytes()), save=False)
    services.riwayat_save(riwayat=row, user=cast.admin)
    assert login(cast.atasan).get(url(row)).status_code == 403
