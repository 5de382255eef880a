"""Request and response bodies of the notification API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from ..adapters.tables import Notification
from ..domain.model import as_utc


def _utc(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None


def _names(row: Notification) -> list[str]:
    # Each activation stored the catalogue's name; a code without one keeps
    # its code, so the list always matches package_codes.
    named = {a.package_code: a.package_name for a in row.activations}
    return [named.get(code) or code for code in row.package_codes]


class NotificationItem(BaseModel):
    """One notification as the inbox and the stream show it."""

    id: uuid.UUID
    seq: int
    title: str
    body: str
    package_code: str
    package_codes: list[str]
    package_names: list[str]  # same order as package_codes
    created_at: datetime
    read_at: datetime | None
    delivered_at: datetime | None

    @classmethod
    def of(cls, row: Notification) -> NotificationItem:
        """The item of a stored notification."""
        return cls(id=row.id, seq=row.seq, title=row.title, body=row.body,
                   package_code=row.package_codes[0],
                   package_codes=list(row.package_codes),
                   package_names=_names(row),
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
