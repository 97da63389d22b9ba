"""The training-needs analysis: its ranking from hand-made evidence, what each row proposes, a row
turned into a planned batch in one step, and the page's access."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluasi.models import LaporanPascaPelatihan
from masyarakat.models import Masukan, ResponSurvei, UnitLayanan
from pelatihan.models import (
    Angkatan,
    Kompetensi,
    Pelatihan,
    PelatihanKompetensi,
    PenilaianKompetensi,
    StandarKompetensi,
)
from pembinaan import kebutuhan, services
from pembinaan.models import KebutuhanPelatihan
from tests import factories


def kompetensi(kode):
    return Kompetensi.objects.get(kode=kode)


@pytest.fixture
def evidence(cast):
    """M.04: both cast pegawai below standard (2 × 3 = 6).
    M.03: one failed post-test (2) and one report naming it (2) = 4.
    M.05: U7 of the unit's service low (5) and three complaints (3) = 8; M.01 from U7 too (5)."""
    jabatan = cast.pegawai_pegawai.jabatan
    StandarKompetensi.objects.create(jabatan=jabatan, kompetensi=kompetensi("M.04"), level=3)
    for pegawai in (cast.pegawai_pegawai, cast.atasan_pegawai):
        PenilaianKompetensi.objects.create(
            pegawai=pegawai, kompetensi=kompetensi("M.04"), level=2, tanggal=date(2026, 1, 5),
            sumber="uji_kompetensi",
        )  # fmt: skip
    training = factories.pelatihan(nama="Komunikasi Publik")
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.03"), level=3)
    batch = factories.angkatan(training)
    failed = batch.peserta.create(pegawai=cast.pegawai_pegawai, status="terdaftar", nilai_post=50)
    laporan = LaporanPascaPelatihan.objects.create(
        peserta=failed, pegawai=cast.pegawai_pegawai, jatuh_tempo=date(2026, 6, 1)
    )
    laporan.kompetensi_dibutuhkan.set([kompetensi("M.03")])
    layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=cast.yankes)
    year = timezone.localdate().year
    answers = {f"u{n}": 4 for n in range(1, 10)} | {"u7": 2}
    ResponSurvei.objects.create(unit_layanan=layanan, tanggal=date(year, 3, 1), **answers)
    for _ in range(3):
        Masukan.objects.create(
            unit_layanan=layanan, kategori="keluhan", isi="Petugas kurang ramah."
        )
    return {"training": training}


def test_rows_rank_by_weighted_evidence(cast, evidence):
    rows = {r.kompetensi.kode: r for r in kebutuhan.analisis(cast.dinkes)}
    assert {k: r.skor for k, r in rows.items()} == {"M.04": 6, "M.03": 4, "M.05": 8, "M.01": 5}
    ranked = [r.kompetensi.kode for r in kebutuhan.analisis(cast.dinkes)]
    assert ranked == ["M.05", "M.04", "M.01", "M.03"]
    assert (
        rows["M.05"].bukti
        == [
            "IKM Poli Umum: U7 Perilaku pelaksana NRR 2,00",
            "3 keluhan masyarakat tahun ini",
        ]
        or rows["M.05"].bukti[1] == "3 keluhan masyarakat tahun ini"
    )
    assert rows["M.03"].bukti == [
        "1 peserta dengan nilai post-test di bawah batas lulus",
        "1 laporan menyebutnya sebagai kebutuhan lanjutan",
    ]


def test_another_units_evidence_stays_out(cast, evidence):
    assert kebutuhan.analisis(cast.bkd) == []


def test_a_row_proposes_an_open_batch_else_the_training_else_a_new_one(cast, evidence):
    open_batch = factories.angkatan(
        evidence["training"], mulai=timezone.localdate() + timedelta(days=10),
        selesai=timezone.localdate() + timedelta(days=12), status="pendaftaran",
    )  # fmt: skip
    rows = {r.kompetensi.kode: r for r in kebutuhan.analisis(cast.dinkes)}
    assert rows["M.03"].angkatan == open_batch and rows["M.03"].pelatihan is None
    assert rows["M.04"].angkatan is None and rows["M.04"].pelatihan is None  # design a new one
    Angkatan.objects.filter(pk=open_batch.pk).update(status="selesai")
    rows = {r.kompetensi.kode: r for r in kebutuhan.analisis(cast.dinkes)}
    assert rows["M.03"].angkatan is None and rows["M.03"].pelatihan == evidence["training"]


