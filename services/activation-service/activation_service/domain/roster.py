"""The rules of a roster import: each row becomes a student or reasons."""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hoclieu_shared.vn.classes import grade_of, normalize_class_name
from hoclieu_shared.vn.dates import parse_date
from hoclieu_shared.vn.errors import VnValueError
from hoclieu_shared.vn.phones import normalize_phone
from hoclieu_shared.vn.text import clean_text, fold

from .model import Student

STUDENT_CODE = "student_code"
FULL_NAME = "full_name"
DATE_OF_BIRTH = "date_of_birth"
GENDER = "gender"
CLASS_NAME = "class_name"
PARENT_NAME = "parent_name"
PARENT_PHONE = "parent_phone"
REQUIRED_FIELDS = (STUDENT_CODE, FULL_NAME, CLASS_NAME)
MAX_NAME = 200
MAX_CODE = 40
GENDERS = {"nam": "Nam", "nu": "Nữ", "male": "Nam", "female": "Nữ",
           "m": "Nam", "f": "Nữ", "trai": "Nam", "gai": "Nữ"}


@dataclass(frozen=True)
class RawRow:
    """One data row of the file: its place and its cells by field."""

    sheet: str | None
    row: int
    cells: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Why one cell of a row cannot be taken."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class InvalidRow:
    """A row that was not imported, with every reason."""

    sheet: str | None
    row: int
    student_code: str | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class RosterEntry:
    """A good row: a student as the school's export describes them."""

    row: int
    code: str
    full_name: str
    date_of_birth: date | None
    gender: str | None
    class_name: str
    grade: int
    parent_name: str | None
    parent_phone: str | None
    sheet: str | None = None

    def same_student(self, other: RosterEntry) -> bool:
        """Whether two rows say the same thing (row numbers aside)."""
        return _facts(self) == _facts(other)


