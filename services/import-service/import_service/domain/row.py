"""Checking one row: its packages, its student, its parent and its times."""

from dataclasses import dataclass, field
from datetime import date, datetime

from hoclieu_shared.vn.dates import parse_date, parse_timestamp
from hoclieu_shared.vn.errors import VnValueError
from hoclieu_shared.vn.phones import MOBILE_PREFIXES, normalize_phone

from .context import CataloguePackage, RosterStudent, SchoolContext, grade_of_student
from .issues import issue, quoted, text_of
from .mapping import ColumnMapping
from .outcome import INVALID, SKIPPED, VALID, CellIssue, RowOutcome
from .packages import TICK_HELP, ListReader, read_tick
from .student import StudentFinder, read_identity


@dataclass(frozen=True, slots=True)
class Asked:
    """A package a row asks for, and the cell where it was asked."""

    column: int
    code: str
    package: CataloguePackage | None


@dataclass(slots=True)
class _Row:
    number: int
    errors: list[CellIssue] = field(default_factory=list)

    def add(self, column: int | None, code: str, detail: str) -> None:
        """Record a problem on a cell of this row."""
        self.errors.append(issue(self.number, column, code, detail))


# Distinct birth dates and times remembered per sheet.
DATE_CACHE = 50_000
SPARE = -1
_FIELDS = (
    "student_code", "full_name", "date_of_birth", "class_name", "parent_name",
    "parent_phone", "submitted_at", "package_list", "notes",
)  # fmt: skip


class RowChecker:
    """Checks one row at a time; everything per sheet is prepared once."""

    def __init__(
        self, mapping: ColumnMapping, context: SchoolContext, *, date1904=False
    ) -> None:
        self.context, self.date1904 = context, date1904
        self.columns = dict(mapping.columns)
        self.finder = StudentFinder(context)
        self.lists = ListReader(context)
        self.tick_columns = [
            Asked(column, code, context.package(code))
            for column, code in mapping.package_column_items()
        ]
        # Codes of the packages each row asked for, to compare duplicates.
        self.asked: dict[int, tuple[str, ...]] = {}
        # Birth dates and times repeat across a sheet; each text is read once.
        self._dates: dict[tuple, object] = {}
        self._problems: dict[tuple, tuple[str, str] | None] = {}
        self._index_columns()

    def _index_columns(self) -> None:
        # Rows are padded so every mapped column exists, plus one spare None
        # at the end: an unmapped field reads index -1 and always gets None.
        at = {name: self.columns.get(name, SPARE) for name in _FIELDS}
        self.at = at
        used = [c for c in at.values() if c != SPARE]
        used += [column.column for column in self.tick_columns]
        self._width = max(used, default=-1) + 1
        self._pads = [[None] * (self._width - n + 1) for n in range(self._width + 1)]

    def check(self, number: int, values: list) -> RowOutcome | None:
        """The verdict on one row, or None for a row with nothing in it."""
        pads = self._pads
        values = values + (pads[len(values)] if len(values) < len(pads) else [None])
        row = _Row(number)
        asked = self._ticked(row, values) + self._listed(row, values)
        if not asked and not row.errors:
            return _nothing_asked(number, self._identity(values, None))
        birth = self._date(row, "date_of_birth", values, parse_date)
        self.asked[number] = tuple(a.code for a in asked)
        return self._verdict(row, self._identity(values, birth), asked, values)

    def _identity(self, values: list, birth: date | None):
        at = self.at
        return read_identity(
            values[at["student_code"]],
            values[at["full_name"]],
            values[at["class_name"]],
            birth,
        )

    def _verdict(self, row: _Row, who, asked: list[Asked], values) -> RowOutcome:
        match = self.finder.find(who)
        if match.detail is not None:
            row.add(self.columns.get(match.column), match.code, match.detail)
        outcome = _identified(row.number, who, match.student, self.finder)
        outcome.notes.extend(match.notes)
        self._parent(row, outcome, match.student, values)
        self._phone(row, outcome, match.student, values)
        outcome.submitted_at = self._date(row, "submitted_at", values, parse_timestamp)
        outcome.remark = text_of(values[self.at["notes"]]) or None
        self._packages(row, outcome, match.student, asked)
        return _finish(row, outcome)

    def _ticked(self, row: _Row, values: list) -> list[Asked]:
        asked = []
        for column in self.tick_columns:
            value = values[column.column]
            if value is None or value == "":
                continue
            chosen = read_tick(value)
            if chosen:
                asked.append(column)
            elif chosen is None:
                detail = f"Không hiểu dấu {quoted(text_of(value))}; {TICK_HELP}."
                row.add(column.column, "tick_invalid", detail)
        return asked

    def _listed(self, row: _Row, values: list) -> list[Asked]:
        listed = values[self.at["package_list"]]
        text = text_of(listed) if listed is not None else ""
        if not text:
            return []
        column = self.columns["package_list"]
        reading = self.lists.read(text)
        if reading.unknown:
            row.add(column, "package_unknown", _unknown_listed(reading.unknown))
        return [Asked(column, p.code, p) for p in reading.packages]

    def _date(self, row: _Row, name: str, values: list, parse) -> datetime | None:
        value = values[self.at[name]]
        if value is None or value == "":
            return None
        key = (name, type(value), value)
        found = self._dates.get(key)
        if found is None:
            found = self._read_date(value, parse)
            if len(self._dates) < DATE_CACHE:
                self._dates[key] = found
        if isinstance(found, VnValueError):
            label = "Ngày sinh" if name == "date_of_birth" else "Dấu thời gian"
            row.add(self.columns[name], found.code, f"{label}: {found.message}")
            return None
        return found

    def _read_date(self, value: object, parse) -> object:
        try:
            return parse(value, date1904=self.date1904)
        except VnValueError as error:
            return error

    def _parent(self, row: _Row, outcome: RowOutcome, student, values) -> None:
        name = text_of(values[self.at["parent_name"]])
        if name:
            outcome.parent_name = name
        elif student is not None and student.parent_name:
            outcome.parent_name = student.parent_name
        elif student is not None:
            row.add(self.columns.get("parent_name"), "parent_name_required", _NO_PARENT)

    def _phone(self, row: _Row, outcome: RowOutcome, student, values) -> None:
        raw = values[self.at["parent_phone"]]
        if _is_canonical(raw):
            outcome.parent_phone = raw
            return
        if raw is None or not text_of(raw):
            if student is not None and student.parent_phone:
                outcome.parent_phone = student.parent_phone
            elif student is not None:
                row.add(self.columns.get("parent_phone"), "phone_required", _NO_PHONE)
            return
        try:
            phone = normalize_phone(raw)
        except VnValueError as error:
            row.add(self.columns.get("parent_phone"), error.code, error.message)
            return
        outcome.parent_phone = phone.number
        if phone.note:
            outcome.notes.append(phone.note)

    def _packages(self, row: _Row, outcome, student, asked: list[Asked]) -> None:
        seen: set[str] = set()
        for wanted in asked:
            if wanted.code in seen:
                continue
            seen.add(wanted.code)
            problem = self._package_problem(wanted, student)
            if problem is not None:
                row.add(wanted.column, *problem)
            elif student is not None and wanted.code in student.active_packages:
                outcome.already_active.append(wanted.code)
            else:
                outcome.package_codes.append(wanted.code)
        outcome.package_codes.sort()
        outcome.already_active.sort()

    def _package_problem(self, wanted: Asked, student) -> tuple[str, str] | None:
        # The answer depends on the package and the class only: remember it.
        key = (wanted.code, student.class_name if student else None)
        if key not in self._problems:
            self._problems[key] = self._judge_package(wanted, student)
        return self._problems[key]

    def _judge_package(self, wanted: Asked, student) -> tuple[str, str] | None:
        package = wanted.package
        if package is None:
            return "package_unknown", (
                f"Gói mã {wanted.code} không có trong danh mục gói học liệu."
            )
        if package.school_year != self.context.school_year:
            return "package_wrong_year", (
                f"Gói {quoted(package.name)} thuộc năm học {package.school_year}, "
                f"không phải năm học {self.context.school_year}."
            )
        if not package.on_sale:
            return "package_not_on_sale", (
                f"Gói {quoted(package.name)} hiện không mở bán; hãy bỏ chọn gói này."
            )
        return _grade_problem(package, student)