def plan(cast, kode, *, by=None, today=None, **changes):
    """Submit the proposal of a row as HR would, unchanged unless told."""
    by, today = by or cast.pengelola, today or timezone.localdate()
    usulan = kebutuhan.usulan(cast.dinkes, kompetensi(kode), by=by, today=today)
    values = {
        "nama": usulan.nama, "tanggal_mulai": usulan.tanggal_mulai,
        "tanggal_selesai": usulan.tanggal_selesai, "tempat": "Aula Dinkes",
        "kuota": usulan.kuota, "peserta": usulan.kandidat,
    } | changes  # fmt: skip
    return services.kebutuhan_rencanakan(
        unit=cast.dinkes, kompetensi=kompetensi(kode), by=by, today=today, **values
    )


def test_planning_a_row_designs_a_training_when_none_exists_and_the_row_remembers(cast, evidence):
    today = date(2026, 6, 3)
    planned = plan(cast, "M.04", today=today).kebutuhan
    batch = planned.angkatan
    assert batch.status == "direncanakan" and batch.tanggal_mulai.weekday() == 0
    assert batch.sesi.count() == 3  # a new training of 24 JP: three days of 8 JP
    assert list(batch.pelatihan.target.values_list("kompetensi__kode", flat=True)) == ["M.04"]
    assert "2 pegawai di bawah standar jabatan" in batch.pelatihan.deskripsi
    row = next(r for r in kebutuhan.analisis(cast.dinkes, tahun=2026) if r.rencana)
    assert row.kompetensi.kode == "M.04" and row.rencana.angkatan == batch
    with pytest.raises(ValidationError, match="sudah direncanakan"):
        plan(cast, "M.04", today=today)


def test_planning_uses_the_existing_training_and_refuses_without_evidence(cast, evidence):
    planned = plan(cast, "M.03").kebutuhan
    assert planned.angkatan.pelatihan == evidence["training"]
    with pytest.raises(ValidationError, match="Tidak ada bukti"):
        plan(cast, "M.08")


def test_the_proposal_skips_a_holiday_at_its_start_and_within(cast, evidence):
    # 45 days after 3 July 2026 is Monday 17 August, Independence Day (shipped calendar).
    usulan = kebutuhan.usulan(cast.dinkes, kompetensi("M.04"), by=cast.pengelola,
                              today=date(2026, 7, 3))  # fmt: skip
    assert usulan.tanggal_mulai == date(2026, 8, 18)
    assert usulan.tanggal_selesai == date(2026, 8, 20)  # three workdays, new training's 24 JP


def test_the_planning_form_opens_prefilled(client, cast, evidence):
    client.force_login(cast.pengelola)
    batches = Angkatan.objects.count()
    url = reverse("pembinaan:kebutuhan_rencanakan")
    response = client.get(url, {"unit": cast.dinkes.pk, "kompetensi": kompetensi("M.04").pk})
    assert response.status_code == 200
    assert b"Tempat pelaksanaan" in response.content
    assert Angkatan.objects.count() == batches  # made only on submit


def test_only_the_units_pengelola_plans(cast, evidence):
    other = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(other)
    with pytest.raises(PermissionDenied):
        kebutuhan.usulan(cast.dinkes, kompetensi("M.04"), by=other, today=date(2026, 6, 3))
    assert not KebutuhanPelatihan.objects.exists()


def test_the_proposal_takes_its_days_from_the_trainings_jp_and_nominates_the_gap(cast, evidence):
    training = factories.pelatihan(nama="Orientasi pada Hasil", jp=20)
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.04"), level=3)
    usulan = kebutuhan.usulan(cast.dinkes, kompetensi("M.04"), by=cast.pengelola,
                              today=date(2026, 6, 3))  # fmt: skip
    assert usulan.pelatihan == training and usulan.hari == 3  # 20 JP at 8 JP a day
    assert usulan.tanggal_mulai == date(2026, 7, 20)  # a Monday 45+ days on
    assert usulan.tanggal_selesai == date(2026, 7, 22)
    assert usulan.kandidat == sorted([cast.pegawai_pegawai, cast.atasan_pegawai],
                                     key=lambda p: p.nama)  # fmt: skip


def test_the_service_nominates_only_the_pegawai_of_the_gap(cast, evidence):
    with pytest.raises(ValidationError, match="Rina Luar tidak termasuk"):
        plan(cast, "M.04", peserta=[cast.pegawai_pegawai, cast.outsider_pegawai])
    assert not Angkatan.objects.filter(status="direncanakan").exists()
    assert not KebutuhanPelatihan.objects.exists()


URL = reverse("pembinaan:kebutuhan_rencanakan")


