"""A service unit's measured impact (L4): hand-made survey answers, volumes and complaints in two
quarters before and two after an officer's training, and the figures worked out by hand."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masyarakat import rekap
from masyarakat.models import Masukan, ResponSurvei, UnitLayanan, VolumeLayanan
from masyarakat.reports import Triwulan
from pelatihan.models import Kompetensi, PelatihanKompetensi, Peserta
from pembinaan.dampak_layanan import dampak_layanan_pelatihan, dampak_unit_layanan
from tests import factories
from tests.queries import cold_queries

WIB = timezone.get_fixed_timezone(7 * 60)


def answers(default: int, **given) -> dict:
    return {f"u{n}": default for n in range(1, 10)} | given


def survey(layanan, triwulan: Triwulan, *rows: dict) -> None:
    """Responses on the quarter's tenth day, added to the monthly rollup as the services do."""
    made = ResponSurvei.objects.bulk_create(
        ResponSurvei(
            unit_layanan=layanan, tanggal=triwulan.mulai + timedelta(days=9), usia="30_39",
            jenis_kelamin="P", pendidikan="sma", pekerjaan="swasta", **row,
        )
        for row in rows
    )  # fmt: skip
    rekap.tambah(made)


def complaint(layanan, at: datetime, *, kategori="keluhan", status="diterima", alasan=""):
    masukan = Masukan.objects.create(
        unit_layanan=layanan, kategori=kategori, isi="Antrean lama", status=status,
        alasan_moderasi=alasan,
    )  # fmt: skip
    Masukan.objects.filter(pk=masukan.pk).update(created_at=at)  # received then


def training(kode: str, nama: str = "Pelayanan Prima"):
    pelatihan = factories.pelatihan(nama=nama)
    PelatihanKompetensi.objects.create(
        pelatihan=pelatihan, kompetensi=Kompetensi.objects.get(kode=kode), level=3
    )
    return pelatihan


def passed(pelatihan, pegawai, triwulan: Triwulan, *, lulus=True):
    """A finished batch in the middle of the quarter that the pegawai took."""
    start = triwulan.mulai + timedelta(days=40)
    batch = factories.angkatan(
        pelatihan, mulai=start, selesai=start + timedelta(days=4), status="selesai"
    )
    Peserta.objects.create(angkatan=batch, pegawai=pegawai, status="terdaftar", lulus=lulus)
    return batch


@pytest.fixture
def w(cast):
    """Batch in quarter T; before: T-2 and T-1; after: T+1 and T+2, the quarter before today's."""
    today = timezone.localdate()
    t = Triwulan.dari(today).geser(-3)
    b1, b2, a1, a2 = t.geser(-2), t.geser(-1), t.geser(1), t.geser(2)
    layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=cast.yankes)
    layanan.petugas.add(cast.pegawai_pegawai)
    pelatihan = training("M.01")  # M.01 is what U7 (perilaku pelaksana) maps to, alone
    passed(pelatihan, cast.pegawai_pegawai, t)
    survey(layanan, b1, answers(3), answers(3, u7=2))
    survey(layanan, b2, answers(3, u7=1), answers(2))
    survey(layanan, a1, answers(4), answers(3, u7=4))
    survey(layanan, a2, answers(3, u4=None))
    for q, jumlah in [(b1, 2), (b2, 1000), (a1, 2)]:  # a2 has no volume
        VolumeLayanan.objects.create(
            unit_layanan=layanan, tahun=q.tahun, triwulan=q.ke, jumlah=jumlah
        )
    noon = time(12, tzinfo=WIB)
    complaint(layanan, datetime.combine(b1.mulai, noon))
    complaint(layanan, datetime.combine(b1.mulai, noon), kategori="saran")  # not a complaint
    for _ in range(4):
        complaint(layanan, datetime.combine(b2.mulai, noon))
    # The quarter's last minutes and the next one's first, in WIB (UTC is 7 hours behind).
    complaint(layanan, datetime.combine(b2.akhir, time(23, 30, tzinfo=WIB)))
    complaint(layanan, datetime.combine(a1.mulai, time(0, 30, tzinfo=WIB)))
    complaint(layanan, datetime.combine(b2.mulai, noon), status="ditolak", alasan="Bukan keluhan")
    complaint(layanan, datetime.combine(b2.mulai, noon), status="spam", alasan="Iklan")
    for _ in range(3):
        complaint(layanan, datetime.combine(a2.mulai, noon))
    return SimpleNamespace(
        today=today, layanan=layanan, pelatihan=pelatihan, b1=b1, b2=b2, a1=a1, a2=a2
    )


