"""The check of an uploaded sheet: mapping, then every row, maybe in the background.

The rules live in domain/; this module reads the file, builds the school's
context from the read model, runs the rules off the event loop, reports
progress and stores the outcomes.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hoclieu_shared.auth import Principal, require_school
from hoclieu_shared.errors import AppError, Conflict, NotFound
from hoclieu_shared.events import utcnow
from hoclieu_shared.sheets.errors import SheetError
from hoclieu_shared.vn.text import fold
from pydantic import ValidationError

from ..adapters import imports as store
from ..adapters import spreadsheet
from ..adapters.tables import Import
from ..domain import check as rules
from ..domain import mapping as mappings
from ..domain.context import SchoolContext
from ..domain.mapping import ColumnMapping
from ..metrics import CHECKS, FAILURES, ROWS_CHECKED
from . import context as school_context
from . import mapping_errors, registered
from .progress import Progress
from .schools import require_known_school

if TYPE_CHECKING:
    from ..runtime import ImportRuntime

log = logging.getLogger(__name__)

CHECKING, NEEDS_MAPPING, CHECKED, FAILED = (
    "checking", "needs_mapping", "checked", "failed")
HEAD_ROWS = 40
HEARTBEAT_SECONDS = 0.5
HEADER_CHARS = 200
SOURCES = {"template": "template", "google-form": "google-form",
           "retyped": "retyped", "plain": "retyped"}


@dataclass(frozen=True)
class CheckRequest:
    """What the user asked: a sheet, maybe a mapping, maybe a school year."""

    sheet: str
    mapping: dict | None = None
    school_year: str | None = None


@dataclass
class _Plan:
    """Everything a check run needs, prepared in the request."""

    imported: Import
    path: Path
    sheet: str
    mapping: ColumnMapping
    context: SchoolContext
    date1904: bool
    run: uuid.UUID
    total: int


class CheckRunner:
    """Starts checks, inline for small sheets and as tasks for large ones."""

    def __init__(self, runtime: ImportRuntime):
        self.runtime = runtime
        self._tasks: set[asyncio.Task] = set()

    async def start(self, import_id: uuid.UUID, principal: Principal,
                    request: CheckRequest) -> str:
        """Check a sheet; returns the status the import is left in."""
        plan = await self._prepare(import_id, principal, request)
        if plan is None:
            return NEEDS_MAPPING
        if plan.total > self.runtime.settings.background_check_rows:
            task = asyncio.create_task(self._run(plan))
            self._tasks.add(task)
            task.add_done_callback(self._forget)
            return CHECKING
        return await self._run(plan)

    def _forget(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Even the failure could not be stored (database away); the
            # heartbeat stops, so the import reads as interrupted.
            log.error("Background check could not finish",
                      exc_info=task.exception())

    async def stop(self) -> None:
        """Cancel running checks; their imports read as interrupted later."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _prepare(self, import_id: uuid.UUID, principal: Principal,
                       request: CheckRequest) -> _Plan | None:
        async with self.runtime.db.session() as session, session.begin():
            imported = await store.get_import(session, import_id, lock=True)
            self._check_allowed(imported, principal, request.sheet)
            await require_known_school(session, imported.school_code)
            path = self.upload_path(imported)
            seen = await asyncio.to_thread(
                spreadsheet.preview, path, request.sheet, HEAD_ROWS,
                self.runtime.settings.sheet_limits)
            context = await school_context.build(
                session, imported.school_code,
                request.school_year or _template_year(seen.facts.hidden_rows))
            mapping, signature = await self._mapping(
                session, imported, principal, request, seen, context)
            if mapping is None:
                return None
            plan = _Plan(imported, path, request.sheet, mapping, context,
                         seen.facts.date1904, uuid.uuid4(),
                         _data_rows(seen.facts, request.sheet, mapping))
            await _mark_checking(session, plan, seen.head, signature)
        return plan

    def upload_path(self, imported: Import) -> Path:
        """Where an import's file lives on disk; refused when it is gone."""
        path = self.runtime.settings.uploads_dir / imported.stored_name
        if not path.is_file():
            raise AppError("upload_missing",
                           "Không còn tệp đã tải lên trên máy chủ; hãy tải "
                           "tệp lên lại.", status=410)
        return path

    def _check_allowed(self, imported: Import | None, principal: Principal,
                       sheet: str) -> None:
        if imported is None:
            raise NotFound("import_not_found", "Không tìm thấy tệp đã tải lên.")
        require_school(principal, imported.school_code)
        if imported.batch_id is not None:
            raise Conflict("import_committed",
                           "Tệp này đã được nhập; hãy tải lên tệp mới để "
                           "kiểm tra lại.")
        if imported.status == CHECKING and not self.is_stale(imported):
            raise Conflict("check_running",
                           "Tệp đang được kiểm tra; vui lòng đợi kết quả.")
        if sheet not in {s["name"] for s in imported.sheets}:
            raise AppError("sheet_not_found",
                           f"Không có sheet «{sheet}» trong tệp.", status=422)

    def is_stale(self, imported: Import) -> bool:
        """True when a check's process stopped reporting (it was interrupted)."""
        beat = imported.heartbeat_at
        if beat is None:
            return True
        if beat.tzinfo is None:
            beat = beat.replace(tzinfo=utcnow().tzinfo)
        limit = timedelta(seconds=self.runtime.settings.check_stale_seconds)
        return utcnow() - beat > limit

    async def _mapping(self, session, imported: Import, principal: Principal,
                       request: CheckRequest, seen: spreadsheet.Preview,
                       context: SchoolContext):
        """The mapping to check with (None: ask the user) and its signature."""
        head = seen.head
        if request.mapping is not None:
            mapping = _parse_mapping(request.mapping,
                                     _sheet_rows(seen.facts, request.sheet))
            signature = header_signature(head, mapping.header_row)
            await store.remember_mapping(
                session, imported.school_code, signature,
                mapping.model_dump(mode="json"), principal.sub, utcnow())
            return mapping, signature
        proposed = mappings.propose_mapping(
            head, context, _template_keys(seen.facts.hidden_rows),
            sheet_name=request.sheet)
        signature = header_signature(head, proposed.header_row)
        chosen = await _confirmed_or_certain(session, imported, proposed,
                                             signature)
        if chosen is None:
            await store.set_check_state(
                session, imported.id, status=NEEDS_MAPPING, sheet=request.sheet,
                mapping=proposed.model_dump(mode="json"), signature=signature,
                headers=header_texts(head, proposed.header_row),
                check_run=None, counts=None, already_registered=0,
                error_code=None, error_message=None)
        return chosen, signature

    async def _run(self, plan: _Plan) -> str:
        progress = self.runtime.progress.start(plan.imported.id, "check",
                                               plan.total)
        beat = asyncio.create_task(self._beat(plan, progress))
        service = self.runtime.settings.service_name
        try:
            result = await asyncio.to_thread(self._check_file, plan, progress)
            ROWS_CHECKED.labels(service).inc(progress.done)
            return await self._store_result(plan, result)
        except SheetError as error:
            FAILURES.labels(service, "check").inc()
            return await self._fail(plan, error.code, error.message)
        except Exception:
            FAILURES.labels(service, "check").inc()
            log.exception("Check of import %s failed", plan.imported.id)
            return await self._fail(plan, "check_failed", _CHECK_FAILED)
        finally:
            CHECKS.labels(service).inc()
            beat.cancel()
            self.runtime.progress.finish(plan.imported.id, progress)

    def _check_file(self, plan: _Plan, progress: Progress):
        rows = spreadsheet.data_rows(plan.path, plan.sheet,
                                     plan.mapping.header_row,
                                     self.runtime.settings.sheet_limits)
        return rules.check_rows(rows, plan.mapping, plan.context,
                                date1904=plan.date1904,
                                progress=progress.advance_to)

    async def _beat(self, plan: _Plan, progress: Progress) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                async with self.runtime.db.session() as session, session.begin():
                    await store.heartbeat(session, plan.imported.id, plan.run,
                                          progress.done)
            except Exception:
                # A missed beat only delays the progress bar; the check goes on.
                log.warning("Could not record progress of import %s",
                            plan.imported.id, exc_info=True)

    async def _store_result(self, plan: _Plan, result) -> str:
        counts = result.counts
        async with self.runtime.db.session() as session, session.begin():
            already = await registered.note_registered(
                session, plan.context.school_code, plan.context.school_year,
                result.rows)
            still_ours = await store.set_check_state(
                session, plan.imported.id, plan.run, status=CHECKED,
                counts=counts, already_registered=already,
                rows_done=plan.total, checked_at=utcnow(),
                heartbeat_at=utcnow())
            if still_ours:
                await store.replace_outcomes(
                    session, plan.imported.id,
                    (_row_values(o) for o in result.rows))
        log.info("Checked import %s: %s", plan.imported.id, counts,
                 extra={"import_id": str(plan.imported.id)})
        return CHECKED

    async def _fail(self, plan: _Plan, code: str, message: str) -> str:
        async with self.runtime.db.session() as session, session.begin():
            await store.set_check_state(
                session, plan.imported.id, plan.run, status=FAILED,
                error_code=code, error_message=message, heartbeat_at=utcnow())
        return FAILED


