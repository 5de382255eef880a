"""Schools in the database."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.model import School
from .sql import insert_for, now
from .tables import SchoolRow


def _school(row: SchoolRow) -> School:
    return School(row.code, row.name, row.province, row.auto_approve)


async def get_school(session: AsyncSession, code: str) -> School | None:
    """The school with this code, or None."""
    row = await session.get(SchoolRow, code)
    return _school(row) if row else None


async def list_schools(session: AsyncSession, codes: list[str] | None,
                       limit: int, offset: int) -> tuple[list[School], int]:
    """A page of schools (only these codes when given) and the total."""
    query = select(SchoolRow)
    if codes is not None:
        query = query.where(SchoolRow.code.in_(codes))
    total = await session.scalar(
        select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(SchoolRow.code).limit(limit).offset(offset))
    return [_school(r) for r in rows], total or 0


async def insert_school(session: AsyncSession, school: School) -> bool:
    """Add a school; False when its code is taken."""
    stamp = now()
    statement = insert_for(session, SchoolRow.__table__).values(
        code=school.code, name=school.name, province=school.province,
        auto_approve=school.auto_approve, created_at=stamp, updated_at=stamp,
    ).on_conflict_do_nothing()
    return (await session.execute(statement)).rowcount == 1


async def update_school(session: AsyncSession, school: School) -> None:
    """Store a school's new name, province and approval setting."""
    await session.execute(
        update(SchoolRow).where(SchoolRow.code == school.code).values(
            name=school.name, province=school.province,
            auto_approve=school.auto_approve, updated_at=now()))
