"""Classes and students in the database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.model import Account, Student
from .sql import chunks, insert_for, now
from .tables import AccountRow, ClassRow, StudentRow

STUDENT_COLUMNS = ("full_name", "date_of_birth", "gender", "class_id",
                   "parent_name", "parent_phone", "updated_at")


def _query() -> Select:
    return (
        select(StudentRow, ClassRow.name, ClassRow.grade, AccountRow)
        .join(ClassRow, ClassRow.id == StudentRow.class_id)
        .outerjoin(AccountRow, AccountRow.student_id == StudentRow.id)
    )


def _class_order(query: Select) -> Select:
    # Grade, then length, then name: 6A2 comes before 6A10.
    return query.order_by(ClassRow.grade, func.length(ClassRow.name),
                          ClassRow.name, StudentRow.code)


def _student(row) -> Student:
    student, class_name, grade, account = row
    return Student(
        id=student.id, school_code=student.school_code, code=student.code,
        full_name=student.full_name, date_of_birth=student.date_of_birth,
        gender=student.gender, class_name=class_name, grade=grade,
        parent_name=student.parent_name, parent_phone=student.parent_phone,
        account=Account(account.id, account.username, account.status)
        if account else None)


async def get_student(session: AsyncSession, school: str,
                      code: str) -> Student | None:
    """One student with their account, or None."""
    row = (await session.execute(_query().where(
        StudentRow.school_code == school, StudentRow.code == code))).first()
    return _student(row) if row else None


async def school_students(session: AsyncSession, school: str,
                          class_name: str | None = None) -> list[Student]:
    """Every student of a school (or one class), in class order."""
    query = _query().where(StudentRow.school_code == school)
    if class_name:
        query = query.where(ClassRow.name == class_name)
    return [_student(r) for r in await session.execute(_class_order(query))]


async def page_of_students(session: AsyncSession, school: str,
                           class_name: str | None, limit: int,
                           offset: int) -> tuple[list[Student], int]:
    """A page of a school's students (or one class's) and the total."""
    query = _query().where(StudentRow.school_code == school)
    if class_name:
        query = query.where(ClassRow.name == class_name)
    total = await session.scalar(
        select(func.count()).select_from(query.subquery()))
    rows = await session.execute(_class_order(query).limit(limit).offset(offset))
    return [_student(r) for r in rows], total or 0


async def class_ids(session: AsyncSession, school: str) -> dict[str, uuid.UUID]:
    """The id of each class of a school, by name."""
    rows = await session.execute(select(ClassRow.name, ClassRow.id).where(
        ClassRow.school_code == school))
    return dict(rows.all())


async def add_classes(session: AsyncSession, school: str,
                      grades: dict[str, int]) -> dict[str, uuid.UUID]:
    """Create the classes that are missing; return every class id by name."""
    existing = await class_ids(session, school)
    rows = [{"id": uuid.uuid4(), "school_code": school, "name": name,
             "grade": grade} for name, grade in grades.items()
            if name not in existing]
    if rows:
        await session.execute(
            insert_for(session, ClassRow.__table__).on_conflict_do_nothing(),
            rows)
        existing = await class_ids(session, school)
    return existing


async def upsert_students(session: AsyncSession, rows: Sequence[dict]) -> None:
    """Insert students or replace their roster fields, in a few statements."""
    if not rows:
        return
    base = insert_for(session, StudentRow.__table__)
    statement = base.on_conflict_do_update(
        index_elements=["school_code", "code"],
        set_={name: base.excluded[name] for name in STUDENT_COLUMNS})
    for chunk in chunks(rows, width=len(rows[0])):
        await session.execute(statement.values(list(chunk)))


async def set_parent(session: AsyncSession, student_id: uuid.UUID,
                     name: str | None, phone: str | None) -> None:
    """Store a student's parent name and normalised phone."""
    await session.execute(update(StudentRow).where(
        StudentRow.id == student_id).values(
        parent_name=name, parent_phone=phone, updated_at=now()))


async def class_counts(session: AsyncSession, school: str) -> list[dict]:
    """Each class with its number of students and of accounts."""
    query = (
        select(ClassRow.name, ClassRow.grade,
               func.count(StudentRow.id), func.count(AccountRow.id))
        .outerjoin(StudentRow, StudentRow.class_id == ClassRow.id)
        .outerjoin(AccountRow, AccountRow.student_id == StudentRow.id)
        .where(ClassRow.school_code == school)
        .group_by(ClassRow.id, ClassRow.name, ClassRow.grade)
        .order_by(ClassRow.grade, func.length(ClassRow.name), ClassRow.name))
    return [{"name": n, "grade": g, "students": s, "accounts": a}
            for n, g, s, a in await session.execute(query)]
