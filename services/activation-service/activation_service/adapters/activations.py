"""Activations (entitlements) in the database."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .sql import insert_for
from .tables import ActivationRow


async def add_activation(session: AsyncSession, values: dict) -> bool:
    """Record an activation; False when the package was already active."""
    statement = insert_for(session, ActivationRow.__table__).values(
        **values).on_conflict_do_nothing().returning(ActivationRow.id)
    return (await session.scalar(statement)) is not None


async def active_codes(session: AsyncSession, school: str,
                       student_codes: list[str],
                       school_year: str | None) -> dict[str, list[str]]:
    """The package codes active for each of these students in a year."""
    query = select(ActivationRow.student_code, ActivationRow.package_code).where(
        ActivationRow.school_code == school,
        ActivationRow.student_code.in_(student_codes))
    if school_year:
        query = query.where(ActivationRow.school_year == school_year)
    found: dict[str, list[str]] = defaultdict(list)
    for student_code, package_code in await session.execute(
            query.order_by(ActivationRow.package_code)):
        found[student_code].append(package_code)
    return found


async def counts_by_package(session: AsyncSession, school: str,
                            school_year: str | None) -> dict[str, int]:
    """How many students have each package active."""
    query = select(ActivationRow.package_code, func.count()).where(
        ActivationRow.school_code == school).group_by(ActivationRow.package_code)
    if school_year:
        query = query.where(ActivationRow.school_year == school_year)
    return dict((await session.execute(query)).all())


def activation_values(*, school: str, student, school_year: str,
                      package_code: str, activated_by: str, via: str,
                      registration_id: uuid.UUID | None, activated_at) -> dict:
    """The values of a new activation row."""
    return {"id": uuid.uuid4(), "school_code": school,
            "student_code": student.code, "school_year": school_year,
            "package_code": package_code, "student_id": student.id,
            "account_id": student.account.id, "activated_by": activated_by[:100],
            "via": via, "registration_id": registration_id,
            "activated_at": activated_at}
