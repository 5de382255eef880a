"""Fixtures of the registration check: schools, sheet files and one full run.

Every sheet a test makes is written to a real file and read back through
hoclieu_shared.sheets, so detection, limits and tidying are exercised too.
"""

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hoclieu_shared.sheets.cells import set_text
from hoclieu_shared.sheets.reader import open_workbook
from hoclieu_shared.testing.samples import SAMPLE_SCHOOL
from hoclieu_shared.vn.classes import grade_of
from hoclieu_shared.vn.dates import parse_date
from openpyxl import Workbook
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from import_service.domain.check import CheckResult, check_rows
from import_service.domain.context import (
    CataloguePackage,
    RosterStudent,
    SchoolContext,
)
from import_service.domain.mapping import ColumnMapping, propose_mapping
from import_service.domain.template import read_template_keys

# shared/ lies beside the repository (DESIGN.md: ../shared/samples).
NGUYEN_DU = SAMPLE_SCHOOL
YEAR = "2025-2026"


@dataclass
class Run:
    """What one check of a file gave: the mapping, the result, the rows."""

    mapping: ColumnMapping
    result: CheckResult
    rows: list[list]
    date1904: bool

    def outcome(self, row_number: int):
        """The outcome of a sheet row (1-based), or None."""
        return self.result.by_row().get(row_number)

    def codes(self, row_number: int) -> set[str]:
        """The problem codes of a sheet row."""
        return {problem.code for problem in self.outcome(row_number).errors}


def run_check(
    path: Path, context: SchoolContext, sheet=0, mapping: ColumnMapping | None = None
) -> Run:
    """Read a file as the service does, propose a mapping, check every row."""
    with open_workbook(path) as workbook:
        rows = list(workbook.rows(sheet))
        keys = _template_keys(workbook)
        date1904 = workbook.date1904
    if mapping is None:
        mapping = propose_mapping(rows[:40], context, keys)
    numbered = list(enumerate(rows, 1))[mapping.header_row + 1 :]
    result = check_rows(numbered, mapping, context, date1904=date1904)
    return Run(mapping, result, rows, date1904)


def _template_keys(workbook) -> dict | None:
    hidden = [s for s in workbook.sheets() if s.name == "_hoclieu"]
    return read_template_keys(list(workbook.rows(hidden[0].name))) if hidden else None


@pytest.fixture(scope="session")
def check_file():
    """run_check, for tests."""
    return run_check


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The folder of the sample school's files."""
    return NGUYEN_DU


@pytest.fixture
def write_xlsx(tmp_path):
    """Write rows (lists of values) to an xlsx sheet and return its path."""

    def write(rows, name="sheet.xlsx", title="Đăng ký", epoch1904=False) -> Path:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = title
        if epoch1904:
            workbook.epoch = CALENDAR_MAC_1904
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                # Text stays text, as in a sheet typed by hand ("=..." too).
                set_text(cell, cell.value)
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def write_csv(tmp_path):
    """Write rows to a CSV file in an encoding and with a delimiter."""

    def write(rows, name="sheet.csv", encoding="utf-8", delimiter=",") -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle, delimiter=delimiter).writerows(rows)
        return path

    return write


# A small school: one class with two students of the same name, a student
# without any parent on file, a package from last year, one not on sale.
SMALL_PACKAGES = (
    CataloguePackage("ANH6", "Tiếng Anh 6 nâng cao", YEAR, (6,)),
    CataloguePackage("TOAN6", "Toán tư duy 6", YEAR, (6,)),
    CataloguePackage("KNS", "Kỹ năng sống", YEAR, (6, 7, 8, 9)),
    CataloguePackage("ON10", "Luyện thi vào 10 (Toán, Văn, Anh)", YEAR, (9,)),
    CataloguePackage("ANH9", "Tiếng Anh 9 nâng cao", YEAR, (9,)),
    CataloguePackage("CU", "Gói cũ", YEAR, (6, 7, 8, 9), on_sale=False),
    CataloguePackage("TIN6", "Tin học 6", "2024-2025", (6,)),
)
SMALL_STUDENTS = (
    RosterStudent(
        "0100000001", "Nguyễn Văn An", date(2013, 1, 5), "6A1", 6,
        "Trần Thị Bình", "0912345678",
    ),
    RosterStudent("0100000002", "Nguyễn Minh Ân", date(2013, 2, 1), "6A1", 6),
    RosterStudent("0100000003", "Nguyễn Minh Ân", date(2013, 3, 1), "6A1", 6),
    RosterStudent(
        "0100000004", "Lê Thị Hoa", date(2013, 4, 4), "6A2", 6,
        "Lê Văn Nam", "0987654321", frozenset({"KNS"}),
    ),
    RosterStudent(
        "0900000005", "Phạm Quốc Bảo", date(2010, 5, 5), "9A1", 9,
        "Phạm Văn Hùng", "0903111222",
    ),
    RosterStudent(
        "0700000006", "Trần Hòa", date(2012, 6, 6), "7A1", 7,
        "Trần Văn Sơn", "0977000111",
    ),
    RosterStudent(
        "0800000007", "Vũ Minh Châu", date(2011, 7, 7), "8A1", 8,
        "Vũ Văn Tâm", "0966000222",
    ),
)  # fmt: skip


