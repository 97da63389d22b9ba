"""The defects the "Trust" issue found, each walked as the user did and refused now: writes
scoped to their owner, no decision about oneself, accounts no officer can take over. Each refusal
also checks that nothing changed and that the message names who can act instead."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from evaluasi.models import PeriodePenilaian
from masyarakat.models import Masukan, UnitLayanan
from pegawai import services as pegawai_services
from pegawai.models import Golongan, Pegawai, User
from pelatihan import services as pelatihan_services
from pelatihan.models import (
    KegiatanEksternal,
    Kehadiran,
    PendaftaranBeasiswa,
    PenilaianKompetensi,
    PerguruanTinggi,
    ProgramBeasiswa,
)
from tests import factories


@pytest.fixture
def cast(cast_lengkap):
    return cast_lengkap


def refused(response, *, says: str) -> None:
    assert response.status_code == 403
    assert says in response.content.decode()


# --- Scoped writes ---------------------------------------------------------------------------


def test_hr_of_another_opd_cannot_close_a_period_of_dinas_kesehatan(login, cast):
    periode = factories.periode(cast)
    url = reverse("evaluasi:periode_close", args=[periode.pk])
    response = login(cast.pengelola_lain).post(url)
    assert response.status_code == 404  # a period outside one's units is not found, as a wrong id
    periode.refresh_from_db()
    assert periode.status == PeriodePenilaian.Status.DIBUKA


def test_a_period_spanning_two_opds_is_the_provinces_to_close_and_reopen(login, cast):
    from evaluasi import services

    periode = services.periode_open(
        periode=PeriodePenilaian(
            nama="Tahunan", jenis="tahunan", tanggal_mulai=date(2026, 1, 1),
            tanggal_selesai=date(2026, 12, 31),
        ),
        units=[cast.dinkes, cast.bkd],
        by=cast.provinsi,
    )  # fmt: skip
    close = reverse("evaluasi:periode_close", args=[periode.pk])
    refused(login(cast.pengelola).post(close), says="pengelola provinsi")
    periode.refresh_from_db()
    assert periode.is_open
    assert login(cast.provinsi).post(close).status_code == 302
    periode.refresh_from_db()
    assert not periode.is_open
    reopen = reverse("evaluasi:periode_reopen", args=[periode.pk])
    refused(login(cast.pengelola_lain).post(reopen), says="pengelola provinsi")
    login(cast.provinsi).post(reopen)
    periode.refresh_from_db()
    assert periode.is_open


def test_the_pengelola_of_its_only_opd_closes_and_reopens_a_period(login, cast):
    periode = factories.periode(cast)
    client = login(cast.pengelola)
    client.post(reverse("evaluasi:periode_close", args=[periode.pk]))
    periode.refresh_from_db()
    assert not periode.is_open
    client.post(reverse("evaluasi:periode_reopen", args=[periode.pk]))
    periode.refresh_from_db()
    assert periode.is_open


def test_hr_sees_the_periods_of_their_own_units_only(login, cast):
    periode = factories.periode(cast)
    assert periode in login(cast.pengelola).get(reverse("evaluasi:index")).context["periode"]
    listed = login(cast.pengelola_lain).get(reverse("evaluasi:index")).context["periode"]
    assert periode not in listed


@pytest.fixture
def running(cast):
    """A Dinas Kesehatan batch under way with the cast's pegawai registered."""
    batch = factories.angkatan(kuota=5)
    peserta = pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    batch.status = "berjalan"
    batch.save()
    return peserta


def test_hr_of_another_opd_cannot_mark_attendance_of_a_batch_they_do_not_organise(
    login, cast, running
):
    sesi = running.angkatan.sesi.first()
    url = reverse("pelatihan:sesi_kehadiran", args=[sesi.pk])
    refused(
        login(cast.pengelola_lain).post(url, {"hadir": [running.pk]}),
        says="diselenggarakan Dinas Kesehatan",
    )
    assert not Kehadiran.objects.exists()
    login(cast.pengelola).post(url, {"hadir": [running.pk]})
    assert Kehadiran.objects.filter(peserta=running, hadir=True).count() == 1


def test_hr_of_another_opd_cannot_change_the_pass_mark_of_a_batch(login, cast, running):
    batch = running.angkatan
    data = {
        "nama": batch.nama, "tanggal_mulai": "2026-03-02", "tanggal_selesai": "2026-03-06",
        "kuota": 5, "ambang_kehadiran": 0, "nilai_lulus": 0, "status": "berjalan",
    }  # fmt: skip
    url = reverse("pelatihan:angkatan_update", args=[batch.pk])
    refused(login(cast.pengelola_lain).post(url, data), says="diselenggarakan Dinas Kesehatan")
    batch.refresh_from_db()
    assert (batch.ambang_kehadiran, batch.nilai_lulus) == (80, 70)


