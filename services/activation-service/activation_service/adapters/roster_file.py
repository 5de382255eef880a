"""Reading a school's roster export: find the header, take the rows."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hoclieu_shared.errors import AppError
from hoclieu_shared.sheets.errors import SheetError
from hoclieu_shared.sheets.headers import (
    SEARCH_ROWS,
    ColumnSpec,
    HeaderMatch,
    find_header,
)
from hoclieu_shared.sheets.limits import SheetLimits
from hoclieu_shared.sheets.reader import open_workbook

from ..domain import roster as fields
from ..domain.roster import RawRow

# Column names seen in school exports (SMAS, vnEdu, hand-made lists).
COLUMNS = (
    ColumnSpec(fields.STUDENT_CODE, ("mã học sinh", "mã hs", "mã định danh"),
               required=True),
    ColumnSpec(fields.FULL_NAME, ("họ và tên", "họ tên", "họ và tên học sinh",
                                  "tên học sinh"), required=True),
    ColumnSpec(fields.DATE_OF_BIRTH, ("ngày sinh", "ngày tháng năm sinh")),
    ColumnSpec(fields.GENDER, ("giới tính", "gt")),
    ColumnSpec(fields.CLASS_NAME, ("lớp", "tên lớp"), required=True),
    ColumnSpec(fields.PARENT_NAME, ("họ tên cha/mẹ", "họ tên phụ huynh",
                                    "họ và tên phụ huynh", "phụ huynh",
                                    "cha/mẹ", "người giám hộ")),
    ColumnSpec(fields.PARENT_PHONE, ("số điện thoại", "sđt", "điện thoại",
                                     "số điện thoại phụ huynh", "di động")),
)
TOO_LARGE = ("file_too_large", "unzipped_too_large")
LABELS = {
    fields.STUDENT_CODE: "Mã học sinh", fields.FULL_NAME: "Họ và tên",
    fields.CLASS_NAME: "Lớp",
}


@dataclass
class RosterFile:
    """The rows of the sheet holding the roster, and how it was read."""

    sheet: str | None
    columns: dict[str, str]
    rows: list[RawRow]
    notes: list[str] = field(default_factory=list)


def read_roster(content: bytes, *, max_rows: int) -> RosterFile:
    """The roster in an uploaded file; AppError when it cannot be read."""
    limits = SheetLimits(max_rows=max_rows + SEARCH_ROWS)
    with tempfile.TemporaryDirectory(prefix="roster-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(content)
        try:
            return _read(path, limits)
        except SheetError as error:
            status = 413 if error.code in TOO_LARGE else 422
            raise AppError(error.code, error.message, status=status) from None


def _read(path: Path, limits: SheetLimits) -> RosterFile:
    with open_workbook(path, limits) as book:
        missing: tuple[str, ...] = fields.REQUIRED_FIELDS
        for info in book.visible_sheets():
            grid = list(book.rows(info.name))
            match = find_header(grid, COLUMNS)
            if not match.missing:
                _refuse_ambiguous(match)
                return _roster(info.name, grid, match)
            missing = min(missing, match.missing, key=len)
    raise _no_header(missing)


def _refuse_ambiguous(match: HeaderMatch) -> None:
    doubtful = [LABELS[f] for f in fields.REQUIRED_FIELDS if f in match.ambiguous]
    if doubtful:
        raise AppError(
            "roster_columns_ambiguous",
            "Có nhiều cột cùng tên " + ", ".join(doubtful) + "; hãy đổi tên "
            "hoặc xoá cột thừa rồi tải lên lại.", status=422)


def _roster(sheet: str, grid: list[list], match: HeaderMatch) -> RosterFile:
    header, rows = match.row_index, []
    for index in range(header + 1, len(grid)):
        cells = {name: _cell(grid[index], at)
                 for name, at in match.columns.items()}
        if any(v is not None for v in cells.values()):
            rows.append(RawRow(sheet, index + 1, cells))
    labels = {name: str(grid[header][at]).strip()
              for name, at in match.columns.items()}
    return RosterFile(sheet, labels, rows)


def _cell(row: list, at: int):
    return row[at] if at < len(row) else None


def _no_header(missing: tuple[str, ...]) -> AppError:
    names = ", ".join(LABELS[f] for f in missing)
    return AppError(
        "roster_header_not_found",
        f"Không tìm thấy dòng tiêu đề của danh sách học sinh: thiếu cột {names}. "
        "Danh sách cần có các cột Mã học sinh, Họ và tên và Lớp.", status=422)
