"""What the web UI reads: students with their packages, classes, overview."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters import accounts, activations
from ..adapters import students as roster
from ..adapters.account_list import account_list
from ..adapters.catalogue import latest_school_year
from ..adapters.schools import get_school
from ..domain import errors
from ..domain.model import School, Student
from .context import Context


@dataclass(frozen=True)
class StudentView:
    """A student with the codes of their active packages."""

    student: Student
    packages: list[str]


async def _school(session: AsyncSession, code: str) -> School:
    school = await get_school(session, code)
    if school is None:
        raise errors.school_not_found(code)
    return school


async def _year_or_none(ctx: Context, session: AsyncSession) -> str | None:
    """The configured school year, else the catalogue's latest, if any."""
    return ctx.settings.school_year or await latest_school_year(session)


async def student_view(ctx: Context, school: str, code: str) -> StudentView:
    """One student with their active packages of the current year."""
    async with ctx.db.session() as session:
        student = await roster.get_student(session, school, code)
        if student is None:
            raise errors.student_not_found(code)
        year = await _year_or_none(ctx, session)
        active = await activations.active_codes(session, school, [code], year)
    return StudentView(student, active.get(code, []))


async def student_page(ctx: Context, school: str, class_name: str | None,
                       limit: int, offset: int) -> tuple[list[StudentView], int]:
    """A page of a school's students with their active packages."""
    async with ctx.db.session() as session:
        await _school(session, school)
        students, total = await roster.page_of_students(
            session, school, class_name, limit, offset)
        year = await _year_or_none(ctx, session)
        active = await activations.active_codes(
            session, school, [s.code for s in students], year)
    return [StudentView(s, active.get(s.code, [])) for s in students], total


async def classes(ctx: Context, school: str) -> list[dict]:
    """Each class of a school with its student and account counts."""
    async with ctx.db.session() as session:
        await _school(session, school)
        return await roster.class_counts(session, school)


async def summary(ctx: Context, school: str, school_year: str | None) -> dict:
    """The overview of a school for the web UI."""
    async with ctx.db.session() as session:
        found = await _school(session, school)
        year = school_year or await _year_or_none(ctx, session)
        counts = await roster.class_counts(session, school)
        by_status = await accounts.status_counts(session, school)
        by_package = await activations.counts_by_package(session, school, year)
    return {"school": found, "school_year": year, "classes": len(counts),
            "students": sum(c["students"] for c in counts),
            "accounts": sum(by_status.values()), "accounts_by_status": by_status,
            "active_packages": by_package}


async def account_sheet(ctx: Context, school: str,
                        class_name: str | None) -> tuple[School, bytes]:
    """The accounts list workbook (usernames and status, no passwords)."""
    async with ctx.db.session() as session:
        found = await _school(session, school)
        if class_name and class_name not in await roster.class_ids(session, school):
            raise errors.class_not_found(class_name)
        students = await roster.school_students(session, school, class_name)
    return found, await asyncio.to_thread(account_list, found, students,
                                          class_name)
