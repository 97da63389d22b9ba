"""Non-classical learning (10:20:70): coaching, mentoring, e-learning and the like, logged by the
pegawai with evidence, verified by their direct atasan (not HR), converted to JP by the form's
rule (AturanKonversiJP) within its caps, the evidence claimed once, external certificates
reminded before they expire."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from pegawai.models import Notifikasi, Pegawai
from pelatihan import reports, services
from pelatihan.models import BERKAS_SUDAH_DIKLAIM, AturanKonversiJP, CatatanJP, KegiatanEksternal
from pelatihan.tugas import JENIS
from tests import factories
from tests.files import pdf_bytes

CREATE = reverse("pelatihan:kegiatan_create")


pytestmark = pytest.mark.usefixtures("private_media")


def evidence(pages: int = 1) -> SimpleUploadedFile:
    """A real PDF; a different page count makes different content (another SHA-256)."""
    return SimpleUploadedFile("bukti.pdf", pdf_bytes(pages), content_type="application/pdf")


def coaching_data(**overrides) -> dict:
    return {
        "nama": "Coaching penyusunan SKP",
        "jenis": 14,
        "penyelenggara": "Bidang Pelayanan Kesehatan",
        "tanggal_mulai": "2026-03-02",
        "tanggal_selesai": "2026-03-30",
        "skala": "nasional",
        "jumlah": "3",
        "jp": "",
        "nomor_sertifikat": "",
        "berlaku_sampai": "",
        "file": evidence(),
    } | overrides


def claim(pegawai: Pegawai, *, jenis: int = 14, jumlah: str = "3", selesai=date(2026, 3, 30),
          pages: int = 1, **extra) -> KegiatanEksternal:  # fmt: skip
    """A claim filed through the service, as the form does."""
    kegiatan = KegiatanEksternal(
        pegawai=pegawai, nama=f"Kegiatan {jenis}", jenis=jenis, penyelenggara="Dinkes",
        tanggal_mulai=selesai - timedelta(days=1), tanggal_selesai=selesai,
        jumlah=Decimal(jumlah) if jumlah else None, file=evidence(pages), **extra,
    )  # fmt: skip
    return services.kegiatan_submit(kegiatan=kegiatan)


def decide(client, kegiatan, **data):
    url = reverse("pelatihan:kegiatan_decide", args=[kegiatan.pk])
    return client.post(url, {"keputusan": "terima"} | data)


# --- Conversion and caps ----------------------------------------------------------------------


def test_the_pegawai_is_told_at_once_what_the_cap_per_activity_leaves(login, cast):
    response = login(cast.pegawai).post(CREATE, coaching_data(jumlah="7"))  # 14 JP, cap 10
    message = list(response.wsgi_request._messages)[0].message
    assert "14 JP diajukan (dikreditkan paling banyak 10 JP per kegiatan)" in message


def test_a_coaching_entry_is_converted_by_its_rule_and_waits_for_the_atasan(login, cast):
    response = login(cast.pegawai).post(CREATE, coaching_data())
    assert response.status_code == 302
    kegiatan = KegiatanEksternal.objects.get()
    assert (kegiatan.jumlah, kegiatan.jp, kegiatan.status) == (Decimal(3), 6, "diajukan")
    assert kegiatan.oleh_atasan
    assert not CatatanJP.objects.exists()
    message = list(response.wsgi_request._messages)[0].message
    assert "6 JP diajukan" in message and "Siti Atasan" in message


def test_the_form_shows_the_rules_for_its_jp_preview(login, cast):
    page = login(cast.pegawai).get(CREATE)
    coaching = next(a for a in page.context["aturan"] if a["jenis"] == 14)
    assert (coaching["satuan"], coaching["per"], coaching["batas_tahun"]) == ("sesi", 2.0, 20)
    assert 'id="aturan-jp"' in page.content.decode()


def test_a_non_classical_form_asks_for_its_quantity_not_for_jp(login, cast):
    response = login(cast.pegawai).post(CREATE, coaching_data(jumlah=""))
    assert "Isi jumlah sesi Coaching." in response.context["form"].errors["jumlah"]
    response = login(cast.pegawai).post(CREATE, coaching_data(jumlah="", jp="12"))
    assert "kosongkan kolom JP" in response.context["form"].errors["jp"][0]
    assert not KegiatanEksternal.objects.exists()


def test_hours_of_e_learning_convert_at_45_minutes_a_jp_rounded_half_up(cast):
    aturan = AturanKonversiJP.objects.get(jenis=16)
    assert aturan.jp_untuk(Decimal("3")) == 4  # 3 × 1.33 = 3.99
    assert aturan.jp_untuk(Decimal("1.5")) == 2  # 1.995
    assert aturan.jp_untuk(Decimal("1")) == 1


def test_the_seminar_day_conversion_still_holds(cast):
    seminar = claim(cast.pegawai_pegawai, jenis=9, jumlah="", skala="internasional")
    assert seminar.jp == 12  # two days × 6 JP, international


def test_a_claim_over_the_cap_per_activity_is_credited_the_cap_and_says_so(login, cast):
    kegiatan = claim(cast.pegawai_pegawai, jumlah="8")  # 16 JP, coaching caps 10 per activity
    assert kegiatan.jp == 16
    queue = login(cast.atasan).get(reverse("pelatihan:kegiatan_verifikasi")).content.decode()
    assert "16 JP diajukan (dikreditkan paling banyak 10 JP per kegiatan)" in queue
    response = decide(login(cast.atasan), kegiatan)
    kegiatan.refresh_from_db()
    assert (kegiatan.status, kegiatan.jp_dikreditkan) == ("diverifikasi", 10)
    assert CatatanJP.objects.get(kegiatan=kegiatan).jp == 10
    assert kegiatan.keterangan_kredit == (
        "Dikreditkan 10 dari 16 JP yang diajukan (batas 10 JP per kegiatan Coaching)."
    )
    shown = [m.message for m in response.wsgi_request._messages]
    assert kegiatan.keterangan_kredit in shown


def test_the_cap_per_year_counts_the_years_verified_claims_of_the_same_form(cast):
    p, atasan = cast.pegawai_pegawai, cast.atasan
    first = services.kegiatan_verify(kegiatan=claim(p, jumlah="5", pages=1), by=atasan)
    second = services.kegiatan_verify(kegiatan=claim(p, jumlah="4", pages=2), by=atasan)
    third = services.kegiatan_verify(kegiatan=claim(p, jumlah="2", pages=3), by=atasan)
    mentoring = services.kegiatan_verify(
        kegiatan=claim(p, jenis=15, jumlah="2", pages=4), by=atasan
    )
    other_year = services.kegiatan_verify(
        kegiatan=claim(p, jumlah="2", selesai=date(2025, 1, 20), pages=5), by=atasan
    )
    credited = [k.jp_dikreditkan for k in (first, second, third, mentoring, other_year)]
    assert credited == [10, 8, 2, 4, 4]  # coaching: 20 JP a year
    assert third.keterangan_kredit == (
        "Dikreditkan 2 dari 4 JP yang diajukan (batas 20 JP Coaching per tahun 2026; "
        "18 JP sudah diakui sebelumnya)."
    )
    fourth = services.kegiatan_verify(kegiatan=claim(p, jumlah="1", pages=6), by=atasan)
    assert (fourth.status, fourth.jp_dikreditkan) == ("diverifikasi", 0)
    assert not CatatanJP.objects.filter(kegiatan=fourth).exists()
    assert reports.jp_tahun(p, 2026) == 24 and reports.jp_tahun(p, 2025) == 4


def test_a_rule_changed_by_the_administrator_applies_to_later_verifications(login, cast):
    kegiatan = claim(cast.pegawai_pegawai, jumlah="3")
    aturan = AturanKonversiJP.objects.get(jenis=14)
    response = login(cast.admin).post(
        reverse("pelatihan:aturan_jp_update", args=[aturan.pk]),
        {"satuan": "sesi", "jp_per_satuan": "2", "batas_per_kegiatan": "4",
         "batas_per_tahun": "20", "sumber": "Keputusan Kepala BKD (uji)"},
    )  # fmt: skip
    assert response.status_code == 302
    aturan.refresh_from_db()
    assert (aturan.batas_per_kegiatan, aturan.diubah_oleh) == (4, cast.admin)
    assert aturan.terverifikasi
    assert services.kegiatan_verify(kegiatan=kegiatan, by=cast.atasan).jp_dikreditkan == 4


# --- The rule page ------------------------------------------------------------------------


def test_hr_read_the_rules_and_only_administrators_change_them(login, cast):
    aturan = AturanKonversiJP.objects.get(jenis=14)
    url = reverse("pelatihan:aturan_jp_update", args=[aturan.pk])
    data = {"satuan": "jam", "jp_per_satuan": "9", "sumber": "x"}
    for user in (cast.atasan, cast.pegawai):
        assert login(user).get(reverse("pelatihan:aturan_jp_list")).status_code == 403
    read = login(cast.pengelola).get(reverse("pelatihan:aturan_jp_list")).content.decode()
    assert "Coaching" in read and url not in read  # no edit link for HR
    for user in (cast.pengelola, cast.atasan, cast.pegawai):
        assert login(user).post(url, data).status_code == 403
    aturan.refresh_from_db()
    assert (aturan.satuan, aturan.jp_per_satuan) == ("sesi", Decimal("2.00"))
    page = login(cast.admin).get(reverse("pelatihan:aturan_jp_list"))
    assert "belum terverifikasi" in page.content.decode()


def test_a_rule_with_a_bad_number_is_refused_in_indonesian(login, cast):
    aturan = AturanKonversiJP.objects.get(jenis=14)
    url = reverse("pelatihan:aturan_jp_update", args=[aturan.pk])
    response = login(cast.admin).post(url, {"satuan": "sesi", "jp_per_satuan": "0",
                                            "batas_per_kegiatan": "-1", "sumber": ""})  # fmt: skip
    errors = response.context["form"].errors
    assert {"jp_per_satuan", "batas_per_kegiatan", "sumber"} <= set(errors)
    aturan.refresh_from_db()
    assert aturan.jp_per_satuan == Decimal("2.00")


def test_an_administrator_adds_a_rule_for_a_form_without_one(login, cast):
    AturanKonversiJP.objects.filter(jenis=11).delete()
    response = login(cast.admin).post(
        reverse("pelatihan:aturan_jp_create"),
        {"jenis": 11, "satuan": "hari", "jp_per_satuan": "6", "sumber": "uji"},
    )
    assert response.status_code == 302
    assert AturanKonversiJP.objects.get(jenis=11).jp_untuk(Decimal(2)) == 12


# --- The same evidence once ---------------------------------------------------------------


def test_the_same_evidence_cannot_be_claimed_twice_by_the_same_pegawai(login, cast):
    login(cast.pegawai).post(CREATE, coaching_data())
    response = login(cast.pegawai).post(CREATE, coaching_data(nama="Coaching lagi"))
    assert response.context["form"].errors["file"] == [BERKAS_SUDAH_DIKLAIM]
    assert KegiatanEksternal.objects.count() == 1


def test_nor_by_another_pegawai(login, cast):
    login(cast.pegawai).post(CREATE, coaching_data())
    response = login(cast.atasan).post(CREATE, coaching_data())
    assert (
        "Satu berkas hanya dapat dipakai untuk satu kegiatan"
        in (response.context["form"].errors["file"][0])
    )
    assert list(KegiatanEksternal.objects.values_list("pegawai", flat=True)) == [
        cast.pegawai_pegawai.pk
    ]


def test_a_rejected_claims_evidence_may_be_filed_again(login, cast):
    login(cast.pegawai).post(CREATE, coaching_data())
    rejected = KegiatanEksternal.objects.get()
    services.kegiatan_reject(kegiatan=rejected, by=cast.atasan, alasan="Tanggalnya salah")
    response = login(cast.pegawai).post(CREATE, coaching_data(tanggal_mulai="2026-03-03"))
    assert response.status_code == 302
    assert KegiatanEksternal.objects.filter(berkas_sha256=rejected.berkas_sha256).count() == 2


def test_the_database_refuses_a_second_live_claim_of_one_hash(cast):
    first = claim(cast.pegawai_pegawai)
    again = KegiatanEksternal(
        pegawai=cast.atasan_pegawai, nama="Salinan", jenis=14, penyelenggara="x",
        tanggal_mulai=date(2026, 3, 1), tanggal_selesai=date(2026, 3, 1), jumlah=1,
        file="kegiatan/lain.pdf", berkas_sha256=first.berkas_sha256,
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        again.save()


# --- Who verifies -------------------------------------------------------------------------


def test_only_the_direct_atasan_verifies_a_non_classical_claim(login, cast_lengkap):
    c = cast_lengkap
    kegiatan = claim(c.pegawai_pegawai)
    other_boss = factories.pegawai(c.yankes, nama="Atasan Lain", user=factories.user("bos2"))
    factories.pegawai(c.yankes, nama="Bawahan Lain", atasan=other_boss)
    refused = {
        "pengelola": 403, "pengelola_pegawai": 403, "admin": 403, "pegawai": 403,
        "rekan": 404, "outsider": 404, "provinsi": 404,
    }  # fmt: skip
    for role, status in refused.items():
        assert decide(login(getattr(c, role)), kegiatan).status_code == status, role
    assert decide(login(other_boss.user), kegiatan).status_code == 404
    kegiatan.refresh_from_db()
    assert kegiatan.status == "diajukan" and not CatatanJP.objects.exists()
    page = login(c.pengelola).get(reverse("pelatihan:kegiatan_verifikasi"))
    assert kegiatan not in page.context["kegiatan"]
    decide(login(c.atasan), kegiatan)
    kegiatan.refresh_from_db()
    assert (kegiatan.status, kegiatan.diverifikasi_oleh) == ("diverifikasi", c.atasan)


def test_hr_refusal_names_the_atasan_who_verifies(login, cast):
    kegiatan = claim(cast.pegawai_pegawai)
    response = decide(login(cast.pengelola), kegiatan)
    assert "Siti Atasan" in response.content.decode()


def test_a_pegawai_without_an_atasan_has_hr_of_their_unit_verify(login, cast):
    kegiatan = claim(cast.atasan_pegawai)  # the atasan reports to no one
    assert not kegiatan.oleh_atasan
    waiting = login(cast.pengelola).get(reverse("pelatihan:kegiatan_verifikasi"))
    assert list(waiting.context["kegiatan"]) == [kegiatan]
    assert decide(login(cast.atasan), kegiatan).status_code == 403  # their own
    decide(login(cast.pengelola), kegiatan)
    kegiatan.refresh_from_db()
    assert kegiatan.status == "diverifikasi"


def test_a_classical_claim_stays_with_hr(login, cast):
    seminar = claim(cast.pegawai_pegawai, jenis=9, jumlah="")
    assert decide(login(cast.atasan), seminar).status_code == 403
    decide(login(cast.pengelola), seminar)
    seminar.refresh_from_db()
    assert seminar.status == "diverifikasi"


def test_the_atasan_is_told_and_sees_it_in_the_inbox_hr_does_not(cast):
    kegiatan = claim(cast.pegawai_pegawai)
    assert Notifikasi.objects.filter(penerima=cast.atasan).count() == 1
    assert not Notifikasi.objects.filter(penerima=cast.pengelola).exists()
    today = timezone.localdate()
    kinds = {j.kode: j for j in JENIS}
    atasan_rows = kinds["pelatihan_kegiatan_atasan"].rows(cast.atasan, today)
    assert list(atasan_rows) == [kegiatan]
    assert not kinds["pelatihan_kegiatan_verifikasi"].rows(cast.pengelola, today).exists()
    assert kinds["pelatihan_kegiatan_atasan"].rows(cast.pengelola, today) is None
    services.kegiatan_verify(kegiatan=kegiatan, by=cast.atasan)
    assert not kinds["pelatihan_kegiatan_atasan"].rows(cast.atasan, today).exists()


# --- Counted only once verified -----------------------------------------------------------


def test_jp_counts_in_the_ledger_and_the_20_jp_compliance_only_once_verified(cast):
    p = cast.pegawai_pegawai
    factories.catatan_jp(p, 16, year=2026)
    kegiatan = claim(p, jumlah="3")  # 6 JP
    scope = Pegawai.objects.filter(pk=p.pk)
    assert reports.jp_tahun(p, 2026) == 16
    assert reports.kepatuhan_jp(scope, 2026).pns_patuh == 0
    assert list(reports.pns_di_bawah_target(scope, 2026)) == [p]
    services.kegiatan_verify(kegiatan=kegiatan, by=cast.atasan)
    assert reports.jp_tahun(p, 2026) == 22
    assert reports.kepatuhan_jp(scope, 2026).pns_patuh == 1
    assert not reports.pns_di_bawah_target(scope, 2026).exists()


def test_a_rejected_claim_counts_nothing_and_tells_the_pegawai_why(cast):
    kegiatan = claim(cast.pegawai_pegawai)
    services.kegiatan_reject(kegiatan=kegiatan, by=cast.atasan, alasan="Bukti tidak terbaca")
    assert reports.jp_tahun(cast.pegawai_pegawai, 2026) == 0
    note = Notifikasi.objects.get(penerima=cast.pegawai)
    assert note.judul == "Kegiatan ditolak: Kegiatan 14" and "Bukti tidak terbaca" in note.pesan


def test_the_verification_is_in_the_audit_log_for_hr_of_the_unit(login, cast):
    kegiatan = claim(cast.pegawai_pegawai)
    services.kegiatan_verify(kegiatan=kegiatan, by=cast.atasan)
    page = login(cast.pengelola).get(reverse("pembinaan:audit_list"), {"jenis": "kegiatan"})
    text = page.content.decode()
    assert "Kegiatan 14 – Budi Pegawai" in text and "Diverifikasi" in text


# --- Certificates with an expiry ----------------------------------------------------------


def test_an_expiring_certificate_is_reminded_once_90_days_before(cast):
    today = timezone.localdate()
    btcls = claim(
        cast.pegawai_pegawai, jenis=11, jumlah="", jp=24, selesai=today - timedelta(days=300),
        berlaku_sampai=today + timedelta(days=91), nomor_sertifikat="BTCLS/1",
    )  # fmt: skip
    assert services.sertifikat_pengingat_kirim(today=today) == 0
    tomorrow = today + timedelta(days=1)
    assert services.sertifikat_pengingat_kirim(today=tomorrow) == 1
    assert services.sertifikat_pengingat_kirim(today=tomorrow) == 0
    assert services.sertifikat_pengingat_kirim(today=tomorrow + timedelta(days=1)) == 0
    reminders = Notifikasi.objects.filter(kunci__contains=":berlaku:")
    assert sorted(n.penerima.username for n in reminders) == ["pegawai", "pengelola"]
    pegawai_note = reminders.get(penerima=cast.pegawai)
    assert pegawai_note.judul == f"Sertifikat segera berakhir: {btcls.nama}"


def certificate(pegawai, *, ends_in: int, done_ago: int = 10, pages: int = 1):
    """A kursus certificate valid until `ends_in` days from today."""
    today = timezone.localdate()
    return claim(
        pegawai, jenis=11, jumlah="", jp=8, pages=pages, selesai=today - timedelta(days=done_ago),
        berlaku_sampai=today + timedelta(days=ends_in),
    )  # fmt: skip


def test_a_rejected_or_expired_certificate_is_not_reminded(cast):
    rejected = certificate(cast.pegawai_pegawai, ends_in=30)
    services.kegiatan_reject(kegiatan=rejected, by=cast.pengelola, alasan="Bukan sertifikatnya")
    certificate(cast.pegawai_pegawai, ends_in=-1, done_ago=400, pages=2)
    assert services.sertifikat_pengingat_kirim(today=timezone.localdate()) == 0


def test_hr_lists_the_certificates_expiring_soon_in_their_units(login, cast):
    soon = certificate(cast.pegawai_pegawai, ends_in=60)
    certificate(cast.pegawai_pegawai, ends_in=400, pages=2)
    page = login(cast.pengelola).get(reverse("pelatihan:kegiatan_berlaku"))
    assert list(page.context["kegiatan"]) == [soon]
    other = login(cast.outsider)
    assert other.get(reverse("pelatihan:kegiatan_berlaku")).status_code == 403


def test_a_validity_before_the_activity_ended_is_refused(login, cast):
    response = login(cast.pegawai).post(CREATE, coaching_data(berlaku_sampai="2026-01-01"))
    assert "Masa berlaku" in str(response.context["form"].errors)
    assert not KegiatanEksternal.objects.exists()


# --- HR's audit list ------------------------------------------------------------------------


def test_hr_filters_their_units_activities(login, cast):
    coaching = claim(cast.pegawai_pegawai)
    seminar = claim(cast.pegawai_pegawai, jenis=9, jumlah="", pages=2)
    claim(cast.outsider_pegawai, pages=3)  # another unit
    url = reverse("pelatihan:kegiatan_list")
    client = login(cast.pengelola)

    def shown(**params):
        return list(client.get(url, {"tahun": 2026} | params).context["page"])

    assert set(shown()) == {coaching, seminar}
    assert shown(kelompok="nonklasikal") == [coaching]
    assert shown(jenis=9) == [seminar]
    assert shown(q="Budi", status="ditolak") == []
    assert login(cast.atasan).get(url).status_code == 403


# --- Query counts ---------------------------------------------------------------------------


def _many(cast, n: int, start: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        p = factories.pegawai(cast.yankes, atasan=cast.atasan_pegawai)
        KegiatanEksternal.objects.create(
            pegawai=p, nama=f"Coaching {i}", jenis=14, penyelenggara="Dinkes", jumlah=2, jp=4,
            tanggal_mulai=today, tanggal_selesai=today, file="kegiatan/x.pdf",
            berkas_sha256=f"{start + i:064x}", berlaku_sampai=today + timedelta(days=30),
        )  # fmt: skip


@pytest.mark.parametrize(
    "url_name, role",
    [
        ("pelatihan:kegiatan_list", "pengelola"),
        ("pelatihan:kegiatan_berlaku", "pengelola"),
        ("pelatihan:kegiatan_verifikasi", "atasan"),
        ("pelatihan:aturan_jp_list", "admin"),
    ],
)
def test_the_lists_query_count_does_not_grow_with_the_rows(
    login, cast, url_name, role, django_assert_max_num_queries
):
    from tests.queries import cold_queries

    client = login(getattr(cast, role))
    _many(cast, 3, 0)
    with cold_queries() as small:
        assert client.get(reverse(url_name)).status_code == 200
    _many(cast, 30, 100)
    with django_assert_max_num_queries(12), cold_queries() as large:
        client.get(reverse(url_name))
    assert len(large) == len(small)


def test_a_quantity_beyond_what_one_activity_can_hold_is_refused(login, cast):
    aturan = AturanKonversiJP.objects.get(jenis=14)
    aturan.jp_per_satuan = Decimal("999.99")
    aturan.save()
    response = login(cast.pegawai).post(CREATE, coaching_data(jumlah="9999"))
    assert "Periksa jumlahnya" in response.context["form"].errors["jumlah"][0]
    assert not KegiatanEksternal.objects.exists()


def test_an_activity_that_has_not_ended_is_neither_recorded_nor_verified(login, cast):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(cast.pegawai).post(
        CREATE,
        coaching_data(tanggal_mulai=f"{tomorrow:%Y-%m-%d}", tanggal_selesai=f"{tomorrow:%Y-%m-%d}"),
    )
    assert "tanggal selesai tidak boleh setelah hari ini" in str(response.context["form"].errors)
    assert not KegiatanEksternal.objects.exists()
    # A claim filed before this rule, ending in the future, waits: verification is refused.
    kegiatan = claim(cast.pegawai_pegawai)
    KegiatanEksternal.objects.filter(pk=kegiatan.pk).update(tanggal_selesai=tomorrow)
    decide(login(cast.atasan), kegiatan)
    kegiatan.refresh_from_db()
    assert kegiatan.status == "diajukan"
    assert not CatatanJP.objects.exists()
