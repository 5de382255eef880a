"""What a registration workbook is made from: immutable input types."""

from dataclasses import dataclass, field
from datetime import date

from hoclieu_shared.sheets import template_keys as keys

LAYOUTS = (keys.LAYOUT_PER_CLASS, keys.LAYOUT_SINGLE_SHEET)


class TemplateError(ValueError):
    """A request that cannot become a workbook; `code` is stable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class School:
    """The school the workbook is for."""

    code: str
    name: str
    province: str = ""


@dataclass(frozen=True)
class SchoolClass:
    """A class (lớp) with its grade (khối) and homeroom teacher (GVCN)."""

    name: str
    grade: int
    homeroom_teacher: str | None = None


@dataclass(frozen=True)
class Student:
    """One roster line; parent fields are None when not known yet."""

    code: str
    full_name: str
    date_of_birth: date | None
    gender: str | None
    class_name: str
    parent_name: str | None = None
    parent_phone: str | None = None


@dataclass(frozen=True)
class Package:
    """A learning package of the school year's catalogue."""

    code: str
    name: str
    grades: tuple[int, ...]
    price: int
    on_sale: bool = True

    def __post_init__(self):
        object.__setattr__(self, "grades", tuple(self.grades))

    def fits(self, grade: int) -> bool:
        """True when the package is on sale for students of this grade."""
        return self.on_sale and grade in self.grades


@dataclass(frozen=True)
class TemplateRequest:
    """Everything one registration workbook is generated from."""

    school: School
    classes: tuple[SchoolClass, ...]
    students: tuple[Student, ...]
    packages: tuple[Package, ...]
    school_year: str
    layout: str = keys.LAYOUT_PER_CLASS
    class_name: str | None = None
    tick_choices: tuple[str, ...] = field(default=keys.TICK_CHOICES)

    def __post_init__(self):
        for name in ("classes", "students", "packages", "tick_choices"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.layout not in LAYOUTS:
            raise TemplateError(
                "template.unknown_layout",
                "Kiểu mẫu không hợp lệ: chọn per-class hoặc single-sheet.",
            )
