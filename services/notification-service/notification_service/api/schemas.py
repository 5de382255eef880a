"""Request and response bodies of the notification API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from ..adapters.tables import Notification
from ..domain.model import as_utc


def _utc(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None


class NotificationItem(BaseModel):
    """One notification as the inbox and the stream show it."""

    id: uuid.UUID
    seq: int
    title: str
    body: str
    package_code: str
    package_codes: list[str]
    created_at: datetime
    read_at: datetime | None
    delivered_at: datetime | None

    @classmethod
    def of(cls, row: Notification) -> NotificationItem:
        """The item of a stored notification."""
        return cls(id=row.id, seq=row.seq, title=row.title, body=row.body,
                   package_code=row.package_codes[0],
                   package_codes=list(row.package_codes),
                   created_at=as_utc(row.created_at), read_at=_utc(row.read_at),
                   delivered_at=_utc(row.delivered_at))


class Inbox(BaseModel):
    """A page of the inbox; `last_event_id` is where a stream may start."""

    items: list[NotificationItem]
    total: int
    unread: int
    last_event_id: int


class DeliverySummary(BaseModel):
    """How far the notifications of a school (or all schools) got."""

    school_code: str | None
    created: int
    delivered: int
    delivered_live: int
    read: int
    median_seconds_to_delivery: float | None
