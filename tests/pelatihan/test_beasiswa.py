from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pelatihan import services
from pelatihan.models import (
    KerjaSama,
    PendaftaranBeasiswa,
    PerguruanTinggi,
    ProgramBeasiswa,
    StudiPegawai,
)
from tests.files import pdf_bytes

PDF = pdf_bytes()
S = PendaftaranBeasiswa.Status


pytestmark = pytest.mark.usefixtures("private_media")


@pytest.fixture
def unja(db):
    return PerguruanTinggi.objects.create(nama="Universitas Jambi", singkatan="Unja", kota="Jambi")


@pytest.fixture
def program(unja):
    today = timezone.localdate()
    return ProgramBeasiswa.objects.create(
        nama="Magister Manajemen Keuangan Publik",
        perguruan_tinggi=unja,
        jenjang="s2",
        program_studi="Magister Ilmu Ekonomi",
        jenis="tugas_belajar",
        kuota=1,
        pendaftaran_mulai=today - timedelta(days=5),
        pendaftaran_selesai=today + timedelta(days=5),
        lama_studi_bulan=24,
    )


def apply_data(**overrides):
    return {
        "predikat_tahun_lalu": "baik",
        "predikat_dua_tahun_lalu": "sangat_baik",
        "tanpa_hukuman_disiplin": "on",
        "dokumen": SimpleUploadedFile("berkas.pdf", PDF, content_type="application/pdf"),
    } | overrides


def test_the_age_limit_defaults_from_the_study_level(program):
    assert program.usia_maks == 37


def test_an_eligible_pegawai_applies(login, cast, program):
    program.usia_maks = 60
    program.save()
    login(cast.pegawai).post(program.get_absolute_url(), apply_data())
    pendaftaran = PendaftaranBeasiswa.objects.get()
    assert pendaftaran.status == S.MEMENUHI_SYARAT and pendaftaran.syarat_gagal == []


def test_every_failed_criterion_is_named(cast, program):
    pegawai = cast.pegawai_pegawai
    pegawai.tanggal_lahir = date(1970, 1, 1)  # over the S2 age limit, whatever the factory chose
    failed = services.beasiswa_syarat_gagal(
        program=program,
        pegawai=pegawai,
        predikat=["butuh_perbaikan", "baik"],
        tanpa_hukuman=False,
        on=date(2026, 11, 27),
    )
    joined = " ".join(failed)
    assert f"Usia {pegawai.usia(date(2026, 11, 27))} tahun" in joined
    assert "Predikat kinerja tahun lalu Butuh Perbaikan" in joined
    assert "hukuman disiplin" in joined
    assert len(failed) == 3


def test_pppk_service_and_bond_rules(cast, program):
    from tests import factories

    pppk = factories.pegawai(cast.yankes, status="pppk")
    failed = services.beasiswa_syarat_gagal(
        program=program,
        pegawai=pppk,
        predikat=["baik", "baik"],
        tanpa_hukuman=True,
        on=date(2026, 11, 27),
    )
    assert any("hanya PNS" in f for f in failed)


def test_an_ineligible_application_is_kept_with_its_reasons(login, cast, program):
    login(cast.pegawai).post(program.get_absolute_url(), apply_data(predikat_tahun_lalu="kurang"))
    pendaftaran = PendaftaranBeasiswa.objects.get()
    assert pendaftaran.status == S.TIDAK_MEMENUHI
    page = login(cast.pegawai).get(program.get_absolute_url()).content.decode()
    assert "Kurang/Misconduct" in page


def test_a_document_that_is_not_a_pdf_is_refused(login, cast, program):
    fake = SimpleUploadedFile("berkas.pdf", b"\x89PNG not a pdf")
    response = login(cast.pegawai).post(program.get_absolute_url(), apply_data(dokumen=fake))
    assert "bukan PDF" in response.context["form"].errors["dokumen"][0]
    assert not PendaftaranBeasiswa.objects.exists()


