"""Receiving an upload: the file to disk, its sheets listed, the import stored."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path

from fastapi import Request
from hoclieu_shared.auth import Principal, require_school
from hoclieu_shared.errors import AppError
from hoclieu_shared.events import utcnow
from hoclieu_shared.sheets.errors import SheetError

from ..adapters import spreadsheet
from ..adapters.tables import Import
from ..adapters.uploads import receive_file
from ..metrics import FAILURES
from ..runtime import ImportRuntime
from .schools import require_known_school

log = logging.getLogger(__name__)
UPLOADED = "uploaded"
# Size-like failures are 413 so clients can tell them from unreadable files.
_TOO_LARGE = {"file_too_large", "unzipped_too_large", "too_many_rows",
              "too_many_cells", "too_many_columns", "too_many_sheets"}


async def receive_upload(runtime: ImportRuntime, request: Request,
                         school_code: str, principal: Principal) -> Import:
    """Stream the file to disk, read its sheets, and store the import."""
    require_school(principal, school_code)
    async with runtime.db.session() as session:
        await require_known_school(session, school_code)
    import_id = uuid.uuid4()
    stored_name = f"{import_id}.upload"
    path = runtime.settings.uploads_dir / stored_name
    try:
        received = await receive_file(
            request, path, max_bytes=runtime.settings.max_upload_bytes)
        book = await asyncio.to_thread(spreadsheet.describe, path,
                                       runtime.settings.sheet_limits)
    except BaseException as error:
        path.unlink(missing_ok=True)
        if isinstance(error, SheetError):
            FAILURES.labels(runtime.settings.service_name, "upload").inc()
            raise sheet_problem(error) from None
        raise
    imported = _new_import(import_id, school_code, stored_name, received, book,
                           principal)
    await _save(runtime, imported, path)
    log.info("Upload %s stored (%d bytes, %d sheets)", import_id,
             received.size, len(imported.sheets),
             extra={"import_id": str(import_id)})
    return imported


def sheet_problem(error: SheetError) -> AppError:
    """A spreadsheet problem as the API's error."""
    status = 413 if error.code in _TOO_LARGE else 422
    return AppError(error.code, error.message, status=status)


def _new_import(import_id, school_code, stored_name, received, book,
                principal: Principal) -> Import:
    sheets = [{"name": s.name, "rows": s.rows} for s in book.sheets
              if not s.hidden]
    return Import(id=import_id, school_code=school_code,
                  file_name=received.file_name, stored_name=stored_name,
                  size_bytes=received.size, file_kind=book.kind, sheets=sheets,
                  uploaded_by=principal.sub, uploaded_at=utcnow(),
                  status=UPLOADED, rows_total=0, rows_done=0)


async def _save(runtime: ImportRuntime, imported: Import, path: Path) -> None:
    if not imported.sheets:
        path.unlink(missing_ok=True)
        raise AppError("no_visible_sheet",
                       "Tệp không có sheet nào để kiểm tra.", status=422)
    try:
        async with runtime.db.session() as session, session.begin():
            session.add(imported)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
