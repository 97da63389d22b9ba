"""The rating rules of PermenPANRB 6/2022 cell by cell, written out by hand here (not read from
evaluasi.referensi), so that a changed number in the table fails a test: the predicate matrix,
each bound of the spread warnings on both sides, and the credit-point percent per predicate."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from evaluasi.models import PenilaianKinerja, PeriodePenilaian, predikat_for
from evaluasi.reports import peringatan
from pegawai.models import Jabatan

SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"


@pytest.mark.parametrize(
    ("hasil", "perilaku", "predikat"),
    [
        ("di_atas", "di_atas", SB), ("di_atas", "sesuai", B), ("di_atas", "di_bawah", K),
        ("sesuai", "di_atas", B), ("sesuai", "sesuai", B), ("sesuai", "di_bawah", K),
        ("di_bawah", "di_atas", BP), ("di_bawah", "sesuai", BP), ("di_bawah", "di_bawah", SK),
    ],
)  # fmt: skip
def test_each_cell_of_the_predicate_matrix(hasil, perilaku, predikat):
    assert predikat_for(hasil, perilaku) == predikat


def warned(counts: dict, organisasi: str) -> bool:
    return bool(peringatan(counts, organisasi))


@pytest.mark.parametrize(
    ("counts", "organisasi", "warns"),
    [
        # Istimewa: at most 70 % Sangat Baik.
        ({SB: 7, B: 3}, "istimewa", False),
        ({SB: 71, B: 29}, "istimewa", True),
        ({B: 10}, "istimewa", False),
        # Baik: at most 70 % Baik, and some Butuh Perbaikan or Kurang.
        ({B: 7, BP: 3}, "baik", False),
        ({B: 71, BP: 29}, "baik", True),
        ({B: 7, K: 3}, "baik", False),
        ({B: 6, SB: 4}, "baik", True),  # none below: warned
        ({B: 6, SB: 3, SK: 1}, "baik", True),  # Sangat Kurang is not "Butuh Perbaikan/Kurang"
        # Butuh Perbaikan: at least 60 % Butuh Perbaikan, at most 10 % Sangat Baik.
        ({BP: 6, B: 4}, "butuh_perbaikan", False),
        ({BP: 59, B: 41}, "butuh_perbaikan", True),
        ({BP: 51, B: 49}, "butuh_perbaikan", True),  # 50 % would pass a 50 % rule
        ({BP: 9, SB: 1}, "butuh_perbaikan", False),
        ({BP: 89, SB: 11}, "butuh_perbaikan", True),
        # No organisation predicate: nothing to check.
        ({SB: 10}, "", False),
    ],
)
def test_each_bound_of_the_spread_warnings(counts, organisasi, warns):
    assert warned(counts, organisasi) is warns


@pytest.mark.parametrize(
    ("predikat", "percent"), [(SB, 150), (B, 100), (BP, 75), (K, 50), (SK, 25)]
)
@pytest.mark.parametrize(
    ("jenjang", "koefisien"),
    [
        ("ahli_pertama", "12.5"), ("ahli_muda", "25"), ("ahli_madya", "37.5"),
        ("ahli_utama", "50"), ("pemula", "3.75"), ("terampil", "5"), ("mahir", "12.5"),
        ("penyelia", "25"),
    ],
)  # fmt: skip
def test_the_yearly_credit_is_the_coefficient_times_the_predicates_percent(
    predikat, percent, jenjang, koefisien
):
    rating = PenilaianKinerja(
        predikat=predikat,
        periode=PeriodePenilaian(jenis="tahunan"),
        jabatan=Jabatan(nama="Fungsional", jenis="fungsional", jenjang=jenjang),
    )
    expected = Decimal(koefisien) * percent / 100  # rounded half up to three places
    assert rating.angka_kredit == expected.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def test_a_quarter_earns_a_quarter_of_the_year():
    rating = PenilaianKinerja(
        predikat=K,
        periode=PeriodePenilaian(jenis="triwulan"),
        jabatan=Jabatan(nama="Fungsional", jenis="fungsional", jenjang="ahli_muda"),
    )
    assert rating.angka_kredit == Decimal("3.125")  # 25 × 50 % × 3/12


def test_a_month_earns_a_twelfth_of_the_year():
    rating = PenilaianKinerja(
        predikat=B,
        periode=PeriodePenilaian(jenis="bulanan"),
        jabatan=Jabatan(nama="Fungsional", jenis="fungsional", jenjang="ahli_utama"),
    )
    assert rating.angka_kredit == Decimal("4.167")  # 50 × 100 % × 1/12 = 4.1666…