def test_a_closed_round_takes_no_application(login, cast, program):
    program.pendaftaran_selesai = timezone.localdate() - timedelta(days=1)
    program.pendaftaran_mulai = program.pendaftaran_selesai - timedelta(days=10)
    program.save()
    assert login(cast.pegawai).post(program.get_absolute_url(), apply_data()).status_code == 403


def eligible(cast, program, *, recommended=True) -> PendaftaranBeasiswa:
    program.usia_maks = 60
    program.save()
    pendaftaran = PendaftaranBeasiswa(
        program=program,
        pegawai=cast.pegawai_pegawai,
        predikat_tahun_lalu="baik",
        predikat_dua_tahun_lalu="baik",
        tanpa_hukuman_disiplin=True,
        dokumen="beasiswa/x.pdf",
    )
    pendaftaran = services.beasiswa_apply(pendaftaran=pendaftaran, on=timezone.localdate())
    if recommended:  # the atasan's word comes before HR's decision
        services.pendaftaran_rekomendasi(pendaftaran=pendaftaran, by=cast.atasan, rekomendasi=True)
    return pendaftaran


def test_hr_decides_only_after_the_atasan_has_recommended(login, cast, program):
    pendaftaran = eligible(cast, program, recommended=False)
    client = login(cast.pengelola)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Menunggu rekomendasi atasan langsung" in page
    assert reverse("pelatihan:beasiswa_decide", args=[pendaftaran.pk]) not in page
    url = reverse("pelatihan:beasiswa_decide", args=[pendaftaran.pk])
    data = {"keputusan": "terima", "tanggal_mulai": "2027-02-01"}
    assert client.post(url, data).status_code == 403
    assert client.post(url, {"keputusan": "tolak", "catatan": "x"}).status_code == 403
    with pytest.raises(ValidationError, match="Menunggu rekomendasi atasan"):
        services.beasiswa_accept(pendaftaran=pendaftaran, tanggal_mulai=date(2027, 2, 1))
    pendaftaran.refresh_from_db()
    assert pendaftaran.status == S.MEMENUHI_SYARAT and not StudiPegawai.objects.exists()
    services.pendaftaran_rekomendasi(pendaftaran=pendaftaran, by=cast.atasan, rekomendasi=False,
                                     catatan="Beban kerja")  # fmt: skip
    client.post(url, {"keputusan": "tolak", "catatan": "Tidak direkomendasikan"})
    pendaftaran.refresh_from_db()
    assert pendaftaran.status == S.DITOLAK


def test_acceptance_creates_the_study_with_its_service_bond(login, cast, program):
    pendaftaran = eligible(cast, program)
    url = reverse("pelatihan:beasiswa_decide", args=[pendaftaran.pk])
    login(cast.pengelola).post(
        url, {"keputusan": "terima", "tanggal_mulai": "2027-02-01", "peringkat": "1"}
    )
    studi = StudiPegawai.objects.get()
    assert (studi.tanggal_selesai_rencana, studi.ikatan_dinas_sampai) == (
        date(2029, 2, 1),
        date(2033, 2, 1),
    )
    # A bond binds: another application now fails on it (once the study has ended).
    studi.status = StudiPegawai.Status.LULUS
    studi.save()
    failed = services.beasiswa_syarat_gagal(
        program=program,
        pegawai=cast.pegawai_pegawai,
        predikat=["baik", "baik"],
        tanpa_hukuman=True,
        on=date(2030, 1, 1),
    )
    assert any("ikatan dinas sampai 01/02/2033" in f for f in failed)


def test_the_quota_holds(cast, program):
    from tests import factories

    first = eligible(cast, program)
    services.beasiswa_accept(pendaftaran=first, tanggal_mulai=date(2027, 2, 1))
    other = factories.pegawai(cast.yankes)
    second = services.beasiswa_apply(
        pendaftaran=PendaftaranBeasiswa(
            program=program,
            pegawai=other,
            predikat_tahun_lalu="baik",
            predikat_dua_tahun_lalu="baik",
            tanpa_hukuman_disiplin=True,
            dokumen="beasiswa/y.pdf",
        ),
        on=timezone.localdate(),
    )
    with pytest.raises(Exception, match="Kuota"):
        services.beasiswa_accept(pendaftaran=second, tanggal_mulai=date(2027, 2, 1))


