"""The things the activation-service keeps, as immutable values."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

ACCOUNT_NONE = "none"
ACCOUNT_ACTIVE = "active"
ACCOUNT_LOCKED = "locked"


@dataclass(frozen=True)
class School:
    """A school and whether its registrations are approved at once."""

    code: str
    name: str
    province: str | None
    auto_approve: bool


@dataclass(frozen=True)
class Package:
    """A package of the catalogue in one school year."""

    code: str
    school_year: str
    name: str
    grades: tuple[int, ...]
    price: int
    courses: tuple[str, ...]
    on_sale: bool

    def fits(self, grade: int | None) -> bool:
        """Whether a student of this grade may have the package."""
        return grade is not None and grade in self.grades


@dataclass(frozen=True)
class Account:
    """A review account, without its password."""

    id: uuid.UUID
    username: str
    status: str


@dataclass(frozen=True)
class Student:
    """A student as the roster and the parents told us."""

    id: uuid.UUID
    school_code: str
    code: str
    full_name: str
    date_of_birth: date | None
    gender: str | None
    class_name: str
    grade: int
    parent_name: str | None
    parent_phone: str | None
    account: Account | None = None

    @property
    def account_status(self) -> str:
        return self.account.status if self.account else ACCOUNT_NONE


@dataclass(frozen=True)
class Credentials:
    """A new password, shown once on a slip and never stored in clear."""

    student: Student
    username: str
    password: str
