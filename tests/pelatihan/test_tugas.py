"""The pelatihan kinds of the task inbox: each appears for exactly the people whose action it
waits for (not another atasan, not another unit's HR, never about oneself) and goes away once
anyone allowed has acted."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pegawai.models import User
from pelatihan import services
from pelatihan.models import (
    KegiatanEksternal,
    KerjaSama,
    PendaftaranBeasiswa,
    PerguruanTinggi,
    Peserta,
    ProgramBeasiswa,
)
from pelatihan.tugas import JENIS
from pembinaan import tugas
from tests import factories

TODAY = timezone.localdate


def rows(user, kode: str, today: date | None = None) -> list:
    """The items of one kind for a fresh login (its roles read anew), [] when not for them."""
    user = User.objects.get(pk=user.pk)
    jenis = next(j for j in JENIS if j.kode == kode)
    found = jenis.rows(user, today or TODAY())
    return [] if found is None else list(found)


def who_sees(cast, kode: str, today: date | None = None) -> set[str]:
    roles = ["pegawai", "rekan", "atasan", "outsider", "pengelola", "pengelola_lain",
             "pengelola_pegawai", "provinsi", "admin", "mentor"]  # fmt: skip
    return {role for role in roles if rows(getattr(cast, role), kode, today)}


@pytest.fixture
def open_batch(cast_lengkap):
    today = TODAY()
    return factories.angkatan(
        kuota=5, mulai=today + timedelta(days=20), selesai=today + timedelta(days=22)
    )


def test_a_request_waits_for_the_direct_atasan_only_until_approved(
    client, cast_lengkap, open_batch
):
    c = cast_lengkap
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    assert who_sees(c, "pelatihan_pengajuan_atasan") == {"atasan"}
    [item] = [JENIS[0].item(p, TODAY()) for p in rows(c.atasan, "pelatihan_pengajuan_atasan")]
    assert item.url == f"{open_batch.get_absolute_url()}#peserta-{peserta.pk}"
    assert item.jatuh_tempo == open_batch.tanggal_mulai
    client.force_login(c.atasan)
    page = client.get(reverse("tugas")).content.decode()
    assert "Setujui pengajuan Budi Pegawai" in page
    assert f'id="peserta-{peserta.pk}"' in client.get(item.url.split("#")[0]).content.decode()
    client.post(reverse("pelatihan:peserta_approve", args=[peserta.pk]))
    assert who_sees(c, "pelatihan_pengajuan_atasan") == set()


def test_a_request_refused_by_hr_leaves_the_atasan_inbox(cast_lengkap, open_batch):
    c = cast_lengkap
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.rekan_pegawai)
    assert rows(c.atasan, "pelatihan_pengajuan_atasan") == [peserta]
    services.peserta_reject(peserta=peserta, alasan="Kuota unit penuh", by=c.pengelola)
    assert rows(c.atasan, "pelatihan_pengajuan_atasan") == []


def test_an_approved_request_waits_for_the_hr_of_the_unit_or_of_the_batch(
    client, cast_lengkap, open_batch
):
    c = cast_lengkap
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    assert who_sees(c, "pelatihan_pengajuan_konfirmasi") == set()
    services.peserta_approve(peserta=peserta, by=c.atasan)
    expected = {"pengelola", "pengelola_pegawai", "admin"}
    assert who_sees(c, "pelatihan_pengajuan_konfirmasi") == expected
    # An outsider's request to a batch of Dinas Kesehatan: their own HR and the organisers.
    services.peserta_request(angkatan=open_batch, pegawai=c.outsider_pegawai)
    assert rows(c.pengelola_lain, "pelatihan_pengajuan_konfirmasi")[0].pegawai == c.outsider_pegawai
    assert len(rows(c.pengelola, "pelatihan_pengajuan_konfirmasi")) == 2
    client.force_login(c.pengelola_pegawai)
    client.post(reverse("pelatihan:peserta_confirm", args=[peserta.pk]))
    assert Peserta.objects.get(pk=peserta.pk).status == "terdaftar"
    assert [p.pegawai for p in rows(c.pengelola, "pelatihan_pengajuan_konfirmasi")] == [
        c.outsider_pegawai
    ]


def test_an_officer_never_sees_their_own_approved_request(cast_lengkap, open_batch):
    c = cast_lengkap
    own = services.peserta_request(angkatan=open_batch, pegawai=c.pengelola_pegawai_pegawai)
    assert own.status == "disetujui_atasan"  # no atasan: straight to HR
    assert rows(c.pengelola_pegawai, "pelatihan_pengajuan_konfirmasi") == []
    assert rows(c.pengelola, "pelatihan_pengajuan_konfirmasi") == [own]


def test_a_province_training_waits_for_the_province_hr_too(cast_lengkap):
    c = cast_lengkap
    today = TODAY()
    province = factories.angkatan(
        factories.pelatihan(nama="Latsar", unit_penyelenggara=None),
        mulai=today + timedelta(days=5), selesai=today + timedelta(days=6),
    )  # fmt: skip
    Peserta.objects.create(angkatan=province, pegawai=c.outsider_pegawai, status="disetujui_atasan")
    assert who_sees(c, "pelatihan_pengajuan_konfirmasi") == {"pengelola_lain", "provinsi", "admin"}


def _kegiatan(pegawai, **extra):
    today = TODAY()
    return KegiatanEksternal.objects.create(
        pegawai=pegawai, nama="Seminar Gizi", jenis=9, penyelenggara="Unja", file="k.pdf",
        tanggal_mulai=today - timedelta(days=30), tanggal_selesai=today - timedelta(days=30),
        **extra,
    )  # fmt: skip


def test_an_external_activity_waits_for_its_unit_hr_and_is_late_after_fourteen_days(cast_lengkap):
    c = cast_lengkap
    kegiatan = _kegiatan(c.pegawai_pegawai)
    KegiatanEksternal.objects.filter(pk=kegiatan.pk).update(
        created_at=timezone.now() - timedelta(days=15)
    )
    assert who_sees(c, "pelatihan_kegiatan_verifikasi") == {
        "pengelola",
        "pengelola_pegawai",
        "admin",
    }
    jenis = next(j for j in JENIS if j.kode == "pelatihan_kegiatan_verifikasi")
    item = jenis.item(rows(c.pengelola, jenis.kode)[0], TODAY())
    assert item.terlambat(TODAY())
    assert item.url == reverse("pelatihan:kegiatan_verifikasi") + f"#kegiatan-{kegiatan.pk}"
    services.kegiatan_verify(kegiatan=kegiatan, by=c.pengelola_pegawai)
    assert who_sees(c, "pelatihan_kegiatan_verifikasi") == set()


def test_an_officer_does_not_verify_their_own_activity(cast_lengkap):
    c = cast_lengkap
    _kegiatan(c.pengelola_pegawai_pegawai)
    assert who_sees(c, "pelatihan_kegiatan_verifikasi") == {"pengelola", "admin"}


def _finished_batch(pelatihan=None):
    today = TODAY()
    return factories.angkatan(
        pelatihan, kuota=5, status="selesai", mulai=today - timedelta(days=10),
        selesai=today - timedelta(days=8),
    )  # fmt: skip


def test_a_batch_with_every_score_in_waits_for_its_organisers_to_decide(cast_lengkap):
    c = cast_lengkap
    batch = _finished_batch()
    budi = Peserta.objects.create(
        angkatan=batch, pegawai=c.pegawai_pegawai, status="terdaftar", nilai_post=50
    )
    dedi = Peserta.objects.create(angkatan=batch, pegawai=c.rekan_pegawai, status="terdaftar")
    assert who_sees(c, "pelatihan_hasil") == set()  # a post-test still missing
    Peserta.objects.filter(pk=dedi.pk).update(nilai_post=40)
    assert who_sees(c, "pelatihan_hasil") == {"pengelola", "pengelola_pegawai", "admin"}
    [angkatan] = rows(c.pengelola, "pelatihan_hasil")
    assert angkatan.belum == 2
    services.peserta_decide(peserta=budi, lulus=False)
    assert rows(c.pengelola, "pelatihan_hasil")[0].belum == 1
    services.peserta_decide(peserta=dedi, lulus=False)
    assert who_sees(c, "pelatihan_hasil") == set()


def test_an_organiser_is_not_asked_to_decide_their_own_result(cast_lengkap):
    c = cast_lengkap
    batch = _finished_batch()
    own = Peserta.objects.create(angkatan=batch, pegawai=c.pengelola_pegawai_pegawai,
                                 status="terdaftar", nilai_post=80)  # fmt: skip
    assert who_sees(c, "pelatihan_hasil") == {"pengelola", "admin"}
    services.peserta_decide(peserta=own, lulus=False)  # by another of its HR
    assert who_sees(c, "pelatihan_hasil") == set()


def test_a_province_batch_waits_for_the_province_hr(cast_lengkap):
    c = cast_lengkap
    batch = _finished_batch(factories.pelatihan(nama="Latsar", unit_penyelenggara=None))
    Peserta.objects.create(angkatan=batch, pegawai=c.outsider_pegawai, status="terdaftar",
                           nilai_post=90)  # fmt: skip
    assert who_sees(c, "pelatihan_hasil") == {"provinsi", "admin"}


def _kerja_sama(nomor: str, berakhir: date, perguruan=None) -> KerjaSama:
    perguruan = perguruan or PerguruanTinggi.objects.get_or_create(nama="Unja", kota="Jambi")[0]
    return KerjaSama.objects.create(
        perguruan_tinggi=perguruan, nomor=nomor, judul="Tugas belajar", ruang_lingkup="S2",
        tanggal_tanda_tangan=berakhir - timedelta(days=1000), tanggal_berakhir=berakhir,
    )  # fmt: skip


def test_an_agreement_ending_soon_waits_for_the_province_hr_until_renewed(cast_lengkap):
    c = cast_lengkap
    today = TODAY()
    ending = _kerja_sama("1/KS", today + timedelta(days=60))
    _kerja_sama(
        "2/KS",
        today + timedelta(days=200),
        PerguruanTinggi.objects.create(nama="UIN", kota="Jambi"),
    )
    _kerja_sama(
        "3/KS",
        today - timedelta(days=200),
        PerguruanTinggi.objects.create(nama="Lama", kota="Jambi"),
    )
    assert who_sees(c, "pelatihan_kerja_sama") == {"provinsi", "admin"}
    assert rows(c.provinsi, "pelatihan_kerja_sama") == [ending]
    _kerja_sama("4/KS", today + timedelta(days=1500))  # renewed with the same university
    assert who_sees(c, "pelatihan_kerja_sama") == set()


def test_an_agreement_ended_lately_and_not_renewed_still_waits(cast_lengkap):
    c = cast_lengkap
    ended = _kerja_sama("1/KS", TODAY() - timedelta(days=10))
    jenis = next(j for j in JENIS if j.kode == "pelatihan_kerja_sama")
    item = jenis.item(rows(c.provinsi, jenis.kode)[0], TODAY())
    assert item.terlambat(TODAY()) and "telah berakhir" in item.judul
    assert rows(c.provinsi, jenis.kode) == [ended]


def _pendaftaran(pegawai, *, program=None, **extra) -> PendaftaranBeasiswa:
    today = TODAY()
    program = program or ProgramBeasiswa.objects.create(
        nama="S2 Kesmas", perguruan_tinggi=PerguruanTinggi.objects.get_or_create(
            nama="Unja", kota="Jambi")[0],
        jenjang="s2", program_studi="Kesmas", jenis="tugas_belajar", kuota=2,
        pendaftaran_mulai=today - timedelta(days=5), pendaftaran_selesai=today + timedelta(days=9),
        lama_studi_bulan=24,
    )  # fmt: skip
    return PendaftaranBeasiswa.objects.create(
        program=program, pegawai=pegawai, status="memenuhi_syarat", predikat_tahun_lalu="baik",
        predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True, dokumen="b.pdf", **extra,
    )  # fmt: skip


def test_an_application_waits_for_the_atasan_then_for_those_who_decide(cast_lengkap):
    c = cast_lengkap
    pendaftaran = _pendaftaran(c.pegawai_pegawai)
    assert who_sees(c, "pelatihan_beasiswa_rekomendasi") == {"atasan"}
    assert who_sees(c, "pelatihan_beasiswa_putuskan") == set()  # the atasan first
    services.pendaftaran_rekomendasi(pendaftaran=pendaftaran, by=c.atasan, rekomendasi=True)
    assert who_sees(c, "pelatihan_beasiswa_rekomendasi") == set()
    decide = {"pengelola", "pengelola_pegawai", "provinsi", "admin"}
    assert who_sees(c, "pelatihan_beasiswa_putuskan") == decide
    services.beasiswa_reject(pendaftaran=pendaftaran, catatan="Kuota penuh", by=c.provinsi)
    assert who_sees(c, "pelatihan_beasiswa_putuskan") == set()


def test_an_application_without_the_atasan_word_is_decided_once_registration_closed(cast_lengkap):
    c = cast_lengkap
    pendaftaran = _pendaftaran(c.pegawai_pegawai)
    later = pendaftaran.program.pendaftaran_selesai + timedelta(days=1)
    assert rows(c.provinsi, "pelatihan_beasiswa_putuskan", later) == [pendaftaran]


def test_an_officer_never_sees_their_own_application_to_decide(cast_lengkap):
    c = cast_lengkap
    own = _pendaftaran(c.pengelola_pegawai_pegawai)  # no atasan: ready for HR at once
    assert who_sees(c, "pelatihan_beasiswa_putuskan") == {"pengelola", "provinsi", "admin"}
    assert own in rows(c.provinsi, "pelatihan_beasiswa_putuskan")


def test_the_pegawai_follows_their_decided_request_for_two_weeks(cast_lengkap, open_batch):
    c = cast_lengkap
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    assert who_sees(c, "pelatihan_pengajuan_diputuskan") == set()
    services.peserta_reject(peserta=peserta, alasan="Belum sesuai kebutuhan", by=c.atasan)
    assert who_sees(c, "pelatihan_pengajuan_diputuskan") == {"pegawai"}
    pegawai = User.objects.get(pk=c.pegawai.pk)
    assert tugas.jumlah_tugas(pegawai, TODAY()) == 0  # followed, not counted
    [group] = [g for g in tugas.daftar_tugas(pegawai, TODAY())
               if g.jenis.kode == "pelatihan_pengajuan_diputuskan"]  # fmt: skip
    assert "Belum sesuai kebutuhan" in group.items[0][0].keterangan
    Peserta.objects.filter(pk=peserta.pk).update(updated_at=timezone.now() - timedelta(days=15))
    assert who_sees(c, "pelatihan_pengajuan_diputuskan") == set()


def test_the_atasan_approves_from_the_inbox_and_hr_confirms_from_theirs(
    client, cast_lengkap, open_batch
):
    c = cast_lengkap
    peserta = services.peserta_request(angkatan=open_batch, pegawai=c.pegawai_pegawai)
    approve = reverse("pelatihan:peserta_approve", args=[peserta.pk])
    confirm = reverse("pelatihan:peserta_confirm", args=[peserta.pk])
    client.force_login(c.atasan)
    assert f'action="{approve}"' in client.get(reverse("tugas")).content.decode()
    response = client.post(approve, {"next": reverse("tugas")})
    assert response.url == reverse("tugas")
    assert f'action="{approve}"' not in client.get(reverse("tugas")).content.decode()
    client.force_login(c.pengelola)
    assert f'action="{confirm}"' in client.get(reverse("tugas")).content.decode()
    response = client.post(confirm, {"next": "https://jahat.example/"})
    assert response.url == open_batch.get_absolute_url()  # never to another site
    peserta.refresh_from_db()
    assert peserta.status == Peserta.Status.TERDAFTAR
    assert f'action="{confirm}"' not in client.get(reverse("tugas")).content.decode()


def test_confirming_into_a_full_batch_says_the_participant_waits(client, cast_lengkap):
    c = cast_lengkap
    today = TODAY()
    full = factories.angkatan(
        kuota=1, mulai=today + timedelta(days=20), selesai=today + timedelta(days=22)
    )
    Peserta.objects.create(angkatan=full, pegawai=c.rekan_pegawai, status="terdaftar")
    peserta = Peserta.objects.create(angkatan=full, pegawai=c.pegawai_pegawai,
                                     status="disetujui_atasan")  # fmt: skip
    client.force_login(c.pengelola)
    confirm = reverse("pelatihan:peserta_confirm", args=[peserta.pk])
    page = client.post(confirm, {"next": reverse("tugas")}, follow=True).content.decode()
    assert "Angkatan penuh: Budi Pegawai masuk daftar tunggu." in page
    assert "dikonfirmasi dan terdaftar" not in page
    peserta.refresh_from_db()
    assert peserta.status == Peserta.Status.DAFTAR_TUNGGU


def test_a_refusal_reason_too_long_is_refused_with_its_limit(client, cast_lengkap, open_batch):
    peserta = services.peserta_request(angkatan=open_batch, pegawai=cast_lengkap.pegawai_pegawai)
    client.force_login(cast_lengkap.atasan)
    url = reverse("pelatihan:peserta_reject", args=[peserta.pk])
    page = client.post(url, {"alasan": "x" * 1001}, follow=True).content.decode()
    assert "paling banyak 1.000 karakter (sekarang 1.001 karakter)" in page
    page = client.post(url, {"alasan": " "}, follow=True).content.decode()
    assert "Tuliskan alasan penolakan." in page
    peserta.refresh_from_db()
    assert peserta.status == Peserta.Status.DIAJUKAN


def test_a_submitted_plan_waits_for_the_direct_atasan_until_decided(cast_lengkap):
    from pelatihan.models import Kompetensi

    c = cast_lengkap
    rencana = services.baris_rencana_add(
        pegawai=c.pegawai_pegawai, tahun=TODAY().year, kompetensi=Kompetensi.objects.first(),
        level_target=3, bentuk=22, jp=4,
    ).rencana  # fmt: skip
    assert who_sees(c, "pelatihan_rencana_atasan") == set()  # a draft waits for nobody
    services.rencana_submit(rencana=rencana, by=c.pegawai)
    assert who_sees(c, "pelatihan_rencana_atasan") == {"atasan"}
    jenis = next(j for j in JENIS if j.kode == "pelatihan_rencana_atasan")
    [item] = [jenis.item(r, TODAY()) for r in rows(c.atasan, "pelatihan_rencana_atasan")]
    assert item.url == rencana.get_absolute_url()
    services.rencana_decide(
        rencana=rencana, by=c.atasan, setuju=True, tanggal_pertemuan=TODAY(), catatan="",
        today=TODAY(),
    )  # fmt: skip
    assert who_sees(c, "pelatihan_rencana_atasan") == set()
