"""The feedback kinds of the task inbox: to verify (the service unit's HR), to answer (its
officers, by the 5-working-day SLA) and past that SLA (followed up by the unit's head and HR).
Each for exactly the right people, and gone once anyone allowed has acted."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from masyarakat import services
from masyarakat.models import Masukan, UnitLayanan
from masyarakat.tugas import JENIS
from pegawai.models import tanggal_libur
from pembinaan import tugas
from pembinaan.lib.dates import add_working_days
from tests import factories

KINDS = {jenis.kode: jenis for jenis in JENIS}


@pytest.fixture
def layanan(cast_lengkap):
    """Bidang Yankes' service unit, whose HR assigned three of its pegawai as officers."""
    c = cast_lengkap
    layanan = UnitLayanan.objects.create(unit=c.yankes, nama="Poli Umum", kode="poli")
    layanan.petugas.add(c.pegawai_pegawai, c.rekan_pegawai, c.atasan_pegawai)
    return layanan


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # a new login: its roles read anew


def items(kode, user, today=None):
    today = today or timezone.localdate()
    rows = KINDS[kode].rows(fresh(user), today)
    return None if rows is None else [m.kode for m in rows]


def forwarded(layanan, days_ago=0, **fields):
    moment = timezone.now() - timedelta(days=days_ago)
    return Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Antrean lama", status="diteruskan",
        dimoderasi_at=moment, **fields,
    )  # fmt: skip


def test_feedback_to_verify_is_for_the_hr_of_the_unit_and_above_only(cast_lengkap, layanan):
    c = cast_lengkap
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Kotor")
    assert items("masukan_verifikasi", c.pengelola) == [masukan.kode]
    assert items("masukan_verifikasi", c.pengelola_pegawai) == [masukan.kode]
    assert items("masukan_verifikasi", c.pengelola_lain) == []  # another OPD's HR
    for nobody in (c.pegawai, c.atasan, c.outsider, c.provinsi):
        assert items("masukan_verifikasi", nobody) is None
    libur = tanggal_libur()
    [item] = [KINDS["masukan_verifikasi"].item(m, date(2026, 12, 3), libur) for m in [masukan]]
    assert item.url == reverse("masyarakat:masukan_detail", args=[masukan.pk])
    assert item.jatuh_tempo == services.verifikasi_deadline(masukan, libur=libur)


def test_the_oldest_feedback_to_verify_comes_first(cast_lengkap, layanan):
    newer = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="Baru")
    older = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="Lama")
    Masukan.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=9))
    assert items("masukan_verifikasi", cast_lengkap.pengelola) == [older.kode, newer.kode]


def test_nobody_is_asked_to_verify_feedback_that_names_them(cast_lengkap, layanan):
    c = cast_lengkap
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori="keluhan", isi="Ketus",
        pegawai_dilayani=c.pengelola_pegawai_pegawai,
    )  # fmt: skip
    assert items("masukan_verifikasi", c.pengelola_pegawai) == []
    assert items("masukan_verifikasi", c.pengelola) == [masukan.kode]


def test_feedback_verified_by_another_hr_leaves_every_inbox(client, cast_lengkap, layanan):
    c = cast_lengkap
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Kotor")
    client.force_login(c.pengelola_pegawai)
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    client.post(url, {"tindakan": "teruskan"})
    assert items("masukan_verifikasi", c.pengelola) == []
    assert items("masukan_tanggapi", c.pegawai) == [masukan.kode]  # now the unit's to answer


def test_forwarded_feedback_is_for_the_service_units_officers_with_its_sla(cast_lengkap, layanan):
    c = cast_lengkap
    masukan = forwarded(layanan)
    for officer in (c.pegawai, c.rekan, c.atasan):  # assigned to it
        assert items("masukan_tanggapi", officer) == [masukan.kode]
    assert items("masukan_tanggapi", c.outsider) == []  # an officer of no service unit
    assert items("masukan_tanggapi", c.pengelola) is None  # HR without a pegawai of their own
    other = UnitLayanan.objects.create(unit=c.bkd, nama="Loket BKD", kode="loket")
    other.petugas.add(c.outsider_pegawai)
    forwarded(other)
    assert items("masukan_tanggapi", c.pegawai) == [masukan.kode]  # not another unit's
    assert len(items("masukan_tanggapi", c.outsider)) == 1  # BKD's officer: BKD's only
    libur = tanggal_libur()
    item = KINDS["masukan_tanggapi"].item(masukan, timezone.localdate(), libur)
    expected = add_working_days(timezone.localdate(masukan.dimoderasi_at), 5, libur=libur)
    assert item.jatuh_tempo == expected and item.url.endswith(f"/masukan/{masukan.pk}/")