def test_the_before_and_after_ikm_equal_the_hand_computation(w):
    [p] = dampak_unit_layanan(w.layanan, w.today)
    # Before, 4 respondents: U7 3+2+1+2 = 8, NRR 2; the other eight elements 3+3+3+2 = 11,
    # NRR 2.75. IKM = (8 × 2.75 + 2) / 9 = 24/9; × 25 = 66.666… → 66.67.
    assert p.sebelum.hasil.responden == 4
    assert p.sebelum.hasil.konversi == Decimal("66.67")
    # After, 3 respondents: U7 4+4+3 = 11, NRR 3.67; U4 answered twice, 4+3 = 7, NRR 3.5; the
    # other seven 4+3+3 = 10, NRR 10/3. IKM = (70/3 + 7/2 + 11/3) / 9 = 30.5/9; × 25 = 84.72.
    assert p.sesudah.hasil.konversi == Decimal("84.72")
    assert p.selisih_konversi == Decimal("18.05")
    assert p.unsur == ["u7"]
    assert p.nrr == [("u7", "Perilaku pelaksana", Decimal("2.00"), Decimal("3.67"),
                      Decimal("1.67"))]  # fmt: skip
    # One quarter alone: B1, U7 (3+2)/2 = 2.5, the others 3: (8 × 3 + 2.5) / 9 × 25 = 73.61.
    assert p.sebelum.kuartal[0].hasil.konversi == Decimal("73.61")
    assert [k.triwulan for k in p.sebelum.kuartal + p.sesudah.kuartal] == [w.b1, w.b2, w.a1, w.a2]
    assert p.petugas == ["Budi Pegawai"]


def test_complaints_per_thousand_services_equal_the_hand_computation(w):
    [p] = dampak_unit_layanan(w.layanan, w.today)
    before, after = p.sebelum.kuartal, p.sesudah.kuartal
    # The rejected one, the spam and the suggestion are not counted; 23:30 WIB on the quarter's
    # last day is still that quarter, 00:30 WIB on the first day the next one.
    assert [k.keluhan for k in before + after] == [1, 5, 1, 3]
    assert [k.per_seribu for k in before + after] == [
        Decimal("500.00"), Decimal("5.00"), Decimal("500.00"), None
    ]  # fmt: skip
    # Before: (1 + 5) / (2 + 1000) × 1000 = 5.988… → 5.99. After: only A1 has a volume,
    # 1 / 2 × 1000 = 500.
    assert p.sebelum.per_seribu == Decimal("5.99")
    assert p.sesudah.per_seribu == Decimal("500.00")
    assert p.selisih_per_seribu == Decimal("494.01")


def test_sample_adequacy_and_missing_volume_are_said_per_quarter(w):
    [p] = dampak_unit_layanan(w.layanan, w.today)
    rows = p.sebelum.kuartal + p.sesudah.kuartal
    # Krejcie–Morgan: 2 services need 2 answers; 1000 need 278, B2 has 2.
    assert [(k.responden, k.minimum) for k in rows] == [(2, 2), (2, 278), (2, 2), (1, None)]
    assert [k.kecukupan for k in rows] == [
        "memadai", "sampel belum memadai", "memadai", "volume belum diisi"
    ]  # fmt: skip
    assert p.sebelum.catatan == ["sampel belum memadai"]
    assert p.sesudah.catatan == ["volume belum diisi"]


def test_quarters_that_have_not_ended_do_not_count_yet(w):
    [p] = dampak_unit_layanan(w.layanan, w.a1.akhir)  # A1 ends today
    assert len(p.sebelum.kuartal) == 2
    assert p.sesudah.kuartal == []
    assert p.sesudah.catatan == ["belum ada triwulan sesudah pelatihan"]
    assert p.sesudah.hasil.konversi is None
    assert p.selisih_konversi is None
    [p] = dampak_unit_layanan(w.layanan, w.a2.mulai)
    assert p.sesudah.catatan == ["baru 1 dari 2 triwulan yang sudah berakhir"]


def test_an_officer_who_did_not_pass_makes_no_event(cast):
    layanan = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.yankes)
    layanan.petugas.add(cast.pegawai_pegawai)
    today = timezone.localdate()
    passed(training("M.05"), cast.pegawai_pegawai, Triwulan.dari(today).geser(-3), lulus=False)
    assert dampak_unit_layanan(layanan, today) == []


def test_a_training_without_a_competency_the_ikm_maps_to_makes_no_event(cast):
    layanan = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.yankes)
    layanan.petugas.add(cast.pegawai_pegawai)
    today = timezone.localdate()
    passed(training("M.02"), cast.pegawai_pegawai, Triwulan.dari(today).geser(-3))
    assert dampak_unit_layanan(layanan, today) == []


def test_a_pass_by_someone_who_is_not_the_units_officer_makes_no_event(cast):
    layanan = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.yankes)
    layanan.petugas.add(cast.atasan_pegawai)
    today = timezone.localdate()
    passed(training("M.05"), cast.pegawai_pegawai, Triwulan.dari(today).geser(-3))
    assert dampak_unit_layanan(layanan, today) == []


