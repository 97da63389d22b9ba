"""The API's reads: each endpoint shows what the pages show the HR of the token's units, no
more (a token of one OPD never sees another's pegawai), page by page without gaps, with a query
count that does not grow with the rows."""

import base64
from datetime import date

import pytest
from django.urls import reverse

from masyarakat import rekap
from masyarakat.models import ResponSurvei, UnitLayanan
from masyarakat.referensi import KEYS
from pegawai.models import RiwayatGolongan, RiwayatMutasi
from pelatihan import services as pelatihan_services
from pelatihan.models import CatatanJP, Peserta
from pembinaan.models import KlienApi
from tests import factories
from tests.queries import cold_queries

from .api_helpers import ApiClient, token_for

YEAR = 2026


@pytest.fixture
def dinkes(cast):
    """A client of Dinas Kesehatan (with Bidang Yankes below it)."""
    return ApiClient(token_for(cast.admin, cast.dinkes))


@pytest.fixture
def bkd(cast):
    return ApiClient(token_for(cast.admin, cast.bkd))


def nips(rows) -> set[str]:
    return {row["nip"] for row in rows}


def test_a_token_of_one_opd_reads_its_pegawai_and_never_another_opds(cast, dinkes, bkd):
    mine = dinkes.all_pages(reverse("api:pegawai_list"))
    assert nips(mine) == {cast.pegawai_pegawai.nip, cast.atasan_pegawai.nip}
    theirs = bkd.all_pages(reverse("api:pegawai_list"))
    assert nips(theirs) == {cast.outsider_pegawai.nip}


def test_a_pegawai_of_another_opd_is_not_found_by_nip(cast, dinkes):
    response = dinkes.get(reverse("api:pegawai_detail", args=[cast.outsider_pegawai.nip]))
    assert response.status_code == 404
    assert response.json()["galat"]["kode"] == "tidak_ditemukan"


def test_a_unit_covers_its_subtree_and_a_subunit_token_not_its_parent(cast):
    yankes = ApiClient(token_for(cast.admin, cast.yankes))
    factories.pegawai(cast.dinkes, nama="Di Dinas")  # above Yankes: not Yankes's
    rows = yankes.all_pages(reverse("api:pegawai_list"))
    assert nips(rows) == {cast.pegawai_pegawai.nip, cast.atasan_pegawai.nip}
    units = yankes.all_pages(reverse("api:unit_kerja_list"))
    assert [u["kode"] for u in units] == ["DINKES.YANKES"]


def test_the_unit_list_names_each_units_parent(cast, dinkes):
    units = dinkes.all_pages(reverse("api:unit_kerja_list"))
    assert [(u["kode"], u["induk"]) for u in units] == [
        ("DINKES", None), ("DINKES.YANKES", cast.dinkes.pk)
    ]  # fmt: skip


def test_a_pegawai_comes_with_their_career_history(cast, dinkes):
    pegawai = cast.pegawai_pegawai
    RiwayatGolongan.objects.create(
        pegawai=pegawai, golongan_id=33, tmt=date(2023, 4, 1), nomor_sk="800/9"
    )
    RiwayatMutasi.objects.create(
        pegawai=pegawai, unit_asal=cast.bkd, unit_tujuan=cast.yankes, tmt=date(2024, 1, 2)
    )
    body = dinkes.get(reverse("api:pegawai_detail", args=[pegawai.nip])).json()
    assert body["nip"] == pegawai.nip and body["unit"]["kode"] == "DINKES.YANKES"
    assert body["atasan_nip"] == cast.atasan_pegawai.nip
    assert [(r["golongan"]["ruang"], r["nomor_sk"]) for r in body["riwayat_golongan"]] == [
        ("III/c", "800/9")
    ]
    assert body["riwayat_mutasi"][0]["unit_asal"]["kode"] == "BKD"
    assert body["riwayat_jabatan"] == [] and body["riwayat_pendidikan"] == []


def test_the_nip_may_be_written_grouped(cast, dinkes):
    nip = cast.pegawai_pegawai.nip
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert dinkes.get(reverse("api:pegawai_detail", args=[grouped])).status_code == 200


def test_a_filter_by_a_unit_outside_the_token_is_not_found(cast, dinkes):
    response = dinkes.get(reverse("api:pegawai_list"), {"unit": cast.bkd.pk})
    assert response.status_code == 404
    rows = dinkes.all_pages(reverse("api:pegawai_list"), {"unit": cast.yankes.pk})
    assert len(rows) == 2


# --- Trainings ------------------------------------------------------------------------------