def _is_canonical(raw: object) -> bool:
    """A phone already stored the way normalize_phone would store it.

    Most cells already hold the 10 digits; skipping the full reading for
    them is the single largest saving of the check (see the benchmark).
    """
    return (
        type(raw) is str
        and len(raw) == 10
        and raw.isdigit()
        and raw.isascii()
        and raw.startswith(MOBILE_PREFIXES)
    )


_NO_PARENT = (
    "Chưa có họ tên phụ huynh; hồ sơ học sinh cũng chưa có nên cần ghi vào ô này."
)
_NO_PHONE = (
    "Chưa có số điện thoại phụ huynh; hồ sơ học sinh cũng chưa có nên cần ghi "
    "số di động, ví dụ 0912 345 678."
)


def _nothing_asked(number: int, who) -> RowOutcome | None:
    if not (who.code or who.name):
        return None
    outcome = RowOutcome(number, SKIPPED, who.code or None)
    outcome.full_name = who.name or None
    outcome.notes.append("Không đăng ký gói nào.")
    return outcome


def _identified(number: int, who, student: RosterStudent | None, finder) -> RowOutcome:
    if student is None:
        klass = finder.class_of(who.class_raw) or who.class_raw or None
        return RowOutcome(number, INVALID, who.code or None, klass, who.name or None)
    return RowOutcome(
        number, VALID, student.code, student.class_name, student.full_name
    )


def _grade_problem(package: CataloguePackage, student) -> tuple[str, str] | None:
    if student is None:
        return None
    grade = grade_of_student(student)
    if grade is None or grade in package.grades:
        return None
    grades = ", ".join(str(g) for g in package.grades)
    return "package_wrong_grade", (
        f"Gói {quoted(package.name)} dành cho khối {grades}; học sinh học lớp "
        f"{student.class_name} nên không đăng ký được gói này."
    )


def _unknown_listed(unknown: str) -> str:
    return (
        f"Có phần không khớp gói nào trong danh mục: {quoted(unknown)}. "
        "Hãy ghi đúng tên gói như trong danh mục, cách nhau bằng dấu phẩy."
    )


def _finish(row: _Row, outcome: RowOutcome) -> RowOutcome:
    outcome.errors = row.errors
    if row.errors:
        outcome.status = INVALID
    elif not outcome.package_codes:
        outcome.status = SKIPPED
        outcome.notes.append("Các gói đã chọn đều đã được kích hoạt; không có gì mới.")
    else:
        outcome.status = VALID
    return outcome
