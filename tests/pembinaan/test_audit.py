"""The audit log: who changed a rating, a self-report verdict or a feedback's moderation, when,
and each field before and after; administrators only."""

import pytest
from django.urls import reverse

from evaluasi import services as evaluasi_services
from masyarakat.models import Masukan, UnitLayanan
from tests import factories

URL = reverse("pembinaan:audit_list")


@pytest.fixture
def periode(cast):
    return factories.periode(cast)


def rate(client, periode, pegawai, hasil):
    client.post(
        reverse("evaluasi:penilaian_save", args=[periode.pk, pegawai.pk]),
        {f"p{pegawai.pk}-hasil_kerja": hasil, f"p{pegawai.pk}-perilaku_kerja": "sesuai"},
    )


def entries(client, kind):
    return client.get(URL, {"jenis": kind}).context["entries"]


def test_a_rating_changed_shows_who_and_before_and_after(login, cast, periode):
    client = login(cast.atasan)
    rate(client, periode, cast.pegawai_pegawai, "sesuai")
    rate(client, periode, cast.pegawai_pegawai, "di_atas")
    latest, first = entries(login(cast.admin), "penilaian")[:2]
    assert (latest.oleh, latest.jenis, first.jenis) == ("atasan", "diubah", "dibuat")
    assert latest.perubahan == [("hasil kerja", "sesuai", "di_atas")]  # only what changed


def test_a_self_report_returned_by_the_atasan_is_logged(login, cast, laporan):
    evaluasi_services.laporan_transition(
        laporan=laporan, action="ajukan", by=cast.pegawai,
        data={"perubahan": "a", "contoh": "b", "dampak": "c"},
    )  # fmt: skip
    login(cast.atasan).post(
        reverse("evaluasi:laporan_decide", args=[laporan.pk]),
        {"keputusan": "kembalikan", "komentar": "Tambahkan data waktu tunggu."},
    )
    latest = entries(login(cast.admin), "laporan")[0]
    assert latest.oleh == "atasan"
    assert ("status", "diajukan", "dikembalikan") in latest.perubahan
    assert ("komentar atasan", "–", "Tambahkan data waktu tunggu.") in latest.perubahan


def test_feedback_moderation_is_logged_with_its_reason(login, cast):
    layanan = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.yankes)
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Iklan obat.")
    login(cast.pengelola).post(
        reverse("masyarakat:masukan_detail", args=[masukan.pk]),
        {"tindakan": "spam", "teks": "Iklan."},
    )
    latest = entries(login(cast.admin), "masukan")[0]
    assert latest.oleh == "pengelola"
    assert ("status", "diterima", "spam") in latest.perubahan
    assert ("alasan", "–", "Iklan.") in latest.perubahan


@pytest.mark.parametrize("role", ["pegawai", "atasan", "outsider", "pengelola"])
def test_only_administrators_read_it(login, cast, role):
    assert login(getattr(cast, role)).get(URL).status_code == 403


def test_it_costs_the_same_queries_at_3_and_30_changes(
    login, cast, periode, django_assert_max_num_queries
):
    client = login(cast.admin)
    staff = [factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai) for _ in range(30)]
    for pegawai in staff[:3]:
        evaluasi_services.penilaian_save(
            periode=periode, pegawai=pegawai, penilai=cast.atasan_pegawai,
            hasil_kerja="sesuai", perilaku_kerja="sesuai",
        )  # fmt: skip
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL, {"jenis": "penilaian"}).status_code == 200
    for pegawai in staff[3:]:
        evaluasi_services.penilaian_save(
            periode=periode, pegawai=pegawai, penilai=cast.atasan_pegawai,
            hasil_kerja="di_atas", perilaku_kerja="sesuai",
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL, {"jenis": "penilaian"}).context["entries"]) == 30
