"""Every subscription of the activation-service: topic -> handler."""

from __future__ import annotations

from hoclieu_shared.consumer import Handler
from hoclieu_shared.events import REGISTRATION_APPROVED

from .usecases.activation import activate_approved

HANDLERS: dict[str, Handler] = {
    REGISTRATION_APPROVED: activate_approved,
}
