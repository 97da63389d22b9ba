from datetime import date

import pytest
from django.urls import reverse

from pegawai.models import HariLibur
from pelatihan import services
from pelatihan.models import Angkatan, Pelatihan, Peserta
from tests import factories

S = Peserta.Status


def test_the_catalogue_is_for_every_logged_in_user(login, cast, client, batch):
    assert client.get(reverse("pelatihan:list")).status_code == 302
    for who in ("pegawai", "atasan", "pengelola", "admin"):
        page = login(getattr(cast, who)).get(reverse("pelatihan:list"))
        assert page.status_code == 200 and "Sistem Informasi Kesehatan" in page.content.decode()


def test_pengelola_creates_a_training_with_target_competencies(login, cast):
    from pelatihan.models import Kompetensi

    data = {
        "nama": "TIK untuk Pelayanan Kesehatan",
        "jenis": 3,
        "bidang": "Kesehatan",
        "jp": 32,
        "penyelenggara_jenis": "internal",
        "penyelenggara": "BPSDM",
        "deskripsi": "",
        "target-TOTAL_FORMS": 2,
        "target-INITIAL_FORMS": 0,
        "target-0-kompetensi": Kompetensi.objects.get(kode="M.07").pk,
        "target-0-level": 3,
    }
    client = login(cast.pengelola)
    refused = client.post(reverse("pelatihan:create"), data | {"unit_penyelenggara": cast.bkd.pk})
    assert refused.status_code == 200  # not a unit of theirs
    assert "unit_penyelenggara" in refused.context["form"].errors
    response = client.post(reverse("pelatihan:create"), data | {"unit_penyelenggara": ""})
    assert "unit_penyelenggara" in response.context["form"].errors  # only the province's HR
    assert not Pelatihan.objects.exists()
    data["unit_penyelenggara"] = cast.dinkes.pk
    response = client.post(reverse("pelatihan:create"), data)
    training = Pelatihan.objects.get(nama="TIK untuk Pelayanan Kesehatan")
    assert response["Location"] == training.get_absolute_url()
    assert training.unit_penyelenggara == cast.dinkes
    assert [(t.kompetensi.kode, t.level) for t in training.target.all()] == [("M.07", 3)]


def test_the_province_organises_a_training_of_its_own(login, cast_lengkap):
    data = {
        "nama": "Pelatihan Kepemimpinan Pengawas", "jenis": 5, "bidang": "Manajerial", "jp": 40,
        "penyelenggara_jenis": "internal", "penyelenggara": "BPSDM", "unit_penyelenggara": "",
        "target-TOTAL_FORMS": 0, "target-INITIAL_FORMS": 0,
    }  # fmt: skip
    login(cast_lengkap.provinsi).post(reverse("pelatihan:create"), data)
    training = Pelatihan.objects.get(nama="Pelatihan Kepemimpinan Pengawas")
    assert training.unit_penyelenggara is None


def test_a_training_without_jp_is_refused_and_nothing_saved(login, cast):
    data = {
        "nama": "X",
        "jenis": 3,
        "bidang": "Y",
        "jp": 0,
        "penyelenggara_jenis": "internal",
        "penyelenggara": "Z",
        "target-TOTAL_FORMS": 0,
        "target-INITIAL_FORMS": 0,
    }
    response = login(cast.pengelola).post(reverse("pelatihan:create"), data)
    assert "jp" in response.context["form"].errors
    assert not Pelatihan.objects.filter(nama="X").exists()


@pytest.mark.parametrize("who", ["pegawai", "atasan"])
def test_only_managers_create_trainings_and_batches(login, cast, who, batch):
    client = login(getattr(cast, who))
    assert client.get(reverse("pelatihan:create")).status_code == 403
    url = reverse("pelatihan:angkatan_create", args=[batch.pelatihan_id])
    assert client.get(url).status_code == 403


def test_a_new_batch_gets_a_session_per_working_day(login, cast, batch):
    data = {
        "nama": "Angkatan II",
        "tanggal_mulai": "2026-04-09",
        "tanggal_selesai": "2026-04-14",
        "tempat": "BPSDM Jambi",
        "kuota": 30,
        "status": "pendaftaran",
        "ambang_kehadiran": 80,
        "nilai_lulus": 70,
    }
    login(cast.pengelola).post(
        reverse("pelatihan:angkatan_create", args=[batch.pelatihan_id]), data
    )
    created = Angkatan.objects.get(nama="Angkatan II")
    days = list(created.sesi.values_list("tanggal", flat=True))
    assert days == [date(2026, 4, 9), date(2026, 4, 10), date(2026, 4, 13), date(2026, 4, 14)]