def test_a_batch_evaluation_with_names_and_scores_is_for_its_organisers(login, cast, running):
    running.nilai_pre, running.nilai_post = 40, 90
    running.save()
    url = reverse("evaluasi:angkatan_evaluasi", args=[running.angkatan_id])
    assert login(cast.pengelola_lain).get(url).status_code == 404  # not found, as a wrong id
    pdf = reverse("evaluasi:berkas_request", args=["angkatan", running.angkatan_id])
    assert login(cast.pengelola_lain).post(pdf).status_code == 404
    page = login(cast.pengelola).get(url)
    assert cast.pegawai_pegawai.nama in page.content.decode()


def test_a_province_training_is_run_by_the_province(login, cast):
    batch = factories.angkatan(factories.pelatihan(unit_penyelenggara=None))
    url = reverse("pelatihan:angkatan_update", args=[batch.pk])
    refused(login(cast.pengelola).get(url), says="pengelola provinsi")
    assert login(cast.provinsi).get(url).status_code == 200


# --- No decision about oneself ---------------------------------------------------------------


def test_an_officer_cannot_verify_their_own_external_activity(login, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kegiatan = KegiatanEksternal.objects.create(
        pegawai=cast.pengelola_pegawai_pegawai, nama="Seminar", jenis=9, penyelenggara="X",
        tanggal_mulai=date(2026, 5, 4), tanggal_selesai=date(2026, 5, 5), jp=60, file="k.pdf",
    )  # fmt: skip
    url = reverse("pelatihan:kegiatan_decide", args=[kegiatan.pk])
    refused(
        login(cast.pengelola_pegawai).post(url, {"keputusan": "terima"}),
        says="pengelola lain di unit Anda",
    )
    kegiatan.refresh_from_db()
    assert kegiatan.status == KegiatanEksternal.Status.DIAJUKAN
    assert not cast.pengelola_pegawai_pegawai.catatan_jp.exists()
    login(cast.pengelola).post(url, {"keputusan": "terima"})
    kegiatan.refresh_from_db()
    assert kegiatan.status == KegiatanEksternal.Status.DIVERIFIKASI


def test_an_officer_cannot_decide_their_own_scholarship_application(login, cast):
    program = ProgramBeasiswa.objects.create(
        nama="S2", perguruan_tinggi=PerguruanTinggi.objects.create(nama="Unja", kota="Jambi"),
        jenjang="s2", program_studi="MM", jenis="tugas_belajar", kuota=2,
        pendaftaran_mulai=date(2026, 1, 1), pendaftaran_selesai=date(2026, 1, 31),
        lama_studi_bulan=24,
    )  # fmt: skip
    mine = PendaftaranBeasiswa.objects.create(
        program=program, pegawai=cast.pengelola_pegawai_pegawai, status="memenuhi_syarat",
        predikat_tahun_lalu="baik", predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True,
        dokumen="b.pdf",
    )  # fmt: skip
    url = reverse("pelatihan:beasiswa_decide", args=[mine.pk])
    data = {"keputusan": "terima", "tanggal_mulai": "2026-02-01"}
    refused(login(cast.pengelola_pegawai).post(url, data), says="pengelola lain di unit Anda")
    mine.refresh_from_db()
    assert mine.status == "memenuhi_syarat"
    login(cast.pengelola).post(url, data)
    mine.refresh_from_db()
    assert mine.status == PendaftaranBeasiswa.Status.DITERIMA


def test_an_officer_cannot_score_or_pass_their_own_participation(login, cast):
    batch = factories.angkatan(kuota=5)
    mine = pelatihan_services.peserta_nominate(
        angkatan=batch, pegawai=cast.pengelola_pegawai_pegawai
    )
    batch.status = "berjalan"
    batch.save()
    url = reverse("pelatihan:peserta_decide", args=[mine.pk])
    data = {"nilai_pre": 10, "nilai_post": 100, "keputusan": "lulus"}
    refused(login(cast.pengelola_pegawai).post(url, data), says="pengelola lain di unit Anda")
    mine.refresh_from_db()
    assert (mine.nilai_pre, mine.nilai_post, mine.lulus) == (None, None, None)
    # Nor mark themself present, nor nominate themself to another batch.
    sesi = batch.sesi.first()
    page = login(cast.pengelola_pegawai).get(reverse("pelatihan:sesi_kehadiran", args=[sesi.pk]))
    assert mine not in page.context["peserta"]
    login(cast.pengelola_pegawai).post(
        reverse("pelatihan:sesi_kehadiran", args=[sesi.pk]), {"hadir": [mine.pk]}
    )
    assert not Kehadiran.objects.filter(peserta=mine, hadir=True).exists()
    other = factories.angkatan(kuota=5)
    nip = cast.pengelola_pegawai_pegawai.nip
    login(cast.pengelola_pegawai).post(
        reverse("pelatihan:angkatan_nominate", args=[other.pk]), {"nip": nip}
    )
    assert not other.peserta.exists()


def test_an_officer_cannot_assess_their_own_competency(login, cast):
    from pelatihan.models import Kompetensi

    url = reverse("pelatihan:kompetensi_pegawai", args=[cast.pengelola_pegawai_pegawai.pk])
    data = {"kompetensi": Kompetensi.objects.get(kode="M.07").pk, "level": 5,
            "tanggal": "2026-05-04", "sumber": "asesmen"}  # fmt: skip
    assert login(cast.pengelola_pegawai).post(url, data).status_code == 403
    assert not PenilaianKompetensi.objects.exists()


def test_an_officer_changes_only_the_contact_details_of_their_own_record(login, cast):
    me = cast.pengelola_pegawai_pegawai
    url = reverse("pegawai:update", args=[me.pk])
    client = login(cast.pengelola_pegawai)
    higher = Golongan.objects.get(kode=45)
    client.post(url, {"golongan": higher.pk, "email": "yani@jambiprov.go.id", "telepon": "0812"})
    me.refresh_from_db()
    assert me.golongan_id != higher.pk
    assert (me.email, me.telepon) == ("yani@jambiprov.go.id", "0812")
    # Deactivating themself or their own login is refused too.
    deactivate = reverse("pegawai:deactivate", args=[me.pk])
    refused(client.post(deactivate, {"alasan": "pensiun", "tanggal": "2026-05-04"}), says="lain")
    me.refresh_from_db()
    assert me.aktif


def test_a_complaint_naming_an_officer_is_not_moderated_by_that_officer(login, cast):
    layanan = UnitLayanan.objects.create(nama="Poli", kode="poli", unit=cast.dinkes)
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Kasar",
        pegawai_dilayani=cast.pengelola_pegawai_pegawai,
    )  # fmt: skip
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    response = login(cast.pengelola_pegawai).post(url, {"tindakan": "spam", "teks": "bukan"})
    refused(response, says="menyebut Anda")
    masukan.refresh_from_db()
    assert masukan.status == Masukan.Status.DITERIMA
    login(cast.pengelola).post(url, {"tindakan": "teruskan"})
    masukan.refresh_from_db()
    assert masukan.status == Masukan.Status.DITERUSKAN


