"""Every pelatihan page, for every role: who gets it (200), who is refused (403), for whom it does
not exist (404), and that anonymous visitors are sent to log in (302). The training is organised by
the pengelola's unit (Dinas Kesehatan); pengelola_lain is HR of another OPD, provinsi the
province's HR."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from pelatihan import services
from pelatihan.models import (
    AturanKonversiJP,
    KerjaSama,
    Kompetensi,
    PendaftaranBeasiswa,
    PerguruanTinggi,
    ProgramBeasiswa,
)
from tests import factories

ROLES = ["anonymous", "pegawai", "atasan", "outsider", "pengelola", "pengelola_lain", "provinsi",
         "admin"]  # fmt: skip
EVERYONE = dict.fromkeys(ROLES[1:], 200)
MANAGERS = dict.fromkeys(ROLES[1:], 200) | {"pegawai": 403, "atasan": 403, "outsider": 403}
ORGANISERS = MANAGERS | {"pengelola_lain": 403, "provinsi": 403}
PROVINCE = ORGANISERS | {"pengelola": 403, "provinsi": 200}
PEGAWAI_ONLY = dict.fromkeys(ROLES[1:], 403) | {"pegawai": 200, "atasan": 200, "outsider": 200}
ADMIN_ONLY = dict.fromkeys(ROLES[1:], 403) | {"admin": 200}


@pytest.fixture
def world(cast_lengkap, settings, tmp_path):
    cast = cast_lengkap
    settings.MEDIA_ROOT = tmp_path
    batch = factories.angkatan()
    peserta = services.peserta_nominate(angkatan=batch, pegawai=cast.pegawai_pegawai)
    program = ProgramBeasiswa.objects.create(
        nama="S2",
        perguruan_tinggi=PerguruanTinggi.objects.create(nama="Unja", kota="Jambi"),
        jenjang="s2",
        program_studi="MM",
        jenis="tugas_belajar",
        kuota=2,
        pendaftaran_mulai=date(2026, 1, 1),
        pendaftaran_selesai=date(2026, 1, 31),
        lama_studi_bulan=24,
    )
    pendaftaran = PendaftaranBeasiswa.objects.create(
        program=program,
        pegawai=cast.pegawai_pegawai,
        status="memenuhi_syarat",
        predikat_tahun_lalu="baik",
        predikat_dua_tahun_lalu="baik",
        tanpa_hukuman_disiplin=True,
        dokumen="b.pdf",
    )
    studi = services.beasiswa_accept(pendaftaran=pendaftaran, tanggal_mulai=date(2026, 2, 1))
    # A batch of the pegawai's that ended with a pass and its certificate.
    ended = factories.angkatan(mulai=date(2026, 5, 4), selesai=date(2026, 5, 8))
    passed = services.peserta_nominate(angkatan=ended, pegawai=cast.pegawai_pegawai)
    ended.status = "berjalan"
    ended.save()
    for sesi in ended.sesi.all():
        services.kehadiran_record(sesi=sesi, hadir={passed.pk})
    passed.nilai_post = 90
    passed.save()
    services.peserta_decide(peserta=passed, lulus=True)
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 berkas persyaratan")
    kerja_sama = KerjaSama.objects.create(
        perguruan_tinggi=program.perguruan_tinggi, nomor="1/KS/2026", judul="SDM",
        ruang_lingkup="Tugas belajar", tanggal_tanda_tangan=date(2026, 1, 1),
        tanggal_berakhir=date(2028, 1, 1), dokumen="b.pdf",
    )  # fmt: skip
    rencana = services.baris_rencana_add(
        pegawai=cast.pegawai_pegawai, tahun=timezone.localdate().year,
        kompetensi=Kompetensi.objects.get(kode="M.03"), level_target=3, bentuk=22, jp=6,
    ).rencana  # fmt: skip
    return {
        "rencana": rencana,
        "baris": rencana.baris.get(),
        "batch": batch,
        "peserta": peserta,
        "program": program,
        "studi": studi,
        "pendaftaran": pendaftaran,
        "kerja_sama": kerja_sama,
        "lulus": passed,
        "sesi": batch.sesi.first(),
        "jabatan": cast.pegawai_pegawai.jabatan,
        "aturan": AturanKonversiJP.objects.get(jenis=14),
    }


def pages(cast, w) -> list[tuple[str, dict]]:
    own = cast.pegawai_pegawai.pk
    seen_by_cast = EVERYONE | {"outsider": 404, "pengelola_lain": 404, "provinsi": 404}
    return [
        (reverse("pelatihan:list"), EVERYONE),
        (reverse("pelatihan:detail", args=[w["batch"].pelatihan_id]), EVERYONE),
        (reverse("pelatihan:create"), MANAGERS),
        (reverse("pelatihan:update", args=[w["batch"].pelatihan_id]), ORGANISERS),
        (reverse("pelatihan:angkatan_create", args=[w["batch"].pelatihan_id]), ORGANISERS),
        (reverse("pelatihan:angkatan_detail", args=[w["batch"].pk]), EVERYONE),
        (reverse("pelatihan:angkatan_update", args=[w["batch"].pk]), ORGANISERS),
        # A batch's "add to calendar" file, like its page; the HR training calendar (.ics).
        (reverse("pelatihan:angkatan_kalender", args=[w["batch"].pk]), EVERYONE),
        (reverse("pelatihan:kalender_unit"), MANAGERS),
        (reverse("pelatihan:sesi_kehadiran", args=[w["sesi"].pk]), ORGANISERS),
        (reverse("pelatihan:kompetensi_list"), EVERYONE),
        (reverse("pelatihan:kompetensi_create"), PROVINCE),
        (reverse("pelatihan:standar_update", args=[w["jabatan"].pk]), PROVINCE),
        (reverse("pelatihan:kompetensi_pegawai", args=[own]), seen_by_cast),
        (reverse("pelatihan:kompetensi_unit"), MANAGERS),
        (reverse("pelatihan:jp_saya"), PEGAWAI_ONLY),
        (reverse("pelatihan:kegiatan_create"), PEGAWAI_ONLY),
        (reverse("pelatihan:siasn_export"), MANAGERS),
        # Atasan verify their subordinates' non-classical activities, HR the rest.
        (reverse("pelatihan:kegiatan_verifikasi"), MANAGERS | {"atasan": 200}),
        (reverse("pelatihan:kegiatan_list"), MANAGERS),
        (reverse("pelatihan:kegiatan_berlaku"), MANAGERS),
        (reverse("pelatihan:aturan_jp_list"), MANAGERS),
        (reverse("pelatihan:aturan_jp_create"), ADMIN_ONLY),
        (reverse("pelatihan:aturan_jp_update", args=[w["aturan"].pk]), ADMIN_ONLY),
        (reverse("pelatihan:beasiswa_list"), EVERYONE),
        (reverse("pelatihan:beasiswa_create"), PROVINCE),
        (reverse("pelatihan:beasiswa_detail", args=[w["program"].pk]), EVERYONE),
        (reverse("pelatihan:studi_detail", args=[w["studi"].pk]), seen_by_cast),
        (reverse("pelatihan:mitra_list"), MANAGERS),
        (reverse("pelatihan:kerja_sama_create"), PROVINCE),
        (reverse("pelatihan:pendaftaran_dokumen", args=[w["pendaftaran"].pk]), seen_by_cast),
        (reverse("pelatihan:kerja_sama_dokumen", args=[w["kerja_sama"].pk]), MANAGERS),
        # Development plans: one's own, their atasan's, the unit's and the province's HR read
        # it; a draft's lines are the pegawai's to change.
        (reverse("pelatihan:rencana_saya"), PEGAWAI_ONLY),
        (reverse("pelatihan:rencana_unit"), MANAGERS),
        (
            reverse("pelatihan:rencana_detail", args=[w["rencana"].pk]),
            seen_by_cast | {"provinsi": 200},
        ),
        (
            reverse("pelatihan:baris_update", args=[w["baris"].pk]),
            seen_by_cast | {"atasan": 403, "pengelola": 403, "provinsi": 403, "admin": 403},
        ),
        # The page that asks to confirm a revocation: the batch's organisers, never the
        # participant; others do not see the participation at all.
        (
            reverse("pelatihan:sertifikat_revoke", args=[w["lulus"].pk]),
            seen_by_cast | {"pegawai": 403, "atasan": 403},
        ),
    ]


def test_every_pelatihan_page_answers_each_role_as_expected(client, cast_lengkap, world):
    cast = cast_lengkap
    wrong = []
    for url, expected in pages(cast, world):
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(getattr(cast, role))
            status = client.get(url).status_code
            want = 302 if role == "anonymous" else expected[role]
            if status != want:
                wrong.append(f"{role} GET {url}: {status}, expected {want}")
    assert wrong == []


def test_the_matrix_covers_every_get_page_of_pelatihan(cast_lengkap, world):
    cast = cast_lengkap
    from django.urls import get_resolver

    from pelatihan import urls

    covered = {get_resolver().resolve(url).url_name for url, _ in pages(cast, world)}
    post_only = {
        "angkatan_nominate",
        "angkatan_request",
        "peserta_approve",
        "peserta_reject",
        "peserta_confirm",
        "peserta_cancel",
        "peserta_decide",
        "kegiatan_decide",
        "beasiswa_decide",
        "sertifikat_reissue",
        "pendaftaran_rekomendasi",
        "rencana_create",
        "baris_create",
        "baris_delete",
        "rencana_submit",
        "rencana_decide",
        "studi_lulus",
    }
    # Pages that need an object only some roles have, tested in their own files.
    own_files = {"sertifikat_pdf", "kegiatan_file"}
    names = {p.name for p in urls.urlpatterns}
    assert names - covered - post_only - own_files == set()