def batch_data(**dates) -> dict:
    return {
        "nama": "Angkatan II", "tempat": "BPSDM Jambi", "kuota": 30, "status": "pendaftaran",
        "ambang_kehadiran": 80, "nilai_lulus": 70, **dates,
    }  # fmt: skip


def test_a_new_batch_gets_no_session_on_a_holiday_or_a_day_of_cuti_bersama(login, cast, batch):
    # 16–27 March 2026: Nyepi on the 19th, cuti bersama on the 18th, 20th, 23rd and 24th
    # (shipped with the SKB, pegawai.kalender).
    login(cast.pengelola).post(
        reverse("pelatihan:angkatan_create", args=[batch.pelatihan_id]),
        batch_data(tanggal_mulai="2026-03-16", tanggal_selesai="2026-03-27"),
    )
    created = Angkatan.objects.get(nama="Angkatan II")
    days = list(created.sesi.values_list("tanggal", flat=True))
    assert days == [date(2026, 3, d) for d in (16, 17, 25, 26, 27)]
    assert list(created.sesi.values_list("topik", flat=True))[-1] == "Hari ke-5"


def test_a_holiday_added_later_drops_its_session_when_the_batch_is_saved_again(login, cast, batch):
    client = login(cast.pengelola)
    client.post(
        reverse("pelatihan:angkatan_create", args=[batch.pelatihan_id]),
        batch_data(tanggal_mulai="2026-11-16", tanggal_selesai="2026-11-20"),
    )
    created = Angkatan.objects.get(nama="Angkatan II")
    assert created.sesi.count() == 5
    HariLibur.objects.create(tanggal=date(2026, 11, 18), jenis="libur_nasional", nama="Uji")
    client.post(
        reverse("pelatihan:angkatan_update", args=[created.pk]),
        batch_data(tanggal_mulai="2026-11-16", tanggal_selesai="2026-11-20"),
    )
    days = list(created.sesi.values_list("tanggal", flat=True))
    assert days == [date(2026, 11, d) for d in (16, 17, 19, 20)]


def test_moving_a_batchs_dates_numbers_its_days_again_in_date_order(login, cast, batch):
    client = login(cast.pengelola)
    client.post(
        reverse("pelatihan:angkatan_create", args=[batch.pelatihan_id]),
        batch_data(tanggal_mulai="2026-11-16", tanggal_selesai="2026-11-20"),
    )
    created = Angkatan.objects.get(nama="Angkatan II")
    created.sesi.filter(tanggal=date(2026, 11, 19)).update(topik="Kunjungan lapangan")
    client.post(
        reverse("pelatihan:angkatan_update", args=[created.pk]),
        batch_data(tanggal_mulai="2026-11-18", tanggal_selesai="2026-11-24"),
    )
    sessions = list(created.sesi.order_by("tanggal").values_list("tanggal", "topik"))
    assert sessions == [
        (date(2026, 11, 18), "Hari ke-1"),
        (date(2026, 11, 19), "Kunjungan lapangan"),  # written by HR: kept
        (date(2026, 11, 20), "Hari ke-3"),
        (date(2026, 11, 23), "Hari ke-4"),
        (date(2026, 11, 24), "Hari ke-5"),
    ]


def test_a_batch_falling_only_on_holidays_is_refused_and_nothing_saved(login, cast, batch):
    # 24 December 2026 is cuti bersama, the 25th Christmas (pegawai.kalender).
    response = login(cast.pengelola).post(
        reverse("pelatihan:angkatan_create", args=[batch.pelatihan_id]),
        batch_data(tanggal_mulai="2026-12-24", tanggal_selesai="2026-12-25"),
    )
    assert "hari libur nasional atau cuti bersama" in str(response.context["form"].errors)
    assert not Angkatan.objects.filter(nama="Angkatan II").exists()


def test_a_weekend_workshop_keeps_its_weekend_days(login, cast, batch):
    login(cast.pengelola).post(
        reverse("pelatihan:angkatan_create", args=[batch.pelatihan_id]),
        batch_data(tanggal_mulai="2026-11-21", tanggal_selesai="2026-11-22"),
    )
    created = Angkatan.objects.get(nama="Angkatan II")
    assert list(created.sesi.values_list("tanggal", flat=True)) == [
        date(2026, 11, 21), date(2026, 11, 22)
    ]  # fmt: skip


