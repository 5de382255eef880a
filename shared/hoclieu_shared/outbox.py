"""Transactional outbox: events are rows in the business transaction.

A relay publishes the rows after commit, in order, recording attempts and
the last error; published rows are kept for a retention period so they can
be replayed to the broker.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from .db import Database
from .events import Envelope, EventBody, utcnow
from .kafka import KafkaPublisher
from .logs import current_correlation_id
from .messaging_tables import outbox_messages
from .metrics import (
    EVENTS_PUBLISHED,
    OUTBOX_OLDEST_AGE,
    OUTBOX_PENDING,
    PUBLISH_FAILURES,
)

log = logging.getLogger(__name__)

PENDING = "pending"
PUBLISHED = "published"
_relays: weakref.WeakSet[OutboxRelay] = weakref.WeakSet()


def stage_events(session: AsyncSession, events: list[Envelope]) -> None:
    """Add envelopes to the session's transaction as outbox rows."""
    if not events:
        return
    session.sync_session.info.setdefault("outbox_rows", []).extend(
        _row(envelope) for envelope in events
    )


def add_event(session: AsyncSession, body: EventBody, *, source: str,
              school_code: str | None) -> Envelope:
    """Wrap one event body and stage it in the session's transaction."""
    envelope = Envelope.wrap(body, source=source, school_code=school_code,
                             correlation_id=current_correlation_id())
    stage_events(session, [envelope])
    return envelope


def _row(envelope: Envelope) -> dict:
    return {
        "id": envelope.id,
        "topic": envelope.type,
        "message_key": envelope.key(),
        "payload": envelope.model_dump_json(),
        "correlation_id": envelope.correlation_id,
        "status": PENDING,
        "attempts": 0,
        "created_at": envelope.occurred_at,
    }


@sa_event.listens_for(Session, "before_commit")
def _flush_staged_rows(session: Session) -> None:
    rows = session.info.pop("outbox_rows", None)
    if rows:
        # Chunked so a large import stays under the driver's parameter limit.
        for start in range(0, len(rows), 2000):
            session.execute(insert(outbox_messages), rows[start:start + 2000])
        session.info["outbox_wrote"] = True


@sa_event.listens_for(Session, "after_commit")
def _wake_relays(session: Session) -> None:
    if session.info.pop("outbox_wrote", False):
        for relay in list(_relays):
            relay.wake()


@sa_event.listens_for(Session, "after_rollback")
def _drop_staged_rows(session: Session) -> None:
    session.info.pop("outbox_rows", None)
    session.info.pop("outbox_wrote", None)


