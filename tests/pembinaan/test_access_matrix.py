"""Every URL of the project, for every role, with the status it must answer. A URL pattern that
is in neither this matrix nor the pelatihan one fails the suite: a new view must say who may see
it. Roles: an anonymous visitor (a citizen, who may hold a tracking code), a pegawai, their
atasan, the pengelola of another unit, the pengelola of their unit, an administrator."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evaluasi import services as evaluasi_services
from evaluasi.models import (
    AksiPerubahan,
    BerkasLaporan,
    BuktiTonggak,
    PutaranIklim,
    TonggakAksi,
)
from masyarakat import services as masyarakat_services
from masyarakat import surel
from masyarakat.models import ForumDialog, Masukan, PendaftaranForum, UnitLayanan
from pegawai import services as pegawai_services
from pegawai.models import (
    CatatanDisiplin,
    HariLibur,
    ImporPegawai,
    Notifikasi,
    RekonsiliasiSiasn,
    RiwayatGolongan,
    SelisihSiasn,
)
from pelatihan.models import Kompetensi
from pembinaan import services as pembinaan_services
from pembinaan.lib import denyut
from pembinaan.models import (
    AnggotaKomiteTalenta,
    JabatanKritikal,
    KandidatSuksesi,
    LaporanMonitoring,
    PenempatanTalenta,
)
from tests import factories

ROLES = ["anonymous", "pegawai", "atasan", "pengelola_lain", "pengelola", "admin"]


def expect(anonymous=302, pegawai=200, atasan=200, lain=200, pengelola=200, admin=200) -> dict:
    return dict(zip(ROLES, [anonymous, pegawai, atasan, lain, pengelola, admin], strict=True))


PUBLIC = expect(anonymous=200)
EVERYONE = expect()
MANAGERS = expect(pegawai=403, atasan=403)
ADMINS = expect(pegawai=403, atasan=403, lain=403, pengelola=403)
POST_ONLY = expect(pegawai=405, atasan=405, lain=405, pengelola=405, admin=405)
# A row of the pengelola's unit: the other unit's pengelola does not see it at all.
OWN_UNIT = expect(pegawai=403, atasan=403, lain=404)
API = dict.fromkeys(ROLES, 401)


@pytest.fixture
def world(cast, laporan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Beat and a worker alive (no-op without Redis), so that /healthz/ answers 200 here.
    denyut.stamp("beat")
    denyut.stamp("worker")
    lain = factories.user("pengelola_lain")
    cast.bkd.pengelola.add(lain)
    periode = factories.periode(cast)
    penilaian = evaluasi_services.penilaian_save(
        periode=periode, pegawai=cast.pegawai_pegawai, penilai=cast.atasan_pegawai,
        hasil_kerja="sesuai", perilaku_kerja="sesuai",
    )  # fmt: skip
    berkas = BerkasLaporan.objects.create(
        jenis="pegawai", pegawai=cast.pegawai_pegawai, diminta_oleh=cast.pengelola
    )
    putaran = PutaranIklim.objects.create(
        nama="S2", tanggal_mulai=date(2026, 7, 1), tanggal_selesai=date(2026, 12, 31),
        dibuka_oleh=cast.pengelola,
    )  # fmt: skip
    putaran.units.set([cast.dinkes])
    aksi = evaluasi_services.aksi_register(
        aksi=AksiPerubahan(
            judul="Antrean daring", masalah="m", layanan="l", inovasi="i", manfaat="m",
            mentor=cast.atasan_pegawai, tanggal_mulai=date(2026, 1, 15),
        ),
        by=cast.pegawai,
    )  # fmt: skip
    tonggak = TonggakAksi.objects.create(
        aksi=aksi, tahap="pendek", uraian="Uji coba", jatuh_tempo=date(2026, 2, 1)
    )
    bukti = BuktiTonggak(tonggak=tonggak, keterangan="Foto")
    bukti.file.save("foto.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    laporan.lampiran.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
    layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=cast.yankes)
    layanan.petugas.add(cast.pegawai_pegawai, cast.atasan_pegawai)  # its officers, by HR
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Lama sekali")
    forum = ForumDialog.objects.create(
        topik="Forum", unit_layanan=layanan, waktu="2026-12-20T09:00+07:00", format="luring",
        kapasitas=20,
    )  # fmt: skip
    program = pembinaan_services.program_create(tahun=2026, by=cast.admin)
    monitoring = LaporanMonitoring.objects.create(
        program=program, periode_mulai=date(2026, 10, 1), periode_selesai=date(2026, 10, 31)
    )
    impor = ImporPegawai.objects.create(nama_berkas="a.csv", diunggah_oleh=cast.pengelola)
    rekonsiliasi = RekonsiliasiSiasn.objects.create(
        unit=cast.dinkes, nama_berkas="siasn.csv", diunggah_oleh=cast.pengelola
    )
    selisih = SelisihSiasn.objects.create(
        rekonsiliasi=rekonsiliasi, jenis="jabatan", nip=cast.pegawai_pegawai.nip,
        pegawai=cast.pegawai_pegawai, nilai_sibina="A", nilai_siasn="B",
    )  # fmt: skip
    notifikasi = Notifikasi.objects.create(
        penerima=cast.pegawai, kunci="uji", judul="Uji", url=reverse("tugas")
    )
    kalender = pembinaan_services.kalender_pribadi_buat(user=cast.pegawai)
    disiplin = CatatanDisiplin.objects.create(
        pegawai=cast.pegawai_pegawai, tingkat="ringan", jenis_hukuman="teguran_lisan",
        nomor_sk="800/1/2026", tanggal_sk=date(2026, 2, 1), tmt=date(2026, 2, 1),
    )  # fmt: skip
    penempatan = PenempatanTalenta.objects.create(
        pegawai=cast.pegawai_pegawai, opd=cast.dinkes, tahun_kinerja=2025, predikat="Baik",
        kinerja="di_atas", skor_potensial=90, potensial="tinggi", kotak_hitung=9, kotak=9,
        dihitung_at="2026-12-01T01:30+07:00",
    )  # fmt: skip
    kritikal = JabatanKritikal.objects.create(
        jabatan=cast.pegawai_pegawai.jabatan, alasan="Langka", ditetapkan_oleh=cast.admin
    )
    kandidat = KandidatSuksesi.objects.create(
        jabatan_kritikal=kritikal, pegawai=cast.pegawai_pegawai, kesiapan="siap",
        kompetensi=Kompetensi.objects.first(), level_target=3, bentuk=15, jp=10,
        ditambah_oleh=cast.admin,
    )  # fmt: skip
    anggota = AnggotaKomiteTalenta.objects.create(user=cast.outsider, ditambah_oleh=cast.admin)
    klien_api, _ = pembinaan_services.klien_api_create(
        nama="SIMPEG Dinkes", units=[cast.dinkes], cakupan="tulis", by=cast.admin
    )
    # A golongan step of the pegawai with its decree's scan (private: pegawai:riwayat_dokumen).
    sk = RiwayatGolongan(
        pegawai=cast.pegawai_pegawai, golongan_id=33, tmt=date(2023, 4, 1), nomor_sk="800/1"
    )
    sk.dokumen.save("sk.pdf", ContentFile(b"%PDF-1.4 sk"), save=False)
    pegawai_services.riwayat_save(riwayat=sk, user=cast.admin)
    return {
        "penempatan": penempatan.pk,
        "kritikal": kritikal.pk,
        "kandidat": kandidat.pk,
        "anggota": anggota.pk,
        "klien_api": klien_api.pk,
        "disiplin": disiplin.pk,
        "riwayat_golongan": sk.pk,
        "notifikasi": notifikasi.pk,
        "kalender": kalender.token,
        "pegawai": cast.pegawai_pegawai.pk,
        "pegawai_user": cast.pegawai.pk,
        "sertifikat": laporan.peserta.sertifikat.kode,
        "periode": periode.pk,
        "periode_unit": periode.periode_units.get().pk,
        "penilaian": penilaian.pk,
        "laporan": laporan.pk,
        "peserta": laporan.peserta_id,
        "angkatan": laporan.peserta.angkatan_id,
        "pelatihan": laporan.peserta.angkatan.pelatihan_id,
        "berkas": berkas.pk,
        "putaran": putaran.pk,
        "aksi": aksi.pk,
        "tonggak": tonggak.pk,
        "bukti": bukti.pk,
        "keberlanjutan": aksi.laporan_keberlanjutan.first().pk,
        "masukan": masukan.pk,
        "kode": masukan.kode,
        "forum": forum.pk,
        "forum_kode": forum.kode,
        "batal": masyarakat_services.batal_token(
            PendaftaranForum.objects.create(
                forum=forum, nama="Rahmah", kontak="r@contoh.id", status="terdaftar"
            )  # fmt: skip
        ),
        "berhenti": surel.berhenti_token("r@contoh.id"),
        "layanan": layanan.kode,
        "program": program.pk,
        "target": program.target.first().pk,
        "monitoring": monitoring.pk,
        "impor": impor.pk,
        "rekonsiliasi": rekonsiliasi.pk,
        "selisih": selisih.pk,
        "layanan_pk": layanan.pk,
        "hari_libur": HariLibur.objects.get(tanggal=date(2026, 8, 17)).pk,  # shipped
    }


# name → (the URL's arguments from the world, the status per role)
MATRIX = {
    "beranda": ([], EVERYONE),
    "login": ([], PUBLIC | {r: 302 for r in ROLES[1:]}),  # signed in: sent on
    "logout": ([], POST_ONLY),
    # Single sign-on, not configured here (tests/pegawai/test_sso.py runs it): not found.
    "sso_masuk": ([], expect(404, 404, 404, 404, 404, 404)),
    "sso_kembali": ([], expect(404, 404, 404, 404, 404, 404)),
    "password_change": ([], EVERYONE),
    "password_change_done": ([], EVERYONE),
    "tugas": ([], EVERYONE),
    "notifikasi:list": ([], EVERYONE),
    "notifikasi:pengaturan": ([], EVERYONE),
    "notifikasi:baca_semua": ([], POST_ONLY),
    # One's own notification opens (and goes where it points); another's does not exist.
    "notifikasi:buka": (["notifikasi"], expect(pegawai=302, atasan=404, lain=404, pengelola=404,
                                               admin=404)),
    # One's own calendar address; the feed itself needs no login: its secret token authorises.
    "kalender_saya": ([], EVERYONE),
    "kalender_buat": ([], POST_ONLY),
    "kalender_cabut": ([], POST_ONLY),
    "kalender_feed": (["kalender"], PUBLIC),
    "password_reset_confirm": (["MQ", "bukan-token"], PUBLIC),
    "password_reset_complete": ([], PUBLIC),
    "masyarakat:warga": ([], PUBLIC),
    "verifikasi": (["sertifikat"], PUBLIC),
    "masyarakat:survei": (["layanan"], PUBLIC),
    "masyarakat:survei_terima_kasih": (["layanan"], PUBLIC),
    "masyarakat:masukan_create": ([], PUBLIC),
    "masyarakat:masukan_petugas": ([], PUBLIC),
    "masyarakat:masukan_status": (["kode"], PUBLIC),  # the citizen with the tracking code
    "masyarakat:forum_publik": (["forum_kode"], PUBLIC),
    # The links of citizens' mails: signed, no account needed; GET asks, POST acts.
    "masyarakat:forum_batal": (["batal"], PUBLIC),
    "masyarakat:berhenti": (["berhenti"], PUBLIC),
    "inovasi_galeri": ([], PUBLIC),
    # Open data: public statistics, nothing personal (tests/pembinaan/test_data_terbuka.py).
    "data_terbuka": ([], PUBLIC),
    "data_terbuka_csv": (["=forum-dialog"], PUBLIC),
    "data_terbuka_zip": ([], PUBLIC),
    "inovasi_detail": (["aksi"], expect(anonymous=404, pegawai=404, atasan=404, lain=404,
                                        pengelola=404, admin=404)),  # not published
    "masyarakat:forum_list": ([], MANAGERS),
    "masyarakat:forum_detail": (["forum"], OWN_UNIT),
    "masyarakat:masukan_list": ([], MANAGERS),
    # The officers HR assign to the service unit see feedback once forwarded: this one is not.
    "masyarakat:masukan_detail": (["masukan"], OWN_UNIT | {"pegawai": 404, "atasan": 404}),
    "masyarakat:masukan_pegawai": (["pegawai"], expect(lain=404)),
    "masyarakat:layanan_petugas": (["layanan_pk"], OWN_UNIT),
    "masyarakat:layanan_volume": (["layanan_pk"], OWN_UNIT),
    "masyarakat:ikm": ([], MANAGERS),
    "masyarakat:survei_impor": ([], MANAGERS),
    "masyarakat:survei_impor_templat": ([], MANAGERS),
    # The province's accounts: administrators (and the province's HR, tests/test_post_matrix.py).
    "akun:list": ([], ADMINS),
    "akun:massal": ([], ADMINS | {"admin": 302}),  # no unit named: back to the list
    "akun:detail": (["pegawai_user"], ADMINS),
    "akun:peran": (["pegawai_user"], POST_ONLY),
    "akun:deactivate": (["pegawai_user"], ADMINS),
    "akun:activate": (["pegawai_user"], POST_ONLY),
    "akun:pengelola_list": ([], ADMINS),
    "akun:pengelola_withdraw": ([], POST_ONLY),
    "akun:dua_faktor_reset": (["pegawai_user"], ADMINS | {"admin": 302}),  # nothing to reset
    # A login's own second step (DUA_FAKTOR_WAJIB is off in the suite): with no device and no
    # new recovery codes, the code page and the codes' pages send each login on.
    "dua_faktor:status": ([], EVERYONE),
    "dua_faktor:enrol": ([], EVERYONE),
    "dua_faktor:verify": ([], expect(pegawai=302, atasan=302, lain=302, pengelola=302, admin=302)),
    "dua_faktor:kode_cadangan": ([], expect(pegawai=302, atasan=302, lain=302, pengelola=302,
                                            admin=302)),  # fmt: skip
    "dua_faktor:kode_cadangan_download": (
        [], expect(pegawai=302, atasan=302, lain=302, pengelola=302, admin=302)
    ),
    # Asked from a session that passed with the app only (none does here).
    "dua_faktor:kode_cadangan_create": ([], expect(pegawai=403, atasan=403, lain=403,
                                                   pengelola=403, admin=403)),  # fmt: skip
    "dua_faktor:disable": ([], POST_ONLY),
    "pegawai:list": ([], expect()),
    # The unit pickers' search: the managers' forms; each finds only its own scope
    # (tests/pegawai/test_unit_cari.py).
    "pegawai:unit_cari": ([], MANAGERS),
    "pegawai:create": ([], MANAGERS),
    "pegawai:detail": (["pegawai"], expect(lain=404)),
    "pegawai:update": (["pegawai"], expect(atasan=403, lain=404)),  # their own contact
    # Disciplinary records: read by the pegawai themself and the HR of their unit (not the
    # atasan); recorded and corrected by that HR only.
    "pegawai:disiplin_list": (["pegawai"], expect(atasan=403, lain=404)),
    "pegawai:disiplin_create": (["pegawai"], expect(pegawai=403, atasan=403, lain=404)),
    "pegawai:disiplin_update": (["disiplin"], expect(pegawai=403, atasan=403, lain=404)),
    "pegawai:activate": (["pegawai"], POST_ONLY),
    "pegawai:deactivate": (["pegawai"], POST_ONLY),
    "pegawai:akun_create": (["pegawai"], POST_ONLY),
    "pegawai:akun_resend": (["pegawai"], POST_ONLY),
    # Career history: read by whoever sees the pegawai; changed by their unit's HR.
    "pegawai:riwayat": (["pegawai"], expect(lain=404)),
    "pegawai:riwayat_create": (["pegawai", "=golongan"], OWN_UNIT),
    "pegawai:riwayat_update": (["=golongan", "riwayat_golongan"], OWN_UNIT),
    "pegawai:riwayat_delete": (["=golongan", "riwayat_golongan"], POST_ONLY),
    # A decree's scan: the pegawai and their unit's HR, not their atasan.
    "pegawai:riwayat_dokumen": (["=golongan", "riwayat_golongan"], expect(atasan=403, lain=404)),
    "pegawai:mutasi": (["pegawai"], OWN_UNIT),
    "pegawai:riwayat_impor": ([], MANAGERS),
    "pegawai:pindah_keluar": ([], MANAGERS),
    "pegawai:riwayat_impor_template": (["=golongan"], MANAGERS),
    "pegawai:export_csv": ([], MANAGERS),
    "pegawai:export_xlsx": ([], MANAGERS),
    "pegawai:impor_create": ([], MANAGERS),
    "pegawai:impor_template": ([], MANAGERS),
    "pegawai:impor_detail": (["impor"], OWN_UNIT),
    "pegawai:impor_commit": (["impor"], POST_ONLY),
    "pegawai:siasn_list": ([], MANAGERS),
    "pegawai:siasn_create": ([], MANAGERS),
    "pegawai:siasn_contoh": ([], MANAGERS),
    "pegawai:siasn_detail": (["rekonsiliasi"], OWN_UNIT),
    "pegawai:siasn_export": (["rekonsiliasi"], OWN_UNIT),
    "pegawai:selisih_tindak_lanjut": (["selisih"], POST_ONLY),
    "evaluasi:index": ([], EVERYONE),
    "evaluasi:periode_create": ([], MANAGERS),
    "evaluasi:periode_detail": (["periode"], expect(pegawai=404, atasan=404, lain=404)),
    "evaluasi:periode_close": (["periode"], POST_ONLY),
    "evaluasi:periode_reopen": (["periode"], POST_ONLY),
    "evaluasi:periode_unit_update": (["periode_unit"], POST_ONLY),
    "evaluasi:penilaian_bawahan": (["periode"], expect(lain=403, pengelola=403, admin=403)),
    "evaluasi:penilaian_save": (["periode", "pegawai"], POST_ONLY),
    "evaluasi:penilaian_acknowledge": (["penilaian"], POST_ONLY),
    "evaluasi:kinerja_pegawai": (["pegawai"], expect(lain=404)),
    # Names and scores of every participant: the batch's organisers only.
    "evaluasi:angkatan_evaluasi": (["angkatan"], expect(pegawai=404, atasan=404, lain=404)),
    "evaluasi:pelatihan_evaluasi": (["pelatihan"], MANAGERS),
    # The batch is still running: its participant is sent back until it ends.
    "evaluasi:reaksi_create": (["angkatan"], expect(pegawai=302, atasan=403, lain=403,
                                                   pengelola=403, admin=403)),
    "evaluasi:berkas_request": (["=pegawai", "pegawai"], POST_ONLY),
    "evaluasi:berkas_detail": (["berkas"], expect(pegawai=404, atasan=404, lain=404)),
    "evaluasi:berkas_download": (["berkas"], expect(pegawai=404, atasan=404, lain=404,
                                                    pengelola=403, admin=403)),
    # Beside a per-unit PDF: the same readers; the same refusal until it is made.
    "evaluasi:berkas_download_xlsx": (["berkas"], expect(pegawai=404, atasan=404, lain=404,
                                                         pengelola=403, admin=403)),
    "evaluasi:iklim_index": ([], EVERYONE),
    "evaluasi:iklim_isi": (["putaran"], expect(lain=403, pengelola=403, admin=403)),
    "evaluasi:iklim_hasil": (["putaran"], expect(pegawai=403, lain=403)),
    "evaluasi:laporan_list": ([], EVERYONE),
    "evaluasi:laporan_detail": (["laporan"], expect(lain=404)),
    "evaluasi:laporan_start": (["peserta"], POST_ONLY),
    "evaluasi:laporan_decide": (["laporan"], POST_ONLY),
    "evaluasi:laporan_lampiran": (["laporan"], expect(lain=404)),
    "evaluasi:aksi_list": ([], EVERYONE),
    "evaluasi:aksi_create": ([], expect(lain=403, pengelola=403, admin=403)),
    "evaluasi:aksi_detail": (["aksi"], expect(lain=404)),
    "evaluasi:aksi_update": (["aksi"], expect(atasan=403, lain=404, pengelola=403, admin=403)),
    "evaluasi:aksi_status": (["aksi"], POST_ONLY),
    "evaluasi:aksi_publish": (["aksi"], POST_ONLY),
    "evaluasi:tonggak_create": (["aksi"], POST_ONLY),
    "evaluasi:tonggak_report": (["tonggak"], POST_ONLY),
    "evaluasi:tonggak_decide": (["tonggak"], POST_ONLY),
    "evaluasi:keberlanjutan_report": (["keberlanjutan"], POST_ONLY),
    "evaluasi:bukti_download": (["bukti"], expect(lain=404)),
    "pembinaan:program_list": ([], MANAGERS),
    "pembinaan:program_create": ([], POST_ONLY),
    "pembinaan:program_detail": (["program"], MANAGERS),
    "pembinaan:capaian_refresh": (["program"], POST_ONLY),
    "pembinaan:target_update": (["target"], POST_ONLY),
    # The province's HR read them too: test_province_hr_reads_the_monitoring_reports below.
    "pembinaan:laporan_list": (["program"], ADMINS),
    # A GET (a bookmarked or reloaded request) leads the administrator back to the list.
    "pembinaan:laporan_request": (["program"], ADMINS | {"admin": 302}),
    "pembinaan:laporan_detail": (["monitoring"], ADMINS),
    "pembinaan:laporan_download": (["monitoring"], ADMINS | {"admin": 404}),  # not made yet
    # The workbook beside the PDF: the same readers, the same 404 until it is made.
    "pembinaan:laporan_download_xlsx": (["monitoring"], ADMINS | {"admin": 404}),
    "pembinaan:kebutuhan_list": ([], MANAGERS),
    # Without a competency named there is nothing to plan: the managers get 404.
    "pembinaan:kebutuhan_rencanakan": ([], expect(pegawai=403, atasan=403, lain=404,
                                                  pengelola=404, admin=404)),
    "pembinaan:jp_kepatuhan": ([], MANAGERS),
    # IP ASN: an OPD's for HR; a pegawai's for whoever sees the pegawai (themself, their atasan,
    # the HR of their unit).
    "pembinaan:ip_asn_unit": ([], MANAGERS),
    "pembinaan:ip_asn_pegawai": (["pegawai"], expect(lain=404)),
    # A service unit's L4 impact: its unit's HR, the province's HR and administrators.
    "pembinaan:dampak_layanan": (["layanan_pk"], OWN_UNIT),
    "pembinaan:akpk_list": ([], MANAGERS),
    # Measured impact: figures over groups, for every HR officer (tests/pembinaan/test_dampak*).
    "pembinaan:dampak_list": ([], MANAGERS),
    "pembinaan:dampak_pelatihan": (["pelatihan"], MANAGERS),
    "pembinaan:akpk_rencanakan": ([], POST_ONLY),
    "pembinaan:audit_list": ([], MANAGERS),
    # Talent data: administrators, the province's HR and the talent committee only (never a
    # unit's HR, an atasan or colleagues); tests/pembinaan/test_talenta.py walks those roles.
    "pembinaan:talenta_index": ([], ADMINS),
    "pembinaan:penempatan_list": ([], ADMINS),
    "pembinaan:talenta_pool": ([], ADMINS),
    "pembinaan:penempatan_detail": (["penempatan"], ADMINS),
    "pembinaan:penempatan_calibrate": (["penempatan"], POST_ONLY),
    "pembinaan:penempatan_refresh": ([], POST_ONLY),
    "pembinaan:potensial_create": ([], ADMINS),
    "pembinaan:potensial_import": ([], ADMINS),
    "pembinaan:kritikal_list": ([], ADMINS),
    "pembinaan:kritikal_create": ([], POST_ONLY),
    "pembinaan:kritikal_detail": (["kritikal"], ADMINS),
    "pembinaan:kandidat_add": (["kritikal"], POST_ONLY),
    "pembinaan:kandidat_remove": (["kandidat"], POST_ONLY),
    "pembinaan:komite_list": ([], ADMINS),
    "pembinaan:komite_add": ([], POST_ONLY),
    "pembinaan:komite_remove": (["anggota"], POST_ONLY),
    # API client tokens: administrators issue and revoke them (tests/pembinaan/test_api_klien.py).
    "pembinaan:klien_api_list": ([], ADMINS),
    "pembinaan:klien_api_create": ([], ADMINS),
    "pembinaan:klien_api_token": ([], ADMINS),
    "pembinaan:klien_api_revoke": (["klien_api"], ADMINS),
    # The REST API answers a token, never a session: every role here, signed in or not, gets
    # 401 (tests/pembinaan/test_api*.py call it with tokens). Its schema and page are public.
    **{f"api:{name}": (args, API) for name, args in [
        ("unit_kerja_list", []), ("pegawai_list", []), ("pegawai_detail", ["=197001011990011001"]),
        ("pelatihan_list", []), ("angkatan_list", []), ("peserta_list", []),
        ("sertifikat_list", []), ("jp_list", []), ("catatan_jp_list", []), ("jp_kepatuhan", []),
        ("ikm_list", []), ("siasn_riwayat_kursus", []),
    ]},
    "api:nominasi_create": (["angkatan"], API),
    "api:kegiatan_create": ([], API),
    "api:schema": ([], PUBLIC),
    "api:docs": ([], PUBLIC),
    # For the proxy and the orchestrator: the same answer to everybody, signed in or not.
    "healthz": ([], dict.fromkeys(ROLES, 200)),
    # Decided by the address, not the login: the test client's loopback is allowed by default
    # (the refusals: tests/pembinaan/test_operasi.py).
    "metrics": ([], dict.fromkeys(ROLES, 200)),
    # One's own box, and only when the province shows it (off by default): nobody here.
    "pembinaan:talenta_saya": ([], ADMINS | {"admin": 403}),
    # The holiday calendar moves every working-day deadline: administrators keep it.
    "hari_libur:list": ([], ADMINS),
    "hari_libur:create": ([], ADMINS),
    "hari_libur:update": (["hari_libur"], ADMINS),
    "hari_libur:delete": (["hari_libur"], ADMINS),  # GET asks to confirm
}  # fmt: skip
# The pelatihan pages have their own matrix (tests/pelatihan/test_access_matrix.py).
ELSEWHERE = {"pelatihan"}


def url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue  # Django's own admin site, guarded by is_staff
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_of_the_project_is_in_a_matrix():
    names = set(url_names())
    missing = {n for n in names - set(MATRIX) if n.split(":")[0] not in ELSEWHERE}
    assert missing == set(), "add these views to an access matrix"
    assert set(MATRIX) <= names, "the matrix names views that no longer exist"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_status_it_should(client, cast, world, name):
    args, expected = MATRIX[name]
    # An argument names a row of the world, or is itself when it starts with "=".
    url = reverse(name, args=[a[1:] if a.startswith("=") else world.get(a, a) for a in args])
    assert statuses(client, cast, url) == expected


def statuses(client, cast, url) -> dict:
    """The status of a GET of this URL for each role."""
    lain = cast.bkd.pengelola.get()
    users = {"pegawai": cast.pegawai, "atasan": cast.atasan, "pengelola_lain": lain,
             "pengelola": cast.pengelola, "admin": cast.admin}  # fmt: skip
    seen = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        seen[role] = client.get(url).status_code
    return seen


# The world's evaluation file once its requester (the pengelola) no longer manages Dinas
# Kesehatan: they find it no more than anybody else (404); administrators still do.
BERKAS_UNIT_DICABUT = {
    "evaluasi:berkas_detail": expect(pegawai=404, atasan=404, lain=404, pengelola=404),
    "evaluasi:berkas_download": expect(pegawai=404, atasan=404, lain=404, pengelola=404,
                                       admin=403),  # not made yet
    "evaluasi:berkas_download_xlsx": expect(pegawai=404, atasan=404, lain=404, pengelola=404,
                                            admin=403),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BERKAS_UNIT_DICABUT))
def test_a_withdrawn_unit_closes_its_files_to_their_requester(client, cast, world, name):
    cast.dinkes.pengelola.remove(cast.pengelola)
    url = reverse(name, args=[world["berkas"]])
    assert statuses(client, cast, url) == BERKAS_UNIT_DICABUT[name]


# URLs the six roles above read differently from the province's HR (pengelola provinsi, not one of
# the six): what that login gets on each.
PROVINSI = {
    "pembinaan:laporan_list": (["program"], 200),
    "pembinaan:laporan_request": (["program"], 302),  # a GET leads back to the list
    "pembinaan:laporan_detail": (["monitoring"], 200),
    "pembinaan:laporan_download": (["monitoring"], 404),  # not made yet
    "pembinaan:laporan_download_xlsx": (["monitoring"], 404),  # not made yet
}


@pytest.mark.parametrize("name", sorted(PROVINSI))
def test_province_hr_reads_the_monitoring_reports(client, cast, world, name):
    args, expected = PROVINSI[name]
    client.force_login(factories.user("provinsi", pengelola_provinsi=True))
    assert client.get(reverse(name, args=[world[a] for a in args])).status_code == expected