def test_feedback_not_yet_verified_is_not_the_officers(cast_lengkap, layanan):
    Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Kotor")
    assert items("masukan_tanggapi", cast_lengkap.pegawai) == []


def test_the_officer_a_feedback_names_is_not_asked_to_answer_it(cast_lengkap, layanan):
    c = cast_lengkap
    named = forwarded(layanan, pegawai_dilayani=c.pegawai_pegawai)
    assert items("masukan_tanggapi", c.pegawai) == []
    assert items("masukan_tanggapi", c.rekan) == [named.kode]


def test_the_officer_named_is_told_where_to_reply_and_cannot_answer_for_the_unit(
    client, cast_lengkap, layanan
):
    named = forwarded(layanan, pegawai_dilayani=cast_lengkap.pegawai_pegawai)
    client.force_login(cast_lengkap.pegawai)
    url = reverse("masyarakat:masukan_detail", args=[named.pk])
    assert "tanggapi lewat halaman Masukan warga Anda" in client.get(url).text
    assert client.post(url, {"tindakan": "tanggapi", "teks": "Saya benar"}).status_code == 403
    named.refresh_from_db()
    assert named.status == "diteruskan" and named.tanggapan == ""


def test_an_officer_answers_from_the_item_and_it_leaves_every_inbox(client, cast_lengkap, layanan):
    c = cast_lengkap
    masukan = forwarded(layanan)
    client.force_login(c.rekan)
    url = KINDS["masukan_tanggapi"].item(masukan, timezone.localdate(), tanggal_libur()).url
    assert "Simpan tanggapan" in client.get(url).content.decode()
    assert client.post(url, {"tindakan": "teruskan"}).status_code == 403  # HR's step
    client.post(url, {"tindakan": "tanggapi", "teks": "Loket kedua dibuka."})
    masukan.refresh_from_db()
    assert masukan.status == "ditanggapi" and masukan.tanggapan == "Loket kedua dibuka."
    for officer in (c.pegawai, c.rekan, c.atasan):
        assert items("masukan_tanggapi", officer) == []
    client.force_login(c.outsider)
    assert client.get(url).status_code == 403  # an officer of no service unit


def test_a_pegawai_of_the_unit_not_assigned_sees_none_of_it_and_cannot_answer(
    client, cast_lengkap, layanan
):
    c = cast_lengkap
    layanan.petugas.remove(c.rekan_pegawai)
    masukan = forwarded(layanan)
    assert items("masukan_tanggapi", c.rekan) == []
    assert items("masukan_tanggapi", c.pegawai) == [masukan.kode]
    client.force_login(c.rekan)
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    assert client.get(url).status_code == 403  # an officer of no service unit
    assert client.post(url, {"tindakan": "tanggapi", "teks": "Atas nama unit"}).status_code == 403
    masukan.refresh_from_db()
    assert masukan.status == "diteruskan" and masukan.tanggapan == ""
    assert tugas.jumlah_tugas(fresh(c.rekan), timezone.localdate()) == 0


def test_an_officer_removed_by_hr_no_longer_sees_or_answers_it(client, cast_lengkap, layanan):
    c = cast_lengkap
    masukan = forwarded(layanan)
    services.petugas_hapus(unit_layanan=layanan, pegawai_id=c.rekan_pegawai.pk)
    assert items("masukan_tanggapi", c.rekan) == []
    client.force_login(c.rekan)
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    assert client.post(url, {"tindakan": "tanggapi", "teks": "Masih saya"}).status_code == 403
    masukan.refresh_from_db()
    assert masukan.tanggapan == ""


def test_an_officer_of_an_inactive_service_unit_is_asked_nothing(cast_lengkap, layanan):
    forwarded(layanan)
    layanan.aktif = False
    layanan.save()
    assert items("masukan_tanggapi", cast_lengkap.pegawai) == []


