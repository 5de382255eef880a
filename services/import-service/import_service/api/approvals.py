"""The vendor operators' approval queue and decisions."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter
from hoclieu_shared.auth import OPERATOR, CurrentPrincipal, require_role
from pydantic import BaseModel, Field, StringConstraints

from ..adapters import registrations as store
from ..application import decisions
from .deps import Db, Limit, Offset, Runtime
from .views import batch_view

router = APIRouter(prefix="/api/v1/approvals", tags=["approvals"])
Status = Literal["pending", "approved", "rejected"]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                          max_length=1000)]


class ApproveRequest(BaseModel):
    """Which registrations to approve; the whole batch when left out."""

    registration_ids: list[uuid.UUID] | None = Field(None, min_length=1)


class RejectRequest(BaseModel):
    """Why, and which registrations; the whole batch when left out."""

    reason: Reason
    registration_ids: list[uuid.UUID] | None = Field(None, min_length=1)


@router.get("")
async def queue(principal: CurrentPrincipal, db: Db, status: Status = "pending",
                school: str | None = None, limit: Limit = 50,
                offset: Offset = 0) -> dict:
    """Batches with registrations in a status, across schools (operators)."""
    require_role(principal, OPERATOR)
    async with db.session() as session:
        items, total = await store.batches_with_status(
            session, status, school, limit=limit, offset=offset)
        counts = await store.batch_counts(session, [b.id for b in items])
    return {"items": [batch_view(b, counts[b.id]) for b in items],
            "total": total}


@router.post("/{batch_id}/approve")
async def approve(batch_id: uuid.UUID, principal: CurrentPrincipal, db: Db,
                  runtime: Runtime, body: ApproveRequest | None = None) -> dict:
    """Approve pending registrations; each gets a RegistrationApproved event."""
    ids = body.registration_ids if body else None
    result = await decisions.approve(db, batch_id, principal, ids)
    runtime.wake_relay()
    return {"batch_id": str(result.batch_id), "approved": result.decided,
            "counts": result.counts}


@router.post("/{batch_id}/reject")
async def reject(batch_id: uuid.UUID, body: RejectRequest,
                 principal: CurrentPrincipal, db: Db, runtime: Runtime) -> dict:
    """Reject pending registrations with a reason; each gets an event."""
    result = await decisions.reject(db, batch_id, principal,
                                    body.registration_ids, body.reason)
    runtime.wake_relay()
    return {"batch_id": str(result.batch_id), "rejected": result.decided,
            "counts": result.counts}