def test_a_batch_ending_before_it_starts_is_refused(login, cast, batch):
    data = {
        "nama": "Salah",
        "tanggal_mulai": "2026-04-14",
        "tanggal_selesai": "2026-04-09",
        "tempat": "BPSDM",
        "kuota": 30,
        "status": "pendaftaran",
        "ambang_kehadiran": 80,
        "nilai_lulus": 70,
    }
    response = login(cast.pengelola).post(
        reverse("pelatihan:angkatan_create", args=[batch.pelatihan_id]), data
    )
    assert "sebelum tanggal mulai" in str(response.context["form"].errors)
    assert not Angkatan.objects.filter(nama="Salah").exists()


def test_nominating_by_nip_and_by_unit(login, cast, batch):
    url = reverse("pelatihan:angkatan_nominate", args=[batch.pk])
    client = login(cast.pengelola)
    client.post(url, {"nip": cast.pegawai_pegawai.nip_tampil})
    assert batch.peserta.get().pegawai == cast.pegawai_pegawai
    client.post(url, {"unit": cast.dinkes.pk})
    assert set(batch.peserta.values_list("pegawai__nama", flat=True)) == {
        "Budi Pegawai",
        "Siti Atasan",
    }


def test_a_pengelola_cannot_nominate_pegawai_of_other_units(login, cast, batch):
    url = reverse("pelatihan:angkatan_nominate", args=[batch.pk])
    login(cast.pengelola).post(url, {"nip": cast.outsider_pegawai.nip})
    assert not batch.peserta.exists()


def test_nomination_needs_post_and_a_manager(login, cast, batch):
    url = reverse("pelatihan:angkatan_nominate", args=[batch.pk])
    assert login(cast.pengelola).get(url).status_code == 405
    assert login(cast.pegawai).post(url, {"nip": cast.pegawai_pegawai.nip}).status_code == 403


def test_the_request_approval_confirmation_journey(login, cast, batch):
    login(cast.pegawai).post(reverse("pelatihan:angkatan_request", args=[batch.pk]))
    peserta = batch.peserta.get()
    assert peserta.status == S.DIAJUKAN
    # Only the direct atasan approves; the pengelola cannot stand in.
    assert (
        login(cast.pengelola)
        .post(reverse("pelatihan:peserta_approve", args=[peserta.pk]))
        .status_code
        == 403
    )
    login(cast.atasan).post(reverse("pelatihan:peserta_approve", args=[peserta.pk]))
    assert (
        login(cast.atasan).post(reverse("pelatihan:peserta_confirm", args=[peserta.pk])).status_code
        == 403
    )
    login(cast.pengelola).post(reverse("pelatihan:peserta_confirm", args=[peserta.pk]))
    peserta.refresh_from_db()
    assert peserta.status == S.TERDAFTAR


def test_an_outsider_cannot_touch_another_units_participant(login, cast, batch):
    login(cast.pegawai).post(reverse("pelatihan:angkatan_request", args=[batch.pk]))
    peserta = batch.peserta.get()
    for name in ("peserta_approve", "peserta_confirm", "peserta_cancel", "peserta_decide"):
        assert (
            login(cast.outsider).post(reverse(f"pelatihan:{name}", args=[peserta.pk])).status_code
            == 404
        )


def test_the_pegawai_cancels_their_own_participation(login, cast, batch):
    client = login(cast.pegawai)
    client.post(reverse("pelatihan:angkatan_request", args=[batch.pk]))
    peserta = batch.peserta.get()
    client.post(reverse("pelatihan:peserta_cancel", args=[peserta.pk]), {"alasan": "sakit"})
    peserta.refresh_from_db()
    assert peserta.status == S.DIBATALKAN


def test_the_batch_page_shows_each_user_only_the_participants_they_may_see(
    login, cast_lengkap, batch
):
    from pelatihan import services

    cast = cast_lengkap
    services.peserta_nominate_many(
        angkatan=batch, pegawai=[cast.pegawai_pegawai, cast.outsider_pegawai]
    )
    # The organising unit's HR see everyone; another unit's HR, their own staff.
    page = login(cast.pengelola).get(batch.get_absolute_url())
    assert {p.pegawai for p in page.context["peserta"]} == {
        cast.pegawai_pegawai, cast.outsider_pegawai
    }  # fmt: skip
    other = login(cast.pengelola_lain).get(batch.get_absolute_url())
    assert [p.pegawai for p in other.context["peserta"]] == [cast.outsider_pegawai]
    own = login(cast.outsider).get(batch.get_absolute_url())
    assert [p.pegawai for p in own.context["peserta"]] == [cast.outsider_pegawai]


