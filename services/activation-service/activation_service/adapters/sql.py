"""Small SQL helpers that work the same on PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

# PostgreSQL refuses statements with more than 32,767 parameters.
MAX_PARAMETERS = 30_000


def insert_for(session: AsyncSession, table: Table):
    """An INSERT that knows ON CONFLICT in the session's dialect."""
    if session.bind.dialect.name == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)


def chunks(rows: Sequence[dict], width: int) -> Iterator[Sequence[dict]]:
    """Rows in groups that keep one statement under the parameter limit."""
    size = max(MAX_PARAMETERS // max(width, 1), 1)
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)