# --- Accounts --------------------------------------------------------------------------------


def test_hr_cannot_deactivate_a_superusers_record(login, cast):
    root = User.objects.create_superuser("akar", password="rahasia-123")
    record = factories.pegawai(cast.yankes, nama="Admin BKD", user=root)
    url = reverse("pegawai:deactivate", args=[record.pk])
    refused(
        login(cast.pengelola).post(url, {"alasan": "pensiun", "tanggal": "2026-05-04"}),
        says="hanya administrator",
    )
    record.refresh_from_db()
    root.refresh_from_db()
    assert record.aktif and root.is_active


def test_hr_cannot_act_on_a_login_with_rights_beyond_theirs(login, cast):
    # pengelola_lain's record sits in Dinas Kesehatan, but their login manages BKD.
    record = factories.pegawai(cast.yankes, nama="Pindahan", user=cast.pengelola_lain)
    url = reverse("pegawai:deactivate", args=[record.pk])
    response = login(cast.pengelola).post(url, {"alasan": "pensiun", "tanggal": "2026-05-04"})
    refused(response, says="hak lebih luas")
    assert Pegawai.objects.get(pk=record.pk).aktif


def test_hr_cannot_reopen_a_login_an_administrator_closed(login, cast):
    pegawai_services.pegawai_deactivate(
        pegawai=cast.rekan_pegawai, user=cast.admin, alasan="pensiun"
    )
    url = reverse("pegawai:activate", args=[cast.rekan_pegawai.pk])
    refused(login(cast.pengelola).post(url), says="dinonaktifkan oleh administrator")
    assert not User.objects.get(pk=cast.rekan.pk).is_active
    login(cast.admin).post(url)
    assert User.objects.get(pk=cast.rekan.pk).is_active


