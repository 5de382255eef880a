"""Every subscription of the import-service: topic -> handler.

The handlers keep the read model the checks need (students, catalogue,
schools, active packages) and note activations on registrations. Each runs
inside the consumer's transaction, beside its processed-event row.
"""

from __future__ import annotations

from hoclieu_shared.consumer import Handler, PoisonMessage
from hoclieu_shared.events import (
    PACKAGE_ACTIVATED,
    PACKAGE_CATALOG_UPDATED,
    SCHOOL_UPDATED,
    STUDENT_ACCOUNT_UPDATED,
    Envelope,
    PackageActivated,
    PackageCatalogUpdated,
    SchoolUpdated,
    StudentAccountUpdated,
)
from sqlalchemy.ext.asyncio import AsyncSession

from .adapters import read_model, registrations


def _school_of(envelope: Envelope) -> str:
    if not envelope.school_code:
        raise PoisonMessage("the event names no school")
    return envelope.school_code


async def remember_student(session: AsyncSession, envelope: Envelope,
                           body: StudentAccountUpdated) -> None:
    """Keep the student (and parent) the roster now has."""
    await read_model.save_student(session, _school_of(envelope), body)


async def remember_package(session: AsyncSession, envelope: Envelope,
                           body: PackageCatalogUpdated) -> None:
    """Keep the catalogue package."""
    await read_model.save_package(session, body)


async def remember_school(session: AsyncSession, envelope: Envelope,
                          body: SchoolUpdated) -> None:
    """Keep the school's name and auto-approval setting."""
    await read_model.save_school(session, body)


async def note_activation(session: AsyncSession, envelope: Envelope,
                          body: PackageActivated) -> None:
    """Mark the package active for the checks and on its registration."""
    school = _school_of(envelope)
    await read_model.save_activation(session, school, body)
    await registrations.mark_activated(session, school, body)


HANDLERS: dict[str, Handler] = {
    STUDENT_ACCOUNT_UPDATED: remember_student,
    PACKAGE_CATALOG_UPDATED: remember_package,
    SCHOOL_UPDATED: remember_school,
    PACKAGE_ACTIVATED: note_activation,
}
