"""The audit log: every decision (results, certificates, scholarships, accounts, milestones,
periods, ratings, self-reports, feedback, pegawai data) in one list, with who and when (WIB), the
object by name and each field before and after under its Indonesian label; filtered, searched,
paged and downloaded; administrators see all of it, HR their units."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluasi import services as evaluasi_services
from masyarakat.models import Masukan, UnitLayanan
from pegawai import services as pegawai_services
from pelatihan import services as pelatihan_services
from pelatihan.models import PendaftaranBeasiswa, PerguruanTinggi, ProgramBeasiswa, Sertifikat
from tests import factories

URL = reverse("pembinaan:audit_list")
WIB = re.compile(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2} WIB")


@pytest.fixture
def periode(cast):
    return factories.periode(cast)


@pytest.fixture
def hr(cast_lengkap):
    """The unit's HR officer who is also a pegawai, so the log names her: Yani Kepegawaian."""
    return cast_lengkap.pengelola_pegawai


def entries(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["page"].entries


def changes(entry) -> set[tuple[str, str, str]]:
    return {(c.field, c.old, c.new) for c in entry.perubahan}


def rate(client, periode, pegawai, hasil):
    client.post(
        reverse("evaluasi:penilaian_save", args=[periode.pk, pegawai.pk]),
        {f"p{pegawai.pk}-hasil_kerja": hasil, f"p{pegawai.pk}-perilaku_kerja": "sesuai"},
    )


def program_beasiswa():
    today = timezone.localdate()
    unja = PerguruanTinggi.objects.create(nama="Universitas Jambi", singkatan="Unja", kota="Jambi")
    return ProgramBeasiswa.objects.create(
        nama="Magister Manajemen Keuangan Publik", perguruan_tinggi=unja, jenjang="s2",
        program_studi="Magister Ilmu Ekonomi", jenis="tugas_belajar", kuota=1, usia_maks=60,
        pendaftaran_mulai=today - timedelta(days=5), pendaftaran_selesai=today + timedelta(days=5),
        lama_studi_bulan=24,
    )  # fmt: skip


def pendaftaran(cast, program) -> PendaftaranBeasiswa:
    return pelatihan_services.beasiswa_apply(
        pendaftaran=PendaftaranBeasiswa(
            program=program, pegawai=cast.pegawai_pegawai, predikat_tahun_lalu="baik",
            predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True, dokumen="beasiswa/x.pdf",
        ),
        on=timezone.localdate(),
    )  # fmt: skip


# --- One row for each kind of decision ----------------------------------------------------------


def test_a_training_result_names_the_hr_officer_the_participant_and_the_training(
    login, cast, hr, finished
):
    login(hr).post(
        reverse("pelatihan:peserta_decide", args=[finished.pk]),
        {"nilai_pre": "60", "nilai_post": "85", "keputusan": "lulus"},
    )
    latest = entries(login(cast.admin), jenis="peserta")[0]
    assert (latest.oleh, latest.jenis, latest.tindakan) == (
        "Yani Kepegawaian",
        "Peserta dan hasil pelatihan",
        "diubah",
    )
    assert latest.objek == f"Budi Pegawai – {finished.angkatan.pelatihan.nama} – Angkatan I"
    assert ("lulus", "–", "ya") in changes(latest)
    [decided] = [c for c in latest.perubahan if c.field == "diputuskan pada"]
    assert decided.old == "–" and WIB.fullmatch(decided.new)


def test_a_revoked_certificate_shows_its_reason_and_number(login, cast, hr, finished):
    pelatihan_services.peserta_decide(peserta=finished, lulus=True)
    sertifikat = Sertifikat.objects.get(peserta=finished)
    login(hr).post(
        reverse("pelatihan:sertifikat_revoke", args=[finished.pk]), {"alasan": "Salah nama"}
    )
    latest = entries(login(cast.admin), jenis="sertifikat")[0]
    assert (latest.oleh, latest.jenis, latest.alasan) == (
        "Yani Kepegawaian",
        "Sertifikat",
        "Salah nama",
    )
    assert latest.objek.startswith(f"{sertifikat.nomor} – Budi Pegawai")
    assert "dicabut pada" in {c.field for c in latest.perubahan}


def test_a_scholarship_decision_shows_the_status_by_its_label_and_the_reason(login, cast, hr):
    program = program_beasiswa()
    daftar = pendaftaran(cast, program)
    pelatihan_services.pendaftaran_rekomendasi(pendaftaran=daftar, by=cast.atasan, rekomendasi=True)
    login(hr).post(
        reverse("pelatihan:beasiswa_decide", args=[daftar.pk]),
        {"keputusan": "tolak", "catatan": "Kuota untuk unit lain"},
    )
    latest = entries(login(cast.admin), jenis="beasiswa")[0]
    assert latest.oleh == "Yani Kepegawaian"
    assert latest.objek == "Budi Pegawai – Magister Manajemen Keuangan Publik"
    assert ("status", "Memenuhi syarat, menunggu keputusan", "Tidak diterima") in changes(latest)
    assert latest.alasan == "Kuota untuk unit lain"


def test_an_account_created_and_closed_is_logged_with_who_and_why(login, cast, hr):
    baru = factories.pegawai(cast.yankes, nama="Rahmat Baru", email="rahmat@jambiprov.go.id")
    client = login(hr)
    client.post(reverse("pegawai:akun_create", args=[baru.pk]))
    client.post(
        reverse("pegawai:deactivate", args=[baru.pk]),
        {"alasan": "pensiun", "tanggal": "2026-11-30"},
    )
    closed, created = entries(login(cast.admin), jenis="akun")[:2]
    assert (created.tindakan, created.oleh, created.objek) == (
        "dibuat", "Yani Kepegawaian", f"Rahmat Baru ({baru.nip})",
    )  # fmt: skip
    assert (closed.tindakan, closed.oleh, closed.alasan) == (
        "diubah", "Yani Kepegawaian", "Dinonaktifkan: Pensiun",
    )  # fmt: skip
    assert ("aktif", "ya", "tidak") in changes(closed)


def test_a_sign_in_leaves_no_row_about_the_account(login, cast, sign_in):
    before = len(entries(login(cast.admin), jenis="akun"))
    assert sign_in("pegawai", "rahasia-123")
    assert len(entries(login(cast.admin), jenis="akun")) == before


def test_a_milestone_confirmed_names_the_mentor(login, cast_lengkap):
    c = cast_lengkap
    tonggak = factories.tonggak(c)
    factories.tonggak_lapor(tonggak, c)
    login(c.mentor).post(
        reverse("evaluasi:tonggak_decide", args=[tonggak.pk]), {"keputusan": "konfirmasi"}
    )
    latest = entries(login(c.admin), jenis="tonggak")[0]
    assert latest.oleh == "Hadi Mentor"
    assert latest.objek == "Uji coba loket – Antrean daring (Budi Pegawai)"
    assert ("status", "Menunggu konfirmasi mentor", "Dikonfirmasi mentor") in changes(latest)
    assert ("dikonfirmasi oleh", "–", "Hadi Mentor") in changes(latest)


def test_a_period_opened_and_closed_is_logged(login, cast, hr):
    client = login(hr)
    client.post(
        reverse("evaluasi:periode_create"),
        {"nama": "Tahunan 2026", "jenis": "tahunan", "tanggal_mulai": "2026-01-01",
         "tanggal_selesai": "2026-12-31", "units": [cast.dinkes.pk]},
    )  # fmt: skip
    [opened] = entries(login(cast.admin), jenis="periode")
    client = login(hr)
    client.post(reverse("evaluasi:periode_close", args=[_periode_pk()]))
    closed, opened = entries(login(cast.admin), jenis="periode")
    assert (opened.tindakan, opened.oleh, opened.objek) == (
        "dibuat",
        "Yani Kepegawaian",
        "Tahunan 2026",
    )
    assert (closed.oleh, changes(closed)) == ("Yani Kepegawaian", {("status", "Dibuka", "Ditutup")})


def _periode_pk():
    from evaluasi.models import PeriodePenilaian

    return PeriodePenilaian.objects.get().pk


def test_a_rating_changed_shows_who_and_before_and_after_by_label(login, cast, periode):
    client = login(cast.atasan)
    rate(client, periode, cast.pegawai_pegawai, "sesuai")
    rate(client, periode, cast.pegawai_pegawai, "di_atas")
    latest, first = entries(login(cast.admin), jenis="penilaian")[:2]
    assert (latest.oleh, latest.tindakan, first.tindakan) == ("Siti Atasan", "diubah", "dibuat")
    assert latest.objek == "Budi Pegawai – T1"
    assert changes(latest) == {("hasil kerja", "Sesuai ekspektasi", "Di atas ekspektasi")}
    # The first rating shows what was given, not just "dibuat".
    assert ("predikat", "–", "Baik") in changes(first)


def test_a_self_report_returned_by_the_atasan_is_logged(login, cast, laporan):
    evaluasi_services.laporan_transition(
        laporan=laporan, action="ajukan", by=cast.pegawai,
        data={"perubahan": "a", "contoh": "b", "dampak": "c"},
    )  # fmt: skip
    login(cast.atasan).post(
        reverse("evaluasi:laporan_decide", args=[laporan.pk]),
        {"keputusan": "kembalikan", "komentar": "Tambahkan data waktu tunggu."},
    )
    latest = entries(login(cast.admin), jenis="laporan")[0]
    assert latest.oleh == "Siti Atasan"
    assert ("status", "Diajukan ke atasan", "Dikembalikan untuk diperbaiki") in changes(latest)
    assert latest.alasan == "Tambahkan data waktu tunggu."


def test_feedback_moderation_is_logged_without_the_citizens_identity(login, cast):
    layanan = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.yankes)
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Iklan obat.", nama="Warga", anonim=True
    )
    masukan.nama = ""  # a change to the identity is never shown, even to administrators
    masukan.save()
    login(cast.pengelola).post(
        reverse("masyarakat:masukan_detail", args=[masukan.pk]),
        {"tindakan": "spam", "teks": "Iklan."},
    )
    rows = entries(login(cast.admin), jenis="masukan")
    assert rows[0].oleh == "pengelola" and rows[0].alasan == "Iklan."
    assert ("status", "Diterima, menunggu verifikasi", "Spam") in changes(rows[0])
    assert not any(c.field.startswith("nama") for row in rows for c in row.perubahan)