def test_hr_reopens_a_login_hr_closed(login, cast):
    pegawai_services.pegawai_deactivate(
        pegawai=cast.rekan_pegawai, user=cast.pengelola, alasan="pensiun"
    )
    login(cast.pengelola_pegawai).post(reverse("pegawai:activate", args=[cast.rekan_pegawai.pk]))
    assert User.objects.get(pk=cast.rekan.pk).is_active


def test_one_officer_alone_cannot_obtain_a_login_for_somebody_else(login, cast, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    victim = factories.pegawai(cast.yankes, nama="Tanpa Akun")
    client = login(cast.pengelola)
    victim.email = "pengelola@contoh.id"  # the officer's own address
    pegawai_services.pegawai_save(pegawai=victim, user=cast.pengelola)
    victim.refresh_from_db()
    assert victim.email_diubah_oleh == cast.pengelola
    invite = reverse("pegawai:akun_create", args=[victim.pk])
    refused(client.post(invite), says="orang lain yang memastikan alamat itu")
    victim.refresh_from_db()
    assert victim.user_id is None
    assert mail.outbox == []
    # A second manager of the unit vouches for the address and sends it.
    login(cast.pengelola_pegawai).post(invite)
    victim.refresh_from_db()
    assert victim.user is not None and victim.user.email == "pengelola@contoh.id"


def test_an_email_change_is_in_the_history_with_who_made_it(cast):
    pegawai = cast.pegawai_pegawai
    pegawai.email = "baru@contoh.id"
    pegawai_services.pegawai_save(pegawai=pegawai, user=cast.pengelola, reason="Diubah")
    latest = pegawai.history.first()
    assert (latest.email, latest.history_user) == ("baru@contoh.id", cast.pengelola)
    pegawai.refresh_from_db()
    assert pegawai.email_diubah_oleh == cast.pengelola


def test_an_organiser_taking_part_cannot_change_their_batchs_pass_mark(login, cast):
    batch = factories.angkatan(kuota=5)
    pelatihan_services.peserta_nominate(angkatan=batch, pegawai=cast.pengelola_pegawai_pegawai)
    data = {
        "nama": batch.nama, "tanggal_mulai": "2026-03-02", "tanggal_selesai": "2026-03-06",
        "kuota": 5, "ambang_kehadiran": 0, "nilai_lulus": 0, "status": "pendaftaran",
        "tempat": "Aula Dinas Kesehatan",
    }  # fmt: skip
    url = reverse("pelatihan:angkatan_update", args=[batch.pk])
    refused(login(cast.pengelola_pegawai).post(url, data), says="Anda peserta angkatan ini")
    batch.refresh_from_db()
    assert (batch.ambang_kehadiran, batch.nilai_lulus) == (80, 70)
    response = login(cast.pengelola).post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    batch.refresh_from_db()
    assert (batch.ambang_kehadiran, batch.nilai_lulus) == (0, 0)


def test_an_officer_cannot_change_their_own_record_through_the_import(cast, settings, tmp_path):
    from pegawai.models import ImporPegawai
    from tests.pegawai.test_impor import csv_file, row

    settings.MEDIA_ROOT = tmp_path
    me = cast.pengelola_pegawai_pegawai
    mine = row(
        nip=me.nip, nama=me.nama, jenis_kelamin="P", kode_unit="DINKES", golongan="IV/e",
        tanggal_lahir=f"{me.tanggal_lahir:%d/%m/%Y}", tmt_cpns=f"{me.tmt_cpns:%d/%m/%Y}",
        tmt_pns=f"{me.tmt_pns:%d/%m/%Y}", jabatan=me.jabatan.nama,
    )  # fmt: skip
    upload = csv_file([mine])
    job = ImporPegawai(nama_berkas=upload.name, diunggah_oleh=cast.pengelola_pegawai)
    job.file.save(upload.name, upload, save=False)
    job.save()
    pegawai_services.impor_check(job=job)
    assert job.status == ImporPegawai.Status.TIDAK_VALID
    assert [e["pesan"] for e in job.kesalahan] == [
        "Ini data Anda sendiri; perubahannya dilakukan pengelola lain di unit Anda atau "
        "administrator. Hapus baris ini dari berkas."
    ]
    me.refresh_from_db()
    assert me.golongan.kode == 32


def test_a_cursor_with_a_lone_surrogate_is_the_first_page(login, cast):
    import base64

    token = base64.urlsafe_b64encode(b'["\\ud800",1]').decode().rstrip("=")
    for url in (reverse("pegawai:list"), reverse("pelatihan:list")):
        assert login(cast.pegawai).get(url, {"setelah": token}).status_code == 200
