"""Small SQL helpers that hide the PostgreSQL / SQLite differences."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

# PostgreSQL refuses statements with more than 32,767 bind parameters; SQLite
# builds since 3.32 allow 32,766. Chunks stay under both with room to spare.
MAX_PARAMETERS = 30_000


def is_postgres(session: AsyncSession) -> bool:
    """True when the session talks to PostgreSQL."""
    return session.bind.dialect.name == "postgresql"


def upsert(session: AsyncSession, table: Table, values: dict,
           keys: Sequence[str]):
    """INSERT … ON CONFLICT (keys) DO UPDATE for either database."""
    dialect = postgresql if is_postgres(session) else sqlite
    statement = dialect.insert(table).values(**values)
    changes = {k: v for k, v in values.items() if k not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys),
                                           set_=changes)


def rows_per_statement(columns: int) -> int:
    """How many rows of this width one statement may carry."""
    return max(1, MAX_PARAMETERS // max(columns, 1))
