"""Every subscription of the template-service: the read model's inputs."""

from sqlalchemy.ext.asyncio import AsyncSession

from hoclieu_shared import events
from hoclieu_shared.consumer import Handler
from hoclieu_shared.events import Envelope

from .adapters import read_model


async def school_updated(session: AsyncSession, envelope: Envelope, body) -> None:
    await read_model.save_school(session, body, envelope.occurred_at)


async def student_account_updated(session: AsyncSession, envelope: Envelope,
                                  body) -> None:
    await read_model.save_student(session, envelope.school_code, body,
                                  envelope.occurred_at)


async def package_catalog_updated(session: AsyncSession, envelope: Envelope,
                                  body) -> None:
    await read_model.save_package(session, body, envelope.occurred_at)


HANDLERS: dict[str, Handler] = {
    events.SCHOOL_UPDATED: school_updated,
    events.STUDENT_ACCOUNT_UPDATED: student_account_updated,
    events.PACKAGE_CATALOG_UPDATED: package_catalog_updated,
}