_CHECK_FAILED = ("Không kiểm tra được tệp do lỗi ngoài dự kiến. Vui lòng thử "
                 "lại; nếu vẫn lỗi, hãy báo bộ phận hỗ trợ.")


async def _confirmed_or_certain(session, imported: Import,
                                proposed: ColumnMapping,
                                signature: str) -> ColumnMapping | None:
    # The system's own template is recognised exactly; otherwise what the
    # school confirmed for this header before beats a fresh guess.
    if proposed.kind == "template" and proposed.certain:
        return proposed
    remembered = await store.remembered_mapping(
        session, imported.school_code, signature)
    if remembered is not None:
        try:
            return ColumnMapping.model_validate(remembered)
        except ValidationError:
            log.warning("Remembered mapping of %s no longer fits; asking again",
                        imported.school_code)
    return proposed if proposed.certain else None


async def _mark_checking(session, plan: _Plan, head: list[list],
                         signature: str) -> None:
    mapping = plan.mapping
    await store.set_check_state(
        session, plan.imported.id, status=CHECKING, sheet=plan.sheet,
        school_year=plan.context.school_year,
        source=SOURCES.get(mapping.kind, "retyped"),
        mapping=mapping.model_dump(mode="json"), signature=signature,
        headers=header_texts(head, mapping.header_row),
        check_run=plan.run, rows_total=plan.total, rows_done=0, counts=None,
        already_registered=0, error_code=None, error_message=None,
        heartbeat_at=utcnow(), checked_at=None)