def test_the_training_view_lists_the_units_the_user_may_see(w, cast):
    [p] = dampak_layanan_pelatihan(w.pelatihan, w.today, UnitLayanan.objects.all())
    assert (p.unit_layanan, p.sebelum.hasil.konversi, p.sesudah.hasil.konversi) == (
        w.layanan, Decimal("66.67"), Decimal("84.72")
    )  # fmt: skip
    assert p.sebelum.per_seribu == Decimal("5.99")
    hidden = UnitLayanan.objects.exclude(pk=w.layanan.pk)
    assert dampak_layanan_pelatihan(w.pelatihan, w.today, hidden) == []


def grow(w, cast, n: int) -> None:
    """n more officers, each through another targeted training, and more answers and volumes."""
    for i in range(n):
        officer = factories.pegawai(cast.yankes, nama=f"Petugas {i}")
        w.layanan.petugas.add(officer)
        passed(training("M.05", nama=f"Pelatihan {i}"), officer, w.b2)
        earlier = w.b1.geser(-1 - i)
        survey(w.layanan, earlier, answers(4))
        VolumeLayanan.objects.create(
            unit_layanan=w.layanan, tahun=earlier.tahun, triwulan=earlier.ke, jumlah=10 + i
        )


def test_its_queries_do_not_grow_with_the_events_and_quarters(w, cast):
    with CaptureQueriesContext(connection) as small:
        found = dampak_unit_layanan(w.layanan, w.today)
        [p.sebelum.hasil for p in found]
    grow(w, cast, 3)
    with CaptureQueriesContext(connection) as large:
        found = dampak_unit_layanan(w.layanan, w.today)
        [p.sebelum.hasil for p in found]
    assert len(found) == 4
    assert len(large) == len(small)
    with CaptureQueriesContext(connection) as one:
        dampak_layanan_pelatihan(w.pelatihan, w.today, UnitLayanan.objects.all())
    other = UnitLayanan.objects.create(nama="Loket", kode="loket", unit=cast.yankes)
    other.petugas.add(cast.pegawai_pegawai)
    with CaptureQueriesContext(connection) as two:
        assert len(dampak_layanan_pelatihan(w.pelatihan, w.today, UnitLayanan.objects.all())) == 2
    assert len(two) == len(one)


def test_the_page_shows_the_quarters_and_costs_the_same_at_two_sizes(w, cast, login):
    client = login(cast.pengelola)
    url = reverse("pembinaan:dampak_layanan", args=[w.layanan.pk])
    with cold_queries() as small:
        response = client.get(url)
    html = response.content.decode()
    assert w.b1.label in html and w.a2.label in html
    assert "sampel belum memadai" in html and "volume belum diisi" in html
    assert "66,67" in html and "84,72" in html and "18,05" in html and "5,99" in html
    grow(w, cast, 3)
    with cold_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_the_page_is_for_its_units_hr_the_province_and_administrators(w, cast_lengkap, login):
    url = reverse("pembinaan:dampak_layanan", args=[w.layanan.pk])
    seen = {}
    for role in ["pengelola", "provinsi", "admin", "pengelola_lain", "pegawai", "atasan"]:
        seen[role] = login(getattr(cast_lengkap, role)).get(url).status_code
    assert seen == {"pengelola": 200, "provinsi": 200, "admin": 200, "pengelola_lain": 404,
                    "pegawai": 403, "atasan": 403}  # fmt: skip


def test_the_training_panel_shows_the_service_units_its_reader_manages(w, cast, client):
    url = reverse("pembinaan:dampak_pelatihan", args=[w.pelatihan.pk])
    client.force_login(cast.pengelola)  # Dinas Kesehatan's HR: Poli Umum is theirs
    panel = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Poli Umum" in panel and "66,67" in panel and "84,72" in panel and "+18,05" in panel
    other = factories.user("pengelola_bkd")
    cast.bkd.pengelola.add(other)
    client.force_login(other)  # another OPD's HR reads the training's impact, not this unit's
    panel = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Dampak pelatihan (L4)" in panel and "Poli Umum" not in panel


def test_a_volume_below_the_respondents_is_flagged_not_called_adequate(w):
    VolumeLayanan.objects.filter(unit_layanan=w.layanan, tahun=w.a1.tahun, triwulan=w.a1.ke).update(
        jumlah=1
    )  # two respondents in a quarter of one service: a mistyped volume
    [p] = dampak_unit_layanan(w.layanan, w.today)
    first_after = p.sesudah.kuartal[0]
    assert first_after.kecukupan == "volume lebih kecil dari jumlah responden"
    assert "volume lebih kecil dari jumlah responden" in p.sesudah.catatan
