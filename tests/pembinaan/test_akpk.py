"""The AKPK of an OPD: agreed plans rolled up per competency and form (sums on hand-made data),
its download, its weight in the needs analysis, and its classical rows turned into the program's
planned batches in one step."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pegawai.models import Pegawai
from pelatihan import services as pelatihan_services
from pelatihan.models import Angkatan, Kompetensi, PelatihanKompetensi, RencanaPengembangan
from pelatihan.reports import akpk_baris, akpk_jumlah
from pembinaan import kebutuhan, services
from pembinaan.models import KebutuhanPelatihan
from tests import factories
from tests.queries import cold_queries

TAHUN = timezone.localdate().year + 1


def kompetensi(kode):
    return Kompetensi.objects.get(kode=kode)


def line(pegawai, kode, bentuk, jp, biaya=0, pelatihan=None, tahun=TAHUN):
    return pelatihan_services.baris_rencana_add(
        pegawai=pegawai, tahun=tahun, kompetensi=kompetensi(kode), level_target=3,
        bentuk=bentuk, jp=jp, biaya=biaya, pelatihan=pelatihan,
    )  # fmt: skip


def agree(pegawai, tahun=TAHUN):
    RencanaPengembangan.objects.filter(pegawai=pegawai, tahun=tahun).update(
        status="disetujui", tanggal_pertemuan=date(tahun - 1, 11, 2), disetujui_at=timezone.now()
    )


@pytest.fixture
def akpk(cast):
    """Agreed in Dinas Kesehatan: A and B plan the M.04 training (32 JP, Rp 3.000.000 and
    Rp 3.000.000), A and E coaching for M.03 (8 JP; E twice, 8 + 4 JP, Rp 100.000). Left out: C's
    submitted plan, D of BKD, A's plan of another year."""
    training = factories.pelatihan(nama="Orientasi Hasil", jp=32)
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.04"), level=3)
    a, b = cast.pegawai_pegawai, factories.pegawai(cast.yankes, nama="Bambang")
    c, e = factories.pegawai(cast.yankes, nama="Citra"), factories.pegawai(cast.dinkes, nama="Eka")
    d = factories.pegawai(cast.bkd, nama="Dodi")
    line(a, "M.04", 3, 32, 3_000_000, training)
    line(a, "M.03", 14, 8)
    line(b, "M.04", 3, 32, 3_000_000, training)
    line(e, "M.03", 14, 8)
    line(e, "M.03", 14, 4, 100_000)
    line(c, "M.04", 3, 32, 2_500_000, training)
    line(d, "M.04", 3, 32, 9_000_000, training)
    line(a, "M.04", 3, 32, 7_000_000, training, tahun=TAHUN - 1)
    for person in (a, b, e, d):
        agree(person)
    agree(a, TAHUN - 1)
    RencanaPengembangan.objects.filter(pegawai=c).update(status="diajukan")
    return training


def test_the_akpk_sums_jp_cost_and_pegawai_per_competency_and_form(cast, akpk):
    scope = Pegawai.objects.di_unit(cast.dinkes)
    rows = akpk_baris(scope, TAHUN)
    got = [(r["kompetensi__kode"], r["bentuk"], r["pelatihan__nama"], r["pegawai"], r["jp"],
            r["biaya"], r["baris"]) for r in rows]  # fmt: skip
    assert got == [
        ("M.03", 14, None, 2, 20, 100_000, 3),
        ("M.04", 3, "Orientasi Hasil", 2, 64, 6_000_000, 2),
    ]
    assert akpk_jumlah(scope, TAHUN, rows) == {"jp": 84, "biaya": 6_100_000, "pegawai": 3}


def test_a_sub_unit_has_its_own_akpk(cast, akpk):
    rows = akpk_baris(Pegawai.objects.di_unit(cast.yankes), TAHUN)
    assert [(r["kompetensi__kode"], r["pegawai"], r["jp"]) for r in rows] == [
        ("M.03", 1, 8),
        ("M.04", 2, 64),
    ]


