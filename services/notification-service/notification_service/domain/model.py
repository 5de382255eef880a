"""What a notification is made of."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from hoclieu_shared.events import PackageActivated


def as_utc(moment: datetime) -> datetime:
    """A timezone-aware UTC time; SQLite hands back naive UTC values."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class ActivatedPackage:
    """One package switched on for a student, as the notification tells it."""

    activation_id: uuid.UUID
    package_code: str
    package_name: str
    courses: tuple[str, ...]
    activated_at: datetime

    @classmethod
    def from_event(cls, body: PackageActivated) -> ActivatedPackage:
        """The package part of a PackageActivated event."""
        return cls(body.activation_id, body.package_code, body.package_name,
                   tuple(body.courses), as_utc(body.activated_at))


@dataclass(frozen=True)
class Message:
    """The Vietnamese text the student reads."""

    title: str
    body: str


@dataclass(frozen=True)
class Latest:
    """The state of a student's newest notification that grouping looks at."""

    created_at: datetime
    delivered_at: datetime | None
    read_at: datetime | None