class OutboxRelay:
    """Publishes pending outbox rows to the broker, oldest first."""

    def __init__(self, db: Database, publisher: KafkaPublisher, *, service: str,
                 topic_prefix: str = "", poll_seconds: float = 0.2,
                 retention: timedelta = timedelta(days=14), batch_size: int = 500):
        self.db = db
        self.publisher = publisher
        self.service = service
        self.topic_prefix = topic_prefix
        self.poll_seconds = poll_seconds
        self.retention = retention
        self.batch_size = batch_size
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._last_housekeeping = datetime.min.replace(tzinfo=utcnow().tzinfo)
        _relays.add(self)

    def wake(self) -> None:
        """Publish soon: a transaction just committed outbox rows."""
        self._wakeup.set()

    async def run(self) -> None:
        """Publish until stopped, backing off while the broker is away."""
        delay = self.poll_seconds
        while not self._stopping:
            try:
                published = await self.publish_pending()
                await self._housekeeping()
                delay = self.poll_seconds
            except Exception:
                PUBLISH_FAILURES.labels(self.service).inc()
                log.warning("Outbox relay could not publish; will retry",
                            exc_info=True, extra={"retry_in_s": delay})
                published, delay = 0, min(delay * 2, 10.0)
            if not published:
                await self._sleep(delay)

    def stop(self) -> None:
        self._stopping = True
        self._wakeup.set()

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wakeup.wait(), seconds)
        except TimeoutError:
            pass
        self._wakeup.clear()

    async def publish_pending(self) -> int:
        """Publish one batch of pending rows in order; returns how many."""
        await self.publisher.ensure_started()
        async with self.db.session() as session, session.begin():
            rows = (await session.execute(self._pending_query())).all()
            if not rows:
                return 0
            done, failure = await self._send(rows)
            await self._mark_published(session, done)
            if failure:
                await self._mark_failed(session, *failure)
        return len(done)

    def _pending_query(self):
        query = (
            select(outbox_messages.c.seq, outbox_messages.c.topic,
                   outbox_messages.c.message_key, outbox_messages.c.payload,
                   outbox_messages.c.correlation_id, outbox_messages.c.id)
            .where(outbox_messages.c.status == PENDING)
            .order_by(outbox_messages.c.seq)
            .limit(self.batch_size)
        )
        if not self.db.is_sqlite:
            # Replicas take disjoint rows instead of publishing the same ones.
            query = query.with_for_update(skip_locked=True)
        return query

    async def _send(self, rows) -> tuple[list, tuple | None]:
        futures = []
        for row in rows:
            headers = Envelope.model_validate_json(row.payload).headers()
            futures.append(await self.publisher.send(
                self.topic_prefix + row.topic, row.payload.encode("utf-8"),
                key=row.message_key, headers=headers))
        results = await asyncio.gather(*futures, return_exceptions=True)
        for index, result in enumerate(results):
            if isinstance(result, BaseException):
                # Rows after a failure wait, so one key's events stay in order.
                return list(rows[:index]), (rows[index], result)
        return list(rows), None

    async def _mark_published(self, session: AsyncSession, done) -> None:
        if not done:
            return
        await session.execute(
            update(outbox_messages)
            .where(outbox_messages.c.seq.in_([r.seq for r in done]))
            .values(status=PUBLISHED, published_at=utcnow(),
                    attempts=outbox_messages.c.attempts + 1, last_error=None))
        for row in done:
            EVENTS_PUBLISHED.labels(self.service, row.topic).inc()

    async def _mark_failed(self, session: AsyncSession, row, error) -> None:
        await session.execute(
            update(outbox_messages).where(outbox_messages.c.seq == row.seq)
            .values(attempts=outbox_messages.c.attempts + 1,
                    last_error=repr(error)[:2000]))
        log.warning("Could not publish event %s to %s; it stays pending",
                    row.id, row.topic, extra={"event_id": str(row.id)})

    async def _housekeeping(self) -> None:
        now = utcnow()
        if now - self._last_housekeeping < timedelta(seconds=5):
            return
        self._last_housekeeping = now
        async with self.db.session() as session, session.begin():
            pending, oldest = (await session.execute(
                select(func.count(), func.min(outbox_messages.c.created_at))
                .where(outbox_messages.c.status == PENDING))).one()
            await session.execute(delete(outbox_messages).where(
                outbox_messages.c.status == PUBLISHED,
                outbox_messages.c.published_at < now - self.retention))
        OUTBOX_PENDING.labels(self.service).set(pending)
        OUTBOX_OLDEST_AGE.labels(self.service).set(_age(oldest, now))


def _age(oldest: datetime | None, now: datetime) -> float:
    if oldest is None:
        return 0.0
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return max((now - oldest).total_seconds(), 0.0)


async def replay_published(db: Database, since: datetime | None = None) -> int:
    """Mark published rows pending again so the relay sends them once more."""
    statement = update(outbox_messages).where(
        outbox_messages.c.status == PUBLISHED)
    if since is not None:
        statement = statement.where(outbox_messages.c.published_at >= since)
    async with db.session() as session, session.begin():
        result = await session.execute(statement.values(status=PENDING))
    for relay in list(_relays):
        relay.wake()
    return result.rowcount
