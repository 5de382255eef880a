"""The SchoolContext a check runs against, built from the read model."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters import read_model
from ..domain.context import CataloguePackage, RosterStudent, SchoolContext


async def build(session: AsyncSession, school_code: str,
                school_year: str | None) -> SchoolContext:
    """The school's roster, catalogue and active packages for one year."""
    year = school_year or await read_model.latest_sale_year(session) \
        or current_school_year(date.today())
    students = await read_model.students_of(session, school_code)
    active = await read_model.active_packages(session, school_code, year)
    packages = await read_model.packages_of_year(session, year)
    return SchoolContext(
        school_code=school_code, school_year=year,
        students=[_student(s, active.get(s.code, set())) for s in students],
        packages=[CataloguePackage(p.code, p.name, p.school_year,
                                   tuple(p.grades), p.on_sale)
                  for p in packages])


def _student(row, active: set[str]) -> RosterStudent:
    return RosterStudent(
        code=row.code, full_name=row.full_name,
        date_of_birth=row.date_of_birth, class_name=row.class_name,
        grade=row.grade, parent_name=row.parent_name,
        parent_phone=row.parent_phone, active_packages=frozenset(active))


def current_school_year(today: date) -> str:
    """The Vietnamese school year of a day: it starts in August."""
    first = today.year if today.month >= 8 else today.year - 1
    return f"{first}-{first + 1}"