def test_pegawai_data_shows_golongan_and_atasan_by_name(login, cast, hr):
    from pegawai.models import Golongan

    pegawai = cast.pegawai_pegawai
    old_golongan, pegawai.golongan = pegawai.golongan, Golongan.objects.get(kode=33)
    pegawai.atasan = None
    pegawai_services.pegawai_save(pegawai=pegawai, user=hr, reason="SK kenaikan pangkat")
    latest = entries(login(cast.admin), jenis="pegawai")[0]
    assert (latest.oleh, latest.alasan) == ("Yani Kepegawaian", "SK kenaikan pangkat")
    assert changes(latest) == {
        ("golongan", str(old_golongan), str(pegawai.golongan)),
        ("atasan langsung", "Siti Atasan", "–"),
    }


def test_the_page_shows_wib_times_to_the_minute(login, cast, periode):
    rate(login(cast.atasan), periode, cast.pegawai_pegawai, "sesuai")
    page = login(cast.admin).get(URL, {"jenis": "penilaian"}).content.decode()
    moment = timezone.localtime(entries(login(cast.admin), jenis="penilaian")[0].waktu)
    assert f"{moment:%H.%M} WIB" in page
    assert re.search(r"\d{2}\.\d{2}\.\d{6}|\d{2}:\d{2}:\d{2}\.\d+", page) is None