@pytest.fixture
def batches(cast):
    """A batch organised by Dinkes with the pegawai and the outsider; one by BKD with the
    outsider only; the pegawai passed Dinkes's."""
    dinkes_batch = factories.angkatan(kuota=5)
    bkd_batch = factories.angkatan(
        factories.pelatihan("Manajemen Arsip", unit_penyelenggara=cast.bkd),
        kuota=5, mulai=date(2026, 4, 6), selesai=date(2026, 4, 10),
    )  # fmt: skip
    mine = pelatihan_services.peserta_nominate(angkatan=dinkes_batch, pegawai=cast.pegawai_pegawai)
    guest = pelatihan_services.peserta_nominate(
        angkatan=dinkes_batch, pegawai=cast.outsider_pegawai
    )
    theirs = pelatihan_services.peserta_nominate(angkatan=bkd_batch, pegawai=cast.outsider_pegawai)
    Peserta.objects.filter(pk=mine.pk).update(nilai_post=90)
    dinkes_batch.status = "berjalan"
    dinkes_batch.save()
    for sesi in dinkes_batch.sesi.all():
        pelatihan_services.kehadiran_record(sesi=sesi, hadir={mine.pk})
    pelatihan_services.peserta_decide(peserta=Peserta.objects.get(pk=mine.pk), lulus=True)
    return {"mine": mine, "guest": guest, "theirs": theirs, "dinkes": dinkes_batch}


def test_participations_are_the_tokens_pegawai_and_its_own_batches(cast, dinkes, bkd, batches):
    rows = dinkes.all_pages(reverse("api:peserta_list"))
    # Dinkes organises its batch: it sees the guest from BKD too, never BKD's own batch.
    assert {r["id"] for r in rows} == {batches["mine"].pk, batches["guest"].pk}
    passed = next(r for r in rows if r["id"] == batches["mine"].pk)
    assert passed["lulus"] is True and passed["sertifikat"]["nomor"]
    assert passed["sertifikat"]["url_verifikasi"].endswith(
        reverse("verifikasi", args=[passed["sertifikat"]["kode"]])
    )
    # BKD sees its pegawai in both batches, and nobody of Dinkes.
    theirs = bkd.all_pages(reverse("api:peserta_list"))
    assert {r["id"] for r in theirs} == {batches["guest"].pk, batches["theirs"].pk}


def test_certificates_follow_the_participations_read(cast, dinkes, bkd, batches):
    rows = dinkes.all_pages(reverse("api:sertifikat_list"))
    assert [r["nip"] for r in rows] == [cast.pegawai_pegawai.nip]
    assert bkd.all_pages(reverse("api:sertifikat_list")) == []


def test_the_catalogue_of_trainings_and_batches_is_read_by_every_token(dinkes, batches):
    names = {r["nama"] for r in dinkes.all_pages(reverse("api:pelatihan_list"))}
    assert names == {"Sistem Informasi Kesehatan", "Manajemen Arsip"}
    assert len(dinkes.all_pages(reverse("api:angkatan_list"))) == 2
    rows = dinkes.all_pages(reverse("api:angkatan_list"), {"status": "berjalan"})
    assert [r["id"] for r in rows] == [batches["dinkes"].pk]


# --- JP -------------------------------------------------------------------------------------


def test_the_jp_ledger_sums_a_pegawais_year_as_the_compliance_page(cast, dinkes):
    factories.catatan_jp(cast.pegawai_pegawai, 12, year=YEAR)
    factories.catatan_jp(cast.pegawai_pegawai, 9, year=YEAR)
    factories.catatan_jp(cast.atasan_pegawai, 30, year=YEAR - 1)
    rows = {r["nip"]: r for r in dinkes.all_pages(reverse("api:jp_list"), {"tahun": YEAR})}
    assert rows[cast.pegawai_pegawai.nip]["jp"] == 21
    assert rows[cast.pegawai_pegawai.nip]["memenuhi"] is True
    assert rows[cast.atasan_pegawai.nip]["jp"] == 0
    assert rows[cast.atasan_pegawai.nip]["memenuhi"] is False
    entries = dinkes.all_pages(reverse("api:catatan_jp_list"), {"tahun": YEAR})
    assert sorted(e["jp"] for e in entries) == [9, 12]
    assert all(e["sumber"] == "kegiatan_eksternal" for e in entries)
    kepatuhan = dinkes.get(reverse("api:jp_kepatuhan"), {"tahun": YEAR}).json()
    assert kepatuhan | {"persen_patuh": None} == {
        "tahun": YEAR, "target_jp_pns": 20, "batas_jp_pppk": 24, "pns": 2, "pns_patuh": 1,
        "persen_patuh": None, "pppk": 0, "pppk_lebih": 0,
    }  # fmt: skip
    assert kepatuhan["persen_patuh"] == pytest.approx(50)


