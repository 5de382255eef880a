"""Live push inside one process: open streams and what wakes them.

A stream must hear about a notification whichever replica's consumer wrote
it, because the student's partition may belong to another replica. Two
signals wake a stream, and its own cursor query decides what it sends:

* after a local commit, the consumer's transaction announces the change at
  once (the common single-replica case, a few milliseconds);
* one poll per process, every `stream_poll_seconds` (at most 0.3 s), reads
  which students' newest seq changed recently and wakes their streams. It is
  one indexed query per process, not one per stream, so many open sessions
  cost nothing more. PostgreSQL LISTEN/NOTIFY would cut this to the commit
  itself; it is left out so SQLite runs the same code
  (docs/notification-service.md).

A missed wake-up (e.g. a poll failed) is caught by each stream re-reading its
cursor every `stream_fallback_seconds`.

Streams' reads pass `Notifier.db_turn`, a semaphore of a third of the pool
at most, so a burst of openings or re-reads queues here, holding no
connection, and leaves the rest of the pool to the consumer and the relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from hoclieu_shared.db import Database
from hoclieu_shared.events import utcnow

from ..metrics import NOTIFICATIONS_CREATED, OPEN_STREAMS
from ..settings import NotificationSettings
from . import store

log = logging.getLogger(__name__)

_CHANGES = "notification_changes"
_notifiers: dict[Engine, Notifier] = {}


@dataclass(eq=False)
class StreamSlot:
    """One open event stream of a student, and where it has got to."""

    school_code: str
    student_code: str
    cursor: int
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait(self, timeout: float) -> None:
        """Sleep until woken or the timeout; then be ready for the next wake."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), timeout)
        self.wake.clear()


class Notifier:
    """The streams open in this process and the rules its consumer applies."""

    def __init__(self, settings: NotificationSettings):
        self.settings = settings
        self.group_window = timedelta(seconds=settings.group_window_seconds)
        self._slots: dict[tuple[str, str], set[StreamSlot]] = {}
        self._closing = False
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._engine: Engine | None = None
        self.db_turn = asyncio.Semaphore(settings.stream_db_slots)

    @property
    def closing(self) -> bool:
        """True once the server began to stop: streams end themselves."""
        return self._closing

    def open(self, school: str, student: str, cursor: int) -> StreamSlot | None:
        """A slot for a new stream, or None when the student has too many."""
        slots = self._slots.setdefault((school, student), set())
        if len(slots) >= self.settings.stream_max_per_student or self._closing:
            return None
        slot = StreamSlot(school, student, cursor)
        slots.add(slot)
        OPEN_STREAMS.inc()
        return slot

    def release(self, slot: StreamSlot) -> None:
        """Forget a stream that ended; safe to call more than once."""
        slots = self._slots.get((slot.school_code, slot.student_code))
        if slots is None or slot not in slots:
            return
        slots.discard(slot)
        OPEN_STREAMS.dec()
        if not slots:
            del self._slots[(slot.school_code, slot.student_code)]

    def open_count(self, school: str, student: str) -> int:
        """How many streams of the student are open here."""
        return len(self._slots.get((school, student), ()))

    def announce(self, school: str, student: str, seq: int) -> None:
        """Wake the student's streams that have not sent seq yet."""
        for slot in self._slots.get((school, student), ()):
            if seq > slot.cursor:
                slot.wake.set()

    def end_streams(self) -> None:
        """Ask every open stream to finish (graceful server stop)."""
        self._closing = True
        for slots in self._slots.values():
            for slot in slots:
                slot.wake.set()

    def attach(self, db: Database) -> None:
        """Hear this database's commits and start the per-process poll."""
        self._engine = db.engine.sync_engine
        _notifiers[self._engine] = self
        self._task = asyncio.create_task(self._watch(db))

    async def detach(self) -> None:
        """End the streams and the poll; called when the service stops."""
        self.end_streams()
        self._stop.set()
        if self._task is not None:
            await self._task
        if self._engine is not None:
            _notifiers.pop(self._engine, None)

    async def _watch(self, db: Database) -> None:
        failing = False
        while not self._stop.is_set():
            await self._pause(self.settings.stream_poll_seconds)
            if self._slots:
                failing = await self._poll(db, failing)

    async def _poll(self, db: Database, failing: bool) -> bool:
        since = utcnow() - timedelta(
            seconds=self.settings.stream_poll_lookback_seconds)
        try:
            async with db.session() as session:
                heads = await store.recent_heads(session, since)
        except (SQLAlchemyError, OSError):
            if not failing:
                log.warning("Cannot poll for new notifications; streams fall back "
                            "to their own slower reads", exc_info=True)
            return True
        if failing:
            log.info("Polling for new notifications works again")
        for school, student, seq in heads:
            self.announce(school, student, seq)
        return False

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)


def notifier_for(session: AsyncSession) -> Notifier | None:
    """The notifier of the process whose database this session uses."""
    return _notifiers.get(session.sync_session.get_bind())


def stage_change(session: AsyncSession, change: store.Change) -> None:
    """Announce the change to local streams once the transaction commits."""
    session.sync_session.info.setdefault(_CHANGES, []).append(change)


@sa_event.listens_for(Session, "after_commit")
def _announce_committed(session: Session) -> None:
    changes = session.info.pop(_CHANGES, None)
    if not changes:
        return
    notifier = _notifiers.get(session.get_bind())
    for change in changes:
        # Counted after commit so a retried transaction is counted once.
        NOTIFICATIONS_CREATED.labels("grouped" if change.grouped else "new").inc()
        if notifier is not None:
            notifier.announce(change.school_code, change.student_code, change.seq)


@sa_event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGES, None)