# --- Filters, search, pages, downloads ----------------------------------------------------------


@pytest.fixture
def mixed(cast, hr, periode):
    """A rating by the atasan (Dinkes), a pegawai change by HR (Dinkes) and one in BKD by the
    administrator."""
    evaluasi_services.penilaian_save(
        periode=periode, pegawai=cast.pegawai_pegawai, penilai=cast.atasan_pegawai,
        hasil_kerja="sesuai", perilaku_kerja="sesuai",
    )  # fmt: skip
    cast.pegawai_pegawai.telepon = "081200000001"
    pegawai_services.pegawai_save(pegawai=cast.pegawai_pegawai, user=hr, reason="Nomor baru")
    cast.outsider_pegawai.telepon = "081200000002"
    pegawai_services.pegawai_save(pegawai=cast.outsider_pegawai, user=cast.admin, reason="Pindah")


def test_it_filters_by_kind_author_unit_and_search(login, cast, mixed):
    client = login(cast.admin)
    assert {e.jenis for e in entries(client, jenis="penilaian")} == {"Penilaian kinerja"}
    assert [e.alasan for e in entries(client, oleh="yani")] == ["Nomor baru"]
    bkd = entries(client, unit=cast.bkd.pk, jenis="pegawai")
    assert bkd[0].objek.startswith("Rina Luar")  # the latest change in BKD
    assert not any(e.objek.startswith(("Budi", "Siti")) for e in bkd)  # Dinkes people
    assert [e.alasan for e in entries(client, q="pindah")] == ["Pindah"]
    assert {e.objek.split(" (")[0] for e in entries(client, q="Rina", jenis="pegawai")} == {
        "Rina Luar"
    }
    assert all(e.oleh == "sistem" for e in entries(client, oleh="sistem"))


