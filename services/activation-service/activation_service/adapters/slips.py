"""Print-ready credential slips: one sheet per class, one slip per student."""

from __future__ import annotations

from itertools import groupby

from hoclieu_shared.vn.numbers import format_date
from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.model import Credentials, School
from .workbooks import print_a4, put, sheet_title, to_bytes

SLIP_ROWS = 7
ROWS_PER_SLIP = SLIP_ROWS + 1  # the cut line below each slip
SLIPS_PER_PAGE = 6
WIDTHS = {"A": 17, "B": 38, "C": 13, "D": 22}
THIN = Side(style="thin")
DASHED = Side(style="dashed")
BOLD = Font(bold=True)
SECRET = Font(name="Consolas", size=13, bold=True)
TITLE = Font(bold=True, size=12)
PLAIN = Font()
NOTE = Font(italic=True, size=9)
SMALL = Font(size=9)
CUT = Border(bottom=DASHED)
# The border of each cell of a slip: (first line, last line, column).
BOX = {(first, last, column): Border(
    left=THIN if column == 1 else None, right=THIN if column == 4 else None,
    top=THIN if first else None, bottom=THIN if last else None)
    for first in (True, False) for last in (True, False) for column in range(1, 5)}


def credential_slips(school: School, slips: list[Credentials],
                     login_url: str = "") -> bytes:
    """The .xlsx of slips, grouped by class in the order given."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for class_name, group in groupby(slips, key=lambda c: c.student.class_name):
        sheet = book.create_sheet(sheet_title(class_name, used))
        _prepare(sheet)
        for index, credentials in enumerate(group):
            if index and index % SLIPS_PER_PAGE == 0:
                # Whole slips per page: the printer never cuts one in two.
                sheet.row_breaks.append(Break(id=index * ROWS_PER_SLIP))
            _slip(sheet, 1 + index * ROWS_PER_SLIP, school, credentials, login_url)
    if not book.worksheets:
        _nothing_new(book.create_sheet("Không có tài khoản mới"))
    return to_bytes(book)


def _nothing_new(sheet: Worksheet) -> None:
    put(sheet, 1, 1, "Không có tài khoản mới: mọi học sinh đã chọn đều đã có "
        "tài khoản. Muốn cấp lại mật khẩu cho một học sinh, hãy dùng chức năng "
        "đặt lại mật khẩu.", font=BOLD)


def _prepare(sheet: Worksheet) -> None:
    print_a4(sheet)
    sheet.print_options.horizontalCentered = True
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width


def _slip(sheet: Worksheet, top: int, school: School, item: Credentials,
          login_url: str) -> None:
    student = item.student
    note = "Hãy đổi mật khẩu sau lần đăng nhập đầu tiên."
    if login_url:
        note = f"Đăng nhập tại {login_url}. {note}"
    lines = (
        (("PHIẾU TÀI KHOẢN ÔN TẬP", TITLE),),
        (("Trường:", BOLD), (school.name, PLAIN)),
        (("Học sinh:", BOLD), (student.full_name, PLAIN), ("Lớp:", BOLD),
         (student.class_name, PLAIN)),
        (("Mã học sinh:", BOLD), (student.code, PLAIN), ("Ngày sinh:", BOLD),
         (format_date(student.date_of_birth), PLAIN)),
        (("Tên đăng nhập:", BOLD), (item.username, SECRET)),
        (("Mật khẩu:", BOLD), (item.password, SECRET)),
        ((note, NOTE),),
    )
    for offset, cells in enumerate(lines):
        _line(sheet, top + offset, cells, offset)
    _cut_line(sheet, top + SLIP_ROWS)


def _line(sheet: Worksheet, row: int, cells: tuple, offset: int) -> None:
    # Text runs over the empty cells to its right, so no merged cells are
    # needed (merging thousands of ranges makes openpyxl slow).
    sheet.row_dimensions[row].height = 20
    for column in range(1, 5):
        text, font = cells[column - 1] if column <= len(cells) else ("", PLAIN)
        if text:
            put(sheet, row, column, text)
        cell = sheet.cell(row=row, column=column)
        cell.font = font
        cell.border = BOX[(offset == 0, offset == SLIP_ROWS - 1, column)]


def _cut_line(sheet: Worksheet, row: int) -> None:
    put(sheet, row, 1, "✂", font=SMALL)
    for column in range(1, 5):
        sheet.cell(row=row, column=column).border = CUT
    sheet.row_dimensions[row].height = 14