def test_a_pegawai_accepted_into_one_tugas_belajar_cannot_be_accepted_into_another(cast, program):
    from django.db import IntegrityError, transaction

    first = eligible(cast, program)
    second_program = ProgramBeasiswa.objects.get(pk=program.pk)
    second_program.pk, second_program.nama = None, "Magister Kesehatan Masyarakat"
    second_program.save()
    second = eligible(cast, second_program)  # both applied before either was decided
    services.beasiswa_accept(pendaftaran=first, tanggal_mulai=date(2027, 2, 1))
    with pytest.raises(ValidationError, match="sedang menjalani tugas belajar lain"):
        services.beasiswa_accept(pendaftaran=second, tanggal_mulai=date(2027, 2, 1))
    second.refresh_from_db()
    assert second.status == S.MEMENUHI_SYARAT and StudiPegawai.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        StudiPegawai.objects.create(
            pendaftaran=second, pegawai=cast.pegawai_pegawai, jenis="tugas_belajar",
            tanggal_mulai=date(2027, 2, 1), tanggal_selesai_rencana=date(2029, 2, 1),
        )  # fmt: skip


def test_only_the_pengelola_of_the_unit_decides(login, cast, program):
    pendaftaran = eligible(cast, program)
    url = reverse("pelatihan:beasiswa_decide", args=[pendaftaran.pk])
    assert login(cast.atasan).post(url, {"keputusan": "tolak", "catatan": "x"}).status_code == 403
    assert login(cast.outsider).post(url, {"keputusan": "tolak", "catatan": "x"}).status_code == 404
    assert login(cast.pengelola).get(url).status_code == 405
    login(cast.pengelola).post(url, {"keputusan": "tolak", "catatan": "Kuota untuk unit lain"})
    pendaftaran.refresh_from_db()
    assert pendaftaran.status == S.DITOLAK


def test_the_pegawai_reports_semesters_and_the_atasan_reads_them(login, cast, program):
    studi = services.beasiswa_accept(
        pendaftaran=eligible(cast, program), tanggal_mulai=date(2027, 2, 1)
    )
    url = reverse("pelatihan:studi_detail", args=[studi.pk])
    login(cast.pegawai).post(url, {"semester": 1, "ipk": "3.65", "sks": 18, "status": "aktif"})
    assert str(studi.laporan.get().ipk) == "3.65"
    bad = login(cast.pegawai).post(url, {"semester": 2, "ipk": "4.5", "sks": 36, "status": "aktif"})
    assert "ipk" in bad.context["form"].errors
    assert login(cast.atasan).get(url).status_code == 200
    assert (
        login(cast.atasan)
        .post(url, {"semester": 2, "ipk": "3", "sks": 36, "status": "aktif"})
        .status_code
        == 403
    )
    assert login(cast.outsider).get(url).status_code == 404


def test_partnerships_ending_within_90_days_are_flagged(login, cast, unja):
    today = timezone.localdate()
    KerjaSama.objects.create(
        perguruan_tinggi=unja,
        nomor="001/MoU/2024",
        judul="Pendidikan lanjut",
        ruang_lingkup="Beasiswa S2",
        tanggal_tanda_tangan=today - timedelta(days=700),
        tanggal_berakhir=today + timedelta(days=30),
    )
    KerjaSama.objects.create(
        perguruan_tinggi=unja,
        nomor="002/MoU/2020",
        judul="Penelitian",
        ruang_lingkup="Riset",
        tanggal_tanda_tangan=date(2020, 1, 1),
        tanggal_berakhir=date(2023, 1, 1),
    )
    page = login(cast.pengelola).get(reverse("pelatihan:mitra_list"))
    flags = {r["k"].nomor: (r["aktif"], r["segera"], r["berakhir"]) for r in page.context["rows"]}
    assert flags == {"001/MoU/2024": (True, True, False), "002/MoU/2020": (False, False, True)}
    assert login(cast.pegawai).get(reverse("pelatihan:mitra_list")).status_code == 403


