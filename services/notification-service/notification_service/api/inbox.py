"""The student's inbox: list and mark read."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hoclieu_shared.auth import STUDENT, CurrentPrincipal, require_role, require_student
from hoclieu_shared.errors import NotFound
from hoclieu_shared.events import utcnow

from ..adapters import store
from ..metrics import NOTIFICATIONS_DELIVERED, NOTIFICATIONS_READ
from .deps import Db, SchoolCode, Settings, StudentCode
from .schemas import Inbox, NotificationItem

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/students/{school}/{student}/notifications",
                   tags=["inbox"])


@router.get("")
async def list_notifications(
        school: SchoolCode, student: StudentCode, principal: CurrentPrincipal,
        db: Db, limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0) -> Inbox:
    """The student's notifications, newest first, with the unread count."""
    require_student(principal, school, student)
    async with db.session() as session:
        page = await store.inbox_page(session, school, student, limit=limit,
                                      offset=offset)
    return Inbox(items=[NotificationItem.of(r) for r in page.items],
                 total=page.total, unread=page.unread, last_event_id=page.last_seq)


@router.post("/{notification_id}/read")
async def mark_read(school: SchoolCode, student: StudentCode,
                    notification_id: uuid.UUID, principal: CurrentPrincipal,
                    db: Db, settings: Settings) -> NotificationItem:
    """Mark one notification read; reading counts as delivery when not yet."""
    # Only the student: an adult opening it must not count as the student seeing it.
    require_role(principal, STUDENT)
    require_student(principal, school, student)
    now = utcnow()
    async with db.session() as session, session.begin():
        row, changed = await store.mark_read(session, school, student,
                                             notification_id, now)
        if row is None:
            raise NotFound("notification_not_found", "Không tìm thấy thông báo này.")
        deliveries = await store.mark_delivered(
            session, [row], channel=store.INBOX, now=now,
            source=settings.service_name)
    _count_read(changed, deliveries)
    return NotificationItem.of(row)


def _count_read(changed: bool, deliveries: list[store.Delivery]) -> None:
    if changed:
        NOTIFICATIONS_READ.inc()
    for delivery in deliveries:
        NOTIFICATIONS_DELIVERED.labels(delivery.channel).inc()
        log.info("Notification %s delivered through the inbox",
                 delivery.notification.id,
                 extra={"school_code": delivery.notification.school_code})
