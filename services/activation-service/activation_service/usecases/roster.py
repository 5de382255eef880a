"""Roster import: upsert classes and students from the school's export."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters import students as store
from ..adapters.roster_file import RosterFile, read_roster
from ..adapters.schools import get_school
from ..adapters.sql import now
from ..domain import errors
from ..domain.events import student_updated
from ..domain.model import Student
from ..domain.roster import (
    InvalidRow,
    RosterCheck,
    check_roster,
    updated_student,
)
from .context import Context, announce

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RosterOutcome:
    """What a roster import did, and the rows it could not take."""

    file_name: str
    sheet: str | None
    columns: dict[str, str]
    rows: int
    created: int
    updated: int
    unchanged: int
    invalid: list[InvalidRow]
    notes: list[str]


async def import_roster(ctx: Context, school: str, file_name: str,
                        content: bytes) -> RosterOutcome:
    """Read, check, upsert in a few statements, announce each change."""
    async with ctx.db.session() as session:
        if await get_school(session, school) is None:
            raise errors.school_not_found(school)
    # Parsing is CPU work; a thread keeps other requests answered meanwhile.
    roster, checked = await asyncio.to_thread(
        _read_and_check, content, ctx.settings.roster_max_rows)
    async with ctx.db.session() as session, session.begin():
        existing = {s.code: s for s in await store.school_students(session, school)}
        changed = [s for e in checked.entries
                   if (s := updated_student(e, existing.get(e.code), school))]
        await _store(session, school, changed)
        announce(session, school, *(student_updated(s) for s in changed))
    created = sum(s.code not in existing for s in changed)
    _log(school, checked.entries, created, len(changed) - created)
    return RosterOutcome(
        file_name, roster.sheet, roster.columns, len(roster.rows), created,
        len(changed) - created, len(checked.entries) - len(changed),
        checked.invalid, roster.notes + checked.notes)


def _read_and_check(content: bytes,
                    max_rows: int) -> tuple[RosterFile, RosterCheck]:
    roster = read_roster(content, max_rows=max_rows)
    return roster, check_roster(roster.rows)


async def _store(session: AsyncSession, school: str,
                 students: list[Student]) -> None:
    grades = {s.class_name: s.grade for s in students}
    class_ids = await store.add_classes(session, school, grades) if grades else {}
    stamp = now()
    await store.upsert_students(session, [{
        "id": s.id, "school_code": school, "code": s.code,
        "full_name": s.full_name, "date_of_birth": s.date_of_birth,
        "gender": s.gender, "class_id": class_ids[s.class_name],
        "parent_name": s.parent_name, "parent_phone": s.parent_phone,
        "created_at": stamp, "updated_at": stamp} for s in students])


def _log(school: str, entries: list, created: int, updated: int) -> None:
    log.info("Roster of %s imported: %d rows good, %d new, %d changed", school,
             len(entries), created, updated, extra={"school": school})
