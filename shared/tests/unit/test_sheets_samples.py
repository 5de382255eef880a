"""The sample school's real files, read the way the services will read them."""

from itertools import islice
from pathlib import Path

import pytest

from hoclieu_shared.sheets import ColumnSpec, FileKind, find_header, open_workbook
from hoclieu_shared.vn import (
    normalize_class_name,
    normalize_phone,
    parse_date,
    parse_timestamp,
)

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "thcs-nguyen-du"
SPECS = [
    ColumnSpec("submitted_at", ("Dấu thời gian",)),
    ColumnSpec("student_code", ("Mã học sinh",)),
    ColumnSpec("full_name", ("Họ và tên", "Họ và tên học sinh"), required=True),
    ColumnSpec("birth_date", ("Ngày sinh",)),
    ColumnSpec("class_name", ("Lớp",), required=True),
    ColumnSpec("parent_name", ("Họ tên phụ huynh", "Họ tên cha/mẹ")),
    ColumnSpec("parent_phone", ("Số điện thoại", "SĐT phụ huynh")),
]

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="no sample school")


def records(name):
    with open_workbook(SAMPLES / name) as book:
        rows = list(book.rows(book.visible_sheets()[0].name))
    header = find_header(islice(rows, 30), SPECS)
    body = [row for row in rows[header.row_index + 1 :] if row]
    return header, [
        {field: _cell(row, column) for field, column in header.columns.items()}
        for row in body
    ]


def _cell(row, column):
    return row[column] if column < len(row) else None


def test_roster_header_is_found_under_the_title_rows():
    header, students = records("roster.xlsx")

    assert header.row_index == 2 and header.certain
    assert len(students) == 1051
    assert len({normalize_class_name(s["class_name"]) for s in students}) == 28


def test_roster_codes_keep_their_leading_zeros_and_dates_parse():
    _, students = records("roster.xlsx")

    assert all(len(s["student_code"]) == 10 for s in students)
    assert all(parse_date(s["birth_date"]).year in (2010, 2011, 2012, 2013)
               for s in students)


def test_google_form_reads_the_same_from_xlsx_and_csv():
    with open_workbook(SAMPLES / "google_form_responses.xlsx") as book:
        from_xlsx = [[_text(v) for v in row] for row in book.rows(0)]
    with open_workbook(SAMPLES / "google_form_responses.csv") as book:
        kind, from_csv = book.kind, list(book.rows(0))

    assert kind is FileKind.CSV
    assert len(from_xlsx) == len(from_csv) == 489
    assert from_xlsx == from_csv


def _text(value):
    return value if value is None or isinstance(value, str) else str(value)


def test_google_form_times_and_classes_all_read():
    header, answers = records("google_form_responses.xlsx")

    assert header.certain and header.unmapped == {5: "Đăng ký gói học liệu"}
    assert all(parse_timestamp(a["submitted_at"]).year == 2025 for a in answers)
    assert all(normalize_class_name(a["class_name"])[0] in "6789" for a in answers)


def test_google_form_phones_lost_their_zero_in_excel():
    _, answers = records("google_form_responses.xlsx")
    numbers = [a["parent_phone"] for a in answers if isinstance(a["parent_phone"], int)]

    assert numbers
    assert all(normalize_phone(n).number.startswith("0") for n in numbers)


def test_retyped_sheet_header_and_its_codes_that_became_numbers():
    header, rows = records("retyped_grade9.xlsx")
    codes = [r["student_code"] for r in rows]

    assert header.row_index == 2 and len(rows) == 120
    assert sum(isinstance(code, int) for code in codes) == 3
    assert header.unmapped[8] == "Luyện thi vào 10 (Toán, Văn, Anh)"
