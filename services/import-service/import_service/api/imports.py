"""Uploads, checks, row outcomes, record downloads and commits."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from hoclieu_shared.auth import CurrentPrincipal, Principal, require_school
from hoclieu_shared.errors import AppError, Conflict, NotFound
from hoclieu_shared.sheets.errors import SheetError
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from ..adapters import imports as store
from ..adapters import registrations
from ..adapters.tables import Import
from ..application import checking, commit, records, uploads
from ..domain.mapping import ColumnMapping
from ..metrics import FAILURES
from .deps import Db, Limit, Offset, RowLimit, Runtime
from .views import import_view, row_view

router = APIRouter(prefix="/api/v1", tags=["imports"])
RowStatus = Literal["valid", "invalid", "skipped", "superseded"]


class CheckBody(BaseModel):
    """Which sheet to check; the mapping when confirming or fixing one."""

    sheet: str = Field(min_length=1, max_length=300)
    mapping: dict | None = None
    school_year: str | None = Field(None, pattern=r"^\d{4}-\d{4}$")


@router.post("/schools/{school}/imports", status_code=201)
async def upload(school: str, request: Request, principal: CurrentPrincipal,
                 runtime: Runtime) -> dict:
    """Upload a filled workbook or form export (multipart field "file")."""
    imported = await uploads.receive_upload(runtime, request, school, principal)
    return {"id": str(imported.id), "file_name": imported.file_name,
            "sheets": imported.sheets}


@router.get("/schools/{school}/imports")
async def school_imports(school: str, principal: CurrentPrincipal, db: Db,
                         limit: Limit = 50, offset: Offset = 0) -> dict:
    """The school's uploads, newest first."""
    require_school(principal, school)
    async with db.session() as session:
        items, total = await store.school_imports(session, school, limit=limit,
                                                  offset=offset)
    return {"items": [import_view(i, progress=None, batch=None) for i in items],
            "total": total}


@router.post("/imports/{import_id}/check")
async def check(import_id: uuid.UUID, body: CheckBody,
                principal: CurrentPrincipal, runtime: Runtime) -> dict:
    """Check a sheet: `checked`, `checking` (poll) or `needs_mapping`."""
    request = checking.CheckRequest(body.sheet, body.mapping, body.school_year)
    try:
        await runtime.checks.start(import_id, principal, request)
    except SheetError as error:
        FAILURES.labels(runtime.settings.service_name, "check").inc()
        raise uploads.sheet_problem(error) from None
    async with runtime.db.session() as session:
        imported = await store.get_import(session, import_id)
        if imported.status == checking.FAILED:
            raise AppError(imported.error_code, imported.error_message,
                           status=422)
        answer = await _describe(session, runtime, imported)
        rows, total = [], 0
        limit = runtime.settings.answer_rows_limit
        if imported.status == checking.CHECKED:
            rows, total = await store.rows_page(session, import_id, status=None,
                                                limit=limit, offset=0)
    answer["rows"] = [row_view(r) for r in rows]
    answer["rows_total"] = total
    answer["rows_next"] = _next_page(import_id, limit, total)
    return answer


def _next_page(import_id: uuid.UUID, limit: int, total: int) -> str | None:
    if total <= limit:
        return None
    return f"/api/v1/imports/{import_id}/rows?limit={limit}&offset={limit}"


@router.get("/imports/{import_id}")
async def get_import(import_id: uuid.UUID, principal: CurrentPrincipal,
                     runtime: Runtime) -> dict:
    """The import with its check state, progress and, once committed, batch."""
    async with runtime.db.session() as session:
        imported = await _visible_import(session, import_id, principal)
        return await _describe(session, runtime, imported)


async def _visible_import(session, import_id: uuid.UUID,
                          principal: Principal) -> Import:
    imported = await store.get_import(session, import_id)
    if imported is None:
        raise NotFound("import_not_found", "Không tìm thấy tệp đã tải lên.")
    require_school(principal, imported.school_code)
    return imported