def test_it_filters_by_day_in_wib(login, cast, mixed):
    client = login(cast.admin)
    today = timezone.localdate()
    assert len(entries(client, dari=today.isoformat(), sampai=today.isoformat())) > 0
    assert entries(client, dari=(today + timedelta(days=1)).isoformat()) == []
    assert entries(client, sampai=(today - timedelta(days=1)).isoformat()) == []


def test_a_reversed_date_range_is_explained_not_an_error(login, cast, mixed):
    today = timezone.localdate()
    response = login(cast.admin).get(
        URL, {"dari": today.isoformat(), "sampai": (today - timedelta(days=2)).isoformat()}
    )
    assert response.status_code == 200
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()


def test_pages_follow_each_other_without_gaps_or_repeats(login, cast, periode, monkeypatch):
    from pembinaan import audit

    monkeypatch.setattr(audit, "PER_HALAMAN", 4)
    staff = [factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai) for _ in range(5)]
    for pegawai in staff:
        evaluasi_services.penilaian_save(
            periode=periode, pegawai=pegawai, penilai=cast.atasan_pegawai,
            hasil_kerja="sesuai", perilaku_kerja="sesuai",
        )  # fmt: skip
    client = login(cast.admin)
    everything = audit.audit_page(cast.admin, audit.Filter(), size=1000).entries
    seen, after = [], None
    while True:
        response = client.get(URL, {"setelah": after} if after else {})
        page = response.context["page"]
        seen += [(e.waktu, e.objek) for e in page.entries]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == [(e.waktu, e.objek) for e in everything] and len(seen) > 8


@pytest.mark.parametrize("cursor", ["rusak", "WyJ4IiwieSIsMV0", "WzEsMiwzXQ"])
def test_a_tampered_page_cursor_shows_the_first_page(login, cast, mixed, cursor):
    client = login(cast.admin)
    assert entries(client, setelah=cursor) == entries(client)


