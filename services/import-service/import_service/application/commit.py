"""Commit: the valid rows of a checked sheet become registrations.

Everything happens in one transaction: the batch, its registrations, their
packages, the RegistrationImported events in the outbox (and, for schools
that approve automatically, the approvals with their events). A commit
with nothing new to register creates no batch: it is refused with the
reason (no valid row, or every row already in earlier batches).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from hoclieu_shared.auth import Principal, require_school
from hoclieu_shared.db import Database
from hoclieu_shared.errors import Conflict, NotFound
from hoclieu_shared.events import (
    RegistrationApproved,
    RegistrationImported,
    utcnow,
)
from hoclieu_shared.logs import current_correlation_id
from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError

from ..adapters import imports as import_store
from ..adapters import registrations as store
from ..adapters.event_rows import EventBatch
from ..adapters.tables import Batch, Import
from . import registered
from .progress import Progress
from .schools import require_known_school

log = logging.getLogger(__name__)

SERVICE = "import"
# Rows built and written per step of a commit.
STAGE_ROWS = 10_000
AUTO = "auto"
CHECKED = "checked"


@dataclass(frozen=True)
class Planned:
    """One registration to create: a valid row and its new packages."""

    row: Row
    package_codes: list[str]


@dataclass
class CommitResult:
    """What a commit answers."""

    batch_id: uuid.UUID
    counts: dict


def plan_registrations(rows: Iterable[Row],
                       live: dict[str, set[str]]) -> tuple[list[Planned], int]:
    """Keep only packages not yet registered or active; count rows left empty."""
    planned: list[Planned] = []
    nothing_new = 0
    for row in rows:
        taken = live.setdefault(row.student_code, set())
        # The check lists only packages not yet active; a package registered
        # by an earlier batch (not rejected) is not registered twice.
        codes = [code for code in dict.fromkeys(row.package_codes)
                 if code not in taken]
        if not codes:
            nothing_new += 1
            continue
        taken.update(codes)
        planned.append(Planned(row, codes))
    return planned, nothing_new


async def commit_import(db: Database, import_id: uuid.UUID, principal: Principal,
                        progress: Progress | None = None) -> CommitResult:
    """Store the valid rows of a checked import as one batch of registrations."""
    try:
        async with db.session() as session, session.begin():
            imported = await import_store.get_import(session, import_id,
                                                     lock=True)
            _check_committable(imported, principal)
            if imported.batch_id is not None:
                return CommitResult(imported.batch_id, {
                    "imported": 0,
                    "already_registered": imported.counts["valid"],
                    "approved": 0})
            return await _commit(session, imported, principal, progress)
    except IntegrityError:
        # Only a commit of the same students at the same moment gets here
        # (the school-year lock prevents it on PostgreSQL); nothing was kept.
        log.warning("Commit of import %s met a concurrent commit", import_id)
        raise Conflict("commit_conflict",
                       "Một lượt nhập khác của trường đang được ghi cùng lúc; "
                       "vui lòng bấm Nhập lại.") from None


def _check_committable(imported: Import | None, principal: Principal) -> None:
    if imported is None:
        raise NotFound("import_not_found", "Không tìm thấy tệp đã tải lên.")
    require_school(principal, imported.school_code)
    if imported.batch_id is None and imported.status != CHECKED:
        raise Conflict("import_not_checked",
                       "Tệp chưa được kiểm tra xong; hãy kiểm tra trước khi nhập.")


async def _commit(session, imported: Import, principal: Principal,
                  progress: Progress | None) -> CommitResult:
    school, year = imported.school_code, imported.school_year
    known = await require_known_school(session, school)
    await store.lock_school_year(session, school, year)
    rows = await import_store.valid_rows(session, imported.id)
    live = await store.live_packages(session, school, year)

    with collector_paused():
        planned, nothing_new = plan_registrations(rows, live)
    if not planned:
        # An empty batch would only show as "imported 0" in the history.
        raise await registered.nothing_to_commit(session, imported, rows)
    auto = known.auto_approve
    with collector_paused():
        batch = _new_batch(imported, principal, len(rows), nothing_new)
        await store.add_batch(session, batch)
        await _write(session, batch, planned, auto, progress)
    imported.batch_id = batch.id

    log.info("Committed import %s as batch %s: %d registrations",
             imported.id, batch.id, len(planned),
             extra={"import_id": str(imported.id), "batch_id": str(batch.id)})
    return CommitResult(batch.id, {"imported": len(planned),
                                   "already_registered": nothing_new,
                                   "approved": len(planned) if auto else 0})


async def _write(session, batch: Batch, planned: list[Planned], auto: bool,
                 progress: Progress | None) -> None:
    """Write the rows and events part by part, building the next part in a
    thread while the database takes in the current one."""
    parts = [planned[i:i + STAGE_ROWS] for i in range(0, len(planned), STAGE_ROWS)]
    origin = Origin.of(batch, current_correlation_id())
    if progress:
        progress.total = len(planned)
    upcoming = None
    try:
        for index, part in enumerate(parts):
            staged = await (upcoming or asyncio.to_thread(
                _stage, origin, part, auto))
            upcoming = None
            if index + 1 < len(parts):
                upcoming = asyncio.ensure_future(asyncio.to_thread(
                    _stage, origin, parts[index + 1], auto))
            await store.write_registrations(session, staged.registrations,
                                            staged.packages)
            await staged.events.write(session)
            if progress:
                progress.advance_to(progress.done + len(part))
    finally:
        if upcoming is not None:
            upcoming.cancel()


@contextmanager
def collector_paused():
    """Hold the cyclic garbage collector while many small objects are built.

    Building 100,000 rows and events otherwise triggers full collections
    over an ever larger heap, which doubles the time; nothing built here
    forms reference cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _new_batch(imported: Import, principal: Principal, valid: int,
               nothing_new: int) -> Batch:
    return Batch(id=uuid.uuid4(), school_code=imported.school_code,
                 school_year=imported.school_year, import_id=imported.id,
                 file_name=imported.file_name, sheet=imported.sheet,
                 source=imported.source, valid_rows=valid,
                 already_registered=nothing_new, created_by=principal.sub,
                 created_at=utcnow())