async def _describe(session, runtime: Runtime, imported: Import) -> dict:
    batch = None
    if imported.batch_id is not None:
        counts = await registrations.batch_counts(session, [imported.batch_id])
        batch = {"id": str(imported.batch_id),
                 "counts": counts[imported.batch_id]}
    view = import_view(imported, progress=_progress(runtime, imported),
                       batch=batch)
    if imported.status == checking.CHECKING and runtime.checks.is_stale(imported):
        # Shown, not stored: the next check request replaces the state anyway.
        view.update(status=checking.FAILED, progress=None, error={
            "code": "check_interrupted",
            "message": "Việc kiểm tra bị gián đoạn; hãy bấm Tiếp tục để "
                       "kiểm tra lại."})
    return view


def _progress(runtime: Runtime, imported: Import) -> dict | None:
    local = runtime.progress.get(imported.id)
    if local is not None:
        return local.as_dict()
    if imported.status != checking.CHECKING:
        return None
    total, done = imported.rows_total, imported.rows_done
    percent = min(100, done * 100 // total) if total else 0
    return {"phase": "check", "percent": percent, "rows_done": done,
            "rows_total": total}


@router.get("/imports/{import_id}/rows")
async def rows(import_id: uuid.UUID, principal: CurrentPrincipal, db: Db,
               status: RowStatus | None = None, limit: RowLimit = 100,
               offset: Offset = 0) -> dict:
    """A page of the check's row outcomes, in sheet order."""
    async with db.session() as session:
        await _visible_import(session, import_id, principal)
        items, total = await store.rows_page(session, import_id, status=status,
                                             limit=limit, offset=offset)
    return {"items": [row_view(r) for r in items], "total": total}


@router.get("/imports/{import_id}/records.xlsx")
async def records_file(import_id: uuid.UUID, principal: CurrentPrincipal,
                       runtime: Runtime,
                       only: Literal["invalid", "all"] = "invalid"):
    """The checked sheet in the user's layout with a status and the reasons."""
    async with runtime.db.session() as session:
        imported = await _visible_import(session, import_id, principal)
        if imported.status != checking.CHECKED:
            raise Conflict("import_not_checked",
                           "Tệp chưa được kiểm tra xong nên chưa tải được kết quả.")
        outcomes = await store.all_outcomes(session, import_id)
    path = await _records(runtime, imported, outcomes, only == "invalid")
    return FileResponse(
        path, filename=_records_name(imported.file_name, only),
        media_type="application/vnd.openxmlformats-officedocument"
                   ".spreadsheetml.sheet",
        background=BackgroundTask(path.unlink, missing_ok=True))


async def _records(runtime: Runtime, imported: Import, outcomes,
                   only_invalid: bool) -> Path:
    mapping = ColumnMapping.model_validate(imported.mapping)
    try:
        return await asyncio.to_thread(
            records.build_records_file, runtime.checks.upload_path(imported),
            imported.sheet, mapping, outcomes, only_invalid,
            runtime.settings.data_dir / "tmp", runtime.settings.sheet_limits)
    except SheetError as error:
        raise uploads.sheet_problem(error) from None


def _records_name(file_name: str, only: str) -> str:
    stem = file_name.rsplit(".", 1)[0] or "ket-qua"
    suffix = "dong-loi" if only == "invalid" else "tat-ca"
    return f"{stem} - {suffix}.xlsx"


@router.post("/imports/{import_id}/commit")
async def commit_rows(import_id: uuid.UUID, principal: CurrentPrincipal,
                      runtime: Runtime) -> dict:
    """Store the checked sheet's valid rows as registrations (idempotent)."""
    progress = runtime.progress.start(import_id, "commit", total=0)
    try:
        result = await commit.commit_import(runtime.db, import_id, principal,
                                            progress)
    except AppError:
        raise
    except Exception:
        FAILURES.labels(runtime.settings.service_name, "commit").inc()
        raise
    finally:
        runtime.progress.finish(import_id, progress)
    runtime.wake_relay()
    return {"batch_id": str(result.batch_id), "counts": result.counts}

