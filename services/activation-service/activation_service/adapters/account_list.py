"""The list of review accounts (usernames and status, never passwords)."""

from __future__ import annotations

from hoclieu_shared.vn.numbers import format_date
from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.model import School, Student
from .workbooks import STATUS_LABELS, print_a4, put, to_bytes

HEADERS = ("STT", "Lớp", "Mã học sinh", "Họ và tên", "Ngày sinh",
           "Tên đăng nhập", "Trạng thái")
WIDTHS = (6, 8, 14, 28, 12, 30, 18)
HEADER_ROW = 4
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def account_list(school: School, students: list[Student],
                 class_name: str | None) -> bytes:
    """One sheet listing each student's username and account status."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tài khoản"
    _titles(sheet, school, class_name)
    for offset, student in enumerate(students, start=1):
        _line(sheet, HEADER_ROW + offset, offset, student)
    _layout(sheet)
    return to_bytes(book)


def _titles(sheet: Worksheet, school: School, class_name: str | None) -> None:
    put(sheet, 1, 1, school.name.upper(), font=Font(bold=True))
    title = "DANH SÁCH TÀI KHOẢN ÔN TẬP"
    put(sheet, 2, 1, f"{title} – LỚP {class_name}" if class_name else title,
        font=Font(bold=True, size=13))
    for column, header in enumerate(HEADERS, start=1):
        put(sheet, HEADER_ROW, column, header, font=Font(bold=True), border=GRID)


def _line(sheet: Worksheet, row: int, number: int, student: Student) -> None:
    account = student.account
    values = (number, student.class_name, student.code, student.full_name,
              format_date(student.date_of_birth),
              account.username if account else "",
              STATUS_LABELS[student.account_status])
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, border=GRID)


def _layout(sheet: Worksheet) -> None:
    print_a4(sheet)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