def test_the_page_shows_the_totals_in_indonesian_and_downloads_as_csv(login, cast, akpk):
    client = login(cast.pengelola)
    url = reverse("pembinaan:akpk_list")
    page = client.get(url, {"unit": cast.dinkes.pk, "tahun": TAHUN})
    html = page.content.decode()
    assert 'data-jumlah="biaya">Rp 6.100.000<' in html
    assert 'data-jumlah="pegawai">3<' in html
    download = client.get(url, {"unit": cast.dinkes.pk, "tahun": TAHUN, "format": "csv"})
    text = b"".join(download.streaming_content if download.streaming else [download.content])
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Kode", "Kompetensi", "Bentuk pengembangan", "Pelatihan",
                           "Jumlah pegawai"]  # fmt: skip
    assert rows[2] == ["M.04", "Orientasi pada Hasil", "Diklat Teknis", "Orientasi Hasil", "2",
                       "64", "6000000", "0", "2"]  # fmt: skip


def test_the_xlsx_download_answers(login, cast, akpk):
    response = login(cast.pengelola).get(
        reverse("pembinaan:akpk_list"), {"unit": cast.dinkes.pk, "tahun": TAHUN, "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_page_is_for_hr_of_the_opd_and_the_province(login, cast_lengkap, akpk):
    cast = cast_lengkap
    url = reverse("pembinaan:akpk_list")
    query = {"unit": cast.dinkes.pk, "tahun": TAHUN}
    assert login(cast.pegawai).get(url, query).status_code == 403
    assert login(cast.atasan).get(url, query).status_code == 403
    assert login(cast.pengelola_lain).get(url, query).status_code == 404
    assert login(cast.provinsi).get(url, query).status_code == 200


def test_the_akpk_is_the_strongest_evidence_of_the_needs_analysis(cast, akpk):
    rows = {r.kompetensi.kode: r for r in kebutuhan.analisis(cast.dinkes, tahun=TAHUN - 1)}
    assert rows["M.04"].skor == kebutuhan.BOBOT["akpk"] * (1 + 2)
    assert rows["M.04"].bukti == [
        f"AKPK {TAHUN - 1}: 1 pegawai menyepakati pengembangannya dengan atasan",
        f"AKPK {TAHUN}: 2 pegawai menyepakati pengembangannya dengan atasan",
    ]
    assert kebutuhan.BOBOT["akpk"] == max(kebutuhan.BOBOT.values())


def test_the_akpk_plans_its_classical_rows_as_batches_in_one_step(login, cast, akpk):
    client = login(cast.pengelola)
    response = client.post(
        reverse("pembinaan:akpk_rencanakan"), {"unit": cast.dinkes.pk, "tahun": TAHUN}
    )
    assert response.status_code == 302
    batch = Angkatan.objects.get(pelatihan=akpk)
    assert (batch.status, batch.tanggal_mulai.year, batch.tanggal_mulai.weekday()) == (
        "direncanakan", TAHUN, 0,
    )  # fmt: skip
    assert sorted(batch.peserta.values_list("pegawai__nama", flat=True)) == [
        "Bambang", "Budi Pegawai",
    ]  # fmt: skip
    planned = KebutuhanPelatihan.objects.get()
    assert (planned.unit, planned.kompetensi.kode, planned.tahun, planned.angkatan) == (
        cast.dinkes, "M.04", TAHUN, batch,
    )  # fmt: skip
    assert planned.bukti == f"AKPK {TAHUN}: 2 pegawai, 64 JP, Rp 6.000.000"
    page = client.get(reverse("pembinaan:akpk_list"), {"unit": cast.dinkes.pk, "tahun": TAHUN})
    assert batch.get_absolute_url() in page.content.decode()


def test_a_training_named_for_two_competencies_is_one_batch(cast, akpk):
    # Orientasi Hasil also targets M.05; Eka's agreed plan names it for M.05: one batch with
    # Budi, Bambang and Eka, both competencies recorded as planned by it.
    PelatihanKompetensi.objects.create(pelatihan=akpk, kompetensi=kompetensi("M.05"), level=3)
    e = Pegawai.objects.get(nama="Eka")
    RencanaPengembangan.objects.filter(pegawai=e, tahun=TAHUN).update(status="draf")
    line(e, "M.05", 3, 32, 3_000_000, akpk)
    agree(e)
    today = timezone.localdate()
    services.akpk_rencanakan(unit=cast.dinkes, tahun=TAHUN, by=cast.pengelola, today=today)
    batch = Angkatan.objects.get(pelatihan=akpk)
    assert sorted(batch.peserta.values_list("pegawai__nama", flat=True)) == [
        "Bambang", "Budi Pegawai", "Eka",
    ]  # fmt: skip
    assert sorted(KebutuhanPelatihan.objects.values_list("kompetensi__kode", "angkatan")) == [
        ("M.04", batch.pk), ("M.05", batch.pk),
    ]  # fmt: skip


def test_planning_again_skips_what_is_planned(cast, akpk):
    today = timezone.localdate()
    services.akpk_rencanakan(unit=cast.dinkes, tahun=TAHUN, by=cast.pengelola, today=today)
    again = services.akpk_rencanakan(unit=cast.dinkes, tahun=TAHUN, by=cast.pengelola, today=today)
    assert again.direncanakan == []
    assert again.dilewati == [("Orientasi Hasil", "M.04 sudah direncanakan")]
    assert Angkatan.objects.count() == 1


def test_a_training_of_another_organiser_is_skipped_with_the_reason(cast, akpk):
    akpk.unit_penyelenggara = None  # a province training: its HR open the batches
    akpk.save()
    hasil = services.akpk_rencanakan(
        unit=cast.dinkes, tahun=TAHUN, by=cast.pengelola, today=timezone.localdate()
    )
    assert hasil.dilewati == [("Orientasi Hasil", "diselenggarakan provinsi")]
    assert not Angkatan.objects.exists() and not KebutuhanPelatihan.objects.exists()


def test_a_past_year_or_an_akpk_without_classical_rows_is_refused(cast, akpk):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="sudah lewat"):
        services.akpk_rencanakan(unit=cast.dinkes, tahun=today.year - 1, by=cast.pengelola,
                                 today=today)  # fmt: skip
    with pytest.raises(ValidationError, match="belum memiliki baris klasikal"):
        services.akpk_rencanakan(
            unit=factories.unit("INSP", "Inspektorat"), tahun=TAHUN, by=cast.admin, today=today
        )
    assert not Angkatan.objects.exists()


def test_the_akpk_page_queries_do_not_grow_with_the_plans(
    login, cast, akpk, django_assert_max_num_queries
):
    client = login(cast.pengelola)
    url = reverse("pembinaan:akpk_list")
    query = {"unit": cast.dinkes.pk, "tahun": TAHUN}

    def more(n):
        for i in range(n):
            person = factories.pegawai(cast.yankes)
            line(person, "M.04", 3, 32, 1_000_000, akpk)
            line(person, ["M.01", "M.02", "M.03"][i % 3], 14 + i % 3, 8)
            agree(person)

    more(3)
    with cold_queries() as small:
        assert client.get(url, query).status_code == 200
    more(30)
    with django_assert_max_num_queries(14), cold_queries() as large:
        assert client.get(url, query).status_code == 200
    assert len(large) == len(small)


@pytest.mark.parametrize("tahun", ["1999", "abc", ""])
def test_a_year_outside_the_choices_plans_nothing(login, cast, akpk, tahun):
    client = login(cast.pengelola)
    response = client.post(
        reverse("pembinaan:akpk_rencanakan"), {"unit": cast.dinkes.pk, "tahun": tahun}, follow=True
    )
    assert "Pilih tahun AKPK dari daftar" in response.content.decode()
    assert not Angkatan.objects.exists() and not KebutuhanPelatihan.objects.exists()
