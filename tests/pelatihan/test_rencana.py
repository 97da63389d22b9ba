"""Individual development plans: the proposal (only where a gap exists; a low predicate makes
priorities and adds coaching), the approval states, and lines closed by completion."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluasi import services as evaluasi_services
from evaluasi.models import PeriodePenilaian
from pegawai.models import Notifikasi
from pelatihan import services
from pelatihan.models import (
    BarisRencana,
    KegiatanEksternal,
    Kompetensi,
    PelatihanKompetensi,
    PenilaianKompetensi,
    RencanaPengembangan,
    StandarKompetensi,
)
from tests import factories

TAHUN = 2027


def kompetensi(kode):
    return Kompetensi.objects.get(kode=kode)


def standard(pegawai, kode, level, assessed=None):
    StandarKompetensi.objects.get_or_create(
        jabatan=pegawai.jabatan, kompetensi=kompetensi(kode), defaults={"level": level}
    )
    if assessed is not None:
        PenilaianKompetensi.objects.create(
            pegawai=pegawai, kompetensi=kompetensi(kode), level=assessed,
            tanggal=date(2026, 1, 5), sumber="uji_kompetensi",
        )  # fmt: skip


@pytest.fixture
def gaps(cast):
    """M.04 below standard (2 of 3), M.01 met (3 of 3), M.02 never assessed; a catalog training
    brings M.04 to level 3."""
    p = cast.pegawai_pegawai
    standard(p, "M.04", 3, assessed=2)
    standard(p, "M.01", 3, assessed=3)
    standard(p, "M.02", 3)
    training = factories.pelatihan(nama="Orientasi Hasil", jp=32)
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.04"), level=3)
    return training


def rate_last_year(cast, hasil, perilaku):
    periode = evaluasi_services.periode_open(
        periode=PeriodePenilaian(
            nama="Tahunan 2026", jenis="tahunan", tanggal_mulai=date(2026, 1, 1),
            tanggal_selesai=date(2026, 12, 31),
        ),
        units=[cast.dinkes], by=cast.pengelola,
    )  # fmt: skip
    evaluasi_services.penilaian_save(
        periode=periode, pegawai=cast.pegawai_pegawai, penilai=cast.atasan_pegawai,
        hasil_kerja=hasil, perilaku_kerja=perilaku,
    )  # fmt: skip


def test_the_proposal_has_a_line_only_for_the_competency_below_standard(cast, gaps):
    lines = services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert [(b.kompetensi.kode, b.level_target, b.bentuk, b.pelatihan, b.jp) for b in lines] == [
        ("M.04", 3, 3, gaps, 32)
    ]
    assert not lines[0].prioritas


def test_one_training_closing_two_gaps_is_proposed_once(cast, gaps):
    # Orientasi Hasil also brings M.05 (1 of 3) to 3: one line, its 32 JP counted once.
    standard(cast.pegawai_pegawai, "M.05", 3, assessed=1)
    PelatihanKompetensi.objects.create(pelatihan=gaps, kompetensi=kompetensi("M.05"), level=3)
    lines = services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert [(b.pelatihan, b.jp) for b in lines] == [(gaps, 32)]
    assert "Juga M." in lines[0].catatan


def test_without_a_gap_nothing_is_proposed_but_the_pegawai_may_add_lines(cast):
    standard(cast.pegawai_pegawai, "M.01", 3, assessed=4)
    assert services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN) == []
    rencana = services.rencana_create(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert rencana.baris.count() == 0
    services.baris_rencana_add(
        pegawai=cast.pegawai_pegawai, tahun=TAHUN, kompetensi=kompetensi("M.03"),
        level_target=4, bentuk=22, jp=6,
    )  # fmt: skip
    assert list(rencana.baris.values_list("kompetensi__kode", "bentuk")) == [("M.03", 22)]


def test_a_gap_without_a_catalog_training_is_proposed_as_workplace_guidance(cast):
    standard(cast.pegawai_pegawai, "M.05", 4, assessed=2)
    (line,) = services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert (line.bentuk, line.pelatihan, line.jp, line.level_target) == (24, None, 10, 4)


def test_a_predicate_below_baik_makes_lines_priorities_and_adds_coaching(cast, gaps):
    rate_last_year(cast, "di_bawah", "sesuai")  # Butuh Perbaikan
    lines = services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert [(b.kompetensi.kode, b.bentuk, b.prioritas) for b in lines] == [
        ("M.04", 3, True),
        ("M.04", 14, True),
    ]
    assert "predikat kinerja 2026 Butuh Perbaikan" in lines[1].catatan


def test_a_good_predicate_adds_nothing(cast, gaps):
    rate_last_year(cast, "sesuai", "sesuai")  # Baik
    lines = services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert [(b.bentuk, b.prioritas) for b in lines] == [(3, False)]


def test_a_low_predicate_without_a_gap_proposes_nothing(cast):
    standard(cast.pegawai_pegawai, "M.01", 3, assessed=3)
    rate_last_year(cast, "di_bawah", "di_bawah")
    assert services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN) == []


def test_a_training_already_passed_is_not_proposed_again(cast, finished):
    standard(cast.pegawai_pegawai, "M.04", 4, assessed=2)
    training = finished.angkatan.pelatihan
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.04"), level=3)
    (before,) = services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert before.pelatihan == training
    services.peserta_decide(peserta=finished, lulus=True)  # M.04 level 3, still short of 4
    (line,) = services.rencana_usulan(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert (line.pelatihan, line.bentuk, line.catatan) == (
        None, 24, "Usulan SIBINA: level 3, standar jabatan 4.",
    )  # fmt: skip


def test_the_plan_is_made_once_per_year_with_the_proposal(cast, gaps):
    rencana = services.rencana_create(pegawai=cast.pegawai_pegawai, tahun=TAHUN)
    assert rencana.status == "draf"
    assert rencana.baris.get().pelatihan == gaps
    with pytest.raises(ValidationError, match="sudah ada"):
        services.rencana_create(pegawai=cast.pegawai_pegawai, tahun=TAHUN)


def test_baris_rencana_add_makes_the_plan_in_draft_when_missing(cast, gaps):
    line = services.baris_rencana_add(
        pegawai=cast.pegawai_pegawai, tahun=TAHUN, kompetensi=kompetensi("M.04"),
        level_target=3, bentuk=3, jp=32, biaya=2_500_000, pelatihan=gaps, catatan=" suksesi ",
    )  # fmt: skip
    assert (line.rencana.status, line.rencana.tahun, line.biaya, line.catatan) == (
        "draf", TAHUN, 2_500_000, "suksesi",
    )  # fmt: skip


def test_a_line_names_only_a_classical_training_of_its_competency(cast, gaps):
    with pytest.raises(ValidationError, match="klasikal"):
        services.baris_rencana_add(
            pegawai=cast.pegawai_pegawai, tahun=TAHUN, kompetensi=kompetensi("M.04"),
            level_target=3, bentuk=14, jp=8, pelatihan=gaps,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="tidak menyasar"):
        services.baris_rencana_add(
            pegawai=cast.pegawai_pegawai, tahun=TAHUN, kompetensi=kompetensi("M.01"),
            level_target=3, bentuk=3, jp=8, pelatihan=gaps,
        )  # fmt: skip
    assert not BarisRencana.objects.exists()


# --- The approval states ---------------------------------------------------------------------


@pytest.fixture
def draft(cast, gaps):
    return services.rencana_create(pegawai=cast.pegawai_pegawai, tahun=TAHUN)


def decide(rencana, cast, setuju=True, **extra):
    values = {
        "tanggal_pertemuan": date(2026, 11, 20), "catatan": "", "today": date(2026, 12, 1),
    } | extra  # fmt: skip
    return services.rencana_decide(rencana=rencana, by=cast.atasan, setuju=setuju, **values)


def test_submitting_tells_the_atasan(cast, draft):
    services.rencana_submit(rencana=draft, by=cast.pegawai)
    draft.refresh_from_db()
    assert draft.status == "diajukan" and draft.diajukan_at is not None
    note = Notifikasi.objects.get(penerima=cast.atasan)
    assert note.url == draft.get_absolute_url()
    assert "Budi Pegawai" in note.judul


def test_an_empty_plan_or_one_without_an_atasan_is_not_submitted(cast, draft):
    draft.baris.all().delete()
    with pytest.raises(ValidationError, match="paling sedikit satu baris"):
        services.rencana_submit(rencana=draft, by=cast.pegawai)
    lone = services.rencana_create(pegawai=cast.atasan_pegawai, tahun=TAHUN)  # no atasan
    services.baris_rencana_add(
        pegawai=cast.atasan_pegawai, tahun=TAHUN, kompetensi=kompetensi("M.03"),
        level_target=3, bentuk=22, jp=4,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Atasan langsung Anda belum tercatat"):
        services.rencana_submit(rencana=lone, by=cast.atasan)
    assert set(RencanaPengembangan.objects.values_list("status", flat=True)) == {"draf"}


def test_agreeing_records_the_one_on_one_locks_the_plan_and_tells_the_pegawai(cast, draft):
    services.rencana_submit(rencana=draft, by=cast.pegawai)
    decide(draft, cast, catatan="Fokus pada target triwulan.")
    draft.refresh_from_db()
    assert (draft.status, draft.tanggal_pertemuan, draft.disetujui_oleh) == (
        "disetujui", date(2026, 11, 20), cast.atasan,
    )  # fmt: skip
    assert draft.is_locked
    note = Notifikasi.objects.get(penerima=cast.pegawai)
    assert note.judul == f"Rencana pengembangan {TAHUN} disetujui atasan"
    line = draft.baris.get()
    line.jp = 40
    with pytest.raises(ValidationError, match="terkunci"):
        services.baris_rencana_save(baris=line)
    with pytest.raises(ValidationError, match="terkunci"):
        services.baris_rencana_remove(baris=line)


def test_returning_needs_a_note_and_lets_the_pegawai_submit_again(cast, draft):
    services.rencana_submit(rencana=draft, by=cast.pegawai)
    with pytest.raises(ValidationError, match="Tuliskan catatan"):
        decide(draft, cast, setuju=False)
    decide(draft, cast, setuju=False, catatan="Tambahkan coaching.")
    draft.refresh_from_db()
    assert (draft.status, draft.catatan_atasan) == ("dikembalikan", "Tambahkan coaching.")
    assert "Tambahkan coaching." in Notifikasi.objects.get(penerima=cast.pegawai).pesan
    services.rencana_submit(rencana=draft, by=cast.pegawai)
    draft.refresh_from_db()
    assert draft.status == "diajukan"


@pytest.mark.parametrize(
    ("tanggal", "message"),
    [
        (None, "Isi tanggal pertemuan"),
        (date(2026, 12, 2), "tidak boleh setelah hari ini"),
        (date(2025, 12, 31), "paling awal 1 Januari 2026"),
    ],
)
def test_the_one_on_one_date_is_required_and_not_in_the_future(cast, draft, tanggal, message):
    services.rencana_submit(rencana=draft, by=cast.pegawai)
    with pytest.raises(ValidationError, match=message):
        decide(draft, cast, tanggal_pertemuan=tanggal)
    draft.refresh_from_db()
    assert draft.status == "diajukan" and draft.tanggal_pertemuan is None


def test_only_a_submitted_plan_is_decided_and_never_by_its_pegawai(cast, draft):
    with pytest.raises(ValidationError, match="hanya rencana yang diajukan"):
        decide(draft, cast)
    services.rencana_submit(rencana=draft, by=cast.pegawai)
    with pytest.raises(ValidationError, match="Anda sendiri"):
        services.rencana_decide(
            rencana=draft, by=cast.pegawai, setuju=True, tanggal_pertemuan=date(2026, 11, 20),
            catatan="", today=date(2026, 12, 1),
        )  # fmt: skip
    assert RencanaPengembangan.objects.get().status == "diajukan"


def test_an_agreed_plan_needs_its_meeting_date_in_the_database(cast, draft):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RencanaPengembangan.objects.filter(pk=draft.pk).update(
            status="disetujui", disetujui_at=timezone.now()
        )


# --- Lines closed by completion ------------------------------------------------------------


def agreed_plan(cast, tahun, **line):
    rencana, _ = RencanaPengembangan.objects.get_or_create(
        pegawai=cast.pegawai_pegawai, tahun=tahun
    )
    services.baris_rencana_add(pegawai=cast.pegawai_pegawai, tahun=tahun, **line)
    RencanaPengembangan.objects.filter(pk=rencana.pk).update(
        status="disetujui", tanggal_pertemuan=date(tahun, 1, 10), disetujui_at=timezone.now()
    )
    return rencana


def test_a_pass_in_a_batch_of_the_lines_training_closes_it(cast, finished):
    training = finished.angkatan.pelatihan
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.04"), level=3)
    rencana = agreed_plan(
        cast, finished.angkatan.tanggal_selesai.year, kompetensi=kompetensi("M.04"),
        level_target=3, bentuk=3, jp=training.jp, pelatihan=training,
    )  # fmt: skip
    services.baris_rencana_add(
        pegawai=cast.pegawai_pegawai, tahun=rencana.tahun, kompetensi=kompetensi("M.03"),
        level_target=3, bentuk=14, jp=8,
    )  # fmt: skip
    services.peserta_decide(peserta=finished, lulus=True)
    closed = rencana.baris.get(pelatihan=training)
    assert (closed.status, closed.ditutup_peserta) == ("selesai", finished)
    assert rencana.baris.get(bentuk=14).status == "terbuka"
    from pelatihan.reports import progres_rencana

    progres = progres_rencana([rencana.pk])[rencana.pk]
    assert (progres.selesai, progres.total, progres.jp_selesai, progres.jp_total) == (
        1, 2, training.jp, training.jp + 8,
    )  # fmt: skip


def test_a_pass_withdrawn_opens_the_line_again(cast, finished):
    training = finished.angkatan.pelatihan
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.04"), level=3)
    rencana = agreed_plan(
        cast, finished.angkatan.tanggal_selesai.year, kompetensi=kompetensi("M.04"),
        level_target=3, bentuk=3, jp=24, pelatihan=training,
    )  # fmt: skip
    services.peserta_decide(peserta=finished, lulus=True)
    services.peserta_decide(peserta=finished, lulus=False)
    line = rencana.baris.get()
    assert (line.status, line.ditutup_peserta, line.ditutup_at) == ("terbuka", None, None)


def test_a_failed_batch_closes_nothing(cast, finished):
    training = finished.angkatan.pelatihan
    PelatihanKompetensi.objects.create(pelatihan=training, kompetensi=kompetensi("M.04"), level=3)
    rencana = agreed_plan(
        cast, finished.angkatan.tanggal_selesai.year, kompetensi=kompetensi("M.04"),
        level_target=3, bentuk=3, jp=24, pelatihan=training,
    )  # fmt: skip
    services.peserta_decide(peserta=finished, lulus=False)
    assert rencana.baris.get().status == "terbuka"


def kegiatan(cast, jenis, selesai):
    return KegiatanEksternal.objects.create(
        pegawai=cast.pegawai_pegawai, nama="Coaching bulanan", jenis=jenis, penyelenggara="Dinkes",
        jp=8, tanggal_mulai=selesai - timedelta(days=1), tanggal_selesai=selesai, file="k.pdf",
    )  # fmt: skip


def test_a_verified_activity_of_the_lines_form_closes_one_line(cast):
    rencana = agreed_plan(
        cast, 2026, kompetensi=kompetensi("M.04"), level_target=3, bentuk=14, jp=8
    )
    services.baris_rencana_add(
        pegawai=cast.pegawai_pegawai, tahun=2026, kompetensi=kompetensi("M.03"),
        level_target=3, bentuk=14, jp=8,
    )  # fmt: skip
    activity = kegiatan(cast, 14, date(2026, 6, 10))
    services.kegiatan_verify(kegiatan=activity, by=cast.pengelola)
    assert list(rencana.baris.order_by("pk").values_list("status", "ditutup_kegiatan")) == [
        ("selesai", activity.pk),
        ("terbuka", None),
    ]


def test_a_rejected_or_other_form_or_other_year_activity_closes_nothing(cast):
    rencana = agreed_plan(
        cast, 2026, kompetensi=kompetensi("M.04"), level_target=3, bentuk=14, jp=8
    )
    services.kegiatan_reject(
        kegiatan=kegiatan(cast, 14, date(2026, 6, 10)), by=cast.pengelola, alasan="Tanpa bukti"
    )
    services.kegiatan_verify(kegiatan=kegiatan(cast, 15, date(2026, 6, 10)), by=cast.pengelola)
    services.kegiatan_verify(kegiatan=kegiatan(cast, 14, date(2025, 6, 10)), by=cast.pengelola)
    assert rencana.baris.get().status == "terbuka"
