"""Paper IKM questionnaires imported from CSV or XLSX: one row per respondent, columns u1–u9
(empty where not answered) and the respondent data. Every bad row is named; nothing is written
unless every row is valid."""

from dataclasses import dataclass, field

from pembinaan.lib.params import parse_int
from pembinaan.lib.tabular import cell_text

from .models import ResponSurvei
from .referensi import KEYS, PEKERJAAN, PENDIDIKAN, USIA

KOLOM = ["usia", "jenis_kelamin", "pendidikan", "pekerjaan", *KEYS, "saran"]
CONTOH = [
    "34",
    "P",
    "s1",
    "swasta",
    "4",
    "3",
    "3",
    "",
    "4",
    "4",
    "4",
    "3",
    "3",
    "Antrean lebih tertib",
]
AGE_BANDS = [(20, "u_20"), (30, "20_29"), (40, "30_39"), (50, "40_49"), (60, "50_59")]


@dataclass
class HasilImpor:
    respon: list[ResponSurvei] = field(default_factory=list)
    kesalahan: list[tuple[int, str, str]] = field(default_factory=list)


def _usia(value: str) -> str | None:
    if value in dict(USIA):
        return value
    age = parse_int(value, low=10, high=110)
    if age is None:
        return None
    return next((key for limit, key in AGE_BANDS if age < limit), "60")


def baca(header: list[str], rows: list[list], *, unit_layanan, tanggal) -> HasilImpor:
    result = HasilImpor()
    missing = [k for k in KOLOM if k != "saran" and k not in header]
    if missing:
        result.kesalahan = [(1, k, f"Kolom '{k}' tidak ada di baris judul.") for k in missing]
        return result
    index = {name: i for i, name in enumerate(header)}
    choices = {"pendidikan": dict(PENDIDIKAN), "pekerjaan": dict(PEKERJAAN)}
    for number, row in enumerate(rows, start=2):
        values = {
            k: cell_text(row[index[k]]) if k in index and index[k] < len(row) else "" for k in KOLOM
        }
        if not any(values.values()):
            continue
        errors = []
        usia = _usia(values["usia"])
        if usia is None:
            errors.append(("usia", "Isi umur dalam tahun (mis. 34) atau kode kelompok usia."))
        gender = values["jenis_kelamin"].upper()
        if gender not in ("L", "P"):
            errors.append(("jenis_kelamin", "Isi L atau P."))
        for name in ("pendidikan", "pekerjaan"):
            if values[name].lower() not in choices[name]:
                errors.append((name, f"Isi salah satu: {', '.join(choices[name])}."))
        answers = {}
        for key in KEYS:
            text = values[key]
            if text == "":
                answers[key] = None
            elif text in ("1", "2", "3", "4"):
                answers[key] = int(text)
            else:
                errors.append(
                    (key, f"Jawaban '{text}' tidak sah; isi 1, 2, 3 atau 4, atau kosongkan.")
                )
        if errors:
            result.kesalahan += [(number, column, message) for column, message in errors]
            continue
        result.respon.append(
            ResponSurvei(
                unit_layanan=unit_layanan,
                tanggal=tanggal,
                usia=usia,
                jenis_kelamin=gender,
                pendidikan=values["pendidikan"].lower(),
                pekerjaan=values["pekerjaan"].lower(),
                saran=values["saran"][:2000],
                sumber=ResponSurvei.Sumber.KERTAS,
                **answers,
            )
        )
    return result