def test_a_partnership_ending_before_it_is_signed_is_refused(login, cast_lengkap, unja):
    cast = cast_lengkap
    data = {
        "perguruan_tinggi": unja.pk,
        "nomor": "003",
        "judul": "X",
        "ruang_lingkup": "Y",
        "tanggal_tanda_tangan": "2026-05-01",
        "tanggal_berakhir": "2026-01-01",
    }
    response = login(cast.provinsi).post(reverse("pelatihan:kerja_sama_create"), data)
    assert "sebelum penandatanganan" in str(response.context["form"].errors)
    assert not KerjaSama.objects.exists()


@pytest.mark.parametrize("name", ["beasiswa_create", "kerja_sama_create"])
def test_programs_and_partnerships_are_managed_by_the_province(login, cast_lengkap, name):
    cast = cast_lengkap
    assert login(cast.pegawai).get(reverse(f"pelatihan:{name}")).status_code == 403
    refused = login(cast.pengelola).get(reverse(f"pelatihan:{name}"))
    assert refused.status_code == 403
    assert "pengelola provinsi" in refused.content.decode()
    assert login(cast.provinsi).get(reverse(f"pelatihan:{name}")).status_code == 200
    assert login(cast.admin).get(reverse(f"pelatihan:{name}")).status_code == 200


def test_a_program_rests_on_an_agreement_of_its_university_valid_when_it_opens(db):
    today = timezone.localdate()
    unja = PerguruanTinggi.objects.create(nama="Universitas Jambi", kota="Jambi")
    unbari = PerguruanTinggi.objects.create(nama="Universitas Batanghari", kota="Jambi")
    agreement = KerjaSama.objects.create(
        perguruan_tinggi=unja, nomor="1/KS", judul="SDM", ruang_lingkup="Tugas belajar",
        tanggal_tanda_tangan=today - timedelta(days=300),
        tanggal_berakhir=today + timedelta(days=60),
    )  # fmt: skip
    program = ProgramBeasiswa(
        nama="S2", perguruan_tinggi=unbari, kerja_sama=agreement, jenjang="s2",
        program_studi="MM", jenis="tugas_belajar", kuota=2, pendaftaran_mulai=today,
        pendaftaran_selesai=today + timedelta(days=30), lama_studi_bulan=24,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="perguruan tinggi program ini"):
        program.full_clean()
    program.perguruan_tinggi = unja
    program.full_clean()
    program.pendaftaran_mulai = today + timedelta(days=90)
    program.pendaftaran_selesai = today + timedelta(days=120)
    with pytest.raises(ValidationError, match="tidak berlaku"):
        program.full_clean()


# --- Eligibility reads the predicates SIBINA holds; the declaration fills only the rest --------


def annual_rating(cast, year: int, hasil: str, perilaku: str, pegawai=None):
    from evaluasi import services as evaluasi_services
    from evaluasi.models import PeriodePenilaian

    periode = evaluasi_services.periode_open(
        periode=PeriodePenilaian(
            nama=f"Tahunan {year}",
            jenis="tahunan",
            tanggal_mulai=date(year, 1, 1),
            tanggal_selesai=date(year, 12, 31),
        ),
        units=[cast.dinkes],
        by=cast.pengelola,
    )
    return evaluasi_services.penilaian_save(
        periode=periode,
        pegawai=pegawai or cast.pegawai_pegawai,
        penilai=cast.atasan_pegawai,
        hasil_kerja=hasil,
        perilaku_kerja=perilaku,
    )


@pytest.fixture
def open_program(program):
    program.usia_maks = 60
    program.save()
    return program


