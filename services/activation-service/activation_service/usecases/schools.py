"""Creating, changing and reading schools."""

from __future__ import annotations

import dataclasses
import logging

from ..adapters import schools as store
from ..domain import errors
from ..domain.events import school_updated
from ..domain.model import School
from .context import Context, announce

log = logging.getLogger(__name__)


async def create_school(ctx: Context, school: School) -> School:
    """Add a school and announce it; refuses a code that exists."""
    async with ctx.db.session() as session, session.begin():
        if not await store.insert_school(session, school):
            raise errors.school_exists(school.code)
        announce(session, school.code, school_updated(school))
    log.info("School %s created", school.code, extra={"school": school.code})
    return school


async def change_school(ctx: Context, code: str, changes: dict) -> School:
    """Apply changes to a school; announce it only when something changed."""
    async with ctx.db.session() as session, session.begin():
        school = await store.get_school(session, code)
        if school is None:
            raise errors.school_not_found(code)
        changed = dataclasses.replace(school, **changes)
        if changed != school:
            await store.update_school(session, changed)
            announce(session, code, school_updated(changed))
    return changed


async def get_school(ctx: Context, code: str) -> School:
    """The school, or the not-found error."""
    async with ctx.db.session() as session:
        school = await store.get_school(session, code)
    if school is None:
        raise errors.school_not_found(code)
    return school


async def list_schools(ctx: Context, only: list[str] | None, limit: int,
                       offset: int) -> tuple[list[School], int]:
    """A page of schools, limited to `only` when given."""
    async with ctx.db.session() as session:
        return await store.list_schools(session, only, limit, offset)
