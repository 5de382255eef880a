"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..domain import errors
from ..domain.model import Package, School, Student
from ..domain.school_year import is_school_year
from ..usecases.queries import StudentView

CODE = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SchoolIn(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    province: str | None = Field(None, max_length=100)
    auto_approve: bool = False


class SchoolChange(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    province: str | None = Field(None, max_length=100)
    auto_approve: bool | None = None


class SchoolOut(BaseModel):
    code: str
    name: str
    province: str | None
    auto_approve: bool

    @classmethod
    def of(cls, school: School) -> SchoolOut:
        return cls(code=school.code, name=school.name, province=school.province,
                   auto_approve=school.auto_approve)


class PackageIn(Strict):
    # Optional: clients often send the catalogue entry as it is (with code).
    code: str | None = None
    name: str = Field(min_length=1, max_length=200)
    school_year: str
    grades: list[int] = Field(min_length=1)
    price: int = Field(ge=0)
    courses: list[str] = Field(default_factory=list)
    on_sale: bool = True

    @field_validator("school_year")
    @classmethod
    def _year(cls, value: str) -> str:
        if not is_school_year(value):
            raise ValueError("school year must look like 2025-2026")
        return value

    @field_validator("grades")
    @classmethod
    def _grades(cls, value: list[int]) -> list[int]:
        if any(not 1 <= g <= 12 for g in value):
            raise ValueError("grades go from 1 to 12")
        return sorted(set(value))

    def package(self, code: str) -> Package:
        if self.code is not None and self.code != code:
            raise errors.package_code_mismatch(code, self.code)
        return Package(code, self.school_year, self.name, tuple(self.grades),
                       self.price, tuple(self.courses), self.on_sale)


class PackageOut(BaseModel):
    code: str
    name: str
    school_year: str
    grades: list[int]
    price: int
    courses: list[str]
    on_sale: bool

    @classmethod
    def of(cls, p: Package) -> PackageOut:
        return cls(code=p.code, name=p.name, school_year=p.school_year,
                   grades=list(p.grades), price=p.price, courses=list(p.courses),
                   on_sale=p.on_sale)


class AccountOut(BaseModel):
    username: str
    status: str


class StudentOut(BaseModel):
    code: str
    full_name: str
    date_of_birth: date | None
    gender: str | None
    class_name: str
    grade: int
    parent_name: str | None
    parent_phone: str | None
    account: AccountOut | None
    packages: list[str]

    @classmethod
    def of(cls, student: Student, packages: list[str]) -> StudentOut:
        account = student.account
        return cls(
            code=student.code, full_name=student.full_name,
            date_of_birth=student.date_of_birth, gender=student.gender,
            class_name=student.class_name, grade=student.grade,
            parent_name=student.parent_name, parent_phone=student.parent_phone,
            account=AccountOut(username=account.username, status=account.status)
            if account else None,
            packages=packages)

    @classmethod
    def view(cls, view: StudentView) -> StudentOut:
        return cls.of(view.student, view.packages)


class ActivationIn(Strict):
    parent_name: str | None = Field(None, max_length=200)
    parent_phone: str | None = Field(None, max_length=40)
    package_codes: list[str] = Field(default_factory=list, max_length=50)
    school_year: str | None = None


class ActivationOut(StudentOut):
    school_year: str
    activated: list[str]
    already_active: list[str]
    account_created: bool
    notes: list[str]


class AccountsIn(Strict):
    class_name: str | None = Field(None, max_length=40)


class AccountStatusIn(Strict):
    status: Literal["active", "locked"]


class PasswordResetOut(BaseModel):
    student_code: str
    username: str
    password: str


class ClassOut(BaseModel):
    name: str
    grade: int
    students: int
    accounts: int


class CellProblem(BaseModel):
    field: str
    column: str | None
    code: str
    message: str


class InvalidRowOut(BaseModel):
    sheet: str | None
    row: int
    student_code: str | None
    problems: list[CellProblem]


class RosterOut(BaseModel):
    file_name: str
    sheet: str | None
    rows: int
    created: int
    updated: int
    unchanged: int
    invalid: int
    invalid_rows: list[InvalidRowOut]
    notes: list[str]


class SummaryOut(BaseModel):
    school: SchoolOut
    school_year: str | None
    classes: int
    students: int
    accounts: int
    accounts_by_status: dict[str, int]
    active_packages: dict[str, int]
