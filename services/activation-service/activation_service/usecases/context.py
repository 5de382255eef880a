"""What every use case needs: the database, the settings, the hasher."""

from __future__ import annotations

from dataclasses import dataclass

from hoclieu_shared.db import Database
from hoclieu_shared.events import EventBody
from hoclieu_shared.outbox import add_event
from hoclieu_shared.service import ServiceRuntime
from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters.hashing import PasswordHashing
from ..settings import SERVICE_NAME, ActivationSettings


@dataclass(frozen=True)
class Context:
    """The service's dependencies, made once in main.py."""

    runtime: ServiceRuntime
    settings: ActivationSettings
    hashing: PasswordHashing

    @property
    def db(self) -> Database:
        """The database, connected when the service has started."""
        return self.runtime.db


def announce(session: AsyncSession, school_code: str | None,
             *bodies: EventBody) -> None:
    """Stage events in the session's transaction (the outbox)."""
    for body in bodies:
        add_event(session, body, source=SERVICE_NAME, school_code=school_code)
