"""Review accounts: issue with credential slips, reset, lock."""

from __future__ import annotations

import dataclasses
import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters import accounts as store
from ..adapters import students as roster
from ..adapters.schools import get_school
from ..domain import errors
from ..domain.events import student_updated
from ..domain.model import ACCOUNT_ACTIVE, Account, Credentials, School, Student
from ..domain.passwords import new_password
from ..domain.usernames import assign_usernames, base_username
from .context import Context, announce

log = logging.getLogger(__name__)
# Accounts made by an activation: no password matches until one is issued.
UNUSABLE_PASSWORD = "!unissued"
USERNAME_ROUNDS = 5


async def pick_usernames(session: AsyncSession,
                         students: list[Student]) -> dict[uuid.UUID, str]:
    """A free username for each student, by student id."""
    wanted = {s.id: base_username(s.school_code, s.code) for s in students}
    taken = await store.taken_usernames(session, wanted.values())
    for _ in range(USERNAME_ROUNDS):
        assigned = assign_usernames(wanted, taken)
        clash = await store.taken_usernames(session, assigned.values())
        if not clash:
            return assigned
        taken |= clash
    raise RuntimeError("no free usernames after several rounds")


async def ensure_account(session: AsyncSession,
                         student: Student) -> tuple[Student, bool]:
    """The student with an account (made without a usable password if
    missing), and whether it was made now."""
    if student.account:
        return student, False
    rows = await _account_rows(session, [student], {student.id: UNUSABLE_PASSWORD},
                               issued=False)
    created = await store.insert_accounts(session, list(rows.values()))
    fresh = await roster.get_student(session, student.school_code, student.code)
    return fresh, student.id in created


async def _account_rows(session: AsyncSession, students: list[Student],
                        hashes: dict[uuid.UUID, str],
                        issued: bool) -> dict[uuid.UUID, dict]:
    usernames = await pick_usernames(session, students)
    return {s.id: store.account_row(
        student_id=s.id, school=s.school_code, username=usernames[s.id],
        password_hash=hashes[s.id], status=ACCOUNT_ACTIVE, issued=issued)
        for s in students}


async def issue_accounts(ctx: Context, school_code: str, class_name: str | None
                         ) -> tuple[School, list[Credentials]]:
    """Accounts for students without one (or never handed out), with slips."""
    school, students = await _needing_credentials(ctx, school_code, class_name)
    passwords = {s.id: new_password() for s in students}
    hashes = dict(zip(passwords, await ctx.hashing.hash_many(
        list(passwords.values())), strict=True))
    async with ctx.db.session() as session, session.begin():
        issued, created = await _store(session, students, passwords, hashes)
        announce(session, school_code, *(student_updated(s) for s in created))
    log.info("Issued %d review accounts (%d new) for %s", len(issued),
             len(created), school_code, extra={"school": school_code})
    return school, issued


async def _needing_credentials(ctx: Context, school_code: str,
                               class_name: str | None):
    async with ctx.db.session() as session:
        school = await get_school(session, school_code)
        if school is None:
            raise errors.school_not_found(school_code)
        if class_name and class_name not in await roster.class_ids(
                session, school_code):
            raise errors.class_not_found(class_name)
        students = await roster.school_students(session, school_code, class_name)
        unissued = await store.never_issued(
            session, [s.id for s in students if s.account])
    return school, [s for s in students
                    if s.account is None or s.id in unissued]


async def _store(session: AsyncSession, students: list[Student],
                 passwords: dict, hashes: dict) -> tuple[list, list]:
    fresh = [s for s in students if s.account is None]
    rows = await _account_rows(session, fresh, hashes, issued=True)
    created = await store.insert_accounts(session, list(rows.values()))
    issued, announced = [], []
    for student in students:
        if student.account is None:
            if student.id not in created:
                continue  # another request gave this student an account
            row = rows[student.id]
            student = dataclasses.replace(student, account=Account(
                row["id"], row["username"], ACCOUNT_ACTIVE))
            announced.append(student)
        elif not await store.set_password(session, student.account.id,
                                          hashes[student.id], only_unissued=True):
            continue
        issued.append(Credentials(student, student.account.username,
                                  passwords[student.id]))
    return issued, announced


async def reset_password(ctx: Context, school_code: str,
                         student_code: str) -> Credentials:
    """A new password for one student's account, shown this once."""
    student = await _student_with_account(ctx, school_code, student_code)
    password = new_password()
    password_hash = (await ctx.hashing.hash_many([password]))[0]
    async with ctx.db.session() as session, session.begin():
        await store.set_password(session, student.account.id, password_hash)
    log.info("Password of %s:%s reset", school_code, student_code,
             extra={"school": school_code})
    return Credentials(student, student.account.username, password)


async def change_status(ctx: Context, school_code: str, student_code: str,
                        status: str) -> Student:
    """Lock or unlock an account; announced when it changes."""
    student = await _student_with_account(ctx, school_code, student_code)
    if student.account.status == status:
        return student
    changed = dataclasses.replace(student, account=dataclasses.replace(
        student.account, status=status))
    async with ctx.db.session() as session, session.begin():
        await store.set_status(session, student.account.id, status)
        announce(session, school_code, student_updated(changed))
    return changed


async def _student_with_account(ctx: Context, school_code: str,
                                student_code: str) -> Student:
    async with ctx.db.session() as session:
        student = await roster.get_student(session, school_code, student_code)
    if student is None:
        raise errors.student_not_found(student_code)
    if student.account is None:
        raise errors.account_not_found(student_code)
    return student
