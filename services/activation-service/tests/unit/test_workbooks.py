"""Workbooks the service writes and reads, without a database."""

import io
import uuid
from datetime import date

import openpyxl
import pytest
from hoclieu_shared.errors import AppError

from activation_service.adapters.account_list import account_list
from activation_service.adapters.roster_file import read_roster
from activation_service.adapters.slips import credential_slips
from activation_service.domain.model import Account, Credentials, School, Student

SCHOOL = School("S1", "Trường THCS Thử", "Hà Nội", False)
EVIL = '=HYPERLINK("http://x","bấm")'


def student(code: str, class_name: str = "6A1", name: str = "Lê An") -> Student:
    return Student(uuid.uuid4(), "S1", code, name, date(2013, 1, 2), "Nam",
                   class_name, 6, None, None,
                   Account(uuid.uuid4(), f"s1.{code}", "active"))


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [c for sheet in book for row in sheet.iter_rows() for c in row]


def test_slips_write_names_that_look_like_formulas_as_text():
    slips = [Credentials(student("1", name=EVIL), "s1.1", "abcd2345ef")]

    found = [c for c in cells(credential_slips(SCHOOL, slips)) if c.value == EVIL]

    assert found and all(c.data_type == "s" for c in found)


def test_slips_group_classes_into_sheets_in_the_order_given():
    slips = [Credentials(student(str(i), c), f"s1.{i}", "abcd2345ef")
             for i, c in enumerate(["6A1", "6A1", "6A10", "7A2"])]

    book = openpyxl.load_workbook(io.BytesIO(credential_slips(SCHOOL, slips)))

    assert book.sheetnames == ["6A1", "6A10", "7A2"]


def test_account_list_has_no_password_column_and_safe_cells():
    content = account_list(SCHOOL, [student("1", name=EVIL)], None)

    texts = [c.value for c in cells(content)]
    assert "Mật khẩu" not in texts
    assert EVIL in texts


def roster_csv(text: str) -> bytes:
    return text.encode("utf-8-sig")


def test_roster_header_is_found_below_titles_with_other_column_names():
    content = roster_csv(
        "TRƯỜNG THCS THỬ,,,,\n\n"
        "STT;MÃ HS;Họ tên;Lớp;Ngày tháng năm sinh;Họ tên cha/mẹ;SĐT\n"
        "1;HS1;Lê An;6A1;02/01/2013;Lê Bình;0912 345 678\n".replace(",", ";"))

    roster = read_roster(content, max_rows=100)

    row = roster.rows[0]
    assert (row.row, row.cells["student_code"], row.cells["parent_phone"]) == \
        (4, "HS1", "0912 345 678")
    assert roster.columns["parent_name"] == "Họ tên cha/mẹ"


def test_roster_without_required_columns_says_which_are_missing():
    with pytest.raises(AppError) as refused:
        read_roster(roster_csv("Họ và tên,Ngày sinh\nLê An,02/01/2013\n"),
                    max_rows=100)

    assert refused.value.code == "roster_header_not_found"
    assert "Mã học sinh" in refused.value.message
    assert "Lớp" in refused.value.message


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly():
    with pytest.raises(AppError) as refused:
        read_roster(b"%PDF-1.7 not a sheet", max_rows=100)

    assert refused.value.code == "unsupported_format"