def test_attendance_is_recorded_for_the_managers_participants(login, cast, finished):
    sesi = finished.angkatan.sesi.first()
    client = login(cast.pengelola)
    assert client.get(reverse("pelatihan:sesi_kehadiran", args=[sesi.pk])).status_code == 200
    client.post(reverse("pelatihan:sesi_kehadiran", args=[sesi.pk]), {})
    assert not sesi.kehadiran.get(peserta=finished).hadir
    assert (
        login(cast.pegawai).get(reverse("pelatihan:sesi_kehadiran", args=[sesi.pk])).status_code
        == 403
    )


def test_passing_adds_jp_and_issues_a_certificate(login, cast, finished):
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    login(cast.pengelola).post(url, {"nilai_pre": "60", "nilai_post": "85", "keputusan": "lulus"})
    finished.refresh_from_db()
    assert finished.lulus and finished.sertifikat.nomor.startswith("SIBINA/2026/")
    assert finished.catatan_jp.jp == 24 and finished.catatan_jp.tahun == 2026


def test_passing_with_low_attendance_is_refused_and_saves_no_result(login, cast, finished):
    for sesi in finished.angkatan.sesi.all()[:2]:
        sesi.kehadiran.update(hadir=False)
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    response = login(cast.pengelola).post(
        url, {"nilai_post": "85", "keputusan": "lulus"}, follow=True
    )
    assert "di bawah ambang 80 %" in response.content.decode()
    finished.refresh_from_db()
    assert finished.lulus is None and not hasattr(finished, "catatan_jp")


def test_failing_after_passing_revokes_the_certificate_and_the_jp(login, cast, finished):
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    client = login(cast.pengelola)
    client.post(url, {"nilai_post": "85", "keputusan": "lulus"})
    client.post(url, {"nilai_post": "85", "keputusan": "tidak"})
    finished.refresh_from_db()
    assert finished.sertifikat.is_revoked
    assert not type(finished).objects.filter(pk=finished.pk, catatan_jp__isnull=False).exists()


def test_scores_are_typed_and_shown_with_an_indonesian_decimal_comma(login, cast, finished):
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    login(cast.pengelola).post(url, {"nilai_pre": "63,5", "nilai_post": "85", "keputusan": ""})
    finished.refresh_from_db()
    assert str(finished.nilai_pre) == "63.50"
    page = login(cast.pengelola).get(finished.angkatan.get_absolute_url()).content.decode()
    assert 'value="63,50"' in page
    # Sending the page's own values back is accepted as they are.
    data = {"nilai_pre": "63,50", "nilai_post": "85", "keputusan": "lulus"}
    login(cast.pengelola).post(url, data)
    finished.refresh_from_db()
    assert finished.lulus


def test_a_refused_decision_saves_the_scores_sent_with_it_neither(login, cast, finished):
    finished.angkatan.sesi.first().kehadiran.update(hadir=False)
    finished.angkatan.sesi.last().kehadiran.update(hadir=False)  # 60 % attendance
    url = reverse("pelatihan:peserta_decide", args=[finished.pk])
    login(cast.pengelola).post(url, {"nilai_pre": "55", "nilai_post": "91", "keputusan": "lulus"})
    finished.refresh_from_db()
    assert finished.lulus is None and str(finished.nilai_post) == "85.00"


def test_the_batch_page_asks_the_same_queries_at_1_and_11_participants(login, cast):
    """Each row's actions come from its policies, which read only what the page loaded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pelatihan import services

    batch = factories.angkatan(kuota=50)
    client = login(cast.pengelola)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(batch.get_absolute_url()).status_code == 200
        return len(captured.captured_queries)

    services.peserta_nominate(angkatan=batch, pegawai=factories.pegawai(cast.yankes))
    few = queries()
    for _ in range(10):
        services.peserta_nominate(angkatan=batch, pegawai=factories.pegawai(cast.yankes))
    assert queries() == few


def test_an_organiser_taking_part_in_a_batch_is_not_offered_to_change_it(login, cast_lengkap):
    c = cast_lengkap
    batch = factories.angkatan(kuota=5)
    services.peserta_nominate(angkatan=batch, pegawai=c.pengelola_pegawai_pegawai)
    page = login(c.pengelola_pegawai).get(batch.get_absolute_url()).content.decode()
    assert "Evaluasi L1–L3" in page and "Ubah angkatan" not in page
    assert "Ubah angkatan" in login(c.pengelola).get(batch.get_absolute_url()).content.decode()