def test_the_csv_download_has_the_filtered_rows_with_names(login, cast, mixed):
    response = login(cast.admin).get(URL, {"format": "csv", "jenis": "pegawai", "oleh": "yani"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Waktu (WIB)", "Oleh", "Jenis", "Objek", "Tindakan", "Alasan", "Perubahan"]
    assert len(rows) == 2
    waktu, oleh, jenis, objek, tindakan, alasan, perubahan = rows[1]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", waktu)
    assert (oleh, jenis, tindakan, alasan) == (
        "Yani Kepegawaian",
        "Data pegawai",
        "diubah",
        "Nomor baru",
    )
    assert objek.startswith("Budi Pegawai (")
    assert perubahan == "telepon: – → 081200000001"


def test_the_xlsx_download_has_the_same_rows(login, cast, mixed):
    response = login(cast.admin).get(URL, {"format": "xlsx", "q": "pindah"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Waktu (WIB)", "Oleh", "Jenis", "Objek"]
    assert [(r[1], r[5]) for r in values[1:]] == [("admin", "Pindah")]


def test_it_costs_the_same_queries_at_3_and_30_changes_of_several_kinds(
    login, cast, periode, django_assert_max_num_queries
):
    client = login(cast.admin)
    staff = [factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai) for _ in range(30)]

    def decide(pegawai):
        evaluasi_services.penilaian_save(
            periode=periode, pegawai=pegawai, penilai=cast.atasan_pegawai,
            hasil_kerja="sesuai", perilaku_kerja="sesuai",
        )  # fmt: skip
        pegawai.telepon = "0812"
        pegawai_services.pegawai_save(pegawai=pegawai, user=cast.atasan, reason="x")

    for pegawai in staff[:3]:
        decide(pegawai)
    with django_assert_max_num_queries(40) as few:
        assert client.get(URL).status_code == 200
    for pegawai in staff[3:]:
        decide(pegawai)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL).context["page"].entries) == 50


# --- Who reads it --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pegawai", "atasan", "rekan", "mentor"])
def test_pegawai_and_atasan_may_not_read_it(login, cast_lengkap, role):
    assert login(getattr(cast_lengkap, role)).get(URL).status_code == 403
    assert login(getattr(cast_lengkap, role)).get(URL, {"format": "csv"}).status_code == 403


def test_unit_hr_read_only_their_units(login, cast_lengkap, mixed):
    c = cast_lengkap
    objects = {e.objek.split(" (")[0] for e in entries(login(c.pengelola_lain), jenis="pegawai")}
    assert "Rina Luar" in objects and "Budi Pegawai" not in objects
    mine = {e.objek.split(" (")[0] for e in entries(login(c.pengelola), jenis="pegawai")}
    assert "Budi Pegawai" in mine and "Rina Luar" not in mine
    # Choosing another unit in the filter does not widen the scope.
    other = entries(login(c.pengelola), unit=c.bkd.pk, jenis="pegawai")
    assert not any(e.objek.startswith("Rina Luar") for e in other)


def test_province_hr_read_the_provinces_scholarships_and_accounts_but_not_other_units_data(
    login, cast_lengkap, mixed
):
    c = cast_lengkap
    pendaftaran(c, program_beasiswa())
    rows = entries(login(c.provinsi))
    assert {e.jenis for e in rows} == {
        "Pendaftaran dan keputusan beasiswa", "Periode penilaian", "Akun pengguna",
    }  # fmt: skip


def test_a_pengelola_given_and_withdrawn_is_logged_with_the_unit_and_who(login, cast_lengkap):
    c = cast_lengkap
    login(c.provinsi).post(reverse("akun:pengelola_list"), {"unit": c.bkd.pk, "akun": "outsider"})
    login(c.provinsi).post(
        reverse("akun:pengelola_withdraw"), {"unit": c.bkd.pk, "akun": c.outsider.pk}
    )
    withdrawn, given = entries(login(c.admin), jenis="akun")[:2]
    assert given.tindakan == withdrawn.tindakan == "diubah"
    assert given.objek.startswith(c.outsider.username) or c.outsider.username in given.objek
    assert given.alasan == f"Diberi hak pengelola kepegawaian {c.bkd.label_jalur}"
    assert withdrawn.alasan == f"Dicabut hak pengelola kepegawaian {c.bkd.label_jalur}"
    assert given.oleh == withdrawn.oleh != "sistem"


def test_province_hr_read_account_decisions_province_wide(login, cast_lengkap):
    c = cast_lengkap
    login(c.provinsi).post(reverse("akun:pengelola_list"), {"unit": c.bkd.pk, "akun": "outsider"})
    rows = entries(login(c.provinsi), jenis="akun")
    assert any(e.alasan.startswith("Diberi hak pengelola") for e in rows)


def test_the_organising_units_hr_read_results_of_participants_from_other_units(
    login, cast_lengkap, finished
):
    c = cast_lengkap
    pelatihan = finished.angkatan.pelatihan
    pelatihan.unit_penyelenggara = c.bkd
    pelatihan.save()
    pelatihan_services.peserta_decide(peserta=finished, lulus=True)
    client = login(c.pengelola_lain)
    assert any(e.objek.startswith("Budi Pegawai") for e in entries(client, jenis="peserta"))
    assert any("Budi Pegawai" in e.objek for e in entries(client, jenis="sertifikat"))
    # The participant's own unit still reads them; a unit neither hers nor organising does not.
    assert entries(login(c.pengelola), jenis="peserta")
    pelatihan.unit_penyelenggara = None
    pelatihan.save()
    assert not entries(login(c.pengelola_lain), jenis="peserta")


def test_search_finds_an_account_closing_by_its_reason_and_the_export_shows_it(login, cast):
    pegawai_services.akun_deactivate(akun=cast.pegawai, user=cast.admin, alasan="Tugas belajar")
    client = login(cast.admin)
    [closed] = entries(client, q="tugas belajar")
    assert (closed.jenis, closed.alasan) == ("Akun pengguna", "Tugas belajar")
    response = client.get(URL, {"format": "csv", "q": "tugas belajar"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][5] == "Tugas belajar"


def test_search_finds_a_full_name_split_in_two_fields_and_a_nip_typed_as_shown(login, cast, hr):
    baru = factories.pegawai(cast.yankes, nama="Rahmat Baru", email="rahmat@jambiprov.go.id")
    login(hr).post(reverse("pegawai:akun_create", args=[baru.pk]))
    client = login(cast.admin)
    assert [e.objek for e in entries(client, jenis="akun", q="Rahmat Baru")] == [
        f"Rahmat Baru ({baru.nip})"
    ]
    assert entries(client, jenis="akun", oleh="Yani Kepegawaian")
    assert entries(client, jenis="pegawai", q=baru.nip_tampil)


def test_the_kind_filter_offers_only_the_kinds_the_user_may_read(login, cast_lengkap):
    url = reverse("pembinaan:audit_list")
    fields = [
        login(u).get(url).context["form"].fields
        for u in (cast_lengkap.pengelola, cast_lengkap.provinsi)
    ]
    unit_hr, province = (dict(f["jenis"].choices) for f in fields)
    assert "talenta" not in unit_hr and "talenta" in province
    assert "disiplin" in unit_hr


def test_a_service_volume_change_is_logged_for_the_units_hr(login, cast):
    layanan = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.yankes)
    url = reverse("masyarakat:layanan_volume", args=[layanan.pk]) + "?tahun=2025"
    client = login(cast.pengelola)
    for jumlah in ("1200", "1500"):
        empty = {f"triwulan_{ke}": "" for ke in range(1, 5)}
        assert client.post(url, empty | {"triwulan_1": jumlah}).status_code == 302
    [changed, created] = entries(client, jenis="volume_layanan")
    assert changed.oleh == "pengelola"
    assert changes(changed) == {("jumlah layanan", "1200", "1500")}
    assert "Loket – Triwulan I 2025" in str(changed.objek)
    assert entries(login(cast.admin), jenis="volume_layanan")
    other = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(other)
    assert entries(login(other), jenis="volume_layanan") == []