@dataclass
class _Staged:
    """The rows and events of a commit, built before anything is written."""

    registrations: list[tuple]
    packages: list[tuple]
    events: EventBatch


@dataclass(frozen=True)
class Origin:
    """What every registration and event of a batch shares (plain data, so
    parts can be built in a worker thread away from the ORM session)."""

    id: uuid.UUID
    school_code: str
    school_year: str
    source: str
    file_name: str
    sheet: str
    created_by: str
    correlation_id: str

    @classmethod
    def of(cls, batch: Batch, correlation_id: str) -> Origin:
        """The batch's shared facts, copied out of the ORM object."""
        return cls(batch.id, batch.school_code, batch.school_year,
                   batch.source, batch.file_name, batch.sheet,
                   batch.created_by, correlation_id)


def _stage(batch: Origin, planned: list[Planned], auto: bool) -> _Staged:
    events = EventBatch(source=SERVICE, school_code=batch.school_code,
                        correlation_id=batch.correlation_id)
    staged = _Staged([], [], events)
    approvals: list[RegistrationApproved] = []
    for item in planned:
        registration_id = uuid.uuid4()
        staged.registrations.append(_registration_row(
            registration_id, batch, item, auto, events.occurred_at))
        staged.packages += [(registration_id, code, batch.school_code,
                             batch.school_year, item.row.student_code, False)
                            for code in item.package_codes]
        events.add(_imported_event(registration_id, batch, item))
        if auto:
            approvals.append(_approved_event(registration_id, batch, item))
    # Approvals follow the imports of their part, so each student's events
    # stay in order.
    events.extend(approvals)
    return staged


def _registration_row(registration_id: uuid.UUID, batch: Origin, item: Planned,
                      auto: bool, now) -> tuple:
    row = item.row
    return (registration_id, batch.id, batch.school_code, batch.school_year,
            row.student_code, row.class_name or "", row.full_name or "",
            row.parent_name, row.parent_phone, batch.source, batch.file_name,
            batch.sheet, row.row_number, batch.created_by, now,
            store.APPROVED if auto else store.PENDING,
            AUTO if auto else None, now if auto else None)


def _imported_event(registration_id: uuid.UUID, batch: Origin,
                    item: Planned) -> RegistrationImported:
    row = item.row
    return RegistrationImported(
        registration_id=registration_id, batch_id=batch.id,
        school_year=batch.school_year, student_code=row.student_code,
        class_name=row.class_name or "", full_name=row.full_name or "",
        parent_name=row.parent_name, parent_phone=row.parent_phone,
        package_codes=item.package_codes, source=batch.source,
        source_file=batch.file_name, sheet=batch.sheet,
        row_number=row.row_number, imported_by=batch.created_by)


def _approved_event(registration_id: uuid.UUID, batch: Origin,
                    item: Planned) -> RegistrationApproved:
    row = item.row
    return RegistrationApproved(
        registration_id=registration_id, batch_id=batch.id,
        school_year=batch.school_year, student_code=row.student_code,
        parent_name=row.parent_name, parent_phone=row.parent_phone,
        package_codes=item.package_codes, approved_by=AUTO)