def test_forwarded_feedback_of_a_unit_without_officers_is_answered_by_its_hr(
    client, cast_lengkap, layanan
):
    c = cast_lengkap
    masukan = forwarded(layanan)
    assert items("masukan_tanpa_petugas", c.pengelola) == []  # its officers answer it
    layanan.petugas.clear()
    for pegawai in (c.pegawai, c.rekan, c.atasan):
        assert items("masukan_tanggapi", pegawai) == []
    assert items("masukan_tanpa_petugas", c.pengelola) == [masukan.kode]  # nobody else will
    assert items("masukan_tanpa_petugas", c.pengelola_lain) == []  # another unit's HR
    client.force_login(c.pengelola)
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    client.post(url, {"tindakan": "tanggapi", "teks": "Dari kepegawaian."})
    masukan.refresh_from_db()
    assert masukan.status == "ditanggapi" and masukan.tanggapan == "Dari kepegawaian."
    assert items("masukan_tanpa_petugas", c.pengelola) == []


def test_feedback_whose_only_officer_it_names_or_a_closed_unit_goes_to_hr(cast_lengkap, layanan):
    c = cast_lengkap
    layanan.petugas.set([c.pegawai_pegawai])
    named = forwarded(layanan, pegawai_dilayani=c.pegawai_pegawai)
    other = forwarded(layanan)
    assert items("masukan_tanpa_petugas", c.pengelola) == [named.kode]
    layanan.aktif = False
    layanan.save()
    assert sorted(items("masukan_tanpa_petugas", c.pengelola)) == sorted([named.kode, other.kode])


def test_feedback_past_its_sla_is_followed_by_the_units_head_and_hr(cast_lengkap, layanan):
    c = cast_lengkap
    layanan.petugas.remove(c.atasan_pegawai)  # heads the unit, not one of its officers
    late = forwarded(layanan, days_ago=30)
    forwarded(layanan)  # within its SLA
    assert items("masukan_lewat_sla", c.atasan) == [late.kode]  # heads Bidang Yankes
    assert items("masukan_lewat_sla", c.pengelola) == [late.kode]
    assert items("masukan_lewat_sla", c.pengelola_lain) == []
    for nobody in (c.pegawai, c.rekan, c.outsider):  # head nothing, manage nothing
        assert items("masukan_lewat_sla", nobody) is None
    assert KINDS["masukan_lewat_sla"].ikuti  # followed up, not counted in the top bar
    before = tugas.jumlah_tugas(fresh(c.atasan), timezone.localdate())
    forwarded(layanan, days_ago=40)
    assert tugas.jumlah_tugas(fresh(c.atasan), timezone.localdate()) == before
    services.masukan_respond(masukan=late, tanggapan="Sudah ditangani")
    assert late.kode not in items("masukan_lewat_sla", c.atasan)


def test_a_head_who_is_an_assigned_officer_sees_late_feedback_once_as_overdue_to_answer(
    cast_lengkap, layanan
):
    c = cast_lengkap
    late = forwarded(layanan, days_ago=30)
    assert items("masukan_tanggapi", c.atasan) == [late.kode]
    assert items("masukan_lewat_sla", c.atasan) == []  # not twice
    assert items("masukan_lewat_sla", c.pengelola) == [late.kode]
    groups = {g.jenis.kode: g for g in tugas.daftar_tugas(fresh(c.atasan), timezone.localdate())}
    assert groups["masukan_tanggapi"].terlambat == 1 and "masukan_lewat_sla" not in groups


def test_the_head_of_another_unit_follows_none_of_it(cast_lengkap, layanan):
    c = cast_lengkap
    forwarded(layanan, days_ago=30)
    head = factories.user("kepala_bkd")
    kepala = factories.pegawai(c.bkd, nama="Kepala BKD", user=head)
    c.mentor_pegawai.atasan = kepala
    c.mentor_pegawai.save()
    assert fresh(head).unit_dipimpin == c.bkd
    assert items("masukan_lewat_sla", head) == []


# From early December across Christmas (24 cuti bersama, 25 libur) and New Year's Day.
@pytest.mark.parametrize("offset", range(0, 36))
def test_the_sql_cutoff_agrees_with_the_sla_day_by_day(cast_lengkap, layanan, offset):
    today = date(2026, 12, 3) + timedelta(days=offset)
    libur = tanggal_libur()
    cutoff = services.lewat_sla_sebelum(today, Masukan.HARI_TANGGAPAN, libur=libur)
    for back in range(0, 15):
        day = today - timedelta(days=back)
        for moment in (time(0, 0), time(23, 59)):
            at = timezone.make_aware(datetime.combine(day, moment))
            masukan = Masukan(status="diteruskan", dimoderasi_at=at)
            assert (at < cutoff) == (services.terlambat(masukan, today, libur=libur) is not None)


