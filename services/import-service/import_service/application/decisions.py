"""Approval and rejection of a batch's registrations by a vendor operator."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from hoclieu_shared.auth import OPERATOR, Principal, require_role
from hoclieu_shared.db import Database
from hoclieu_shared.errors import Conflict, NotFound
from hoclieu_shared.events import (
    RegistrationApproved,
    RegistrationRejected,
    utcnow,
)
from hoclieu_shared.logs import current_correlation_id

from ..adapters import registrations as store
from ..adapters.event_rows import EventBatch
from ..adapters.tables import Batch
from .commit import SERVICE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecisionResult:
    """What a decision answers."""

    batch_id: uuid.UUID
    decided: int
    counts: dict


async def approve(db: Database, batch_id: uuid.UUID, principal: Principal,
                  ids: list[uuid.UUID] | None) -> DecisionResult:
    """Approve the batch's pending registrations (or the listed ones)."""
    return await _decide(db, batch_id, principal, ids, store.APPROVED, None)


async def reject(db: Database, batch_id: uuid.UUID, principal: Principal,
                 ids: list[uuid.UUID] | None, reason: str) -> DecisionResult:
    """Reject the batch's pending registrations (or the listed ones)."""
    return await _decide(db, batch_id, principal, ids, store.REJECTED, reason)


async def _decide(db: Database, batch_id: uuid.UUID, principal: Principal,
                  ids: list[uuid.UUID] | None, status: str,
                  reason: str | None) -> DecisionResult:
    require_role(principal, OPERATOR)
    async with db.session() as session, session.begin():
        batch = await session.get(Batch, batch_id)
        if batch is None:
            raise NotFound("batch_not_found", "Không tìm thấy đợt nhập này.")
        decided = await store.decide(session, batch_id, ids, status=status,
                                     actor=principal.sub, at=utcnow(),
                                     reason=reason)
        if not decided:
            raise Conflict("already_decided", _NOTHING_PENDING)
        events = EventBatch(source=SERVICE, school_code=batch.school_code,
                            correlation_id=current_correlation_id())
        events.extend(_event(batch_id, item, status, principal.sub, reason)
                      for item in decided)
        await events.write(session)
        counts = (await store.batch_counts(session, [batch_id]))[batch_id]
    log.info("Batch %s: %d registrations %s", batch_id, len(decided), status,
             extra={"batch_id": str(batch_id)})
    return DecisionResult(batch_id, len(decided), counts)


_NOTHING_PENDING = ("Các đăng ký này đã được duyệt hoặc từ chối trước đó; "
                    "không còn đăng ký nào chờ duyệt.")


def _event(batch_id: uuid.UUID, item: store.Decided, status: str, actor: str,
           reason: str | None):
    if status == store.APPROVED:
        return RegistrationApproved(
            registration_id=item.id, batch_id=batch_id,
            school_year=item.school_year, student_code=item.student_code,
            parent_name=item.parent_name, parent_phone=item.parent_phone,
            package_codes=item.package_codes, approved_by=actor)
    return RegistrationRejected(
        registration_id=item.id, batch_id=batch_id,
        school_year=item.school_year, student_code=item.student_code,
        package_codes=item.package_codes, rejected_by=actor, reason=reason)
