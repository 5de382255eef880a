"""Every subscription of the notification-service, in one place."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hoclieu_shared.consumer import Handler, PoisonMessage
from hoclieu_shared.events import (
    PACKAGE_ACTIVATED,
    Envelope,
    EventBody,
    PackageActivated,
    utcnow,
)

from .adapters import store
from .adapters.live import notifier_for, stage_change

log = logging.getLogger(__name__)

DEFAULT_GROUP_WINDOW = timedelta(seconds=0.5)


async def tell_student_about_activation(session: AsyncSession, envelope: Envelope,
                                        body: EventBody) -> None:
    """Create (or extend) the student's notification for one activation."""
    if not isinstance(body, PackageActivated) or not envelope.school_code:
        raise PoisonMessage("PackageActivated needs its body and a school_code")
    notifier = notifier_for(session)
    window = notifier.group_window if notifier else DEFAULT_GROUP_WINDOW
    change = await store.record_activation(
        session, envelope.school_code, envelope.id, body, window=window,
        now=utcnow())
    fields = {"event_id": str(envelope.id), "school_code": envelope.school_code,
              "activation_id": str(body.activation_id)}
    if change is None:
        log.warning("Activation of event %s was told already; skipped",
                    envelope.id, extra=fields)
        return
    stage_change(session, change)
    log.info("Event %s told student %s (seq %d, grouped %s)", envelope.id,
             body.student_code, change.seq, change.grouped, extra=fields)


HANDLERS: dict[str, Handler] = {
    PACKAGE_ACTIVATED: tell_student_about_activation,
}
