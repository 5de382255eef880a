"""Outbox rows for many events of one action, built and written in bulk.

A commit of 100,000 rows stages 100,000 events. Wrapping each body in a
pydantic Envelope and re-reading it for its key costs more than writing the
registrations, so the envelope JSON around the bodies is cut once from a
real Envelope and reused; each body is still validated by its own model.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from hoclieu_shared.events import Envelope, EventBody, utcnow
from hoclieu_shared.messaging_tables import outbox_messages
from hoclieu_shared.outbox import PENDING
from sqlalchemy.ext.asyncio import AsyncSession

from .bulk import write_rows

_MARK_ID = uuid.UUID(int=0)
_MARK_DATA = {"__body__": 0}
_MARK_DATA_JSON = '{"__body__":0}'
OUTBOX_COLUMNS = ("id", "topic", "message_key", "payload", "correlation_id",
                  "status", "attempts", "created_at")


class EventBatch:
    """Outbox rows of one action: same source, school and correlation id."""

    def __init__(self, *, source: str, school_code: str, correlation_id: str):
        self.source = source
        self.school_code = school_code
        self.correlation_id = correlation_id
        self.occurred_at = utcnow()
        self.rows: list[tuple] = []
        self._frames: dict[str, tuple[str, str, str]] = {}

    def add(self, body: EventBody) -> None:
        """Stage one event body."""
        head, middle, tail = self._frame(body)
        event_id = uuid.uuid4()
        payload = f"{head}{event_id}{middle}{body.model_dump_json()}{tail}"
        self.rows.append((event_id, body.TOPIC,
                          body.partition_key(self.school_code), payload,
                          self.correlation_id, PENDING, 0, self.occurred_at))

    def extend(self, bodies: Iterable[EventBody]) -> None:
        """Stage several bodies in order."""
        for body in bodies:
            self.add(body)

    def _frame(self, body: EventBody) -> tuple[str, str, str]:
        frame = self._frames.get(body.TOPIC)
        if frame is None:
            frame = self._frames[body.TOPIC] = self._cut_frame(body)
        return frame

    def _cut_frame(self, body: EventBody) -> tuple[str, str, str]:
        sample = Envelope(
            id=_MARK_ID, type=body.TOPIC, version=body.VERSION,
            occurred_at=self.occurred_at, source=self.source,
            school_code=self.school_code, correlation_id=self.correlation_id,
            data=_MARK_DATA).model_dump_json()
        # Both marks appear exactly once in the compact JSON pydantic writes.
        head, rest = sample.split(str(_MARK_ID), 1)
        middle, tail = rest.split(_MARK_DATA_JSON, 1)
        return head, middle, tail

    async def write(self, session: AsyncSession) -> None:
        """Write the staged rows into the outbox, in order."""
        await write_rows(session, outbox_messages, OUTBOX_COLUMNS, self.rows)
