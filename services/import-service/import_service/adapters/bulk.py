"""Writing many rows inside the caller's transaction, as fast as the database allows.

PostgreSQL gets the rows through COPY on the session's own connection, so
they commit or roll back with everything else; other databases get
INSERTs in chunks under the bind-parameter limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from .sql import is_postgres, rows_per_statement

COPY_CHUNK_ROWS = 25_000


async def write_rows(session: AsyncSession, table: Table, columns: Sequence[str],
                     rows: Sequence[tuple]) -> None:
    """Insert tuples (in `columns` order) into a table in this transaction."""
    if is_postgres(session):
        size, write = COPY_CHUNK_ROWS, _copy
    else:
        size, write = rows_per_statement(len(columns)), _insert
    for part in _slices(rows, size):
        await write(session, table, columns, part)


def _slices(rows: Sequence[tuple], size: int):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


async def _copy(session: AsyncSession, table: Table, columns: Sequence[str],
                rows: Sequence[tuple]) -> None:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(
        table.name, records=rows, columns=list(columns))


async def _insert(session: AsyncSession, table: Table, columns: Sequence[str],
                  rows: Sequence[tuple]) -> None:
    values = [dict(zip(columns, row, strict=True)) for row in rows]
    await session.execute(insert(table), values)
