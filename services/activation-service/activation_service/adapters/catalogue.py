"""The package catalogue in the database."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.model import Package
from .sql import insert_for, now
from .tables import PackageRow


def _package(row: PackageRow) -> Package:
    return Package(row.code, row.school_year, row.name, tuple(row.grades),
                   row.price, tuple(row.courses), row.on_sale)


async def get_package(session: AsyncSession, school_year: str,
                      code: str) -> Package | None:
    """One package of a school year, or None."""
    row = await session.get(PackageRow, (school_year, code))
    return _package(row) if row else None


async def save_package(session: AsyncSession, package: Package) -> None:
    """Insert or replace a package of the catalogue."""
    values = {"name": package.name, "grades": list(package.grades),
              "price": package.price, "courses": list(package.courses),
              "on_sale": package.on_sale, "updated_at": now()}
    statement = insert_for(session, PackageRow.__table__).values(
        school_year=package.school_year, code=package.code, **values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=["school_year", "code"], set_=values))


async def list_packages(session: AsyncSession, school_year: str | None,
                        grade: int | None) -> list[Package]:
    """Packages of a school year (all years when None) that fit a grade."""
    query = select(PackageRow).order_by(PackageRow.school_year.desc(),
                                        PackageRow.code)
    if school_year:
        query = query.where(PackageRow.school_year == school_year)
    packages = [_package(r) for r in await session.scalars(query)]
    # Grades are a JSON list; the catalogue is small enough to filter here.
    return [p for p in packages if grade is None or grade in p.grades]


async def packages_by_code(session: AsyncSession, school_year: str,
                           codes: list[str]) -> dict[str, Package]:
    """The packages of a school year with these codes."""
    rows = await session.scalars(select(PackageRow).where(
        PackageRow.school_year == school_year, PackageRow.code.in_(codes)))
    return {r.code: _package(r) for r in rows}


async def latest_school_year(session: AsyncSession) -> str | None:
    """The most recent school year that has a catalogue."""
    return await session.scalar(select(func.max(PackageRow.school_year)))
