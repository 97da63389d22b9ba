"""NIP (PNS/CPNS) and NI PPPK: parsing, validation and display.

NIP layout, Perka BKN 22/2007 and 43/2007: YYYYMMDD YYYYMM G NNN, that is the birth date, the
month of first appointment as CPNS (TMT), gender (1 male, 2 female) and a sequence from 001.
NI PPPK is also 18 digits; only its digits, its birth date (digits 1-8) and uniqueness are checked.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

NIP_LENGTH = 18
MINIMUM_APPOINTMENT_AGE = 18
GENDER_BY_DIGIT = {"1": "L", "2": "P"}


@dataclass(frozen=True)
class NipInfo:
    tanggal_lahir: date
    tmt_cpns: date | None = None
    jenis_kelamin: str | None = None
    urutan: int | None = None


def normalize(value: str) -> str:
    """Digits only: NIPs are written grouped, '19660801 198803 1 001'."""
    return re.sub(r"[\s.\-]", "", str(value or ""))


def format_nip(nip: str) -> str:
    nip = normalize(nip)
    if len(nip) != NIP_LENGTH or not nip.isdigit():
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def _digits(value: str, label: str) -> str:
    nip = normalize(value)
    if not nip.isdigit():
        raise ValidationError(f"{label} hanya boleh berisi angka.", code="nip_digits")
    if len(nip) != NIP_LENGTH:
        raise ValidationError(
            f"{label} harus {NIP_LENGTH} digit, yang diisi {len(nip)} digit.", code="nip_length"
        )
    return nip


def _birth_date(nip: str, label: str) -> date:
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            f"Digit 1–8 {label} harus tanggal lahir yang sah (TTTTBBHH); {nip[:8]} bukan tanggal.",
            code="nip_birth_date",
        ) from None
    if born.year < 1900 or born > timezone.localdate():
        raise ValidationError(
            f"Tanggal lahir pada digit 1–8 {label} ({born:%d/%m/%Y}) tidak masuk akal.",
            code="nip_birth_date",
        )
    return born


def parse_nip(value: str) -> NipInfo:
    """Parse and validate a PNS/CPNS NIP; raise ValidationError with an Indonesian message."""
    nip = _digits(value, "NIP")
    born = _birth_date(nip, "NIP")
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            f"Digit 9–14 NIP harus tahun dan bulan TMT CPNS (TTTTBB); {nip[8:14]} bukan bulan "
            "yang sah.",
            code="nip_tmt",
        )
    tmt = date(year, month, 1)
    adult_on = date(born.year + MINIMUM_APPOINTMENT_AGE, born.month, 1)
    if tmt < adult_on:
        raise ValidationError(
            f"TMT CPNS pada digit 9–14 NIP ({month:02d}/{year}) harus pada usia 18 tahun atau "
            f"lebih; tanggal lahirnya {born:%d/%m/%Y}.",
            code="nip_tmt",
        )
    if tmt > timezone.localdate():
        raise ValidationError(
            f"TMT CPNS pada digit 9–14 NIP ({month:02d}/{year}) belum terjadi.", code="nip_tmt"
        )
    gender = GENDER_BY_DIGIT.get(nip[14])
    if gender is None:
        raise ValidationError(
            f"Digit ke-15 NIP adalah jenis kelamin: 1 (laki-laki) atau 2 (perempuan), bukan "
            f"{nip[14]}.",
            code="nip_gender",
        )
    sequence = int(nip[15:])
    if sequence < 1:
        raise ValidationError("Nomor urut NIP (digit 16–18) dimulai dari 001.", code="nip_sequence")
    return NipInfo(tanggal_lahir=born, tmt_cpns=tmt, jenis_kelamin=gender, urutan=sequence)


def parse_ni_pppk(value: str) -> NipInfo:
    """Parse and validate a NI PPPK: 18 digits starting with the birth date."""
    nip = _digits(value, "NI PPPK")
    return NipInfo(tanggal_lahir=_birth_date(nip, "NI PPPK"))
