"""Where everything goes in a registration workbook; pure, no openpyxl."""

from dataclasses import dataclass

from hoclieu_shared.sheets import template_keys as keys
from hoclieu_shared.vn.classes import grade_of
from hoclieu_shared.vn.numbers import format_number
from hoclieu_shared.vn.text import natural_key

from .model import Package, SchoolClass, Student, TemplateError, TemplateRequest
from .ordering import class_key, sheet_names, student_name_key

SCHOOL_ROW, TITLE_ROW, YEAR_ROW, CLASS_ROW, INSTRUCTION_ROW, LEGEND_ROW = range(1, 7)
HEADER_ROW = 7
FIRST_DATA_ROW = HEADER_ROW + 1
WHOLE_SCHOOL_SHEET = "Toàn trường"
INSTRUCTION = (
    'Hướng dẫn: phụ huynh đánh dấu "x" vào ô của gói học liệu muốn đăng ký '
    "(để trống nếu không đăng ký), ghi họ tên, số điện thoại và ký vào cột "
    '"Phụ huynh ký".'
)
LEGEND = (
    "Ô màu xám: gói học liệu không dành cho khối lớp của học sinh, "
    "không đánh dấu vào ô này."
)


@dataclass(frozen=True)
class Field:
    """A fixed column of the table: its key in the hidden sheet and label."""

    key: str
    label: str
    width: float


LEADING_FIELDS = (
    Field(keys.FIELD_STT, keys.HEADER_STT, 5),
    Field(keys.FIELD_STUDENT_CODE, keys.HEADER_STUDENT_CODE, 13),
    Field(keys.FIELD_FULL_NAME, keys.HEADER_FULL_NAME, 24),
    Field(keys.FIELD_BIRTH_DATE, keys.HEADER_BIRTH_DATE, 11),
    Field(keys.FIELD_CLASS, keys.HEADER_CLASS, 7),
    Field(keys.FIELD_PARENT_NAME, keys.HEADER_PARENT_NAME, 22),
    Field(keys.FIELD_PARENT_PHONE, keys.HEADER_PARENT_PHONE, 13),
)
TRAILING_FIELDS = (
    Field(keys.FIELD_SIGNATURE, keys.HEADER_SIGNATURE, 14),
    Field(keys.FIELD_NOTES, keys.HEADER_NOTES, 16),
)
PACKAGE_WIDTH = 14


@dataclass(frozen=True)
class ClassBlock:
    """The rows of one class on a sheet."""

    school_class: SchoolClass
    students: tuple[Student, ...]
    first_row: int

    @property
    def last_row(self) -> int:
        """Row of the class's last student."""
        return self.first_row + len(self.students) - 1


@dataclass(frozen=True)
class SheetPlan:
    """One data sheet: its name, heading, package columns and class blocks."""

    name: str
    heading: str
    packages: tuple[Package, ...]
    blocks: tuple[ClassBlock, ...]
    has_blocked_cells: bool

    header_row = HEADER_ROW
    first_data_row = FIRST_DATA_ROW

    @property
    def last_data_row(self) -> int:
        """Row of the sheet's last student."""
        return self.blocks[-1].last_row

    @property
    def column_count(self) -> int:
        """Number of table columns."""
        return len(LEADING_FIELDS) + len(self.packages) + len(TRAILING_FIELDS)

    def package_column(self, position: int) -> int:
        """1-based column of the package at this position."""
        return len(LEADING_FIELDS) + 1 + position

    def field_columns(self) -> list[tuple[Field, int]]:
        """Every fixed field with its 1-based column."""
        tail_start = len(LEADING_FIELDS) + len(self.packages) + 1
        leading = [(f, i) for i, f in enumerate(LEADING_FIELDS, 1)]
        trailing = [(f, i) for i, f in enumerate(TRAILING_FIELDS, tail_start)]
        return leading + trailing

    def tick_areas(self) -> list[tuple[int, int, int, int]]:
        """Rectangles (min col, min row, max col, max row) open to ticks."""
        areas = []
        for first, last, grade in grade_runs(self.blocks):
            for start, end in self._open_spans(grade):
                areas.append((start, first, end, last))
        return areas

    def _open_spans(self, grade: int) -> list[tuple[int, int]]:
        columns = [
            self.package_column(i)
            for i, package in enumerate(self.packages)
            if package.fits(grade)
        ]
        return column_spans(columns)


def grade_runs(blocks) -> list[tuple[int, int, int]]:
    """Consecutive rows of one grade: (first row, last row, grade)."""
    runs: list[tuple[int, int, int]] = []
    for block in blocks:
        grade = block.school_class.grade
        if runs and runs[-1][2] == grade:
            runs[-1] = (runs[-1][0], block.last_row, grade)
        else:
            runs.append((block.first_row, block.last_row, grade))
    return runs