@dataclass
class RosterCheck:
    """The outcome of checking every row of a roster file."""

    entries: list[RosterEntry] = field(default_factory=list)
    invalid: list[InvalidRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _facts(entry: RosterEntry) -> tuple:
    return (entry.code, entry.full_name, entry.date_of_birth, entry.gender,
            entry.class_name, entry.parent_name, entry.parent_phone)


def check_roster(rows: list[RawRow]) -> RosterCheck:
    """Check every row; good rows stay even when others are bad."""
    result = RosterCheck()
    code_width = _usual_code_width(rows)
    for raw in rows:
        entry = _check_row(raw, code_width, result)
        if entry is not None:
            result.entries.append(entry)
    _drop_duplicates(result)
    return result


def _usual_code_width(rows: list[RawRow]) -> int | None:
    # Excel turns "0160000001" into 160000001; the width of the codes still
    # written as text tells how many zeros to put back.
    widths = Counter(len(v) for r in rows
                     if isinstance(v := r.cells.get(STUDENT_CODE), str)
                     and v.strip().isdigit())
    return widths.most_common(1)[0][0] if widths else None


def _check_row(raw: RawRow, code_width: int | None,
               result: RosterCheck) -> RosterEntry | None:
    problems: list[Problem] = []
    cell = _Reader(raw, problems)
    code = cell.read(STUDENT_CODE, lambda v: _code(v, code_width))
    name = cell.read(FULL_NAME, _full_name)
    born = cell.read(DATE_OF_BIRTH, _birth_date)
    gender = cell.read(GENDER, _gender)
    class_name, grade = cell.read(CLASS_NAME, _class) or (None, None)
    parent = cell.read(PARENT_NAME, _parent_name)
    phone = cell.read(PARENT_PHONE, lambda v: _phone(v, raw.row, result.notes))
    if problems:
        result.invalid.append(InvalidRow(raw.sheet, raw.row, code or None,
                                         tuple(problems)))
        return None
    return RosterEntry(raw.row, code, name, born, gender, class_name, grade,
                       parent, phone, raw.sheet)


class _Reader:
    """Reads cells of one row, collecting problems instead of stopping."""

    def __init__(self, raw: RawRow, problems: list[Problem]):
        self.raw = raw
        self.problems = problems

    def read(self, name: str, parse):
        try:
            return parse(self.raw.cells.get(name))
        except VnValueError as error:
            self.problems.append(Problem(name, error.code, error.message))
            return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def _code(value: Any, width: int | None) -> str:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    code = _text(value)
    if not code:
        raise VnValueError("student_code_empty", "Thiếu mã học sinh.")
    if len(code) > MAX_CODE:
        raise VnValueError("student_code_too_long",
                           f"Mã học sinh dài quá {MAX_CODE} ký tự.")
    if numeric and width and len(code) < width:
        code = code.zfill(width)
    return code


def _full_name(value: Any) -> str:
    name = _text(value)
    if not name:
        raise VnValueError("full_name_empty", "Thiếu họ và tên học sinh.")
    if len(name) > MAX_NAME:
        raise VnValueError("full_name_too_long",
                           f"Họ và tên dài quá {MAX_NAME} ký tự.")
    return name


def _birth_date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # some exports leave it out; the student still counts
    return parse_date(value)


def _gender(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    gender = GENDERS.get(fold(text))
    if gender is None:
        raise VnValueError("gender_unknown", "Giới tính chỉ ghi Nam hoặc Nữ.")
    return gender


def _class(value: Any) -> tuple[str, int]:
    name = normalize_class_name(value)
    grade = grade_of(name)
    if grade is None or len(name) > 20:
        raise VnValueError(
            "class_without_grade",
            f"Không nhận ra khối của lớp \"{name[:20]}\"; tên lớp bắt đầu "
            "bằng khối 6 đến 12, ví dụ 6A1.")
    return name, grade


def _parent_name(value: Any) -> str | None:
    name = _text(value)
    if len(name) > MAX_NAME:
        raise VnValueError("parent_name_too_long",
                           f"Họ tên phụ huynh dài quá {MAX_NAME} ký tự.")
    return name or None


def _phone(value: Any, row: int, notes: list[str]) -> str | None:
    if not _text(value):
        return None
    phone = normalize_phone(value)
    if phone.note:
        notes.append(f"Dòng {row}: {phone.note}")
    return phone.number


def _drop_duplicates(result: RosterCheck) -> None:
    """One row per student: identical repeats merge, conflicting ones fail."""
    by_code: dict[str, list[RosterEntry]] = defaultdict(list)
    for entry in result.entries:
        by_code[entry.code].append(entry)
    kept = []
    for code, entries in by_code.items():
        first = entries[0]
        if all(first.same_student(e) for e in entries[1:]):
            kept.append(first)
            result.notes.extend(_merged_note(first, e) for e in entries[1:])
        else:
            result.invalid.extend(_conflict(code, e, entries) for e in entries)
    result.entries = kept
    result.invalid.sort(key=lambda r: (r.sheet or "", r.row))


def _merged_note(first: RosterEntry, repeat: RosterEntry) -> str:
    return (f"Dòng {repeat.row} giống hệt dòng {first.row} "
            f"(mã {first.code}); đã gộp làm một.")


def _conflict(code: str, entry: RosterEntry,
              entries: list[RosterEntry]) -> InvalidRow:
    rows = ", ".join(str(e.row) for e in entries)
    problem = Problem(STUDENT_CODE, "student_code_duplicate",
                      f"Mã học sinh {code} có ở nhiều dòng ({rows}) với thông "
                      "tin khác nhau; hãy giữ một dòng.")
    return InvalidRow(entry.sheet, entry.row, code, (problem,))


def updated_student(entry: RosterEntry, existing: Student | None,
                    school: str) -> Student | None:
    """The student after this row, or None when the row changes nothing.

    An empty parent cell keeps the parent on record: parents are often
    added later, at activation, and a plain roster must not erase them.
    """
    if existing is None:
        return Student(uuid.uuid4(), school, entry.code, entry.full_name,
                       entry.date_of_birth, entry.gender, entry.class_name,
                       entry.grade, entry.parent_name, entry.parent_phone)
    updated = dataclasses.replace(
        existing, full_name=entry.full_name, date_of_birth=entry.date_of_birth,
        gender=entry.gender, class_name=entry.class_name, grade=entry.grade,
        parent_name=entry.parent_name or existing.parent_name,
        parent_phone=entry.parent_phone or existing.parent_phone)
    return None if updated == existing else updated