def form_data(cast, kode, **changes):
    usulan = kebutuhan.usulan(
        cast.dinkes, kompetensi(kode), by=cast.pengelola, today=timezone.localdate()
    )
    return {
        "unit": cast.dinkes.pk, "kompetensi": kompetensi(kode).pk, "nama": usulan.nama,
        "tanggal_mulai": usulan.tanggal_mulai.isoformat(),
        "tanggal_selesai": usulan.tanggal_selesai.isoformat(), "tempat": "Aula Dinkes",
        "kuota": usulan.kuota, "peserta": [p.pk for p in usulan.kandidat],
    } | changes  # fmt: skip


def test_the_list_links_to_the_form_which_is_prefilled_and_creates_nothing(login, cast, evidence):
    client = login(cast.pengelola)
    page = client.get(reverse("pembinaan:kebutuhan_list"), {"unit": cast.dinkes.pk})
    assert [r.kompetensi.kode for r in page.context["rows"]][:1] == ["M.05"]
    assert "Rancang pelatihan dan angkatannya" in page.content.decode()
    link = f"{URL}?unit={cast.dinkes.pk}&amp;kompetensi={kompetensi('M.04').pk}"
    assert link in page.content.decode()
    batches = Angkatan.objects.count()
    form = client.get(URL, {"unit": cast.dinkes.pk, "kompetensi": kompetensi("M.04").pk})
    assert form.status_code == 200
    assert Angkatan.objects.count() == batches and not KebutuhanPelatihan.objects.exists()
    fields = form.context["form"]
    assert set(fields["peserta"].value()) == {cast.pegawai_pegawai.pk, cast.atasan_pegawai.pk}
    assert fields["tempat"].value() in (None, "")
    assert "3 hari kerja dihitung dari JP" in form.content.decode()


def test_submitting_creates_the_batch_with_the_nominees_kept(login, cast, evidence):
    data = form_data(cast, "M.04", peserta=[cast.pegawai_pegawai.pk])  # the atasan removed
    response = login(cast.pengelola).post(URL, data)
    planned = KebutuhanPelatihan.objects.get()
    assert response.url == planned.angkatan.get_absolute_url()
    assert planned.angkatan.tempat == "Aula Dinkes"
    assert [p.pegawai for p in planned.angkatan.peserta.all()] == [cast.pegawai_pegawai]


def test_a_batch_without_a_place_is_not_created(login, cast, evidence):
    response = login(cast.pengelola).post(URL, form_data(cast, "M.04", tempat=" "))
    assert response.status_code == 200
    assert "Isi tempat pelaksanaan." in response.context["form"].errors["tempat"]
    assert not KebutuhanPelatihan.objects.exists()
    assert not Angkatan.objects.filter(status="direncanakan").exists()


def test_a_pegawai_outside_the_gap_cannot_be_slipped_in_and_is_named(login, cast, evidence):
    data = form_data(cast, "M.04", peserta=[cast.outsider_pegawai.pk])
    response = login(cast.pengelola).post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["peserta"] == [
        "Rina Luar tidak termasuk pegawai dengan kesenjangan kompetensi ini."
    ]
    assert not KebutuhanPelatihan.objects.exists()


def test_the_heading_names_a_sub_unit_with_its_opd(login, cast):
    # Many OPDs have a "Sekretariat" or a "Bidang Pelayanan": the heading says whose.
    page = login(cast.pengelola).get(reverse("pembinaan:kebutuhan_list"), {"unit": cast.yankes.pk})
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.content.decode(), re.S).group(1)
    assert heading.endswith(" · Dinas Kesehatan › Bidang Pelayanan Kesehatan")


def test_a_unit_outside_the_scope_is_refused_and_nothing_is_planned(login, cast, evidence):
    client = login(cast.pengelola)
    assert client.get(reverse("pembinaan:kebutuhan_list"), {"unit": cast.bkd.pk}).status_code == 404
    batches, trainings = Angkatan.objects.count(), Pelatihan.objects.count()
    data = form_data(cast, "M.04") | {"unit": cast.bkd.pk}
    assert client.post(URL, data).status_code == 404
    assert Angkatan.objects.count() == batches and Pelatihan.objects.count() == trainings
    assert not KebutuhanPelatihan.objects.exists()


def test_province_hr_analyses_any_unit_of_the_province(login, cast_lengkap, evidence):
    cast = cast_lengkap
    page = login(cast.provinsi).get(reverse("pembinaan:kebutuhan_list"), {"unit": cast.dinkes.pk})
    assert page.status_code == 200 and page.context["unit"] == cast.dinkes
    assert {cast.dinkes, cast.bkd} <= set(page.context["units"])
    assert [r.kompetensi.kode for r in page.context["rows"]][:1] == ["M.05"]


