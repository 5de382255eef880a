"""Wiring of the notification-service: the only place parts are put together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from hoclieu_shared.service import ServiceRuntime, create_service_app

from .adapters.live import Notifier
from .api import delivery, inbox, stream
from .consumers import HANDLERS
from .settings import NotificationSettings

SERVICE_ROOT = Path(__file__).resolve().parent.parent


class NotificationRuntime(ServiceRuntime):
    """The shared runtime, plus the notifier that serves the open streams."""

    def __init__(self, settings: NotificationSettings, notifier: Notifier):
        super().__init__(settings, service_root=SERVICE_ROOT, handlers=HANDLERS)
        self.notifier = notifier

    async def start(self) -> None:
        """Start the shared parts, then hear commits and poll for streams."""
        await super().start()
        # No await since the consumer task was created, so it has not run
        # yet: its first transaction already finds the notifier attached.
        self.notifier.attach(self.db)

    async def stop(self) -> None:
        """End the streams and the poll first, then the shared parts."""
        await self.notifier.detach()
        await super().stop()


def create_app(settings: NotificationSettings | None = None) -> FastAPI:
    """The notification-service app; nothing connects before its start-up."""
    settings = settings or NotificationSettings()
    notifier = Notifier(settings)
    runtime = NotificationRuntime(settings, notifier)
    app = create_service_app(
        settings, runtime, title="Học liệu — notification-service",
        routers=[inbox.router, stream.router, delivery.router])
    app.state.notifier = notifier
    return app
