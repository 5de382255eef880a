"""Batches, registrations and their packages in the database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hoclieu_shared.events import PackageActivated
from sqlalchemy import Row, case, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from .bulk import write_rows
from .sql import is_postgres, rows_per_statement
from .tables import Batch, Registration, RegistrationPackage

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
ACTIVATED = "activated"

REGISTRATION_COLUMNS = (
    "id", "batch_id", "school_code", "school_year", "student_code",
    "class_name", "full_name", "parent_name", "parent_phone", "source",
    "source_file", "sheet", "row_number", "imported_by", "imported_at",
    "status", "decided_by", "decided_at")
PACKAGE_COLUMNS = ("registration_id", "package_code", "school_code",
                   "school_year", "student_code", "rejected")


@dataclass(frozen=True)
class Decided:
    """A registration a decision just changed, with what its event needs."""

    id: uuid.UUID
    student_code: str
    school_year: str
    parent_name: str | None
    parent_phone: str | None
    package_codes: list[str]


async def lock_school_year(session: AsyncSession, school_code: str,
                           school_year: str) -> None:
    """Serialise commits of one school and year until this transaction ends."""
    if is_postgres(session):
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"import-commit:{school_code}:{school_year}"})


async def live_packages(session: AsyncSession, school_code: str,
                        school_year: str) -> dict[str, set[str]]:
    """Packages already registered (and not rejected) per student."""
    rows = await session.execute(
        select(RegistrationPackage.student_code,
               RegistrationPackage.package_code).where(
            RegistrationPackage.school_code == school_code,
            RegistrationPackage.school_year == school_year,
            RegistrationPackage.rejected.is_(False)))
    live: dict[str, set[str]] = {}
    for student, package in rows:
        live.setdefault(student, set()).add(package)
    return live


async def live_package_origins(session: AsyncSession, school_code: str,
                               school_year: str) -> list[Row]:
    """Live packages with their registration's status and batch (for notes)."""
    result = await session.execute(
        select(RegistrationPackage.student_code,
               RegistrationPackage.package_code,
               RegistrationPackage.activated_at, Registration.status,
               Batch.id.label("batch_id"), Batch.file_name, Batch.created_at)
        .join(Registration,
              Registration.id == RegistrationPackage.registration_id)
        .join(Batch, Batch.id == Registration.batch_id)
        .where(RegistrationPackage.school_code == school_code,
               RegistrationPackage.school_year == school_year,
               RegistrationPackage.rejected.is_(False)))
    return list(result)


async def add_batch(session: AsyncSession, batch: Batch) -> None:
    """Insert a batch row now, so its registrations can refer to it."""
    session.add(batch)
    await session.flush()


async def write_registrations(session: AsyncSession, registrations: list[tuple],
                              packages: list[tuple]) -> None:
    """Bulk-insert registrations and their package rows."""
    await write_rows(session, Registration.__table__, REGISTRATION_COLUMNS,
                     registrations)
    await write_rows(session, RegistrationPackage.__table__, PACKAGE_COLUMNS,
                     packages)


def _counts_query():
    status = Registration.status
    return select(
        Registration.batch_id,
        func.count().label("imported"),
        func.sum(case((status == PENDING, 1), else_=0)).label("pending"),
        func.sum(case((status == APPROVED, 1), else_=0)).label("approved"),
        func.sum(case((status == REJECTED, 1), else_=0)).label("rejected"),
        func.count(Registration.activated_at).label("activated"),
    ).group_by(Registration.batch_id)


EMPTY_COUNTS = {"imported": 0, "pending": 0, "approved": 0, "rejected": 0,
                "activated": 0}