def test_another_opds_ledger_is_not_read(cast, bkd):
    factories.catatan_jp(cast.pegawai_pegawai, 12, year=YEAR)
    assert bkd.all_pages(reverse("api:catatan_jp_list"), {"tahun": YEAR}) == []
    assert bkd.get(reverse("api:jp_kepatuhan"), {"tahun": YEAR}).json()["pns"] == 1


def test_a_year_that_is_no_year_is_a_validation_error(dinkes):
    response = dinkes.get(reverse("api:jp_list"), {"tahun": "dua ribu"})
    assert response.status_code == 400
    assert response.json()["galat"]["rincian"]["bidang"]["tahun"] == [
        "Isi bilangan bulat 2000–2100."
    ]


# --- IKM and SIASN --------------------------------------------------------------------------


def respond(layanan, day, value, n):
    rows = ResponSurvei.objects.bulk_create(
        ResponSurvei(unit_layanan=layanan, tanggal=day, usia="30_39", jenis_kelamin="L",
                     pendidikan="s1", pekerjaan="swasta", **dict.fromkeys(KEYS, value))
        for _ in range(n)
    )  # fmt: skip
    rekap.tambah(rows)


def test_the_ikm_of_each_service_unit_of_the_token_over_a_quarter(cast, dinkes, bkd):
    poli = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=cast.yankes)
    loket = UnitLayanan.objects.create(nama="Loket BKD", kode="loket", unit=cast.bkd)
    respond(poli, date(2026, 2, 10), 4, 30)
    respond(poli, date(2026, 5, 10), 1, 10)  # the next quarter: not counted
    respond(loket, date(2026, 2, 10), 2, 5)
    rows = dinkes.all_pages(reverse("api:ikm_list"), {"jenis": "triwulan", "tahun": 2026, "ke": 1})
    assert len(rows) == 1
    row = rows[0]
    assert (row["nama"], row["responden"], row["konversi"], row["mutu"]) == (
        "Poli Umum", 30, "100.00", "A"
    )  # fmt: skip
    assert row["nrr"]["u1"] == "4.00" and (row["mulai"], row["akhir"]) == (
        "2026-01-01",
        "2026-03-31",
    )
    assert [r["nama"] for r in bkd.all_pages(reverse("api:ikm_list"))] == ["Loket BKD"]


def test_siasn_riwayat_kursus_in_siasns_field_names(cast, dinkes, bkd, batches):
    rows = dinkes.all_pages(reverse("api:siasn_riwayat_kursus"), {"tahun": 2026})
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [
        "nip", "namaKursus", "jenisDiklatId", "institusiPenyelenggara", "jumlahJam",
        "tanggalKursus", "tanggalSelesaiKursus", "nomorSertipikat", "tahunKursus",
    ]  # fmt: skip
    assert row["nip"] == cast.pegawai_pegawai.nip and row["jumlahJam"] == 24
    assert row["tanggalKursus"] == "02-03-2026" and row["tahunKursus"] == 2026
    # The guest of Dinkes's batch is BKD's pegawai: BKD reports them, not Dinkes (no pass yet).
    assert bkd.all_pages(reverse("api:siasn_riwayat_kursus"), {"tahun": 2026}) == []


# --- Pages ----------------------------------------------------------------------------------


def test_pages_follow_one_another_without_a_row_missing_or_repeated(cast, dinkes):
    for i in range(23):
        factories.pegawai(cast.yankes, nama=f"Pegawai Halaman {i}")
    first = dinkes.get(reverse("api:pegawai_list"), {"ukuran": 5}).json()
    assert len(first["hasil"]) == 5 and first["sebelumnya"] is None
    rows = dinkes.all_pages(reverse("api:pegawai_list"), {"ukuran": 5})
    expected = {cast.pegawai_pegawai.nip, cast.atasan_pegawai.nip} | set(
        cast.yankes.pegawai.values_list("nip", flat=True)
    )
    assert len(rows) == len(expected) == 25
    assert nips(rows) == expected
    assert [r["nip"] for r in rows] == sorted(r["nip"] for r in rows)


def test_a_tampered_cursor_is_refused_in_the_error_shape(dinkes):
    response = dinkes.get(reverse("api:pegawai_list"), {"kursor": "bukan-kursor"})
    assert response.status_code == 404
    assert response.json()["galat"]["pesan"].startswith("Kursor tidak valid")


