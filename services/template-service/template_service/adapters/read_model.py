"""Keeping the read model current, and reading a school's roster from it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hoclieu_shared.events import (
    PackageCatalogUpdated,
    SchoolUpdated,
    StudentAccountUpdated,
)

from ..workbook import Package, School, Student
from .tables import PackageRow, SchoolRow, StudentRow


async def save_school(session: AsyncSession, body: SchoolUpdated,
                      at: datetime) -> None:
    """Upsert a school unless a newer version was already applied."""
    row = await session.get(SchoolRow, body.code)
    if row is None:
        session.add(SchoolRow(code=body.code, name=body.name,
                              province=body.province, updated_at=at))
    elif _aware(row.updated_at) <= at:
        row.name, row.province, row.updated_at = body.name, body.province, at


async def save_student(session: AsyncSession, school_code: str,
                       body: StudentAccountUpdated, at: datetime) -> None:
    """Upsert or delete a student unless a newer version was applied."""
    row = await session.get(StudentRow, (school_code, body.student_code))
    if row is not None and _aware(row.updated_at) > at:
        return
    if body.deleted:
        await session.execute(delete(StudentRow).where(
            StudentRow.school_code == school_code,
            StudentRow.code == body.student_code))
        return
    values = _student_values(body, at)
    if row is None:
        session.add(StudentRow(school_code=school_code, code=body.student_code,
                               **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def _student_values(body: StudentAccountUpdated, at: datetime) -> dict:
    return {
        "full_name": body.full_name, "date_of_birth": body.date_of_birth,
        "gender": body.gender, "class_name": body.class_name,
        "grade": body.grade, "parent_name": body.parent_name,
        "parent_phone": body.parent_phone, "updated_at": at,
    }


async def save_package(session: AsyncSession, body: PackageCatalogUpdated,
                       at: datetime) -> None:
    """Upsert a package of the catalogue unless a newer version was applied."""
    row = await session.get(PackageRow, (body.code, body.school_year))
    values = {"name": body.name, "grades": list(body.grades),
              "price": body.price, "on_sale": body.on_sale, "updated_at": at}
    if row is None:
        session.add(PackageRow(code=body.code, school_year=body.school_year,
                               **values))
    elif _aware(row.updated_at) <= at:
        for name, value in values.items():
            setattr(row, name, value)


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def load_school(session: AsyncSession, code: str) -> School | None:
    row = await session.get(SchoolRow, code)
    return School(row.code, row.name, row.province or "") if row else None


async def load_students(session: AsyncSession, school_code: str) -> list[Student]:
    rows = await session.scalars(select(StudentRow).where(
        StudentRow.school_code == school_code))
    return [Student(r.code, r.full_name, r.date_of_birth, r.gender, r.class_name,
                    r.parent_name, r.parent_phone) for r in rows]


async def load_class_grades(session: AsyncSession, school_code: str) -> dict[str, int]:
    rows = await session.execute(
        select(StudentRow.class_name, StudentRow.grade)
        .where(StudentRow.school_code == school_code).distinct())
    return {name: grade for name, grade in rows if grade is not None}


async def load_packages(session: AsyncSession, school_year: str) -> list[Package]:
    rows = await session.scalars(select(PackageRow).where(
        PackageRow.school_year == school_year))
    return [Package(r.code, r.name, tuple(r.grades), r.price, r.on_sale)
            for r in rows]


async def latest_school_year(session: AsyncSession) -> str | None:
    years = await session.scalars(select(PackageRow.school_year).distinct())
    return max(years, default=None)
