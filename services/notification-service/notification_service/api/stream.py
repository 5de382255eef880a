"""GET .../notifications/stream: each new notification, live, as SSE.

The event id is the notification's per-student seq. A stream starts at the
Last-Event-ID header (a browser's EventSource sends it when it reconnects),
else at the `last_event_id` query parameter (e.g. the inbox's), else at the
student's newest seq; the first `ready` event carries that cursor as its id,
so even a stream that dropped before any notification resumes exactly.
How the stream learns about new rows is explained in adapters/live.py.

Every database read of a stream waits its turn at the notifier's semaphore;
an opening that cannot get a turn and an answer within
`stream_open_wait_seconds` gets 503 `service_busy` with Retry-After, which
the portal's inbox script follows.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.background import BackgroundTask

from hoclieu_shared.auth import STUDENT, CurrentPrincipal, require_role, require_student
from hoclieu_shared.db import Database
from hoclieu_shared.errors import AppError, ServiceBusy
from hoclieu_shared.events import utcnow

from ..adapters import store
from ..adapters.live import Notifier, StreamSlot
from ..adapters.tables import Notification
from ..domain.model import as_utc
from ..metrics import ACTIVATION_TO_PUSH, NOTIFICATIONS_DELIVERED, NOTIFICATIONS_PUSHED
from ..settings import NotificationSettings
from . import sse
from .deps import Db, LiveNotifier, SchoolCode, Settings, StudentCode
from .schemas import NotificationItem

log = logging.getLogger(__name__)
router = APIRouter(tags=["inbox"])
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@router.get("/api/v1/students/{school}/{student}/notifications/stream",
            response_class=StreamingResponse)
async def stream_notifications(
        school: SchoolCode, student: StudentCode, principal: CurrentPrincipal,
        db: Db, settings: Settings, notifier: LiveNotifier,
        last_event_id: Annotated[str | None, Header()] = None,
        after: Annotated[str | None, Query(alias="last_event_id")] = None,
) -> StreamingResponse:
    """Server-Sent Events: every new notification of the student, live."""
    # Only the student: a live push counts as the student having seen it.
    require_role(principal, STUDENT)
    require_student(principal, school, student)
    wanted = _resume_after(last_event_id or after)
    cursor = await _start_cursor(db, notifier, school, student, wanted)
    slot = _open_slot(notifier, school, student, cursor)
    log.info("Stream opened for student %s at seq %d", student, cursor)
    return StreamingResponse(
        _events(db, notifier, slot, settings), media_type="text/event-stream",
        headers=STREAM_HEADERS, background=BackgroundTask(notifier.release, slot))


def _open_slot(notifier: Notifier, school: str, student: str,
               cursor: int) -> StreamSlot:
    if notifier.closing:
        raise AppError("service_stopping", "Hệ thống đang khởi động lại; trang sẽ "
                       "tự kết nối lại sau giây lát.", status=503)
    slot = notifier.open(school, student, cursor)
    if slot is None:
        raise AppError("too_many_streams", "Em đang mở quá nhiều phiên nhận thông "
                       "báo; hãy đóng bớt các thẻ trình duyệt rồi thử lại.",
                       status=429)
    return slot


def _resume_after(wanted: str | None) -> int | None:
    try:
        return sse.parse_event_id(wanted)
    except ValueError:
        raise AppError("invalid_last_event_id",
                       "Mã sự kiện cuối (Last-Event-ID) không hợp lệ.") from None


async def _start_cursor(db: Database, notifier: Notifier, school: str,
                        student: str, resume_after: int | None) -> int:
    newest = await _newest_seq(db, notifier, school, student)
    # A cursor beyond the newest row (e.g. a restored database) would hide
    # every new notification, so it is brought back to the newest.
    return newest if resume_after is None else min(resume_after, newest)


async def _newest_seq(db: Database, notifier: Notifier, school: str,
                      student: str) -> int:
    settings = notifier.settings
    try:
        async with asyncio.timeout(settings.stream_open_wait_seconds), \
                notifier.db_turn, db.session() as session:
            return await store.last_seq(session, school, student)
    except (TimeoutError, PoolTimeout):
        log.warning("Stream of student %s refused: database busy", student)
    except (SQLAlchemyError, OSError):
        log.warning("Stream of student %s refused: database unavailable",
                    student, exc_info=True)
    raise ServiceBusy("service_busy", "Hệ thống đang bận; trang sẽ tự kết nối "
                      "lại sau vài giây.",
                      retry_after=settings.stream_busy_retry_seconds)


async def _events(db: Database, notifier: Notifier, slot: StreamSlot,
                  settings: NotificationSettings) -> AsyncIterator[str]:
    try:
        yield sse.event("ready", {"last_event_id": slot.cursor},
                        event_id=slot.cursor, retry_ms=settings.stream_retry_ms)
        async for chunk in _follow(db, notifier, slot, settings):
            yield chunk
    finally:
        notifier.release(slot)
        log.info("Stream of student %s ended at seq %d", slot.student_code,
                 slot.cursor)


async def _follow(db: Database, notifier: Notifier, slot: StreamSlot,
                  settings: NotificationSettings) -> AsyncIterator[str]:
    last_write = time.monotonic()
    while not notifier.closing:
        rows = await _unsent(db, notifier, slot)
        if rows is None:
            return
        for row in rows:
            yield _notification_event(row)
            slot.cursor = row.seq
        if rows:
            NOTIFICATIONS_PUSHED.inc(len(rows))
            # Shielded: the bytes are out, so a client leaving right after
            # must not cancel the record that it saw them.
            await asyncio.shield(asyncio.ensure_future(
                _record_live_delivery(db, notifier, rows)))
            last_write = time.monotonic()
            continue
        await slot.wait(_wait_seconds(settings, last_write))
        if time.monotonic() - last_write >= settings.stream_keepalive_seconds:
            yield sse.keep_alive()
            last_write = time.monotonic()


def _wait_seconds(settings: NotificationSettings, last_write: float) -> float:
    until_keepalive = settings.stream_keepalive_seconds - (
        time.monotonic() - last_write)
    return max(min(settings.stream_fallback_seconds, until_keepalive), 0.0)


async def _unsent(db: Database, notifier: Notifier,
                  slot: StreamSlot) -> list[Notification] | None:
    try:
        # The turn is taken before the session, so no connection is held
        # while the stream queues.
        async with notifier.db_turn, db.session() as session:
            return await store.after(session, slot.school_code,
                                     slot.student_code, slot.cursor)
    except (SQLAlchemyError, OSError):
        # Ending the stream makes the client reconnect with its Last-Event-ID,
        # maybe to a replica that can reach the database.
        log.warning("Stream of student %s ends: database unavailable",
                    slot.student_code, exc_info=True)
        return None


def _notification_event(row: Notification) -> str:
    data = NotificationItem.of(row).model_dump(mode="json")
    # Timestamps let a client measure activation -> push end to end.
    data["activated_at"] = as_utc(row.activated_at).isoformat()
    data["pushed_at"] = utcnow().isoformat()
    return sse.event("notification", data, event_id=row.seq)


async def _record_live_delivery(db: Database, notifier: Notifier,
                                rows: list[Notification]) -> None:
    try:
        async with notifier.db_turn, db.session() as session, session.begin():
            deliveries = await store.mark_delivered(
                session, rows, channel=store.LIVE, now=utcnow(),
                source=notifier.settings.service_name)
    except (SQLAlchemyError, OSError):
        # The student has the notification; reading it records delivery later.
        log.warning("Could not record the live delivery of %d notifications",
                    len(rows), exc_info=True)
        return
    for delivery in deliveries:
        NOTIFICATIONS_DELIVERED.labels(store.LIVE).inc()
        ACTIVATION_TO_PUSH.observe(delivery.seconds)
        log.info("Notification %s pushed live %.3f s after activation",
                 delivery.notification.id, delivery.seconds,
                 extra={"school_code": delivery.notification.school_code})
