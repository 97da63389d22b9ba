"""The status page of an evaluation file says what the file is (its subject, when it was asked
for, a way back to the subject's page) and, when it failed, offers to ask for it again to whoever
may still ask."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from evaluasi.models import BerkasLaporan
from tests import factories


def berkas_of(cast, jenis, subject, **fields) -> BerkasLaporan:
    berkas = BerkasLaporan.objects.create(
        jenis=jenis,
        diminta_oleh=cast.pengelola,
        **{jenis if jenis != "unit" else "periode_unit": subject},
    )
    asked = datetime(2026, 10, 2, 9, 15, tzinfo=ZoneInfo("Asia/Jakarta"))
    BerkasLaporan.objects.filter(pk=berkas.pk).update(created_at=asked, **fields)
    return berkas


def page(client, berkas) -> str:
    response = client.get(reverse("evaluasi:berkas_detail", args=[berkas.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_unit_file_names_the_unit_and_the_period_and_links_back(login, cast, periode):
    berkas = berkas_of(cast, "unit", periode.periode_units.get())
    html = page(login(cast.pengelola), berkas)
    assert cast.dinkes.nama in html
    assert "Triwulan III 2026" in html
    assert "1 Juli 2026" in html and "30 September 2026" in html
    assert "Diminta 2 Oktober 2026, 09.15 WIB" in html
    assert f'href="{periode.get_absolute_url()}"' in html


def test_a_pegawai_file_names_the_pegawai_and_their_nip(login, cast):
    pegawai = cast.pegawai_pegawai
    html = page(login(cast.pengelola), berkas_of(cast, "pegawai", pegawai))
    assert pegawai.nama_lengkap in html
    assert pegawai.nip_tampil in html
    assert reverse("evaluasi:kinerja_pegawai", args=[pegawai.pk]) in html


def test_a_batch_file_names_the_batch(login, cast):
    angkatan = factories.angkatan()
    html = page(login(cast.pengelola), berkas_of(cast, "angkatan", angkatan))
    assert angkatan.nama in html
    assert reverse("evaluasi:angkatan_evaluasi", args=[angkatan.pk]) in html


def test_a_failed_file_offers_to_ask_again(login, cast):
    pegawai = cast.pegawai_pegawai
    berkas = berkas_of(cast, "pegawai", pegawai, status="gagal", pesan_gagal="Rusak.")
    client = login(cast.pengelola)
    again = reverse("evaluasi:berkas_request", args=["pegawai", pegawai.pk])
    assert "Minta ulang" in page(client, berkas)
    assert f'action="{again}"' in page(client, berkas)
    # The status poll swaps in the same fragment, button included.
    polled = client.get(berkas.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Minta ulang" in polled


def test_a_finished_file_does_not_offer_to_ask_again(login, cast):
    berkas = berkas_of(cast, "pegawai", cast.pegawai_pegawai, status="selesai")
    assert "Minta ulang" not in page(login(cast.pengelola), berkas)
