"""Uploads, check states, row outcomes and remembered mappings in the database."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime

from hoclieu_shared.events import utcnow
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .bulk import write_rows
from .sql import is_postgres, rows_per_statement, upsert
from .tables import HeaderMapping, Import, ImportRow

ROW_FIELDS = ("row_number", "status", "student_code", "class_name",
              "full_name", "parent_name", "parent_phone", "package_codes",
              "already_active", "submitted_at", "errors", "notes", "remark")
JSON_FIELDS = frozenset({"package_codes", "already_active", "errors", "notes"})


async def get_import(session: AsyncSession, import_id: uuid.UUID, *,
                     lock: bool = False) -> Import | None:
    """One import; when asked, locked until this transaction ends."""
    query = select(Import).where(Import.id == import_id)
    if lock and is_postgres(session):
        query = query.with_for_update()
    elif lock:
        # SQLite has no row locks; writing first takes the database's write
        # lock now, so the reads below cannot go stale before our writes.
        await session.execute(update(Import).where(Import.id == import_id)
                              .values(status=Import.status))
    return await session.scalar(query)


async def school_imports(session: AsyncSession, school_code: str, *,
                         limit: int, offset: int) -> tuple[list[Import], int]:
    """A school's uploads, newest first, and how many there are."""
    where = Import.school_code == school_code
    total = await session.scalar(
        select(func.count()).select_from(Import).where(where))
    items = await session.scalars(
        select(Import).where(where).order_by(Import.uploaded_at.desc())
        .limit(limit).offset(offset))
    return list(items), int(total or 0)


async def set_check_state(session: AsyncSession, import_id: uuid.UUID,
                          run: uuid.UUID | None = None, **values) -> bool:
    """Update an import's check state; only for the given run when named."""
    statement = update(Import).where(Import.id == import_id)
    if run is not None:
        statement = statement.where(Import.check_run == run)
    result = await session.execute(
        statement.values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


async def heartbeat(session: AsyncSession, import_id: uuid.UUID,
                    run: uuid.UUID, rows_done: int) -> None:
    """Record a running check's progress (and that it is alive)."""
    await set_check_state(session, import_id, run, rows_done=rows_done,
                          heartbeat_at=utcnow())


async def replace_outcomes(session: AsyncSession, import_id: uuid.UUID,
                           rows: Iterable[dict]) -> None:
    """Store a check's row outcomes in place of the previous check's."""
    await session.execute(delete(ImportRow).where(ImportRow.import_id == import_id))
    if is_postgres(session):
        # COPY takes JSON columns as text, so they are encoded here.
        records = [(import_id, *(_as_json(row[f]) if f in JSON_FIELDS else row[f]
                                 for f in ROW_FIELDS)) for row in rows]
        await write_rows(session, ImportRow.__table__, ("import_id", *ROW_FIELDS),
                         records)
        return
    values = [{"import_id": import_id, **row} for row in rows]
    for start in range(0, len(values), rows_per_statement(len(ROW_FIELDS) + 1)):
        part = values[start:start + rows_per_statement(len(ROW_FIELDS) + 1)]
        await session.execute(insert(ImportRow), part)


def _as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False) if value else "[]"


async def rows_page(session: AsyncSession, import_id: uuid.UUID, *,
                    status: str | None, limit: int, offset: int
                    ) -> tuple[list[ImportRow], int]:
    """A page of row outcomes in sheet order, and how many match."""
    conditions = [ImportRow.import_id == import_id]
    if status:
        conditions.append(ImportRow.status == status)
    total = await session.scalar(
        select(func.count()).select_from(ImportRow).where(*conditions))
    items = await session.scalars(
        select(ImportRow).where(*conditions).order_by(ImportRow.row_number)
        .limit(limit).offset(offset))
    return list(items), int(total or 0)


async def all_outcomes(session: AsyncSession, import_id: uuid.UUID,
                       status: str | None = None) -> list[ImportRow]:
    """Every stored outcome of an import (optionally of one status)."""
    query = select(ImportRow).where(ImportRow.import_id == import_id)
    if status:
        query = query.where(ImportRow.status == status)
    return list(await session.scalars(query.order_by(ImportRow.row_number)))


COMMIT_FIELDS = ("row_number", "student_code", "class_name", "full_name",
                 "parent_name", "parent_phone", "package_codes")


async def valid_rows(session: AsyncSession, import_id: uuid.UUID) -> list:
    """What a commit needs of each valid row, as light rows, in sheet order."""
    columns = [getattr(ImportRow, name) for name in COMMIT_FIELDS]
    result = await session.execute(
        select(*columns).where(ImportRow.import_id == import_id,
                               ImportRow.status == "valid")
        .order_by(ImportRow.row_number))
    return list(result)


async def remembered_mapping(session: AsyncSession, school_code: str,
                             signature: str) -> dict | None:
    """The mapping the school confirmed for this header, if any."""
    found = await session.get(HeaderMapping, (school_code, signature))
    return found.mapping if found else None


async def remember_mapping(session: AsyncSession, school_code: str,
                           signature: str, mapping: dict, actor: str,
                           at: datetime) -> None:
    """Keep a confirmed mapping for the next file with the same header."""
    values = {"school_code": school_code, "signature": signature,
              "mapping": mapping, "confirmed_by": actor, "updated_at": at}
    await session.execute(upsert(session, HeaderMapping.__table__, values,
                                 ["school_code", "signature"]))