def test_a_stored_predicate_outweighs_the_declaration(login, cast, open_program):
    last_year = timezone.localdate().year - 1
    annual_rating(cast, last_year, "di_bawah", "sesuai")  # Butuh Perbaikan in SIBINA
    login(cast.pegawai).post(open_program.get_absolute_url(), apply_data())  # declares Baik
    pendaftaran = PendaftaranBeasiswa.objects.get()
    assert pendaftaran.predikat_tahun_lalu == "butuh_perbaikan"
    assert pendaftaran.predikat_dua_tahun_lalu == "sangat_baik"  # declared: SIBINA lacks it
    assert pendaftaran.predikat_tercatat == ["predikat_tahun_lalu"]
    assert pendaftaran.status == S.TIDAK_MEMENUHI
    assert pendaftaran.syarat_gagal == [
        "Predikat kinerja tahun lalu Butuh Perbaikan; paling rendah Baik."
    ]


def test_the_declaration_is_asked_only_for_the_years_sibina_lacks(login, cast, open_program):
    year = timezone.localdate().year
    annual_rating(cast, year - 1, "di_atas", "di_atas")
    page = login(cast.pegawai).get(open_program.get_absolute_url())
    form = page.context["form"]
    assert "predikat_tahun_lalu" not in form.fields
    assert form.fields["predikat_dua_tahun_lalu"].label == f"Predikat kinerja tahun {year - 2}"
    html = page.content.decode()
    assert f"<strong>{year - 1} Sangat Baik</strong>" in html
    assert f"belum mencatat predikat kinerja tahunan Anda untuk {year - 2};" in html


def test_with_both_years_in_sibina_nothing_is_declared(login, cast, open_program):
    year = timezone.localdate().year
    annual_rating(cast, year - 1, "sesuai", "sesuai")
    annual_rating(cast, year - 2, "di_atas", "di_atas")
    data = apply_data()
    del data["predikat_tahun_lalu"], data["predikat_dua_tahun_lalu"]
    page = login(cast.pegawai).get(open_program.get_absolute_url())
    assert "Anda tidak perlu menyatakan predikat kinerja" in page.content.decode()
    login(cast.pegawai).post(open_program.get_absolute_url(), data)
    pendaftaran = PendaftaranBeasiswa.objects.get()
    assert (pendaftaran.predikat_tahun_lalu, pendaftaran.predikat_dua_tahun_lalu) == (
        "baik",
        "sangat_baik",
    )
    assert pendaftaran.status == S.MEMENUHI_SYARAT


def test_a_quarterly_rating_is_not_a_yearly_predicate(cast, open_program):
    from tests import factories

    factories.periode(cast, rate=("di_bawah", "di_bawah"))
    on = date(2027, 2, 1)
    assert services.predikat_tercatat(pegawai=cast.pegawai_pegawai, on=on) == {}


def test_without_sibina_data_a_missing_declaration_is_refused_by_the_service(cast, open_program):
    pendaftaran = PendaftaranBeasiswa(
        program=open_program, pegawai=cast.pegawai_pegawai, predikat_tahun_lalu="baik",
        tanpa_hukuman_disiplin=True, dokumen="b.pdf",
    )  # fmt: skip
    on = timezone.localdate()
    with pytest.raises(ValidationError, match=f"tahun {on.year - 2}: SIBINA belum mencatatnya"):
        services.beasiswa_apply(pendaftaran=pendaftaran, on=on)
    assert not PendaftaranBeasiswa.objects.exists()


def test_hr_sees_where_each_predicate_came_from(login, cast, open_program):
    annual_rating(cast, timezone.localdate().year - 1, "sesuai", "sesuai")
    login(cast.pegawai).post(open_program.get_absolute_url(), apply_data())
    html = login(cast.pengelola).get(open_program.get_absolute_url()).content.decode()
    assert "Predikat kinerja tahun lalu: Baik (penilaian SIBINA)" in html
    assert "Predikat kinerja dua tahun lalu: Sangat Baik (pernyataan pegawai)" in html


# --- A program rests on an active agreement of its own university --------------------------


