from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from pegawai.nip import format_nip, normalize, parse_ni_pppk, parse_nip


def test_it_parses_the_example_nip_of_the_regulation():
    info = parse_nip("19660801 198803 1 001")
    assert info.tanggal_lahir == date(1966, 8, 1)
    assert info.tmt_cpns == date(1988, 3, 1)
    assert info.jenis_kelamin == "L"
    assert info.urutan == 1


def test_it_reads_gender_two_as_female():
    assert parse_nip("199204082019032012").jenis_kelamin == "P"


def test_it_accepts_dots_and_dashes_as_separators():
    assert normalize("19660801.198803-1 001") == "196608011988031001"


def test_it_displays_a_nip_grouped():
    assert format_nip("196608011988031001") == "19660801 198803 1 001"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("19660801198803100", "harus 18 digit, yang diisi 17"),
        ("1966080119880310011", "harus 18 digit, yang diisi 19"),
        ("19660801198803100A", "hanya boleh berisi angka"),
        ("19661301198803 1 001", "bukan tanggal"),
        ("19660230198803 1 001", "bukan tanggal"),
        ("19660801198813 1 001", "bukan bulan yang sah"),
        ("19660801198000 1 001", "bukan bulan yang sah"),
        ("19660801198003 1 001", "usia 18 tahun"),
        ("19660801209903 1 001", "belum terjadi"),
        ("19660801198803 3 001", "Digit ke-15"),
        ("19660801198803 0 001", "Digit ke-15"),
        ("19660801198803 1 000", "dimulai dari 001"),
        ("18990101192003 1 001", "tidak masuk akal"),
    ],
)
def test_it_rejects_each_kind_of_invalid_nip_with_a_message_that_says_why(value, fragment):
    with pytest.raises(ValidationError) as error:
        parse_nip(value)
    assert fragment in error.value.messages[0]


def test_it_accepts_appointment_in_the_month_the_pegawai_turns_eighteen():
    assert parse_nip("19700815198808 1 001").tmt_cpns == date(1988, 8, 1)


def test_a_ni_pppk_needs_only_digits_and_a_birth_date():
    assert parse_ni_pppk("199001152022041001").tanggal_lahir == date(1990, 1, 15)
    with pytest.raises(ValidationError):
        parse_ni_pppk("199013152022041001")


def test_it_refuses_appointment_in_the_month_before_the_pegawai_turns_eighteen():
    # Born 15 August 1970: July 1988 is at 17 years and 11 months, August 1988 at 18.
    with pytest.raises(ValidationError, match="usia 18 tahun"):
        parse_nip("19700815198807 1 001")
    assert parse_nip("19700815198808 1 001").tmt_cpns == date(1988, 8, 1)


def test_a_tmt_in_this_wib_month_has_happened_whatever_zone_the_process_runs_in(time_machine):
    # 1 January 06:30 WIB, 31 December 23:30 UTC; the process's own zone is UTC.
    time_machine.move_to(datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert parse_nip("19900101 202701 1 001").tmt_cpns == date(2027, 1, 1)


@pytest.mark.parametrize("value", ["19660801198803100", "1966080119880310011"])
def test_it_displays_a_nip_of_the_wrong_length_as_typed(value):
    assert format_nip(value) == value


@pytest.mark.parametrize(
    ("value", "tmt"),
    [("19660801198801 1 001", date(1988, 1, 1)), ("19660801198812 1 001", date(1988, 12, 1))],
)
def test_it_accepts_appointment_in_january_and_in_december(value, tmt):
    assert parse_nip(value).tmt_cpns == tmt


def test_it_accepts_a_birth_year_of_1900():
    assert parse_nip("19000101191801 1 001").tanggal_lahir == date(1900, 1, 1)


# The TMT and birth-date checks compare with today (the WIB day): fixed at 1 March 2026.
FIRST_OF_MARCH_2026 = datetime(2026, 3, 1, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_it_accepts_appointment_in_the_current_month_and_refuses_the_next(time_machine):
    time_machine.move_to(FIRST_OF_MARCH_2026)
    assert parse_nip("19900101202603 1 001").tmt_cpns == date(2026, 3, 1)
    with pytest.raises(ValidationError, match="belum terjadi"):
        parse_nip("19900101202604 1 001")


def test_a_ni_pppk_may_be_born_today_but_not_tomorrow(time_machine):
    # Only the birth date is checked on a NI PPPK: a date after today is refused.
    time_machine.move_to(FIRST_OF_MARCH_2026)
    assert parse_ni_pppk("202603012022041001").tanggal_lahir == date(2026, 3, 1)
    with pytest.raises(ValidationError, match="tidak masuk akal"):
        parse_ni_pppk("202603022022041001")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("19661301198803 1 001", "; 19661301 bukan tanggal."),
        ("19660801198813 1 001", "(TTTTBB); 198813 bukan bulan yang sah."),
        ("19660801198805 3 001", "atau 2 (perempuan), bukan 3."),  # not the 5 before it
    ],
)
def test_the_message_quotes_exactly_the_digits_at_fault(value, message):
    with pytest.raises(ValidationError) as error:
        parse_nip(value)
    assert error.value.messages[0].endswith(message)


def test_the_sequence_is_read_from_all_three_last_digits():
    assert parse_nip("19660801198803 1 100").urutan == 100
    assert parse_nip("19660801198803 1 123").urutan == 123


def test_a_parsed_nip_cannot_be_changed_afterwards():
    info = parse_nip("19660801 198803 1 001")
    with pytest.raises(AttributeError):
        info.urutan = 2
