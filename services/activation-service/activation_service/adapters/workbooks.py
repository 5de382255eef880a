"""Shared bits of the workbooks this service writes."""

from __future__ import annotations

import io
import re

from hoclieu_shared.sheets.cells import set_text
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
STATUS_LABELS = {"active": "Đang hoạt động", "locked": "Đã khóa",
                 "none": "Chưa có tài khoản"}


def sheet_title(name: str, used: set[str]) -> str:
    """A valid, unused sheet name (31 characters, no []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub("-", name).strip("'") or "Lớp"
    title, n = base[:31], 1
    while title.lower() in used:
        n += 1
        title = f"{base[:27]} ({n})"
    used.add(title.lower())
    return title


def print_a4(sheet: Worksheet, *, landscape: bool = False) -> None:
    """A4, fit to one page wide, small margins."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "Trang &P / &N"


def put(sheet: Worksheet, row: int, column: int, value, **style) -> None:
    """Write a cell as literal text (never a formula) with optional styles."""
    cell = sheet.cell(row=row, column=column)
    set_text(cell, value)
    for name, setting in style.items():
        setattr(cell, name, setting)


def to_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