def test_province_hr_planning_for_a_unit_runs_the_designed_training_themselves(
    cast_lengkap, evidence
):
    from pelatihan.access import can_change_angkatan

    cast = cast_lengkap
    planned = plan(cast, "M.04", by=cast.provinsi).kebutuhan
    assert planned.angkatan.pelatihan.unit_penyelenggara is None  # a province training
    assert can_change_angkatan(cast.provinsi, planned.angkatan)


@pytest.mark.parametrize("role, status", [("pegawai", 403), ("atasan", 403), ("outsider", 403)])
def test_the_page_is_for_hr(login, cast, role, status):
    assert login(getattr(cast, role)).get(reverse("pembinaan:kebutuhan_list")).status_code == 403
    assert login(getattr(cast, role)).get(URL).status_code == 403


def test_a_row_without_evidence_sends_back(login, cast, evidence):
    client = login(cast.pengelola)
    response = client.get(URL, {"unit": cast.dinkes.pk, "kompetensi": kompetensi("M.08").pk})
    assert response.url == f"{reverse('pembinaan:kebutuhan_list')}?unit={cast.dinkes.pk}"
    assert client.get(URL).status_code == 404  # no competency named


def test_the_analysis_costs_the_same_queries_for_one_or_three_climate_groups(
    cast, django_assert_max_num_queries
):
    from evaluasi import services as evaluasi_services
    from evaluasi.models import PutaranIklim

    putaran = PutaranIklim.objects.create(
        nama="S1", tanggal_mulai=date(timezone.localdate().year, 1, 5),
        tanggal_selesai=date(timezone.localdate().year, 6, 30), dibuka_oleh=cast.pengelola,
    )  # fmt: skip
    putaran.units.set([cast.dinkes])
    low = {f"p{n}": 2 for n in range(1, 13)}

    def answer(unit, count=5):
        for _ in range(count):
            evaluasi_services.iklim_answer(
                putaran=putaran, pegawai=factories.pegawai(unit), jawaban=low, teks="Berat"
            )

    answer(cast.yankes)
    with django_assert_max_num_queries(30) as one:
        kebutuhan.analisis(cast.dinkes)
    for n in range(2):
        answer(factories.unit(f"DINKES.B{n}", f"Bidang {n}", parent=cast.dinkes))
    with django_assert_max_num_queries(len(one.captured_queries)):
        kebutuhan.analisis(cast.dinkes)


def test_every_opd_at_once_gives_the_rows_of_each_alone(cast, evidence):
    """kebutuhan.analisis_opd (the monitoring report: grouped queries over the province) makes
    the same rows as analisis() unit by unit: evidence in a sub-unit, in another OPD, and of an
    inactive pegawai (not counted)."""
    from pegawai.models import UnitKerja
    from pelatihan.models import BarisRencana, RencanaPengembangan
    from tests.queries import cold_queries

    year = timezone.localdate().year
    jabatan = cast.pegawai_pegawai.jabatan
    for active in (True, False):
        other = factories.pegawai(cast.bkd, jabatan=jabatan)
        if not active:
            type(other).objects.filter(pk=other.pk).update(aktif=False, alasan_nonaktif="pensiun")
        PenilaianKompetensi.objects.create(
            pegawai=other, kompetensi=kompetensi("M.04"), level=1, tanggal=date(2026, 1, 5),
            sumber="uji_kompetensi",
        )  # fmt: skip
        rencana = RencanaPengembangan.objects.create(
            pegawai=other, tahun=year, status=RencanaPengembangan.Status.DISETUJUI,
            tanggal_pertemuan=date(year, 1, 10), disetujui_at=timezone.now(),
        )  # fmt: skip
        BarisRencana.objects.create(
            rencana=rencana, kompetensi=kompetensi("M.02"), level_target=3, bentuk=1, jp=10
        )
    LaporanPascaPelatihan.objects.filter(pegawai=cast.pegawai_pegawai).update(
        status="diverifikasi", nilai_perubahan=1
    )
    opds = list(UnitKerja.objects.filter(depth=1).order_by("path"))
    with cold_queries() as queries:
        together = kebutuhan.analisis_opd(opds, tahun=year, iklim=[], dampak={})
    assert together[cast.dinkes.pk] and together[cast.bkd.pk]
    for unit in opds:
        assert together[unit.pk] == kebutuhan.analisis(unit, tahun=year, iklim=[], dampak={})
    assert len(queries) <= 12
