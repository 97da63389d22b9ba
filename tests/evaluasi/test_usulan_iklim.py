"""The development each low work-climate dimension proposes, written out by hand here (not read
from evaluasi.referensi): who is to be developed, how, the SIASN jenisDiklat codes and the
competencies (PermenPANRB 38/2017) the training-needs analysis takes in."""

import pytest

from evaluasi.reports import KelompokIklim

DIMENSIONS = ["peran", "atasan", "pengakuan", "berkembang", "beban", "kerja_sama"]


def usulan_for(lowest: tuple[str, str]) -> list[dict]:
    skor = dict.fromkeys(DIMENSIONS, 4.0) | {lowest[0]: 1.0, lowest[1]: 2.0}
    group = KelompokIklim(unit=None, digabung=[], responden=5, skor=skor)
    return [
        (u["dimensi"], u["label"], u["sasaran"], u["uraian"], u["jenis"], u["kompetensi"])
        for u in group.usulan
    ]


@pytest.mark.parametrize(
    ("lowest", "expected"),
    [
        (
            ("peran", "atasan"),
            [
                ("peran", "Kejelasan peran", "atasan dan pegawai",
                 "Bimtek penyusunan SKP dan uraian tugas", [8], ["M.04"]),
                ("atasan", "Dukungan atasan", "para atasan",
                 "Coaching dan mentoring bagi atasan", [14, 15], ["M.06"]),
            ],
        ),
        (
            ("pengakuan", "berkembang"),
            [
                ("pengakuan", "Pengakuan", "para atasan", "Manajemen kinerja dan umpan balik",
                 [5], ["M.06", "M.01"]),
                ("berkembang", "Kesempatan berkembang", "pengelola kepegawaian",
                 "Rencana pengembangan kompetensi unit", [3], ["M.06"]),
            ],
        ),
        (
            ("beban", "kerja_sama"),
            [
                ("beban", "Beban kerja", "pimpinan unit",
                 "Analisis beban kerja dan mengelola perubahan", [8], ["M.07"]),
                ("kerja_sama", "Kerja sama", "seluruh pegawai", "Kerja sama dan komunikasi tim",
                 [6, 19], ["M.02", "M.03"]),
            ],
        ),
    ],
)  # fmt: skip
def test_each_low_dimension_proposes_its_own_development(lowest, expected):
    assert usulan_for(lowest) == expected