def column_spans(columns: list[int]) -> list[tuple[int, int]]:
    """Sorted column numbers as (first, last) runs of neighbours."""
    spans: list[tuple[int, int]] = []
    for column in columns:
        if spans and spans[-1][1] == column - 1:
            spans[-1] = (spans[-1][0], column)
        else:
            spans.append((column, column))
    return spans


def plan_sheets(request: TemplateRequest) -> list[SheetPlan]:
    """The data sheets of the workbook, in tab order."""
    groups = _class_groups(request)
    if request.layout == keys.LAYOUT_SINGLE_SHEET:
        return [_single_sheet(request, groups)]
    return _per_class_sheets(request, groups)


def _class_groups(request: TemplateRequest) -> list[tuple[SchoolClass, list]]:
    classes = _selected_classes(request)
    rosters = _rosters(request, classes)
    groups = [
        (classes[key], sorted(rows, key=_student_order))
        for key, rows in rosters.items()
        if rows
    ]
    if not groups:
        raise TemplateError(
            "template.no_students", "Không có học sinh nào để tạo danh sách."
        )
    return sorted(groups, key=lambda group: natural_key(group[0].name))


def _selected_classes(request: TemplateRequest) -> dict[str, SchoolClass]:
    classes = {class_key(c.name): c for c in request.classes}
    if request.class_name is None:
        return classes
    wanted = class_key(request.class_name)
    if wanted not in classes:
        raise TemplateError(
            "template.unknown_class",
            f"Không tìm thấy lớp {request.class_name} trong danh sách lớp.",
        )
    return {wanted: classes[wanted]}


def _rosters(request, classes: dict[str, SchoolClass]) -> dict[str, list]:
    """Students per class key; a class missing from `classes` is added."""
    rosters: dict[str, list[Student]] = {key: [] for key in classes}
    for student in request.students:
        key = class_key(student.class_name)
        if key not in rosters and request.class_name is None:
            classes[key] = _inferred_class(student)
            rosters[key] = []
        if key in rosters:
            rosters[key].append(student)
    return rosters


def _inferred_class(student: Student) -> SchoolClass:
    grade = grade_of(student.class_name)
    if grade is None:
        raise TemplateError(
            "template.unknown_student_class",
            f"Không biết khối của lớp {student.class_name!r} "
            f"(học sinh {student.code}).",
        )
    return SchoolClass(class_key(student.class_name), grade)


def _student_order(student: Student) -> tuple:
    return student_name_key(student.full_name), student.code


def _per_class_sheets(request, groups) -> list[SheetPlan]:
    names = sheet_names([c.name for c, _ in groups], {keys.HIDDEN_SHEET})
    return [
        SheetPlan(
            name=name,
            heading=class_heading(school_class, len(students)),
            packages=_packages_for(request, [school_class.grade]),
            blocks=(ClassBlock(school_class, tuple(students), FIRST_DATA_ROW),),
            has_blocked_cells=False,
        )
        for name, (school_class, students) in zip(names, groups, strict=True)
    ]


def _single_sheet(request, groups) -> SheetPlan:
    blocks, row = [], FIRST_DATA_ROW
    for school_class, students in groups:
        blocks.append(ClassBlock(school_class, tuple(students), row))
        row += len(students)
    grades = sorted({c.grade for c, _ in groups})
    packages = _packages_for(request, grades)
    return SheetPlan(
        name=_single_sheet_name(request, groups),
        heading=_single_heading(groups),
        packages=packages,
        blocks=tuple(blocks),
        has_blocked_cells=any(not p.fits(g) for p in packages for g in grades),
    )


def _single_sheet_name(request, groups) -> str:
    wanted = groups[0][0].name if request.class_name else WHOLE_SCHOOL_SHEET
    return sheet_names([wanted], {keys.HIDDEN_SHEET})[0]


def _packages_for(request, grades: list[int]) -> tuple[Package, ...]:
    return tuple(p for p in request.packages if any(p.fits(grade) for grade in grades))


def title_lines(request: TemplateRequest, sheet: SheetPlan) -> list[str]:
    """Texts of the title rows 1 to 5, top to bottom."""
    return [
        request.school.name,
        keys.TITLE,
        f"Năm học {request.school_year}",
        sheet.heading,
        INSTRUCTION,
    ]


def class_heading(school_class: SchoolClass, size: int) -> str:
    """The class line: class, head count and homeroom teacher (GVCN)."""
    teacher = school_class.homeroom_teacher or "……………………………………"
    return (
        f"Lớp: {school_class.name}    Sĩ số: {format_number(size)}    GVCN: {teacher}"
    )


def _single_heading(groups) -> str:
    if len(groups) == 1:
        school_class, students = groups[0]
        return class_heading(school_class, len(students))
    total = sum(len(students) for _, students in groups)
    return (
        f"Toàn trường: {format_number(len(groups))} lớp, "
        f"{format_number(total)} học sinh"
    )
