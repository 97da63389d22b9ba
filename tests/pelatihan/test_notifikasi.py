"""Notifications of the pelatihan workflows: each step that puts an item in someone's inbox, or
decides something of theirs, notifies that person (never the one who did it), once."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pegawai.models import Notifikasi, User
from pelatihan import services
from pelatihan.models import (
    KegiatanEksternal,
    PendaftaranBeasiswa,
    PerguruanTinggi,
    ProgramBeasiswa,
    Sertifikat,
)
from tests import factories
from tests.files import pdf_bytes
from tests.smtp import body, messages


def notified(user) -> list[str]:
    return list(
        Notifikasi.objects.filter(penerima=user).order_by("pk").values_list("judul", flat=True)
    )


def everyone(c) -> dict[str, list[str]]:
    roles = ["pegawai", "rekan", "atasan", "outsider", "pengelola", "pengelola_lain",
             "pengelola_pegawai", "provinsi", "admin", "mentor"]  # fmt: skip
    return {role: notified(getattr(c, role)) for role in roles if notified(getattr(c, role))}


@pytest.fixture
def open_batch(cast_lengkap):
    today = timezone.localdate()
    return factories.angkatan(
        kuota=5, mulai=today + timedelta(days=20), selesai=today + timedelta(days=22)
    )


def test_a_request_notifies_the_atasan_and_its_approval_the_pegawai_and_the_hr(
    client, cast_lengkap, open_batch
):
    c = cast_lengkap
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    assert everyone(c) == {"atasan": ["Pengajuan pelatihan Budi Pegawai"]}
    item = Notifikasi.objects.get(penerima=c.atasan)
    assert item.url == f"{open_batch.get_absolute_url()}#peserta-{peserta.pk}"
    client.force_login(c.atasan)
    client.post(reverse("pelatihan:peserta_approve", args=[peserta.pk]))
    confirm = "Konfirmasi peserta: Budi Pegawai"
    assert everyone(c) == {
        "atasan": ["Pengajuan pelatihan Budi Pegawai"],
        "pegawai": [f"Pengajuan disetujui atasan: {open_batch}"],
        "pengelola": [confirm],
        "pengelola_pegawai": [confirm],
    }


def test_hr_confirming_notifies_the_pegawai_and_not_themself(client, cast_lengkap, open_batch):
    c = cast_lengkap
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    services.peserta_approve(peserta=peserta, by=c.atasan)
    Notifikasi.objects.all().delete()
    client.force_login(c.pengelola)
    client.post(reverse("pelatihan:peserta_confirm", args=[peserta.pk]))
    assert everyone(c) == {"pegawai": [f"Terdaftar: {open_batch}"]}


def test_a_request_without_an_atasan_goes_straight_to_the_hr(cast_lengkap, open_batch):
    c = cast_lengkap
    services.peserta_request(angkatan=open_batch, pegawai=c.pengelola_pegawai_pegawai)
    # The officer asked for themself: their colleague confirms, they are not told of it.
    assert everyone(c) == {"pengelola": ["Konfirmasi peserta: Yani Kepegawaian"]}


def test_an_approval_reaches_the_organisers_of_another_unit_and_of_the_province(cast_lengkap):
    c = cast_lengkap
    today = timezone.localdate()
    province = factories.angkatan(
        factories.pelatihan(nama="Latsar", unit_penyelenggara=None),
        mulai=today + timedelta(days=5), selesai=today + timedelta(days=6),
    )  # fmt: skip
    services.peserta_request(angkatan=province, pegawai=c.outsider_pegawai)
    confirm = ["Konfirmasi peserta: Rina Luar"]
    assert everyone(c) == {"pengelola_lain": confirm, "provinsi": confirm}


def test_a_refusal_notifies_the_pegawai_and_a_new_request_the_atasan_again(
    client, cast_lengkap, open_batch
):
    c = cast_lengkap
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    client.force_login(c.atasan)
    client.post(reverse("pelatihan:peserta_reject", args=[peserta.pk]), {"alasan": "Beban kerja"})
    [refused] = Notifikasi.objects.filter(penerima=c.pegawai)
    assert refused.judul == f"Pengajuan ditolak: {open_batch}"
    assert refused.pesan == "Alasan: Beban kerja"
    services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    assert notified(c.atasan) == ["Pengajuan pelatihan Budi Pegawai"] * 2


def test_the_result_and_the_certificate_reach_the_pegawai(client, cast_lengkap, finished):
    c = cast_lengkap
    client.force_login(c.pengelola)
    client.post(
        reverse("pelatihan:peserta_decide", args=[finished.pk]),
        {"nilai_pre": "60", "nilai_post": "85", "keputusan": "lulus"},
    )
    batch = finished.angkatan
    assert everyone(c) == {"pegawai": [f"Lulus: {batch}", f"Sertifikat diterbitkan: {batch}"]}
    sertifikat = Sertifikat.objects.get(peserta=finished)
    assert Notifikasi.objects.get(judul__startswith="Sertifikat").url == reverse(
        "pelatihan:sertifikat_pdf", args=[finished.pk]
    )
    client.post(reverse("pelatihan:sertifikat_revoke", args=[finished.pk]), {"alasan": "Salah"})
    sertifikat.refresh_from_db()
    assert sertifikat.is_revoked
    assert notified(c.pegawai)[-1] == f"Sertifikat dicabut: {batch}"
    assert notified(c.pengelola) == []


def test_a_failed_result_revokes_and_says_so(cast_lengkap, finished):
    c = cast_lengkap
    services.peserta_decide(peserta=finished, lulus=True, by=c.pengelola)
    services.peserta_decide(peserta=finished, lulus=False, by=c.pengelola)
    batch = finished.angkatan
    assert notified(c.pegawai) == [
        f"Lulus: {batch}", f"Sertifikat diterbitkan: {batch}",
        f"Tidak lulus: {batch}", f"Sertifikat dicabut: {batch}",
    ]  # fmt: skip


def test_an_external_activity_notifies_its_unit_hr_and_their_decision_the_pegawai(
    client, cast_lengkap, settings, tmp_path
):
    c = cast_lengkap
    settings.MEDIA_ROOT = tmp_path
    client.force_login(c.pegawai)
    today = timezone.localdate()
    response = client.post(
        reverse("pelatihan:kegiatan_create"),
        {
            "nama": "Seminar Gizi", "jenis": 9, "penyelenggara": "Unja", "skala": "nasional",
            "tanggal_mulai": today - timedelta(days=3),
            "tanggal_selesai": today - timedelta(days=3),
            "file": SimpleUploadedFile("s.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )  # fmt: skip
    assert response.status_code == 302
    kegiatan = KegiatanEksternal.objects.get()
    verify = ["Verifikasi kegiatan: Seminar Gizi – Budi Pegawai"]
    assert everyone(c) == {"pengelola": verify, "pengelola_pegawai": verify}
    services.kegiatan_verify(kegiatan=kegiatan, by=c.pengelola)
    assert notified(c.pegawai) == ["Kegiatan diverifikasi: Seminar Gizi"]
    other = KegiatanEksternal.objects.create(
        pegawai=c.pegawai_pegawai, nama="Workshop", jenis=4, penyelenggara="X", file="k.pdf",
        tanggal_mulai=today, tanggal_selesai=today,
    )  # fmt: skip
    services.kegiatan_reject(kegiatan=other, by=c.pengelola, alasan="Sertifikat tidak terbaca")
    last = Notifikasi.objects.filter(penerima=c.pegawai).latest("pk")
    assert last.judul == "Kegiatan ditolak: Workshop"
    assert last.pesan == "Alasan: Sertifikat tidak terbaca"


def _program() -> ProgramBeasiswa:
    today = timezone.localdate()
    return ProgramBeasiswa.objects.create(
        nama="S2 Kesmas",
        perguruan_tinggi=PerguruanTinggi.objects.create(nama="Unja", kota="Jambi"),
        jenjang="s2", program_studi="Kesmas", jenis="tugas_belajar", kuota=2,
        pendaftaran_mulai=today - timedelta(days=5), pendaftaran_selesai=today + timedelta(days=9),
        lama_studi_bulan=24, usia_maks=60,
    )  # fmt: skip


def _apply(pegawai, program) -> PendaftaranBeasiswa:
    pendaftaran = PendaftaranBeasiswa(
        program=program, pegawai=pegawai, predikat_tahun_lalu="baik",
        predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True, dokumen="b.pdf",
    )  # fmt: skip
    return services.beasiswa_apply(pendaftaran=pendaftaran, on=timezone.localdate())


def test_a_scholarship_goes_from_the_atasan_to_the_province_and_back_to_the_pegawai(cast_lengkap):
    c = cast_lengkap
    pendaftaran = _apply(c.pegawai_pegawai, _program())
    assert pendaftaran.status == "memenuhi_syarat"
    assert everyone(c) == {"atasan": ["Rekomendasi beasiswa Budi Pegawai"]}
    services.pendaftaran_rekomendasi(pendaftaran=pendaftaran, by=c.atasan, rekomendasi=True)
    ready = "Pendaftaran beasiswa Budi Pegawai siap diputuskan"
    assert notified(c.provinsi) == [ready]
    assert notified(c.admin) == []  # administrators are not the province's HR queue
    services.beasiswa_accept(
        pendaftaran=pendaftaran, tanggal_mulai=timezone.localdate(), by=c.provinsi
    )
    assert notified(c.pegawai) == ["Beasiswa diterima: S2 Kesmas"]
    assert notified(c.provinsi) == [ready]


def test_a_refused_scholarship_tells_the_pegawai_why(cast_lengkap):
    c = cast_lengkap
    pendaftaran = _apply(c.rekan_pegawai, _program())
    services.pendaftaran_rekomendasi(pendaftaran=pendaftaran, by=c.atasan, rekomendasi=True)
    services.beasiswa_reject(pendaftaran=pendaftaran, catatan="Kuota penuh", by=c.provinsi)
    [item] = Notifikasi.objects.filter(penerima=c.rekan)
    assert (item.judul, item.pesan) == ("Beasiswa tidak diterima: S2 Kesmas", "Kuota penuh")


def test_a_decision_is_mailed_to_the_pegawai_through_the_smtp_server(
    cast_lengkap, open_batch, smtp, settings, django_capture_on_commit_callbacks
):
    c = cast_lengkap
    smtp.refuse = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "https://sibina.jambiprov.go.id"
    User.objects.filter(pk=c.pegawai.pk).update(email="budi@jambiprov.go.id")
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    with django_capture_on_commit_callbacks(execute=True):
        services.peserta_reject(peserta=peserta, alasan="Beban kerja", by=c.atasan)
    mails = [m for m in messages(smtp) if m["To"] == "budi@jambiprov.go.id"]
    assert len(mails) == 1
    text = body(mails[0])
    assert mails[0]["Subject"].strip() == f"SIBINA: Pengajuan ditolak: {open_batch}"
    assert "Alasan: Beban kerja" in text
    assert Notifikasi.objects.get(penerima=c.pegawai).disurelkan_at is not None
    link = f"https://sibina.jambiprov.go.id{open_batch.get_absolute_url()}#peserta-{peserta.pk}"
    assert link in text
