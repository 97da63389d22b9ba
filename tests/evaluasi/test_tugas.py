"""The evaluasi kinds of the task inbox: each reaches exactly the people who must act (the direct
atasan, the mentor, the pegawai themself; not another atasan, not HR, not oneself), and is gone
once the work is done by whoever may do it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluasi import services, tugas
from evaluasi.models import (
    LaporanKeberlanjutan,
    LaporanPascaPelatihan,
    PutaranIklim,
    ReaksiPeserta,
)
from pegawai.models import User
from tests import factories

S = LaporanPascaPelatihan.Status
FILLED = {"perubahan": "Rekam medis elektronik", "contoh": "Antrean 20 menit", "dampak": "Cepat"}
ALL_FOUR = {f"p{n}": 4 for n in range(1, 13)}
KINDS = {jenis.kode: jenis for jenis in tugas.JENIS}


def items(user, kode, today=None):
    """The items of one kind for a fresh login (its roles read anew), or None when the kind is
    not for this login."""
    today = today or timezone.localdate()
    user = User.objects.get(pk=user.pk)
    rows = KINDS[kode].rows(user, today)
    if rows is None:
        return None
    return [KINDS[kode].item(row, today) for row in rows]


def who_sees(c, kode, today=None) -> set[str]:
    everyone = [c.admin, c.pengelola, c.atasan, c.pegawai, c.outsider, c.rekan, c.provinsi,
                c.pengelola_lain, c.pengelola_pegawai, c.mentor]  # fmt: skip
    return {u.username for u in everyone if items(u, kode, today)}


@pytest.fixture
def c(cast_lengkap):
    # The outsider supervises someone in their own unit: an atasan, but not of our pegawai.
    factories.pegawai(cast_lengkap.bkd, nama="Staf Luar", atasan=cast_lengkap.outsider_pegawai)
    return cast_lengkap


def submit(laporan, c):
    return services.laporan_transition(laporan=laporan, action="ajukan", by=c.pegawai, data=FILLED)


# --- Self-reports ----------------------------------------------------------------------------


def test_a_submitted_report_waits_for_the_direct_atasan_only_until_verified(c, laporan):
    submit(laporan, c)
    assert who_sees(c, "laporan_verifikasi") == {"atasan"}
    [item] = items(c.atasan, "laporan_verifikasi")
    today = timezone.localdate()
    assert item.url == reverse("evaluasi:laporan_detail", args=[laporan.pk])
    assert (item.sejak, item.jatuh_tempo) == (today, today + timedelta(days=14))
    services.laporan_transition(
        laporan=laporan, action="verifikasi", by=c.atasan, data={"nilai": 3}
    )
    assert who_sees(c, "laporan_verifikasi") == set()


def test_a_returned_report_leaves_the_atasan_and_comes_back_to_the_pegawai(c, laporan):
    submit(laporan, c)
    assert items(c.pegawai, "laporan_isi") == []
    services.laporan_transition(
        laporan=laporan, action="kembalikan", by=c.atasan, data={"komentar": "Tambahkan angka"}
    )
    assert items(c.atasan, "laporan_verifikasi") == []
    far = laporan.jatuh_tempo - timedelta(days=365)  # returned: asked for whatever the due date
    [item] = items(c.pegawai, "laporan_isi", far)
    assert "dikembalikan" in item.judul and item.keterangan == "Tambahkan angka"
    assert who_sees(c, "laporan_isi", far) == {"pegawai"}
    # Returned after its due date: 14 days from the return to revise it, not a past date.
    today = timezone.localdate()
    Laporan = type(laporan)
    Laporan.objects.filter(pk=laporan.pk).update(jatuh_tempo=today - timedelta(days=100))
    [item] = items(c.pegawai, "laporan_isi")
    assert (item.sejak, item.jatuh_tempo) == (today, today + timedelta(days=14))


def test_a_report_is_asked_of_the_pegawai_from_30_days_before_it_is_due(c, laporan):
    due = laporan.jatuh_tempo
    assert items(c.pegawai, "laporan_isi", due - timedelta(days=31)) == []
    assert [i.jatuh_tempo for i in items(c.pegawai, "laporan_isi", due - timedelta(days=30))] == [
        due
    ]
    assert who_sees(c, "laporan_isi", due + timedelta(days=5)) == {"pegawai"}
    submit(laporan, c)
    assert items(c.pegawai, "laporan_isi", due + timedelta(days=5)) == []


def test_the_atasan_follows_up_a_subordinates_overdue_report_until_it_is_submitted(c, laporan):
    due = laporan.jatuh_tempo
    assert who_sees(c, "laporan_bawahan_terlambat", due) == set()  # due today: not late yet
    late = due + timedelta(days=1)
    assert who_sees(c, "laporan_bawahan_terlambat", late) == {"atasan"}
    assert KINDS["laporan_bawahan_terlambat"].ikuti  # a follow-up, not counted
    submit(laporan, c)
    assert who_sees(c, "laporan_bawahan_terlambat", late) == set()


def test_a_report_waiting_on_the_atasan_over_14_days_reaches_their_own_atasan(c, laporan):
    c.atasan_pegawai.atasan = c.mentor_pegawai  # the mentor's login heads the atasan
    c.atasan_pegawai.save()
    submit(laporan, c)
    waited = LaporanPascaPelatihan.objects.filter(pk=laporan.pk)
    waited.update(diajukan_at=timezone.now() - timedelta(days=13, hours=23))
    assert who_sees(c, "laporan_eskalasi") == set()
    waited.update(diajukan_at=timezone.now() - timedelta(days=14, minutes=1))
    assert who_sees(c, "laporan_eskalasi") == {"mentor"}
    [item] = items(c.mentor, "laporan_eskalasi")
    assert item.url == c.atasan_pegawai.get_absolute_url()
    assert "Siti Atasan" in item.judul and KINDS["laporan_eskalasi"].ikuti
    services.laporan_transition(
        laporan=laporan, action="verifikasi", by=c.atasan, data={"nilai": 2}
    )
    assert who_sees(c, "laporan_eskalasi") == set()


# --- Ratings ---------------------------------------------------------------------------------


def test_an_open_period_asks_the_atasan_to_rate_each_subordinate_not_yet_rated(c):
    periode = factories.periode(c)  # Dinas Kesehatan; the subordinates are in a bidang below it
    assert who_sees(c, "penilaian_beri") == {"atasan"}
    [item] = items(c.atasan, "penilaian_beri")
    assert item.url == reverse("evaluasi:penilaian_bawahan", args=[periode.pk])
    assert "2 bawahan" in item.judul  # pegawai and rekan
    rate(periode, c.pegawai_pegawai, c)
    assert "1 bawahan" in items(c.atasan, "penilaian_beri")[0].judul
    rate(periode, c.rekan_pegawai, c)
    assert who_sees(c, "penilaian_beri") == set()


def rate(periode, pegawai, c):
    services.penilaian_save(periode=periode, pegawai=pegawai, penilai=c.atasan_pegawai,
                            hasil_kerja="sesuai", perilaku_kerja="sesuai")  # fmt: skip


def test_a_closed_period_or_one_of_another_unit_asks_nothing(c):
    periode = factories.periode(c)
    services.periode_close(periode=periode)
    assert who_sees(c, "penilaian_beri") == set()
    other = factories.periode(c, nama="BKD")
    other.periode_units.update(unit=c.bkd)
    assert who_sees(c, "penilaian_beri") == {"outsider"}  # the atasan in BKD


# --- Change projects ---------------------------------------------------------------------------


@pytest.fixture
def tonggak(c):
    return factories.tonggak(c)


def test_a_reported_milestone_waits_for_its_mentor_not_the_atasan(c, tonggak):
    assert who_sees(c, "tonggak_konfirmasi") == set()
    factories.tonggak_lapor(tonggak, c)
    assert who_sees(c, "tonggak_konfirmasi") == {"mentor"}
    [item] = items(c.mentor, "tonggak_konfirmasi")
    assert item.url == tonggak.aksi.get_absolute_url()
    services.tonggak_decide(tonggak=tonggak, by=c.mentor, confirm=True)
    assert who_sees(c, "tonggak_konfirmasi") == set()


def test_a_returned_milestone_goes_back_to_the_pegawai_until_reported_again(c, tonggak):
    factories.tonggak_lapor(tonggak, c)
    services.tonggak_decide(tonggak=tonggak, by=c.mentor, confirm=False, catatan="Foto buram")
    assert who_sees(c, "tonggak_konfirmasi") == set()
    assert who_sees(c, "tonggak_kembali") == {"pegawai"}
    assert items(c.pegawai, "tonggak_kembali")[0].keterangan == "Foto buram"
    factories.tonggak_lapor(tonggak, c)
    assert who_sees(c, "tonggak_kembali") == set()
    assert who_sees(c, "tonggak_konfirmasi") == {"mentor"}


def test_a_sustainability_report_is_asked_when_it_opens_and_followed_up_when_late(c, tonggak):
    six = LaporanKeberlanjutan.objects.get(aksi=tonggak.aksi, bulan=6)
    due = six.jatuh_tempo
    assert who_sees(c, "keberlanjutan_isi", due - timedelta(days=31)) == set()
    assert who_sees(c, "keberlanjutan_isi", due - timedelta(days=30)) == {"pegawai"}
    assert who_sees(c, "keberlanjutan_terlambat", due) == set()
    late = due + timedelta(days=1)
    assert who_sees(c, "keberlanjutan_terlambat", late) == {"atasan"}  # not the mentor
    services.keberlanjutan_report(laporan=six, by=c.pegawai, masih_digunakan=True,
                                  uraian="Masih dipakai", today=late)  # fmt: skip
    assert who_sees(c, "keberlanjutan_isi", late) == set()
    assert who_sees(c, "keberlanjutan_terlambat", late) == set()


def test_a_stopped_project_asks_for_nothing_more(c, tonggak):
    factories.tonggak_lapor(tonggak, c)
    services.aksi_transition(aksi=tonggak.aksi, action="hentikan", by=c.pengelola, alasan="Pindah")
    late = date(2027, 12, 31)
    for kode in ("tonggak_konfirmasi", "keberlanjutan_isi", "keberlanjutan_terlambat"):
        assert who_sees(c, kode, late) == set()


# --- Surveys ---------------------------------------------------------------------------------


@pytest.fixture
def peserta_selesai(c, finished):
    angkatan = finished.angkatan
    angkatan.status = "selesai"
    angkatan.save()
    finished.status = "terdaftar"
    finished.save()
    return finished


def test_the_reaction_survey_is_asked_of_the_participant_for_30_days_after_the_batch(
    c, peserta_selesai
):
    ends = peserta_selesai.angkatan.tanggal_selesai
    assert who_sees(c, "reaksi_isi", ends + timedelta(days=30)) == {"pegawai"}
    [item] = items(c.pegawai, "reaksi_isi", ends)
    assert item.url == reverse("evaluasi:reaksi_create", args=[peserta_selesai.angkatan_id])
    assert who_sees(c, "reaksi_isi", ends + timedelta(days=31)) == set()
    ReaksiPeserta.objects.create(peserta=peserta_selesai, materi=4, fasilitator=4, sarana=4,
                                 penyelenggaraan=4)  # fmt: skip
    assert who_sees(c, "reaksi_isi", ends) == set()


def test_an_open_climate_round_is_asked_of_its_units_pegawai_until_they_answer(c):
    putaran = PutaranIklim.objects.create(
        nama="Semester II", tanggal_mulai=date(2026, 7, 1), tanggal_selesai=date(2026, 12, 31),
        dibuka_oleh=c.pengelola,
    )  # fmt: skip
    putaran.units.set([c.yankes])  # the bidang: not the pengelola_pegawai in the dinas above it
    assert who_sees(c, "iklim_isi") == {"pegawai", "atasan", "rekan"}
    [item] = items(c.pegawai, "iklim_isi")
    assert item.url == reverse("evaluasi:iklim_isi", args=[putaran.pk])
    services.iklim_answer(putaran=putaran, pegawai=c.pegawai_pegawai, jawaban=ALL_FOUR)
    assert who_sees(c, "iklim_isi") == {"atasan", "rekan"}
    putaran.status = PutaranIklim.Status.DITUTUP
    putaran.save()
    assert who_sees(c, "iklim_isi") == set()


def test_the_inbox_page_links_the_atasan_to_the_report(c, laporan, client):
    submit(laporan, c)
    client.force_login(c.atasan)
    page = client.get(reverse("tugas")).content.decode()
    assert "Verifikasi laporan pasca pelatihan Budi Pegawai" in page
    assert reverse("evaluasi:laporan_detail", args=[laporan.pk]) in page


def test_a_rating_waits_for_its_pegawai_to_acknowledge_it_then_again_when_rated_anew(c):
    periode = factories.periode(c, rate=("di_atas", "sesuai"))
    assert who_sees(c, "penilaian_ketahui") == {"pegawai"}
    [item] = items(c.pegawai, "penilaian_ketahui")
    assert item.url == reverse("evaluasi:kinerja_pegawai", args=[c.pegawai_pegawai.pk])
    assert item.judul == "Ketahui penilaian kinerja T1: Baik"
    penilaian = c.pegawai_pegawai.penilaian_kinerja.get()
    services.penilaian_acknowledge(penilaian=penilaian)
    assert who_sees(c, "penilaian_ketahui") == set()
    rate(periode, c.pegawai_pegawai, c)
    assert who_sees(c, "penilaian_ketahui") == {"pegawai"}