def _agreement(pt, nomor, mulai, selesai):
    return KerjaSama.objects.create(
        perguruan_tinggi=pt, nomor=nomor, judul="SDM", ruang_lingkup="Tugas belajar",
        tanggal_tanda_tangan=mulai, tanggal_berakhir=selesai,
    )  # fmt: skip


def program_data(pt, kerja_sama=None, **overrides):
    today = timezone.localdate()
    return {
        "nama": "S2 Kesehatan Masyarakat", "perguruan_tinggi": pt.pk,
        "kerja_sama": kerja_sama.pk if kerja_sama else "", "jenjang": "s2",
        "program_studi": "Kesmas", "jenis": "tugas_belajar", "kuota": 2,
        "pendaftaran_mulai": today.isoformat(),
        "pendaftaran_selesai": (today + timedelta(days=30)).isoformat(),
        "lama_studi_bulan": 24, "masa_kerja_min_tahun": 2, "tahun_predikat": 2,
        "faktor_ikatan_dinas": 2,
    } | overrides  # fmt: skip


def test_the_form_offers_only_agreements_in_force(login, cast_lengkap, unja):
    today = timezone.localdate()
    active = _agreement(unja, "1/KS", today - timedelta(days=100), today + timedelta(days=400))
    _agreement(unja, "2/KS", today - timedelta(days=900), today - timedelta(days=1))
    page = login(cast_lengkap.provinsi).get(reverse("pelatihan:beasiswa_create"))
    assert list(page.context["form"].fields["kerja_sama"].queryset) == [active]


def test_an_ended_agreement_is_refused_with_a_clear_message(login, cast_lengkap, unja):
    today = timezone.localdate()
    ended = _agreement(unja, "2/KS", today - timedelta(days=900), today - timedelta(days=1))
    response = login(cast_lengkap.provinsi).post(
        reverse("pelatihan:beasiswa_create"), program_data(unja, ended)
    )
    assert "tidak (lagi) berlaku" in response.context["form"].errors["kerja_sama"][0]
    assert not ProgramBeasiswa.objects.exists()


def test_an_agreement_of_another_university_is_refused(login, cast_lengkap, unja):
    today = timezone.localdate()
    unbari = PerguruanTinggi.objects.create(nama="Universitas Batanghari", kota="Jambi")
    other = _agreement(unbari, "3/KS", today - timedelta(days=10), today + timedelta(days=400))
    response = login(cast_lengkap.provinsi).post(
        reverse("pelatihan:beasiswa_create"), program_data(unja, other)
    )
    error = response.context["form"].errors["kerja_sama"][0]
    assert "dengan Universitas Batanghari, bukan Universitas Jambi" in error
    assert not ProgramBeasiswa.objects.exists()


def test_an_active_agreement_of_the_same_university_is_linked(login, cast_lengkap, unja):
    today = timezone.localdate()
    active = _agreement(unja, "1/KS", today - timedelta(days=100), today + timedelta(days=400))
    response = login(cast_lengkap.provinsi).post(
        reverse("pelatihan:beasiswa_create"), program_data(unja, active)
    )
    program = ProgramBeasiswa.objects.get()
    assert response["Location"] == program.get_absolute_url() and program.kerja_sama == active


def test_the_service_refuses_an_agreement_not_in_force_today(unja):
    today = timezone.localdate()
    ended = _agreement(unja, "2/KS", today - timedelta(days=900), today - timedelta(days=1))
    program = ProgramBeasiswa(
        nama="S2", perguruan_tinggi=unja, kerja_sama=ended, jenjang="s2", program_studi="MM",
        jenis="tugas_belajar", kuota=2, pendaftaran_mulai=today - timedelta(days=800),
        pendaftaran_selesai=today - timedelta(days=700), lama_studi_bulan=24,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="tidak aktif hari ini"):
        services.beasiswa_program_create(program=program)
    assert not ProgramBeasiswa.objects.exists()


