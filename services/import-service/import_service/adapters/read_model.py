"""The read model of schools, students, the catalogue and active packages.

Fed by the consumers; read when a check needs its SchoolContext.
"""

from __future__ import annotations

from hoclieu_shared.events import (
    PackageActivated,
    PackageCatalogUpdated,
    SchoolUpdated,
    StudentAccountUpdated,
    utcnow,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .sql import upsert
from .tables import ActivePackage, Package, School, Student


async def save_school(session: AsyncSession, body: SchoolUpdated) -> None:
    """Remember a school's name and whether its imports approve themselves."""
    values = {"code": body.code, "name": body.name, "province": body.province,
              "auto_approve": body.auto_approve, "updated_at": utcnow()}
    await session.execute(upsert(session, School.__table__, values, ["code"]))


async def save_student(session: AsyncSession, school_code: str,
                       body: StudentAccountUpdated) -> None:
    """Remember a student as the roster now has them (or their deletion)."""
    values = {
        "school_code": school_code, "code": body.student_code,
        "full_name": body.full_name, "date_of_birth": body.date_of_birth,
        "class_name": body.class_name, "grade": body.grade,
        "parent_name": body.parent_name, "parent_phone": body.parent_phone,
        "deleted": body.deleted, "updated_at": utcnow(),
    }
    await session.execute(
        upsert(session, Student.__table__, values, ["school_code", "code"]))


async def save_package(session: AsyncSession, body: PackageCatalogUpdated) -> None:
    """Remember a package of the catalogue."""
    values = {"code": body.code, "name": body.name,
              "school_year": body.school_year, "grades": list(body.grades),
              "on_sale": body.on_sale, "updated_at": utcnow()}
    await session.execute(upsert(session, Package.__table__, values, ["code"]))


async def save_activation(session: AsyncSession, school_code: str,
                          body: PackageActivated) -> None:
    """Remember that a student's package is active."""
    values = {"school_code": school_code, "school_year": body.school_year,
              "student_code": body.student_code,
              "package_code": body.package_code,
              "activation_id": body.activation_id,
              "activated_at": body.activated_at}
    keys = ["school_code", "school_year", "student_code", "package_code"]
    await session.execute(upsert(session, ActivePackage.__table__, values, keys))


async def find_school(session: AsyncSession, code: str) -> School | None:
    """The school as last announced, or None when no event named it yet."""
    return await session.get(School, code)


async def students_of(session: AsyncSession, school_code: str) -> list[Student]:
    """Every student of a school that is not deleted."""
    result = await session.scalars(select(Student).where(
        Student.school_code == school_code, Student.deleted.is_(False)))
    return list(result)


async def packages_of_year(session: AsyncSession, school_year: str) -> list[Package]:
    """The catalogue of one school year."""
    result = await session.scalars(
        select(Package).where(Package.school_year == school_year))
    return list(result)


async def latest_sale_year(session: AsyncSession) -> str | None:
    """The most recent school year with a package on sale."""
    return await session.scalar(
        select(Package.school_year).where(Package.on_sale.is_(True))
        .order_by(Package.school_year.desc()).limit(1))


async def active_packages(session: AsyncSession, school_code: str,
                          school_year: str) -> dict[str, set[str]]:
    """Active package codes per student of a school in one school year."""
    rows = await session.execute(
        select(ActivePackage.student_code, ActivePackage.package_code).where(
            ActivePackage.school_code == school_code,
            ActivePackage.school_year == school_year))
    active: dict[str, set[str]] = {}
    for student, package in rows:
        active.setdefault(student, set()).add(package)
    return active