@pytest.fixture(scope="session")
def small_school() -> SchoolContext:
    """The small school of the rule tests."""
    return SchoolContext("T-01", YEAR, SMALL_STUDENTS, SMALL_PACKAGES)


@pytest.fixture(scope="session")
def nguyen_du() -> SchoolContext:
    """THCS Nguyễn Du from the shared samples: 1,051 students, 11 packages."""
    school = json.loads((NGUYEN_DU / "school.json").read_text(encoding="utf-8"))
    catalogue = json.loads((NGUYEN_DU / "packages.json").read_text(encoding="utf-8"))
    packages = [
        CataloguePackage(
            p["code"], p["name"], catalogue["school_year"], tuple(p["grades"]),
            p.get("on_sale", True),
        )
        for p in catalogue["packages"]
    ]  # fmt: skip
    return SchoolContext(school["code"], catalogue["school_year"], _roster(), packages)


def _roster() -> list[RosterStudent]:
    with open_workbook(NGUYEN_DU / "roster.xlsx") as workbook:
        rows = list(workbook.rows(0))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    return [_roster_student(row + [None] * 8) for row in rows[header + 1 :] if row]


def _roster_student(row: list) -> RosterStudent:
    _, code, name, born, _, klass, parent, phone = row[:8]
    return RosterStudent(
        str(code), name, parse_date(born), klass, grade_of(klass),
        parent or None, str(phone) if phone else None,
    )  # fmt: skip


# The registration template as the template-service lays it out (see
# hoclieu_shared.sheets.template_keys): class 6A1 of the small school, title
# rows 1-6, header on row 7, students from row 8, two package columns.
TEMPLATE_HEADER = [
    "STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Lớp", "Họ tên phụ huynh",
    "Số điện thoại", "Tiếng Anh 6 nâng cao\n150.000 ₫", "Kỹ năng sống\n80.000 ₫",
    "Phụ huynh ký", "Ghi chú",
]  # fmt: skip
TEMPLATE_FIELDS = (
    "stt", "student_code", "full_name", "date_of_birth", "class_name",
    "parent_name", "parent_phone", None, None, "signature", "notes",
)  # fmt: skip
TEMPLATE_STUDENTS = (
    ("0100000001", "Nguyễn Văn An", "05/01/2013", "Trần Thị Bình", "0912345678"),
    ("0100000002", "Nguyễn Minh Ân", "01/02/2013", "Nguyễn Văn Ba", "0912000222"),
    ("0100000003", "Nguyễn Minh Ân", "01/03/2013", "Lê Thị Tư", "0912000333"),
)
DEFAULT_TICKS = {"0100000001": ("x", ""), "0100000002": ("", "x")}


def template_hidden_rows(school: str = "T-01", year: str = YEAR) -> list[list]:
    """The hidden sheet of the 6A1 template, row by row."""
    last = 7 + len(TEMPLATE_STUDENTS)
    fields = [
        ["6A1", 7, get_column_letter(i), key, i]
        for i, key in enumerate(TEMPLATE_FIELDS, 1)
        if key
    ]
    return [
        ["template_version", 1], ["school_code", school], ["school_year", year],
        ["layout", "per-class"], ["tick_choices", "x"],
        ["sheets", "header_row", "first_data_row", "last_data_row"],
        ["6A1", 7, 8, last],
        ["classes", "class_name", "grade", "first_row", "last_row"],
        ["6A1", "6A1", 6, 8, last],
        ["field_columns", "header_row", "column", "field", "index"], *fields,
        ["package_columns", "header_row", "column", "package_code", "index"],
        ["6A1", 7, "H", "ANH6", 8], ["6A1", 7, "I", "KNS", 9],
    ]  # fmt: skip


@pytest.fixture(scope="session")
def hidden_rows_for():
    """template_hidden_rows, for tests."""
    return template_hidden_rows


@pytest.fixture(scope="session")
def template_header() -> list[str]:
    """The header row of the 6A1 template."""
    return list(TEMPLATE_HEADER)


@pytest.fixture
def write_template(tmp_path):
    """Write the 6A1 template with ticks {code: (Tiếng Anh 6, Kỹ năng sống)}."""

    def write(ticks=None, header=None, hidden=None, name="mau.xlsx"):
        ticks = DEFAULT_TICKS if ticks is None else ticks
        hidden = template_hidden_rows() if hidden is None else hidden
        titles = [["Trường Thử"], ["DANH SÁCH ĐĂNG KÝ HỌC LIỆU"], [f"Năm học {YEAR}"],
                  ["Lớp: 6A1"], ["Hướng dẫn"], []]  # fmt: skip
        rows = [*titles, header or TEMPLATE_HEADER]
        for number, (code, name_, born, parent, phone) in enumerate(
            TEMPLATE_STUDENTS, 1
        ):
            tick = ticks.get(code, ("", ""))
            rows.append([number, code, name_, born, "6A1", parent, phone, *tick])
        workbook = Workbook()
        workbook.active.title = "6A1"
        for row in rows:
            workbook.active.append(row)
        keys_sheet = workbook.create_sheet("_hoclieu")
        keys_sheet.sheet_state = "hidden"
        for row in hidden:
            keys_sheet.append(row)
        path = tmp_path / name
        workbook.save(path)
        return path, hidden

    return write