def test_a_program_linked_earlier_stays_valid_after_its_agreement_ends(unja):
    today = timezone.localdate()
    agreement = _agreement(unja, "1/KS", today - timedelta(days=100), today + timedelta(days=10))
    program = services.beasiswa_program_create(
        program=ProgramBeasiswa(
            nama="S2", perguruan_tinggi=unja, kerja_sama=agreement, jenjang="s2",
            program_studi="MM", jenis="tugas_belajar", kuota=2, pendaftaran_mulai=today,
            pendaftaran_selesai=today + timedelta(days=5), lama_studi_bulan=24,
        )
    )  # fmt: skip
    KerjaSama.objects.filter(pk=agreement.pk).update(tanggal_berakhir=today - timedelta(days=1))
    program = ProgramBeasiswa.objects.get(pk=program.pk)
    program.kuota = 3
    with pytest.raises(ValidationError, match="saat pendaftaran dibuka"):
        program.full_clean()  # only the rule about the opening day still applies


@pytest.mark.parametrize(
    "years, message",
    [
        (0, "Isi 1 atau 2: predikat tahun lalu, atau dua tahun terakhir."),
        (9, "Paling banyak 2: SIBINA memeriksa predikat dua tahun terakhir."),
    ],
)
def test_the_predicate_years_are_those_the_eligibility_check_reads(
    login, cast_lengkap, unja, years, message
):
    response = login(cast_lengkap.provinsi).post(
        reverse("pelatihan:beasiswa_create"), program_data(unja, tahun_predikat=years)
    )
    assert response.context["form"].errors["tahun_predikat"] == [message]
    assert not ProgramBeasiswa.objects.exists()


def test_a_program_checking_one_year_asks_and_checks_only_last_year(login, cast, open_program):
    open_program.tahun_predikat = 1
    open_program.save()
    year = timezone.localdate().year
    annual_rating(cast, year - 2, "di_bawah", "di_bawah")  # a poor year the program ignores
    client = login(cast.pegawai)
    form = client.get(open_program.get_absolute_url()).context["form"]
    assert "predikat_tahun_lalu" in form.fields and "predikat_dua_tahun_lalu" not in form.fields
    client.post(open_program.get_absolute_url(), apply_data())
    pendaftaran = PendaftaranBeasiswa.objects.get()
    assert pendaftaran.status == S.MEMENUHI_SYARAT, pendaftaran.syarat_gagal
    assert pendaftaran.predikat_dua_tahun_lalu == "" and pendaftaran.predikat_tercatat == []
    assert [label for label, *_ in pendaftaran.predikat_sumber] == ["predikat kinerja tahun lalu"]


def test_the_declaration_note_speaks_of_years_in_the_plural(login, cast, open_program):
    page = login(cast.pegawai).get(open_program.get_absolute_url()).content.decode()
    assert "isi pernyataan Anda hanya untuk tahun-tahun tersebut" in page


def test_the_recommendation_starts_unchosen_and_must_be_chosen(login, cast, program):
    from pelatihan.forms import RekomendasiForm

    pendaftaran = eligible(cast, program, recommended=False)
    client = login(cast.atasan)
    page = client.get(program.get_absolute_url())
    assert page.context["rekomendasi_form"]["rekomendasi"].value() in (None, "")
    assert RekomendasiForm({"catatan": ""}).errors["rekomendasi"] == [
        "Pilih direkomendasikan atau tidak."
    ]
    client.post(reverse("pelatihan:pendaftaran_rekomendasi", args=[pendaftaran.pk]), {})
    pendaftaran.refresh_from_db()
    assert pendaftaran.rekomendasi is None


def test_province_hr_see_all_applicants_under_a_plain_heading(login, cast_lengkap, program):
    eligible(cast_lengkap, program)
    page = login(cast_lengkap.provinsi).get(program.get_absolute_url()).content.decode()
    assert "<span>Pendaftar</span>" in page and "Pendaftar dari unit Anda" not in page
    page = login(cast_lengkap.pengelola).get(program.get_absolute_url()).content.decode()
    assert "Pendaftar dari unit Anda" in page