def _parse_mapping(raw: dict, rows: int) -> ColumnMapping:
    """A mapping the user sent, taken as confirmed."""
    try:
        mapping = ColumnMapping.model_validate(raw)
    except ValidationError as error:
        raise mapping_errors.invalid_mapping(error) from None
    if mapping.header_row >= rows:
        # Otherwise the check reads no row at all and calls the sheet checked.
        raise mapping_errors.header_row_outside(mapping.header_row, rows)
    return mapping.model_copy(update={"certain": True})


def header_texts(head: list[list], header_row: int) -> list[str]:
    """The cells of the header row as short texts ("" for empty cells)."""
    cells = head[header_row] if header_row < len(head) else []
    return ["" if c is None else str(c)[:HEADER_CHARS] for c in cells]


def header_signature(head: list[list], header_row: int) -> str:
    """A fingerprint of a header row that ignores case, accents and spacing."""
    text = "\x1f".join(fold(c) for c in header_texts(head, header_row))
    return hashlib.sha256(text.rstrip("\x1f").encode("utf-8")).hexdigest()


def _template_keys(hidden_rows) -> dict | None:
    return mappings.read_template_keys(hidden_rows) if hidden_rows else None


def _template_year(hidden_rows) -> str | None:
    return (_template_keys(hidden_rows) or {}).get("school_year")


def _sheet_rows(book, sheet: str) -> int:
    return next(s.rows for s in book.sheets if s.name == sheet)


def _data_rows(book, sheet: str, mapping: ColumnMapping) -> int:
    return max(_sheet_rows(book, sheet) - mapping.header_row - 1, 0)


def _row_values(outcome) -> dict:
    # Field by field: dataclasses.asdict deep-copies, which costs seconds
    # on a sheet of 100,000 rows.
    values = {key: getattr(outcome, key) for key in store.ROW_FIELDS}
    values["errors"] = [asdict(issue) for issue in outcome.errors]
    return values