# Lists ordered by id, then those ordered by a text (a path, a NIP), where only a NUL is no text.
BY_ID = [
    "pelatihan_list", "angkatan_list", "peserta_list", "sertifikat_list", "catatan_jp_list",
    "ikm_list", "siasn_riwayat_kursus",
]  # fmt: skip
BY_TEXT = ["unit_kerja_list", "pegawai_list", "jp_list"]


@pytest.mark.parametrize(
    ("name", "position"),
    [(n, p) for n in BY_ID for p in ["abc", "1e999", "9" * 30, "1%00"]]
    + [(n, p) for n in BY_TEXT + BY_ID for p in ["%00", "19%00"]],
)
def test_a_cursor_rewritten_to_a_position_of_the_wrong_type_is_refused(dinkes, name, position):
    kursor = base64.b64encode(f"p={position}".encode()).decode()
    response = dinkes.get(reverse(f"api:{name}"), {"kursor": kursor})
    assert response.status_code == 404
    assert response.json()["galat"]["kode"] == "tidak_ditemukan"
    assert response.json()["galat"]["pesan"].startswith("Kursor tidak valid")


def _grow(cast, n, tag):
    """n more of everything the lists show, in the Dinkes client's scope."""
    batch = factories.angkatan(kuota=50)
    for i in range(n):
        p = factories.pegawai(cast.yankes, nama=f"Tambahan {tag}{i}")
        factories.catatan_jp(p, 5, year=YEAR)
        RiwayatGolongan.objects.create(pegawai=p, golongan_id=33, tmt=date(2023, 4, 1))
        pelatihan_services.peserta_nominate(angkatan=batch, pegawai=p)
        UnitLayanan.objects.create(nama=f"Layanan {tag}{i}", kode=f"l-{tag}{i}", unit=cast.yankes)
        factories.unit(f"DINKES.{tag}{i}", parent=cast.dinkes)


def unused():
    """Both measurements write the token's last use (once a minute), or neither would."""
    KlienApi.objects.update(terakhir_dipakai_at=None)


ENDPOINTS = [
    ("api:unit_kerja_list", {}), ("api:pegawai_list", {}), ("api:pelatihan_list", {}),
    ("api:angkatan_list", {}), ("api:peserta_list", {}), ("api:sertifikat_list", {}),
    ("api:jp_list", {"tahun": YEAR}), ("api:catatan_jp_list", {"tahun": YEAR}),
    ("api:ikm_list", {}), ("api:siasn_riwayat_kursus", {"tahun": YEAR}),
]  # fmt: skip


@pytest.mark.parametrize("name,params", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_a_page_costs_the_same_queries_at_two_sizes(cast, dinkes, batches, name, params):
    def count() -> int:
        unused()
        with cold_queries() as captured:
            response = dinkes.get(reverse(name), params)
        assert response.status_code == 200
        return len(captured)

    _grow(cast, 3, "a")
    small = count()
    _grow(cast, 30, "b")
    assert count() == small


def test_a_pegawai_with_many_history_rows_costs_the_same_queries(cast, dinkes):
    pegawai = cast.pegawai_pegawai
    url = reverse("api:pegawai_detail", args=[pegawai.nip])
    RiwayatGolongan.objects.create(pegawai=pegawai, golongan_id=31, tmt=date(2012, 4, 1))
    RiwayatMutasi.objects.create(
        pegawai=pegawai, unit_asal=cast.yankes, unit_tujuan=cast.bkd, tmt=date(2012, 5, 1)
    )
    unused()
    with cold_queries() as small:
        dinkes.get(url)
    for year, kode in [(2016, 32), (2020, 33), (2024, 34)]:
        RiwayatGolongan.objects.create(pegawai=pegawai, golongan_id=kode, tmt=date(year, 4, 1))
        RiwayatMutasi.objects.create(
            pegawai=pegawai, unit_tujuan=cast.yankes, unit_asal=cast.bkd, tmt=date(year, 5, 1)
        )
    unused()
    with cold_queries() as large:
        dinkes.get(url)
    assert len(large) == len(small)


def test_ledger_rows_are_counted_whatever_their_number(cast, dinkes):
    for _ in range(3):
        factories.catatan_jp(cast.pegawai_pegawai, 1, year=YEAR)
    rows = dinkes.all_pages(reverse("api:catatan_jp_list"), {"tahun": YEAR, "ukuran": 2})
    assert len(rows) == CatatanJP.objects.count() == 3
