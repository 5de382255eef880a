"""The import-service's runtime: the shared one plus its background checks."""

from __future__ import annotations

from hoclieu_shared.service import ServiceRuntime

from .application.checking import CheckRunner
from .application.progress import ProgressBoard
from .consumers import HANDLERS
from .settings import SERVICE_ROOT, ImportSettings


class ImportRuntime(ServiceRuntime):
    """Database, relay and consumer, plus the checks running in this process."""

    settings: ImportSettings

    def __init__(self, settings: ImportSettings):
        super().__init__(settings, service_root=SERVICE_ROOT, handlers=HANDLERS)
        self.progress = ProgressBoard()
        self.checks = CheckRunner(self)

    async def stop(self) -> None:
        """Stop background checks first: they need the database to finish."""
        await self.checks.stop()
        await super().stop()

    def wake_relay(self) -> None:
        """Publish soon: a transaction just wrote outbox rows in bulk."""
        if self.relay is not None:
            self.relay.wake()