def test_feedback_forwarded_before_christmas_is_followed_up_only_after_its_holidays(
    cast_lengkap, layanan
):
    # Forwarded Thursday 17 December 2026: five working days are 18, 21, 22, 23 and (past the
    # cuti bersama of the 24th and Christmas Day) the 28th, not the 24th.
    at = timezone.make_aware(datetime(2026, 12, 17, 10, 0))
    masukan = forwarded(layanan)
    Masukan.objects.filter(pk=masukan.pk).update(dimoderasi_at=at)
    pengelola = cast_lengkap.pengelola
    assert items("masukan_lewat_sla", pengelola, today=date(2026, 12, 28)) == []
    assert items("masukan_lewat_sla", pengelola, today=date(2026, 12, 29)) == [masukan.kode]
    masukan.refresh_from_db()
    libur = tanggal_libur()
    assert services.tanggapan_deadline(masukan, libur=libur) == date(2026, 12, 28)
    item = KINDS["masukan_lewat_sla"].item(masukan, date(2026, 12, 29), libur)
    assert item.jatuh_tempo == date(2026, 12, 28)


def test_the_demo_logins_see_feedback_of_each_kind(db):
    from django.core.management import call_command

    from pegawai.models import User

    call_command("seed_demo", "--pegawai", "400", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = timezone.localdate()

    def kinds(username):
        user = User.objects.get(username=username)
        return {g.jenis.kode: g for g in tugas.daftar_tugas(user, today)}

    pengelola = kinds("pengelola")
    assert pengelola["masukan_verifikasi"].jumlah == 3  # with seed_masukan's one
    assert pengelola["masukan_verifikasi"].terlambat == 1  # received six days ago
    assert pengelola["masukan_lewat_sla"].jumlah == 2
    assert kinds("pengelola2")["masukan_verifikasi"].jumlah == 3
    for officer in ("pegawai", "atasan"):  # assigned to Poli Umum and the mobile clinic
        forwarded = kinds(officer)["masukan_tanggapi"]
        # two of their own, two from the forum, the mobile clinic's; two past their SLA
        assert forwarded.jumlah == 5 and forwarded.terlambat == 2
    # The atasan heads the Seksi: its mobile clinic's late one is theirs to answer, shown once.
    assert "masukan_lewat_sla" not in kinds("atasan")
    assert "masukan_verifikasi" not in kinds("pengelola_rsud")


def test_administrators_are_not_asked_the_units_people_are(cast_lengkap, layanan):
    Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Kotor")
    forwarded(layanan, days_ago=30)
    for kode in KINDS:
        assert items(kode, cast_lengkap.admin) is None


def test_forwarding_to_a_unit_without_officers_tells_hr_they_answer(client, cast_lengkap, layanan):
    layanan.petugas.clear()
    masukan = Masukan.objects.create(unit_layanan=layanan, kategori="saran", isi="Tambah kursi")
    client.force_login(cast_lengkap.pengelola)
    url = reverse("masyarakat:masukan_detail", args=[masukan.pk])
    page = client.post(url, {"tindakan": "teruskan"}, follow=True).content.decode()
    assert "belum punya petugas penjawab" in page
    assert items("masukan_tanpa_petugas", cast_lengkap.pengelola) == [masukan.kode]


def test_the_inbox_reads_the_holidays_once_whatever_the_feedback_waiting(cast_lengkap, layanan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def holiday_queries_and_items(user) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            groups = tugas.daftar_tugas(fresh(user), timezone.localdate())
        reads = [q for q in queries if "pegawai_harilibur" in q["sql"]]
        return len(reads), sum(len(group.items) for group in groups)

    Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi="Kotor")
    forwarded(layanan, days_ago=30)
    assert holiday_queries_and_items(cast_lengkap.pengelola) == (2, 2)  # the cutoff, the items
    for n in range(5):
        Masukan.objects.create(unit_layanan=layanan, kategori="keluhan", isi=f"Kotor {n}")
        forwarded(layanan, days_ago=30)
    assert holiday_queries_and_items(cast_lengkap.pengelola) == (2, 12)
