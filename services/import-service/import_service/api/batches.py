"""A school's batch history and one batch with its registrations."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter
from hoclieu_shared.auth import CurrentPrincipal, require_school
from hoclieu_shared.errors import NotFound

from ..adapters import registrations as store
from ..adapters.tables import Batch
from .deps import Db, Limit, Offset, RowLimit
from .views import batch_view, registration_view

router = APIRouter(prefix="/api/v1", tags=["batches"])
Status = Literal["pending", "approved", "rejected", "activated"]


@router.get("/schools/{school}/batches")
async def school_batches(school: str, principal: CurrentPrincipal, db: Db,
                         limit: Limit = 50, offset: Offset = 0) -> dict:
    """The school's committed batches, newest first, with counts per status."""
    require_school(principal, school)
    async with db.session() as session:
        items, total = await store.school_batches(session, school, limit=limit,
                                                  offset=offset)
        counts = await store.batch_counts(session, [b.id for b in items])
    return {"items": [batch_view(b, counts[b.id]) for b in items],
            "total": total}


@router.get("/batches/{batch_id}")
async def batch_detail(batch_id: uuid.UUID, principal: CurrentPrincipal, db: Db,
                       status: Status | None = None, limit: RowLimit = 100,
                       offset: Offset = 0) -> dict:
    """One batch and a page of its registrations."""
    async with db.session() as session:
        batch = await session.get(Batch, batch_id)
        if batch is None:
            raise NotFound("batch_not_found", "Không tìm thấy đợt nhập này.")
        require_school(principal, batch.school_code)
        counts = (await store.batch_counts(session, [batch_id]))[batch_id]
        page, total = await store.batch_registrations(
            session, batch_id, status=status, limit=limit, offset=offset)
    view = batch_view(batch, counts)
    view["registrations"] = {
        "items": [registration_view(r, packages) for r, packages in page],
        "total": total}
    return view
