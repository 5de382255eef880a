"""Review accounts in the database; passwords only as hashes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .sql import chunks, insert_for, now
from .tables import AccountRow


async def taken_usernames(session: AsyncSession,
                          names: Iterable[str]) -> set[str]:
    """Which of these usernames already belong to an account."""
    names = list(names)
    taken: set[str] = set()
    for start in range(0, len(names), 5000):
        rows = await session.scalars(select(AccountRow.username).where(
            AccountRow.username.in_(names[start:start + 5000])))
        taken.update(rows)
    return taken


async def insert_accounts(session: AsyncSession,
                          rows: Sequence[dict]) -> set[uuid.UUID]:
    """Add accounts; returns the students that got one (others had one)."""
    created: set[uuid.UUID] = set()
    if not rows:
        return created
    base = insert_for(session, AccountRow.__table__)
    for chunk in chunks(rows, width=len(rows[0])):
        statement = base.values(list(chunk)).on_conflict_do_nothing(
        ).returning(AccountRow.student_id)
        created.update(await session.scalars(statement))
    return created


async def never_issued(session: AsyncSession, student_ids: list[uuid.UUID]
                       ) -> dict[uuid.UUID, uuid.UUID]:
    """Accounts of these students whose password nobody was ever shown."""
    rows = await session.execute(select(AccountRow.student_id, AccountRow.id)
                                 .where(AccountRow.student_id.in_(student_ids),
                                        AccountRow.credentials_issued_at.is_(None)))
    return dict(rows.all())


async def set_password(session: AsyncSession, account_id: uuid.UUID,
                       password_hash: str, *, only_unissued: bool = False) -> bool:
    """Replace an account's password hash, noting it was shown just now.

    With only_unissued, only an account whose password was never shown is
    changed, so two requests cannot both hand out a password for it.
    """
    statement = update(AccountRow).where(AccountRow.id == account_id)
    if only_unissued:
        statement = statement.where(AccountRow.credentials_issued_at.is_(None))
    result = await session.execute(statement.values(
        password_hash=password_hash, credentials_issued_at=now()))
    return result.rowcount == 1


async def set_status(session: AsyncSession, account_id: uuid.UUID,
                     status: str) -> None:
    """Lock or unlock an account."""
    await session.execute(update(AccountRow).where(
        AccountRow.id == account_id).values(status=status))


async def status_counts(session: AsyncSession, school: str) -> dict[str, int]:
    """How many accounts of a school have each status."""
    rows = await session.execute(
        select(AccountRow.status, func.count()).where(
            AccountRow.school_code == school).group_by(AccountRow.status))
    return dict(rows.all())


def account_row(*, student_id: uuid.UUID, school: str, username: str,
                password_hash: str, status: str,
                issued: bool) -> dict:
    """The values of a new account."""
    stamp = now()
    return {"id": uuid.uuid4(), "student_id": student_id, "school_code": school,
            "username": username, "password_hash": password_hash,
            "status": status, "created_at": stamp,
            "credentials_issued_at": stamp if issued else None}