async def batch_counts(session: AsyncSession,
                       batch_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """Registrations per status of each batch (zeros for empty batches)."""
    counts = {batch_id: dict(EMPTY_COUNTS) for batch_id in batch_ids}
    if batch_ids:
        rows = await session.execute(
            _counts_query().where(Registration.batch_id.in_(batch_ids)))
        for row in rows:
            counts[row.batch_id] = {k: int(v or 0) for k, v in
                                    row._mapping.items() if k != "batch_id"}
    return counts


async def school_batches(session: AsyncSession, school_code: str, *,
                         limit: int, offset: int) -> tuple[list[Batch], int]:
    """A school's batches, newest first, and how many there are."""
    where = Batch.school_code == school_code
    total = await session.scalar(
        select(func.count()).select_from(Batch).where(where))
    items = await session.scalars(
        select(Batch).where(where).order_by(Batch.created_at.desc())
        .limit(limit).offset(offset))
    return list(items), int(total or 0)


async def batches_with_status(session: AsyncSession, status: str,
                              school_code: str | None, *, limit: int,
                              offset: int) -> tuple[list[Batch], int]:
    """Batches holding registrations in a status; the oldest first."""
    having = select(Registration.id).where(
        Registration.batch_id == Batch.id, Registration.status == status)
    conditions = [having.exists()]
    if school_code:
        conditions.append(Batch.school_code == school_code)
    total = await session.scalar(select(func.count()).select_from(Batch)
                                 .where(*conditions))
    items = await session.scalars(
        select(Batch).where(*conditions).order_by(Batch.created_at, Batch.id)
        .limit(limit).offset(offset))
    return list(items), int(total or 0)


async def batch_registrations(session: AsyncSession, batch_id: uuid.UUID, *,
                              status: str | None, limit: int, offset: int
                              ) -> tuple[list[tuple[Registration, list]], int]:
    """A page of a batch's registrations with their packages, in row order."""
    conditions = [Registration.batch_id == batch_id, *_shown(status)]
    total = await session.scalar(
        select(func.count()).select_from(Registration).where(*conditions))
    registrations = list(await session.scalars(
        select(Registration).where(*conditions)
        .order_by(Registration.row_number, Registration.id)
        .limit(limit).offset(offset)))
    packages = await _packages_of(session, [r.id for r in registrations])
    page = [(r, packages.get(r.id, [])) for r in registrations]
    return page, int(total or 0)


def _shown(status: str | None) -> list:
    # "activated" is an approved registration whose packages are all on.
    if status is None:
        return []
    if status == ACTIVATED:
        return [Registration.activated_at.is_not(None)]
    conditions = [Registration.status == status]
    if status == APPROVED:
        conditions.append(Registration.activated_at.is_(None))
    return conditions


async def _packages_of(session: AsyncSession, ids: list[uuid.UUID]
                       ) -> dict[uuid.UUID, list[RegistrationPackage]]:
    found: dict[uuid.UUID, list[RegistrationPackage]] = {}
    for part in _slices(ids):
        rows = await session.scalars(
            select(RegistrationPackage)
            .where(RegistrationPackage.registration_id.in_(part))
            .order_by(RegistrationPackage.package_code))
        for row in rows:
            found.setdefault(row.registration_id, []).append(row)
    return found


def _slices(ids: list[uuid.UUID]):
    # IN lists stay under the bind-parameter limit, with room for the rest.
    step = rows_per_statement(1) - 10
    for start in range(0, len(ids), step):
        yield ids[start:start + step]


async def decide(session: AsyncSession, batch_id: uuid.UUID,
                 ids: list[uuid.UUID] | None, *, status: str, actor: str,
                 at: datetime, reason: str | None = None) -> list[Decided]:
    """Move pending registrations to a decision; returns only those it moved.

    The UPDATE's own condition (still pending) makes a concurrent second
    decision on the same rows change nothing: PostgreSQL re-checks it after
    the first transaction commits, SQLite runs one writer at a time.
    """
    decided_ids: list[uuid.UUID] = []
    for part in _id_parts(ids):
        statement = (
            update(Registration)
            .where(Registration.batch_id == batch_id,
                   Registration.status == PENDING)
            .values(status=status, decided_by=actor, decided_at=at,
                    reason=reason)
            .returning(Registration.id)
            .execution_options(synchronize_session=False))
        if part is not None:
            statement = statement.where(Registration.id.in_(part))
        decided_ids += list(await session.scalars(statement))
    if status == REJECTED and decided_ids:
        await _release_packages(session, decided_ids)
    return await _decided(session, decided_ids)


def _id_parts(ids: list[uuid.UUID] | None):
    if ids is None:
        yield None
    else:
        yield from _slices(ids)


async def _release_packages(session: AsyncSession, ids: list[uuid.UUID]) -> None:
    for part in _slices(ids):
        await session.execute(
            update(RegistrationPackage)
            .where(RegistrationPackage.registration_id.in_(part))
            .values(rejected=True))


async def _decided(session: AsyncSession, ids: list[uuid.UUID]) -> list[Decided]:
    codes: dict[uuid.UUID, list[str]] = {}
    rows = []
    for part in _slices(ids):
        packages = await session.execute(
            select(RegistrationPackage.registration_id,
                   RegistrationPackage.package_code)
            .where(RegistrationPackage.registration_id.in_(part))
            .order_by(RegistrationPackage.package_code))
        for registration_id, code in packages:
            codes.setdefault(registration_id, []).append(code)
        rows += (await session.execute(
            select(Registration.id, Registration.student_code,
                   Registration.school_year, Registration.parent_name,
                   Registration.parent_phone, Registration.row_number)
            .where(Registration.id.in_(part)))).all()
    rows.sort(key=lambda r: (r.row_number, str(r.id)))
    return [Decided(r.id, r.student_code, r.school_year, r.parent_name,
                    r.parent_phone, codes.get(r.id, [])) for r in rows]


async def mark_activated(session: AsyncSession, school_code: str,
                         body: PackageActivated) -> None:
    """Note an activation on the registration it came from (or the one that fits)."""
    matched = await _activate_package(session, body, [
        RegistrationPackage.registration_id == body.registration_id,
    ]) if body.registration_id else []
    if not matched:
        matched = await _activate_package(session, body, [
            RegistrationPackage.school_code == school_code,
            RegistrationPackage.school_year == body.school_year,
            RegistrationPackage.student_code == body.student_code,
            RegistrationPackage.rejected.is_(False),
        ])
    for registration_id in matched:
        await _close_if_all_active(session, registration_id, body.activated_at)


async def _activate_package(session: AsyncSession, body: PackageActivated,
                            conditions: list) -> list[uuid.UUID]:
    statement = (
        update(RegistrationPackage)
        .where(*conditions, RegistrationPackage.package_code == body.package_code,
               RegistrationPackage.activated_at.is_(None))
        .values(activated_at=body.activated_at, activation_id=body.activation_id)
        .returning(RegistrationPackage.registration_id)
        .execution_options(synchronize_session=False))
    return list(await session.scalars(statement))


async def _close_if_all_active(session: AsyncSession, registration_id: uuid.UUID,
                               at: datetime) -> None:
    waiting = select(RegistrationPackage.package_code).where(
        RegistrationPackage.registration_id == registration_id,
        RegistrationPackage.activated_at.is_(None))
    await session.execute(
        update(Registration)
        .where(Registration.id == registration_id,
               Registration.activated_at.is_(None), ~waiting.exists())
        .values(activated_at=at))
