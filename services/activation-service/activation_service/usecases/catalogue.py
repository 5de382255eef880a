"""The package catalogue: put a package, list packages, the school year."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters import catalogue as store
from ..domain import errors
from ..domain.events import catalogue_updated
from ..domain.model import Package
from ..domain.school_year import checked_school_year
from .context import Context, announce

log = logging.getLogger(__name__)


async def put_package(ctx: Context, package: Package) -> bool:
    """Create or replace a package; True when it is new. Announces changes."""
    async with ctx.db.session() as session, session.begin():
        old = await store.get_package(session, package.school_year, package.code)
        if old != package:
            await store.save_package(session, package)
            announce(session, None, catalogue_updated(package))
    if old != package:
        log.info("Package %s of %s saved", package.code, package.school_year)
    return old is None


async def list_packages(ctx: Context, school_year: str | None,
                        grade: int | None) -> list[Package]:
    """Packages of a school year (every year when None) fitting a grade."""
    async with ctx.db.session() as session:
        return await store.list_packages(session, school_year, grade)


async def current_school_year(session: AsyncSession, configured: str,
                              given: str | None = None) -> str:
    """The year asked for, else the configured one, else the catalogue's latest."""
    if given:
        return checked_school_year(given)
    if configured:
        return configured
    latest = await store.latest_school_year(session)
    if latest is None:
        raise errors.school_year_unknown()
    return latest
