from datetime import date, datetime

import pytest

from hoclieu_shared.vn.dates import (
    excel_serial_to_datetime,
    parse_date,
    parse_timestamp,
)
from hoclieu_shared.vn.errors import VnValueError


@pytest.mark.parametrize(
    "raw",
    [
        "02/10/2013",
        "2/10/2013",
        "02-10-2013",
        "02.10.2013",
        " 02/10/2013 ",
        "2013-10-02",
        "02/10/2013 00:00:00",
        "02102013",
        "ngày 2 tháng 10 năm 2013",
        date(2013, 10, 2),
        datetime(2013, 10, 2, 7, 30),
        41549,
        41549.0,
    ],
)
def test_parse_date_reads_day_first_writings(raw):
    assert parse_date(raw) == date(2013, 10, 2)


def test_parse_date_reads_single_digit_day_and_month():
    assert parse_date("5/4/2013") == date(2013, 4, 5)


def test_serial_in_the_1904_system():
    assert parse_date(40087, date1904=True) == date(2013, 10, 2)
    assert parse_date(0, date1904=True) == date(1904, 1, 1)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1))],
)
def test_serials_around_excels_invented_leap_day(serial, expected):
    assert parse_date(serial) == expected


def test_serial_keeps_the_time_of_day():
    assert excel_serial_to_datetime(41549.75) == datetime(2013, 10, 2, 18, 0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("08/09/2025 19:16:00", datetime(2025, 9, 8, 19, 16)),
        ("8/9/2025 7:16:05 CH", datetime(2025, 9, 8, 19, 16, 5)),
        ("2025-09-08T19:16", datetime(2025, 9, 8, 19, 16)),
    ],
)
def test_parse_timestamp_reads_form_submission_times(raw, expected):
    assert parse_timestamp(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "date_empty"),
        ("  ", "date_empty"),
        ("abc", "date_unreadable"),
        ("02/10/13", "date_unreadable"),
        (True, "date_unreadable"),
        (-1, "date_unreadable"),
        ("31/02/2013", "date_impossible"),
        ("00/10/2013", "date_impossible"),
        ("04/25/2013", "date_impossible"),
        ("25/13/2013", "date_impossible"),
        ("02/10/1850", "date_impossible"),
        (60, "date_impossible"),
        (0, "date_impossible"),
        ("08/09/2025 25:00", "date_unreadable"),
    ],
)
def test_parse_date_refuses_with_a_stable_code(raw, code):
    with pytest.raises(VnValueError) as caught:
        parse_date(raw)

    assert caught.value.code == code


def test_month_above_twelve_suggests_day_and_month_were_swapped():
    with pytest.raises(VnValueError) as caught:
        parse_date("04/25/2013")

    assert "ngày/tháng/năm" in caught.value.message
    assert "Tháng 25" in caught.value.message
