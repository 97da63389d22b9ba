"""The task inbox across the apps: its count in the top bar and its page cost the same number
of queries whatever the number of waiting items, for every role; every kind of item is
exercised by the world below (a kind it does not reach fails the suite)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluasi.models import (
    AksiPerubahan,
    LaporanKeberlanjutan,
    LaporanPascaPelatihan,
    PutaranIklim,
    TonggakAksi,
)
from masyarakat.models import Masukan, UnitLayanan
from pegawai.models import ImporPegawai
from pelatihan.models import (
    KegiatanEksternal,
    KerjaSama,
    PendaftaranBeasiswa,
    PerguruanTinggi,
    Peserta,
    ProgramBeasiswa,
    RencanaPengembangan,
)
from pembinaan import tugas
from pembinaan.models import LaporanMonitoring, ProgramPembinaan
from tests import factories
from tests.queries import cold_queries

ROLES = ["pegawai", "atasan", "pengelola", "provinsi", "admin", "mentor"]


def _grow(c, n: int, tag: str) -> None:
    """`n` more of every kind of waiting work around the cast: subordinates of its atasan in
    Dinas Kesehatan with requests, reports, activities and projects; feedback on its service
    unit; imports, monitoring reports, agreements and scholarship applications."""
    today = timezone.localdate()
    now = timezone.now()
    long_ago = now - timedelta(days=40)
    layanan = UnitLayanan.objects.get_or_create(
        kode="poli-uji", defaults={"nama": "Poli Umum", "unit": c.yankes}
    )[0]
    layanan.petugas.add(c.pegawai_pegawai)  # the officer HR assigned to answer its feedback
    loket = UnitLayanan.objects.get_or_create(  # no officer: its HR answer its feedback
        kode="loket-uji", defaults={"nama": "Loket Perizinan", "unit": c.yankes}
    )[0]
    open_batch = factories.angkatan(
        kuota=500, mulai=today + timedelta(days=30), selesai=today + timedelta(days=34)
    )
    second_batch = factories.angkatan(
        kuota=500, mulai=today + timedelta(days=60), selesai=today + timedelta(days=64)
    )
    done_batch = factories.angkatan(
        kuota=500, status="selesai", mulai=today - timedelta(days=120),
        selesai=today - timedelta(days=116),
    )  # fmt: skip
    perguruan = PerguruanTinggi.objects.get_or_create(nama="Universitas Jambi", kota="Jambi")[0]
    beasiswa = ProgramBeasiswa.objects.create(
        nama=f"S2 {tag}", perguruan_tinggi=perguruan, jenjang="S2", program_studi="Kesmas",
        jenis="tugas_belajar", kuota=5, pendaftaran_mulai=today - timedelta(days=10),
        pendaftaran_selesai=today + timedelta(days=10), lama_studi_bulan=24, usia_maks=37,
    )  # fmt: skip
    program = ProgramPembinaan.objects.get_or_create(tahun=today.year, nama="Program")[0]
    reports = LaporanMonitoring.objects.count()  # each failed report its own period
    for i in range(n):
        p = factories.pegawai(
            c.yankes, nama=f"Bawahan {tag}{i}", atasan=c.atasan_pegawai,
            user=factories.user(f"{tag}{i}"),
        )  # fmt: skip
        Peserta.objects.create(angkatan=open_batch, pegawai=p, status="diajukan")
        RencanaPengembangan.objects.create(
            pegawai=p, tahun=today.year, status="diajukan", diajukan_at=now
        )
        Peserta.objects.create(angkatan=second_batch, pegawai=p, status="disetujui_atasan")
        passed = Peserta.objects.create(
            angkatan=done_batch, pegawai=p, status="terdaftar", lulus=True, diputuskan_at=long_ago
        )
        LaporanPascaPelatihan.objects.create(
            peserta=passed, pegawai=p, status="diajukan", jatuh_tempo=today - timedelta(days=30),
            diajukan_at=now - timedelta(days=20),
        )  # fmt: skip
        # A report that p, as atasan, leaves waiting: escalated to p's atasan.
        q = factories.pegawai(c.yankes, nama=f"Staf {tag}{i}", atasan=p)
        LaporanPascaPelatihan.objects.create(
            peserta=Peserta.objects.create(angkatan=done_batch, pegawai=q, status="terdaftar",
                                           lulus=True, diputuskan_at=long_ago),
            pegawai=q, status="diajukan", jatuh_tempo=today - timedelta(days=30),
            diajukan_at=now - timedelta(days=20),
        )  # fmt: skip
        KegiatanEksternal.objects.create(
            pegawai=p, nama="Seminar", jenis=9, penyelenggara="Unja", file="k.pdf",
            tanggal_mulai=today - timedelta(days=40), tanggal_selesai=today - timedelta(days=40),
        )  # fmt: skip
        # A coaching entry of p's, for p's atasan to verify.
        KegiatanEksternal.objects.create(
            pegawai=p, nama="Coaching", jenis=14, penyelenggara="Yankes", file="c.pdf", jumlah=2,
            jp=4, tanggal_mulai=today - timedelta(9), tanggal_selesai=today - timedelta(2),
        )  # fmt: skip
        aksi = AksiPerubahan.objects.create(
            pegawai=p, judul=f"Aksi {i}", masalah="m", unit=c.yankes, layanan="l", inovasi="i",
            manfaat="m", mentor=c.atasan_pegawai, tanggal_mulai=today - timedelta(days=400),
            status="berjalan",
        )  # fmt: skip
        TonggakAksi.objects.create(
            aksi=aksi, tahap="pendek", uraian="Uji coba", jatuh_tempo=today, status="dilaporkan",
            dilaporkan_at=long_ago,
        )  # fmt: skip
        LaporanKeberlanjutan.objects.create(
            aksi=aksi, bulan=6, jatuh_tempo=today - timedelta(days=30)
        )
        Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi=f"Lama {i}")
        Masukan.objects.create(
            unit_layanan=layanan, kategori="saran", isi=f"Saran {i}", status="diteruskan",
            dimoderasi_at=long_ago,
        )  # fmt: skip
        Masukan.objects.create(unit_layanan=loket, kategori="saran", isi=f"Izin {i}",
                               status="diteruskan", dimoderasi_at=now)  # fmt: skip
        PendaftaranBeasiswa.objects.create(
            program=beasiswa, pegawai=p, status="memenuhi_syarat", predikat_tahun_lalu="baik",
            predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True, dokumen="d.pdf",
        )  # fmt: skip
        ImporPegawai.objects.create(nama_berkas=f"{tag}{i}.csv", diunggah_oleh=c.pengelola,
                                    status="siap")  # fmt: skip
        ImporPegawai.objects.create(nama_berkas=f"{tag}{i}.csv", diunggah_oleh=c.admin,
                                    status="siap")  # fmt: skip
        LaporanMonitoring.objects.create(
            program=program, periode_mulai=today - timedelta(days=400 + reports + i),
            periode_selesai=today - timedelta(days=370), status="gagal", pesan_gagal="x",
        )  # fmt: skip
        KerjaSama.objects.create(
            perguruan_tinggi=perguruan, nomor=f"MoU-{tag}-{i}", judul="Beasiswa",
            ruang_lingkup="r", tanggal_tanda_tangan=today - timedelta(days=700),
            tanggal_berakhir=today + timedelta(days=30),
        )  # fmt: skip
    # pelatihan: a batch over with every post-test in and its result not decided, the cast
    # pegawai's request refused, a colleague's application recommended by the atasan.
    scored = factories.angkatan(
        kuota=5, status="selesai", mulai=today - timedelta(days=20),
        selesai=today - timedelta(days=18),
    )  # fmt: skip
    Peserta.objects.create(
        angkatan=scored, pegawai=c.pegawai_pegawai, status="terdaftar", nilai_post=80
    )
    Peserta.objects.create(
        angkatan=open_batch, pegawai=c.pegawai_pegawai, status="ditolak", alasan="Kuota unit"
    )
    PendaftaranBeasiswa.objects.create(
        program=beasiswa, pegawai=c.rekan_pegawai, status="memenuhi_syarat",
        predikat_tahun_lalu="baik", predikat_dua_tahun_lalu="baik", tanpa_hukuman_disiplin=True,
        dokumen="d.pdf", rekomendasi=True, rekomendasi_at=now,
    )  # fmt: skip
    # The cast's pegawai: a recent batch to rate and report on, a project mentored elsewhere.
    recent_batch = factories.angkatan(
        kuota=5, status="selesai", mulai=today - timedelta(days=14),
        selesai=today - timedelta(days=10),
    )  # fmt: skip
    LaporanPascaPelatihan.objects.create(
        peserta=Peserta.objects.create(angkatan=recent_batch, pegawai=c.pegawai_pegawai,
                                       status="terdaftar", lulus=True, diputuskan_at=long_ago),
        pegawai=c.pegawai_pegawai, jatuh_tempo=today - timedelta(days=1),
    )  # fmt: skip
    own = AksiPerubahan.objects.create(
        pegawai=c.pegawai_pegawai, judul=f"Aksi {tag}", masalah="m", unit=c.yankes, layanan="l",
        inovasi="i", manfaat="m", mentor=c.mentor_pegawai, tanggal_mulai=today, status="berjalan",
    )  # fmt: skip
    TonggakAksi.objects.create(aksi=own, tahap="pendek", uraian="Uji", jatuh_tempo=today,
                               status="dikembalikan")  # fmt: skip
    LaporanKeberlanjutan.objects.create(aksi=own, bulan=6, jatuh_tempo=today)
    putaran = PutaranIklim.objects.create(
        nama=f"Iklim {tag}", tanggal_mulai=today - timedelta(days=5),
        tanggal_selesai=today + timedelta(days=20), dibuka_oleh=c.pengelola,
    )  # fmt: skip
    putaran.units.set([c.dinkes])
    factories.periode(c, nama=f"Periode {tag}", rate=("sesuai", "sesuai"))  # rekan still waits


@pytest.fixture
def users(cast_lengkap):
    c = cast_lengkap
    return {"pegawai": c.pegawai, "atasan": c.atasan, "pengelola": c.pengelola,
            "provinsi": c.provinsi, "admin": c.admin, "mentor": c.mentor}  # fmt: skip


def _measure(client, users, today):
    counts = {}
    for role, user in users.items():
        user = type(user).objects.get(pk=user.pk)  # a fresh login: its roles read anew
        with cold_queries() as count_queries:
            tugas.jumlah_tugas(user, today)
        client.force_login(user)
        with cold_queries() as page_queries:
            assert client.get(reverse("tugas")).status_code == 200
        counts[role] = (len(count_queries), len(page_queries))
    return counts


def test_the_count_and_the_inbox_cost_the_same_queries_at_two_sizes(client, cast_lengkap, users):
    today = timezone.localdate()
    _grow(cast_lengkap, 2, "a")
    small = _measure(client, users, today)
    _grow(cast_lengkap, 12, "b")
    large = _measure(client, users, today)
    assert small == large


def test_every_kind_of_item_reaches_somebody_in_the_world(cast_lengkap, users):
    """The world above reaches every kind, so the two-size comparison covers each one."""
    _grow(cast_lengkap, 2, "a")
    today = timezone.localdate()
    reached = set()
    for user in users.values():
        user = type(user).objects.get(pk=user.pk)
        reached |= {group.jenis.kode for group in tugas.daftar_tugas(user, today)}
    assert {jenis.kode for jenis in tugas.JENIS} - reached == set()


def test_the_top_bar_shows_the_count_of_what_waits(client, cast_lengkap, users):
    _grow(cast_lengkap, 3, "a")
    client.force_login(cast_lengkap.pengelola)
    page = client.get(reverse("beranda")).content.decode()
    expected = tugas.jumlah_tugas(type(cast_lengkap.pengelola).objects.get(username="pengelola"),
                                  timezone.localdate())  # fmt: skip
    assert expected >= 6  # three imports ready, three feedback to verify, at least
    assert f'aria-label="{expected} tugas menunggu"' in page


def test_follow_ups_are_listed_but_not_counted(cast_lengkap, monkeypatch):
    from pembinaan.lib.inbox import Jenis, Tugas

    rows = ImporPegawai.objects.order_by("pk")
    item = lambda row, today: Tugas(judul=row.nama_berkas, url="/")  # noqa: E731
    follow = Jenis("uji_pantau", "Pantau", "pantau", lambda u, t: rows, item)
    act = Jenis("uji_tindak", "Tindak", "pengelola", lambda u, t: rows, item)
    monkeypatch.setattr(tugas, "JENIS", [follow, act])
    ImporPegawai.objects.create(nama_berkas="a.csv", diunggah_oleh=cast_lengkap.pengelola)
    today = timezone.localdate()
    assert tugas.jumlah_tugas(cast_lengkap.pengelola, today) == 1
    groups = tugas.daftar_tugas(cast_lengkap.pengelola, today)
    assert [g.jenis.kode for g in groups] == ["uji_tindak", "uji_pantau"]  # follow-ups last


def test_overdue_kinds_come_first_and_items_are_marked(cast_lengkap, monkeypatch):
    from pembinaan.lib.inbox import Jenis, Tugas

    today = timezone.localdate()
    rows = ImporPegawai.objects.order_by("pk")
    ImporPegawai.objects.create(nama_berkas="a.csv", diunggah_oleh=cast_lengkap.pengelola)
    on_time = Jenis("tepat", "Tepat", "pengelola", lambda u, t: rows,
                    lambda r, t: Tugas(judul="a", url="/", jatuh_tempo=today))  # fmt: skip
    yesterday = today - timedelta(days=1)
    late = Jenis("lewat", "Lewat", "pengelola", lambda u, t: rows,
                 lambda r, t: Tugas(judul="b", url="/", jatuh_tempo=yesterday))  # fmt: skip
    monkeypatch.setattr(tugas, "JENIS", [on_time, late])
    groups = tugas.daftar_tugas(cast_lengkap.pengelola, today)
    assert [(g.jenis.kode, g.terlambat) for g in groups] == [("lewat", 1), ("tepat", 0)]
    assert [late for _, late in groups[0].items] == [True]


def test_an_inbox_lists_the_first_items_and_says_how_many_more(client, cast_lengkap):
    for i in range(tugas.PER_JENIS + 3):
        ImporPegawai.objects.create(nama_berkas=f"{i}.csv", diunggah_oleh=cast_lengkap.pengelola,
                                    status="siap")  # fmt: skip
    client.force_login(cast_lengkap.pengelola)
    page = client.get(reverse("tugas")).content.decode()
    assert "3 lainnya" in page
    assert page.count("Impor siap disimpan:") == tugas.PER_JENIS


def test_the_count_adds_kinds_of_different_tables_in_one_query(
    cast_lengkap, monkeypatch, django_assert_num_queries
):
    from pembinaan.lib.inbox import Jenis, Tugas

    item = lambda row, today: Tugas(judul=str(row), url="/")  # noqa: E731
    imports = ImporPegawai.objects.filter(status="siap").order_by("created_at")
    reports = LaporanMonitoring.objects.filter(status="gagal").order_by("-pk")
    monkeypatch.setattr(tugas, "JENIS", [
        Jenis("a", "A", "pengelola", lambda u, t: imports, item),
        Jenis("b", "B", "pengelola", lambda u, t: reports, item),
        Jenis("c", "C", "pengelola", lambda u, t: None, item),
    ])  # fmt: skip
    for name in ("a.csv", "b.csv"):
        ImporPegawai.objects.create(nama_berkas=name, diunggah_oleh=cast_lengkap.pengelola,
                                    status="siap")  # fmt: skip
    ImporPegawai.objects.create(nama_berkas="c.csv", diunggah_oleh=cast_lengkap.pengelola)
    program = ProgramPembinaan.objects.create(tahun=2020, nama="Program")
    today = timezone.localdate()
    LaporanMonitoring.objects.create(
        program=program, periode_mulai=today - timedelta(days=40),
        periode_selesai=today - timedelta(days=10), status="gagal", pesan_gagal="x",
    )  # fmt: skip
    with django_assert_num_queries(1):
        assert tugas.jumlah_tugas(cast_lengkap.pengelola, today) == 3
